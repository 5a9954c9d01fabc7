"""Which uncertain parameters decide a verdict: Morris screening of many parameters, then
Sobol' first-order and total indices for the few that matter, computed on the paired
difference ``policy − baseline`` of one metric per world (metric units).

**Morris** (``SALib.analyze.morris`` on a :func:`~sim.robust.design.morris_design`): per
parameter ``μ*``, the mean absolute elementary effect, and ``σ``, their standard deviation
(large: the effect depends on the other parameters, or is non-linear). An elementary effect
is the change of the difference over one grid step divided by the step in unit-cube
coordinates, so ``μ*`` is in *metric units per whole range* of the parameter (the change
the parameter makes going across its range, on its scale). ``μ*`` has a 95% bootstrap
interval (SALib's, normal: ``μ* ± z·sd`` of the resampled ``μ*``, floored at 0).

**Sobol'** (``SALib.analyze.sobol`` on a :func:`~sim.robust.design.sobol_design`): ``S1``,
the share of the difference's variance over worlds due to the parameter alone, and ``ST``,
the share due to it with all its interactions (dimensionless, 0-1), with 95% percentile
intervals from SALib's bootstrap resamples of the base samples.

**Replication noise.** Each world's difference is a mean over a few replications, with a
standard error ``se``. Noise adds to every elementary effect and to every total index: a
parameter with no effect gets ``ST ≈ noise variance / output variance`` and ``μ* ≈`` the
noise floor. Given the per-world ``se`` (independent noise across worlds: each world runs
its own seeds), the Sobol' indices are corrected to the noise-free output: the noise term
``½·mean(se_A² + se_ABj²)`` is taken out of each total index's numerator and the mean noise
variance out of the variance (``S1``'s estimator is unbiased under independent noise, only
its variance is rescaled); the correction is applied to every bootstrap resample with the
full-sample noise terms. Morris reports the noise floor ``√(2/π)·√(2·mean se²)/Δ``
(the expected ``|noise|`` of an elementary effect) instead: a ``μ*`` near it is no
evidence of an effect.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze

from sim.errors import UserInputError
from sim.robust.design import Design

LEVEL = 0.95
RESAMPLES = 1000


@dataclass(frozen=True, eq=False)
class MorrisResult:
    """Morris screening of one verdict's paired difference. ``table`` (index: parameter) has
    ``mu``, ``mu_star``, ``mu_star_low``, ``mu_star_high`` and ``sigma`` (metric units per
    whole range), in the design's order; ``noise_floor`` is the expected ``μ*`` of a
    parameter with no effect (NaN without standard errors); ``step`` the grid step in
    unit-cube coordinates."""

    table: pd.DataFrame
    noise_floor: float
    step: float
    trajectories: int
    levels: int


@dataclass(frozen=True, eq=False)
class SobolResult:
    """Sobol' indices of one verdict's paired difference. ``table`` (index: parameter) has
    ``S1``, ``S1_low``, ``S1_high``, ``ST``, ``ST_low``, ``ST_high`` (shares of variance,
    0-1); ``noise_share`` is the share of the output variance that is replication noise
    (0 without standard errors), already taken out of the indices; ``warnings`` for the
    reader."""

    table: pd.DataFrame
    noise_share: float
    n_base: int
    warnings: tuple[str, ...] = ()


def _outputs(design: Design, y: ArrayLike, kind: str) -> NDArray[np.float64]:
    if design.kind != kind:
        raise UserInputError(f"a {kind} analysis needs a {kind} design, got a {design.kind} "
                             "design")
    out = np.asarray(y, dtype=np.float64).ravel()
    if out.size != design.n_worlds:
        raise UserInputError(f"{out.size} paired differences for a design of "
                             f"{design.n_worlds} worlds; give one per world, in design order")
    bad = int((~np.isfinite(out)).sum())
    if bad:
        raise UserInputError(f"{bad} of {out.size} worlds have no paired difference (NaN); "
                             f"a {kind} analysis needs every world of its design")
    return out


def _noise(design: Design, se: ArrayLike | None) -> NDArray[np.float64]:
    if se is None:
        return np.zeros(design.n_worlds)
    var = np.asarray(se, dtype=np.float64).ravel() ** 2
    if var.size != design.n_worlds or not np.isfinite(var).all():
        raise UserInputError(f"standard errors: {var.size} given for {design.n_worlds} "
                             "worlds; give one finite value per world, in design order")
    return var


def morris_indices(design: Design, y: ArrayLike, se: ArrayLike | None = None,
                   seed: int = 0, resamples: int = RESAMPLES) -> MorrisResult:
    """Morris ``μ*`` (95% bootstrap interval) and ``σ`` of the per-world paired difference
    ``y`` (metric units, one per row of the Morris ``design``); ``se``: per-world standard
    errors of ``y`` (same units) for the noise floor."""
    out = _outputs(design, y, "morris")
    noise = _noise(design, se)
    si = morris_analyze.analyze(design.problem, np.asarray(design.points), out,
                                num_resamples=resamples, conf_level=LEVEL,
                                num_levels=design.levels, seed=int(seed))
    mu_star = np.asarray(si["mu_star"], dtype=np.float64)
    conf = np.asarray(si["mu_star_conf"], dtype=np.float64)
    table = pd.DataFrame({"mu": np.asarray(si["mu"], dtype=np.float64), "mu_star": mu_star,
                          "mu_star_low": np.maximum(mu_star - conf, 0.0),
                          "mu_star_high": mu_star + conf,
                          "sigma": np.asarray(si["sigma"], dtype=np.float64)},
                         index=pd.Index(design.names, name="parameter"))
    step = design.levels / (2.0 * (design.levels - 1))
    floor = (float(np.sqrt(2.0 / np.pi) * np.sqrt(2.0 * noise.mean()) / step)
             if se is not None else float("nan"))
    return MorrisResult(table, floor, step, design.size, design.levels)


def _noise_terms(design: Design, out: NDArray[np.float64],
                 noise: NDArray[np.float64]) -> tuple[NDArray[np.float64], float]:
    """Per parameter, the noise term of the total index, and the noise share of the
    output variance, both in SALib's normalisation (output scaled to unit variance)."""
    k, step = design.k, design.k + 2
    scaled = noise / out.var()
    a, b = out[0::step], out[step - 1::step]
    var_ab = float(np.var(np.r_[a, b] / out.std()))
    noise_a, noise_b = scaled[0::step], scaled[step - 1::step]
    terms = np.array([0.5 * np.mean(noise_a + scaled[j + 1::step]) for j in range(k)])
    return terms / var_ab, float(np.mean(np.r_[noise_a, noise_b]) / var_ab)


