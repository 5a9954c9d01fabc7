"""Validation with retrials: the simulation in validation mode with retrials on is the
M/M/N+M queue with retrials, and agrees with the truncated two-dimensional chain of
``sim/theory/retrial.py`` (an independent calculation) within confidence intervals.

One queue on the phone channel (unlimited lines, so nobody is blocked): ten agents, calls
at 150 an hour (load 1.0 before retries), 4-minute exponential services, exponential
patience of 3 minutes; a caller who hangs up calls again with probability 0.5 after an
exponential delay of 10 minutes, with fresh patience, as often as it hangs up (at most
1000 times, never reached). The chain's truncation error (probability on its boundary) is
below 1e-10. Checked per attempt (first calls and retries alike): P(abandon), P(wait > 0),
mean wait; time averages: queue length, utilisation; and the retrial rate (retries per
second), each exact value inside the simulation's simultaneous 95% interval (Bonferroni
over the checks of this file) that is also narrow (half-width at most 10% of the value).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sim.config.loading import load_scenario, scenario_from_dict
from sim.config.schema import Scenario
from sim.execution.runner import run_replications
from sim.results.statistics import estimate
from sim.theory.retrial import RetrialMetrics, retrial_metrics
from tests.helpers import ERLANG_A

SERVERS, PER_HOUR, SERVICE_S, PATIENCE_S = 10, 150.0, 240.0, 180.0
P_RETRY, DELAY_S = 0.5, 600.0
HOURS, WARMUP_S, REPS, SEED = 24, 7200.0, 30, 3


def scenario() -> Scenario:
    """erlang_a.toml moved to the phone channel, with retrials on."""
    base = load_scenario(ERLANG_A).model_dump(mode="json")
    base["demand"]["phone"] = {
        "rate_per_hour": PER_HOUR, "profile": [],
        "service": {"dist": "exponential", "mean_s": SERVICE_S},
        "patience": {"dist": "exponential", "mean_s": PATIENCE_S}}
    base["demand"]["walk_in"]["rate_per_hour"] = 0.0
    base["hours"].update(close=f"{HOURS}:00", slot_minutes=HOURS * 60)
    base["staff"] = {"counter": 0, "phone": SERVERS, "both": 0}
    base["run"]["warmup_s"] = WARMUP_S
    base["retrials"] = {"enabled": True, "walk_in": {"probability": 0.0}, "phone": {
        "probability": P_RETRY, "max_retries": 1000,
        "delay": {"dist": "exponential", "mean_s": DELAY_S}}}
    return scenario_from_dict(base)


def chain() -> RetrialMetrics:
    """The exact answer, rates per second."""
    return retrial_metrics(PER_HOUR / 3600.0, 1.0 / SERVICE_S, 1.0 / PATIENCE_S, SERVERS,
                           P_RETRY, 1.0 / DELAY_S)


def p_abandon(row: dict[str, float]) -> float:
    """Hang-ups among the attempts that left (those inside at the hard close excluded)."""
    return row["abandoned"] / (row["arrivals"] - row["in_system_end"])


Check = tuple[Callable[[dict[str, float]], float], Callable[[RetrialMetrics], float]]
CHECKS: dict[str, Check] = {
    "p_abandon": (p_abandon, lambda c: c.p_abandon),
    "p_wait": (lambda r: r["p_wait"], lambda c: c.p_wait),
    "mean_wait_s": (lambda r: r["mean_wait_s"], lambda c: c.mean_wait),
    "mean_queue_length": (lambda r: r["mean_queue_length"], lambda c: c.mean_queue_length),
    "utilization": (lambda r: r["utilization"], lambda c: c.utilization),
    "retrial_rate": (lambda r: r["retries"] / r["observed_s"], lambda c: c.retrial_rate),
}
LEVEL = 1.0 - 0.05 / len(CHECKS)
MAX_RELATIVE_HALF_WIDTH = 0.10


@pytest.fixture(scope="module")
def rows() -> list[dict[str, float]]:
    """Replication metrics (simulated once for the module)."""
    return [r.metrics for r in run_replications(scenario(), SEED, REPS, jobs=2)]


def test_retrial_validation_chain_is_converged() -> None:
    exact = chain()
    assert exact.boundary_mass < 1e-10
    assert exact.retrial_rate > 0.002 and exact.p_abandon > 0.1  # retrials matter here


@pytest.mark.parametrize("check", list(CHECKS))
def test_retrial_validation_simulation_agrees_with_the_chain(
        rows: list[dict[str, float]], check: str) -> None:
    sim_value, exact_value = CHECKS[check]
    exact = exact_value(chain())
    est = estimate([sim_value(r) for r in rows], LEVEL)
    assert est.contains(exact), (
        f"{check}: exact {exact:.6g} outside the simultaneous 95% interval "
        f"[{est.ci_low:.6g}, {est.ci_high:.6g}] (mean {est.mean:.6g}, n={est.n})")
    half = (est.ci_high - est.ci_low) / 2.0
    assert half <= MAX_RELATIVE_HALF_WIDTH * abs(exact), f"{check}: interval too wide"


def test_retrial_validation_customers_are_conserved(rows: list[dict[str, float]]) -> None:
    """Every attempt ends once: served, abandoned or still inside at the close; nobody is
    blocked or balks; every retry follows a hang-up (before the window's hang-ups: a few
    from the warm-up)."""
    for r in rows:
        assert r["served"] + r["abandoned"] + r["in_system_end"] == r["arrivals"]
        assert r["blocked"] == 0 and r["balked"] == 0 and r["walk_in_arrivals"] == 0
        assert r["phone_retries"] == r["retries"] > 0
