"""Exact event-log tests: tiny hand-made schedules, every time checked to the second.

Each test tells a short story (in its docstring) and asserts the exact arrival,
acknowledgment, service start and end times, outcomes and staff, plus the queue and staff
events the model reports. Scheduled contacts carry their own patience, service time and
balking draw, so nothing here is random.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from sim.config.loading import scenario_from_dict
from sim.config.schema import Scenario
from sim.execution.runner import metrics_recorder
from sim.model.contact import PHONE, WALK_IN, Contact, Outcome
from sim.model.demand import ScheduledContact
from sim.model.records import ContactLog, EventLog
from sim.model.simulation import simulate
from tests.helpers import call, check_contact, run_schedule, walk_in

INF = math.inf


def make_scenario(
    *,
    counter: int = 0,
    phone: int = 0,
    both: int = 0,
    schedule: list[dict[str, Any]] | None = None,
    notice_delay_s: float = 0.0,
    multiplier: float = 1.5,
    serve_after_close: bool = False,
    lines: int | None = None,
    phone_policy: str = "phone_first",
    balking: dict[str, Any] | None = None,
    open_: str = "00:00",
    close: str = "01:00",
) -> Scenario:
    """A minimal scenario: no Poisson demand, only the staff asked for."""
    data: dict[str, Any] = {
        "hours": {"open": open_, "close": close, "serve_after_close": serve_after_close},
        "staff": {"counter": counter, "phone": phone, "both": both},
        "acknowledgment": {"policy": "finish_first", "notice_delay_s": notice_delay_s,
                           "patience_multiplier": multiplier},
        "phone_handling": {"policy": phone_policy},
        "distractions": {"enabled": False},
        "traits": {"enabled": False},
    }
    if schedule is not None:
        data["staff"]["schedule"] = schedule
    if lines is not None:
        data["demand"] = {"phone": {"lines": lines}}
    if balking is not None:
        data["balking"] = balking
    return scenario_from_dict(data)


def run(scenario: Scenario, schedule: list[ScheduledContact],
        seed: int = 1) -> tuple[list[Contact], EventLog]:
    """Simulate; return the contacts in id order and the queue and staff events."""
    events = EventLog()
    contacts = run_schedule(scenario, schedule, events, seed=seed)
    # sorted here; the log's own order is checked by its own test below
    return sorted(contacts, key=lambda c: c.id), events


NAN = math.nan


# --------------------------------------------------------------------------- FIFO


def test_fifo_one_clerk_serves_in_arrival_order_and_greets_on_finishing() -> None:
    """One clerk, no notice delay. A arrives at 0 (service 100) and is served at once.
    B, C, D arrive at 10, 20, 30 while A is served. When the clerk finishes A at 100 she
    greets B, C and D (ack 100), then serves B 100–120, C 120–150, D 150–190: arrival
    order, back to back."""
    sc = make_scenario(counter=1)
    contacts, ev = run(sc, [walk_in(0, service_s=100), walk_in(10, service_s=20),
                            walk_in(20, service_s=30), walk_in(30, service_s=40)])
    a, b, c, d = contacts
    check_contact(a, 0, 0, 0, 100, Outcome.SERVED, 0)
    check_contact(b, 10, 100, 100, 120, Outcome.SERVED, 0)
    check_contact(c, 20, 100, 120, 150, Outcome.SERVED, 0)
    check_contact(d, 30, 100, 150, 190, Outcome.SERVED, 0)
    assert ev.queue[WALK_IN] == [(0, 1), (0, 0), (10, 1), (20, 2), (30, 3),
                                 (100, 2), (120, 1), (150, 0)]
    assert ev.queue[PHONE] == []
    assert ev.staff == [(0, 0, 1), (0, 1, 1), (100, 0, 1), (100, 1, 1), (120, 0, 1),
                        (120, 1, 1), (150, 0, 1), (150, 1, 1), (190, 0, 1)]
    assert ev.end_s == 3600


def test_fifo_arrival_order_not_schedule_order() -> None:
    """The schedule lists contacts out of order; ids and service order follow arrival time.
    The clerk is busy with the first arrival (at 5, service 50), then serves 7 and 9 in
    that order."""
    sc = make_scenario(counter=1)
    contacts, _ = run(sc, [walk_in(9, service_s=1), walk_in(5, service_s=50),
                           walk_in(7, service_s=2)])
    assert [c.arrival_s for c in contacts] == [5, 7, 9]
    assert [c.id for c in contacts] == [0, 1, 2]
    assert [c.start_s for c in contacts] == [5, 55, 57]
    assert [c.end_s for c in contacts] == [55, 57, 58]


# --------------------------------------------------------------------------- balking


def test_balking_by_visible_line_length() -> None:
    """Balking: free_waiting 1, 0.5 per extra waiting, capped at 0.9. The clerk serves A
    (0–1000). B (draw 0) sees 0 waiting and joins; C (draw 0) sees 1 waiting (P=0) and
    joins; D sees 2 waiting (P=0.5) with draw 0.49 and balks at 30; E sees 2 with draw 0.5
    (not below P) and joins; F sees 3 (P=min(0.9, 1.0)=0.9) with draw 0.89 and balks at 50;
    G sees 3 with draw 0.9 and joins. The joiners are served in order, 10 s each."""
    sc = make_scenario(counter=1, serve_after_close=True,
                       balking={"policy": "queue_length", "free_waiting": 1,
                                "per_extra_waiting": 0.5, "max_probability": 0.9})
    contacts, ev = run(sc, [
        walk_in(0, service_s=1000),
        walk_in(10, service_s=10, balk_draw=0.0),
        walk_in(20, service_s=10, balk_draw=0.0),
        walk_in(30, service_s=10, balk_draw=0.49),
        walk_in(40, service_s=10, balk_draw=0.5),
        walk_in(50, service_s=10, balk_draw=0.89),
        walk_in(60, service_s=10, balk_draw=0.9),
    ])
    a, b, c, d, e, f, g = contacts
    check_contact(a, 0, 0, 0, 1000, Outcome.SERVED, 0)
    check_contact(b, 10, 1000, 1000, 1010, Outcome.SERVED, 0)
    check_contact(c, 20, 1000, 1010, 1020, Outcome.SERVED, 0)
    check_contact(d, 30, NAN, NAN, 30, Outcome.BALKED, -1)
    check_contact(e, 40, 1000, 1020, 1030, Outcome.SERVED, 0)
    check_contact(f, 50, NAN, NAN, 50, Outcome.BALKED, -1)
    check_contact(g, 60, 1000, 1030, 1040, Outcome.SERVED, 0)
    # balkers never join: the line does not change at 30 or 50
    assert ev.queue[WALK_IN][:6] == [(0, 1), (0, 0), (10, 1), (20, 2), (40, 3), (60, 4)]


# --------------------------------------------------------------------------- reneging


def test_renege_before_acknowledgment() -> None:
    """The only clerk serves A (0–100). B arrives at 10 with patience 50 and is never
    greeted (the clerk is busy): B reneges unacknowledged at 60, even though the model
    only notices it when the clerk looks up at 100. C (infinite patience, arrived at 20)
    is served at 100."""
    sc = make_scenario(counter=1)
    contacts, ev = run(sc, [walk_in(0, service_s=100), walk_in(10, patience_s=50),
                            walk_in(20, service_s=30)])
    a, b, c = contacts
    check_contact(a, 0, 0, 0, 100, Outcome.SERVED, 0)
    check_contact(b, 10, NAN, NAN, 60, Outcome.RENEGED_UNACKNOWLEDGED, -1)
    check_contact(c, 20, 100, 100, 130, Outcome.SERVED, 0)
    assert ev.queue[WALK_IN] == [(0, 1), (0, 0), (10, 1), (20, 2), (60, 1), (100, 0)]


def test_renege_after_acknowledgment_at_stretched_deadline() -> None:
    """The clerk serves A (0–100). B arrives at 10 (infinite patience, service 200), C at
    20 with patience 150 (deadline 170). At 100 the clerk finishes A and greets B and C;
    C's remaining patience 70 is stretched by 1.5 to 105: new deadline 205. The clerk
    serves B 100–300, so C reneges acknowledged at exactly 205."""
    sc = make_scenario(counter=1, multiplier=1.5)
    contacts, ev = run(sc, [walk_in(0, service_s=100), walk_in(10, service_s=200),
                            walk_in(20, patience_s=150)])
    a, b, c = contacts
    check_contact(a, 0, 0, 0, 100, Outcome.SERVED, 0)
    check_contact(b, 10, 100, 100, 300, Outcome.SERVED, 0)
    assert c.outcome is Outcome.RENEGED_ACKNOWLEDGED
    assert c.ack_s == 100
    assert math.isnan(c.start_s)
    assert c.end_s == pytest.approx(205.0, abs=1e-9)
    assert c.staff_id == -1
    last_change_s, waiting = ev.queue[WALK_IN][-1]
    assert last_change_s == pytest.approx(205.0, abs=1e-9)
    assert waiting == 0


@pytest.mark.parametrize(
    ("multiplier", "outcome", "start", "end"),
    [(1.0, Outcome.RENEGED_ACKNOWLEDGED, NAN, 170.0), (2.0, Outcome.SERVED, 200.0, 260.0)],
)
def test_acknowledgment_multiplier_decides_renege_or_service(
        multiplier: float, outcome: Outcome, start: float, end: float) -> None:
    """Same customers, two multipliers. The clerk serves A (0–100), then B (100–200). C
    arrives at 20 with patience 150 (deadline 170) and is greeted at 100 with 70 s of
    patience left. With multiplier 1.0 the deadline stays 170 < 200: C reneges
    (acknowledged) at 170. With 2.0 it becomes 100 + 2·70 = 240 > 200: C is served at
    200."""
    sc = make_scenario(counter=1, multiplier=multiplier)
    contacts, _ = run(sc, [walk_in(0, service_s=100), walk_in(10, service_s=100),
                           walk_in(20, patience_s=150, service_s=60)])
    c = contacts[2]
    check_contact(c, 20, 100, start, end, outcome, 0 if outcome is Outcome.SERVED else -1)


# --------------------------------------------------------------------------- notice delay


def test_notice_delay_of_idle_clerk() -> None:
    """An idle clerk with notice delay 3. A arrives at 10: noticed, greeted and served at
    13 (ack = start = 13), service 60 until 73. B arrives at 11 while the clerk is still
    noticing A: greeted at 13 too, and served at 73 when A leaves: a busy clerk finishing
    a service takes the next customer at once, without a notice delay. C arrives at 200
    with patience 2 (deadline 202): the clerk is idle but only notices at 203, too late:
    C reneges unacknowledged at 202."""
    sc = make_scenario(counter=1, notice_delay_s=3.0)
    contacts, ev = run(sc, [walk_in(10, service_s=60), walk_in(11, service_s=5),
                            walk_in(200, patience_s=2)])
    a, b, c = contacts
    check_contact(a, 10, 13, 13, 73, Outcome.SERVED, 0)
    check_contact(b, 11, 13, 73, 78, Outcome.SERVED, 0)
    check_contact(c, 200, NAN, NAN, 202, Outcome.RENEGED_UNACKNOWLEDGED, -1)
    assert ev.staff[:3] == [(0, 0, 1), (13, 1, 1), (73, 0, 1)]


# --------------------------------------------------------------------------- phone


def test_blocking_when_all_lines_busy() -> None:
    """One phone line. Call A arrives at 0 and is answered at once (service 100). Call B
    at 10 finds the only line busy and is blocked at 10, never answered. Call C at 150
    finds the line free again and is answered at 150."""
    sc = make_scenario(phone=1, lines=1)
    contacts, ev = run(sc, [call(0, service_s=100), call(10), call(150, service_s=20)])
    a, b, c = contacts
    check_contact(a, 0, 0, 0, 100, Outcome.SERVED, 0)
    check_contact(b, 10, NAN, NAN, 10, Outcome.BLOCKED, -1)
    check_contact(c, 150, 150, 150, 170, Outcome.SERVED, 0)
    assert ev.queue[PHONE] == [(0, 1), (0, 0), (150, 1), (150, 0)]


def test_ringing_call_counts_against_lines() -> None:
    """Two lines: A is in service (0–100), B rings from 10, so C at 20 finds both lines
    taken (ringing counts) and is blocked at 20. B is answered at 100."""
    sc = make_scenario(phone=1, lines=2)
    contacts, _ = run(sc, [call(0, service_s=100), call(10, service_s=10), call(20)])
    a, b, c = contacts
    check_contact(a, 0, 0, 0, 100, Outcome.SERVED, 0)
    check_contact(b, 10, 100, 100, 110, Outcome.SERVED, 0)
    check_contact(c, 20, NAN, NAN, 20, Outcome.BLOCKED, -1)


def test_abandoned_call_frees_its_line() -> None:
    """Two lines, one phone person busy with call A (0–100). Call B rings from 10 with
    patience 30 and hangs up at 40: ABANDONED, never answered. Call C at 50 finds B's line
    free again (A + C = 2 lines), is not blocked, and is answered at 100."""
    sc = make_scenario(phone=1, lines=2)
    contacts, ev = run(sc, [call(0, service_s=100), call(10, patience_s=30),
                            call(50, service_s=10)])
    a, b, c = contacts
    check_contact(a, 0, 0, 0, 100, Outcome.SERVED, 0)
    check_contact(b, 10, NAN, NAN, 40, Outcome.ABANDONED, -1)
    check_contact(c, 50, 100, 100, 110, Outcome.SERVED, 0)
    assert ev.queue[PHONE] == [(0, 1), (0, 0), (10, 1), (40, 0), (50, 1), (100, 0)]


def test_phone_person_does_not_greet_walk_ins_and_is_not_woken_by_them() -> None:
    """A clerk (counter) serves walk-in A 0–1000; a phone person is idle. Walk-in B arrives
    at 10: the phone person is not woken and does not greet B, not even after serving
    call P (20–50). B is greeted and served by the clerk at 1000."""
    sc = make_scenario(counter=1, phone=1)
    contacts, _ = run(sc, [walk_in(0, service_s=1000), walk_in(10, service_s=10),
                           call(20, service_s=30)])
    a, b, p = contacts
    check_contact(a, 0, 0, 0, 1000, Outcome.SERVED, 0)
    check_contact(b, 10, 1000, 1000, 1010, Outcome.SERVED, 0)
    check_contact(p, 20, 20, 20, 50, Outcome.SERVED, 1)


def test_specialists_are_woken_before_pooled_staff() -> None:
    """A clerk (counter, id 0) and a pooled member (both, id 1) are idle. A walk-in at 10
    is taken by the clerk; a call at 20 by the pooled member (the clerk cannot take
    calls)."""
    sc = make_scenario(counter=1, both=1)
    contacts, _ = run(sc, [walk_in(10, service_s=100), call(20, service_s=100)])
    w, p = contacts
    check_contact(w, 10, 10, 10, 110, Outcome.SERVED, 0)
    check_contact(p, 20, 20, 20, 120, Outcome.SERVED, 1)


@pytest.mark.parametrize("policy", ["phone_first", "walk_in_first"])
def test_phone_handling_policy_of_pooled_staff(policy: str) -> None:
    """One pooled member serves walk-in W0 (0–100). Walk-in W1 arrives at 10 (service 30),
    call P rings from 20 (service 50). At 100 the member greets W1 (ack 100), then:
    phone_first answers P 100–150 and serves W1 150–180; walk_in_first serves W1 100–130
    and answers P 130–180. Answering is the call's acknowledgment."""
    sc = make_scenario(both=1, phone_policy=policy)
    contacts, _ = run(sc, [walk_in(0, service_s=100), walk_in(10, service_s=30),
                           call(20, service_s=50)])
    w0, w1, p = contacts
    check_contact(w0, 0, 0, 0, 100, Outcome.SERVED, 0)
    if policy == "phone_first":
        check_contact(p, 20, 100, 100, 150, Outcome.SERVED, 0)
        check_contact(w1, 10, 100, 150, 180, Outcome.SERVED, 0)
    else:
        check_contact(w1, 10, 100, 100, 130, Outcome.SERVED, 0)
        check_contact(p, 20, 130, 130, 180, Outcome.SERVED, 0)


