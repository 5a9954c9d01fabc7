"""Patience (how long a contact waits before abandoning) from waits with censoring: an
abandoned contact's wait is its patience (an event), a served contact's wait only a lower
bound (right-censored). Kaplan–Meier survival and Nelson–Aalen hazard (lifelines), censored
maximum likelihood of the exponential, Weibull and lognormal families with 95% Wald
intervals (lifelines' ``summary``), the choice of the scenario's patience distribution
(:data:`CHOICE_TEXT`) and the shape of the hazard in words.

All times are seconds; hazards are per second.
"""

from __future__ import annotations

import warnings as py_warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from lifelines import (
    ExponentialFitter,
    KaplanMeierFitter,
    LogNormalFitter,
    NelsonAalenFitter,
    WeibullFitter,
)
from lifelines.utils import restricted_mean_survival_time
from pydantic import TypeAdapter, ValidationError

from sim.config.distributions import Patience
from sim.errors import UserInputError

#: Abandonments recorded at a wait of 0 enter every fit at this wait (s).
ZERO_ABANDON_S = 0.5
#: Fewer abandonments than this: estimable, but with a warning.
FEW_ABANDONMENTS = 10
#: Hazard "early" window (s) for the Nelson–Aalen comparison of early and later hazard.
EARLY_S = 30.0
#: Points of the time grid (0 to the longest wait) the smoothed hazard is given on.
GRID_POINTS = 401

CHOICE_TEXT = (
    "Patience distribution: of the exponential, Weibull and lognormal families fitted by "
    "censored maximum likelihood (abandoned contacts' waits are patiences, served "
    "contacts' waits lower bounds), the one with the lowest AIC whose parameters a "
    "scenario accepts (a degenerate fit, e.g. a Weibull shape above 100 when every "
    "abandonment falls at one wait, is passed over); a family within 2 AIC points of it "
    "fits about as well. Contacts served at once (wait 0) carry no "
    "information (every patience exceeds 0) and are left out."
)
BANDWIDTH_TEXT = (
    "Smoothed hazard: Epanechnikov kernel over the Nelson–Aalen increments, bandwidth half "
    "the median wait of the abandoned contacts (at least two grid steps); the early/late "
    "comparison uses the Nelson–Aalen cumulative hazard itself (no smoothing)."
)

_PARAMS = ("mean_s", "shape", "scale_s", "median_s", "sigma")
_PATIENCE: TypeAdapter[Any] = TypeAdapter(Patience)


class PatienceNotEstimable(Exception):
    """The waits hold no abandonment, so patience cannot be estimated (one-line reason)."""


@dataclass(frozen=True)
class PatienceFit:
    """The patience fit of one group (times in s, hazards per s).

    ``n`` counts every contact given; ``n_censored`` the served ones (including those
    served at once, which the fits leave out). ``km`` has t, survival, ci_low, ci_high
    (Kaplan–Meier, 95% pointwise); ``hazard`` t, cumulative_hazard (Nelson–Aalen),
    smoothed_hazard (see :data:`BANDWIDTH_TEXT`, ``bandwidth_s``) and at_risk (contacts
    still waiting at t; the hazard is noise where few are) on a grid. ``candidates``
    has a row per family, best AIC first: family, spec (text with 95% intervals), the
    scenario parameters with ``_low``/``_high`` bounds (NaN where the family has none),
    log_likelihood, aic, delta_aic. ``chosen`` is exponential, weibull or lognormal;
    ``spec`` its scenario distribution (lognormal as ``lognormal_median``); ``intervals``
    the 95% interval of each of ``spec``'s parameters. ``km_median_s`` is None when the
    survival never falls to one half. ``restricted_mean_s`` is the area under the
    Kaplan–Meier curve up to ``restricted_to_s`` (the longest wait), the mean patience
    Brown et al. (2005) report; ``naive_mean_s`` the mean of the abandoned waits, which
    ignores censoring and understates patience.
    """

    label: str
    n: int
    n_abandoned: int
    n_censored: int
    abandonment_share: float
    km: pd.DataFrame
    hazard: pd.DataFrame
    candidates: pd.DataFrame
    chosen: str
    spec: dict[str, Any]
    intervals: dict[str, tuple[float, float]]
    hazard_shape: str
    km_median_s: float | None
    restricted_mean_s: float
    restricted_to_s: float
    naive_mean_s: float
    bandwidth_s: float
    notes: tuple[str, ...]
    warnings: tuple[str, ...]


