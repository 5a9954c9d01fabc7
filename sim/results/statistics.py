"""Statistics over replications: means, confidence intervals that stay inside the values a
metric can take, and paired t-tests.

:func:`estimate` is the plain Student-t interval of a mean (any real quantity, e.g. a paired
difference). :func:`bounded` (and :func:`metric_estimate`, which reads the range from the
catalogue) keeps the interval inside ``[low, high]``:

* **A share in [0, 1]**, mean strictly inside: the *logit interval*, the t interval of the
  logit of the mean by the delta method, ``logit(m) ± t·s / (√n·m(1 − m))``, mapped back.
  It has the same centre as the t interval and, away from 0 and 1, the same width; near a
  bound it leans away from the bound instead of crossing it.
* **A share that is 0 in every replication** (or 1 in every one): ``[0, 1 − (α/2)^(1/n)]``
  (or its mirror). The t interval would be ``[0, 0]``, claiming certainty from no variation;
  this is the Clopper–Pearson bound for 0 successes in ``n`` trials, and it holds for any
  share, not only a Bernoulli one: a replication whose share has mean ``μ`` is 0 with
  probability at most ``1 − μ``, so ``n`` zeros have probability at most ``(1 − μ)^n``.
* **Anything else with a bound** (counts, seconds, money, line lengths are ≥ 0; a gap of
  shares lies in [-1, 1]): the t interval clipped to the range. Intersecting an interval
  with the values the quantity can take never lowers its coverage, and leaves the t
  interval as it is whenever it is already inside. ``method`` says when it was clipped.

One replication (or none) gives no interval (NaN ends), whatever the range; values that
are themselves outside the range (not the metric the name says) get the plain t interval.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from scipy import special  # Student-t: stdtrit/stdtr, as scipy.stats.t computes them

from sim.metrics.catalogue import is_known
from sim.metrics.catalogue import metric as catalogue_metric

UNBOUNDED = (-math.inf, math.inf)


@dataclass(frozen=True)
class Estimate:
    """Mean of ``n`` replications with a two-sided confidence interval and the way it was
    made (``method``: ``t``, ``t clipped``, ``logit``, ``all 0 bound``, ``all 1 bound``;
    empty when there is no interval)."""

    mean: float
    std: float
    ci_low: float
    ci_high: float
    n: int
    method: str = "t"

    def contains(self, value: float) -> bool:
        """True if ``value`` lies inside the interval."""
        return self.ci_low <= value <= self.ci_high


def _finite(values: Sequence[float]) -> list[float]:
    return [v for v in values if not math.isnan(v)]


@functools.lru_cache(maxsize=4096)
def t_ppf(p: float, df: int) -> float:
    """Student-t quantile ``p`` with ``df`` degrees of freedom: ``scipy.stats.t.ppf``, the
    same float, remembered (the tables of a sweep ask for the same few thousands of times,
    at about a millisecond each)."""
    return float(special.stdtrit(df, p))


def t_quantile(n: int, level: float) -> float:
    """The two-sided Student-t quantile for ``n`` replications at ``level``."""
    return t_ppf(0.5 + level / 2.0, n - 1)


def estimate(values: Sequence[float], level: float = 0.95) -> Estimate:
    """Mean and t-interval of the finite values (NaNs are replications where the metric
    is undefined, e.g. a wait mean with no customers)."""
    xs = _finite(values)
    n = len(xs)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, math.nan, 0, "")
    mean = math.fsum(xs) / n
    if n == 1:
        return Estimate(mean, math.nan, math.nan, math.nan, 1, "")
    std = math.sqrt(math.fsum((x - mean) ** 2 for x in xs) / (n - 1))
    half = t_quantile(n, level) * std / math.sqrt(n)
    return Estimate(mean, std, mean - half, mean + half, n)


def at_level(e: Estimate, level: float) -> Estimate:
    """The t interval of the same mean at another level (e.g. an FCR-adjusted one)."""
    if e.n < 2 or math.isnan(e.std):
        return e
    half = t_quantile(e.n, level) * e.std / math.sqrt(e.n)
    return replace(e, ci_low=e.mean - half, ci_high=e.mean + half, method="t")


def clip(e: Estimate, low: float, high: float) -> Estimate:
    """``e`` with its interval cut to ``[low, high]`` (``method`` gains "clipped" if cut)."""
    if math.isnan(e.ci_low) or (low <= e.ci_low and e.ci_high <= high):
        return e
    return replace(e, ci_low=min(max(e.ci_low, low), high),
                   ci_high=max(min(e.ci_high, high), low), method=f"{e.method} clipped")


def _share(e: Estimate, level: float) -> Estimate:
    """The interval of a mean share (see the module docstring)."""
    tail = (1.0 - level) / 2.0
    if e.mean <= 0.0:
        return replace(e, ci_low=0.0, ci_high=1.0 - tail ** (1.0 / e.n), method="all 0 bound")
    if e.mean >= 1.0:
        return replace(e, ci_low=tail ** (1.0 / e.n), ci_high=1.0, method="all 1 bound")
    centre = math.log(e.mean / (1.0 - e.mean))
    half = t_quantile(e.n, level) * e.std / (math.sqrt(e.n) * e.mean * (1.0 - e.mean))
    return replace(e, ci_low=_expit(centre - half), ci_high=_expit(centre + half),
                   method="logit")


def _expit(x: float) -> float:
    """The inverse logit, without overflow for large ``|x|``."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def bounded(values: Sequence[float], low: float, high: float,
            level: float = 0.95) -> Estimate:
    """Mean and an interval that stays inside ``[low, high]``: the logit interval for a
    share (``[0, 1]``), else the t interval clipped to the range (module docstring)."""
    e = estimate(values, level)
    if e.n < 2 or any(v < low or v > high for v in values):  # not what the range says:
        return e                                             # the plain t interval
    if (low, high) == (0.0, 1.0):
        return _share(e, level)
    return clip(e, low, high)