# --------------------------------------------------------------------------- shifts


def test_shift_end_staff_finishes_current_contact_then_stops() -> None:
    """Two clerks until 00:10 (600 s), then one. A (100, service 1000) goes to clerk 0, B
    (200, service 500) to clerk 1, whose shift ends at 600 while serving B. Clerk 1
    finishes B at 700 (past the shift end) and takes nobody else, not even C, waiting
    since 300: C is greeted and served by clerk 0 at 1100. Staff present: 2 from 0, and
    clerk 1's overtime counts as present until B is done at 700, then 1."""
    sc = make_scenario(schedule=[{"start": "00:00", "end": "00:10", "counter": 2},
                                 {"start": "00:10", "end": "01:00", "counter": 1}])
    contacts, ev = run(sc, [walk_in(100, service_s=1000), walk_in(200, service_s=500),
                            walk_in(300, service_s=100)])
    a, b, c = contacts
    check_contact(a, 100, 100, 100, 1100, Outcome.SERVED, 0)
    check_contact(b, 200, 200, 200, 700, Outcome.SERVED, 1)
    check_contact(c, 300, 1100, 1100, 1200, Outcome.SERVED, 0)
    assert ev.staff == [(0, 0, 1), (0, 0, 2), (100, 1, 2), (200, 2, 2), (600, 2, 2),
                        (700, 1, 1), (1100, 0, 1), (1100, 1, 1), (1200, 0, 1)]