def sobol_indices(design: Design, y: ArrayLike, se: ArrayLike | None = None,
                  seed: int = 0, resamples: int = RESAMPLES) -> SobolResult:
    """First-order and total Sobol' indices (0-1) of the per-world paired difference ``y``
    (metric units, one per row of the Sobol' ``design``) with 95% percentile bootstrap
    intervals over ``resamples`` resamples of the base samples; ``se``: per-world standard
    errors of ``y`` (same units) to take replication noise out (see the module)."""
    out = _outputs(design, y, "sobol")
    if np.ptp(out) <= 0.0:
        raise UserInputError("the paired difference is the same in every world: there is "
                             "no variance to split among the parameters")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SALib warns on constant resamples; we report NaN
        si = sobol_analyze.analyze(design.problem, out, calc_second_order=False,
                                   num_resamples=resamples, conf_level=LEVEL,
                                   keep_resamples=True, seed=int(seed) + 1)  # SALib: 0 = none
    terms, share = _noise_terms(design, out, _noise(design, se))
    notes: list[str] = []
    if share >= 0.9:
        notes.append(f"replication noise is {100 * share:.0f}% of the variance of the paired "
                     "difference over worlds: the indices are unreliable; run more "
                     "replications per world")
    scale = 1.0 / (1.0 - share) if share < 1.0 else float("nan")
    s1 = np.asarray(si["S1"]) * scale
    s1_all = np.asarray(si["S1_conf_all"]) * scale
    st = (np.asarray(si["ST"]) - terms) * scale
    st_all = (np.asarray(si["ST_conf_all"]) - terms) * scale
    tails = (100 * (1 - LEVEL) / 2, 100 * (1 + LEVEL) / 2)
    s1_low, s1_high = np.percentile(s1_all, tails, axis=0)
    st_low, st_high = np.percentile(st_all, tails, axis=0)
    table = pd.DataFrame({"S1": s1, "S1_low": s1_low, "S1_high": s1_high,
                          "ST": st, "ST_low": st_low, "ST_high": st_high},
                         index=pd.Index(design.names, name="parameter"))
    return SobolResult(table, share, design.size, tuple(notes))


def top_parameters(morris: MorrisResult, count: int = 3) -> list[str]:
    """The ``count`` parameters with the largest ``μ*``, largest first: the few to give a
    Sobol' design."""
    return list(morris.table["mu_star"].sort_values(ascending=False, kind="stable")
                .index[:count])


def ranking(morris: MorrisResult | None = None, sobol: SobolResult | None = None,
            smallest: float = 0.0, min_total: float = 0.01) -> pd.DataFrame:
    """The parameters ranked by how much they decide the verdict: those with Sobol' indices
    by ``ST`` first, then the others by Morris ``μ*``. Columns ``parameter``, ``measure``
    (``ST`` or ``mu_star``), ``value``, ``low``, ``high`` and ``deciding``: the interval's
    lower end is above ``min_total`` (a share of variance, 0-1) for ``ST``, or above the
    larger of ``smallest`` (the metric's smallest difference that matters, metric units)
    and the noise floor for ``μ*``."""
    if morris is None and sobol is None:
        raise UserInputError("ranking needs Morris or Sobol' results (or both)")
    rows: list[dict[str, object]] = []
    if sobol is not None:
        t = sobol.table.sort_values("ST", ascending=False, kind="stable")
        rows += [{"parameter": p, "measure": "ST", "value": r.ST, "low": r.ST_low,
                  "high": r.ST_high, "deciding": bool(r.ST_low > min_total)}
                 for p, r in t.iterrows()]
    if morris is not None:
        seen = {r["parameter"] for r in rows}
        floor = smallest if np.isnan(morris.noise_floor) else max(smallest,
                                                                   morris.noise_floor)
        t = morris.table.sort_values("mu_star", ascending=False, kind="stable")
        rows += [{"parameter": p, "measure": "mu_star", "value": r.mu_star,
                  "low": r.mu_star_low, "high": r.mu_star_high,
                  "deciding": bool(r.mu_star_low > floor)}
                 for p, r in t.iterrows() if p not in seen]
    return pd.DataFrame(rows, columns=["parameter", "measure", "value", "low", "high",
                                       "deciding"])
