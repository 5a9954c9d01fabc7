"""Split a bundle's effect into its fixes (Shapley values).

A bundle (e.g. ``best_practice``) is a set of single fixes. Given the effect ``v(S)`` of
every subset ``S`` of the ``k`` fixes (a full factorial, ``2^k`` subsets, ``k ≤ 6``): the
mean paired difference of the scenario with exactly the fixes of ``S`` against the
baseline (metric units; ``v(∅) = 0`` unless given), fix ``i``'s Shapley value is its
marginal effect ``v(S ∪ {i}) − v(S)`` averaged over every order in which the fixes could
be added:

    φ_i = Σ_{S ∌ i} |S|! (k − |S| − 1)! / k! · (v(S ∪ {i}) − v(S))

The values add up to the bundle's effect ``v(all) − v(∅)``; an additive fix gets exactly
its own effect, and an interaction between fixes is shared equally among them.

**Standard errors.** ``φ`` is a fixed linear combination of the subsets' effects, so given
per-replication paired differences (replication ``r`` of every subset against replication
``r`` of the baseline, common random numbers) each replication has its own Shapley values
and ``se(φ_i)`` is their standard deviation over ``√R``: the delta method, exact for a
linear statistic, and it keeps the correlations that common random numbers create between
the subsets.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from sim.errors import UserInputError

MAX_FIXES = 6
Subset = frozenset[str]


@dataclass(frozen=True)
class ShapleySplit:
    """The bundle's effect ``total`` (metric units: ``v(all fixes) − v(∅)``) split into
    ``values`` per fix (same units, summing to ``total``), with standard errors (``se``,
    ``total_se``) over ``n_reps`` replications when per-replication differences were given
    (``None`` and 0 otherwise)."""

    fixes: tuple[str, ...]
    values: dict[str, float]
    total: float
    se: dict[str, float] | None = None
    total_se: float | None = None
    n_reps: int = 0

    def interval(self, fix: str | None = None, level: float = 0.95) -> tuple[float, float]:
        """A Student-t interval (``n_reps − 1`` degrees of freedom, two-sided ``level``) of
        ``fix``'s value, or of the bundle's effect when ``fix`` is ``None`` (metric units;
        NaN without replications)."""
        centre = self.total if fix is None else self.values[fix]
        se = self.total_se if fix is None else (self.se or {}).get(fix)
        if se is None or self.n_reps < 2:
            return math.nan, math.nan
        half = float(stats.t.ppf(0.5 + level / 2, self.n_reps - 1)) * se
        return centre - half, centre + half


def subsets(fixes: Sequence[str]) -> list[Subset]:
    """Every subset of ``fixes``, the empty one first, by size then in ``fixes`` order."""
    return [frozenset(c) for size in range(len(fixes) + 1)
            for c in combinations(fixes, size)]


def shapley_weights(fixes: Sequence[str]) -> tuple[list[Subset], NDArray[np.float64]]:
    """The subsets (:func:`subsets`) and the ``k × 2^k`` matrix ``W`` with ``φ = W v``."""
    k = len(fixes)
    order = subsets(fixes)
    where = {s: j for j, s in enumerate(order)}
    weights = np.zeros((k, len(order)))
    for i, fix in enumerate(fixes):
        for s in order:
            if fix in s:
                continue
            w = math.factorial(len(s)) * math.factorial(k - len(s) - 1) / math.factorial(k)
            weights[i, where[s | {fix}]] += w
            weights[i, where[s]] -= w
    return order, weights


def _subset(key: Iterable[str]) -> Subset:
    if isinstance(key, str):
        raise UserInputError(f"subset {key!r}: name a subset of fixes as a set or tuple of "
                             "fix names, not a single string")
    return frozenset(key)


def _table(effects: Mapping[Subset, NDArray[np.float64]]) -> tuple[tuple[str, ...],
                                                                   NDArray[np.float64]]:
    """The fixes (sorted) and the effects in :func:`subsets` order (2^k × reps); the
    empty subset is 0 when absent."""
    fixes = tuple(sorted(set().union(*effects)))
    if not fixes:
        raise UserInputError("no fixes: give the effect of at least one non-empty subset")
    if len(fixes) > MAX_FIXES:
        raise UserInputError(f"{len(fixes)} fixes ({', '.join(fixes)}): at most {MAX_FIXES} "
                             f"(a full factorial of 2^{MAX_FIXES} scenarios)")
    order = subsets(fixes)
    missing = [s for s in order[1:] if s not in effects]
    if missing:
        shown = ", ".join("{" + ", ".join(sorted(s)) + "}" for s in missing[:4])
        raise UserInputError(f"the full factorial of {len(fixes)} fixes needs all "
                             f"{len(order) - 1} non-empty subsets; missing {len(missing)}: "
                             f"{shown}")
    width = {v.shape for v in effects.values()}
    if len(width) > 1:
        raise UserInputError("every subset needs the same number of replications; got "
                             f"{sorted(w[0] for w in width)}")
    zero = np.zeros(next(iter(width)))
    rows = np.array([effects.get(s, zero) for s in order])
    if not np.isfinite(rows).all():
        raise UserInputError("effects must be finite numbers (a subset's difference is NaN)")
    return fixes, rows


def shapley_split(effects: Mapping[Subset, float]) -> ShapleySplit:
    """Shapley values of the fixes from the mean effect of every subset (metric units;
    keys: frozensets of fix names, tuples also accepted; the empty subset may be left out:
    0)."""
    table = {_subset(k): np.atleast_1d(np.asarray(v, dtype=np.float64))
             for k, v in effects.items()}
    if any(v.shape != (1,) for v in table.values()):
        raise UserInputError("shapley_split takes one mean effect per subset; use "
                             "shapley_split_replications for per-replication differences")
    fixes, rows = _table(table)
    _, weights = shapley_weights(fixes)
    phi = weights @ rows[:, 0]
    return ShapleySplit(fixes, dict(zip(fixes, map(float, phi), strict=True)),
                        float(rows[-1, 0] - rows[0, 0]))


def shapley_split_replications(diffs: Mapping[Subset, ArrayLike]) -> ShapleySplit:
    """Shapley values with standard errors from per-replication paired differences of
    every subset against the baseline (metric units; the same ``R ≥ 2`` replications, in
    the same order, for every subset; the empty subset may be left out: 0)."""
    table = {_subset(k): np.asarray(v, dtype=np.float64).ravel() for k, v in diffs.items()}
    fixes, rows = _table(table)
    reps = rows.shape[1]
    if reps < 2:
        raise UserInputError(f"{reps} replication per subset: standard errors need at "
                             "least 2")
    _, weights = shapley_weights(fixes)
    per_rep = weights @ rows  # k × R: each replication's Shapley values
    total = rows[-1] - rows[0]
    se = per_rep.std(axis=1, ddof=1) / math.sqrt(reps)
    return ShapleySplit(fixes, dict(zip(fixes, map(float, per_rep.mean(axis=1)), strict=True)),
                        float(total.mean()), dict(zip(fixes, map(float, se), strict=True)),
                        float(total.std(ddof=1) / math.sqrt(reps)), reps)
