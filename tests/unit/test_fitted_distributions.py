"""The distributions ``countersim fit`` writes (Weibull, gamma, empirical quantiles) and the
day-level rate factor (``demand.<channel>.day_rate_cv``).

Samplers: 200 000 draws from a fixed seed; the sample mean and quantiles must lie within 5
standard errors of theory (the mean's SE σ/√n, a p-quantile's √(p(1−p)/n) / f(x_p)).
``mean_of`` is exact. Bad values are refused by the config loader with one line naming the
key. The day factor: with a CV of 0 nothing changes (the golden files prove it bit for
bit); with a CV c the day's count of a constant-rate channel has mean λT and variance
λT + c²(λT)² (gamma–Poisson), and it is the same for every scenario of a comparison.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import stats

from sim.cli.check import scenario_toml
from sim.config.distributions import Empirical, Gamma, Weibull
from sim.config.loading import load_scenario, scenario_from_dict
from sim.config.schema import Scenario
from sim.errors import ConfigError
from sim.model.contact import WALK_IN, Contact
from sim.model.demand import day_rate_factor, poisson_contacts
from sim.model.distributions import Sampler, empirical_mean, mean_of, sample_block
from sim.model.patrons import PatronPool
from sim.model.records import NullRecorder
from sim.model.simulation import simulate
from sim.model.streams import Streams
from tests.helpers import BASELINE

N = 200_000
PROBS = (0.05, 0.25, 0.5, 0.75, 0.95, 0.99)


def rng(seed: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(seed))


def assert_matches(xs: np.ndarray, mean: float, quantile: Any, density: Any) -> None:
    """Sample mean and quantiles within 5 standard errors of theory."""
    se_mean = float(xs.std(ddof=1)) / math.sqrt(len(xs))
    assert abs(float(xs.mean()) - mean) < 5 * se_mean, (float(xs.mean()), mean, se_mean)
    for p in PROBS:
        x_p = quantile(p)
        se = math.sqrt(p * (1 - p) / len(xs)) / density(x_p)
        got = float(np.quantile(xs, p))
        assert abs(got - x_p) < 5 * se, (p, got, x_p, se)


# ------------------------------------------------------------------------------ Weibull


@pytest.mark.parametrize(("k", "scale"), [(0.7, 90.0), (1.0, 60.0), (2.5, 300.0)])
def test_weibull_draws_match_theory(k: float, scale: float) -> None:
    spec = Weibull(dist="weibull", shape=k, scale_s=scale)
    xs = sample_block(spec, rng(11), N)
    law = stats.weibull_min(k, scale=scale)
    assert_matches(xs, scale * math.gamma(1 + 1 / k),
                   lambda p: scale * (-math.log(1 - p)) ** (1 / k), law.pdf)
    assert mean_of(spec) == pytest.approx(float(law.mean()), rel=1e-12)
    assert mean_of(spec) == scale * math.gamma(1 + 1 / k)


# ------------------------------------------------------------------------------ gamma


@pytest.mark.parametrize(("m", "cv"), [(100.0, 1.5), (240.0, 0.5), (30.0, 1.0)])
def test_gamma_draws_match_theory(m: float, cv: float) -> None:
    spec = Gamma(dist="gamma", mean_s=m, cv=cv)
    xs = sample_block(spec, rng(12), N)
    law = stats.gamma(1 / cv**2, scale=m * cv**2)
    assert_matches(xs, m, law.ppf, law.pdf)
    assert float(xs.std(ddof=1)) / float(xs.mean()) == pytest.approx(cv, rel=0.02)
    assert mean_of(spec) == m == pytest.approx(float(law.mean()), rel=1e-12)


# ------------------------------------------------------------------------------ empirical

QUANTILES = [2.0, 10.0, 30.0, 30.0, 60.0, 120.0, 600.0]  # a flat piece: an atom at 30 s


def empirical_quantile(q: list[float], p: float) -> float:
    return float(np.interp(p, np.linspace(0, 1, len(q)), q))


def test_empirical_draws_reproduce_the_quantiles() -> None:
    spec = Empirical(dist="empirical", quantiles_s=QUANTILES)
    xs = sample_block(spec, rng(13), N)
    n = len(QUANTILES) - 1
    assert xs.min() >= QUANTILES[0] and xs.max() <= QUANTILES[-1]
    for i in range(1, n):  # each knot: the share of draws below it is i/n
        below = float(np.mean(xs < QUANTILES[i] - 1e-9))
        at_most = float(np.mean(xs <= QUANTILES[i] + 1e-9))
        se = math.sqrt((i / n) * (1 - i / n) / N)
        assert below - 5 * se < i / n < at_most + 5 * se, (i, below, at_most)
    slopes = np.diff(QUANTILES) * n  # the quantile function's slope on each piece

    def density(x: float) -> float:
        piece = min(int(np.searchsorted(QUANTILES, x, side="right")) - 1, n - 1)
        return 1.0 / max(float(slopes[piece]), 1e-9)

    assert_matches(xs, mean_of(spec), lambda p: empirical_quantile(QUANTILES, p), density)


def test_empirical_mean_is_the_exact_trapezoid() -> None:
    assert empirical_mean([0.0, 10.0, 30.0]) == 12.5  # (0/2 + 10 + 30/2) / 2
    assert empirical_mean([7.0, 7.0]) == 7.0
    spec = Empirical(dist="empirical", quantiles_s=QUANTILES)
    m = 1000 * (len(QUANTILES) - 1)  # midpoints of cells inside the linear pieces: exact
    grid = (np.arange(m) + 0.5) / m
    fine = float(np.interp(grid, np.linspace(0, 1, len(QUANTILES)), QUANTILES).mean())
    assert mean_of(spec) == pytest.approx(fine, rel=1e-12)


def test_samplers_draw_one_block_per_call() -> None:
    """A Sampler's values are the blocks sample_block draws, in order (one numpy call per
    block): the stream is used the same way as by the other kinds."""
    for spec in (Weibull(dist="weibull", shape=1.3, scale_s=50.0),
                 Gamma(dist="gamma", mean_s=80.0, cv=0.7),
                 Empirical(dist="empirical", quantiles_s=[1.0, 5.0, 9.0])):
        draw = Sampler(spec, rng(14))
        got = [draw() for _ in range(32 + 64 + 5)]
        ref = rng(14)
        want = np.concatenate([sample_block(spec, ref, 32), sample_block(spec, ref, 64),
                               sample_block(spec, ref, 128)])
        assert got == want[: len(got)].tolist()


# ------------------------------------------------------------------------------ the config


def with_walk_in(**walk_in: Any) -> dict[str, Any]:
    return {"demand": {"walk_in": {"rate_per_hour": 20.0, **walk_in}}}


def test_new_kinds_load_for_service_and_patience_and_print_back() -> None:
    scenario = scenario_from_dict(with_walk_in(
        service={"dist": "weibull", "shape": 1.4, "scale_s": 200},
        patience={"dist": "empirical", "quantiles_s": [0, 30, 90, 400]},
        day_rate_cv=0.2))
    assert scenario.demand.walk_in.service == Weibull(dist="weibull", shape=1.4, scale_s=200.0)
    scenario = scenario_from_dict({"demand": {"phone": {
        "rate_per_hour": 10.0, "service": {"dist": "gamma", "mean_s": 300, "cv": 1.2},
        "patience": {"dist": "gamma", "mean_s": 45, "cv": 0.9}}}})
    assert scenario.demand.phone.service == Gamma(dist="gamma", mean_s=300.0, cv=1.2)
    text = scenario_toml(scenario)
    assert 'service = { dist = "gamma", mean_s = 300.0, cv = 1.2 }' in text
    assert scenario_from_dict(tomllib.loads(text)) == scenario
    both = scenario_from_dict(with_walk_in(
        patience={"dist": "empirical", "quantiles_s": [0, 30, 90, 400]}, day_rate_cv=0.3))
    assert scenario_from_dict(tomllib.loads(scenario_toml(both))) == both
    assert "quantiles_s = [0.0, 30.0, 90.0, 400.0]" in scenario_toml(both)


BAD = [
    ({"dist": "empirical", "quantiles_s": [1.0, 3.0, 2.0]}, "service.quantiles_s",
     "non-decreasing"),
    ({"dist": "empirical", "quantiles_s": [5.0]}, "service.quantiles_s", "at least 2"),
    ({"dist": "empirical", "quantiles_s": [0.0] * 1002}, "service.quantiles_s", "at most 1001"),
    ({"dist": "empirical", "quantiles_s": [-1.0, 2.0]}, "service.quantiles_s.0", "at least 0"),
    ({"dist": "empirical", "quantiles_s": [1.0, math.nan]}, "service.quantiles_s.1", "finite"),
    ({"dist": "empirical", "quantiles_s": [1.0, math.inf]}, "service.quantiles_s.1", "finite"),
    ({"dist": "empirical", "quantiles_s": [1.0, 2e6]}, "service.quantiles_s.1", "1000000"),
    ({"dist": "empirical"}, "service.quantiles_s", "required"),
    ({"dist": "weibull", "shape": 0.0, "scale_s": 60.0}, "service.shape", "at least 0.1"),
    ({"dist": "weibull", "shape": 101.0, "scale_s": 60.0}, "service.shape", "at most 100"),
    ({"dist": "weibull", "shape": 1.0, "scale_s": 0.0}, "service.scale_s", "more than 0"),
    ({"dist": "weibull", "shape": 1.0, "scale_s": 9.0, "mean_s": 60.0}, "service.mean_s",
     "unknown key"),
    ({"dist": "gamma", "mean_s": 60.0, "cv": 0.0}, "service.cv", "more than 0"),
    ({"dist": "gamma", "mean_s": math.inf, "cv": 1.0}, "service.mean_s", "finite"),
]


@pytest.mark.parametrize(("spec", "key", "words"), BAD, ids=[f"{b[1]}-{b[2]}" for b in BAD])
def test_bad_values_are_refused_in_one_line(spec: dict[str, Any], key: str, words: str) -> None:
    with pytest.raises(ConfigError) as err:
        scenario_from_dict(with_walk_in(service=spec))
    text = str(err.value)
    assert "\n" not in text
    assert text.startswith(f"demand.walk_in.{key} = ") and words in text, text


@pytest.mark.parametrize(("value", "words"), [(-0.1, "at least 0"), (5.5, "at most 5"),
                                              (math.nan, "finite"), ("x", "number")])
def test_bad_day_rate_cv_is_refused_in_one_line(value: Any, words: str) -> None:
    with pytest.raises(ConfigError) as err:
        scenario_from_dict(with_walk_in(day_rate_cv=value))
    text = str(err.value)
    assert "\n" not in text and text.startswith("demand.walk_in.day_rate_cv = ")
    assert words in text, text


def test_day_rate_cv_of_a_closed_channel_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_scenario(BASELINE, ["demand.phone.rate_per_hour=0", "demand.phone.day_rate_cv=0.2"])
    assert str(err.value).startswith("demand.phone.day_rate_cv = 0.2: has no effect while "
                                     "demand.phone.rate_per_hour = 0")
    config = tmp_path / "c.toml"
    config.write_text('[demand.email]\nrate_per_hour = 0\nday_rate_cv = 0.3\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^demand\.email\.day_rate_cv = 0\.3: has no effect"):
        load_scenario(config)
    assert load_scenario(BASELINE, ["demand.email.day_rate_cv=0.3"]).demand.email.day_rate_cv \
        == 0.3


# ------------------------------------------------------------------------------ day factor

LAMBDA_T = 40.0  # expected walk-ins in the one-hour, one-slot day


def one_slot(cv: float, staff: int = 2) -> Scenario:
    """A one-hour day, one slot, walk-ins only at LAMBDA_T per hour, a pure queue."""
    return scenario_from_dict({
        "hours": {"open": "09:00", "close": "10:00", "slot_minutes": 60},
        "demand": {"walk_in": {"rate_per_hour": LAMBDA_T, "day_rate_cv": cv,
                               "service": {"dist": "exponential", "mean_s": 60.0}},
                   "phone": {"rate_per_hour": 0.0}, "email": {"rate_per_hour": 0.0}},
        "staff": {"schedule": [], "both": staff}, "loyalty": {"enabled": False},
        "distractions": {"enabled": False}, "traits": {"enabled": False},
        "temperament": {"mix": {"calm": 1.0}, "party_sizes": [1.0]},
        "patrons": {"pool_size": 100}})


def day_count(scenario: Scenario, pool: PatronPool, seed: int, rep: int) -> int:
    """Walk-ins on day 0 of replication ``rep``, with today's factor as the model applies it."""
    today = Streams(seed, rep).day(0)
    factor = day_rate_factor(scenario, today, WALK_IN)
    return sum(1 for _ in poisson_contacts(scenario, today, WALK_IN, pool, 0.0, factor))


