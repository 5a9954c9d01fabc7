"""Means and Student-t confidence intervals over replications."""

from __future__ import annotations

import math
import statistics

import pytest
from scipy import stats

from sim.results.statistics import estimate, summarize


def test_estimate_matches_scipy_t_interval() -> None:
    xs = [3.1, 2.7, 4.4, 3.9, 3.3, 2.8, 3.6]
    e = estimate(xs)
    mean = statistics.fmean(xs)
    sd = statistics.stdev(xs)
    low, high = stats.t.interval(0.95, len(xs) - 1, loc=mean, scale=sd / math.sqrt(len(xs)))
    assert e.n == 7
    assert e.mean == pytest.approx(mean, rel=1e-12)
    assert e.std == pytest.approx(sd, rel=1e-12)
    assert e.ci_low == pytest.approx(low, rel=1e-12)
    assert e.ci_high == pytest.approx(high, rel=1e-12)
    assert e.contains(mean) and not e.contains(high + 1e-6)


def test_estimate_other_level() -> None:
    xs = [10.0, 12.0, 11.0, 15.0]
    e = estimate(xs, level=0.9)
    half = stats.t.ppf(0.95, 3) * statistics.stdev(xs) / 2.0
    assert e.ci_high - e.mean == pytest.approx(half, rel=1e-12)
    assert e.mean - e.ci_low == pytest.approx(half, rel=1e-12)


def test_estimate_drops_nans_and_small_samples() -> None:
    e = estimate([1.0, math.nan, 3.0])
    assert e.n == 2 and e.mean == 2.0
    one = estimate([5.0, math.nan])
    assert one.n == 1 and one.mean == 5.0 and math.isnan(one.ci_low)
    none = estimate([math.nan])
    assert none.n == 0 and math.isnan(none.mean)


def test_estimate_constant_values_zero_width() -> None:
    e = estimate([2.5] * 4)
    assert e.std == 0.0 and e.ci_low == e.ci_high == 2.5


def test_summarize_per_metric() -> None:
    rows = [{"a": 1.0, "b": 10.0}, {"a": 3.0, "b": math.nan}, {"a": 2.0, "b": 20.0}]
    out = summarize(rows, ["a", "b"])
    assert out["a"].mean == 2.0 and out["a"].n == 3
    assert out["b"].mean == 15.0 and out["b"].n == 2
