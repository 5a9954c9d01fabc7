"""Paired comparisons of policies under common random numbers, in plain words.

Replication ``r`` of every scenario sees the same customers, so the difference between two
scenarios is estimated from per-replication differences (a paired t interval), which is far
tighter than comparing two independent means."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scipy import stats

from sim.analysis import Estimate, estimate


@dataclass(frozen=True)
class MetricInfo:
    """How to speak of a metric: its words, its unit and which direction is better."""

    words: str
    unit: str  # "points" (a share shown ×100), "s", "" (a count), "money"
    lower_is_better: bool = True


METRICS: dict[str, MetricInfo] = {
    "walkout_rate": MetricInfo("walkouts", "points"),
    "walk_in_walkout_rate": MetricInfo("walk-in walkouts", "points"),
    "phone_walkout_rate": MetricInfo("phone walkouts (hang-ups)", "points"),
    "mean_time_to_ack_s": MetricInfo("time to acknowledge", "s"),
    "walk_in_mean_time_to_ack_s": MetricInfo("walk-in time to acknowledge", "s"),
    "p_ack_within_target": MetricInfo("customers acknowledged within target", "points", False),
    "mean_wait_s": MetricInfo("waiting time", "s"),
    "churned_patrons": MetricInfo("patrons lost for good", ""),
    "lost_clv": MetricInfo("lost customer lifetime value", "money"),
    "lost_clv_plain_top": MetricInfo("lost lifetime value of plain-looking top spenders",
                                     "money"),
    "revenue": MetricInfo("revenue", "money", False),
    "active_patrons_end": MetricInfo("active patrons at the end", "", False),
    "walkout_rate_gap_appearance": MetricInfo("the plain-minus-polished walkout gap", "points"),
    "time_to_ack_gap_appearance": MetricInfo("the plain-minus-polished acknowledgment gap", "s"),
    "churn_gap_appearance": MetricInfo("the plain-minus-polished churn gap", "points"),
    "distracted_fraction": MetricInfo("staff time spent distracted", "points"),
}


def info(metric: str) -> MetricInfo:
    """Words for a metric (its own name if it has none)."""
    return METRICS.get(metric, MetricInfo(metric.replace("_", " "), ""))


def amount(value: float, unit: str) -> str:
    """A value in its unit: points ×100, seconds, money, counts."""
    if unit == "points":
        return f"{value * 100:.1f} points"
    if unit == "s":
        return f"{value:.1f} s"
    if unit == "money":
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 100 else f"{value:,.0f}"


def _bounds(e: Estimate, unit: str) -> str:
    scale = 100.0 if unit == "points" else 1.0
    digits = 0 if unit == "money" or abs(e.mean * scale) >= 100 else 1
    return f"[{e.ci_low * scale:,.{digits}f}, {e.ci_high * scale:,.{digits}f}]"


def verdict(subject: str, metric: str, diff: Estimate, context: str = "") -> str:
    """``greet_first cuts walkouts by 3.1 points [2.4, 3.8] at staff=3`` (or says the
    difference is not clear when the interval contains zero)."""
    m = info(metric)
    where = f" {context}" if context else ""
    if diff.n < 2 or math.isnan(diff.ci_low):
        return f"{subject}: too few replications to compare {m.words}{where}"
    if diff.ci_low <= 0.0 <= diff.ci_high:
        return (f"{subject} makes no clear difference to {m.words}{where} "
                f"({amount(diff.mean, m.unit)} {_bounds(diff, m.unit)})")
    up = diff.mean > 0
    worse = " (worse)" if up == m.lower_is_better else ""
    return (f"{subject} {'raises' if up else 'cuts'} {m.words} by "
            f"{amount(abs(diff.mean), m.unit)} {_bounds(_absolute(diff), m.unit)}{where}{worse}")


def _absolute(e: Estimate) -> Estimate:
    if e.mean >= 0:
        return e
    return Estimate(-e.mean, e.std, -e.ci_high, -e.ci_low, e.n)


def reps_for_half_width(std: float, half_width: float, level: float = 0.95) -> int:
    """Replications for a t interval of ``±half_width`` given a replication std (≥ 2)."""
    if not (std > 0.0) or not (half_width > 0.0) or math.isnan(std):
        return 2
    n = max(2, math.ceil((1.96 * std / half_width) ** 2))
    while float(stats.t.ppf(0.5 + level / 2.0, n - 1)) * std / math.sqrt(n) > half_width:
        n += 1
    return n


@dataclass(frozen=True)
class Comparison:
    """One level against the baseline level of one factor, other factors held fixed."""

    factor: str
    baseline: str
    level: str
    context: dict[str, str]
    metric: str
    baseline_mean: float
    level_mean: float
    diff: Estimate
    reps_to_resolve: int
    verdict: str


def paired(level_values: Mapping[int, float], base_values: Mapping[int, float]) -> Estimate:
    """Paired t interval of level − baseline over the replications both have."""
    common = sorted(set(level_values) & set(base_values))
    return estimate([level_values[r] - base_values[r] for r in common])


def compare(factor: str, baseline: str, level: str, context: dict[str, str], metric: str,
            level_values: Mapping[int, float], base_values: Mapping[int, float]) -> Comparison:
    """The paired comparison of one metric, with its verdict and the replications needed
    to tell the two apart (half-width half the estimated difference)."""
    diff = paired(level_values, base_values)
    where = "at " + ", ".join(f"{k}={v}" for k, v in context.items()) if context else ""
    needed = reps_for_half_width(diff.std, abs(diff.mean) / 2.0)
    return Comparison(factor, baseline, level, context, metric,
                      _mean(base_values.values()), _mean(level_values.values()), diff, needed,
                      verdict(level, metric, diff, where))


def _mean(values: Iterable[float]) -> float:
    xs = [v for v in values if not math.isnan(v)]
    return math.fsum(xs) / len(xs) if xs else math.nan
