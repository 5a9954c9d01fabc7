"""Arrival rates per slot and day type (sim.calibration.arrivals) on synthetic logs of
known truth: Poisson rates recovered within their intervals, a gamma day factor detected
and its cv estimated, zero counts, open slots, warnings and user errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.calibration.arrivals import ArrivalFit, fit_arrivals
from sim.errors import UserInputError
from tests.calibration.synth_demand_logs import days_from, frame, poisson_arrivals

#: Arrivals an hour in the 24 hourly slots of a day: a night trickle (0.5 an hour, below
#: 2 % of the peak: closed), then a day rising to a peak of 60 an hour.
TRUE_RATES = [0.5, 0.5, 0.5, 0.5, 0.5, 4.0, 8.0, 20.0, 45.0, 60.0, 55.0, 50.0,
              40.0, 45.0, 55.0, 60.0, 50.0, 35.0, 25.0, 20.0, 15.0, 10.0, 6.0, 3.0]


def _one_type(log: pd.DataFrame, name: str = "weekday") -> dict[str, str]:
    return dict.fromkeys(sorted(set(log["day"])), name)


SEEDS = range(11, 16)


@pytest.fixture(scope="module")
def poisson_fits() -> list[ArrivalFit]:
    """One fit per seed, 20 days of Poisson arrivals at ``TRUE_RATES`` each."""
    fits = []
    for seed in SEEDS:
        log = poisson_arrivals(np.random.default_rng(seed), days_from("2024-03-04", 20),
                               TRUE_RATES, 60)
        fits.append(fit_arrivals(log, 60, "phone", _one_type(log)))
    return fits


@pytest.fixture(scope="module")
def poisson_fit(poisson_fits: list[ArrivalFit]) -> ArrivalFit:
    return poisson_fits[0]


def test_poisson_rates_are_inside_their_intervals(poisson_fits: list[ArrivalFit]) -> None:
    truth = pd.Series(TRUE_RATES)
    inside = day_inside = 0
    for fit in poisson_fits:
        table = fit.table.set_index("slot")
        assert (table["n_days"] == 20).all()
        assert np.allclose(table["rate_per_hour"], table["mean_count"])  # 1-hour slots
        inside += int(((table["ci_low"] <= truth) & (truth <= table["ci_high"])).sum())
        day_inside += int(((table["day_ci_low"] <= truth)
                           & (truth <= table["day_ci_high"])).sum())
    slots = len(SEEDS) * len(TRUE_RATES)
    assert inside >= 0.9 * slots and day_inside >= 0.85 * slots, (inside, day_inside, slots)


def test_poisson_intervals_are_not_vacuous(poisson_fit: ArrivalFit) -> None:
    peak = poisson_fit.table.set_index("slot").loc[9]
    # 20 days at 60 an hour: 1200 arrivals, a relative half-width of about 2/sqrt(1200)
    assert peak["ci_high"] - peak["ci_low"] == pytest.approx(2 * 1.96 * np.sqrt(60 / 20),
                                                             rel=0.15)


def test_poisson_is_adequate_and_needs_no_day_factor(poisson_fits: list[ArrivalFit]) -> None:
    for fit in poisson_fits:
        test = fit.dispersion["weekday"]
        assert test.poisson_adequate and test.p_value >= 0.01, test
        assert test.df == 19 * 24 and test.n_days == 20
        assert fit.day_rate_cv("weekday") == 0.0
        assert test.cv_low <= test.cv <= test.cv_high and test.cv < 0.1
        assert [w for w in fit.warnings if "outside the open slots" not in w] == []


def test_scenario_rates_cover_the_open_slots(poisson_fit: ArrivalFit) -> None:
    fit = poisson_fit
    start, rates = fit.scenario_rates("weekday")
    first, last = fit.open_slots["weekday"]
    assert start == first and len(rates) == last - first + 1
    # 0.5 an hour is below 2 % of the peak (60): the night slots are closed
    assert (first, last) == (5, 23)
    table = fit.table.set_index("slot")
    assert rates == list(table.loc[5:23, "rate_per_hour"])
    assert all(isinstance(r, float) for r in rates)


def test_gamma_day_factor_is_detected_and_its_cv_estimated() -> None:
    log = poisson_arrivals(np.random.default_rng(12), days_from("2024-01-01", 60),
                           TRUE_RATES, 60, day_factor_cv=0.3)
    fit = fit_arrivals(log, 60, "phone", _one_type(log))
    test = fit.dispersion["weekday"]
    assert not test.poisson_adequate and test.p_value < 0.01
    assert test.cv_low <= 0.3 <= test.cv_high
    assert test.cv_low <= test.cv <= test.cv_high
    assert test.cv == pytest.approx(0.3, abs=0.08)
    assert fit.day_rate_cv("weekday") == test.cv


def test_counts_include_zero_slots_and_days_without_arrivals() -> None:
    rng = np.random.default_rng(13)
    log = poisson_arrivals(rng, days_from("2024-01-01", 3), [5.0, 0.0, 5.0], 30, first_slot=18)
    quiet = frame(day=["2024-01-04"], arrival_s=np.array([9 * 3600.0 + 5]), channel=["email"])
    log = pd.concat([log, quiet], ignore_index=True)
    fit = fit_arrivals(log, 30, "phone", _one_type(log))
    counts = fit.counts
    assert list(counts.columns) == ["day", "day_type", "slot", "start_s", "count"]
    assert set(counts["slot"]) == {18, 19, 20} and len(counts) == 4 * 3
    assert (counts.loc[counts["slot"] == 19, "count"] == 0).all()
    assert (counts.loc[counts["day"] == "2024-01-04", "count"] == 0).all()
    assert counts["count"].sum() == (log["channel"] == "phone").sum()
    assert np.allclose(counts["start_s"], counts["slot"] * 1800.0)


def test_arrivals_after_midnight_are_dropped_with_a_warning() -> None:
    log = frame(day=["2024-01-01"] * 3, arrival_s=np.array([36000.0, 36100.0, 86500.0]))
    fit = fit_arrivals(log, 60, "phone", _one_type(log))
    assert fit.n_after_midnight == 1 and fit.counts["count"].sum() == 2
    assert any("after midnight" in w for w in fit.warnings)


def test_a_single_day_type_gets_a_poisson_interval_and_a_warning() -> None:
    log = poisson_arrivals(np.random.default_rng(14), ["2024-01-05"], [30.0] * 6, 60, 8)
    fit = fit_arrivals(log, 60, "phone", {"2024-01-05": "friday"})
    assert any(w.startswith("only one friday") for w in fit.warnings)
    table = fit.table
    assert table["ci_low"].notna().all() and table["day_ci_low"].isna().all()
    assert fit.dispersion["friday"].poisson_adequate
    assert np.isnan(fit.dispersion["friday"].p_value)


def test_a_trickle_before_opening_is_not_an_open_slot() -> None:
    rng = np.random.default_rng(15)
    days = days_from("2024-01-01", 8)
    log = poisson_arrivals(rng, days, [40.0] * 10, 60, first_slot=8)
    strays = frame(day=days[:4], arrival_s=np.array([100.0, 200.0, 300.0, 400.0]))
    fit = fit_arrivals(pd.concat([log, strays], ignore_index=True), 60, "phone",
                       _one_type(log))
    assert fit.open_slots["weekday"] == (8, 17)
    assert any("outside the open slots" in w for w in fit.warnings)


def test_two_day_types_are_fitted_separately() -> None:
    rng = np.random.default_rng(16)
    a = poisson_arrivals(rng, days_from("2024-01-01", 5), [20.0] * 8, 60, 8)
    b = poisson_arrivals(rng, days_from("2024-01-06", 5), [80.0] * 4, 60, 10)
    log = pd.concat([a, b], ignore_index=True)
    types = {d: ("weekday" if d < "2024-01-06" else "saturday") for d in set(log["day"])}
    fit = fit_arrivals(log, 60, "phone", types)
    assert fit.open_slots == {"saturday": (10, 13), "weekday": (8, 15)}
    assert np.mean(fit.scenario_rates("saturday")[1]) == pytest.approx(80.0, rel=0.1)
    assert np.mean(fit.scenario_rates("weekday")[1]) == pytest.approx(20.0, rel=0.15)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"slot_minutes": 7}, "slot_minutes = 7"),
    ({"channel": "fax"}, "channel = 'fax'"),
    ({"channel": "email"}, "no email contacts"),
    ({"types": {}}, "has no day type"),
])
def test_bad_arguments_are_user_errors(kwargs: dict[str, object], match: str) -> None:
    log = frame(day=["2024-01-01"], arrival_s=np.array([36000.0]))
    args: dict[str, object] = {"slot_minutes": 60, "channel": "phone",
                               "types": {"2024-01-01": "weekday"}} | kwargs
    with pytest.raises(UserInputError, match=match):
        fit_arrivals(log, **args)  # type: ignore[arg-type]


def test_unknown_day_type_in_scenario_rates_is_a_user_error(
        poisson_fit: ArrivalFit) -> None:
    fit = poisson_fit
    with pytest.raises(UserInputError, match="'sunday'"):
        fit.scenario_rates("sunday")
