"""Statistics over replications: means and Student-t confidence intervals."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scipy import stats


@dataclass(frozen=True)
class Estimate:
    """Mean of ``n`` replications with a two-sided confidence interval."""

    mean: float
    std: float
    ci_low: float
    ci_high: float
    n: int

    def contains(self, value: float) -> bool:
        """True if ``value`` lies inside the interval."""
        return self.ci_low <= value <= self.ci_high


def estimate(values: Sequence[float], level: float = 0.95) -> Estimate:
    """Mean and t-interval of the finite values (NaNs are replications where the metric
    is undefined, e.g. a wait mean with no customers)."""
    xs = [v for v in values if not math.isnan(v)]
    n = len(xs)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, math.nan, 0)
    mean = math.fsum(xs) / n
    if n == 1:
        return Estimate(mean, math.nan, math.nan, math.nan, 1)
    std = math.sqrt(math.fsum((x - mean) ** 2 for x in xs) / (n - 1))
    half = float(stats.t.ppf(0.5 + level / 2.0, n - 1)) * std / math.sqrt(n)
    return Estimate(mean, std, mean - half, mean + half, n)


def summarize(rows: Sequence[Mapping[str, float]], metrics: Sequence[str],
              level: float = 0.95) -> dict[str, Estimate]:
    """One :class:`Estimate` per metric over the replication rows."""
    return {m: estimate([float(r[m]) for r in rows], level) for m in metrics}
