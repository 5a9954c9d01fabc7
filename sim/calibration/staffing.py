"""Staff on duty per slot, inferred from who served whom and when (logs have no shift
table). See :data:`METHOD_TEXT`, which the report quotes.

All three measures come from one event sweep over the whole log in absolute time (day
offset · 86 400 s + time of day, so services and waits that run past midnight stay in
order): service starts and ends, queue entries and exits, and slot boundaries, sorted
once; between two consecutive events the number of services under way and of callers
waiting is constant, so time averages are sums over those segments (numpy, no loop over
seconds). Which slots are reported: per day type, the slots from the first to the last
with any arrival on its days (every channel); the schedule covers the open slots only
(as :func:`sim.calibration.arrivals.open_range` defines them, on all channels together).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from sim.calibration.arrivals import DAY_S, check_types, count_grid, open_range, slots_per_day
from sim.calibration.daytypes import day_offsets_s
from sim.errors import UserInputError

METHOD_TEXT = (
    "Staff on duty are inferred per day and slot in three ways. (a) Distinct agents: how "
    "many different staff ids served any part of the slot. This overstates capacity: "
    "agents take breaks, do back-office work, attend meetings or answer another queue, and "
    "shifts overlap at handovers, so someone who served one call in the slot counts as a "
    "full agent for all of it. (b) Busy when waiting: the time-average number of services "
    "under way over the moments of the slot when at least one caller is waiting in queue "
    "(queue intervals [arrival, arrival + wait) of walk-ins and calls that waited; emails "
    "are back-office work and do not count as waiting). While somebody waits, every agent "
    "who is available is busy, so this is the capacity actually on offer when it binds — "
    "the signal the planners trust. In a slot where nobody waited, the capacity was never "
    "binding and the slot falls back to (c) and is flagged. (c) Max busy: the largest "
    "number of services under way at once in the slot, a lower bound on the staff present. "
    "The recommended staff of a slot is the mean of (b) over the days of its type, rounded, "
    "and at least 1 in a slot with arrivals.")

WAITING = "waiting"
NO_WAITING = "no waiting: max busy"


@dataclass(frozen=True, eq=False)
class StaffFit:
    """Inferred staff on duty (see :data:`METHOD_TEXT`).

    ``by_day``: one row per day and slot — ``day``, ``day_type``, ``slot``, ``start_s``
    (s from midnight), ``arrivals`` (all channels), ``distinct_agents``,
    ``busy_when_waiting``, ``max_busy``, ``mean_busy`` (time-average number of services
    under way over the slot), ``waiting_share`` (fraction of the slot with someone
    waiting) and ``basis`` (``"waiting"`` or ``"no waiting: max busy"``). ``table``: one
    row per day type and slot — ``n_days``, the means of the four measures and of
    ``waiting_share``, a 95 % t interval across days of ``busy_when_waiting``
    (``bww_ci_low``/``bww_ci_high``, clipped at 0) and its range (``bww_min``/``bww_max``),
    ``n_waiting_days`` (days with basis ``"waiting"``), ``open`` and ``recommended``.
    ``open_slots``: day type -> (first, last) open slot.
    """

    slot_minutes: int
    by_day: pd.DataFrame
    table: pd.DataFrame
    open_slots: dict[str, tuple[int, int]]
    warnings: tuple[str, ...]

    def schedule(self, day_type: str) -> list[tuple[int, int, int]]:
        """``(start_s, end_s, staff)`` blocks (s from midnight) over the open slots of
        ``day_type``, consecutive slots with the same recommended staff merged."""
        if day_type not in self.open_slots:
            raise UserInputError(f"day type = {day_type!r}: not in the staff fit; fitted "
                                 f"day types are {sorted(self.open_slots)}")
        first, last = self.open_slots[day_type]
        rows = self.table[(self.table["day_type"] == day_type)
                          & self.table["slot"].between(first, last)]
        slot_s = 60 * self.slot_minutes
        blocks: list[tuple[int, int, int]] = []
        for slot, staff in zip(rows["slot"], rows["recommended"], strict=True):
            start, staff = int(slot) * slot_s, int(staff)
            if blocks and blocks[-1][2] == staff and blocks[-1][1] == start:
                blocks[-1] = (blocks[-1][0], start + slot_s, staff)
            else:
                blocks.append((start, start + slot_s, staff))
        return blocks


def sweep(starts: np.ndarray, ends: np.ndarray, q_in: np.ndarray, q_out: np.ndarray,
          slot_s: float, n_global: int) -> dict[str, np.ndarray]:
    """Per global slot ``g`` (covering ``[g·slot_s, (g+1)·slot_s)`` of absolute time,
    ``0 ≤ g < n_global``): ``waiting_s`` (time someone waits), ``busy_waiting`` (integral of
    services under way over that time, s), ``busy_s`` (integral over the slot, s) and
    ``max_busy``, from services ``[starts, ends)`` and queue stays ``[q_in, q_out)``."""
    bounds = np.arange(n_global + 1, dtype=float) * slot_s
    times = np.concatenate([starts, ends, q_in, q_out, bounds])
    ones = np.ones(len(starts))
    waits = np.ones(len(q_in))
    d_busy = np.concatenate([ones, -ones, 0 * waits, 0 * waits, 0 * bounds])
    d_queue = np.concatenate([0 * ones, 0 * ones, waits, -waits, 0 * bounds])
    order = np.argsort(times, kind="stable")
    t = times[order]
    busy, queue = np.cumsum(d_busy[order])[:-1], np.cumsum(d_queue[order])[:-1]
    dur = np.diff(t)
    inside = (t[:-1] >= 0) & (t[:-1] < n_global * slot_s) & (dur > 0)
    g = (t[:-1][inside] // slot_s).astype(np.int64)
    dur, busy, waiting = dur[inside], busy[inside], queue[inside] > 0
    max_busy = np.zeros(n_global)
    np.maximum.at(max_busy, g, busy)
    return {
        "waiting_s": np.bincount(g, dur * waiting, n_global),
        "busy_waiting": np.bincount(g, dur * busy * waiting, n_global),
        "busy_s": np.bincount(g, dur * busy, n_global),
        "max_busy": max_busy,
    }


def distinct_agents(starts: np.ndarray, ends: np.ndarray, staff: np.ndarray,
                    slot_s: float, n_global: int) -> np.ndarray:
    """Per global slot: the number of distinct ``staff`` whose service ``[start, end)``
    overlaps it (a service of zero length counts in the slot where it happens)."""
    codes, _ = pd.factorize(staff)
    first = (starts // slot_s).astype(np.int64)
    last = np.maximum(np.ceil(ends / slot_s).astype(np.int64) - 1, first)
    span = last - first + 1
    owner = np.repeat(np.arange(len(first)), span)
    step = np.arange(len(owner)) - np.repeat(np.cumsum(span) - span, span)
    g = first[owner] + step
    keep = (g >= 0) & (g < n_global)
    pairs = np.unique(g[keep] * (codes.max(initial=0) + 1) + codes[owner][keep])
    return np.bincount(pairs // (codes.max(initial=0) + 1), minlength=n_global).astype(float)


def _measures(log: pd.DataFrame, slot_s: float) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Day offsets (s) of the rows and the per-global-slot measures of the whole log."""
    offset = day_offsets_s(log["day"])
    arrival = offset + log["arrival_s"].to_numpy(float)
    served = ((log["outcome"] == "served").to_numpy() & log["service_start_s"].notna()
              .to_numpy() & log["service_end_s"].notna().to_numpy())
    starts = offset[served] + log["service_start_s"].to_numpy(float)[served]
    ends = offset[served] + log["service_end_s"].to_numpy(float)[served]
    wait = log["wait_s"].to_numpy(float)
    queued = (wait > 0) & (log["channel"] != "email").to_numpy()
    n_global = int(max(offset.max(initial=0.0) + DAY_S, ends.max(initial=0.0)) // slot_s) + 1
    measures = sweep(starts, ends, arrival[queued], arrival[queued] + wait[queued], slot_s,
                     n_global)
    staff = log["staff_id"].astype(str).to_numpy()[served]
    named = staff != ""
    measures["distinct_agents"] = distinct_agents(starts[named], ends[named], staff[named],
                                                  slot_s, n_global)
    return offset, measures


def staff_by_day(log: pd.DataFrame, slot_s: float, types: dict[str, str]) -> pd.DataFrame:
    """The ``by_day`` table of :class:`StaffFit` (one row per day and observed slot)."""
    offset, m = _measures(log, slot_s)
    day_offset = dict(zip(log["day"].astype(str), offset, strict=True))
    early = log["arrival_s"] < DAY_S
    grid = count_grid(log[early], log.loc[early, "arrival_s"], slot_s, types)
    g = (grid["day"].map(day_offset).to_numpy() // slot_s).astype(np.int64) + grid["slot"]
    g = g.to_numpy()
    waiting = m["waiting_s"][g]
    has_wait = waiting > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        bww = np.where(has_wait, m["busy_waiting"][g] / waiting, m["max_busy"][g])
    return pd.DataFrame({
        "day": grid["day"], "day_type": grid["day_type"], "slot": grid["slot"],
        "start_s": grid["start_s"], "arrivals": grid["count"],
        "distinct_agents": m["distinct_agents"][g], "busy_when_waiting": bww,
        "max_busy": m["max_busy"][g], "mean_busy": m["busy_s"][g] / slot_s,
        "waiting_share": waiting / slot_s,
        "basis": np.where(has_wait, WAITING, NO_WAITING),
    })


def staff_table(by_day: pd.DataFrame) -> pd.DataFrame:
    """The ``table`` of :class:`StaffFit`, before ``open`` (one row per type and slot)."""
    g = by_day.assign(waited=by_day["basis"] == WAITING).groupby(["day_type", "slot"])
    bww = g["busy_when_waiting"]
    table = g.agg(start_s=("start_s", "first"), n_days=("day", "size"),
                  arrivals=("arrivals", "sum"), distinct_agents=("distinct_agents", "mean"),
                  busy_when_waiting=("busy_when_waiting", "mean"),
                  max_busy=("max_busy", "mean"), mean_busy=("mean_busy", "mean"),
                  waiting_share=("waiting_share", "mean"),
                  n_waiting_days=("waited", "sum")).reset_index()
    n = table["n_days"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.975, n - 1) * bww.std().to_numpy() / np.sqrt(n)
    mean = table["busy_when_waiting"].to_numpy()
    table["bww_ci_low"] = np.maximum(mean - half, 0.0)
    table["bww_ci_high"] = mean + half
    table["bww_min"], table["bww_max"] = bww.min().to_numpy(), bww.max().to_numpy()
    rounded = np.floor(mean + 0.5).astype(np.int64)
    table["recommended"] = np.where(table["arrivals"] > 0, np.maximum(rounded, 1), rounded)
    return table


def infer_staff(log: pd.DataFrame, slot_minutes: int, types: dict[str, str]) -> StaffFit:
    """Staff on duty per ``slot_minutes`` slot, by day and by day type (``types``: day ->
    type), by the three methods of :data:`METHOD_TEXT`, with the recommended staff."""
    slots_per_day(slot_minutes)
    check_types(log, types)
    log = log.reset_index(drop=True)
    slot_s = 60.0 * slot_minutes
    if not (log["outcome"] == "served").any():
        raise UserInputError("outcome = 'served': the log has no served contacts, so staff "
                             "on duty cannot be inferred; give a log with service times")
    by_day = staff_by_day(log, slot_s, types)
    table = staff_table(by_day)
    open_slots: dict[str, tuple[int, int]] = {}
    counts = by_day.rename(columns={"arrivals": "count"})
    for day_type, part in counts.groupby("day_type", sort=True):
        found = open_range(part, slot_s / 3600.0)
        if found is not None:
            open_slots[str(day_type)] = found
    first = table["day_type"].map(lambda t: open_slots.get(t, (0, -1))[0])
    last = table["day_type"].map(lambda t: open_slots.get(t, (0, -1))[1])
    table.insert(table.columns.get_loc("recommended"), "open",
                 (table["slot"] >= first) & (table["slot"] <= last))
    return StaffFit(slot_minutes=slot_minutes, by_day=by_day, table=table,
                    open_slots=open_slots, warnings=tuple(_warnings(table)))


def _warnings(table: pd.DataFrame) -> list[str]:
    """Open slots where nobody waited on any day: the staff there is a lower bound."""
    found = []
    for day_type, part in table[table["open"]].groupby("day_type", sort=True):
        never = int((part["n_waiting_days"] == 0).sum())
        if never:
            found.append(f"{day_type}: in {never} of {len(part)} open slots nobody ever "
                         "waited; their staff is the max busy, a lower bound")
        if int(part["n_days"].max()) == 1:
            found.append(f"{day_type}: a single day, no day-to-day interval for the staff")
    return found
