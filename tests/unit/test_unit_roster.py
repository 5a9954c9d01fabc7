"""build_roster and duty_changes: individual staff from per-slot counts."""

from __future__ import annotations

import math
from typing import Any

from sim.config.loading import scenario_from_dict
from sim.config.schema import Scenario
from sim.model.roster import StaffMember, build_roster, duty_changes

H = 3600.0
INF = math.inf


def scenario(staff: dict[str, Any], serve_after_close: bool = False) -> Scenario:
    return scenario_from_dict({
        "hours": {"open": "09:00", "close": "17:00", "serve_after_close": serve_after_close},
        "staff": {"counter": 0, "phone": 0, "both": 0, **staff},
    })


def duties(members: list[StaffMember]) -> list[tuple[str, tuple[tuple[float, float], ...]]]:
    return [(m.role, m.duty) for m in members]


def test_flat_counts_in_role_order() -> None:
    members = build_roster(scenario({"counter": 2, "phone": 1, "both": 1}))
    assert [m.id for m in members] == [0, 1, 2, 3]
    assert duties(members) == [("counter", ((9 * H, 17 * H),)),
                               ("counter", ((9 * H, 17 * H),)),
                               ("phone", ((9 * H, 17 * H),)),
                               ("both", ((9 * H, 17 * H),))]


def test_serve_after_close_extends_closing_shifts_to_infinity() -> None:
    members = build_roster(scenario({"counter": 1, "both": 1}, serve_after_close=True))
    assert duties(members) == [("counter", ((9 * H, INF),)), ("both", ((9 * H, INF),))]


def test_late_start() -> None:
    sc = scenario({"schedule": [{"start": "09:00", "end": "10:00", "counter": 1},
                                {"start": "10:00", "end": "17:00", "counter": 2}]})
    assert duties(build_roster(sc)) == [("counter", ((9 * H, 17 * H),)),
                                        ("counter", ((10 * H, 17 * H),))]


def test_early_leave_not_extended_by_serve_after_close() -> None:
    sc = scenario({"schedule": [{"start": "09:00", "end": "12:00", "counter": 2},
                                {"start": "12:00", "end": "17:00", "counter": 1}]},
                  serve_after_close=True)
    assert duties(build_roster(sc)) == [("counter", ((9 * H, INF),)),
                                        ("counter", ((9 * H, 12 * H),))]


def test_split_shift_and_unsorted_slots() -> None:
    sc = scenario({"schedule": [{"start": "13:00", "end": "17:00", "counter": 1, "phone": 1},
                                {"start": "09:00", "end": "11:00", "counter": 1},
                                {"start": "11:00", "end": "13:00", "phone": 1}]},
                  serve_after_close=True)
    assert duties(build_roster(sc)) == [("counter", ((9 * H, 11 * H), (13 * H, INF))),
                                        ("phone", ((11 * H, INF),))]


def test_gap_before_close_is_not_extended() -> None:
    sc = scenario({"schedule": [{"start": "09:00", "end": "16:00", "both": 1}]},
                  serve_after_close=True)
    assert duties(build_roster(sc)) == [("both", ((9 * H, 16 * H),))]


def test_on_duty_is_half_open() -> None:
    m = StaffMember(0, "counter", ((10.0, 20.0), (30.0, INF)))
    assert [m.on_duty(t) for t in (9.9, 10.0, 19.9, 20.0, 25.0, 30.0, 1e9)] == [
        False, True, True, False, False, True, True]


def test_duty_changes_sorted_ends_before_starts_and_no_infinity() -> None:
    members = [StaffMember(0, "counter", ((0.0, 100.0), (200.0, INF))),
               StaffMember(1, "counter", ((100.0, 200.0),)),
               StaffMember(2, "phone", ((50.0, 100.0),))]
    assert duty_changes(members) == [
        (0.0, 0, True), (50.0, 2, True),
        (100.0, 0, False), (100.0, 2, False), (100.0, 1, True),
        (200.0, 1, False), (200.0, 0, True),
    ]


def test_duty_changes_of_a_schedule() -> None:
    sc = scenario({"schedule": [{"start": "09:00", "end": "10:00", "counter": 2},
                                {"start": "10:00", "end": "17:00", "counter": 1, "both": 1}]})
    assert duty_changes(build_roster(sc)) == [
        (9 * H, 0, True), (9 * H, 1, True),
        (10 * H, 1, False), (10 * H, 2, True),
        (17 * H, 0, False), (17 * H, 2, False),
    ]
