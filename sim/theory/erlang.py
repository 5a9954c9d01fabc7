"""Erlang-B, Erlang-C and Erlang-A (M/M/N+M) in closed form (rates in any one time unit)."""

from __future__ import annotations

import math

import numpy as np
import scipy.special

from sim.theory.common import (
    LOG_TAIL_TOLERANCE,
    MAX_STATES,
    FloatArray,
    QueueMetrics,
    SeriesTooLong,
    check_rate,
    check_servers,
    check_target,
)
from sim.theory.service_level import service_level_given_state


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
    check_rate(offered_load, "offered_load")
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
    check_servers(servers)
    check_rate(offered_load, "offered_load")
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
    check_rate(arrival_rate, "arrival_rate")
    check_rate(service_rate, "service_rate", positive=True)
    check_servers(servers)
    check_target(target_wait)
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
        if ratio < 1 and last + math.log(ratio / (1 - ratio)) < log_sum + LOG_TAIL_TOLERANCE:
            break
        if j0 > MAX_STATES:
            raise SeriesTooLong(x, y)
        size = min(2 * size, 1 << 20)
    return np.concatenate(chunks)


def _p_wait(b: float, log_a: float) -> float:
    """``P(W > 0) = A B / (1 + (A - 1) B)``, the logistic of ``log A + log B - log(1 - B)``
    evaluated without overflow (B may be 0 or 1 in floating point)."""
    if b <= 0.0:
        return 0.0
    if b >= 1.0:
        return 1.0
    z = log_a + math.log(b) - math.log1p(-b)
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


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
    check_rate(arrival_rate, "arrival_rate")
    check_rate(service_rate, "service_rate", positive=True)
    check_rate(abandonment_rate, "abandonment_rate")
    check_servers(servers)
    check_target(target_wait)
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
    p_wait = _p_wait(b, log_a)
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
