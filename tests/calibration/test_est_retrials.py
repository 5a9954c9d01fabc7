"""Retrials after abandonment (sim.calibration.retrials) on synthetic logs of known truth:
return probability and exponential delays recovered within their intervals, the served
baseline, returns across midnight, windows the log does not cover, no patron ids."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.calibration.retrials import RetrialFit, fit_retrials, wilson
from sim.errors import UserInputError
from tests.calibration.synth_demand_logs import days_from, frame

P_ABANDONED, MEAN_ABANDONED_S = 0.4, 300.0
P_SERVED, MEAN_SERVED_S = 0.1, 600.0


def _group(rng: np.random.Generator, days: list[str], n: int, outcome: str, p: float,
           mean_s: float, prefix: str) -> pd.DataFrame:
    """``n`` contacts of ``outcome`` by distinct patrons between 08:00 and 18:00; each
    patron comes back (as a blocked call, in neither group) with probability ``p`` after
    an exponential delay of mean ``mean_s`` from leaving."""
    day = rng.choice(days, n)
    arrival = rng.uniform(8 * 3600, 18 * 3600, n)
    wait = rng.exponential(60.0, n)
    served = outcome == "served"
    end = arrival + wait + 120.0
    leave = end if served else arrival + wait
    patrons = [f"{prefix}{k}" for k in range(n)]
    first = frame(day=day, arrival_s=arrival, outcome=[outcome] * n, wait_s=wait,
                  service_start_s=arrival + wait if served else np.full(n, np.nan),
                  service_end_s=end if served else np.full(n, np.nan),
                  staff_id=["A" if served else ""] * n, patron_id=patrons)
    back = rng.random(n) < p
    again = leave[back] + rng.exponential(mean_s, int(back.sum()))
    second = frame(day=day[back], arrival_s=again, outcome=["blocked"] * int(back.sum()),
                   channel=["walk_in"] * int(back.sum()),
                   patron_id=[p_ for p_, b in zip(patrons, back, strict=True) if b])
    return pd.concat([first, second], ignore_index=True)


@pytest.fixture(scope="module")
def known() -> RetrialFit:
    rng = np.random.default_rng(31)
    days = days_from("2024-01-01", 10)
    log = pd.concat([_group(rng, days, 1500, "abandoned", P_ABANDONED, MEAN_ABANDONED_S, "a"),
                     _group(rng, days, 3000, "served", P_SERVED, MEAN_SERVED_S, "s")],
                    ignore_index=True)
    return fit_retrials(log, window_s=3600.0)


def test_return_probability_is_recovered(known: RetrialFit) -> None:
    truth = P_ABANDONED * (1 - np.exp(-3600.0 / MEAN_ABANDONED_S))
    a = known.abandoned
    assert a.share_low <= truth <= a.share_high
    assert known.n_abandoned_identified == 1500 and known.n_returned == a.n_returned
    assert a.share == pytest.approx(a.n_returned / 1500)


def test_exponential_delays_are_recovered(known: RetrialFit) -> None:
    a = known.abandoned
    assert a.exp_mean_low_s <= MEAN_ABANDONED_S <= a.exp_mean_high_s
    assert a.median_delay_s == pytest.approx(MEAN_ABANDONED_S * np.log(2), rel=0.2)
    assert a.quantiles[0.9] == pytest.approx(MEAN_ABANDONED_S * np.log(10), rel=0.2)
    assert known.warnings == ()


def test_served_baseline_is_lower(known: RetrialFit) -> None:
    s = known.served
    truth = P_SERVED * (1 - np.exp(-3600.0 / MEAN_SERVED_S))
    assert s.n_identified == 3000
    assert s.share_low <= truth <= s.share_high
    assert s.exp_mean_low_s <= MEAN_SERVED_S <= s.exp_mean_high_s
    assert known.excess_share == pytest.approx(known.abandoned.share - s.share)
    assert known.excess_share > 0.2


def test_a_return_after_midnight_is_seen() -> None:
    log = frame(day=["2024-01-01", "2024-01-02"], arrival_s=np.array([86000.0, 300.0]),
                outcome=["abandoned", "served"], wait_s=np.array([100.0, 0.0]),
                service_start_s=np.array([np.nan, 300.0]),
                service_end_s=np.array([np.nan, 400.0]), staff_id=["", "A"],
                patron_id=["p", "p"])
    fit = fit_retrials(log, window_s=3600.0)
    assert fit.n_returned == 1
    assert fit.abandoned.mean_delay_s == pytest.approx(86400 + 300 - 86100)


def test_windows_outside_the_covered_days_are_not_followed() -> None:
    log = frame(day=["2024-01-01", "2024-01-03", "2024-01-03"],
                arrival_s=np.array([85000.0, 40000.0, 85000.0]),
                outcome=["abandoned"] * 3, wait_s=np.array([10.0, 10.0, 10.0]),
                patron_id=["p", "q", "r"])
    fit = fit_retrials(log, window_s=3600.0)  # 2024-01-02 is missing, 01-03 is the last
    assert fit.n_unfollowed == 2 and fit.n_abandoned_identified == 1
    assert fit.n_returned == 0 and fit.abandoned.share == 0.0
    assert np.isnan(fit.abandoned.mean_delay_s)


def test_no_patron_ids_gives_nan_and_a_warning() -> None:
    log = frame(day=["2024-01-01"] * 2, arrival_s=np.array([36000.0, 36500.0]),
                outcome=["abandoned", "abandoned"], wait_s=np.array([30.0, 30.0]))
    fit = fit_retrials(log)
    assert fit.warnings == ("no patron ids: retrials cannot be estimated",)
    assert np.isnan(fit.abandoned.share) and fit.n_abandoned_identified == 0


def test_long_delays_against_the_window_are_flagged() -> None:
    rng = np.random.default_rng(32)
    log = _group(rng, days_from("2024-01-01", 5), 400, "abandoned", 0.8, 3000.0, "a")
    fit = fit_retrials(log, window_s=3600.0)
    assert any("biased low" in w for w in fit.warnings)
    assert fit.abandoned.exp_mean_s < 3000.0


def test_wilson_interval() -> None:
    low, high = wilson(0, 10)
    assert low == 0.0 and high == pytest.approx(0.2775, abs=1e-4)
    low, high = wilson(50, 100)
    assert (low, high) == pytest.approx((0.4038, 0.5962), abs=1e-4)
    assert all(np.isnan(wilson(0, 0)))


def test_a_bad_window_is_a_user_error() -> None:
    with pytest.raises(UserInputError, match="window_s = -1"):
        fit_retrials(frame(day=[], arrival_s=np.zeros(0)), window_s=-1)