def counts(cv: float, reps: int) -> np.ndarray:
    scenario = one_slot(cv)
    pool = PatronPool.draw(scenario.patrons, rng(0))
    return np.array([day_count(scenario, pool, 2024, r) for r in range(reps)], dtype=float)


def assert_moments(xs: np.ndarray, mean: float, variance: float) -> None:
    """Mean and variance within 5 standard errors (the variance's SE from the sample's
    fourth central moment)."""
    n = len(xs)
    assert abs(float(xs.mean()) - mean) < 5 * math.sqrt(variance / n), float(xs.mean())
    s2 = float(xs.var(ddof=1))
    m4 = float(np.mean((xs - xs.mean()) ** 4))
    se = math.sqrt(max(m4 - s2 * s2, 0.0) / n)
    assert abs(s2 - variance) < 5 * se, (s2, variance, se)


@pytest.mark.parametrize("cv", [0.25, 0.5])
def test_day_count_is_gamma_poisson(cv: float) -> None:
    xs = counts(cv, 6000)
    assert_moments(xs, LAMBDA_T, LAMBDA_T + cv**2 * LAMBDA_T**2)


def test_without_day_factor_the_count_is_poisson_and_no_stream_is_drawn() -> None:
    xs = counts(0.0, 6000)
    assert_moments(xs, LAMBDA_T, LAMBDA_T)

    class Watch:
        def __init__(self) -> None:
            self.asked: list[str] = []

        def __call__(self, purpose: str) -> np.random.Generator:
            self.asked.append(purpose)
            return rng(0)

    watch = Watch()
    assert day_rate_factor(one_slot(0.0), watch, WALK_IN) == 1.0
    assert day_rate_factor(one_slot(1e-300), watch, WALK_IN) == 1.0  # 1/cv² would overflow
    assert watch.asked == []
    assert day_rate_factor(one_slot(1e-5), watch, WALK_IN) != 1.0
    assert watch.asked == ["demand.walk_in.day_factor"]