def test_late_starter_picks_up_waiting_line_at_start_time() -> None:
    """One clerk until 00:10, two from then on; notice delay 3. A arrives at 100 and is
    served by clerk 0 from 103 (noticed after 3 s) to 1103. B arrives at 200 and waits
    unseen. Clerk 1 starts at 600 and greets and serves B at exactly 600: starting a shift
    is not a noticed arrival, so there is no notice delay."""
    sc = make_scenario(notice_delay_s=3.0,
                       schedule=[{"start": "00:00", "end": "00:10", "counter": 1},
                                 {"start": "00:10", "end": "01:00", "counter": 2}])
    contacts, ev = run(sc, [walk_in(100, service_s=1000), walk_in(200, service_s=50)])
    a, b = contacts
    check_contact(a, 100, 103, 103, 1103, Outcome.SERVED, 0)
    check_contact(b, 200, 600, 600, 650, Outcome.SERVED, 1)
    assert ev.staff == [(0, 0, 1), (103, 1, 1), (600, 1, 2), (600, 2, 2), (650, 1, 2),
                        (1103, 0, 2)]


def test_arrival_noticed_by_leaving_clerk_is_served_by_the_one_who_stays() -> None:
    """Two clerks until 00:10, one after; notice delay 3. Clerk 0 serves A (100–153) and
    becomes idle again after clerk 1, so clerk 1 is the first idle clerk. B arrives at 599:
    clerk 1 starts noticing, but its shift ends at 600 before it has noticed. Clerk 0 is
    idle and on duty the whole time, so B must be served by clerk 0 within at most two
    notice delays (by 605: clerk 1 may pass B on when its own notice ends at 602), not
    left waiting unseen until closing."""
    sc = make_scenario(notice_delay_s=3.0,
                       schedule=[{"start": "00:00", "end": "00:10", "counter": 2},
                                 {"start": "00:10", "end": "01:00", "counter": 1}])
    contacts, _ = run(sc, [walk_in(100, service_s=50), walk_in(599, service_s=50)])
    a, b = contacts
    check_contact(a, 100, 103, 103, 153, Outcome.SERVED, 0)
    assert b.outcome is Outcome.SERVED, b.as_record()
    assert b.staff_id == 0
    assert 599 < b.start_s <= 605


