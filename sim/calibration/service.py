"""Service-time fits: lognormal, gamma and Weibull by maximum likelihood (location fixed at
0), each with 95% percentile-bootstrap intervals for its scenario parameters, AIC and a Q–Q
check, a test for the spike of very short services real logs have, and the choice of the
scenario's service distribution (:data:`CHOICE_TEXT`).

All durations are seconds. A Q–Q deviation at a probability p is how far the fitted
quantile lies outside the empirical quantile's distribution-free 95% confidence band,
relative to the empirical quantile (of at least :data:`QQ_FLOOR_S`): ``max(x_(l) − fitted,
fitted − x_(u), 0) / max(empirical, 1 s)``, where x_(k) is the k-th smallest of the n
durations and the ranks are l = binom.ppf(0.025; n, p) and u = binom.ppf(0.975; n, p) + 1
(a rank below 1 or above n leaves the band open on that side), so that [x_(l), x_(u)] holds
the true p-quantile with probability at least 95%. At large n the band is narrow and this
is close to the plain relative distance ``|fitted − empirical| / max(empirical, 1 s)``; at
small n it spares a correct family the sampling noise of the empirical quantiles. The
bootstrap uses :data:`RESAMPLES` resamples drawn with a fixed seed, so a fit is
reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.stats as st
from scipy.optimize import brentq, minimize

from sim.calibration.log_frame import service_s
from sim.errors import UserInputError

FAMILIES = ("lognormal", "gamma", "weibull")
#: Fewer services than this: no parametric fit, the empirical distribution is used.
MIN_SERVICES = 30
#: Services shorter than this (s) count as short when testing for a spike.
SPIKE_THRESHOLD_S = 10.0
#: An excess short share above this (a share, 0.02 = 2 percentage points) is material.
SPIKE_MATERIAL = 0.02
#: Largest Q–Q deviation (relative distance outside the empirical quantile's 95% band, at
#: probabilities 0.05..0.95) a chosen family may have.
QQ_TOLERANCE = 0.10
#: Zero durations (a log's 1-s resolution) enter the parametric fits as this many seconds.
ZERO_FLOOR_S = 0.5
#: Q–Q deviations are relative to the empirical quantile, but to at least this (s).
QQ_FLOOR_S = 1.0
RESAMPLES = 200
SEED = 20240601

CHOICE_TEXT = (
    "Service distribution: the parametric family (lognormal, gamma, Weibull; maximum "
    "likelihood, location 0) with the lowest AIC, provided that at every probability p = "
    "0.05, 0.06, ..., 0.95 its fitted quantile lies outside the empirical quantile's 95% "
    f"confidence band by at most {QQ_TOLERANCE:.0%} of the empirical quantile (taken as at "
    f"least {QQ_FLOOR_S:g} s), "
    "and the spike of services under "
    f"{SPIKE_THRESHOLD_S:g} s is not material (the share under it exceeds what the best fit "
    "to the longer services predicts by at most "
    f"{SPIKE_MATERIAL * 100:g} percentage points); otherwise the empirical distribution "
    "(101 quantiles, linear interpolation), which reproduces the spike and the body exactly. "
    "The band is distribution-free: with n services, the order statistics whose ranks are "
    "the binomial(n, p) 2.5% and 97.5% points (the upper one plus 1), open on a side where "
    "that rank falls outside 1..n; it holds the true p-quantile with probability at least "
    "95%, so the sampling noise of a small sample does not reject a correct family, while at "
    "large n the band is narrow and the check is the plain relative distance to the "
    "empirical quantile. With 91 probabilities some quantile of the true family often lies "
    "just outside its own band, hence the tolerance on the distance outside. "
    f"Fewer than {MIN_SERVICES} services: empirical."
)

_DISTS: dict[str, Any] = {"lognormal": st.lognorm, "gamma": st.gamma,
                          "weibull": st.weibull_min}
_PARAMS = ("mean_s", "cv", "shape", "scale_s")
QQ_P = np.round(np.arange(1, 100) / 100, 2)
_BODY = (QQ_P >= 0.05) & (QQ_P <= 0.95)


@dataclass(frozen=True)
class ServiceFit:
    """The fit of one group's service times (s).

    ``candidates`` has a row per parametric family, best AIC first: family, parameters
    (text with 95% intervals), aic, delta_aic, qq_dev_5_95 and qq_dev_99 (relative distance
    of the fitted quantile outside the empirical quantile's 95% band: the largest over
    probabilities 0.05..0.95, and at 0.99; 0 inside the band), then mean_s, cv, shape,
    scale_s with ``_low``/``_high`` 95% bootstrap bounds (NaN where the family has no such
    parameter). ``chosen`` is a family or ``"empirical"``; ``spec`` the scenario
    distribution (dict).
    ``spike_share`` is the excess share of services under ``spike_threshold_s`` over what the
    best fit to the longer services predicts (NaN when not estimated). ``qq`` has p,
    empirical and one column per family (fitted quantiles, s) for the Q–Q figure (p and
    empirical only when no family was fitted). ``reason`` says in one line why ``chosen``
    was chosen; ``warnings`` are lines for the user (the label first).
    """

    label: str
    n: int
    mean_s: float
    median_s: float
    cv: float
    candidates: pd.DataFrame
    chosen: str
    spec: dict[str, Any]
    spike_share: float
    spike_threshold_s: float
    qq: pd.DataFrame
    reason: str
    warnings: tuple[str, ...]


def fit_service(durations_s: np.ndarray, label: str, *,
                spike_threshold_s: float = SPIKE_THRESHOLD_S,
                resamples: int = RESAMPLES, seed: int = SEED) -> ServiceFit:
    """Fit the service durations (s) of one group and choose its scenario distribution by
    :data:`CHOICE_TEXT`; ``label`` names the group in messages."""
    x, warnings = _clean(durations_s, label)
    n = len(x)
    mean = float(x.mean())
    qq = pd.DataFrame({"p": QQ_P, "empirical": np.quantile(x, QQ_P)})
    band = quantile_band(x, QQ_P)
    candidates, spike, chosen = _candidate_table([]), float("nan"), "empirical"
    if n < MIN_SERVICES or np.ptp(x) == 0:
        reason = (f"too few to fit ({n} < {MIN_SERVICES}): empirical" if n < MIN_SERVICES
                  else f"all {n} services last {x[0]:g} s: no family fits: empirical")
        warnings.append(f"{label}: {reason}")
    else:
        if (x == 0).any():
            warnings.append(f"{label}: {(x == 0).sum()} services of 0 s enter the "
                            f"parametric fits as {ZERO_FLOOR_S:g} s")
        fitted = np.maximum(x, ZERO_FLOOR_S)
        candidates = _candidate_table(
            [_fit_family(f, fitted, qq, band, resamples, seed) for f in FAMILIES])
        spike, spike_text = _spike(x, spike_threshold_s)
        chosen, reason = _choose(candidates, spike, spike_text)
    return ServiceFit(
        label=label, n=n, mean_s=mean, median_s=float(np.median(x)),
        cv=float(x.std(ddof=1) / mean) if n > 1 and mean > 0 else float("nan"),
        candidates=candidates, chosen=chosen, spec=_chosen_spec(chosen, candidates, x),
        spike_share=spike, spike_threshold_s=spike_threshold_s, qq=qq, reason=reason,
        warnings=tuple(warnings))


def fit_service_by(log: pd.DataFrame, by: list[str], *, notes: list[str] | None = None,
                   **options: Any) -> dict[tuple[Any, ...], ServiceFit]:
    """Fit the service times of a canonical log's served contacts per group of the columns
    ``by`` (e.g. ``["channel", "type"]``); keys are tuples of the group's values. Groups
    with fewer than :data:`MIN_SERVICES` services are skipped; a line per skipped group is
    appended to ``notes`` when given. ``options`` go to :func:`fit_service`."""
    served = log[log["outcome"] == "served"].assign(_service_s=service_s(log))
    fits: dict[tuple[Any, ...], ServiceFit] = {}
    for key, group in served.groupby(by, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        label = ", ".join(f"{c}={v}" for c, v in zip(by, key, strict=True))
        if len(group) < MIN_SERVICES:
            if notes is not None:
                notes.append(f"{label}: {len(group)} services (< {MIN_SERVICES}): "
                             "not fitted on its own")
            continue
        fits[key] = fit_service(group["_service_s"].to_numpy(float), label, **options)
    return fits


def empirical_spec(x: np.ndarray) -> dict[str, Any]:
    """The empirical scenario distribution of durations ``x`` (s): 101 quantiles at
    probabilities 0, 0.01, ..., 1 (linear interpolation), rounded to 0.1 s. The last value
    is not the sample maximum but the end that gives the top 1% segment the mean of the top
    1% of the sample (``2·mean − q99``): interpolating up to the maximum spreads that 1%
    evenly to it and, with a long tail, overstates the mean (by 10% on a real call log:
    203 s against 185 s)."""
    data = np.sort(np.asarray(x, float))
    q = np.quantile(data, np.linspace(0.0, 1.0, 101))
    top = data[data >= q[-2]]
    q[-1] = max(q[-2], 2.0 * float(top.mean()) - q[-2])
    return {"dist": "empirical", "quantiles_s": [round(float(v), 1) for v in q]}


def quantile_band(x: np.ndarray, p: np.ndarray,
                  level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Distribution-free ``level`` confidence band (low, high; s) for the quantiles at
    probabilities ``p`` of the population durations ``x`` (s) were drawn from: the order
    statistics x_(l) and x_(u) with l = binom.ppf((1 − level)/2; n, p) and
    u = binom.ppf((1 + level)/2; n, p) + 1 (1-based), which holds the true p-quantile with
    probability at least ``level``; a rank below 1 gives −inf, above n +inf (the sample
    cannot bound that side)."""
    ordered = np.concatenate([[-np.inf], np.sort(np.asarray(x, float)), [np.inf]])
    n = len(ordered) - 2
    alpha = (1 - level) / 2
    low = np.clip(st.binom.ppf(alpha, n, p), 0, n + 1).astype(int)
    high = np.clip(st.binom.ppf(1 - alpha, n, p) + 1, 0, n + 1).astype(int)
    return ordered[low], ordered[high]


