"""Exact event-log tests of the virtual queue: callbacks offered, accepted, made on time, made
late and never made, and wait announcements that change when someone gives up.

Every service time is deterministic (the channels' configured service distributions too,
so the expected wait ``ahead × mean service ÷ staff`` is a round number), the acceptance
probability is 0 or 1 (its draw cannot matter), and each contact has its own patron.
"""

from __future__ import annotations

import math
from typing import Any

from sim.config.loading import scenario_from_dict
from sim.config.schema import Scenario
from sim.execution.runner import metrics_recorder
from sim.model.contact import (
    DECLINED,
    LATE,
    LEFT,
    NOT_MADE,
    ON_TIME,
    PHONE,
    TOLD,
    WALK_IN,
    Contact,
    Outcome,
)
from sim.model.counter.callbacks import expected_wait_s
from sim.model.demand import ScheduledContact
from sim.model.records import EventLog
from tests.helpers import call, check_contact, run_schedule, walk_in

NAN = math.nan


def fixed(value_s: float) -> dict[str, Any]:
    """A deterministic duration (seconds)."""
    return {"dist": "deterministic", "value_s": value_s}


def scenario(*, counter: int = 0, phone: int = 0, callbacks: dict[str, Any] | None = None,
             announce_factor: float | None = None, close: str = "01:00") -> Scenario:
    """No Poisson demand (the schedule gives the contacts; the phone is open, which
    callbacks need, when someone takes calls); calls and walk-ins take 100 s
    on average; greetings do not stretch patience (multiplier 1); loyalty on."""
    data: dict[str, Any] = {
        "hours": {"open": "00:00", "close": close, "serve_after_close": True},
        "staff": {"counter": counter, "phone": phone, "both": 0},
        "demand": {"phone": {"rate_per_hour": 1.0 if phone else 0.0,
                             "service": fixed(100.0)},
                   "walk_in": {"service": fixed(100.0)}},
        "acknowledgment": {"policy": "finish_first", "notice_delay_s": 0.0,
                           "patience_multiplier": 1.0},
        "distractions": {"enabled": False},
        "traits": {"enabled": False},
    }
    if callbacks is not None:
        data["callbacks"] = {"enabled": True, "threshold_s": 50.0,
                             "handling": fixed(30.0), **callbacks}
    if announce_factor is not None:
        data["announcements"] = {"enabled": True, "patience_factor": announce_factor}
    return scenario_from_dict(data)


def run(sc: Scenario, schedule: list[ScheduledContact]
        ) -> tuple[list[Contact], EventLog, dict[str, float]]:
    """The contacts in id order, the queue and staff events, and the metrics row."""
    events, metrics = EventLog(), metrics_recorder(sc)
    numbered = [ScheduledContact(**{**s.__dict__, "patron_id": i})
                for i, s in enumerate(schedule)]
    contacts = run_schedule(sc, numbered, events, metrics)
    return sorted(contacts, key=lambda c: c.id), events, metrics.metrics()


def counts(row: dict[str, float]) -> tuple[float, ...]:
    """(offered, accepted, on time, late, abandoned) callbacks."""
    return tuple(row[f"callbacks_{k}"] for k in
                 ("offered", "accepted", "on_time", "late", "abandoned"))


def test_callback_offered_accepted_and_made_on_time_in_its_place() -> None:
    """One phone clerk. A rings at 0 and is served 0-100. B rings at 10: nobody ahead
    (expected wait 0), no offer; B waits. C rings at 20: B ahead, expected wait 1 × 100 ÷ 1
    = 100 > 50: offered, accepts (probability 1), hangs up at 20 (the offer answers the
    call: ack 20) with a callback due by 20 + 1000. D rings at 150: nobody waits on the
    line, C's callback pending: expected wait 30 (its handling) ≤ 50, no offer. At 100 the
    clerk serves B (rang at 10, before C). At 200 C's callback comes before D (C rang at 20,
    D at 150): C is called back 200-230, on time; its reported start is the offer (20), its
    wait 0. D is served 230-330."""
    sc = scenario(phone=1, callbacks={"accept_probability": 1.0, "deadline_s": 1000.0})
    contacts, ev, row = run(sc, [call(0, service_s=100), call(10, service_s=100),
                                 call(20, service_s=100), call(150, service_s=100)])
    a, b, c, d = contacts
    check_contact(a, 0, 0, 0, 100, Outcome.SERVED, 0)
    check_contact(b, 10, 100, 100, 200, Outcome.SERVED, 0)
    check_contact(c, 20, 20, 20, 230, Outcome.SERVED, 0)
    check_contact(d, 150, 230, 230, 330, Outcome.SERVED, 0)
    assert (c.callback, c.callback_s, c.callback_due_s, c.service_s) == (ON_TIME, 200, 1020, 30)
    assert [x.callback for x in (a, b, d)] == ["", "", ""]
    assert c.churn_p == 0.0 and c.satisfaction == b.satisfaction  # judged as served at once
    assert ev.queue[PHONE] == [(0, 1), (0, 0), (10, 1), (20, 2), (20, 1), (100, 0),
                               (150, 1), (230, 0)]
    assert counts(row) == (1, 1, 1, 0, 0)
    assert row["phone_served"] == 4 and row["phone_abandoned"] == 0


