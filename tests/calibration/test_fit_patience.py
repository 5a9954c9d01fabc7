"""Patience fits (sim.calibration.patience) on censored samples of known truth: Weibull
patience with a decreasing hazard is recognised and its parameters covered, exponential
patience leaves a constant hazard standing, censoring is why the naive mean misleads, and
waits with no abandonment raise PatienceNotEstimable."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.calibration.log_frame import empty_frame
from sim.calibration.patience import (
    CHOICE_TEXT,
    PatienceFit,
    PatienceNotEstimable,
    fit_patience,
    fit_patience_log,
)
from sim.errors import UserInputError

N = 3000


def censored(patience: np.ndarray, mean_start_s: float,
             rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Waits and abandonment flags: service starts after an exponential time."""
    start = rng.exponential(mean_start_s, len(patience))
    return np.minimum(patience, start), patience < start


def weibull_case(seed: int) -> PatienceFit:
    rng = np.random.default_rng(seed)
    wait, abandoned = censored(200.0 * rng.weibull(0.7, N), 60.0, rng)
    return fit_patience(wait, abandoned, f"weibull seed {seed}")


def test_censored_weibull_patience() -> None:
    fit = weibull_case(11)
    assert 0.27 < fit.abandonment_share < 0.33
    weibull = fit.candidates.set_index("family").loc["weibull"]
    assert fit.chosen == "weibull" or weibull["delta_aic"] <= 2
    assert weibull["shape_low"] <= 0.7 <= weibull["shape_high"]
    assert weibull["scale_s_low"] <= 200.0 <= weibull["scale_s_high"]
    assert fit.hazard_shape.startswith("decreasing hazard")
    assert fit.naive_mean_s < 0.5 * fit.restricted_mean_s


def test_weibull_chosen_in_most_seeds() -> None:
    fits = [weibull_case(seed) for seed in range(4)]
    assert sum(f.chosen == "weibull" for f in fits) >= 3
    for fit in fits:
        assert fit.spec["dist"] in ("weibull", "lognormal_median", "exponential")
        if fit.chosen == "weibull":
            assert set(fit.spec) == {"dist", "shape", "scale_s"}
            assert set(fit.intervals) == {"shape", "scale_s"}
            low, high = fit.intervals["shape"]
            assert low < fit.spec["shape"] < high


def test_exponential_patience_keeps_a_constant_hazard() -> None:
    rng = np.random.default_rng(12)
    wait, abandoned = censored(rng.exponential(300.0, N), 100.0, rng)
    fit = fit_patience(wait, abandoned, "exponential")
    weibull = fit.candidates.set_index("family").loc["weibull"]
    assert weibull["shape_low"] <= 1.0 <= weibull["shape_high"]
    assert fit.hazard_shape.startswith("constant hazard (exponential) cannot be rejected")
    exponential = fit.candidates.set_index("family").loc["exponential"]
    assert exponential["mean_s_low"] <= 300.0 <= exponential["mean_s_high"]
    assert exponential["delta_aic"] <= 2


def test_lognormal_parameters_in_scenario_terms() -> None:
    rng = np.random.default_rng(13)
    wait, abandoned = censored(rng.lognormal(np.log(120.0), 1.2, N), 80.0, rng)
    fit = fit_patience(wait, abandoned, "lognormal")
    assert fit.chosen == "lognormal"
    assert fit.spec == {"dist": "lognormal_median", "median_s": fit.spec["median_s"],
                        "sigma": fit.spec["sigma"]}
    low, high = fit.intervals["median_s"]
    assert low <= 120.0 <= high
    assert fit.intervals["sigma"][0] <= 1.2 <= fit.intervals["sigma"][1]