def fit_patience(wait_s: np.ndarray, abandoned: np.ndarray, label: str, *,
                 early_s: float = EARLY_S) -> PatienceFit:
    """Fit patience to the waits ``wait_s`` (s) of contacts that asked for staff, where
    ``abandoned`` is True for those who left the queue (False: served, censored).

    Raises :class:`PatienceNotEstimable` when no contact abandoned."""
    wait, event, n_zero = _clean(wait_s, abandoned, label)
    n, n_abandoned = len(wait), int(event.sum())
    if n_abandoned == 0:
        raise PatienceNotEstimable(
            f"{label}: no abandonments among {n} contacts: patience cannot be estimated; "
            "the scenario keeps the default")
    notes, warnings = _notes(wait, event, n_zero, label)
    keep = (wait > 0) | event
    times, events = np.where(event & (wait == 0), ZERO_ABANDON_S, wait)[keep], event[keep]
    km = KaplanMeierFitter().fit(times, events)
    candidates, unreliable = _candidates(times, events)
    best, spec, passed_over = _choose(candidates, label)
    chosen = str(best["family"])
    keys = _KEYS[chosen]
    warnings += passed_over
    if chosen in unreliable:
        warnings += (f"{label}: the {chosen} fit's variance is not estimable (lifelines: "
                     f"{unreliable[chosen]}): do not trust its 95% intervals",)
    hazard, bandwidth = _hazard(times, events)
    return PatienceFit(
        label=label, n=n, n_abandoned=n_abandoned, n_censored=n - n_abandoned,
        abandonment_share=n_abandoned / n, km=_km_table(km), hazard=hazard,
        candidates=candidates, chosen=chosen, spec=spec,
        intervals={k: (float(best[f"{k}_low"]), float(best[f"{k}_high"])) for k in keys},
        hazard_shape=_hazard_shape(candidates, times, events, early_s),
        km_median_s=_finite(km.median_survival_time_),
        restricted_mean_s=float(restricted_mean_survival_time(km, t=float(times.max()))),
        restricted_to_s=float(times.max()), naive_mean_s=float(times[events].mean()),
        bandwidth_s=bandwidth, notes=notes, warnings=warnings)


def fit_patience_log(log: pd.DataFrame, channel: str, by: list[str] | None = None, *,
                     notes: list[str] | None = None,
                     **options: Any) -> dict[tuple[Any, ...], PatienceFit]:
    """Patience fits of the contacts of ``channel`` in a canonical log that were served or
    abandoned (balked and blocked contacts never queued: they say nothing about patience),
    per group of the columns ``by`` (one group, key ``()``, when None). A group whose
    patience is not estimable is left out, its reason appended to ``notes`` when given;
    when no group is estimable, :class:`PatienceNotEstimable` is raised with the first
    reason. ``options`` go to :func:`fit_patience`."""
    rows = log[(log["channel"] == channel) & log["outcome"].isin(("served", "abandoned"))]
    if not by:
        groups: list[tuple[tuple[Any, ...], pd.DataFrame]] = [((), rows)]
    else:
        groups = [(k if isinstance(k, tuple) else (k,), g)
                  for k, g in rows.groupby(by, sort=True)]
    fits, reasons = {}, []
    for key, group in groups:
        label = ", ".join([f"channel={channel}",
                           *(f"{c}={v}" for c, v in zip(by or [], key, strict=True))])
        try:
            fits[key] = fit_patience(group["wait_s"].to_numpy(float),
                                     (group["outcome"] == "abandoned").to_numpy(), label,
                                     **options)
        except PatienceNotEstimable as error:
            reasons.append(str(error))
    if not fits:
        raise PatienceNotEstimable(reasons[0] if reasons else
                                   f"channel={channel}: no contacts in the log: patience "
                                   "cannot be estimated; the scenario keeps the default")
    if notes is not None:
        notes.extend(reasons)
    return fits


