"""The search logic on a stand-in simulation whose walkouts depend on staff in a known way:
P(walkout) in slot i is ``floor_i + 0.1 · max(0, need_i − staff_i)``, drawn with the same
uniforms for every schedule (common random numbers). The fewest staff meeting
walkout_rate<=0.05 is then ``need_i`` in every slot without a floor."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.config.fields import clock_to_seconds
from sim.config.loading import scenario_from_dict
from sim.config.schema import Scenario
from sim.staffing.search import Simulate, search
from sim.staffing.slots import staffing_slots
from sim.staffing.targets import parse_targets

OPEN_S = 9 * 3600.0
SLOT_S = 1800.0
PER_SLOT = 60
TARGETS = parse_targets(["walkout_rate<=0.05"])


def scenario(warmup_s: float = 0.0) -> Scenario:
    """09:00-11:00 in four half-hour slots, walk-ins only."""
    return scenario_from_dict({
        "hours": {"open": "09:00", "close": "11:00", "slot_minutes": 30},
        "demand": {"walk_in": {"rate_per_hour": 20.0}, "phone": {"rate_per_hour": 0.0}},
        "staff": {"both": 1}, "run": {"warmup_s": warmup_s},
    })


def staff_of(s: Scenario) -> list[int]:
    """Pooled staff at the start of each slot, from the schedule the search wrote."""
    starts = [slot.start_s for slot in staffing_slots(s)]
    return [next(b.both for b in s.staff.schedule
                 if clock_to_seconds(b.start) <= t < clock_to_seconds(b.end)) for t in starts]


def contact(arrival: float, walked_out: bool) -> dict[str, object]:
    """A walk-in that balked, or was served at once (greeted and started on arrival)."""
    if walked_out:
        return {"channel": "walk_in", "arrival_s": arrival, "ack_s": float("nan"),
                "start_s": float("nan"), "end_s": arrival, "outcome": "balked"}
    return {"channel": "walk_in", "arrival_s": arrival, "ack_s": arrival,
            "start_s": arrival, "end_s": arrival + 60.0, "outcome": "served"}


def stand_in(need: Sequence[int], floor: Sequence[float], reps: int = 10) -> Simulate:
    """A simulation with a known answer (see the module docstring)."""

    def simulate(s: Scenario) -> list[list[dict[str, object]]]:
        staff = staff_of(s)
        out = []
        for r in range(reps):
            rng = np.random.default_rng(r)
            rows = []
            for i, (n, k, f) in enumerate(zip(staff, need, floor, strict=True)):
                p = f + 0.1 * max(0, k - n)
                for j, u in enumerate(rng.random(PER_SLOT)):
                    rows.append(contact(OPEN_S + i * SLOT_S + j * SLOT_S / PER_SLOT, u < p))
            out.append(rows)
        return out

    return simulate


def test_finds_the_fewest_staff_per_slot() -> None:
    need = [1, 4, 2, 6]
    result = search(scenario(), TARGETS, stand_in(need, [0.0] * 4))
    assert result.status == "met" and result.message == "every slot meets every target"
    assert list(result.evaluation.staff) == need
    assert result.history[0].phase == "start"
    assert {"add", "remove"} <= {s.phase for s in result.history}
    # every slot above its minimum (1) was simulated one lower, and that failed there
    for i, k in enumerate(need):
        lower = [s for s in result.history if s.staff[i] == k - 1]
        assert k == 1 or (lower and all(i in s.failing for s in lower)), i


def test_a_slot_more_staff_cannot_fix_is_given_up_at_its_best() -> None:
    need = [1, 4, 2, 6]
    result = search(scenario(), TARGETS, stand_in(need, [0.0, 0.2, 0.0, 0.0]))
    assert result.status == "unreachable"
    assert result.given_up == {1: 4}
    assert list(result.evaluation.staff) == need
    assert result.evaluation.failing == (1,)
    assert "09:30-10:00 still miss a target" in result.message


def test_warm_up_slots_copy_the_first_measured_slot() -> None:
    result = search(scenario(warmup_s=1800.0), TARGETS, stand_in([5, 3, 2, 6], [0.0] * 4))
    assert result.status == "met"
    assert list(result.evaluation.staff) == [3, 3, 2, 6]
    assert result.evaluation.slots[0].checks == ()


def test_stops_at_max_iterations_and_keeps_what_it_found() -> None:
    result = search(scenario(), TARGETS, stand_in([1, 4, 2, 6], [0.0] * 4), max_iterations=2)
    assert result.status == "max_iterations" and len(result.history) == 2
    assert "stopped after 2 iterations (--max-iterations)" in result.message
    assert result.evaluation.staff == result.history[-1].staff


def test_same_answer_on_rerun() -> None:
    first = search(scenario(), TARGETS, stand_in([2, 3, 3, 1], [0.0] * 4))
    second = search(scenario(), TARGETS, stand_in([2, 3, 3, 1], [0.0] * 4))
    assert first.evaluation == second.evaluation and first.history == second.history
