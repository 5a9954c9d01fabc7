"""Paired comparisons of policies under common random numbers, in plain words.

Replication ``r`` of every scenario sees the same customers, so the difference between two
scenarios is estimated from per-replication differences (a paired t interval), which is far
tighter than comparing two independent means."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from scipy import stats

from sim.metrics.catalogue import Kind, is_known
from sim.metrics.catalogue import metric as catalogue_metric
from sim.results.statistics import Estimate, estimate


@dataclass(frozen=True)
class MetricInfo:
    """How to speak of a metric: its words, its unit and which direction is better
    (``None``: neither, e.g. a signed gap or a plain count of arrivals)."""

    words: str
    unit: str  # "points" (a share shown ×100), "s", "" (a count), "money"
    lower_is_better: bool | None = True


# How each kind of catalogue metric is shown in verdicts and tables.
UNIT_OF_KIND: dict[Kind, str] = {"share": "points", "seconds": "s", "money": "money",
                                 "count": "", "mean": ""}


def info(metric: str) -> MetricInfo:
    """Words, unit and direction of a metric, from :mod:`sim.metrics.catalogue`; a name
    the catalogue does not know is spoken of as its name, a count with no direction."""
    if not is_known(metric):
        return MetricInfo(metric.replace("_", " "), "", None)
    m = catalogue_metric(metric)
    better = None if m.better is None else m.better == "lower"
    return MetricInfo(m.words, UNIT_OF_KIND[m.kind], better)


def amount(value: float, unit: str) -> str:
    """A value in its unit: points ×100, seconds, money, counts."""
    if unit == "points":
        return f"{value * 100:.1f} points"
    if unit == "s":
        return f"{value:.1f} s"
    if unit == "money":
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 100 else f"{value:,.0f}"


def interval(low: float, high: float, unit: str) -> str:
    """``[low, high]`` in the unit's scale (points ×100), one rule for every table."""
    scale = 100.0 if unit == "points" else 1.0
    lo, hi = low * scale, high * scale
    digits = 0 if unit == "money" or max(abs(lo), abs(hi)) >= 1000 else 1
    return f"[{lo:,.{digits}f}, {hi:,.{digits}f}]"


def verdict(subject: str, metric: str, diff: Estimate, context: str = "",
            needed: int | None = None) -> str:
    """``greet_first (vs finish_first) cuts walkouts by 3.1 points [2.4, 3.8] at staff=3``;
    when the interval contains zero it says the two cannot be told apart yet."""
    m = info(metric)
    where = f" {context}" if context else ""
    if diff.n < 2 or math.isnan(diff.ci_low):
        return (f"{subject}: {diff.n} paired replications with {m.words} in both, too few "
                f"to compare{where}")
    if diff.ci_low <= 0.0 <= diff.ci_high:
        more = f"; about {needed} would be needed to resolve it" if needed else ""
        return (f"{subject} cannot be told apart on {m.words}{where} with {diff.n} "
                f"replications ({amount(diff.mean, m.unit)} "
                f"{interval(diff.ci_low, diff.ci_high, m.unit)}{more})")
    up = diff.mean > 0
    worse = "" if m.lower_is_better is None or up != m.lower_is_better else " (worse)"
    low, high = sorted((abs(diff.ci_low), abs(diff.ci_high)))
    return (f"{subject} {'raises' if up else 'cuts'} {m.words} by "
            f"{amount(abs(diff.mean), m.unit)} {interval(low, high, m.unit)}{where}{worse}")


def reps_for_half_width(std: float, half_width: float, level: float = 0.95) -> int | None:
    """Replications for a t interval of ``±half_width`` given a replication std (≥ 2);
    ``None`` when it cannot be said (no spread measured, or a zero target)."""
    if not (std > 0.0) or not (half_width > 0.0) or math.isnan(std):
        return None
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
    reps_to_resolve: int | None
    verdict: str


def pairs(level_values: Mapping[int, float], base_values: Mapping[int, float],
          ) -> list[tuple[float, float]]:
    """(level, baseline) values of the replications where both are defined."""
    common = sorted(set(level_values) & set(base_values))
    both = [(level_values[r], base_values[r]) for r in common]
    return [(a, b) for a, b in both if not (math.isnan(a) or math.isnan(b))]


def paired(level_values: Mapping[int, float], base_values: Mapping[int, float]) -> Estimate:
    """Paired t interval of level − baseline over the replications both have."""
    return estimate([a - b for a, b in pairs(level_values, base_values)])


def level_name(factor: str, label: str) -> str:
    """A level as words: policy names stand alone, numbers and switches name their factor."""
    plain = any(c.isalpha() for c in label) and label.lower() not in ("true", "false")
    return label if plain or not factor else f"{factor}={label}"


def compare(factor: str, baseline: str, level: str, context: dict[str, str], metric: str,
            level_values: Mapping[int, float], base_values: Mapping[int, float]) -> Comparison:
    """The paired comparison of one metric, with its verdict and the replications needed
    to tell the two apart (half-width half the estimated difference)."""
    both = pairs(level_values, base_values)
    diff = estimate([a - b for a, b in both])
    where = "at " + ", ".join(f"{k}={v}" for k, v in context.items()) if context else ""
    needed = reps_for_half_width(diff.std, abs(diff.mean) / 2.0) if diff.n > 1 else None
    subject = f"{level_name(factor, level)} (vs {level_name(factor, baseline)})"
    return Comparison(factor, baseline, level, context, metric,
                      _mean([b for _a, b in both]), _mean([a for a, _b in both]), diff, needed,
                      verdict(subject, metric, diff, where, needed))


def _mean(values: list[float]) -> float:
    return math.fsum(values) / len(values) if values else math.nan
