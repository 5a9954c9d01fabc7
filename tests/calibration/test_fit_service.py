"""Service-time fits (sim.calibration.service) on samples of known truth: the right family is
chosen, its bootstrap intervals contain the true parameters, the Q–Q check tolerates the
sampling noise of small samples but still rejects a family that does not fit, a spike of very
short services is found and sends the choice to the empirical distribution, small groups are
not fitted."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
import scipy.stats as st

from sim.calibration.log_frame import empty_frame
from sim.calibration.service import (
    CHOICE_TEXT,
    MIN_SERVICES,
    QQ_P,
    QQ_TOLERANCE,
    ServiceFit,
    empirical_spec,
    fit_service,
    fit_service_by,
    mle,
    quantile_band,
)
from sim.errors import UserInputError

N = 3000
SEEDS = range(5)


def lognormal(mean: float, cv: float, n: int, rng: np.random.Generator) -> np.ndarray:
    sigma = np.sqrt(np.log1p(cv**2))
    return rng.lognormal(np.log(mean) - sigma**2 / 2, sigma, n)


def gamma(mean: float, cv: float, n: int, rng: np.random.Generator) -> np.ndarray:
    shape = 1 / cv**2
    return rng.gamma(shape, mean / shape, n)


def weibull(shape: float, scale: float, n: int, rng: np.random.Generator) -> np.ndarray:
    return scale * rng.weibull(shape, n)


def contains(fit_row: pd.Series, key: str, truth: float) -> bool:
    return bool(fit_row[f"{key}_low"] <= truth <= fit_row[f"{key}_high"])


def row(fit: ServiceFit, family: str) -> pd.Series:
    return fit.candidates.set_index("family").loc[family]


def test_lognormal_round_trip() -> None:
    fit = fit_service(lognormal(180.0, 0.9, N, np.random.default_rng(1)), "lognormal")
    assert fit.chosen == "lognormal"
    assert fit.spec["dist"] == "lognormal"
    assert set(fit.spec) == {"dist", "mean_s", "cv"}
    assert fit.spec["mean_s"] == pytest.approx(180.0, rel=0.05)
    assert contains(row(fit, "lognormal"), "mean_s", 180.0)
    assert contains(row(fit, "lognormal"), "cv", 0.9)
    assert fit.spike_share < 0.01
    assert fit.warnings == ()


@pytest.mark.parametrize(("family", "draw", "truth"), [
    ("lognormal", lambda rng: lognormal(240.0, 1.1, N, rng), {"mean_s": 240.0, "cv": 1.1}),
    ("gamma", lambda rng: gamma(180.0, 0.6, N, rng), {"mean_s": 180.0, "cv": 0.6}),
    ("weibull", lambda rng: weibull(1.5, 300.0, N, rng), {"shape": 1.5, "scale_s": 300.0}),
])
def test_family_chosen_in_most_seeds_and_intervals_hold(
        family: str, draw: Callable[[np.random.Generator], np.ndarray],
        truth: dict[str, float]) -> None:
    fits = [fit_service(draw(np.random.default_rng(seed)), family) for seed in SEEDS]
    assert sum(f.chosen == family for f in fits) >= 4
    covered = [all(contains(row(f, family), k, v) for k, v in truth.items()) for f in fits]
    assert sum(covered) >= 4
    assert covered[0]


def test_small_lognormal_samples_are_not_rejected_by_sampling_noise() -> None:
    # the plain relative Q–Q deviation chose lognormal in 5 of 20 seeds at n = 200
    for n in (100, 200):
        fits = [fit_service(lognormal(180.0, 1.0, n, np.random.default_rng(seed)), "small",
                            resamples=20) for seed in SEEDS]
        assert sum(f.chosen == "lognormal" for f in fits) >= 4, n


def test_skewed_gamma_passes_qq_and_a_wrong_family_does_not() -> None:
    # gamma with cv 1.2 at n = 1000: the plain relative deviation rejected it in 20 of 20 seeds
    for seed in SEEDS:
        fit = fit_service(gamma(180.0, 1.2, 1000, np.random.default_rng(seed)), "skewed",
                          resamples=20)
        assert row(fit, "gamma")["qq_dev_5_95"] <= QQ_TOLERANCE
        assert row(fit, "lognormal")["qq_dev_5_95"] > 2 * QQ_TOLERANCE


@pytest.mark.parametrize("n", [200, N])
def test_bimodal_mixture_is_rejected_by_qq(n: int) -> None:
    rng = np.random.default_rng(9)
    x = np.where(rng.random(n) < 0.5, lognormal(60.0, 0.3, n, rng),
                 lognormal(400.0, 0.3, n, rng))
    fit = fit_service(x, "bimodal", resamples=20)
    assert fit.chosen == "empirical"
    assert "outside the empirical 95% band" in fit.reason
    assert (fit.candidates["qq_dev_5_95"] > QQ_TOLERANCE).all()


def test_large_samples_keep_the_plain_relative_deviation() -> None:
    fit = fit_service(lognormal(180.0, 1.0, 20000, np.random.default_rng(10)), "large",
                      resamples=10)
    body = (fit.qq["p"] >= 0.05) & (fit.qq["p"] <= 0.95)
    empirical = fit.qq["empirical"][body]
    plain = (fit.qq["gamma"][body] - empirical).abs() / np.maximum(empirical, 1.0)
    assert plain.max() > QQ_TOLERANCE
    assert plain.max() - 0.03 < row(fit, "gamma")["qq_dev_5_95"] <= plain.max()


def test_quantile_band_covers_the_true_quantile() -> None:
    rng = np.random.default_rng(11)
    p = np.array([0.05, 0.5, 0.95])
    covered = np.zeros(len(p))
    for _ in range(1000):
        x = rng.uniform(0.0, 1.0, 50)  # the true p-quantile of uniform(0, 1) is p
        low, high = quantile_band(x, p)
        assert (low <= np.quantile(x, p)).all() and (np.quantile(x, p) <= high).all()
        covered += (low <= p) & (p <= high)
    assert (covered / 1000 >= 0.94).all()
    low, high = quantile_band(rng.uniform(0.0, 1.0, 20000), QQ_P)
    assert (high - low).max() < 0.03


def test_spike_mixture_goes_empirical() -> None:
    rng = np.random.default_rng(7)
    body = lognormal(180.0, 1.0, N, rng)
    spike = rng.uniform(1.0, 5.0, round(N * 0.05 / 0.95))
    fit = fit_service(np.round(np.concatenate([body, spike])), "spiky")
    assert fit.spike_share == pytest.approx(0.05, abs=0.01)
    assert fit.chosen == "empirical"
    assert "spike" in fit.reason
    assert fit.spec["dist"] == "empirical"
    assert len(fit.spec["quantiles_s"]) == 101
    assert fit.spec["quantiles_s"][5] < 10.0


def test_many_naturally_short_services_are_no_spike() -> None:
    # gamma with cv 1.2: about 11% of services under 10 s, all predicted by the body
    x = gamma(180.0, 1.2, 4 * N, np.random.default_rng(3))
    assert np.mean(x < 10) > 0.09
    fit = fit_service(x, "gamma")
    assert fit.spike_share < 0.01


def test_weibull_mle_matches_scipy() -> None:
    x = weibull(0.8, 120.0, 2000, np.random.default_rng(4))
    shape, _, scale = st.weibull_min.fit(x, floc=0)
    assert mle("weibull", x) == pytest.approx((shape, scale), rel=1e-4)


def test_candidates_and_qq_tables() -> None:
    fit = fit_service(gamma(200.0, 0.8, 1000, np.random.default_rng(5)), "g")
    c = fit.candidates
    assert list(c["family"]) == sorted(c["family"], key=lambda f: float(row(fit, f)["aic"]))
    assert c["delta_aic"].iloc[0] == 0.0 and (c["delta_aic"] >= 0).all()
    assert {"parameters", "qq_dev_5_95", "qq_dev_99", "shape_low", "cv_high"} <= set(c)
    assert np.isnan(row(fit, "lognormal")["shape"])  # lognormal has no shape parameter
    assert np.isnan(row(fit, "weibull")["mean_s"])
    assert list(fit.qq.columns) == ["p", "empirical", "lognormal", "gamma", "weibull"]
    assert fit.qq["p"].iloc[0] == 0.01 and fit.qq["p"].iloc[-1] == 0.99
    assert fit.n == 1000 and fit.mean_s == pytest.approx(200.0, rel=0.1)


def test_too_few_services_go_empirical_with_a_warning() -> None:
    fit = fit_service(np.arange(1.0, 21.0), "small")
    assert fit.chosen == "empirical" and fit.candidates.empty
    assert fit.warnings == ("small: too few to fit (20 < 30): empirical",)
    assert fit.spec == empirical_spec(np.arange(1.0, 21.0))


def test_zero_durations_are_floored_with_a_warning_and_kept_in_the_empirical() -> None:
    x = np.concatenate([np.zeros(10), gamma(100.0, 0.7, 500, np.random.default_rng(6))])
    fit = fit_service(x, "zeros")
    assert any("10 services of 0 s" in w for w in fit.warnings)
    assert empirical_spec(x)["quantiles_s"][0] == 0.0


def test_empirical_spec_interpolates_linearly() -> None:
    spec = empirical_spec(np.array([0.0, 100.0]))
    assert spec["quantiles_s"][:100:25] == [0.0, 25.0, 50.0, 75.0]
    # the top segment [q99, q100] keeps the top 1%'s mean (100): it ends at 2·100 − 99
    assert spec["quantiles_s"][99:] == [99.0, 101.0]


def test_bad_durations_are_user_errors() -> None:
    with pytest.raises(UserInputError, match="negative"):
        fit_service(np.array([5.0, -1.0]), "bad")
    with pytest.raises(UserInputError, match="no served contact"):
        fit_service(np.array([]), "none")


def test_fit_by_group_skips_small_groups_with_a_note() -> None:
    rng = np.random.default_rng(8)
    durations = np.concatenate([gamma(100.0, 0.7, 200, rng), gamma(300.0, 0.7, 10, rng)])
    log = empty_frame().reindex(range(210))
    log["channel"] = "phone"
    log["type"] = ["A"] * 200 + ["B"] * 10
    log["outcome"] = "served"
    log["service_start_s"] = 1000.0
    log["service_end_s"] = 1000.0 + durations
    notes: list[str] = []
    fits = fit_service_by(log, ["channel", "type"], notes=notes, resamples=50)
    assert list(fits) == [("phone", "A")]
    assert fits[("phone", "A")].n == 200 and fits[("phone", "A")].label == "channel=phone, type=A"
    assert notes == [f"channel=phone, type=B: 10 services (< {MIN_SERVICES}): "
                     "not fitted on its own"]


def test_choice_text_states_the_rule() -> None:
    assert "lowest AIC" in CHOICE_TEXT and "10%" in CHOICE_TEXT and "2 percentage" in CHOICE_TEXT
    assert "outside the empirical quantile's 95% confidence band" in CHOICE_TEXT
    assert "binomial(n, p) 2.5% and 97.5% points" in CHOICE_TEXT


def test_empirical_distribution_keeps_the_sample_mean_with_a_long_tail() -> None:
    from sim.calibration.service import empirical_spec
    from sim.model.distributions import empirical_mean

    x = np.random.default_rng(11).lognormal(4.0, 2.0, 5000)   # max ≈ 300 × the median
    plain = np.quantile(x, np.linspace(0.0, 1.0, 101))
    assert empirical_mean(plain.tolist()) > 1.05 * x.mean()    # up to the maximum: too long
    assert abs(empirical_mean(empirical_spec(x)["quantiles_s"]) / x.mean() - 1) < 0.01
