"""``slots.csv``: time-of-day results of a run or sweep, in the tidy layout of
``summary.csv``: per scenario, day (``all``: pooled over the days; each day index too in a
multi-day run), time slot, channel (``walk_in``, ``phone``, ``all``) and metric, the mean
and 95% CI over replications of the per-slot values of
:func:`sim.metrics.slots.slot_metrics`. A day's last slot
(:func:`sim.metrics.slots.last_slot`, 24 hours after closing) ends where the longest
replication's observed time in it ends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sim.config.schema import Scenario
from sim.metrics.slots import ALL, SLOT_METRICS, clock, last_slot, slot_metrics
from sim.model.contact import CHANNELS
from sim.results.statistics import estimate
from sim.results.store import write_csv
from sim.study.parts import Part
from sim.study.sweep import Point

SLOTS_FILE = "slots.csv"
KEYS = ("day", "slot", "start", "end", "channel", "metric")
STATS = ("mean", "std", "ci_low", "ci_high", "n")
CHANNEL_ORDER = (*CHANNELS, ALL)


@dataclass(frozen=True)
class SlotScenario:
    """One scenario's slot rows, replication by replication, and its slot grid."""

    labels: Mapping[str, object]  # the leading columns (scenario index and factor levels)
    replications: Sequence[Sequence[dict[str, float]]]
    open_s: float
    slot_s: float
    last: int  # the index of a day's last slot (no end of its own)

    def end_of(self, k: int) -> float:
        """End of slot ``k`` (seconds after midnight): the next slot's start; for the last
        slot, the end of the longest time any replication observed in it on any day."""
        start = self.open_s + k * self.slot_s
        if k < self.last:
            return start + self.slot_s
        observed = (r["observed_s"] for rows in self.replications for r in rows
                    if int(r["slot"]) == k)
        return start + max(self.slot_s, *observed)


def slot_scenario(labels: Mapping[str, object], scenario: Scenario,
                  replications: Sequence[Sequence[dict[str, float]]]) -> SlotScenario:
    """The slot rows of one scenario, with its grid (``hours.open``, ``slot_minutes`` and
    the last slot)."""
    hours = scenario.hours
    return SlotScenario(labels, replications, hours.open_s, hours.slot_s,
                        last_slot(hours.open_s, hours.close_s, hours.slot_s))


def scenario_rows(s: SlotScenario) -> list[dict[str, object]]:
    """slots.csv rows of one scenario (replications without slot rows are left out)."""
    values: dict[tuple[str, int, str, str], list[float]] = {}
    present = [rows for rows in s.replications if rows]
    grid = sorted({(r["day"], r["slot"]) for rows in present for r in rows})
    for rows in present:
        for r in slot_metrics(padded(rows, grid)):
            day, k, channel = str(r["day"]), int(str(r["slot"])), str(r["channel"])
            for metric, v in r.items():
                if metric not in ("day", "slot", "channel"):
                    values.setdefault((day, k, channel, metric), []).append(float(str(v)))
    out: list[dict[str, object]] = []
    ends = {k: clock(s.end_of(k)) for k in {key[1] for key in values}}
    for (day, k, channel, metric), xs in sorted(values.items(), key=lambda kv: _order(kv[0])):
        start = s.open_s + k * s.slot_s
        e = estimate(xs)
        out.append({**s.labels, "day": day, "slot": k, "start": clock(start),
                    "end": ends[k], "channel": channel, "metric": metric,
                    **vars(e)})
    return out


def padded(rows: Sequence[dict[str, float]], grid: Sequence[tuple[float, float]],
           ) -> list[dict[str, float]]:
    """A replication's slot rows with a zero row for each (day, slot) of ``grid`` it lacks
    (no time observed and no contact there: its counts are 0, its ratios undefined)."""
    have = {(r["day"], r["slot"]) for r in rows}
    names = list(rows[0])
    zero = [{**dict.fromkeys(names, 0.0), "day": d, "slot": k}
            for d, k in grid if (d, k) not in have]
    return sorted([*rows, *zero], key=lambda r: (r["day"], r["slot"]))


def _order(key: tuple[str, int, str, str]) -> tuple[int, int, int, int]:
    """Pooled day first, then days; slots in time order; channels and metrics as listed."""
    day, k, channel, metric = key
    return (-1 if day == ALL else int(day), k, CHANNEL_ORDER.index(channel),
            SLOT_METRICS.index(metric))


def slot_rows(scenarios: Sequence[SlotScenario]) -> list[dict[str, object]]:
    """slots.csv rows of every scenario, in order."""
    return [row for s in scenarios for row in scenario_rows(s)]


def write_slots(out: Path, scenarios: Sequence[SlotScenario], label_columns: Sequence[str],
                ) -> None:
    """Write ``slots.csv`` (atomically); nothing if no replication has slot rows (parts
    saved by a version without them)."""
    rows = slot_rows(scenarios)
    if rows:
        write_csv(out / SLOTS_FILE, rows, [*label_columns, *KEYS, *STATS])


def sweep_slot_scenarios(points: Sequence[Point], parts: Mapping[tuple[int, int], Part],
                         ) -> list[SlotScenario]:
    """The slot rows of a sweep's finished parts, scenario by scenario."""
    by_scenario: dict[int, list[tuple[int, list[dict[str, float]]]]] = {}
    for (s, r), part in parts.items():
        by_scenario.setdefault(s, []).append((r, part.slots))
    return [slot_scenario({"scenario": p.index, **p.labels}, p.scenario,
                          [rows for _r, rows in sorted(by_scenario.get(p.index, []),
                                                       key=lambda x: x[0])])
            for p in points]
