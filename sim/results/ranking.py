"""Rank levers by what they save against what they cost: lifetime value saved per staff
hour, paired by replication against a baseline level (common random numbers).

Reads ``replications.csv`` of a results folder (one factor whose levels are the levers);
writes ``ranking.csv`` and puts the ranking at the top of ``report.md``. Pure arithmetic on
tables: it never imports the model.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from sim.results.statistics import Estimate, estimate, t_quantile
from sim.results.store import write_atomic, write_csv

SAVED = "lost_clv"          # money: lifetime value lost (expected), per replication (a day)
COST = "conduct_time_s"     # seconds of staff time the levers take, per replication
FREE_S = 1.0                # a lever costing less than this many staff seconds a day is free


@dataclass(frozen=True)
class LeverValue:
    """One lever against the baseline, per day (one replication is one day): lifetime value
    saved (money), staff hours it costs, and saved per staff hour (``inf`` if free)."""

    lever: str
    saved: Estimate
    cost_h: Estimate
    per_hour: float
    per_hour_low: float
    per_hour_high: float

    @property
    def pays(self) -> bool:
        """The saving's 95% interval lies above 0."""
        return self.saved.ci_low > 0.0

    @property
    def free(self) -> bool:
        """Costs (on average) less than ``FREE_S`` staff seconds a day."""
        return self.cost_h.mean * 3600.0 < FREE_S


def _value(row: dict[str, str], metric: str) -> float:
    text = row.get(metric, "")
    return float(text) if text not in ("", "nan") else math.nan


def lever_values(rows: list[dict[str, str]], factor: str, baseline: str) -> list[LeverValue]:
    """Every non-baseline level of ``factor`` against ``baseline``, paired by replication
    (a missing cost column counts as no conduct time)."""
    by_level: dict[str, dict[str, dict[str, str]]] = {}
    for row in rows:
        by_level.setdefault(row[factor], {})[row["replication"]] = row
    base = by_level[baseline]
    out = []
    for lever, reps in by_level.items():
        if lever == baseline:
            continue
        common = sorted(set(reps) & set(base), key=int)
        saved = [_value(base[r], SAVED) - _value(reps[r], SAVED) for r in common]
        cost = [(_value(reps[r], COST) if not math.isnan(_value(reps[r], COST)) else 0.0)
                - (_value(base[r], COST) if not math.isnan(_value(base[r], COST)) else 0.0)
                for r in common]
        out.append(_lever(lever, saved, [c / 3600.0 for c in cost]))
    return sorted(out, key=_rank_key)


def _lever(lever: str, saved: list[float], cost_h: list[float]) -> LeverValue:
    """Saved per staff hour R = mean(saved) / mean(cost), with the delta-method interval
    (the t interval of saved − R·cost, ÷ mean cost)."""
    s, c = estimate(saved), estimate(cost_h)
    if c.mean * 3600.0 < FREE_S:
        inf = math.inf if s.mean > 0 else -math.inf
        return LeverValue(lever, s, c, inf, math.nan, math.nan)
    ratio = s.mean / c.mean
    d = estimate([x - ratio * y for x, y in zip(saved, cost_h, strict=True)])
    half = t_quantile(d.n, 0.95) * d.std / math.sqrt(d.n) / c.mean if d.n > 1 else math.nan
    return LeverValue(lever, s, c, ratio, ratio - half, ratio + half)


def _rank_key(v: LeverValue) -> tuple[int, float]:
    """Levers that pay first (free ones first, then by value per staff hour), then the rest
    by how much they save."""
    return (0, -v.per_hour) if v.pays else (1, -v.saved.mean)


def headline(values: list[LeverValue]) -> list[str]:
    """The ranking in words, one line per lever."""
    lines = []
    for i, v in enumerate(values, 1):
        s = v.saved
        saved = f"saves {s.mean:,.0f} [{s.ci_low:,.0f}, {s.ci_high:,.0f}] of lifetime value a day"
        if v.free:
            cost = "at no staff time"
        else:
            cost = (f"for {v.cost_h.mean * 60:,.1f} staff minutes a day: {v.per_hour:,.0f} "
                    f"[{v.per_hour_low:,.0f}, {v.per_hour_high:,.0f}] per staff hour")
        verdict = "" if v.pays else " (does not pay: the saving's interval reaches 0 or below)"
        lines.append(f"{i}. {v.lever} {saved} {cost}{verdict}")
    return lines


def rows_of(values: list[LeverValue]) -> list[dict[str, object]]:
    """``ranking.csv`` rows."""
    return [{"rank": i, "lever": v.lever, "saved_clv_per_day": v.saved.mean,
             "saved_ci_low": v.saved.ci_low, "saved_ci_high": v.saved.ci_high,
             "staff_hours_per_day": v.cost_h.mean, "saved_per_staff_hour": v.per_hour,
             "per_hour_ci_low": v.per_hour_low, "per_hour_ci_high": v.per_hour_high,
             "pays": v.pays, "n": v.saved.n}
            for i, v in enumerate(values, 1)]


def add_ranking(out: Path, factor: str, baseline: str) -> list[str]:
    """Rank the levels of ``factor`` in the results folder ``out`` against ``baseline``:
    write ``ranking.csv`` and a ranking section at the top of ``report.md``; return the
    headline lines."""
    with (out / "replications.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    values = lever_values(rows, factor, baseline)
    write_csv(out / "ranking.csv", rows_of(values), list(rows_of(values)[0]) if values else [])
    lines = headline(values)
    section = ["## Levers ranked by lifetime value saved per staff hour", "",
               f"Each lever against `{baseline}`, paired by replication (one replication is "
               "one day); 95% intervals. Lifetime value is `lost_clv` (expected); staff time "
               "is `conduct_time_s` (apologies, thanks, names, asking permission, on-point "
               "replies, complaint handling). `ranking.csv` holds the numbers.", "",
               *lines, ""]
    report = out / "report.md"
    text = report.read_text() if report.exists() else ""
    marker = "## Headline"
    text = text.replace(marker, "\n".join(section) + "\n" + marker, 1) if marker in text \
        else text + "\n" + "\n".join(section)
    write_atomic(report, text)
    return lines
