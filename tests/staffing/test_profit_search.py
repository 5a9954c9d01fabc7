"""The profit search (sim/staffing/profit.py) on a synthetic net value whose optimum is
known: it gets there from two starts, close calls get more replications, targets constrain
it, and the chosen schedule's comparisons are Bonferroni-aware; the paired statistics and
the Pareto front on hand-made numbers."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pytest
from scipy import stats

from sim.config.loading import scenario_from_dict
from sim.config.schema import Scenario
from sim.staffing.profit import (
    TRACKED,
    Paired,
    Replication,
    SimulateRuns,
    pareto_front,
    profit_search,
)
from sim.staffing.slots import Slot, staffing_slots
from sim.staffing.targets import parse_target

SCENARIO = scenario_from_dict({"hours": {"open": "09:00", "close": "12:00", "slot_minutes": 60},
                               "demand": {"walk_in": {"rate_per_hour": 20}}})
SLOTS = staffing_slots(SCENARIO)
BEST = (4, 6, 3)


def staff_of(scenario: Scenario, slots: Sequence[Slot]) -> tuple[int, ...]:
    """Staff per slot of a scenario the search made (its schedule blocks)."""
    blocks = [(b.start, b.end, b.both) for b in scenario.staff.schedule]
    out = []
    for s in slots:
        start = f"{int(s.start_s // 3600):02d}:{int(s.start_s % 3600 // 60):02d}"
        out.append(next(n for a, e, n in blocks if a <= start < e))
    return tuple(out)


def synthetic(noise: float, calls: list[int], scale: float = 60.0) -> SimulateRuns:
    """A simulator: net value −``scale`` · Σ (x − best)² plus a day effect shared by every
    schedule (common random numbers) plus schedule-specific noise of sd ``noise``."""

    def simulate(scenario: Scenario, reps: Sequence[int]) -> list[Replication]:
        staff = staff_of(scenario, SLOTS)
        calls.append(reps[-1] + 1)  # replications simulated so far
        rows: list[Replication] = []
        for r in reps:
            day = np.random.default_rng([r]).normal(0, 500)
            own = np.random.default_rng([r, *staff]).normal(0, noise)
            value = -scale * sum((x - b) ** 2 for x, b in zip(staff, BEST, strict=True))
            row = dict.fromkeys(TRACKED, 0.0)
            row.update(net_value=float(value + day + own), staff_hours=float(sum(staff)),
                       walkout_rate=0.1 / sum(staff))
            rows.append((row, []))
        return rows

    return simulate


@pytest.mark.parametrize("start", [[1, 1, 1], [8, 8, 8]])
def test_the_known_optimum_is_found_from_either_side(start: list[int]) -> None:
    calls: list[int] = []
    result = profit_search(SCENARIO, SLOTS, [], synthetic(5.0, calls), start,
                           reps=10)
    assert result.status == "optimum" and result.chosen.staff == BEST
    assert result.start == tuple(start)
    assert len(result.neighbours) == 6 and all(n.comparison for n in result.neighbours)
    # each neighbour loses 60 with little noise: the chosen one beats all, Bonferroni-sure
    for n in result.neighbours:
        assert n.comparison is not None and n.comparison.mean == pytest.approx(60.0, abs=15)
        assert n.comparison.low > 0.0
    assert result.joint_confidence > 0.99
    # clear gains: no close call needed more replications, only the last round's check
    # that no cheaper neighbour is as good (on max_reps = 40 replications); the last call
    # is the confirmation, 10 fresh replications after any the search may use (40..49)
    assert set(calls[:-1]) == {10, 40} and calls[-1] == 50
    fresh, fresh_se = result.confirmed_net_value
    assert len(result.confirmed) == 10 and fresh_se > 0.0
    assert abs(fresh - result.chosen.mean("net_value")) < 4.0 * 500.0 / 10 ** 0.5


def test_a_close_call_gets_more_replications_and_the_budget_stops_the_search() -> None:
    calls: list[int] = []
    noisy = profit_search(SCENARIO, SLOTS, [], synthetic(20.0, calls, 5.0),
                          [5, 7, 4], reps=10, max_reps=40)
    assert max(calls[:-1]) == 40  # a close call: replications 10-19, then 20-39
    assert calls[-1] == 50  # then the chosen schedule on fresh replications 40-49
    assert noisy.status == "optimum"
    stopped = profit_search(SCENARIO, SLOTS, [], synthetic(5.0, []), [1, 1, 1],
                            reps=10, max_iterations=4)
    assert stopped.status == "max_iterations" and len(stopped.evaluated) == 4


def test_targets_are_constraints() -> None:
    """With a target on the slot metrics, schedules that miss it are no alternative: a
    simulator with walkouts in every contact row makes every schedule infeasible."""
    target = parse_target("walkout_rate<=0.05")

    def all_walk_out(scenario: Scenario, reps: Sequence[int]) -> list[Replication]:
        row = dict.fromkeys(TRACKED, 0.0)
        contacts = [{"channel": "walk_in", "arrival_s": 9.5 * 3600, "ack_s": math.nan,
                     "outcome": "reneged_unacknowledged", "start_s": math.nan,
                     "end_s": 9.6 * 3600}]
        return [(row, contacts) for _ in reps]

    result = profit_search(SCENARIO, SLOTS, [target], all_walk_out, [2, 2, 2], reps=10,
                           max_iterations=3)
    assert result.status == "infeasible" and not result.chosen.feasible


def test_paired_statistics_by_hand() -> None:
    a, b = [10.0, 12.0, 9.0, 11.0], [9.0, 10.0, 9.5, 9.0]
    d = np.array(a) - np.array(b)
    se = d.std(ddof=1) / 2.0
    p = Paired.of(a, b, 0.95)
    assert p.mean == pytest.approx(d.mean()) and p.se == pytest.approx(se)
    half = stats.t.ppf(0.975, 3) * se
    assert p.low == pytest.approx(d.mean() - half) and p.high == pytest.approx(d.mean() + half)
    assert p.p_value == pytest.approx(stats.ttest_rel(a, b, alternative="greater").pvalue)
    same = Paired.of([1.0, 2.0], [1.0, 2.0], 0.95)
    assert same.mean == 0.0 and same.p_value == 1.0


def test_pareto_front() -> None:
    points = [(10.0, 5.0), (12.0, 3.0), (12.0, 4.0), (9.0, 9.0), (15.0, 3.0), (10.0, 5.0)]
    assert pareto_front(points) == [True, True, False, True, False, True]
