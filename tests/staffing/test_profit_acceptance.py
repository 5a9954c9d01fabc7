"""Acceptance of the profit-optimal staffing on a baseline-like day: the baseline (its
arrival profiles, service, patience, distractions, traits and default money) cut to
09:00-12:00 in one-hour slots so that it runs in well under a minute.

From two different starts (the Erlang-A schedule, below the optimum, and three staff members
more in every slot, on the plateau above it)
the search ends at the same schedule, or at schedules within one staff-slot of each other
whose net values cannot be told apart; and the schedule chosen, re-simulated on fresh
replications (another seed), has a net value within 2 standard errors of what the search
reports: its confirmation on replications it never saw (the mean over the replications it
selected on is biased upward and is not what it reports as the schedule's value)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from sim.config.loading import load_scenario
from sim.config.schema import Scenario
from sim.execution.runner import run_replication
from sim.staffing.profit import Paired, Replication, SimulateRuns, mean_se, profit_search
from sim.staffing.schedule import initial_staff, schedule_blocks, with_schedule
from sim.staffing.slots import staffing_slots
from sim.staffing.targets import parse_target
from tests.helpers import BASELINE

SHORT_DAY = ["hours.close=12:00", "hours.slot_minutes=60", "staff.schedule=[]",
             "demand.walk_in.profile=[0.7, 0.95, 1.3]", "demand.phone.profile=[1.05, 1.3, 0.95]"]


def simulate(seed: int) -> SimulateRuns:
    """Replications of a scenario at ``seed`` (metrics and contact rows)."""

    def run(scenario: Scenario, reps: Sequence[int]) -> list[Replication]:
        results = [run_replication(scenario, seed, r, keep_contacts=True) for r in reps]
        return [(r.metrics, r.contacts) for r in results]

    return run


@pytest.mark.slow
def test_two_starts_agree_and_a_fresh_seed_confirms_the_net_value() -> None:
    scenario = load_scenario(BASELINE, SHORT_DAY)
    slots = staffing_slots(scenario)
    start = initial_staff(scenario, slots, [parse_target("walkout_rate<=0.05")])
    found = [profit_search(scenario, slots, [], simulate(1), s, reps=10,
                           max_reps=40)
             for s in (start, [n + 3 for n in start])]  # from below, and from well above
    a, b = found
    assert a.start != b.start and a.status == b.status == "optimum"
    apart = sum(abs(x - y) for x, y in zip(a.chosen.staff, b.chosen.staff, strict=True))
    if apart:
        same_reps = Paired.gain(a.chosen, b.chosen, 0.95)[0]
        assert apart == 1 and same_reps.low <= 0.0 <= same_reps.high
    # re-simulated on 20 fresh replications (seed 2)
    chosen = with_schedule(scenario, schedule_blocks(slots, a.chosen.staff))
    fresh = mean_se([float(row["net_value"]) for row, _ in simulate(2)(chosen, range(20))])[0]
    told, told_se = a.confirmed_net_value  # what the search reports: fresh replications
    assert len(a.confirmed) == 10 and told_se > 0.0
    assert abs(fresh - told) <= 2.0 * told_se, (fresh, told, told_se)