def bounds_of(metric: str) -> tuple[float, float]:
    """The values a metric can take (the catalogue's; unbounded for an unknown name)."""
    return catalogue_metric(metric).bounds if is_known(metric) else UNBOUNDED


def difference_bounds(metric: str) -> tuple[float, float]:
    """The values a difference of two values of ``metric`` can take (a share: [-1, 1])."""
    low, high = bounds_of(metric)
    return (low - high, high - low)


def metric_estimate(values: Sequence[float], metric: str, level: float = 0.95) -> Estimate:
    """:func:`bounded` with the metric's range from the catalogue."""
    return bounded(values, *bounds_of(metric), level=level)


def p_value(e: Estimate) -> float:
    """Two-sided p-value of the t-test that the mean is 0 (a paired t-test when ``e`` is
    an estimate of differences); NaN with fewer than 2 replications. With no spread it is
    0 for a non-zero mean and 1 for a zero one."""
    if e.n < 2 or math.isnan(e.std):
        return math.nan
    if e.std == 0.0:
        return 1.0 if e.mean == 0.0 else 0.0
    t = e.mean / (e.std / math.sqrt(e.n))
    return float(2.0 * special.stdtr(e.n - 1, -abs(t)))


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values, in the given order (NaNs stay NaN and do not
    count as tests): ``min over j ≥ i of m·p_(j)/j``, at most 1. Rejecting where the
    adjusted value is ≤ q controls the false discovery rate at q for independent or
    positively dependent (PRDS) tests; comparisons that share a baseline and replications
    are not proven PRDS, but BH is robust to such dependence in practice (Benjamini–
    Yekutieli's guaranteed version would divide q by about ln m + 0.58 more)."""
    ranked = sorted((p, i) for i, p in enumerate(p_values) if not math.isnan(p))
    m = len(ranked)
    adjusted = [math.nan] * len(p_values)
    running = 1.0
    for rank in range(m, 0, -1):
        p, i = ranked[rank - 1]
        running = min(running, p * m / rank)
        adjusted[i] = running
    return adjusted


def summarize(rows: Sequence[Mapping[str, float]], metrics: Sequence[str],
              level: float = 0.95) -> dict[str, Estimate]:
    """One :class:`Estimate` per metric over the replication rows, each interval inside
    the metric's range (:func:`metric_estimate`)."""
    return {m: metric_estimate([float(r[m]) for r in rows], m, level) for m in metrics}
