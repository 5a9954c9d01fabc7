"""Intervals that stay inside a metric's range, paired t-test p-values and the
Benjamini–Hochberg adjustment (no simulation)."""

from __future__ import annotations

import math
import random

import pytest
from scipy import stats

from sim.metrics.catalogue import CATALOGUE
from sim.results.statistics import (
    Estimate,
    at_level,
    benjamini_hochberg,
    bounded,
    estimate,
    metric_estimate,
    p_value,
    summarize,
)


def _inside(e: Estimate, low: float, high: float) -> bool:
    return low <= e.ci_low <= e.mean <= e.ci_high <= high


def test_a_share_far_from_its_bounds_gets_about_the_t_interval() -> None:
    rng = random.Random(1)
    xs = [0.4 + rng.gauss(0.0, 0.02) for _ in range(30)]
    e, t = bounded(xs, 0.0, 1.0), estimate(xs)
    assert e.method == "logit" and e.mean == t.mean and e.n == 30
    assert e.ci_low == pytest.approx(t.ci_low, abs=2e-4)
    assert e.ci_high == pytest.approx(t.ci_high, abs=2e-4)


def test_a_small_share_leans_away_from_zero_instead_of_crossing_it() -> None:
    xs = [0.0] * 27 + [0.01, 0.02, 0.05]
    t, e = estimate(xs), bounded(xs, 0.0, 1.0)
    assert t.ci_low < 0.0  # the plain t interval leaves the range
    assert e.method == "logit" and _inside(e, 0.0, 1.0) and e.ci_low > 0.0
    assert e.ci_high - e.mean > e.mean - e.ci_low  # skewed away from the bound


def test_all_zeros_and_all_ones_get_the_exact_bound_not_a_point() -> None:
    zeros, ones = bounded([0.0] * 30, 0.0, 1.0), bounded([1.0] * 30, 0.0, 1.0)
    upper = 1.0 - 0.025 ** (1 / 30)  # Clopper–Pearson for 0 of 30
    assert (zeros.mean, zeros.ci_low, zeros.method) == (0.0, 0.0, "all 0 bound")
    assert zeros.ci_high == pytest.approx(upper) == pytest.approx(
        stats.beta.ppf(0.975, 1, 30))
    assert (ones.mean, ones.ci_high, ones.method) == (1.0, 1.0, "all 1 bound")
    assert ones.ci_low == pytest.approx(1.0 - upper)
    assert bounded([0.0] * 5, 0.0, 1.0).ci_high > zeros.ci_high  # fewer, wider


def test_one_replication_none_and_nans() -> None:
    one = bounded([0.0, math.nan], 0.0, 1.0)
    assert one.n == 1 and one.mean == 0.0 and math.isnan(one.ci_low) and one.method == ""
    none = bounded([math.nan, math.nan], 0.0, 1.0)
    assert none.n == 0 and math.isnan(none.mean) and math.isnan(none.ci_high)
    some = bounded([0.1, math.nan, 0.2, 0.3], 0.0, 1.0)
    assert some.n == 3 and some.mean == pytest.approx(0.2) and _inside(some, 0.0, 1.0)


def test_constant_share_inside_the_range_has_zero_width() -> None:
    e = bounded([0.25] * 6, 0.0, 1.0)
    assert e.ci_low == pytest.approx(0.25) and e.ci_high == pytest.approx(0.25)


def test_non_negative_values_are_clipped_at_zero_and_say_so() -> None:
    xs = [0.0] * 8 + [3.0, 5.0]
    e, t = bounded(xs, 0.0, math.inf), estimate(xs)
    assert t.ci_low < 0.0
    assert e.ci_low == 0.0 and e.ci_high == t.ci_high and e.method == "t clipped"
    wide = bounded([100.0, 102.0, 98.0], 0.0, math.inf)
    assert wide.method == "t" and wide == estimate([100.0, 102.0, 98.0])


def test_signed_gaps_of_shares_stay_in_minus_one_to_one() -> None:
    e = bounded([-0.99, 0.99, -0.98], -1.0, 1.0)
    assert e.ci_low == -1.0 and e.ci_high == 1.0 and e.method == "t clipped"


def test_values_outside_the_range_get_the_plain_t_interval() -> None:
    xs = [3.1, 3.2, 3.3]
    assert bounded(xs, 0.0, 1.0) == estimate(xs)


def test_metric_estimate_reads_the_range_from_the_catalogue() -> None:
    xs = [0.0] * 9 + [0.3]
    assert metric_estimate(xs, "walkout_rate").ci_low >= 0.0
    assert metric_estimate([0.0] * 9 + [40.0], "mean_wait_s").ci_low == 0.0
    assert metric_estimate([-0.2, 0.1, -0.3], "walkout_rate_gap_appearance").ci_low < 0.0
    assert metric_estimate([-5.0, 1.0, 2.0], "not_in_catalogue") == estimate([-5.0, 1.0, 2.0])


@pytest.mark.parametrize("seed", range(20))
def test_summaries_never_leave_the_catalogue_range(seed: int) -> None:
    rng = random.Random(seed)
    names = list(CATALOGUE)
    rows = []
    for _ in range(rng.choice([2, 3, 10])):
        row = {}
        for name in names:
            low, high = CATALOGUE[name].bounds
            top = high if math.isfinite(high) else 50.0
            bottom = low if math.isfinite(low) else -50.0
            pick = rng.random()
            row[name] = (math.nan if pick < 0.1 else bottom if pick < 0.5
                         else rng.uniform(bottom, top) * rng.random() ** 4)
        rows.append(row)
    for name, e in summarize(rows, names).items():
        low, high = CATALOGUE[name].bounds
        if e.n > 1:
            assert low <= e.ci_low <= e.mean + 1e-12 and e.mean - 1e-12 <= e.ci_high <= high, \
                (name, e)


def test_p_value_is_the_paired_t_test() -> None:
    xs = [0.3, -0.1, 0.5, 0.2, 0.4, 0.1]
    assert p_value(estimate(xs)) == pytest.approx(stats.ttest_1samp(xs, 0.0).pvalue)
    assert p_value(estimate([0.0, 0.0, 0.0])) == 1.0
    assert p_value(estimate([0.2, 0.2])) == 0.0
    assert math.isnan(p_value(estimate([0.2])))


def test_at_level_widens_with_the_level() -> None:
    e = estimate([1.0, 2.0, 4.0, 3.0])
    wider = at_level(e, 0.99)
    assert wider.ci_low < e.ci_low and wider.ci_high > e.ci_high and wider.mean == e.mean
    assert at_level(estimate([1.0]), 0.99) == estimate([1.0])


def test_benjamini_hochberg_matches_scipy_and_skips_nans() -> None:
    ps = [0.01, 0.04, 0.03, 0.2, 0.001, 0.5]
    expected = stats.false_discovery_control(ps, method="bh")
    assert benjamini_hochberg(ps) == pytest.approx(list(expected))
    with_nan = benjamini_hochberg([0.01, math.nan, 0.04])
    assert math.isnan(with_nan[1])
    assert with_nan[0] == pytest.approx(0.02) and with_nan[2] == pytest.approx(0.04)
    assert benjamini_hochberg([]) == []
