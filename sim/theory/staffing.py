"""Quick staffing estimate: the fewest servers for which Erlang-A meets the targets."""

from __future__ import annotations

import math
from collections.abc import Callable

from sim.theory.common import SeriesTooLong, check_rate, check_servers, check_target
from sim.theory.erlang import erlang_a_metrics


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

    Searches upwards from a necessary lower bound (:func:`first_meeting`: doubling steps,
    then bisection; the metrics improve with every server added): ``P(Ab) <= eps`` needs
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

    A server count too overloaded for the exact sum (:class:`SeriesTooLong`: fewer servers
    than the offered load or just as many, millions waiting) counts as not meeting the
    targets.

    """
    check_rate(arrival_rate, "arrival_rate")
    check_rate(service_rate, "service_rate", positive=True)
    check_rate(abandonment_rate, "abandonment_rate")
    check_target(target_wait)
    check_servers(max_servers, "max_servers")
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

    def meets(n: int) -> bool:
        try:
            m = erlang_a_metrics(arrival_rate, service_rate, abandonment_rate, n, target_wait)
        except SeriesTooLong:  # overloaded, millions waiting: not a staffing answer
            if n * service_rate <= arrival_rate:
                return False
            raise
        return not ((max_p_abandon is not None and m.p_abandon > max_p_abandon)
                    or (min_service_level is not None and m.service_level < min_service_level))

    if lower > max_servers:
        raise ValueError(f"targets not met with max_servers = {max_servers} servers")
    return first_meeting(meets, lower, max_servers)


def first_meeting(meets: Callable[[int], bool], lower: int, upper: int) -> int:
    """The smallest ``n`` in ``[lower, upper]`` with ``meets(n)``, for a ``meets`` that stays
    true once true (P(abandon) falls and the service level rises with every server added):
    steps of 1, 2, 4, ... up from ``lower`` until it holds, then bisection, so about
    ``2 log2(n - lower)`` evaluations instead of ``n - lower``. ``ValueError`` if not even
    ``upper`` meets it."""
    below, n, step = lower - 1, lower, 1
    while not meets(n):
        if n >= upper:
            raise ValueError(f"targets not met with max_servers = {upper} servers")
        below, n, step = n, min(upper, n + step), 2 * step
    while n - below > 1:
        mid = (below + n) // 2
        below, n = (below, mid) if meets(mid) else (mid, n)
    return n