def _clean(wait_s: np.ndarray, abandoned: np.ndarray,
           label: str) -> tuple[np.ndarray, np.ndarray, int]:
    wait = np.asarray(wait_s, dtype=float).ravel()
    event = np.asarray(abandoned, dtype=bool).ravel()
    if len(wait) != len(event):
        raise UserInputError(f"patience of {label}: {len(wait)} waits but {len(event)} "
                             "abandonment flags; give one flag per wait")
    if not np.isfinite(wait).all() or (wait < 0).any():
        raise UserInputError(f"patience of {label}: waits must be numbers of seconds >= 0; "
                             f"{(~np.isfinite(wait) | (wait < 0)).sum()} are not")
    if len(wait) == 0:
        raise PatienceNotEstimable(f"{label}: no contacts: patience cannot be estimated; "
                                   "the scenario keeps the default")
    return wait, event, int(((wait == 0) & ~event).sum())


def _notes(wait: np.ndarray, event: np.ndarray, n_zero: int,
           label: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    notes = [f"{label}: {n_zero} contacts served at once (wait 0) carry no information "
             "about patience and are left out of the fits"] if n_zero else []
    zero_abandoned = int((event & (wait == 0)).sum())
    if zero_abandoned:
        notes.append(f"{label}: {zero_abandoned} abandonments at a wait of 0 s count as "
                     f"{ZERO_ABANDON_S:g} s")
    n_abandoned = int(event.sum())
    warnings = [f"{label}: only {n_abandoned} abandonments (< {FEW_ABANDONMENTS}): the "
                "patience estimate is very uncertain"] if n_abandoned < FEW_ABANDONMENTS else []
    if ((wait > 0) & ~event).sum() == 0:
        warnings.append(f"{label}: every contact that waited abandoned: no served contact "
                        "bounds patience from below")
    return tuple(notes), tuple(warnings)


_DIST = {"exponential": "exponential", "weibull": "weibull", "lognormal": "lognormal_median"}
_KEYS = {"exponential": ("mean_s",), "weibull": ("shape", "scale_s"),
         "lognormal": ("median_s", "sigma")}


def _round(key: str, value: float) -> float:
    return round(value, 1 if key.endswith("_s") else 4)


def _scenario(family: str, params: pd.Series) -> dict[str, float]:
    """Scenario parameters from lifelines' (exponential: S = exp(-t/lambda_); Weibull:
    S = exp(-(t/lambda_)^rho_); lognormal: ln t normal with mu_, sigma_)."""
    if family == "exponential":
        return {"mean_s": float(params["lambda_"])}
    if family == "weibull":
        return {"shape": float(params["rho_"]), "scale_s": float(params["lambda_"])}
    return {"median_s": float(np.exp(params["mu_"])), "sigma": float(params["sigma_"])}


def _spec_problem(spec: dict[str, Any]) -> str:
    """Why a scenario would refuse the patience distribution ``spec`` ('' if it accepts
    it): the first error of the schema's validation, on one line."""
    try:
        _PATIENCE.validate_python(spec)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"][1:]) or "spec"
        given = error.get("input")
        shown = f"{given:.4g}" if isinstance(given, float) else repr(given)
        return f"{where} = {shown}: {error['msg'].removeprefix('Value error, ')}"
    return ""


def _choose(candidates: pd.DataFrame, label: str,
            ) -> tuple[pd.Series, dict[str, Any], tuple[str, ...]]:
    """The best-AIC family a scenario accepts, its scenario distribution, and a warning for
    each better family passed over. Raises :class:`PatienceNotEstimable` when none is
    accepted."""
    problems: list[str] = []
    for _, row in candidates.iterrows():
        family = str(row["family"])
        spec = {"dist": _DIST[family]} | {k: _round(k, float(row[k])) for k in _KEYS[family]}
        problem = _spec_problem(spec)
        if not problem:
            return row, spec, tuple(f"{label}: the {p}: passed over for the next family by AIC"
                                    for p in problems)
        problems.append(f"{family} fit is degenerate ({problem})")
    raise PatienceNotEstimable(f"{label}: every family's fit is degenerate (the {problems[0]}):"
                               " patience cannot be estimated; the scenario keeps the default")


def _candidates(times: np.ndarray, events: np.ndarray) -> tuple[pd.DataFrame, dict[str, str]]:
    """Censored maximum-likelihood fits, best AIC first, in scenario parameters with 95%
    Wald intervals (lifelines' bounds of its own parameters, mapped monotonically); and,
    by family, the first line of a warning lifelines gave about the fit (not shown)."""
    rows, unreliable = [], {}
    for family, fitter in (("exponential", ExponentialFitter()), ("weibull", WeibullFitter()),
                           ("lognormal", LogNormalFitter())):
        with py_warnings.catch_warnings(record=True) as caught:
            py_warnings.simplefilter("always")
            summary = fitter.fit(times, events).summary
        if caught:
            unreliable[family] = str(caught[0].message).strip().splitlines()[0][:120]
        row: dict[str, Any] = {"family": family}
        for column, suffix in (("coef", ""), ("coef lower 95%", "_low"),
                               ("coef upper 95%", "_high")):
            row |= {k + suffix: v for k, v in _scenario(family, summary[column]).items()}
        row["spec"] = f"{_DIST[family]} " + ", ".join(
            f"{k}={row[k]:.4g} [{row[k + '_low']:.4g}, {row[k + '_high']:.4g}]"
            for k in _KEYS[family])
        row |= {"log_likelihood": float(fitter.log_likelihood_), "aic": float(fitter.AIC_)}
        rows.append(row)
    columns = ["family", "spec", *(f"{p}{s}" for p in _PARAMS for s in ("", "_low", "_high")),
               "log_likelihood", "aic"]
    table = pd.DataFrame(rows, columns=columns).sort_values("aic", kind="stable")
    table["delta_aic"] = table["aic"] - table["aic"].min()
    return table.reset_index(drop=True), unreliable


def _km_table(km: KaplanMeierFitter) -> pd.DataFrame:
    ci = km.confidence_interval_survival_function_
    return pd.DataFrame({"t": km.survival_function_.index.to_numpy(float),
                         "survival": km.survival_function_.iloc[:, 0].to_numpy(float),
                         "ci_low": ci.iloc[:, 0].to_numpy(float),
                         "ci_high": ci.iloc[:, 1].to_numpy(float)})


def _hazard(times: np.ndarray, events: np.ndarray) -> tuple[pd.DataFrame, float]:
    """Nelson–Aalen cumulative hazard and its kernel-smoothed hazard (per s) on a grid from
    0 to the longest wait, and the bandwidth (s) by :data:`BANDWIDTH_TEXT`."""
    grid = np.linspace(0.0, float(times.max()), GRID_POINTS)
    bandwidth = max(float(np.median(times[events])) / 2, 2 * float(grid[1]))
    na = NelsonAalenFitter().fit(times, events, timeline=grid)
    smoothed = na.smoothed_hazard_(bandwidth).iloc[:, 0].to_numpy(float)
    at_risk = len(times) - np.searchsorted(np.sort(times), grid, side="left")
    return pd.DataFrame({"t": grid,
                         "cumulative_hazard": na.cumulative_hazard_.iloc[:, 0].to_numpy(float),
                         "smoothed_hazard": smoothed, "at_risk": at_risk}), bandwidth


def _hazard_shape(candidates: pd.DataFrame, times: np.ndarray, events: np.ndarray,
                  early_s: float) -> str:
    """The hazard's shape in words: from the Weibull shape's 95% interval, and the
    Nelson–Aalen average hazard early (0 to ``early_s``) against later (to the 90th
    percentile of the waits)."""
    weibull = candidates.set_index("family").loc["weibull"]
    k, low, high = float(weibull["shape"]), float(weibull["shape_low"]), float(
        weibull["shape_high"])
    where = f"Weibull shape {k:.3g}, 95% CI {low:.3g}–{high:.3g}"
    if high < 1:
        text = ("decreasing hazard: the longer callers have waited, the less likely they "
                f"hang up in the next second ({where})")
    elif low > 1:
        text = ("increasing hazard: the longer callers have waited, the more likely they "
                f"hang up in the next second ({where})")
    else:
        text = f"constant hazard (exponential) cannot be rejected ({where}, contains 1)"
    late = float(np.quantile(times, 0.9))
    early = early_s if early_s < late else late / 2
    h = NelsonAalenFitter().fit(times, events).cumulative_hazard_at_times([early, late])
    first, then = float(h.iloc[0]) / early, float(h.iloc[1] - h.iloc[0]) / (late - early)
    return (f"{text}; Nelson–Aalen: {first:.3g} per s in the first {early:.3g} s, "
            f"{then:.3g} per s from {early:.3g} to {late:.3g} s")


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None