def mle(family: str, x: np.ndarray) -> tuple[float, float]:
    """Maximum-likelihood ``(shape, scale)`` (scipy's parameters, location 0) of ``family``
    for positive durations ``x`` (s): scipy's ``fit(floc=0)`` for lognormal and gamma; for
    Weibull the same estimate by a root of the profile score in the shape (scipy's general
    optimiser is 50 times slower, too slow to bootstrap)."""
    if family == "weibull":
        return _weibull_mle(np.log(x))
    shape, _, scale = _DISTS[family].fit(x, floc=0)
    return float(shape), float(scale)


def family_spec(family: str, shape: float, scale: float) -> dict[str, float]:
    """Scenario parameters of ``family`` from scipy's ``(shape, scale)``: lognormal and
    gamma as mean_s (s) and cv, Weibull as shape and scale_s (s)."""
    if family == "lognormal":
        return {"mean_s": scale * np.exp(shape**2 / 2), "cv": np.sqrt(np.expm1(shape**2))}
    if family == "gamma":
        return {"mean_s": shape * scale, "cv": 1 / np.sqrt(shape)}
    return {"shape": shape, "scale_s": scale}


def _chosen_spec(chosen: str, candidates: pd.DataFrame, x: np.ndarray) -> dict[str, Any]:
    if chosen == "empirical":
        return empirical_spec(x)
    a, b = _keys(chosen)
    best = candidates.set_index("family").loc[chosen]
    return {"dist": chosen, a: round(float(best[a]), 1 if a.endswith("_s") else 4),
            b: round(float(best[b]), 1 if b.endswith("_s") else 4)}


