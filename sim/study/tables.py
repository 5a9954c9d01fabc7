"""The tidy tables of a sweep, computed from its finished parts: replications, scenarios,
summary (mean and 95% CI), paired comparisons, days and time-to-acknowledge counts."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from sim.metrics.tallies import ACK_BIN_S
from sim.results.comparisons import Comparison, adjust, compare, reps_for_half_width
from sim.results.statistics import metric_estimate
from sim.results.store import write_csv
from sim.study.columns import COMPARED as COMPARED
from sim.study.columns import FDR_COLUMNS as FDR_COLUMNS
from sim.study.parts import Part
from sim.study.sweep import Factor, Point

PRECISION = 0.05  # summary.csv's reps_needed: replications for a CI of ±5% of the mean


class Tables:
    """What a sweep's tables are computed from, indexed by scenario once."""

    def __init__(self, points: list[Point], factors: list[Factor],
                 parts: dict[tuple[int, int], Part], seed: int) -> None:
        self.points, self.factors, self.parts, self.seed = points, factors, parts, seed
        self._by_scenario: dict[int, dict[int, Part]] = {p.index: {} for p in points}
        for (s, r), part in sorted(parts.items()):
            self._by_scenario.setdefault(s, {})[r] = part
        names: dict[str, None] = {}  # every metric any replication reported, first seen first
        for key in sorted(parts):
            names.update(dict.fromkeys(parts[key].metrics))
        self._metrics = list(names)

    @property
    def factor_names(self) -> list[str]:
        """Factor column names, in order."""
        return [f.name for f in self.factors]

    def scenario_parts(self, scenario: int) -> dict[int, Part]:
        """{replication: part} of one scenario, in replication order."""
        return self._by_scenario.get(scenario, {})

    def values(self, scenario: int, metric: str) -> dict[int, float]:
        """{replication: value} of one metric in one scenario (NaN where not reported)."""
        return {r: float(part.metrics.get(metric, math.nan))
                for r, part in self.scenario_parts(scenario).items()}

    def metric_names(self) -> list[str]:
        """Every metric column, in the order the model reports them."""
        return self._metrics


def replication_rows(t: Tables) -> list[dict[str, object]]:
    """One row per finished (scenario, replication), sorted."""
    return [{"scenario": p.index, **p.labels, "replication": r, "seed": t.seed, **part.metrics}
            for p in t.points for r, part in t.scenario_parts(p.index).items()]


def replication_columns(t: Tables) -> list[str]:
    """The columns of ``replications.csv`` (and ``replications.parquet``)."""
    return ["scenario", *t.factor_names, "replication", "seed", *t.metric_names()]


def summary_rows(t: Tables) -> list[dict[str, object]]:
    """Mean, 95% CI inside the metric's range (``ci_method``: how it was made, see
    :mod:`sim.results.statistics`), ``n`` replications where the metric is defined out of
    ``n_reps`` run, and replications needed for ±5% per scenario and metric."""
    rows: list[dict[str, object]] = []
    for p in t.points:
        for metric in t.metric_names():
            values = list(t.values(p.index, metric).values())
            e = metric_estimate(values, metric)
            needed = reps_for_half_width(e.std, PRECISION * abs(e.mean)) if e.n > 1 else None
            rows.append({"scenario": p.index, **p.labels, "metric": metric, **vars(e),
                         "n_reps": len(values), "ci_method": e.method,
                         "reps_needed": "" if needed is None else needed})
    return rows


def comparisons(t: Tables, baseline: dict[str, str],
                metrics: Sequence[str] = COMPARED) -> list[Comparison]:
    """Each level of each factor against that factor's baseline level (default: its first),
    with the other factors held at the same levels (common random numbers); the verdicts
    control the false discovery rate over all of them (:func:`adjust`)."""
    found = []
    for factor in t.factors:
        base_label = baseline_label(factor, baseline)
        for p in t.points:
            if p.labels[factor.name] == base_label:
                continue
            partner = _partner(t.points, p, factor.name, base_label)
            context = {k: v for k, v in p.labels.items() if k != factor.name}
            for metric in metrics:
                if metric in t.metric_names():
                    found.append(compare(factor.name, base_label, p.labels[factor.name],
                                         context, metric, t.values(p.index, metric),
                                         t.values(partner.index, metric)))
    return adjust(found)


