"""M/M/N+M with state-dependent joining (balking), exact via the birth-death product form."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.special

from sim.theory.common import (
    LOG_TAIL_TOLERANCE,
    MAX_STATES,
    MAX_UNBOUNDED_QUEUE,
    FloatArray,
    QueueMetrics,
    check_rate,
    check_servers,
    check_target,
)
from sim.theory.service_level import service_level_given_state


def _always_join(queue_length: int) -> float:
    """Everybody joins (no balking)."""
    return 1.0


def _join_prob(join_probability: Callable[[int], float], queue_length: int) -> float:
    p = float(join_probability(queue_length))
    if not (0.0 <= p <= 1.0):
        raise ValueError(
            f"join_probability({queue_length}) = {p!r}: must be a probability in [0, 1]"
        )
    return p


def birth_death_metrics(
    arrival_rate: float,
    service_rate: float,
    abandonment_rate: float,
    servers: int,
    target_wait: float,
    join_probability: Callable[[int], float] = _always_join,
    max_queue: int | None = None,
) -> QueueMetrics:
    """Exact M/M/N+M with state-dependent joining, via the birth-death product form.

    State ``n`` = customers in the system; ``q_n = max(0, n - N)`` are visibly waiting.
    Birth rate ``lambda p(q_n)`` (``p = join_probability``), death rate
    ``min(n, N) mu + max(0, n - N) theta``.  Stationary probabilities come from the
    product form, accumulated in log space (no overflow for hundreds of servers).

    Truncation: with ``max_queue=None`` the chain is grown until the remaining tail is
    provably below ``TAIL_TOLERANCE`` of the total mass: for ``n >= N`` every later
    birth/death ratio is at most ``r = lambda / (N mu + (q_n + 1) theta)`` (because
    ``p <= 1``), so the tail is at most ``pi_n r / (1 - r)``.  When that bound is useless
    (``theta = 0`` and ``lambda >= N mu``, stable only thanks to balking) the largest actual
    ratio over the last 64 states is used instead (a heuristic), and the chain is declared
    unstable (``ValueError``) beyond ``MAX_UNBOUNDED_QUEUE`` waiting.  A given ``max_queue``
    models a finite waiting room: an arrival that finds ``max_queue`` waiting is turned
    away and counted in ``p_balk``.

    Metrics (PASTA + Little): ``p_balk = sum pi_n (1 - p(q_n))``; joiner rate
    ``lambda_J = lambda (1 - p_balk)``; ``mean_wait = E[Q] / lambda_J``;
    ``p_abandon = theta E[Q] / lambda_J``; ``p_wait = sum_{n>=N} pi_n p(q_n) / (1 - p_balk)``;
    service level weighted by the joiners' arrival-state distribution ``pi_n p(q_n)``.

    Args:
        arrival_rate: ``lambda`` [1/time].
        service_rate: ``mu`` per server [1/time].
        abandonment_rate: ``theta`` [1/time]; 0 for infinite patience.
        servers: ``N >= 1``.
        target_wait: Service-level threshold [time].
        join_probability: ``p(q)``: probability that an arrival who sees ``q`` waiting
            joins; values must lie in ``[0, 1]``.
        max_queue: Waiting-room size, or ``None`` for automatic truncation.

    """
    check_rate(arrival_rate, "arrival_rate")
    check_rate(service_rate, "service_rate", positive=True)
    check_rate(abandonment_rate, "abandonment_rate")
    check_servers(servers)
    check_target(target_wait)
    if max_queue is not None and (isinstance(max_queue, bool) or max_queue < 0):
        raise ValueError(f"max_queue = {max_queue!r}: must be a whole number >= 0")

    n_srv = int(servers)
    chain = _Chain(arrival_rate, service_rate, abandonment_rate, n_srv, join_probability)
    log_pi, join = chain.grow(max_queue)
    lp = np.asarray(log_pi)
    pi = np.exp(lp - scipy.special.logsumexp(lp))
    return _metrics_from_distribution(
        pi,
        np.asarray(join),
        arrival_rate,
        service_rate,
        abandonment_rate,
        n_srv,
        target_wait,
    )


@dataclass
class _Chain:
    """The birth-death chain of :func:`birth_death_metrics`, grown state by state."""

    arrival_rate: float
    service_rate: float
    abandonment_rate: float
    servers: int
    join_probability: Callable[[int], float]
    recent: list[float] = field(default_factory=list)  # last ratios, for the heuristic bound

    def grow(self, max_queue: int | None) -> tuple[list[float], list[float]]:
        """``log pi_n`` (unnormalised) and ``p(q_n)`` for ``n = 0..K``, ``K`` where the
        tail is negligible (or the waiting room ``max_queue`` is full)."""
        n_srv = self.servers
        join: list[float] = []  # p(q_n) for each state n in the chain
        log_pi: list[float] = [0.0]
        log_total = 0.0
        n = 0
        while True:
            q = max(0, n - n_srv)
            if max_queue is not None and n >= n_srv + max_queue:
                join.append(0.0)  # waiting room full: arrival is turned away
                break
            p = _join_prob(self.join_probability, q)
            join.append(p)
            birth = self.arrival_rate * p
            if birth == 0.0:
                break  # no state beyond n is reachable
            death_next = (min(n + 1, n_srv) * self.service_rate
                          + max(0, n + 1 - n_srv) * self.abandonment_rate)
            ratio = birth / death_next
            log_pi.append(log_pi[-1] + math.log(ratio))
            log_total = float(np.logaddexp(log_total, log_pi[-1]))
            n += 1
            if max_queue is None and self._tail_negligible(n, ratio, log_pi[-1], log_total):
                join.append(_join_prob(self.join_probability, n - n_srv))
                break
        return log_pi, join

    def _tail_negligible(self, n: int, ratio: float, log_pi_n: float, log_total: float) -> bool:
        """True when the mass beyond state ``n`` is below ``TAIL_TOLERANCE`` of the total.

        ``ratio`` is the last birth/death ratio, ``log_pi_n`` the log mass of state ``n``
        and ``log_total`` that of states ``0..n``.
        """
        if n >= MAX_STATES:
            raise ValueError(
                f"birth-death chain did not converge within {MAX_STATES} states: "
                "the queue looks unstable (no abandonment and not enough balking)"
            )
        if n < self.servers:
            return False
        q = n - self.servers
        bound = self.arrival_rate / (self.servers * self.service_rate
                                     + (q + 1) * self.abandonment_rate)
        if bound >= 1.0:
            if q > MAX_UNBOUNDED_QUEUE:
                raise ValueError(
                    f"birth-death chain not converged at {q} waiting: the queue looks "
                    "unstable (no abandonment, arrivals >= service capacity, too little balking)"
                )
            self.recent.append(ratio)
            if len(self.recent) < 64:
                return False
            del self.recent[:-64]
            bound = max(self.recent)
            if bound >= 1.0:
                return False
        return log_pi_n + math.log(bound / (1.0 - bound)) < log_total + LOG_TAIL_TOLERANCE


def _metrics_from_distribution(
    pi: FloatArray,
    join: FloatArray,
    arrival_rate: float,
    service_rate: float,
    abandonment_rate: float,
    servers: int,
    target_wait: float,
) -> QueueMetrics:
    """Turn ``pi_n`` and ``p(q_n)`` (``n = 0..K``) into ``QueueMetrics``."""
    states = np.arange(pi.size)
    waiting = np.maximum(states - servers, 0).astype(float)
    busy = np.minimum(states, servers).astype(float)
    mean_queue = float(np.dot(pi, waiting))
    utilization = float(np.dot(pi, busy)) / servers
    joining = pi * join  # arrival-state distribution of joiners, unnormalised
    p_join = float(joining.sum())
    p_balk = float(np.dot(pi, 1.0 - join))
    if arrival_rate == 0.0 or p_join == 0.0:
        return QueueMetrics(0.0, 0.0, p_balk, 0.0, mean_queue, utilization, 1.0, target_wait)
    joiner_rate = arrival_rate * p_join
    waiting_joins = joining[servers:]
    p_wait = float(waiting_joins.sum()) / p_join
    if waiting_joins.size:
        f = service_level_given_state(
            service_rate, abandonment_rate, servers, target_wait, waiting_joins.size - 1
        )
        served_in_time = float(joining[:servers].sum()) + float(np.dot(waiting_joins, f))
    else:
        served_in_time = p_join
    return QueueMetrics(
        p_wait=p_wait,
        p_abandon=abandonment_rate * mean_queue / joiner_rate,
        p_balk=p_balk,
        mean_wait=mean_queue / joiner_rate,
        mean_queue_length=mean_queue,
        utilization=utilization,
        service_level=served_in_time / p_join,
        target_wait=target_wait,
    )


def stationary_distribution_dense(
    arrival_rates: Sequence[float], death_rates: Sequence[float]
) -> FloatArray:
    """Stationary distribution of a finite birth-death chain by a dense linear solve.

    An independent check on the product form: builds the full generator ``Q`` and solves
    ``pi Q = 0``, ``sum(pi) = 1`` (one balance equation replaced by the normalisation).

    Args:
        arrival_rates: ``arrival_rates[n]`` is the rate ``n -> n + 1``, ``n = 0..K-1``.
        death_rates: ``death_rates[n]`` is the rate ``n + 1 -> n``, ``n = 0..K-1``.

    Returns:
        ``pi`` with ``K + 1`` entries (states ``0..K``).

    """
    up = np.asarray(arrival_rates, dtype=float)
    down = np.asarray(death_rates, dtype=float)
    if up.shape != down.shape or up.ndim != 1:
        raise ValueError("arrival_rates and death_rates must be 1-D and of equal length")
    k = up.size
    gen = np.zeros((k + 1, k + 1))
    idx = np.arange(k)
    gen[idx, idx + 1] = up
    gen[idx + 1, idx] = down
    gen[np.arange(k + 1), np.arange(k + 1)] = -gen.sum(axis=1)
    system = gen.T.copy()
    system[-1, :] = 1.0
    rhs = np.zeros(k + 1)
    rhs[-1] = 1.0
    pi = np.linalg.solve(system, rhs)
    return np.asarray(pi, dtype=np.float64)
