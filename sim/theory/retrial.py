"""M/M/N+M with retrials: the two-dimensional Markov chain, truncated and solved numerically.

Customers arrive as a Poisson process (rate ``lambda``) to ``N`` servers (rate ``mu``
each) with unlimited waiting room; each waits at most an exponential patience (rate
``theta``). A customer who abandons joins the *orbit* with probability ``p`` and tries again
after an exponential delay (rate ``nu``), as a fresh attempt (fresh patience, the same
rules, as often as it abandons); with ``1 - p`` it leaves for good. The state is
``(n, m)``: ``n`` customers in the system (in service or waiting), ``m`` in orbit::

    (n, m) -> (n + 1, m)      lambda                       a first attempt
    (n, m) -> (n - 1, m)      mu min(n, N)                 a service ends
    (n, m) -> (n - 1, m + 1)  theta (n - N)+ p             abandons, will retry
    (n, m) -> (n - 1, m)      theta (n - N)+ (1 - p)       abandons for good
    (n, m) -> (n + 1, m - 1)  nu m                         a retry arrives

The chain is infinite in both directions; it is truncated at ``n <= max_in_system`` and
``m <= max_in_orbit``: at the first, arrivals and retries are not accepted; at the second,
an abandoning customer leaves for good. The stationary distribution ``pi`` solves
``pi Q = 0, sum pi = 1`` (a sparse LU solve, :func:`scipy.sparse.linalg.spsolve`). The
truncation error is measured, not assumed: ``boundary_mass`` is the probability of the
states on either boundary (the only states where the truncated chain differs from the
infinite one). Unless both limits are given, they start from an approximation
(:func:`default_limits`) and are widened by half until ``boundary_mass`` is below
:data:`BOUNDARY_TOLERANCE`.

Conservation: in steady state first attempts accepted equal customers served plus those
who abandon for good (``throughput + final_abandon_rate = lambda`` up to the
blocked first attempts at the boundary, ``lambda * P(n = max_in_system)``), and the orbit is
balanced (``p theta E[queue] = nu E[orbit]``, exact inside the truncation).

Unit-agnostic like the rest of :mod:`sim.theory`: rates per unit time, times in that unit.
With ``p = 0`` the orbit stays empty and the chain is Erlang-A (:func:`~sim.theory.erlang.
erlang_a_metrics`), which the tests check.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse
import scipy.sparse.linalg

from sim.theory.common import MAX_STATES, FloatArray, check_rate, check_servers
from sim.theory.erlang import erlang_a_metrics

#: Probability allowed on the truncation boundary when the limits are chosen automatically.
BOUNDARY_TOLERANCE = 1e-10
#: Factor by which a limit whose boundary holds too much probability is widened.
GROWTH = 1.5


@dataclass(frozen=True)
class RetrialMetrics:
    """Steady state of M/M/N+M with retrials; rates per unit time, times in that unit.

    Attributes:
        p_abandon: P(an attempt abandons), over every accepted attempt (first or retry).
        p_wait: P(an attempt waits), over every accepted attempt.
        mean_wait: E[time waiting] per accepted attempt (Little: E[queue] / attempt rate).
        mean_queue_length: E[customers waiting] (not in service).
        mean_orbit: E[customers in orbit].
        attempt_rate: Accepted attempts per unit time (first attempts + retries).
        retrial_rate: Retries per unit time (``nu E[orbit]``).
        abandon_rate: Abandonments per unit time (``theta E[queue]``).
        final_abandon_rate: Abandonments that do not retry, per unit time.
        throughput: Services completed per unit time (``mu E[min(n, N)]``).
        utilization: ``E[min(n, N)] / N``.
        boundary_mass: Probability of the truncation boundary (the truncation error).
        max_in_system: The truncation used: most customers in the system.
        max_in_orbit: The truncation used: most customers in orbit.

    """

    p_abandon: float
    p_wait: float
    mean_wait: float
    mean_queue_length: float
    mean_orbit: float
    attempt_rate: float
    retrial_rate: float
    abandon_rate: float
    final_abandon_rate: float
    throughput: float
    utilization: float
    boundary_mass: float
    max_in_system: int
    max_in_orbit: int


def default_limits(arrival_rate: float, service_rate: float, abandonment_rate: float,
                   servers: int, retrial_probability: float,
                   retrial_rate: float) -> tuple[int, int]:
    """A first truncation ``(max_in_system, max_in_orbit)`` from an approximation: retries
    taken as Poisson, the attempt rate ``a = lambda + p a P_ab(a)`` (Erlang-A at rate ``a``,
    a fixed point); the queue then holds about ``(a - N mu)+ / theta`` and the orbit
    ``p theta E[queue] / nu``, each plus ten standard deviations and 20. Only a start:
    :func:`retrial_metrics` widens it until the boundary mass is negligible."""
    attempts = arrival_rate
    for _ in range(60):  # a start only: a rough fixed point is enough
        ab = erlang_a_metrics(attempts, service_rate, abandonment_rate, servers, 0.0)
        nxt = arrival_rate + retrial_probability * attempts * ab.p_abandon
        if abs(nxt - attempts) <= 1e-6 * attempts:
            break
        attempts = nxt
    excess = max(0.0, attempts - servers * service_rate) / abandonment_rate
    queue = excess + 10.0 * math.sqrt(attempts / abandonment_rate + 1.0) + 20.0
    if retrial_probability == 0.0:
        return servers + math.ceil(queue), 0
    orbit = (retrial_probability * abandonment_rate
             * erlang_a_metrics(attempts, service_rate, abandonment_rate, servers,
                                0.0).mean_queue_length / retrial_rate)
    return servers + math.ceil(queue), math.ceil(orbit + 10.0 * math.sqrt(orbit + 1.0) + 20.0)


def retrial_metrics(arrival_rate: float, service_rate: float, abandonment_rate: float,
                    servers: int, retrial_probability: float, retrial_rate: float,
                    max_in_system: int | None = None,
                    max_in_orbit: int | None = None) -> RetrialMetrics:
    """Solve the truncated chain (see the module docstring).

    Args:
        arrival_rate: ``lambda``, first attempts [1/time].
        service_rate: ``mu`` per server [1/time], > 0.
        abandonment_rate: ``theta`` = 1 / mean patience [1/time], > 0.
        servers: ``N >= 1``.
        retrial_probability: ``p`` in [0, 1).
        retrial_rate: ``nu`` = 1 / mean retrial delay [1/time], > 0.
        max_in_system: the truncation of the system (>= N); with ``max_in_orbit``
            None: chosen automatically and widened until the boundary mass is below
            :data:`BOUNDARY_TOLERANCE`.
        max_in_orbit: the truncation of the orbit (>= 0).

    """
    check_rate(arrival_rate, "arrival_rate")
    check_rate(service_rate, "service_rate", positive=True)
    check_rate(abandonment_rate, "abandonment_rate", positive=True)
    check_rate(retrial_rate, "retrial_rate", positive=True)
    check_servers(servers)
    if not 0.0 <= retrial_probability < 1.0:
        raise ValueError(f"retrial_probability must be in [0, 1), got {retrial_probability}")
    fixed = max_in_system is not None and max_in_orbit is not None
    start = default_limits(arrival_rate, service_rate, abandonment_rate, servers,
                           retrial_probability, retrial_rate)
    n_max = max_in_system if max_in_system is not None else start[0]
    m_max = max_in_orbit if max_in_orbit is not None else start[1]
    if n_max < servers or m_max < 0:
        raise ValueError(f"max_in_system must be >= servers ({servers}) and max_in_orbit "
                         f">= 0, got {n_max} and {m_max}")
    while True:
        if (n_max + 1) * (m_max + 1) > MAX_STATES:
            raise ValueError(f"the truncated chain needs more than {MAX_STATES} states "
                             f"({n_max + 1} x {m_max + 1})")
        chain = _Chain(arrival_rate, service_rate, abandonment_rate, servers,
                       retrial_probability, retrial_rate, n_max, m_max)
        pi = chain.solve()
        result = chain.metrics(pi)
        if fixed or result.boundary_mass <= BOUNDARY_TOLERANCE:
            return result
        on_n_edge, on_m_edge = chain.edges(pi)  # widen only where the mass is
        if on_n_edge > BOUNDARY_TOLERANCE / 2:
            n_max = servers + math.ceil(GROWTH * (n_max - servers))
        if on_m_edge > BOUNDARY_TOLERANCE / 2:
            m_max = math.ceil(GROWTH * m_max)


class _Chain:
    """The truncated generator and what the stationary distribution gives."""

    def __init__(self, lam: float, mu: float, theta: float, servers: int, p: float,
                 nu: float, n_max: int, m_max: int) -> None:
        self.lam, self.mu, self.theta, self.servers = lam, mu, theta, servers
        self.p, self.nu, self.n_max, self.m_max = p, nu, n_max, m_max
        n, m = np.divmod(np.arange((n_max + 1) * (m_max + 1)), m_max + 1)
        self.n, self.m = n.astype(float), m.astype(float)
        self.busy = np.minimum(self.n, servers)
        self.queue = np.maximum(self.n - servers, 0.0)

    def generator(self) -> scipy.sparse.csr_matrix:
        """Q: the rates between states (index ``n (m_max + 1) + m``), rows summing to 0."""
        n, m, width = self.n, self.m, self.m_max + 1
        index = np.arange(n.size)
        up, down, orbit_full = n < self.n_max, n > 0, m >= self.m_max
        leave = self.theta * self.queue
        moves = [  # (from-mask, rate, index step)
            (up, np.full(n.size, self.lam), width),
            (down, self.mu * self.busy, -width),
            (~orbit_full, leave * self.p, -width + 1),
            (np.ones(n.size, bool), leave * np.where(orbit_full, 1.0, 1.0 - self.p), -width),
            (up & (m > 0), self.nu * m, width - 1),
        ]
        rows, cols, vals = [], [], []
        for mask, rate, step in moves:
            keep = mask & (rate > 0.0)
            rows.append(index[keep])
            cols.append(index[keep] + step)
            vals.append(rate[keep])
        r, c, v = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
        q = scipy.sparse.coo_matrix((v, (r, c)), shape=(n.size, n.size)).tocsr()
        return (q - scipy.sparse.diags(np.asarray(q.sum(axis=1)).ravel())).tocsr()

    def solve(self) -> FloatArray:
        """The stationary distribution: ``pi Q = 0`` with the last equation replaced by
        ``sum pi = 1``."""
        a = self.generator().T.tolil()
        a[-1, :] = np.ones(a.shape[1])
        b = np.zeros(a.shape[0])
        b[-1] = 1.0
        pi: FloatArray = np.maximum(
            np.asarray(scipy.sparse.linalg.spsolve(a.tocsc(), b), dtype=float), 0.0)
        total = float(pi.sum())
        return pi / total

    def edges(self, pi: FloatArray) -> tuple[float, float]:
        """Probability of ``n = max_in_system`` and of ``m = max_in_orbit`` (0 without an
        orbit)."""
        on_m = float(pi[self.m >= self.m_max].sum()) if self.m_max else 0.0
        return float(pi[self.n >= self.n_max].sum()), on_m

    def metrics(self, pi: FloatArray) -> RetrialMetrics:
        """The steady-state metrics of ``pi``."""
        n, m, servers = self.n, self.m, self.servers
        accepted = n < self.n_max
        waits = accepted & (n >= servers)
        queue = float(pi @ self.queue)
        orbit = float(pi @ m)
        attempts = (self.lam * float(pi[accepted].sum())
                    + self.nu * float(pi[accepted] @ m[accepted]))
        waited = self.lam * float(pi[waits].sum()) + self.nu * float(pi[waits] @ m[waits])
        full = m >= self.m_max
        abandon = self.theta * queue
        final = self.theta * ((1.0 - self.p) * queue + self.p * float(pi[full] @ self.queue[full]))
        busy = float(pi @ self.busy)
        boundary = float(pi[(n >= self.n_max) | (full & (self.m_max > 0))].sum())
        return RetrialMetrics(
            p_abandon=abandon / attempts if attempts else 0.0,
            p_wait=waited / attempts if attempts else 0.0,
            mean_wait=queue / attempts if attempts else 0.0,
            mean_queue_length=queue, mean_orbit=orbit, attempt_rate=attempts,
            retrial_rate=self.nu * orbit, abandon_rate=abandon, final_abandon_rate=final,
            throughput=self.mu * busy, utilization=busy / servers, boundary_mass=boundary,
            max_in_system=self.n_max, max_in_orbit=self.m_max)
