"""Who is on duty when: individual staff members and their duty intervals. Pure, no SimPy."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.config.fields import clock_to_seconds
from sim.config.schema import Scenario
from sim.config.sections import ShiftSlot

ROLES = ("counter", "phone", "both")
ROLE_CHANNELS = {"counter": ("walk_in",), "phone": ("phone",), "both": ("walk_in", "phone")}


@dataclass(frozen=True)
class StaffMember:
    """One staff member: role and duty intervals ``[(start_s, end_s), ...]`` (end may be inf)."""

    id: int
    role: str
    duty: tuple[tuple[float, float], ...]

    def on_duty(self, t: float) -> bool:
        """True if on duty at time ``t`` (seconds)."""
        return any(start <= t < end for start, end in self.duty)


def _slots(scenario: Scenario) -> list[ShiftSlot]:
    staff = scenario.staff
    if staff.schedule:
        return sorted(staff.schedule, key=lambda s: clock_to_seconds(s.start))
    return [ShiftSlot(start=scenario.hours.open, end=scenario.hours.close,
                      counter=staff.counter, phone=staff.phone, both=staff.both)]


def _merge(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for start, end in intervals:
        if merged and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def build_roster(scenario: Scenario, offset_s: float = 0.0) -> list[StaffMember]:
    """Individual staff from per-slot counts: member ``i`` of a role works every slot with
    more than ``i`` of that role (so extra staff are late starters or early leavers).

    With ``hours.serve_after_close``, whoever is on duty at closing stays until the
    customers already inside have been served. ``offset_s`` shifts every time (day d of a
    multi-day run starts at d · 86 400 s).
    """
    slots = _slots(scenario)
    close_s = scenario.hours.close_s + offset_s
    members: list[StaffMember] = []
    for role in ROLES:
        most = max(getattr(s, role) for s in slots)
        for i in range(most):
            intervals = [(offset_s + clock_to_seconds(s.start), offset_s + clock_to_seconds(s.end))
                         for s in slots if getattr(s, role) > i]
            duty = _merge(intervals)
            if scenario.hours.serve_after_close and duty and duty[-1][1] == close_s:
                duty[-1] = (duty[-1][0], math.inf)
            members.append(StaffMember(id=len(members), role=role, duty=tuple(duty)))
    return members


def duty_changes(members: list[StaffMember]) -> list[tuple[float, int, bool]]:
    """``(time_s, member_id, now_on_duty)`` for every shift start and end, in time order
    (ends before starts at the same instant)."""
    changes = [(t, m.id, on) for m in members for start, end in m.duty
               for t, on in ((start, True), (end, False)) if t != math.inf]
    return sorted(changes, key=lambda c: (c[0], c[2], c[1]))
