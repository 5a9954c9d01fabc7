"""Validation: with every behaviour off, the simulation is the M/M/N+M (Erlang-A) queue.

Each point runs independent replications (fixed root seed, so the test is repeatable)
and checks that the exact oracle value lies inside the simulation's confidence interval
for P(wait > 0), P(abandon), mean wait, the 20 s service level, queue length and
utilisation. Every replication must also conserve customers exactly and satisfy Little's
law.

The intervals are *simultaneous* 95% intervals over the whole family of checks in this
file (Bonferroni: each single interval at level 1 - 0.05/k). Forty separate 95% intervals
would miss the truth somewhere by chance most of the time, which says nothing about the
model; a simultaneous family misses anywhere with probability at most 5%. So that the
checks keep their power, each interval must also be narrow (half-width within a few
percent of the exact value).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from sim.config.loading import load_scenario, scenario_from_dict
from sim.config.schema import Scenario
from sim.execution.runner import run_replications
from sim.results.statistics import estimate
from sim.theory import (
    QueueMetrics,
    birth_death_metrics,
    erlang_a_metrics,
    erlang_c_metrics,
    stationary_distribution_dense,
)
from tests.helpers import ERLANG_A

# Long validation runs: every point simulates hours to days of the queue, many times.
pytestmark = pytest.mark.slow

TARGET_S = 20.0
SEED = 1


@dataclass(frozen=True)
class Point:
    """One validation queue: rates per hour, means in seconds."""

    name: str
    servers: int
    arrivals_per_hour: float
    mean_service_s: float
    mean_patience_s: float  # inf: Erlang-C
    hours: int
    warmup_s: float
    reps: int
    balking: dict[str, Any] | None = None
    channel: str = "walk_in"

    @property
    def rho(self) -> float:
        return self.arrivals_per_hour / 3600.0 * self.mean_service_s / self.servers


POINTS = [
    # The reference case of docs/model.md (validation):
    # lambda 6/min, service 4 min, patience 2 min, N = 25.
    Point("reference_N25", 25, 360.0, 240.0, 120.0, hours=24, warmup_s=3600, reps=40),
    # Many servers, heavy traffic, patient callers.
    Point("large_N60", 60, 855.0, 240.0, 600.0, hours=24, warmup_s=3600, reps=40),
    # Overloaded: rho = 1.2, the line is held in check by abandonment alone.
    Point("overloaded_N10", 10, 720.0, 60.0, 120.0, hours=8, warmup_s=1800, reps=30),
    # Two clerks, moderate load, on the phone channel (unlimited lines).
    Point("phone_N2", 2, 24.0, 240.0, 300.0, hours=72, warmup_s=3600, reps=30, channel="phone"),
    # Erlang-C: infinite patience, rho = 0.85.
    Point("erlang_c_N5", 5, 127.5, 120.0, math.inf, hours=96, warmup_s=7200, reps=40),
    # Balking by visible queue length: P(balk) = min(0.9, 0.1 * max(0, q - 2)).
    Point("balking_N3", 3, 90.0, 120.0, 300.0, hours=48, warmup_s=3600, reps=30,
          balking={"policy": "queue_length", "free_waiting": 2, "per_extra_waiting": 0.1,
                   "max_probability": 0.9}),
]


def scenario_for(point: Point) -> Scenario:
    """The validation scenario (erlang_a.toml with this point's numbers)."""
    base = load_scenario(ERLANG_A).model_dump(mode="json")
    other = "phone" if point.channel == "walk_in" else "walk_in"
    patience = ({"dist": "infinite"} if math.isinf(point.mean_patience_s)
                else {"dist": "exponential", "mean_s": point.mean_patience_s})
    base["demand"][point.channel] = {
        "rate_per_hour": point.arrivals_per_hour, "profile": [],
        "service": {"dist": "exponential", "mean_s": point.mean_service_s},
        "patience": patience,
    }
    base["demand"][other]["rate_per_hour"] = 0.0
    base["hours"].update(close=f"{point.hours}:00", slot_minutes=point.hours * 60)
    role = "counter" if point.channel == "walk_in" else "phone"
    base["staff"] = {"counter": 0, "phone": 0, "both": 0, role: point.servers}
    base["phone_handling"]["answer_target_s"] = TARGET_S
    base["acknowledgment"]["target_s"] = TARGET_S
    base["run"]["warmup_s"] = point.warmup_s
    if point.balking:
        base["balking"] = point.balking
    return scenario_from_dict(base)


def oracle(point: Point) -> QueueMetrics:
    """The exact answer, rates per second."""
    lam = point.arrivals_per_hour / 3600.0
    mu = 1.0 / point.mean_service_s
    theta = 0.0 if math.isinf(point.mean_patience_s) else 1.0 / point.mean_patience_s
    if point.balking:
        b = point.balking

        def join(q: int) -> float:
            return 1.0 - float(min(b["max_probability"],
                                   b["per_extra_waiting"] * max(0, q - b["free_waiting"])))

        return birth_death_metrics(lam, mu, theta, point.servers, TARGET_S, join_probability=join)
    if theta == 0.0:
        return erlang_c_metrics(lam, mu, point.servers, TARGET_S)
    return erlang_a_metrics(lam, mu, theta, point.servers, TARGET_S)


_RESULTS: dict[str, list[dict[str, float]]] = {}


def simulated(point: Point) -> list[dict[str, float]]:
    """Replication metrics for a point (simulated once per test session)."""
    if point.name not in _RESULTS:
        results = run_replications(scenario_for(point), SEED, point.reps, jobs=2)
        _RESULTS[point.name] = [r.metrics for r in results]
    return _RESULTS[point.name]


def p_abandon(row: dict[str, float]) -> float:
    """Walkouts among joiners who left (balkers excluded, and those still inside at the hard
    close, whose outcome is unknown): the oracle's P(abandon), like with like."""
    left = row["arrivals"] - row["in_system_end"]
    return (row["walkouts"] - row["balked"]) / (left - row["balked"])


def p_balk(row: dict[str, float]) -> float:
    return row["balked"] / row["arrivals"]


Check = tuple[Callable[[dict[str, float]], float], Callable[[QueueMetrics], float]]
CHECKS: dict[str, Check] = {
    "p_wait": (lambda r: r["p_wait"], lambda o: o.p_wait),
    "p_abandon": (p_abandon, lambda o: o.p_abandon),
    "mean_wait_s": (lambda r: r["mean_wait_s"], lambda o: o.mean_wait),
    "service_level_20s": (lambda r: r["service_level"], lambda o: o.service_level),
    "mean_queue_length": (lambda r: r["mean_queue_length"], lambda o: o.mean_queue_length),
    "utilization": (lambda r: r["utilization"], lambda o: o.utilization),
}


# Bonferroni: every interval in this file shares the 5% family-wise error.
N_INTERVALS = len(POINTS) * len(CHECKS) + 2
LEVEL = 1.0 - 0.05 / N_INTERVALS
# Power: an interval's half-width may be at most this share of the exact value.
MAX_RELATIVE_HALF_WIDTH = 0.10


def assert_inside(name: str, values: list[float], exact: float) -> None:
    """``exact`` lies in the simultaneous interval, and the interval is narrow."""
    est = estimate(values, LEVEL)
    half = (est.ci_high - est.ci_low) / 2.0
    assert est.contains(exact), (
        f"{name}: exact {exact:.6g} outside the simultaneous 95% interval "
        f"[{est.ci_low:.6g}, {est.ci_high:.6g}] (mean {est.mean:.6g}, n={est.n})"
    )
    assert half <= MAX_RELATIVE_HALF_WIDTH * abs(exact), (
        f"{name}: interval too wide to be a test (half-width {half:.3g} vs exact {exact:.3g})"
    )


@pytest.mark.parametrize("point", POINTS, ids=lambda p: p.name)
@pytest.mark.parametrize("check", list(CHECKS))
def test_simulation_agrees_with_oracle(point: Point, check: str) -> None:
    """The oracle value lies inside the simulation's 95% confidence interval."""
    rows = simulated(point)
    sim_value, exact_value = CHECKS[check]
    exact = exact_value(oracle(point))
    values = [sim_value(r) for r in rows]
    if point.mean_patience_s == math.inf and check == "p_abandon":
        assert max(values) == 0.0
        return
    assert_inside(f"{point.name} {check}", values, exact)


def test_balking_probability_agrees_with_birth_death() -> None:
    """The share of walk-ins who balk matches the exact birth-death answer."""
    point = next(p for p in POINTS if p.balking)
    exact = oracle(point).p_balk
    assert exact > 0.01
    assert_inside("p_balk", [p_balk(r) for r in simulated(point)], exact)


@pytest.mark.parametrize("point", POINTS, ids=lambda p: p.name)
def test_conservation_every_replication(point: Point) -> None:
    """Arrivals = served + walkouts + still in the system at the end, exactly."""
    for row in simulated(point):
        assert row["arrivals"] == row["served"] + row["walkouts"] + row["in_system_end"]
        assert row["walkouts"] == sum(row[k] for k in (
            "balked", "reneged_unacknowledged", "reneged_acknowledged", "abandoned", "blocked"))


@pytest.mark.parametrize("point", POINTS, ids=lambda p: p.name)
def test_littles_law_every_run(point: Point) -> None:
    """Little's law in every replication.

    Exactly, on the sample path: the integral of the queue length over the observed
    window equals the customer-seconds waited inside it. And in its usual form
    L = lambda W, up to the window's edges (customers already waiting at warm-up or
    still waiting at the end), within 3%.
    """
    for row in simulated(point):
        area = row["mean_queue_length"] * row["observed_s"]
        assert area == pytest.approx(row["queue_time_s"], rel=1e-9, abs=1e-6)
        rate = row["joined_left"] / row["observed_s"]
        ratio = row["mean_queue_length"] / (rate * row["mean_wait_s"])
        assert abs(ratio - 1.0) < 0.03, (point.name, ratio)


def test_phone_lines_block_like_the_truncated_chain() -> None:
    """With lines = N + 2, the blocked share equals the truncated chain's P(full) (PASTA)."""
    servers, lines = 3, 5
    lam, mu, theta = 150.0 / 3600.0, 1.0 / 90.0, 1.0 / 120.0
    point = Point("blocking", servers, 150.0, 90.0, 120.0, hours=48, warmup_s=3600, reps=20,
                  channel="phone")
    scenario = scenario_for(point)
    data = scenario.model_dump(mode="json")
    data["demand"]["phone"]["lines"] = lines
    rows = [r.metrics for r in run_replications(scenario_from_dict(data), SEED, point.reps, 2)]
    births = [lam] * lines  # n -> n + 1 for n = 0 .. lines - 1
    deaths = [min(n, servers) * mu + max(0, n - servers) * theta for n in range(1, lines + 1)]
    pi = stationary_distribution_dense(births, deaths)
    exact_block = float(pi[-1])
    assert exact_block > 0.02
    assert_inside("p_blocked", [r["blocked"] / r["arrivals"] for r in rows], exact_block)


def test_reference_case_numbers() -> None:
    """The oracle reproduces the reference case's numbers in docs/model.md (validation), a
    sanity check for the table above."""
    o = oracle(POINTS[0])
    assert o.p_wait == pytest.approx(0.37858, abs=5e-5)
    assert o.p_abandon == pytest.approx(0.07525, abs=5e-5)
    assert o.mean_wait / 60.0 == pytest.approx(0.15051, abs=5e-5)
    assert np.isfinite(o.service_level)