def test_day_factor_is_gamma_with_mean_one() -> None:
    scenario = one_slot(0.6)
    factors = np.array([day_rate_factor(scenario, Streams(7, r).day(d), WALK_IN)
                        for r in range(2000) for d in range(5)])
    law = stats.gamma(1 / 0.36, scale=0.36)
    assert stats.kstest(factors, law.cdf).pvalue > 1e-3
    assert abs(float(factors.mean()) - 1.0) < 5 * 0.6 / math.sqrt(len(factors))


class Arrivals(NullRecorder):
    """Arrival times of every contact, by replication."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def contact_ended(self, contact: Contact) -> None:
        self.times.append(contact.arrival_s)


def arrivals(scenario: Scenario, rep: int) -> list[float]:
    seen = Arrivals()
    simulate(scenario, 99, rep, seen)
    return sorted(seen.times)


def test_day_factor_is_common_to_scenarios_and_applied_by_the_model() -> None:
    """Two scenarios differing only in staff see the same factor and the same walk-ins
    each replication; the model's count is the one of the factor-scaled rate; without the
    factor the walk-ins are those of a CV of 0."""
    few, many, flat = one_slot(0.8, staff=1), one_slot(0.8, staff=5), one_slot(0.0, staff=1)
    pool = PatronPool.draw(few.patrons, rng(0))
    sizes = []
    for rep in range(6):
        assert day_rate_factor(few, Streams(99, rep), WALK_IN) == \
            day_rate_factor(many, Streams(99, rep), WALK_IN)
        got = arrivals(few, rep)
        assert got == arrivals(many, rep)
        assert len(got) == day_count(few, pool, 99, rep)
        sizes.append(len(got) / max(len(arrivals(flat, rep)), 1))
    assert max(sizes) / min(sizes) > 1.5  # the factor really moves the day's volume


def test_each_day_of_a_replication_has_its_own_factor() -> None:
    scenario = one_slot(0.5)
    streams = Streams(3, 0)
    factors = [day_rate_factor(scenario, streams.day(d), WALK_IN) for d in range(4)]
    assert len(set(factors)) == 4
    assert factors == [day_rate_factor(one_slot(0.5, staff=7), Streams(3, 0).day(d), WALK_IN)
                       for d in range(4)]
