"""Where a verdict flips: the paired difference as a function of one deciding parameter,
averaged over the other parameters, and the value at which it crosses zero.

**The fit.** Each world gives the parameter's unit-cube coordinate ``u`` (0-1: the share of
the way across its range, on its scale) and the world's mean paired difference ``y``
(metric units). The curve ``E[y | u]``, the others averaged over their ranges (they vary
across worlds, so their effect is part of the scatter), is a local linear regression
(LOWESS without robustness iterations: tricube weights over the nearest ``span`` share of
worlds, a weighted straight line at each grid point). The fit is done in ``u`` so that a
log-uniform parameter is smoothed evenly over its decades, then shown in the parameter's
own units (``to_units``, e.g. the ranges' ``sample_value``). ``span`` is chosen by
leave-one-out cross-validation among :data:`SPANS` unless given.

**The flip.** The value where the fitted curve crosses zero on a fine grid (linear
interpolation between grid points; of several crossings, the steepest); ``None`` when it
never crosses inside the range.

**Uncertainty.** Worlds are resampled with replacement (``n_boot`` times, seeded) and the
curve refitted with the same span: the band is the pointwise 95% percentile band, and the
flip's interval the 95% percentile interval of the resampled crossings (the one nearest the
estimate). A resample whose curve does not cross inside the range puts its crossing beyond
the end the curve's sign points to; an interval end that falls there is reported at the
range's end with ``low_open`` / ``high_open`` set (the flip may lie outside the range).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.errors import UserInputError

SPANS = (0.2, 0.3, 0.5, 0.75)  # candidate shares of worlds in each local fit
LEVEL = 0.95
GRID = 201
MAX_CV = 1500  # worlds used for choosing the span (a seeded subset beyond this)

Floats = NDArray[np.float64]


@dataclass(frozen=True)
class Flip:
    """Where the verdict flips: ``value`` (the parameter's units) with its bootstrap
    interval ``low``-``high`` (same units; ``low_open``/``high_open``: that end reached the
    range's end, the flip may lie beyond it), the same in unit-cube coordinates
    (``u``, ``u_low``, ``u_high``), ``share_crossing`` (0-1: share of resamples whose
    curve crosses inside the range) and ``crossings`` (zero crossings of the fitted curve:
    more than one means the curve wanders around zero)."""

    value: float
    low: float
    high: float
    u: float
    u_low: float
    u_high: float
    low_open: bool
    high_open: bool
    share_crossing: float
    crossings: int


@dataclass(frozen=True, eq=False)
class Boundary:
    """The data of a flip-point figure for ``parameter``: grid in unit-cube coordinates
    (``grid_u``) and the parameter's units (``grid``), the fitted paired difference and its
    pointwise band (metric units), the worlds themselves (``x`` in the parameter's units,
    ``y`` metric units), the :class:`Flip` (``None``: no crossing inside the range), the
    span used (0-1), the level of band and interval, and warnings."""

    parameter: str
    grid_u: Floats
    grid: Floats
    fitted: Floats
    band_low: Floats
    band_high: Floats
    x: Floats
    y: Floats
    flip: Flip | None
    span: float
    level: float
    warnings: tuple[str, ...] = ()


def _weights(dist: Floats, span: float) -> Floats:
    """Tricube weights per row of ``dist`` (targets × worlds) over the nearest ``span``."""
    n = dist.shape[1]
    k = min(n - 1, max(2, int(np.ceil(span * n)) - 1))
    h = np.partition(dist, k, axis=1)[:, k : k + 1]
    h = np.maximum(h, 1e-12)
    return np.clip(1.0 - (dist / h) ** 3, 0.0, None) ** 3


def local_linear(u: Floats, y: Floats, at: Floats, span: float) -> Floats:
    """Local linear regression of ``y`` on ``u`` evaluated at ``at`` (units of ``y``)."""
    d = u[None, :] - at[:, None]
    w = _weights(np.abs(d), span)
    s0, s1, s2 = w.sum(1), (w * d).sum(1), (w * d * d).sum(1)
    t0, t1 = (w * y).sum(1), (w * d * y).sum(1)
    det = s0 * s2 - s1 * s1
    safe = det > 1e-12 * np.maximum(s0 * s2, 1e-300)
    fit = np.where(safe, (s2 * t0 - s1 * t1) / np.where(safe, det, 1.0),
                   t0 / np.maximum(s0, 1e-300))
    return np.asarray(fit, dtype=np.float64)


def _cv_score(u: Floats, y: Floats, span: float) -> float:
    """Leave-one-out mean squared error of the local linear fit at ``span``."""
    d = u[None, :] - u[:, None]
    w = _weights(np.abs(d), span)
    s0, s1, s2 = w.sum(1), (w * d).sum(1), (w * d * d).sum(1)
    det = np.maximum(s0 * s2 - s1 * s1, 1e-300)
    rows = w * (s2[:, None] - s1[:, None] * d) / det[:, None]
    resid = (y - rows @ y) / np.maximum(1.0 - np.diag(rows), 1e-6)
    return float(np.mean(resid**2))


def choose_span(u: Floats, y: Floats, seed: int = 0) -> float:
    """The span of :data:`SPANS` with the smallest leave-one-out error (on at most
    :data:`MAX_CV` worlds, a seeded subset)."""
    if u.size > MAX_CV:
        pick = np.random.default_rng(seed).choice(u.size, MAX_CV, replace=False)
        u, y = u[pick], y[pick]
    scores = [_cv_score(u, y, s) for s in SPANS]
    return SPANS[int(np.argmin(scores))]


def crossings(grid_u: Floats, fitted: Floats) -> list[float]:
    """The ``u`` where ``fitted`` changes sign along ``grid_u`` (linear interpolation)."""
    sign = np.sign(fitted)
    found: list[float] = []
    for i in np.flatnonzero(sign[:-1] * sign[1:] < 0):
        f0, f1 = fitted[i], fitted[i + 1]
        found.append(float(grid_u[i] - f0 * (grid_u[i + 1] - grid_u[i]) / (f1 - f0)))
    found += [float(grid_u[i]) for i in np.flatnonzero(sign == 0)]
    return sorted(found)


def _resampled(u: Floats, y: Floats, grid_u: Floats, span: float, n_boot: int,
               seed: int) -> Floats:
    """Fitted curves of ``n_boot`` resamples of the worlds (n_boot × grid)."""
    rng = np.random.default_rng(seed)
    curves = np.empty((n_boot, grid_u.size))
    for b in range(n_boot):
        pick = rng.integers(0, u.size, u.size)
        curves[b] = local_linear(u[pick], y[pick], grid_u, span)
    return curves


def _boot_crossing(curve: Floats, grid_u: Floats, near: float, rising: bool) -> float:
    """The resample's crossing nearest ``near``; ±inf when it has none (the side the
    curve's sign points to, ``rising``: the estimate goes from negative to positive)."""
    found = crossings(grid_u, curve)
    if found:
        return min(found, key=lambda c: abs(c - near))
    above = bool(np.mean(curve) > 0)
    return -np.inf if above == rising else np.inf


def _flip(grid_u: Floats, fitted: Floats, curves: Floats,
          to_units: Callable[[float], float]) -> Flip | None:
    found = crossings(grid_u, fitted)
    if not found:
        return None
    # the crossing where the curve changes most steeply: the flip rather than a wiggle
    slope = np.gradient(fitted, grid_u)
    u0 = max(found, key=lambda c: abs(float(np.interp(c, grid_u, slope))))
    rising = float(np.interp(u0, grid_u, slope)) > 0
    boots = np.array([_boot_crossing(c, grid_u, u0, rising) for c in curves])
    tail = 100 * (1 - LEVEL) / 2
    lo, hi = np.percentile(boots, (tail, 100 - tail), method="inverted_cdf")
    u_lo, u_hi = float(np.clip(lo, 0.0, 1.0)), float(np.clip(hi, 0.0, 1.0))
    return Flip(to_units(u0), to_units(u_lo), to_units(u_hi), u0, u_lo, u_hi,
                bool(np.isinf(lo)), bool(np.isinf(hi)), float(np.isfinite(boots).mean()),
                len(found))


def boundary(parameter: str, u: ArrayLike, diff: ArrayLike,
             to_units: Callable[[float], float] | None = None, span: float | None = None,
             n_boot: int = 400, seed: int = 0, grid_points: int = GRID) -> Boundary:
    """The paired difference ``diff`` (metric units, one per world) as a function of
    ``parameter``, whose unit-cube coordinate per world is ``u`` (0-1), with its 95% band
    and flip point; ``to_units`` maps a coordinate to the parameter's units (default: the
    coordinate itself)."""
    uu = np.asarray(u, dtype=np.float64).ravel()
    yy = np.asarray(diff, dtype=np.float64).ravel()
    if uu.shape != yy.shape:
        raise UserInputError(f"{parameter}: {uu.size} coordinates but {yy.size} paired "
                             "differences; give one of each per world")
    keep = np.isfinite(uu) & np.isfinite(yy)
    uu, yy = uu[keep], yy[keep]
    if uu.size < 10 or np.unique(uu).size < 5:
        raise UserInputError(f"{parameter}: {uu.size} worlds with {np.unique(uu).size} "
                             "distinct values; a flip curve needs at least 10 worlds over 5 "
                             "values (use a Latin hypercube design)")
    if (uu < 0).any() or (uu > 1).any():
        raise UserInputError(f"{parameter}: coordinates must lie in [0, 1] (the unit cube), "
                             f"got {uu.min():.3g} to {uu.max():.3g}")
    mapping = to_units if to_units is not None else float
    chosen = choose_span(uu, yy, seed) if span is None else float(span)
    grid_u = np.linspace(0.0, 1.0, grid_points)
    fitted = local_linear(uu, yy, grid_u, chosen)
    curves = _resampled(uu, yy, grid_u, chosen, n_boot, seed)
    tail = 100 * (1 - LEVEL) / 2
    band_low, band_high = np.percentile(curves, (tail, 100 - tail), axis=0)
    flip = _flip(grid_u, fitted, curves, mapping)
    notes = []
    if flip is not None and flip.crossings > 1:
        notes.append(f"{parameter}: the fitted difference crosses zero {flip.crossings} "
                     "times; the steepest crossing is reported")
    if int((~keep).sum()):
        notes.append(f"{parameter}: {int((~keep).sum())} worlds without a paired "
                     "difference left out")
    grid = np.array([mapping(float(v)) for v in grid_u])
    xs = np.array([mapping(float(v)) for v in uu])
    return Boundary(parameter, grid_u, grid, fitted, band_low, band_high, xs, yy, flip,
                    chosen, LEVEL, tuple(notes))