def test_staff_member_with_split_shift_returns_to_waiting_line() -> None:
    """One clerk on duty 00:00–00:10 and 00:20–01:00, nobody in between. A arrives at 700
    (off duty) and waits unseen; the clerk returns at 1200 and serves A at 1200."""
    sc = make_scenario(schedule=[{"start": "00:00", "end": "00:10", "counter": 1},
                                 {"start": "00:10", "end": "00:20", "counter": 0},
                                 {"start": "00:20", "end": "01:00", "counter": 1}])
    contacts, ev = run(sc, [walk_in(700, service_s=30)])
    check_contact(contacts[0], 700, 1200, 1200, 1230, Outcome.SERVED, 0)
    assert ev.staff == [(0, 0, 1), (600, 0, 0), (1200, 0, 1), (1200, 1, 1), (1230, 0, 1)]


def test_opening_time_offsets_roster() -> None:
    """Open 08:00 (28 800 s). The clerk comes on duty at opening; a walk-in at 28 810 is
    served at once."""
    sc = make_scenario(counter=1, open_="08:00", close="09:00")
    contacts, ev = run(sc, [walk_in(28810, service_s=20)])
    check_contact(contacts[0], 28810, 28810, 28810, 28830, Outcome.SERVED, 0)
    assert ev.staff[0] == (28800, 0, 1)
    assert ev.end_s == 32400