def test_tables_counts_and_zero_waits() -> None:
    rng = np.random.default_rng(14)
    wait, abandoned = censored(rng.exponential(200.0, 500), 50.0, rng)
    wait = np.concatenate([wait, np.zeros(100), [0.0, 0.0]])
    abandoned = np.concatenate([abandoned, np.zeros(100, bool), [True, True]])
    fit = fit_patience(wait, abandoned, "zeros")
    assert fit.n == 602 and fit.n_abandoned + fit.n_censored == 602
    assert fit.n_abandoned == int(abandoned.sum())
    assert any("100 contacts served at once" in n for n in fit.notes)
    assert any("2 abandonments at a wait of 0 s count as 0.5 s" in n for n in fit.notes)
    km = fit.km
    assert list(km.columns) == ["t", "survival", "ci_low", "ci_high"]
    assert km["survival"].is_monotonic_decreasing
    assert (km["ci_low"] <= km["survival"]).all() and (km["survival"] <= km["ci_high"]).all()
    assert list(fit.hazard.columns) == ["t", "cumulative_hazard", "smoothed_hazard", "at_risk"]
    assert fit.hazard["cumulative_hazard"].is_monotonic_increasing
    assert (fit.hazard["smoothed_hazard"] >= 0).all() and fit.bandwidth_s > 0
    assert fit.restricted_to_s == pytest.approx(float(wait.max()))
    assert list(fit.candidates["delta_aic"]) == sorted(fit.candidates["delta_aic"])


def test_no_abandonments_are_not_estimable() -> None:
    with pytest.raises(PatienceNotEstimable, match="no abandonments among 40 contacts"):
        fit_patience(np.linspace(0.0, 100.0, 40), np.zeros(40, bool), "none")


def test_few_abandonments_warn() -> None:
    rng = np.random.default_rng(15)
    wait = rng.exponential(60.0, 200)
    abandoned = np.zeros(200, bool)
    abandoned[:6] = True
    fit = fit_patience(wait, abandoned, "few")
    assert fit.warnings == ("few: only 6 abandonments (< 10): the patience estimate is very "
                            "uncertain",)


def test_bad_input_is_a_user_error() -> None:
    with pytest.raises(UserInputError, match="3 waits but 2"):
        fit_patience(np.ones(3), np.ones(2, bool), "bad")
    with pytest.raises(UserInputError, match=">= 0"):
        fit_patience(np.array([1.0, -2.0]), np.ones(2, bool), "bad")


def test_fit_from_a_canonical_log() -> None:
    rng = np.random.default_rng(16)
    wait, abandoned = censored(rng.exponential(150.0, 400), 60.0, rng)
    log = empty_frame().reindex(range(402))
    log["channel"] = ["phone"] * 400 + ["walk_in", "phone"]
    log["outcome"] = [*np.where(abandoned, "abandoned", "served").tolist(), "served", "balked"]
    log["wait_s"] = np.concatenate([wait, [5.0, 0.0]])
    log["type"] = ["A", "B"] * 200 + ["A", "A"]
    pooled = fit_patience_log(log, "phone")
    assert list(pooled) == [()] and pooled[()].n == 400
    assert pooled[()].label == "channel=phone"
    by_type = fit_patience_log(log, "phone", by=["type"])
    assert list(by_type) == [("A",), ("B",)]
    assert by_type[("A",)].n == 200 and by_type[("A",)].label == "channel=phone, type=A"
    frame = pd.DataFrame(by_type[("B",)].candidates)
    assert set(frame["family"]) == {"exponential", "weibull", "lognormal"}


def test_log_groups_without_abandonments_are_left_out_with_a_note() -> None:
    log = empty_frame().reindex(range(60))
    log["channel"] = "walk_in"
    log["type"] = ["A"] * 40 + ["B"] * 20
    log["outcome"] = ["abandoned", "served"] * 20 + ["served"] * 20
    log["wait_s"] = np.linspace(1.0, 300.0, 60)
    notes: list[str] = []
    fits = fit_patience_log(log, "walk_in", by=["type"], notes=notes)
    assert list(fits) == [("A",)]
    assert notes == ["channel=walk_in, type=B: no abandonments among 20 contacts: patience "
                     "cannot be estimated; the scenario keeps the default"]
    with pytest.raises(PatienceNotEstimable, match="type=B: no abandonments"):
        fit_patience_log(log[log["type"] == "B"], "walk_in", by=["type"])
    with pytest.raises(PatienceNotEstimable, match="channel=phone: no contacts"):
        fit_patience_log(log, "phone")


def test_choice_text_states_the_rule() -> None:
    assert "lowest AIC" in CHOICE_TEXT and "censored" in CHOICE_TEXT
