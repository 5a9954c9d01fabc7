"""Enormous and endless services: every duration distribution's mean within the 10⁶ s limit,
services that distractions would stretch without end refused before anything runs (and
stopped in the model if one in a tail starts to), and the distraction episodes during
service counted by the resource guard (sim/config/distributions.py,
sim/preflight/attention.py, sim/preflight/guard.py, sim/model/distraction.py)."""

from __future__ import annotations

import math
import time
from typing import Any

import pytest
from scipy import stats

from sim.config.distributions import (
    Deterministic,
    Empirical,
    Exponential,
    Gamma,
    Lognormal,
    LognormalMedian,
    Weibull,
)
from sim.config.loading import load_scenario, scenario_from_dict
from sim.config.schema import Scenario
from sim.errors import ConfigError, UserInputError
from sim.model.demand import expected_daily
from sim.model.distraction import ServiceRunaway
from sim.model.distributions import DistSpec, lognormal_params, quantile_of
from sim.preflight.attention import attention, check_attention
from sim.preflight.gate import clear
from sim.preflight.guard import MAX_EPISODES_PER_REPLICATION, check_workload, estimate
from tests.helpers import BASELINE, run_schedule, walk_in

EXP_1E6 = 'demand.walk_in.service={dist="exponential", mean_s=1e6}'


def refusal(overrides: list[str]) -> str:
    """The one-line refusal of the baseline with ``overrides`` (loading or preflight)."""
    with pytest.raises(UserInputError) as err:
        check_attention(load_scenario(BASELINE, overrides))
    text = str(err.value)
    assert "\n" not in text
    return text


# ------------------------------------------------------------------ the mean limit


@pytest.mark.parametrize(("spec", "key", "mean"), [
    ({"dist": "lognormal_median", "median_s": 1e6, "sigma": 5.0}, "median_s", "2.68e+11"),
    ({"dist": "weibull", "shape": 0.1, "scale_s": 1e6}, "scale_s", "3.63e+12"),
    ({"dist": "lognormal_median", "median_s": 4e5, "sigma": 1.5}, "median_s", "1.23e+06"),
])
def test_a_mean_above_the_duration_limit_is_refused_in_one_line(
        spec: dict[str, Any], key: str, mean: str) -> None:
    with pytest.raises(ConfigError) as err:
        scenario_from_dict({"demand": {"walk_in": {"service": spec}}})
    text = str(err.value)
    assert "\n" not in text and text.startswith("demand.walk_in.service = ")
    assert f"= {mean} s must be at most 1000000 s" in text and f"lower {key} to" in text


def test_the_mean_limit_is_the_one_mean_s_obeys() -> None:
    """Just below the limit loads, for the patience too; the shipped kinds still load."""
    spread = math.exp(5.0**2 / 2)
    scenario_from_dict({"demand": {"walk_in": {
        "service": {"dist": "lognormal_median", "median_s": 0.999e6 / spread, "sigma": 5.0},
        "patience": {"dist": "weibull", "shape": 0.1, "scale_s": 0.999e6 / math.gamma(11)}}}})
    with pytest.raises(ConfigError, match=r"^demand\.walk_in\.patience = "):
        scenario_from_dict({"demand": {"walk_in": {
            "patience": {"dist": "weibull", "shape": 0.1, "scale_s": 1.001e6 / math.gamma(11)}}}})
    for name in ("baseline.toml", "erlang_a.toml"):
        load_scenario(BASELINE.parent / name)


SPECS: list[tuple[DistSpec, Any]] = [
    (Exponential(dist="exponential", mean_s=100.0), stats.expon(scale=100.0)),
    (Lognormal(dist="lognormal", mean_s=240.0, cv=0.8),
     stats.lognorm(s=lognormal_params(240.0, 0.8)[1],
                   scale=math.exp(lognormal_params(240.0, 0.8)[0]))),
    (LognormalMedian(dist="lognormal_median", median_s=30.0, sigma=1.177),
     stats.lognorm(s=1.177, scale=30.0)),
    (Weibull(dist="weibull", shape=0.7, scale_s=90.0), stats.weibull_min(0.7, scale=90.0)),
    (Gamma(dist="gamma", mean_s=60.0, cv=2.0), stats.gamma(0.25, scale=240.0)),
    (Deterministic(dist="deterministic", value_s=42.0), None),
    (Empirical(dist="empirical", quantiles_s=[0.0, 10.0, 100.0]), None),
]


@pytest.mark.parametrize(("spec", "frozen"), SPECS, ids=[s.dist for s, _ in SPECS])
def test_quantiles_match_scipy(spec: DistSpec, frozen: Any) -> None:
    for p in (0.5, 0.9, 0.999):
        want = {"deterministic": 42.0, "empirical": float(min(p, 0.5) * 20
                                                          + max(0.0, p - 0.5) * 180)}
        expected = float(frozen.ppf(p)) if frozen is not None else want[spec.dist]
        assert math.isclose(quantile_of(spec, p), expected, rel_tol=1e-9)


# ------------------------------------------------------------------ endless services