def _keys(family: str) -> tuple[str, str]:
    return ("shape", "scale_s") if family == "weibull" else ("mean_s", "cv")


def _clean(durations_s: np.ndarray, label: str) -> tuple[np.ndarray, list[str]]:
    x = np.asarray(durations_s, dtype=float).ravel()
    warnings = []
    finite = np.isfinite(x)
    if not finite.all():
        warnings.append(f"{label}: {(~finite).sum()} service durations that are not numbers "
                        "left out")
        x = x[finite]
    if len(x) == 0:
        raise UserInputError(f"service times of {label}: no served contact with a duration; "
                             "the log must have served rows with service start and end")
    if (x < 0).any():
        raise UserInputError(f"service times of {label}: {(x < 0).sum()} negative durations "
                             f"(smallest {x.min():g} s); service end must not precede start")
    return x, warnings


def _weibull_mle(logs: np.ndarray) -> tuple[float, float]:
    top, mean_log = float(logs.max()), float(logs.mean())
    z = logs - top

    def score(k: float) -> float:
        w = np.exp(k * z)
        return float((w * z).sum() / w.sum() + top - 1 / k - mean_log)

    low, high = 0.01, 100.0
    while score(high) < 0 and high < 1e6:
        high *= 10
    shape = float(brentq(score, low, high, xtol=1e-10, rtol=1e-10))
    scale = float(np.exp(top + np.log(np.mean(np.exp(shape * z))) / shape))
    return shape, scale