def baseline_label(factor: Factor, baseline: dict[str, str]) -> str:
    """The level ``factor`` is compared against: the one named, else its first."""
    return baseline.get(factor.name, factor.levels[0].label)


def _partner(points: Sequence[Point], p: Point, factor: str, label: str) -> Point:
    want = {**p.labels, factor: label}
    return next(q for q in points if q.labels == want)


def comparison_rows(found: Sequence[Comparison], factor_names: Sequence[str],
                    ) -> list[dict[str, object]]:
    """comparisons.csv rows: the compared factor, levels, context columns, the difference
    with its unadjusted 95% interval, the paired t-test's p-value, its Benjamini–Hochberg
    adjustment and decision, the interval the verdict quotes (FCR-adjusted, at
    ``verdict_level``) and the smallest difference that matters."""
    return [{"factor": c.factor, "baseline": c.baseline, "level": c.level,
             **{name: c.context.get(name, "") for name in factor_names}, "metric": c.metric,
             "baseline_mean": c.baseline_mean, "level_mean": c.level_mean, "diff": c.diff.mean,
             "ci_low": c.diff.ci_low, "ci_high": c.diff.ci_high, "n": c.diff.n,
             "reps_to_resolve": "" if c.reps_to_resolve is None else c.reps_to_resolve,
             "verdict": c.verdict, "p_value": c.p_value, "p_adjusted": c.p_adjusted,
             "significant_fdr": "" if c.significant_fdr is None else c.significant_fdr,
             "verdict_level": c.verdict_level,
             "verdict_ci_low": c.shown.ci_low if c.shown else math.nan,
             "verdict_ci_high": c.shown.ci_high if c.shown else math.nan,
             "smallest_difference": c.smallest} for c in found]


DAY_COUNTS = ("day", "active_start", "new_patrons", "churned", "churned_after_bad",
              "active_end", "contacts", "walkouts", "delighted")  # whole numbers in days.csv


def day_values(day: dict[str, float]) -> dict[str, object]:
    """One day's row with its counts as whole numbers (``5000``, not ``5000.0``)."""
    return {k: int(v) if k in DAY_COUNTS and float(v).is_integer() else v
            for k, v in day.items()}


def day_rows(t: Tables) -> list[dict[str, object]]:
    """days.csv rows (multi-day runs): one per scenario, replication and day."""
    return [{"scenario": p.index, **p.labels, "replication": r, **day_values(day)}
            for p in t.points for r, part in t.scenario_parts(p.index).items()
            for day in part.days]


def ack_rows(t: Tables) -> list[dict[str, object]]:
    """ack_times.csv rows: time-to-acknowledge counts per scenario, channel and 1 s bin,
    summed over replications."""
    rows: list[dict[str, object]] = []
    for p in t.points:
        totals: dict[str, Counter[int]] = {}
        for part in t.scenario_parts(p.index).values():
            for channel, hist in part.ack_histograms.items():
                totals.setdefault(channel, Counter()).update(hist)
        for channel, counts in totals.items():
            rows.extend({"scenario": p.index, **p.labels, "channel": channel,
                         "bin_s": b * ACK_BIN_S, "count": counts[b]} for b in sorted(counts))
    return rows


def write_tables(out: Path, t: Tables, baseline: dict[str, str],
                 compared: Sequence[str] = COMPARED) -> list[Comparison]:
    """Write every table of a sweep into ``out`` (each file atomically)."""
    names = t.factor_names
    write_csv(out / "scenarios.csv",
              [{"scenario": p.index, **p.labels, "overrides": json.dumps(list(p.overrides))}
               for p in t.points], ["scenario", *names, "overrides"])
    write_csv(out / "replications.csv", replication_rows(t), replication_columns(t))
    write_csv(out / "summary.csv", summary_rows(t),
              ["scenario", *names, "metric", "mean", "std", "ci_low", "ci_high", "n", "n_reps",
               "ci_method", "reps_needed"])
    found = comparisons(t, baseline, compared)
    write_csv(out / "comparisons.csv", comparison_rows(found, names),
              ["factor", "baseline", "level", *names, "metric", "baseline_mean", "level_mean",
               "diff", "ci_low", "ci_high", "n", "reps_to_resolve", "verdict", *FDR_COLUMNS])
    days = day_rows(t)
    if days:
        write_csv(out / "days.csv", days, list(days[0]))
    write_csv(out / "ack_times.csv", ack_rows(t),
              ["scenario", *names, "channel", "bin_s", "count"])
    return found

