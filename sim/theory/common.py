"""Shared parts of the queueing oracle: the result type, tolerances and argument checks."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

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

LOG_TAIL_TOLERANCE = math.log(TAIL_TOLERANCE)


class SeriesTooLong(ValueError):
    """The Erlang-A series needs more than :data:`MAX_STATES` terms.

    Its terms peak near ``j = y - x`` (``y = lambda / theta``, ``x = N mu / theta``): in an
    overloaded queue about ``(lambda - N mu) / theta`` customers wait (about ``sqrt(y)``
    at critical load), and the series has a term for each. So the limit is on that number
    (arrivals the servers cannot handle times the mean patience), not on the abandonment
    rate alone. ``waiting`` is that estimate.
    """

    def __init__(self, x: float, y: float) -> None:
        self.x, self.y = x, y
        self.waiting = max(y - x, math.sqrt(y))
        super().__init__(
            f"Erlang-A series needs more than {MAX_STATES} terms: about {self.waiting:.3g} "
            f"customers would wait ((lambda - N mu) / theta, with lambda / theta = {y:.6g} "
            f"and N mu / theta = {x:.6g}); the exact sum handles up to about {MAX_STATES}")


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


def check_servers(servers: int, name: str = "servers") -> None:
    """ValueError unless ``servers`` is a whole number >= 1."""
    if isinstance(servers, bool) or not isinstance(servers, int | np.integer) or servers < 1:
        raise ValueError(f"{name} = {servers!r}: must be a whole number >= 1")


def check_rate(value: float, name: str, *, positive: bool = False) -> None:
    """ValueError unless ``value`` is finite and >= 0 (> 0 if ``positive``)."""
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        need = "> 0" if positive else ">= 0"
        raise ValueError(f"{name} = {value!r}: must be a finite number {need}")


def check_target(target_wait: float) -> None:
    """ValueError unless ``target_wait`` is finite and >= 0."""
    if not math.isfinite(target_wait) or target_wait < 0:
        raise ValueError(f"target_wait = {target_wait!r}: must be a finite number >= 0")