# --------------------------------------------------------------------------- closing


def test_close_without_serving_after_close() -> None:
    """serve_after_close = false: the clock stops at 01:00 (3600). A is in service
    (3500–3800) and B (3550) and C (3560, patience 200, deadline 3760) wait: all three are
    still in the system at the end, none greeted, none finished."""
    sc = make_scenario(counter=1, serve_after_close=False)
    contacts, ev = run(sc, [walk_in(3500, service_s=300), walk_in(3550, service_s=100),
                            walk_in(3560, patience_s=200)])
    a, b, c = contacts
    check_contact(a, 3500, 3500, 3500, NAN, Outcome.IN_SYSTEM, 0)
    check_contact(b, 3550, NAN, NAN, NAN, Outcome.IN_SYSTEM, -1)
    check_contact(c, 3560, NAN, NAN, NAN, Outcome.IN_SYSTEM, -1)
    assert ev.end_s == 3600


def test_close_with_serving_after_close() -> None:
    """serve_after_close = true: the clerk on duty at closing stays. A is served
    3500–3800; C (patience 200) reneges unacknowledged at 3760; at 3800 the clerk greets
    and serves B 3800–3900. The run ends at 3900."""
    sc = make_scenario(counter=1, serve_after_close=True)
    contacts, ev = run(sc, [walk_in(3500, service_s=300), walk_in(3550, service_s=100),
                            walk_in(3560, patience_s=200)])
    a, b, c = contacts
    check_contact(a, 3500, 3500, 3500, 3800, Outcome.SERVED, 0)
    check_contact(b, 3550, 3800, 3800, 3900, Outcome.SERVED, 0)
    check_contact(c, 3560, NAN, NAN, 3760, Outcome.RENEGED_UNACKNOWLEDGED, -1)
    assert ev.end_s == 3900
    assert ev.staff[-1] == (3900, 0, 1)


