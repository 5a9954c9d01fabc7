"""Synthetic canonical contact logs of known truth for the estimator tests: Poisson
arrivals at known slot rates (optionally with a random day-level rate factor), a FIFO
M/M/c queue with a known number of agents per slot, and weekly calendars.

Import as ``from tests.calibration.synth_demand_logs import ...``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from sim.calibration.log_frame import DTYPES, conforms

HOUR = 3600.0


def frame(**columns: Any) -> pd.DataFrame:
    """A canonical log from column arrays (``arrival_s`` and ``day`` needed; defaults: a
    phone contact that balked, nobody known), checked against the canonical format."""
    n = len(columns["arrival_s"])
    defaults: dict[str, Any] = {
        "line": np.arange(2, n + 2), "day_type": [""] * n, "channel": ["phone"] * n,
        "outcome": ["balked"] * n, "wait_s": np.zeros(n), "service_start_s": np.full(n, np.nan),
        "service_end_s": np.full(n, np.nan), "staff_id": [""] * n, "patron_id": [""] * n,
        "priority": np.zeros(n, dtype=np.int64), "type": [""] * n,
    }
    data = {c: columns.get(c, defaults.get(c)) for c in DTYPES}
    log = pd.DataFrame(data).astype(DTYPES)
    assert conforms(log) == [], conforms(log)
    return log


def days_from(first: str, n: int) -> list[str]:
    """``n`` consecutive days ``'YYYY-MM-DD'`` from ``first``."""
    start = dt.date.fromisoformat(first)
    return [(start + dt.timedelta(days=k)).isoformat() for k in range(n)]


def poisson_arrivals(rng: np.random.Generator, days: Sequence[str],
                     rates_per_hour: Sequence[float], slot_minutes: int, first_slot: int = 0,
                     day_factor_cv: float = 0.0) -> pd.DataFrame:
    """Poisson arrivals (uniform inside each slot) at ``rates_per_hour[k]`` in slot
    ``first_slot + k`` on every day; with ``day_factor_cv`` > 0 each day's rates are
    multiplied by a gamma factor of mean 1 and that cv."""
    slot_s = slot_minutes * 60.0
    day_col, times = [], []
    for day in days:
        factor = 1.0
        if day_factor_cv > 0:
            shape = 1.0 / day_factor_cv**2
            factor = float(rng.gamma(shape, 1.0 / shape))
        for k, rate in enumerate(rates_per_hour):
            n = int(rng.poisson(rate * factor * slot_s / HOUR))
            start = (first_slot + k) * slot_s
            times.append(np.sort(rng.uniform(start, start + slot_s, n)))
            day_col += [day] * n
    return frame(day=day_col, arrival_s=np.concatenate(times))


def calendar_log(rng: np.random.Generator, days: Sequence[str],
                 hours_by_weekday: dict[int, tuple[float, float, float]]) -> pd.DataFrame:
    """Poisson arrivals on the ``days`` whose weekday (0 = Monday) is in
    ``hours_by_weekday``: ``(open h, close h, contacts a day)`` at a flat rate."""
    parts = []
    for day in days:
        weekday = dt.date.fromisoformat(day).weekday()
        if weekday not in hours_by_weekday:
            continue
        open_h, close_h, volume = hours_by_weekday[weekday]
        n = int(rng.poisson(volume))
        parts.append(frame(day=[day] * n,
                           arrival_s=np.sort(rng.uniform(open_h * HOUR, close_h * HOUR, n))))
    return pd.concat(parts, ignore_index=True)


def _next_on_duty(duty: list[tuple[float, float]], t: float) -> float:
    """The earliest time ≥ ``t`` inside one of the ``duty`` intervals (inf if none)."""
    for start, end in duty:
        if t < end:
            return max(t, start)
    return np.inf


def duty_intervals(staff: Sequence[int], slot_s: float, first_slot: int,
                   ) -> list[list[tuple[float, float]]]:
    """Per position ``k``: the intervals of the day it is on duty (``staff[j] > k`` in slot
    ``first_slot + j``); the positions on duty in the last slot stay until the queue is
    empty (serve after close)."""
    positions: list[list[tuple[float, float]]] = [[] for _ in range(max(staff))]
    for j, c in enumerate(staff):
        start = (first_slot + j) * slot_s
        end = np.inf if j == len(staff) - 1 else start + slot_s
        for k in range(c):
            duty = positions[k]
            if duty and duty[-1][1] == start:
                duty[-1] = (duty[-1][0], end)
            else:
                duty.append((start, end))
    return positions


def mmc_day(rng: np.random.Generator, day: str, staff: Sequence[int], load: float,
            mean_service_s: float, slot_minutes: int = 60, first_slot: int = 8,
            swap_s: float = 600.0) -> pd.DataFrame:
    """One day of a FIFO M/M/c queue: ``staff[j]`` positions on duty in slot
    ``first_slot + j``, Poisson arrivals at ``load · staff[j] / mean_service_s``,
    exponential services. Two agents share each position, taking turns every ``swap_s``
    seconds, so more distinct agents serve in a slot than there are positions."""
    slot_s = slot_minutes * 60.0
    rates = [load * c / mean_service_s * HOUR for c in staff]
    arrivals = poisson_arrivals(rng, [day], rates, slot_minutes, first_slot)["arrival_s"]
    duty = duty_intervals(staff, slot_s, first_slot)
    free = np.zeros(len(duty))
    starts, ends, agents = [], [], []
    previous_start = 0.0
    for t in arrivals.to_numpy():
        ready = max(t, previous_start)
        options = [_next_on_duty(duty[k], max(ready, free[k])) for k in range(len(duty))]
        k = int(np.argmin(options))
        start = options[k]
        end = start + rng.exponential(mean_service_s)
        free[k], previous_start = end, start
        starts.append(start)
        ends.append(end)
        agents.append(f"P{k}{'ab'[int(start // swap_s) % 2]}")
    n = len(starts)
    start_arr = np.array(starts)
    return frame(day=[day] * n, arrival_s=arrivals.to_numpy(), outcome=["served"] * n,
                 wait_s=start_arr - arrivals.to_numpy(), service_start_s=start_arr,
                 service_end_s=np.array(ends), staff_id=agents)