def test_callback_declined_caller_stays_in_line() -> None:
    """As above with acceptance probability 0: C is offered a callback at 20, declines and
    waits its turn: served 200-300 (its own service, 100), never called back."""
    sc = scenario(phone=1, callbacks={"accept_probability": 0.0})
    contacts, ev, row = run(sc, [call(0, service_s=100), call(10, service_s=100),
                                 call(20, service_s=100)])
    _, b, c = contacts
    check_contact(b, 10, 100, 100, 200, Outcome.SERVED, 0)
    check_contact(c, 20, 200, 200, 300, Outcome.SERVED, 0)
    assert c.callback == DECLINED and math.isnan(c.callback_s)
    assert ev.queue[PHONE] == [(0, 1), (0, 0), (10, 1), (20, 2), (100, 1), (200, 0)]
    assert counts(row) == (1, 0, 0, 0, 0)


def test_callback_made_late_is_judged_as_a_walkout() -> None:
    """A callback due 100 s after the request: C accepts at 20 (due 120) and is called back
    at 200 (after A 0-100 and B 100-200): made late, 200-230. C counts as served, but its
    experience is judged as a walkout: a bad experience, P(never return) = the first bad
    experience's 0.15, satisfaction 1 − walkout penalty."""
    sc = scenario(phone=1, callbacks={"accept_probability": 1.0, "deadline_s": 100.0})
    contacts, _, row = run(sc, [call(0, service_s=100), call(10, service_s=100),
                                call(20, service_s=100)])
    _, b, c = contacts
    check_contact(c, 20, 20, 20, 230, Outcome.SERVED, 0)
    assert (c.callback, c.callback_s, c.callback_due_s) == (LATE, 200, 120)
    assert c.churn_p == sc.loyalty.churn_after_one_bad
    assert c.satisfaction == 1.0 - sc.loyalty.walkout_penalty
    assert b.churn_p == 0.0
    assert counts(row) == (1, 1, 0, 1, 0)
    assert row["phone_served"] == 3 and row["phone_walkouts"] == 0


def test_callback_not_made_by_closing_is_abandoned() -> None:
    """The counter closes at 01:00 (3600). The clerk serves A 0-4000 (past closing; served
    after close). B rings at 10 (nobody ahead) and waits; C rings at 20 and accepts a
    callback. After A, B is served 4000-4100; no callback is made after closing, so C's is
    never made: C is abandoned at closing (end 3600), the wait before the offer its start."""
    sc = scenario(phone=1, callbacks={"accept_probability": 1.0})
    contacts, _, row = run(sc, [call(0, service_s=4000), call(10, service_s=100),
                                call(20, service_s=100)])
    _, b, c = contacts
    check_contact(b, 10, 4000, 4000, 4100, Outcome.SERVED, 0)
    check_contact(c, 20, 20, 20, 3600, Outcome.ABANDONED, -1)
    assert c.callback == NOT_MADE and math.isnan(c.callback_s)
    assert c.churn_p == sc.loyalty.churn_after_one_bad
    assert counts(row) == (1, 1, 0, 0, 1)
    assert row["phone_abandoned"] == 1


