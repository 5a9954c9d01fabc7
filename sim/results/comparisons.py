"""Paired comparisons of policies under common random numbers, in plain words.

Replication ``r`` of every scenario sees the same customers, so the difference between two
scenarios is estimated from per-replication differences (a paired t interval, clipped to
the values a difference can take), which is far tighter than comparing two independent
means.

The verdicts of a set of comparisons (a report, or the metrics of ``countersim compare``)
control the false discovery rate (:func:`adjust`): a difference is called only where its
Benjamini–Hochberg adjusted p-value (paired t-test) is at most :data:`FDR`, and the verdict
quotes the false-coverage-rate adjusted interval (Benjamini–Yekutieli 2005: level
``1 − R·q/m`` for ``R`` differences called among ``m``), which excludes zero exactly when
the difference is called. A difference whose interval lies inside ± the metric's smallest
difference that matters (the catalogue's) is "no practical difference"."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from scipy import special

from sim.metrics.catalogue import Kind, is_known
from sim.metrics.catalogue import metric as catalogue_metric
from sim.results.statistics import (
    Estimate,
    at_level,
    benjamini_hochberg,
    clip,
    difference_bounds,
    estimate,
    p_value,
)

FDR = 0.05  # the false discovery rate the verdicts of one report control
LEVEL = 0.95  # the level of the unadjusted intervals (comparisons.csv's ci_low, ci_high)


@dataclass(frozen=True)
class MetricInfo:
    """How to speak of a metric: its words, its unit and which direction is better
    (``None``: neither, e.g. a signed gap or a plain count of arrivals)."""

    words: str
    unit: str  # "points" (a share shown ×100), "s", "" (a count), "money"
    lower_is_better: bool | None = True


def practical(metric: str) -> float:
    """The smallest difference of ``metric`` that matters (the catalogue's; 0 if unknown)."""
    return catalogue_metric(metric).smallest_difference if is_known(metric) else 0.0


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
            needed: int | None = None, smallest: float = 0.0) -> str:
    """``greet_first (vs finish_first) cuts walkouts by 3.1 points [2.4, 3.8] at staff=3``;
    when the interval lies inside ``±smallest`` it says there is no practical difference,
    and when it contains zero that the two cannot be told apart yet."""
    m = info(metric)
    where = f" {context}" if context else ""
    if diff.n < 2 or math.isnan(diff.ci_low):
        return (f"{subject}: {diff.n} paired replications with {m.words} in both, too few "
                f"to compare{where}")
    shown = f"{amount(diff.mean, m.unit)} {interval(diff.ci_low, diff.ci_high, m.unit)}"
    if smallest > 0.0 and -smallest <= diff.ci_low and diff.ci_high <= smallest:
        return (f"{subject} makes no practical difference to {m.words} (within "
                f"±{amount(smallest, m.unit)}){where} with {diff.n} replications ({shown})")
    if diff.ci_low <= 0.0 <= diff.ci_high:
        more = f"; about {needed} would be needed to resolve it" if needed else ""
        return (f"{subject} cannot be told apart on {m.words}{where} with {diff.n} "
                f"replications ({shown}{more})")
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
    while float(special.stdtrit(n - 1, 0.5 + level / 2.0)) * std / math.sqrt(n) > half_width:
        n += 1
    return n


@dataclass(frozen=True)
class Comparison:
    """One level against the baseline level of one factor, other factors held fixed.

    ``diff`` is the unadjusted 95% paired interval; ``shown`` the interval the verdict
    quotes (at ``verdict_level``: 95% alone, FCR-adjusted after :func:`adjust`);
    ``significant_fdr`` whether ``p_adjusted`` ≤ :data:`FDR` (``None``: no test)."""

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
    p_value: float = math.nan
    p_adjusted: float = math.nan
    significant_fdr: bool | None = None
    smallest: float = 0.0
    verdict_level: float = LEVEL
    shown: Estimate | None = None

    @property
    def subject(self) -> str:
        """``b (vs a)``: the level and its baseline, as words."""
        base = level_name(self.factor, self.baseline)
        return f"{level_name(self.factor, self.level)} (vs {base})"

    @property
    def negligible(self) -> bool:
        """True when the verdict's interval lies inside ± the smallest difference that
        matters ("no practical difference")."""
        e = self.shown or self.diff
        return self.smallest > 0.0 and -self.smallest <= e.ci_low and e.ci_high <= self.smallest

    @property
    def where(self) -> str:
        """``at staff=3``: the other factors' levels, or nothing."""
        return "at " + ", ".join(f"{k}={v}" for k, v in self.context.items()) \
            if self.context else ""


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
    """The paired comparison of one metric on its own (95%, no adjustment), with its verdict
    and the replications needed to tell the two apart (:func:`judged`)."""
    both = pairs(level_values, base_values)
    diff = clip(estimate([a - b for a, b in both], LEVEL), *difference_bounds(metric))
    p = p_value(diff)
    found = Comparison(factor, baseline, level, context, metric, _mean([b for _a, b in both]),
                       _mean([a for a, _b in both]), diff, None, "", p, p,
                       None if math.isnan(p) else p <= 1.0 - LEVEL, practical(metric))
    return judged(found, LEVEL)


def judged(c: Comparison, level: float) -> Comparison:
    """``c`` with its verdict from the paired interval at ``level`` and its
    ``reps_to_resolve``: the replications for a 95% half-width of half the difference, or
    of half the smallest difference that matters if that is larger; none when the
    difference is practically zero (or too few replications to say)."""
    bounds = difference_bounds(c.metric)
    shown = clip(at_level(c.diff, level), *bounds) if level != LEVEL else c.diff
    needed = None
    if shown.n > 1 and not replace(c, shown=shown).negligible:
        needed = reps_for_half_width(shown.std, max(abs(shown.mean), c.smallest) / 2.0)
    text = verdict(c.subject, c.metric, shown, c.where, needed, c.smallest)
    return replace(c, reps_to_resolve=needed, verdict=text, verdict_level=level, shown=shown)


def adjust(found: Sequence[Comparison], q: float = FDR) -> list[Comparison]:
    """The comparisons of one report with false-discovery-rate control: Benjamini–Hochberg
    adjusted p-values over every comparison with a test, ``significant_fdr`` where they are
    ≤ ``q``, and verdicts from the FCR-adjusted intervals (level ``1 − max(R, 1)·q/m``,
    ``R`` of ``m`` called), which exclude zero exactly for the comparisons called."""
    adjusted = benjamini_hochberg([c.p_value for c in found])
    tested = [a for a in adjusted if not math.isnan(a)]
    called = sum(a <= q for a in tested)
    level = 1.0 - max(called, 1) * q / len(tested) if tested else 1.0 - q
    return [judged(replace(c, p_adjusted=a, significant_fdr=None if math.isnan(a) else a <= q),
                   level) for c, a in zip(found, adjusted, strict=True)]


def _mean(values: list[float]) -> float:
    return math.fsum(values) / len(values) if values else math.nan