def test_serve_after_close_does_not_extend_a_shift_ending_before_close() -> None:
    """serve_after_close = true, but the only clerk leaves at 00:30 (nobody on duty at
    closing). A walk-in arriving at 2000 with patience 500 reneges unacknowledged at 2500;
    one at 2100 with infinite patience is still in the system when the books close at
    2500, the last deadline."""
    sc = make_scenario(serve_after_close=True,
                       schedule=[{"start": "00:00", "end": "00:30", "counter": 1},
                                 {"start": "00:30", "end": "01:00", "counter": 0}])
    contacts, ev = run(sc, [walk_in(2000, patience_s=500), walk_in(2100)])
    a, b = contacts
    check_contact(a, 2000, NAN, NAN, 2500, Outcome.RENEGED_UNACKNOWLEDGED, -1)
    check_contact(b, 2100, NAN, NAN, NAN, Outcome.IN_SYSTEM, -1)
    assert ev.end_s == 2500
    assert ev.staff == [(0, 0, 1), (1800, 0, 0)]


def test_contact_log_is_in_id_order_when_contacts_remain_at_close() -> None:
    """Two clerks, serve_after_close = false. A (id 0) arrives at 3000 and is still being
    served at closing (service 1000); B (id 1) arrives at 3100 and is served 3100–3110 by
    the other clerk. The contact log (``contacts`` and ``rows()``, documented as in
    contact-id order) lists A before B, even though A is only reported at the end."""
    sc = make_scenario(counter=2, serve_after_close=False)
    log = ContactLog()
    simulate(sc, 1, 0, log, schedule=[walk_in(3000, service_s=1000),
                                      walk_in(3100, service_s=10)])
    assert [c.outcome for c in sorted(log.contacts, key=lambda c: c.id)] == [
        Outcome.IN_SYSTEM, Outcome.SERVED]
    assert [row["id"] for row in log.rows()] == [0, 1]
    assert [c.id for c in log.contacts] == [0, 1]


def test_arrival_time_is_the_clock_time_of_arrival() -> None:
    """One idle clerk, no notice delay. A arrives at 586.6131209143863 (service 1), B at
    1938.1699225963591. Both are served the moment they arrive, so each one's
    acknowledgment and service start equal its arrival time exactly and nobody waited:
    wait 0, P(wait > 0) = 0. Note: 586.6131209143863 + (1938.1699225963591 −
    586.6131209143863) rounds to a float one ulp away from B's drawn time, and no delay
    lands on it exactly; B's arrival is then the clock's time, within an ulp of the drawn
    one."""
    a_s, b_s = 586.6131209143863, 1938.1699225963591
    sc = make_scenario(counter=1)
    metrics = metrics_recorder(sc)
    a, b = sorted(run_schedule(sc, [walk_in(a_s, service_s=1.0), walk_in(b_s, service_s=1.0)],
                               metrics), key=lambda c: c.id)
    check_contact(a, a_s, a_s, a_s, a_s + 1.0, Outcome.SERVED, 0)
    assert b.arrival_s == pytest.approx(b_s, abs=1e-9)
    assert b.arrival_s == b.ack_s == b.start_s
    assert b.end_s == b.start_s + 1.0 and b.outcome is Outcome.SERVED
    assert b.wait_s() == 0.0
    row = metrics.metrics()
    assert row["walk_in_p_wait"] == 0.0
    assert row["walk_in_mean_wait_s"] == 0.0
