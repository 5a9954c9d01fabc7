"""Exact queueing oracle: Erlang-B, Erlang-C, Erlang-A and M/M/N+M with balking.

Everything here is unit-agnostic: rates are "per unit time" and waits come back in that
same unit.  If you pass rates per minute, ``mean_wait`` is in minutes and ``target_wait``
must be in minutes too.  The CLI (``countersim theory``) does the seconds/hours conversion.

Models
------
* ``erlang_b`` / ``erlang_c`` - blocking and waiting probabilities of M/M/N/N and M/M/N.
* ``erlang_c_metrics`` - M/M/N (infinite patience), closed form.
* ``erlang_a_metrics`` - M/M/N+M (exponential patience), closed form of Garnett, Mandelbaum
  and Reiman (2002).
* ``birth_death_metrics`` - M/M/N+M with state-dependent joining (balking), solved exactly
  by the product form of the birth-death chain, truncated where the tail is negligible.
* ``stationary_distribution_dense`` - a deliberately naive independent solver (dense
  generator + linear solve) used by the tests to cross-check the product form.

Service level
-------------
An arriving customer who joins and finds ``j >= 0`` customers waiting ahead (all ``N``
servers busy) moves up at rate ``N mu + k theta`` while ``k`` are ahead, enters service
at rate ``N mu`` when ``k = 0``, and abandons itself at rate ``theta`` throughout.
``P(served within t | j ahead)`` is an absorption probability of that transient chain.
``service_level_given_state`` computes it for all ``j`` at once, either with
``scipy.linalg.expm`` of the augmented generator (small state spaces) or with the
equivalent closed form (large state spaces)::

    P(served within t | j ahead) = x / (x + j + 1) * I_{1 - exp(-theta t)}(j + 1, x + 1)

where ``x = N mu / theta`` and ``I`` is the regularised incomplete beta function.  (The
customer's own patience turns each stage ``Exp(N mu + k theta)`` into an
``Exp(N mu + (k+1) theta)`` stage with a survival factor ``(x+k)/(x+k+1)``; a sum of
exponentials with rates ``theta (x + i)``, ``i = 1..j+1``, is ``-log(B)/theta`` with
``B ~ Beta(x+1, j+1)``.)  With ``theta = 0`` it is the Erlang CDF
``P(Gamma(j+1, N mu) <= t)``.  Both forms are exact; no state cap is needed because the
chain only moves downwards, so the chain started from ``j`` never leaves ``{0..j}``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import scipy.linalg
import scipy.special

FloatArray = npt.NDArray[np.float64]

__all__ = [
    "QueueMetrics",
    "birth_death_metrics",
    "erlang_a_metrics",
    "erlang_b",
    "erlang_c",
    "erlang_c_metrics",
    "min_servers_erlang_a",
    "service_level_given_state",
    "stationary_distribution_dense",
]

#: Relative mass allowed in the discarded tail of a truncated infinite chain or series.
TAIL_TOLERANCE = 1e-14
#: Above this many transient states ``service_level_given_state(method="auto")`` switches
#: from ``expm`` (O(n^3)) to the exact closed form (O(n)).
EXPM_MAX_STATES = 150
#: Hard limit on the length of any truncated chain/series (guards against runaway loops).
MAX_STATES = 5_000_000

#: With no abandonment and ``lambda >= N mu`` only balking can stabilise the chain; give up
#: (``ValueError``) if the tail has not become negligible by this many waiting customers.
MAX_UNBOUNDED_QUEUE = 100_000

_LOG_TAIL_TOLERANCE = math.log(TAIL_TOLERANCE)


@dataclass(frozen=True)
class QueueMetrics:
    """Steady-state performance of a multi-server queue.

    Times are in the time unit of the rates that produced the metrics.

    Attributes:
        p_wait: P(wait > 0) among customers who join (without balking: all arrivals).
        p_abandon: P(abandon) among customers who join.
        p_balk: Fraction of arrivals that balk (do not join); 0 without balking.
        mean_wait: E[time in queue] over joiners, served and abandoned alike [time].
        mean_queue_length: Time-average number waiting, not counting those in service.
        utilization: Time-average number of busy servers divided by the number of servers.
        service_level: P(a joiner starts service within ``target_wait``), i.e. is served
            (does not abandon) and waits at most ``target_wait``.
        target_wait: The service-level threshold [time].
    """

    p_wait: float
    p_abandon: float
    p_balk: float
    mean_wait: float
    mean_queue_length: float
    utilization: float
    service_level: float
    target_wait: float


# ----------------------------------------------------------------------------- validation


def _check_servers(servers: int, name: str = "servers") -> None:
    if isinstance(servers, bool) or not isinstance(servers, int | np.integer) or servers < 1:
        raise ValueError(f"{name} = {servers!r}: must be a whole number >= 1")


def _check_rate(value: float, name: str, *, positive: bool = False) -> None:
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        need = "> 0" if positive else ">= 0"
        raise ValueError(f"{name} = {value!r}: must be a finite number {need}")


def _check_target(target_wait: float) -> None:
    if not math.isfinite(target_wait) or target_wait < 0:
        raise ValueError(f"target_wait = {target_wait!r}: must be a finite number >= 0")


# ------------------------------------------------------------------------------ Erlang B/C


def erlang_b(servers: int, offered_load: float) -> float:
    """Erlang-B blocking probability of M/M/N/N.

    Args:
        servers: Number of servers ``N >= 0``.
        offered_load: ``a = lambda / mu`` in Erlangs (dimensionless), ``>= 0``.

    Returns:
        ``B(N, a)`` from the stable recursion ``B(n) = a B(n-1) / (n + a B(n-1))``,
        ``B(0) = 1``.
    """
    if isinstance(servers, bool) or not isinstance(servers, int | np.integer) or servers < 0:
        raise ValueError(f"servers = {servers!r}: must be a whole number >= 0")
    _check_rate(offered_load, "offered_load")
    b = 1.0
    for n in range(1, int(servers) + 1):
        b = offered_load * b / (n + offered_load * b)
    return b


def erlang_c(servers: int, offered_load: float) -> float:
    """Erlang-C probability of waiting, P(W > 0), of M/M/N.

    Args:
        servers: Number of servers ``N >= 1``.
        offered_load: ``a = lambda / mu`` in Erlangs; must be ``< N``.

    Returns:
        ``C = N B / (N - a (1 - B))`` with ``B = erlang_b(N, a)``.

    Raises:
        ValueError: If ``a >= N`` (the queue is unstable).
    """
    _check_servers(servers)
    _check_rate(offered_load, "offered_load")
    if offered_load >= servers:
        raise ValueError(
            f"offered_load = {offered_load!r} >= servers = {servers}: "
            "Erlang-C needs a < N (utilisation < 1)"
        )
    b = erlang_b(servers, offered_load)
    return servers * b / (servers - offered_load * (1.0 - b))


def erlang_c_metrics(
    arrival_rate: float, service_rate: float, servers: int, target_wait: float
) -> QueueMetrics:
    """Closed-form metrics of M/M/N (no abandonment, no balking).

    Args:
        arrival_rate: ``lambda`` [1/time].
        service_rate: ``mu`` per server [1/time].
        servers: ``N >= 1``.
        target_wait: Service-level threshold [time].

    Returns:
        ``QueueMetrics`` with ``mean_wait = C / (N mu - lambda)``,
        ``service_level = 1 - C exp(-(N mu - lambda) t)``, ``p_abandon = 0``.

    Raises:
        ValueError: For bad inputs or ``rho = lambda / (N mu) >= 1``.
    """
    _check_rate(arrival_rate, "arrival_rate")
    _check_rate(service_rate, "service_rate", positive=True)
    _check_servers(servers)
    _check_target(target_wait)
    load = arrival_rate / service_rate
    if load >= servers:
        raise ValueError(
            f"utilisation rho = {load / servers:.6g} >= 1 with no abandonment: "
            "the queue is unstable (Erlang-C needs rho < 1)"
        )
    c = erlang_c(servers, load)
    gap = servers * service_rate - arrival_rate
    mean_wait = c / gap
    return QueueMetrics(
        p_wait=c,
        p_abandon=0.0,
        p_balk=0.0,
        mean_wait=mean_wait,
        mean_queue_length=arrival_rate * mean_wait,
        utilization=load / servers,
        service_level=1.0 - c * math.exp(-gap * target_wait),
        target_wait=target_wait,
    )


# ---------------------------------------------------------------- service level (absorption)


def service_level_given_state(
    service_rate: float,
    abandonment_rate: float,
    servers: int,
    target_wait: float,
    max_ahead: int,
    *,
    method: Literal["auto", "expm", "closed"] = "auto",
) -> FloatArray:
    """P(a waiting customer enters service within ``target_wait`` | ``j`` waiting ahead).

    The customer found all ``servers`` busy and ``j`` customers waiting ahead of it.  While
    ``k`` are ahead it moves up at rate ``N mu + k theta``; at ``k = 0`` it enters service at
    rate ``N mu``; it abandons at rate ``theta`` at all times.

    Args:
        service_rate: ``mu`` per server [1/time].
        abandonment_rate: ``theta`` = 1 / mean patience [1/time]; 0 for infinite patience.
        servers: ``N >= 1``.
        target_wait: ``t`` [time].
        max_ahead: Largest ``j`` wanted; the result has ``max_ahead + 1`` entries.
        method: ``"expm"`` builds the augmented generator ``[[Q, r], [0, 0]]`` and takes
            the top-right block of ``expm(M t)`` (``= int_0^t e^{Qs} ds r``); ``"closed"``
            uses the equivalent incomplete-beta closed form (module docstring); ``"auto"``
            uses ``expm`` up to ``EXPM_MAX_STATES`` states and the closed form beyond.

    Returns:
        Array ``f`` with ``f[j] = P(served within t | j ahead)``, ``j = 0..max_ahead``.
    """
    _check_rate(service_rate, "service_rate", positive=True)
    _check_rate(abandonment_rate, "abandonment_rate")
    _check_servers(servers)
    _check_target(target_wait)
    if max_ahead < 0:
        raise ValueError(f"max_ahead = {max_ahead!r}: must be >= 0")
    size = int(max_ahead) + 1
    if method == "auto":
        method = "expm" if size <= EXPM_MAX_STATES else "closed"
    if target_wait == 0:
        return np.zeros(size)
    full_rate = servers * service_rate
    if method == "expm":
        ks = np.arange(size, dtype=float)
        m = np.zeros((size + 1, size + 1))
        m[np.arange(size), np.arange(size)] = -(full_rate + (ks + 1.0) * abandonment_rate)
        m[np.arange(1, size), np.arange(size - 1)] = full_rate + ks[1:] * abandonment_rate
        m[0, size] = full_rate
        out = scipy.linalg.expm(m * target_wait)[:size, size]
        return np.asarray(np.clip(out, 0.0, 1.0), dtype=np.float64)
    if method != "closed":
        raise ValueError(f"method = {method!r}: must be 'auto', 'expm' or 'closed'")
    stages = np.arange(1, size + 1, dtype=float)  # j + 1 stages to get into service
    if abandonment_rate == 0:
        out = scipy.special.gammainc(stages, full_rate * target_wait)
    else:
        x = full_rate / abandonment_rate
        u = -math.expm1(-abandonment_rate * target_wait)
        out = x / (x + stages) * scipy.special.betainc(stages, x + 1.0, u)
    return np.asarray(np.clip(out, 0.0, 1.0), dtype=np.float64)


# -------------------------------------------------------------------------------- Erlang-A


def _erlang_a_log_terms(x: float, y: float) -> FloatArray:
    """``log t_j`` for ``t_j = y^j / prod_{k=1..j} (x + k)``, ``j = 0..J``.

    ``J`` is the first index past the peak at which the geometric bound on the remaining
    tail, ``t_J r / (1 - r)`` with ``r = y / (x + J + 1)``, is below ``TAIL_TOLERANCE``
    times the running sum.  Terms are accumulated in log space (no overflow).
    """
    log_y = math.log(y)
    chunks: list[FloatArray] = [np.zeros(1)]
    last = 0.0
    log_sum = 0.0
    j0 = 0
    size = 1024
    while True:
        ks = np.arange(j0 + 1, j0 + size + 1, dtype=float)
        logs = last + np.cumsum(log_y - np.log(x + ks))
        chunks.append(logs)
        last = float(logs[-1])
        j0 += size
        log_sum = float(np.logaddexp(log_sum, scipy.special.logsumexp(logs)))
        ratio = y / (x + j0 + 1)
        if ratio < 1 and last + math.log(ratio / (1 - ratio)) < log_sum + _LOG_TAIL_TOLERANCE:
            break
        if j0 > MAX_STATES:
            raise ValueError(
                f"Erlang-A series needs more than {MAX_STATES} terms "
                f"(N mu / theta = {x:.6g}, lambda / theta = {y:.6g}); "
                "abandonment rate too small for an overloaded queue"
            )
        size = min(2 * size, 1 << 20)
    return np.concatenate(chunks)


def erlang_a_metrics(
    arrival_rate: float,
    service_rate: float,
    abandonment_rate: float,
    servers: int,
    target_wait: float,
) -> QueueMetrics:
    """Closed-form metrics of M/M/N+M (Erlang-A; Garnett, Mandelbaum & Reiman 2002).

    With ``x = N mu / theta``, ``y = lambda / theta`` and
    ``A = sum_{j>=0} y^j / prod_{k=1..j} (x + k)``::

        pi_N = B / (1 + (A - 1) B),  B = erlang_b(N, lambda / mu)
        P(W > 0) = A pi_N
        P(Ab | W > 0) = 1 / (rho A) + 1 - 1 / rho     (rho = lambda / (N mu))
        P(Ab) = P(W > 0) P(Ab | W > 0),  E[W] = P(Ab) / theta,  E[Q] = lambda E[W]

    ``P(Ab | W > 0)`` is evaluated in the algebraically identical, cancellation-free form
    ``sum_j j t_j / (y A)`` (the two are equal because ``t_{j+1} (x + j + 1) = y t_j``).
    ``theta = 0`` delegates to ``erlang_c_metrics``.

    Args:
        arrival_rate: ``lambda`` [1/time].
        service_rate: ``mu`` per server [1/time].
        abandonment_rate: ``theta`` = 1 / mean patience [1/time].
        servers: ``N >= 1``.
        target_wait: Service-level threshold [time].
    """
    _check_rate(arrival_rate, "arrival_rate")
    _check_rate(service_rate, "service_rate", positive=True)
    _check_rate(abandonment_rate, "abandonment_rate")
    _check_servers(servers)
    _check_target(target_wait)
    if abandonment_rate == 0:
        return erlang_c_metrics(arrival_rate, service_rate, servers, target_wait)
    if arrival_rate == 0:
        return QueueMetrics(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, target_wait)
    x = servers * service_rate / abandonment_rate
    y = arrival_rate / abandonment_rate
    log_t = _erlang_a_log_terms(x, y)
    log_a = float(scipy.special.logsumexp(log_t))
    weights = np.exp(log_t - log_a)  # P(j waiting ahead | all servers busy)
    mean_ahead = float(np.dot(np.arange(log_t.size, dtype=float), weights))

    b = erlang_b(servers, arrival_rate / service_rate)
    # P(W>0) = A B / (1 + (A-1) B) = 1 / (1 + (1-B) / (A B)), overflow-free.
    p_wait = 0.0
    if b > 0.0:
        p_wait = 1.0 / (1.0 + math.exp(math.log1p(-b) - log_a - math.log(b)))
    p_ab_given_wait = mean_ahead / y
    p_abandon = p_wait * p_ab_given_wait
    mean_wait = p_abandon / abandonment_rate

    f = service_level_given_state(
        service_rate, abandonment_rate, servers, target_wait, log_t.size - 1
    )
    service_level = (1.0 - p_wait) + p_wait * float(np.dot(weights, f))
    return QueueMetrics(
        p_wait=p_wait,
        p_abandon=p_abandon,
        p_balk=0.0,
        mean_wait=mean_wait,
        mean_queue_length=arrival_rate * mean_wait,
        utilization=min(1.0, arrival_rate * (1.0 - p_abandon) / (servers * service_rate)),
        service_level=service_level,
        target_wait=target_wait,
    )


# ------------------------------------------------------------------- birth-death (balking)


def _always_join(queue_length: int) -> float:
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
    _check_rate(arrival_rate, "arrival_rate")
    _check_rate(service_rate, "service_rate", positive=True)
    _check_rate(abandonment_rate, "abandonment_rate")
    _check_servers(servers)
    _check_target(target_wait)
    if max_queue is not None and (isinstance(max_queue, bool) or max_queue < 0):
        raise ValueError(f"max_queue = {max_queue!r}: must be a whole number >= 0")

    n_srv = int(servers)
    join: list[float] = []  # p(q_n) for each state n in the chain
    log_pi: list[float] = [0.0]
    log_total = 0.0
    recent: list[float] = []
    n = 0
    while True:
        q = max(0, n - n_srv)
        if max_queue is not None and n >= n_srv + max_queue:
            join.append(0.0)  # waiting room full: arrival is turned away
            break
        p = _join_prob(join_probability, q)
        join.append(p)
        birth = arrival_rate * p
        if birth == 0.0:
            break  # no state beyond n is reachable
        death_next = min(n + 1, n_srv) * service_rate + max(0, n + 1 - n_srv) * abandonment_rate
        ratio = birth / death_next
        log_pi.append(log_pi[-1] + math.log(ratio))
        log_total = float(np.logaddexp(log_total, log_pi[-1]))
        n += 1
        if max_queue is not None:
            continue
        if n >= MAX_STATES:
            raise ValueError(
                f"birth-death chain did not converge within {MAX_STATES} states: "
                "the queue looks unstable (no abandonment and not enough balking)"
            )
        if n < n_srv:
            continue
        q = n - n_srv
        bound = arrival_rate / (n_srv * service_rate + (q + 1) * abandonment_rate)
        if bound >= 1.0:
            if q > MAX_UNBOUNDED_QUEUE:
                raise ValueError(
                    f"birth-death chain not converged at {q} waiting: the queue looks "
                    "unstable (no abandonment, arrivals >= service capacity, too little balking)"
                )
            recent.append(ratio)
            if len(recent) < 64:
                continue
            recent = recent[-64:]
            bound = max(recent)
            if bound >= 1.0:
                continue
        if log_pi[-1] + math.log(bound / (1.0 - bound)) < log_total + _LOG_TAIL_TOLERANCE:
            join.append(_join_prob(join_probability, q))
            break

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


# -------------------------------------------------------------------------------- staffing


def min_servers_erlang_a(
    arrival_rate: float,
    service_rate: float,
    abandonment_rate: float,
    target_wait: float,
    *,
    max_p_abandon: float | None = None,
    min_service_level: float | None = None,
    max_servers: int = 10000,
) -> int:
    """Fewest servers for which Erlang-A meets every given target (a quick staffing estimate).

    Searches upwards from a necessary lower bound: ``P(Ab) <= eps`` needs
    ``N mu > lambda (1 - eps)`` and ``SL >= s`` needs ``N mu >= s lambda`` (only served
    customers count towards the service level); with ``theta = 0`` also ``N > lambda / mu``.

    Args:
        arrival_rate: ``lambda`` [1/time].
        service_rate: ``mu`` per server [1/time].
        abandonment_rate: ``theta`` [1/time]; 0 means Erlang-C.
        target_wait: Service-level threshold [time].
        max_p_abandon: Largest acceptable P(abandon), in ``[0, 1]``.
        min_service_level: Smallest acceptable service level, in ``[0, 1]``.
        max_servers: Give up (``ValueError``) above this many servers.
    """
    _check_rate(arrival_rate, "arrival_rate")
    _check_rate(service_rate, "service_rate", positive=True)
    _check_rate(abandonment_rate, "abandonment_rate")
    _check_target(target_wait)
    _check_servers(max_servers, "max_servers")
    if max_p_abandon is None and min_service_level is None:
        raise ValueError("give max_p_abandon and/or min_service_level")
    for name, val in (("max_p_abandon", max_p_abandon), ("min_service_level", min_service_level)):
        if val is not None and not (0.0 <= val <= 1.0):
            raise ValueError(f"{name} = {val!r}: must be a probability in [0, 1]")
    load = arrival_rate / service_rate
    lower = 1
    if max_p_abandon is not None:
        lower = max(lower, math.floor(load * (1.0 - max_p_abandon)))
    if min_service_level is not None:
        lower = max(lower, math.floor(load * min_service_level))
    if abandonment_rate == 0:
        lower = max(lower, math.floor(load) + 1)
    for n in range(lower, max_servers + 1):
        m = erlang_a_metrics(arrival_rate, service_rate, abandonment_rate, n, target_wait)
        if max_p_abandon is not None and m.p_abandon > max_p_abandon:
            continue
        if min_service_level is not None and m.service_level < min_service_level:
            continue
        return n
    raise ValueError(f"targets not met with max_servers = {max_servers} servers")