def test_threshold_follows_the_drift_of_the_work_left() -> None:
    """Baseline: 1.2 personal calls an hour of service, each 60 s on average (median 30 s,
    σ 1.177) of which half serves the customer, then 5% of the requirement again:
    s* = (3000 + 30) / 0.05."""
    att = attention(load_scenario(BASELINE))
    assert att is not None
    assert math.isclose(att.rate_s * 3600, 1.2) and math.isclose(att.repeat, 0.05)
    assert math.isclose(att.progress_s, 0.5 * 30 * math.exp(1.177**2 / 2))
    assert math.isclose(att.threshold_s, (3000 + att.progress_s) / 0.05)
    assert att.growth(att.threshold_s) == pytest.approx(0.0, abs=1e-12)
    assert attention(load_scenario(BASELINE, ["distractions.enabled=false"])) is None


def test_services_that_would_never_end_are_refused_naming_the_key() -> None:
    for service in (EXP_1E6, 'demand.walk_in.service={dist="deterministic", value_s=1e6}'):
        text = refusal([service])
        assert text.startswith("demand.walk_in.service: walk-in services would never end")
        assert "6.1e4 s" in text and "distractions.repeat_rate" in text
    text = refusal(["distractions.repeat_rate=1", "distractions.repeat_multiplier=20"])
    assert "adds 19 × the requirement" in text and "of 159 s or more" in text
    text = refusal(['staff_rules.personal_phones="ask_permission"', "conduct.ask_s=3600",
                    "distractions.rate_multiplier=100"])
    assert text.startswith("conduct.ask_s = 3600: services would never end")


@pytest.mark.parametrize("overrides", [
    [], ["distractions.rate_multiplier=3"], ["distractions.rate_multiplier=20"],
    [EXP_1E6, "distractions.enabled=false"], [EXP_1E6, "distractions.repeat_rate=0"],
    [EXP_1E6, 'staff_rules.personal_phones="on_quiet"'],
])
def test_services_that_end_pass(overrides: list[str]) -> None:
    check_attention(load_scenario(BASELINE, overrides))


def test_the_gate_refuses_before_anything_and_names_the_sweep_point() -> None:
    scenario = load_scenario(BASELINE, [EXP_1E6])
    with pytest.raises(UserInputError, match=r"^service=long: demand\.walk_in\.service: "):
        clear([("service=long", scenario)], reps=1, jobs=1, cluster=False, force=True,
              strict=False)


def hand_made(service_rate_per_hour: float) -> Scenario:
    """One counter clerk, no traits, personal calls of exactly 10 s at the given rate per
    hour of service that serve nothing (slowdown 1), then 5% of the requirement again:
    s* = (3600 / rate + 0) / 0.05."""
    none = {"idle_rate_per_hour": 0.0, "serving_rate_per_hour": 0.0}
    kinds: dict[str, Any] = {k: dict(none) for k in (
        "coworker_chat", "paperwork", "critical_task", "argument")}
    kinds["personal_call"] = {**none, "serving_rate_per_hour": service_rate_per_hour,
                              "duration": {"dist": "deterministic", "value_s": 10.0}}
    return scenario_from_dict({
        "hours": {"open": "00:00", "close": "01:00", "serve_after_close": True},
        "staff": {"counter": 1, "phone": 0, "both": 0},
        "distractions": {"divided_attention_slowdown": 1.0, "kinds": kinds},
        "traits": {"enabled": False}})


def test_the_model_stops_a_service_that_grows_without_end() -> None:
    """At one call a second s* = 20 s: a 10 s service ends; a 1000 s one gains 49 s of work
    a second and is stopped, in one line, once 100 × its length is left (not a hang)."""
    scenario = hand_made(3600.0)
    att = attention(scenario)
    assert att is not None and math.isclose(att.threshold_s, 20.0)
    (done,) = run_schedule(scenario, [walk_in(0, service_s=10.0)])
    assert done.end_s > 10.0 and done.divided_attention
    started = time.perf_counter()
    with pytest.raises(ServiceRunaway) as err:
        run_schedule(scenario, [walk_in(0, service_s=1000.0)])
    assert time.perf_counter() - started < 5.0
    text = str(err.value)
    assert "\n" not in text and text.startswith("a walk-in service would never end")
    assert "demand.walk_in.service" in text and isinstance(err.value, UserInputError)


# ------------------------------------------------------------------ the guard's episodes


def test_the_guard_counts_episodes_during_service() -> None:
    """Baseline: an episode for about one contact in ten (nothing to the estimate).
    Without repeats, 1e6 s walk-ins at one call a second that serve nothing: 10⁶ episodes
    per walk-in, about 2.1e8 per replication: refused naming the service, unless forced."""
    base = estimate([load_scenario(BASELINE)], reps=1, workers=1)
    assert 0 < base.episodes < 0.1 * base.contacts
    long = load_scenario(BASELINE, [
        EXP_1E6, "distractions.repeat_rate=0", "distractions.divided_attention_slowdown=1",
        "distractions.kinds.personal_call.serving_rate_per_hour=3600"])
    work = estimate([long], reps=1, workers=1)
    temper = 0.6 * 1.0 + 0.2 * 1.1 + 0.1 * 1.3 + 0.1 * 1.5  # the mix's mean multiplier
    walk_ins = expected_daily(long, "walk_in")
    assert work.most_episodes > MAX_EPISODES_PER_REPLICATION
    assert work.most_episodes == pytest.approx(walk_ins * 1e6 * temper, rel=1e-3)
    with pytest.raises(UserInputError) as err:
        check_workload(work, force=False)
    text = str(err.value)
    assert "distractions during service" in text and "demand.walk_in.service: mean 1e6 s" in text
    assert "--force" in text and "\n" not in text
    check_workload(work, force=True)
