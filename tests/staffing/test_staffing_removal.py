"""Taking staff away: a removal is kept only when, with one staff member fewer, the
one-sided bound of every target still holds in every slot, and one joint failure does not
lock every slot it touched (each removal it blamed is tried again on its own).

The stand-in simulation of :mod:`tests.staffing.test_staffing_search`, with a coupling:
slots 1 and 2 each need 4 staff, and together at least 9 (a queue carried from one into
the other), so either may lose its fifth staff member, but not both.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from sim.config.schema import Scenario
from sim.staffing.search import Simulate, StaffingSearch, search
from sim.staffing.slots import staffing_slots
from tests.staffing.test_staffing_search import (
    OPEN_S,
    PER_SLOT,
    SLOT_S,
    TARGETS,
    contact,
    scenario,
    staff_of,
)

NEED = (4, 4, 4, 4)
PAIR = 9   # staff in slots 1 and 2 together


def walkout_p(staff: Sequence[int], i: int) -> float:
    """P(walkout) in slot ``i``: 0.1 per missing staff member, and 0.1 in slots 1 and 2
    when together they have fewer than :data:`PAIR`."""
    p = 0.1 * max(0, NEED[i] - staff[i])
    if i in (1, 2) and staff[1] + staff[2] < PAIR:
        p += 0.1
    return p


def coupled(reps: int = 10) -> Simulate:
    """The coupled stand-in (common random numbers: the same uniforms for every schedule)."""

    def simulate(s: Scenario) -> list[list[dict[str, object]]]:
        staff = staff_of(s)
        out = []
        for r in range(reps):
            rng = np.random.default_rng(r)
            out.append([contact(OPEN_S + (i + j / PER_SLOT) * SLOT_S, u < walkout_p(staff, i))
                        for i in range(len(staff)) for j, u in enumerate(rng.random(PER_SLOT))])
        return out

    return simulate


def test_one_joint_failure_does_not_lock_both_slots() -> None:
    run = StaffingSearch(scenario(), staffing_slots(scenario()), TARGETS, coupled())
    start, _ = run.add_until_passing([5, 5, 5, 5])
    best, finished = run.remove_while_passing(start)
    assert finished and best.passed
    # the joint removal [4, 4, 4, 4] failed in slots 1 and 2; slot 1 was then tried alone
    # and kept, slot 2 alone (with slot 1 already down) failed: 17 staff, not 18
    assert list(best.staff) == [4, 4, 5, 4]
    assert ((4, 4, 4, 4), (1, 2)) in [(s.staff, s.failing) for s in run.history]


def test_every_kept_removal_passes_and_every_slot_was_tried_one_lower() -> None:
    run = StaffingSearch(scenario(), staffing_slots(scenario()), TARGETS, coupled())
    start, _ = run.add_until_passing([6, 6, 6, 6])
    best, _ = run.remove_while_passing(start)
    final = list(best.staff)
    assert best.passed and sum(final) == 17
    for i, n in enumerate(final):
        # slot i one lower, every other slot at least as staffed as in the end: it failed
        tried = [s for s in run.history if s.staff[i] == n - 1
                 and all(s.staff[j] >= k for j, k in enumerate(final) if j != i)]
        assert tried and all(s.failing for s in tried), (i, final)


def test_search_refuses_fewer_than_10_replications() -> None:
    with pytest.raises(ValueError, match="needs at least 10"):
        search(scenario(), TARGETS, coupled(reps=9))