def _fit_family(family: str, x: np.ndarray, qq: pd.DataFrame,
                band: tuple[np.ndarray, np.ndarray], resamples: int,
                seed: int) -> dict[str, Any]:
    """One candidate row: estimates, bootstrap bounds, AIC, Q–Q deviations (outside
    ``band``, the empirical quantiles' 95% band); adds the family's fitted quantiles to
    ``qq``."""
    shape, scale = mle(family, x)
    dist = _DISTS[family]
    loglik = float(dist.logpdf(x, shape, 0, scale).sum())
    fitted_q = dist.ppf(QQ_P, shape, 0, scale)
    qq[family] = fitted_q
    outside = np.maximum(np.maximum(band[0] - fitted_q, fitted_q - band[1]), 0.0)
    dev = outside / np.maximum(qq["empirical"].to_numpy(), QQ_FLOOR_S)
    row: dict[str, Any] = {"family": family, "aic": 4 - 2 * loglik,
                           "qq_dev_5_95": float(dev[_BODY].max()),
                           "qq_dev_99": float(dev[QQ_P == 0.99][0])}
    boot = _bootstrap(family, x, resamples, seed)
    texts = []
    for key, value in family_spec(family, shape, scale).items():
        low, high = np.percentile(boot[key], [2.5, 97.5])
        row |= {key: float(value), f"{key}_low": float(low), f"{key}_high": float(high)}
        texts.append(f"{key}={value:.4g} [{low:.4g}, {high:.4g}]")
    row["parameters"] = ", ".join(texts)
    return row


def _bootstrap(family: str, x: np.ndarray, resamples: int,
               seed: int) -> dict[str, np.ndarray]:
    """The family's scenario parameters over ``resamples`` bootstrap resamples of ``x``."""
    rng = np.random.default_rng(seed)
    draws: dict[str, list[float]] = {}
    for _ in range(resamples):
        sample = x[rng.integers(0, len(x), len(x))]
        for key, value in family_spec(family, *mle(family, sample)).items():
            draws.setdefault(key, []).append(float(value))
    return {key: np.asarray(values) for key, values in draws.items()}


def _candidate_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    columns = ["family", "parameters", "aic", "delta_aic", "qq_dev_5_95", "qq_dev_99"]
    columns += [f"{p}{s}" for p in _PARAMS for s in ("", "_low", "_high")]
    table = pd.DataFrame(rows, columns=[c for c in columns if c != "delta_aic"])
    table = table.sort_values("aic", kind="stable").reset_index(drop=True)
    table.insert(3, "delta_aic", table["aic"] - table["aic"].min())
    return table.astype({c: float for c in columns[2:]})


def _spike(x: np.ndarray, threshold_s: float) -> tuple[float, str]:
    """Excess share of services under ``threshold_s`` over what the best of the families,
    fitted by maximum likelihood to the services at or above it (left-truncated), predicts
    below it; and a sentence saying so."""
    body = x[x >= threshold_s]
    short = float(np.mean(x < threshold_s))
    if len(body) < MIN_SERVICES:
        return float("nan"), (f"only {len(body)} services of {threshold_s:g} s or more: "
                              "no spike test")
    fits = [(_truncated_fit(f, body, threshold_s), f) for f in FAMILIES]
    (_, predicted), family = max(fits)
    excess = max(0.0, (short - predicted) / (1 - predicted))
    return excess, (f"{short:.1%} of services are under {threshold_s:g} s, the best fit to "
                    f"the longer ones ({family}) predicts {predicted:.1%}: "
                    f"{excess * 100:.1f} points in excess")


def _truncated_fit(family: str, body: np.ndarray, threshold_s: float) -> tuple[float, float]:
    """Maximum log-likelihood of ``family`` for durations known to be at or above
    ``threshold_s`` (s), and the share it then predicts below the threshold."""
    dist = _DISTS[family]
    start = np.log(mle(family, body))

    def minus_loglik(theta: np.ndarray) -> float:
        shape, scale = np.exp(theta)
        value = dist.logpdf(body, shape, 0, scale).sum()
        return float(-(value - len(body) * dist.logsf(threshold_s, shape, 0, scale)))

    found = minimize(minus_loglik, start, method="Nelder-Mead",
                     options={"xatol": 1e-6, "fatol": 1e-6, "maxiter": 2000})
    shape, scale = np.exp(found.x)
    return -float(found.fun), float(dist.cdf(threshold_s, shape, 0, scale))


def _choose(candidates: pd.DataFrame, spike: float, spike_text: str) -> tuple[str, str]:
    """The chosen family and why, by :data:`CHOICE_TEXT`."""
    best = candidates.iloc[0]
    name = str(best["family"])
    if spike > SPIKE_MATERIAL:
        return "empirical", f"material spike: {spike_text}"
    if best["qq_dev_5_95"] > QQ_TOLERANCE:
        return "empirical", (f"{name} has the lowest AIC but its quantiles lie up to "
                             f"{best['qq_dev_5_95']:.0%} outside the empirical 95% band "
                             f"(> {QQ_TOLERANCE:.0%})")
    return name, (f"lowest AIC, quantiles at most {best['qq_dev_5_95']:.1%} outside the "
                  "empirical 95% band, "
                  f"no material spike ({spike_text})")