def test_announce_changes_who_gives_up_and_when() -> None:
    """One counter clerk; walk-ins take 100 s on average. A arrives at 0 and is served
    0-300. B (patience 1000) arrives at 10 with nobody ahead: told nothing; served 300-400.
    C (patience 200) arrives at 20 with B ahead: told 1 × 100 s; 100 ≤ 2 × 200, so its
    remaining patience doubles to 400 (deadline 420): served 400-500. Without the
    announcement C gives up at 220. D (patience 50) arrives at 30 with B and C ahead: told
    200 s > 2 × 50 and leaves at once (30); without it D gives up at 80."""
    schedule = [walk_in(0, service_s=300), walk_in(10, service_s=100, patience_s=1000),
                walk_in(20, service_s=100, patience_s=200),
                walk_in(30, service_s=100, patience_s=50)]
    told, ev, row = run(scenario(counter=1, announce_factor=2.0), schedule)
    _, b, c, d = told
    check_contact(b, 10, 300, 300, 400, Outcome.SERVED, 0)
    check_contact(c, 20, 300, 400, 500, Outcome.SERVED, 0)
    check_contact(d, 30, NAN, NAN, 30, Outcome.RENEGED_UNACKNOWLEDGED, -1)
    assert [x.announced for x in told] == ["", "", TOLD, LEFT]
    assert ev.queue[WALK_IN] == [(0, 1), (0, 0), (10, 1), (20, 2), (30, 3), (30, 2),
                                 (300, 1), (400, 0)]
    assert (row["announced"], row["left_on_announcement"]) == (2, 1)
    plain, _, plain_row = run(scenario(counter=1), schedule)
    _, b0, c0, d0 = plain
    check_contact(b0, 10, 300, 300, 400, Outcome.SERVED, 0)
    check_contact(c0, 20, NAN, NAN, 220, Outcome.RENEGED_UNACKNOWLEDGED, -1)
    check_contact(d0, 30, NAN, NAN, 80, Outcome.RENEGED_UNACKNOWLEDGED, -1)
    assert (plain_row["announced"], plain_row["left_on_announcement"]) == (0, 0)


def test_announce_to_a_caller_who_declines_a_callback() -> None:
    """Callbacks and announcements together, two phone clerks: A and B are served at once
    (0-500, 5-505). C rings at 20 with nobody ahead: nothing told, no offer. D rings at 30
    with C ahead: expected wait 1 × 100 ÷ 2 = 50, not above the threshold 50: no offer,
    told 50 s; 50 ≤ 1.5 × 60, so D's remaining patience 60 grows to 90 (deadline 120) and D
    hangs up at 120 (C is served at 500). E rings at 40 with C and D ahead: expected wait
    100 > 50, offered, declines (probability 0), told 100 s > 1.5 × 40: hangs up at once."""
    sc = scenario(phone=2, callbacks={"accept_probability": 0.0}, announce_factor=1.5)
    contacts, _, row = run(sc, [call(0, service_s=500), call(5, service_s=500),
                                call(20, service_s=100), call(30, patience_s=60),
                                call(40, patience_s=40)])
    _, _, c, d, e = contacts
    check_contact(c, 20, 500, 500, 600, Outcome.SERVED, 0)
    check_contact(d, 30, NAN, NAN, 120, Outcome.ABANDONED, -1)
    check_contact(e, 40, NAN, NAN, 40, Outcome.ABANDONED, -1)
    assert [(x.callback, x.announced) for x in (c, d, e)] == [
        ("", ""), ("", TOLD), (DECLINED, LEFT)]
    assert counts(row) == (1, 0, 0, 0, 0)
    assert (row["announced"], row["left_on_announcement"]) == (2, 1)


def test_callback_expected_wait_definition() -> None:
    """``ahead × mean service ÷ staff`` (seconds): nothing ahead is no wait, whatever the
    staff; work ahead with nobody on duty is an endless wait."""
    assert expected_wait_s(0.0, 0) == 0.0
    assert expected_wait_s(300.0, 2) == 150.0
    assert expected_wait_s(300.0, 0) == math.inf


def test_callback_never_offered_changes_nothing() -> None:
    """Callbacks on with a threshold no caller's expected wait reaches: the wrapped arrivals
    and staff calls (and the general walk-in arrival path instead of the calm one) give
    exactly the results of callbacks off, on the baseline with its distractions and traits."""
    from sim.config.loading import load_scenario
    from sim.execution.runner import run_replication
    from tests.helpers import BASELINE

    short = ['hours.close="12:00"', "demand.walk_in.profile=[]", "demand.phone.profile=[]",
             "staff=3"]
    off = load_scenario(BASELINE, short)
    on = load_scenario(BASELINE, [*short, "callbacks.enabled=true",
                                  "callbacks.threshold_s=1000000"])
    for replication in range(2):
        a = run_replication(off, seed=3, replication=replication).metrics
        b = run_replication(on, seed=3, replication=replication).metrics
        assert b["callbacks_offered"] == 0
        assert a.keys() == b.keys()
        assert all(a[k] == b[k] or (a[k] != a[k] and b[k] != b[k]) for k in a)
