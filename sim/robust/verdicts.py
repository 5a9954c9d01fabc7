"""How robust a verdict is over plausible worlds: each world classified, the shares of
worlds in each class with an interval over worlds, and a headline in words.

A *verdict* is "``policy`` is better than ``baseline`` on ``metric``". In each world the
paired difference ``policy − baseline`` (in the metric's units: a share as 0-1, seconds,
contacts ...) is estimated from the world's replications (common random numbers) as a mean
with a standard error, and the world is classified by its interval:

* ``holds``: the whole interval lies on the better side, beyond the metric's smallest
  difference that matters (``sim.metrics.catalogue``: ``Metric.smallest_difference``);
* ``reverses``: the whole interval lies on the worse side, beyond it;
* ``cannot be told apart``: anything else. Within it, :attr:`Robustness.negligible` counts
  the worlds whose interval lies inside ± the smallest difference (no practical difference).

**Noise.** With few replications per world the difference is noisy. Worlds are classified by
their interval, not their point estimate: noise then pushes worlds into "cannot be told
apart" rather than into the wrong class, so the "holds" and "reverses" shares are lower
bounds of the shares of worlds where the verdict truly holds or reverses at the chosen
replications (more replications per world move worlds out of "cannot be told apart").

**Multiplicity (Bonferroni).** A report states several verdicts (policies × metrics):
``family_size`` is their number ``m``. The per-world intervals are Student-t intervals at
level ``1 − α/m`` (``α`` = 0.05), so in any one world the chance that *some* verdict of the
report is wrongly called ``holds`` or ``reverses`` is at most ``α``. The share intervals
are Clopper–Pearson intervals at the same level ``1 − α/m``, so the report's share
intervals hold together with probability at least ``1 − α``. Bonferroni rather than Holm:
Holm gives decisions, not intervals, and each world's class is read off an interval.

**The share interval is over worlds.** The worlds are a random sample (a Latin hypercube) of
the plausible worlds, so the count of worlds in a class is binomial over worlds (a Latin
hypercube's count varies no more than ``n/(n − 1)`` times an independent sample's, Owen
1997, so the interval is at worst marginally optimistic and usually conservative). It says
nothing about parameter values outside the ranges sampled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from sim.errors import UserInputError
from sim.metrics.catalogue import is_known
from sim.metrics.catalogue import metric as catalogue_metric

HOLDS = "holds"
REVERSES = "reverses"
UNCLEAR = "cannot be told apart"
CLASSES = (HOLDS, REVERSES, UNCLEAR)
ALPHA = 0.05  # family-wise error rate of one report's statements

Better = Literal["higher", "lower"]


@dataclass(frozen=True)
class Rule:
    """What a verdict claims: on ``metric`` (its ``words`` for headlines) the policy is
    better in direction ``better``, by more than ``smallest`` (≥ 0, the metric's units)."""

    metric: str
    better: Better
    smallest: float
    words: str = ""

    def gain(self, diff: NDArray[np.float64]) -> NDArray[np.float64]:
        """Paired differences turned so that positive is better (metric units)."""
        return diff if self.better == "higher" else -diff


def rule_for(metric: str) -> Rule:
    """The verdict rule of a catalogue metric: its better direction and smallest difference
    that matters. Raises :class:`UserInputError` for an unknown metric or one with no
    better direction (a plain count of arrivals, a signed gap)."""
    if not is_known(metric):
        raise UserInputError(f"metric {metric!r} is not in the metric catalogue; see "
                             "docs/metrics.md for the names")
    m = catalogue_metric(metric)
    if m.better is None:
        raise UserInputError(f"metric {metric!r} has no better direction; choose a metric "
                             "that is better higher or lower for a robustness verdict")
    return Rule(metric, m.better, m.smallest_difference, m.words)


@dataclass(frozen=True, eq=False)
class WorldDiffs:
    """Per world: the mean paired difference ``policy − baseline`` (metric units), its
    standard error (same units) and the number of replications it is over."""

    mean: NDArray[np.float64]
    se: NDArray[np.float64]
    n: NDArray[np.int64]

    @property
    def n_worlds(self) -> int:
        """The number of worlds."""
        return int(self.mean.shape[0])


def from_replications(values: ArrayLike) -> WorldDiffs:
    """:class:`WorldDiffs` of a worlds × replications matrix of paired differences (metric
    units); NaN (the metric undefined in a replication) is left out of its world."""
    data = np.asarray(values, dtype=np.float64)
    if data.ndim != 2:
        raise UserInputError(f"paired differences: a worlds × replications matrix is needed, "
                             f"got shape {data.shape}")
    finite = np.isfinite(data)
    n = finite.sum(axis=1)
    filled = np.where(finite, data, 0.0)
    mean = np.divide(filled.sum(axis=1), n, out=np.full(n.shape, np.nan), where=n > 0)
    squares = np.where(finite, (data - mean[:, None]) ** 2, 0.0).sum(axis=1)
    var = np.divide(squares, n - 1, out=np.full(n.shape, np.nan), where=n > 1)
    return WorldDiffs(mean, np.sqrt(var / np.maximum(n, 1)), n.astype(np.int64))


def from_summary(mean: ArrayLike, se: ArrayLike, n: ArrayLike) -> WorldDiffs:
    """:class:`WorldDiffs` from per-world means and standard errors (metric units) over
    ``n`` replications each (a scalar ``n`` is the same for every world)."""
    m = np.asarray(mean, dtype=np.float64).ravel()
    s = np.asarray(se, dtype=np.float64).ravel()
    reps = np.broadcast_to(np.asarray(n, dtype=np.int64), m.shape).copy()
    if s.shape != m.shape:
        raise UserInputError(f"paired differences: {m.size} means but {s.size} standard "
                             "errors; give one of each per world")
    return WorldDiffs(m, s, reps)


def world_intervals(diffs: WorldDiffs, level: float) -> tuple[NDArray[np.float64],
                                                              NDArray[np.float64]]:
    """Two-sided Student-t intervals (``n − 1`` degrees of freedom) of each world's mean
    difference at ``level``; NaN ends for a world with fewer than two replications."""
    ok = (diffs.n > 1) & np.isfinite(diffs.mean) & np.isfinite(diffs.se)
    t = np.full(diffs.mean.shape, np.nan)
    t[ok] = stats.t.ppf(0.5 + level / 2.0, diffs.n[ok] - 1)
    return diffs.mean - t * diffs.se, diffs.mean + t * diffs.se


def world_level(family_size: int, alpha: float = ALPHA) -> float:
    """The Bonferroni level ``1 − α/m`` of every interval of a report of ``m`` verdicts."""
    if isinstance(family_size, bool) or not isinstance(family_size, int) or family_size < 1:
        raise UserInputError(f"family_size = {family_size!r}: the number of verdicts in the "
                             "report, a whole number ≥ 1")
    if not 0.0 < alpha < 1.0:
        raise UserInputError(f"alpha = {alpha!r}: must lie strictly between 0 and 1")
    return 1.0 - alpha / family_size


def classify(diffs: WorldDiffs, rule: Rule, family_size: int = 1,
             alpha: float = ALPHA) -> NDArray[np.str_]:
    """Each world's class (:data:`CLASSES`) from its interval at the Bonferroni level
    ``1 − alpha / family_size``: ``holds`` when the interval of the gain (the difference
    turned so that positive is better) lies above ``rule.smallest``, ``reverses`` when it
    lies below ``−rule.smallest``, else ``cannot be told apart`` (also for a world with
    fewer than two replications)."""
    low, high = world_intervals(diffs, world_level(family_size, alpha))
    gain_low = np.fmin(rule.gain(low), rule.gain(high))
    gain_high = np.fmax(rule.gain(low), rule.gain(high))
    return np.where(gain_low > rule.smallest, HOLDS,
                    np.where(gain_high < -rule.smallest, REVERSES, UNCLEAR)).astype(np.str_)


def negligible(diffs: WorldDiffs, rule: Rule, family_size: int = 1,
               alpha: float = ALPHA) -> NDArray[np.bool_]:
    """Per world: True when its interval (as in :func:`classify`) lies inside
    ``± rule.smallest`` (no practical difference); False when ``rule.smallest`` is 0."""
    low, high = world_intervals(diffs, world_level(family_size, alpha))
    inside = (low >= -rule.smallest) & (high <= rule.smallest)
    return np.asarray(inside & (rule.smallest > 0.0), dtype=np.bool_)


def share_interval(count: int, n: int, level: float) -> tuple[float, float]:
    """Clopper–Pearson interval of a share ``count / n`` at ``level`` (exact binomial: its
    coverage is at least ``level`` for any true share); NaNs when ``n`` is 0."""
    if n <= 0:
        return (float("nan"), float("nan"))
    tail = (1.0 - level) / 2.0
    low = 0.0 if count == 0 else float(stats.beta.ppf(tail, count, n - count + 1))
    high = 1.0 if count == n else float(stats.beta.ppf(1.0 - tail, count + 1, n - count))
    return (low, high)


@dataclass(frozen=True)
class Share:
    """``count`` of ``n`` worlds, their share (0-1) and its interval over worlds (0-1)."""

    count: int
    n: int
    share: float
    low: float
    high: float

    def percent(self) -> str:
        """``97% [95, 99]``: the share and its interval in whole percent."""
        return (f"{100 * self.share:.0f}% [{100 * self.low:.0f}, "
                f"{100 * self.high:.0f}]")


def share_of(mask: NDArray[np.bool_], level: float) -> Share:
    """The :class:`Share` of worlds where ``mask`` is True, interval at ``level``."""
    count, n = int(mask.sum()), int(mask.size)
    low, high = share_interval(count, n, level)
    return Share(count, n, count / n if n else float("nan"), low, high)


@dataclass(frozen=True, eq=False)
class Robustness:
    """How robust ``policy``'s verdict against ``baseline`` is over ``n_worlds`` worlds:
    each world's class, the :class:`Share` of worlds in each class (keys :data:`CLASSES`)
    and of worlds with no practical difference (a part of ``cannot be told apart``), the
    Bonferroni ``level`` of every interval (per-world and share) for ``family_size``
    verdicts, and warnings to show the reader."""

    policy: str
    baseline: str
    rule: Rule
    classes: NDArray[np.str_]
    shares: dict[str, Share]
    negligible: Share
    level: float
    family_size: int
    warnings: tuple[str, ...] = ()

    @property
    def n_worlds(self) -> int:
        """The number of worlds."""
        return int(self.classes.size)


def robustness(policy: str, baseline: str, diffs: WorldDiffs, rule: Rule,
               family_size: int = 1, alpha: float = ALPHA) -> Robustness:
    """Classify every world (:func:`classify`) and count the classes, with Clopper–Pearson
    intervals over worlds at the Bonferroni level ``1 − alpha / family_size``."""
    if diffs.n_worlds == 0:
        raise UserInputError(f"{policy} vs {baseline} on {rule.metric}: no worlds to judge")
    level = world_level(family_size, alpha)
    classes = classify(diffs, rule, family_size, alpha)
    shares = {c: share_of(classes == c, level) for c in CLASSES}
    small = share_of(negligible(diffs, rule, family_size, alpha), level)
    warnings = []
    too_few = int(((diffs.n < 2) | ~np.isfinite(diffs.mean)).sum())
    if too_few:
        warnings.append(f"{policy} vs {baseline} on {rule.metric}: {too_few} of "
                        f"{diffs.n_worlds} worlds have fewer than 2 replications with the "
                        "metric, counted as cannot be told apart")
    if shares[UNCLEAR].share > 0.5 and small.share < 0.5 * shares[UNCLEAR].share:
        warnings.append(f"{policy} vs {baseline} on {rule.metric}: "
                        f"{shares[UNCLEAR].percent()} of worlds cannot be told apart, most "
                        "of them for noise; more replications per world would sharpen the "
                        "shares")
    return Robustness(policy, baseline, rule, classes, shares, small, level, family_size,
                      tuple(warnings))


def headline(r: Robustness, parameter: str = "", flip_at: str = "") -> str:
    """The verdict's robustness in words, e.g. ``best_practice beats as_found on walkouts
    in 97% [95, 99] of plausible worlds``; when the verdict flips inside the ranges
    (``parameter``: words for the deciding parameter, ``flip_at``: the value with its unit),
    ``hold_and_greet's verdict on waiting time depends on how long callers tolerate hold
    (flips at about 95 s): ...``. Shares in whole percent with their intervals over
    worlds."""
    words = r.rule.words or r.rule.metric.replace("_", " ")
    holds, reverses, unclear = (r.shares[c] for c in CLASSES)
    tail = []
    if reverses.count and holds.count >= reverses.count:
        tail.append(f"loses in {reverses.percent()}")
    if holds.count and reverses.count > holds.count:
        tail.append(f"wins in {holds.percent()}")
    if unclear.count:
        tail.append(f"cannot be told apart in {unclear.percent()}")
    rest = f" ({'; '.join(tail)})" if tail else ""
    if parameter and flip_at:
        return (f"{r.policy}'s verdict against {r.baseline} on {words} depends on "
                f"{parameter} (flips at about {flip_at}): it wins in {holds.percent()} and "
                f"loses in {reverses.percent()} of plausible worlds")
    if holds.count == 0 and reverses.count == 0:
        return (f"{r.policy} cannot be told apart from {r.baseline} on {words} in any of "
                f"{r.n_worlds} plausible worlds")
    if holds.count >= reverses.count:
        return (f"{r.policy} beats {r.baseline} on {words} in {holds.percent()} of "
                f"plausible worlds{rest}")
    return (f"{r.policy} loses to {r.baseline} on {words} in {reverses.percent()} of "
            f"plausible worlds{rest}")
