"""Exact event-log tests of staff behaviour: distractions, acknowledgment and phone-handling
policies, visible scenes, email as back-office work, staff rules, activity logs and the
behaviour metrics.

Every test tells a short story (in its docstring) on a hand-made schedule of contacts and
hand-made distraction episodes (``ScheduledDistraction``), and asserts the exact times.
Random distractions never start: every kind's rates are 0 (the kinds stay, so scripted
episodes can use them), traits are off, and where noticing matters the episode's
``notice_probability`` is 1 (always noticed) or 0 (never noticed until it ends).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pytest

from sim.config.loading import scenario_from_dict
from sim.config.schema import Scenario
from sim.execution.runner import metrics_recorder
from sim.model.behaviour import distraction_kinds
from sim.model.contact import EMAIL, PHONE, WALK_IN, Contact, Outcome
from sim.model.demand import ScheduledContact, ScheduledDistraction
from sim.model.records import ActivityLog
from tests.helpers import call, check_contact, email, episode, run_schedule, same, walk_in

NAN = math.nan
TOL = 1e-9  # times computed through services stretched by fractions: equal to 1e-9 s
KINDS = ("argument", "coworker_chat", "critical_task", "paperwork", "personal_call")


# --------------------------------------------------------------------------- helpers


def make_scenario(
    *,
    counter: int = 0,
    phone: int = 0,
    both: int = 0,
    ack: str = "finish_first",
    notice_delay_s: float = 0.0,
    multiplier: float = 1.5,
    phone_policy: str = "phone_first",
    greet_s: float = 10.0,
    kinds: dict[str, dict[str, Any]] | None = None,
    distractions: dict[str, Any] | None = None,
    staff_rules: dict[str, Any] | None = None,
    lines: int | None = None,
    close: str = "01:00",
    discipline: dict[str, Any] | None = None,
    bias: float | list[float] = 1.0,
) -> Scenario:
    """A minimal scenario: opens at 0, no Poisson demand, no traits, every distraction
    kind kept but with zero rates (only scripted episodes happen). ``kinds`` overrides
    fields of single kinds (e.g. their notice probability)."""
    table: dict[str, dict[str, Any]] = {
        k: {"idle_rate_per_hour": 0.0, "serving_rate_per_hour": 0.0} for k in KINDS}
    for name, fields in (kinds or {}).items():
        table[name] = {**table[name], **fields}
    data: dict[str, Any] = {
        "hours": {"open": "00:00", "close": close, "serve_after_close": False},
        "staff": {"counter": counter, "phone": phone, "both": both, "bias": bias},
        "acknowledgment": {"policy": ack, "notice_delay_s": notice_delay_s,
                           "patience_multiplier": multiplier},
        "phone_handling": {"policy": phone_policy, "greet_s": greet_s},
        "distractions": {"enabled": True, "kinds": table, **(distractions or {})},
        "traits": {"enabled": False},
    }
    if staff_rules is not None:
        data["staff_rules"] = staff_rules
    if discipline is not None:
        data["discipline"] = discipline
    if lines is not None:
        data["demand"] = {"phone": {"lines": lines}}
    return scenario_from_dict(data)


def run(scenario: Scenario, schedule: list[ScheduledContact],
        episodes: list[ScheduledDistraction] | None = None,
        ) -> tuple[list[Contact], list[tuple[int, float, float, str]]]:
    """Simulate; return the contacts (id = arrival order) and the activity intervals."""
    activity = ActivityLog()
    contacts = run_schedule(scenario, schedule, activity, episodes=episodes)
    return contacts, sorted(activity.intervals)


def intervals_of(log: list[tuple[int, float, float, str]], staff_id: int,
                 until: float = math.inf) -> list[tuple[float, float, str]]:
    """One staff member's activity intervals starting before ``until``."""
    return [(a, b, act) for i, a, b, act in log if i == staff_id and a < until]


def same_intervals(got: Sequence[tuple[float, float, str]],
                   want: Sequence[tuple[float, float, str]]) -> bool:
    return len(got) == len(want) and all(
        g[2] == w[2] and same(g[0], w[0], TOL) and same(g[1], w[1], TOL)
        for g, w in zip(got, want, strict=True))


# --------------------------------------------------------------------------- 1. a chatting clerk


@pytest.mark.parametrize(("policy", "notice_p", "ack", "start"), [
    ("finish_first", 1.0, 120.0, 120.0),
    ("greet_first", 1.0, 13.0, 13.0),
    ("greet_first", 0.0, 120.0, 120.0),
    ("gesture_while_busy", 1.0, 13.0, 120.0),
    ("gesture_while_busy", 0.0, 120.0, 120.0),
])
def test_chatting_clerk_and_a_walk_in(policy: str, notice_p: float, ack: float,
                                      start: float) -> None:
    """A clerk chats with a coworker from 0 to 120 (visible, interruptible). A walk-in
    arrives at 10 (service 60); the notice delay is 3 s.

    - finish_first: the chat runs to its end; greeted and served at 120.
    - greet_first, always noticed: the clerk breaks the chat off at 10 + 3 = 13, greets
      and serves at once (13–73).
    - greet_first, never noticed: nothing happens until the chat ends at 120.
    - gesture_while_busy, noticed: a gesture at 13 ("I'll be right with you"), the chat
      goes on, service at 120.
    - gesture_while_busy, never noticed: greeted at 120.
    The walk-in saw the visible chat in every case."""
    sc = make_scenario(counter=1, ack=policy, notice_delay_s=3.0,
                       kinds={"coworker_chat": {"notice_probability": notice_p}})
    contacts, log = run(sc, [walk_in(10, service_s=60.0)],
                        [episode(0, 0, "coworker_chat", 120)])
    (w,) = contacts
    check_contact(w, 10, ack, start, start + 60, Outcome.SERVED, 0, tol=TOL)
    assert w.saw_distraction
    assert not w.divided_attention
    chat_end = 13.0 if policy == "greet_first" and notice_p == 1.0 else 120.0
    assert same_intervals(intervals_of(log, 0), [
        (0, chat_end, "coworker_chat"), (chat_end, start + 60, "serving"),
        (start + 60, 3600, "idle")])


def test_greet_first_never_breaks_off_a_service_but_gesture_acknowledges() -> None:
    """Notice delay 3. A arrives at 0 and is served 3–103. B arrives at 10 (service 20).
    greet_first does not break off a service: B is greeted and served at 103.
    gesture_while_busy: the clerk gestures at 13 while serving A, serves B at 103."""
    for policy, ack in (("greet_first", 103.0), ("gesture_while_busy", 13.0),
                        ("finish_first", 103.0)):
        sc = make_scenario(counter=1, ack=policy, notice_delay_s=3.0)
        # a scripted episode far after the story, so that services may be interrupted
        contacts, _ = run(sc, [walk_in(0, service_s=100.0), walk_in(10, service_s=20.0)],
                          [episode(0, 3000, "paperwork", 1)])
        a, b = contacts
        check_contact(a, 0, 3, 3, 103, Outcome.SERVED, 0, tol=TOL)
        check_contact(b, 10, ack, 103, 123, Outcome.SERVED, 0, tol=TOL)
        assert not b.saw_distraction


# --------------------------------------------------------------------------- 2./3. kinds


@pytest.mark.parametrize(("kind", "policy", "ack", "start"), [
    # critical_task: non-interruptible, always noticed (the pharmacist counting)
    ("critical_task", "finish_first", 120.0, 120.0),
    ("critical_task", "greet_first", 120.0, 120.0),
    ("critical_task", "gesture_while_busy", 13.0, 120.0),
    # interruptible idle episodes, broken off under greet_first
    ("paperwork", "greet_first", 13.0, 13.0),
    ("personal_call", "greet_first", 13.0, 13.0),
    ("paperwork", "finish_first", 120.0, 120.0),
    ("personal_call", "finish_first", 120.0, 120.0),
    # argument: non-interruptible, runs to its end even when noticed
    ("argument", "greet_first", 120.0, 120.0),
    ("argument", "gesture_while_busy", 13.0, 120.0),
])
def test_idle_episode_kinds_and_acknowledgment(kind: str, policy: str, ack: float,
                                               start: float) -> None:
    """An idle clerk starts a ``kind`` episode at 0 lasting 120 s, noticing everything
    (notice probability 1). A walk-in arrives at 10 (service 60, notice delay 3).
    greet_first breaks off paperwork and a personal call at 13 and serves at once, but a
    critical task or an argument (non-interruptible) runs to 120. gesture_while_busy
    acknowledges at 13 whatever the episode, and serves when it ends. finish_first waits
    for the end. The walk-in saw it if the kind is visible (personal call, argument)."""
    sc = make_scenario(counter=1, ack=policy, notice_delay_s=3.0,
                       kinds={kind: {"notice_probability": 1.0}})
    contacts, log = run(sc, [walk_in(10, service_s=60.0)], [episode(0, 0, kind, 120)])
    (w,) = contacts
    check_contact(w, 10, ack, start, start + 60, Outcome.SERVED, 0, tol=TOL)
    assert w.saw_distraction is (kind in ("personal_call", "argument"))
    assert not w.during_scene  # served, not walked out
    end = start if policy == "greet_first" else 120.0
    assert same_intervals(intervals_of(log, 0, until=start + 60),
                          [(0, end, kind), (end, start + 60, "serving")])


def test_unnoticed_arrival_is_seen_when_the_episode_ends_not_earlier() -> None:
    """Paperwork (interruptible, not visible) from 0 to 120 that the clerk never looks up
    from (notice probability 0). Under greet_first a walk-in at 10 is not noticed: greeted
    and served at 120. A second walk-in at 50 too (each arrival is its own chance to be
    noticed, here none). Neither saw a visible distraction."""
    sc = make_scenario(counter=1, ack="greet_first", notice_delay_s=3.0,
                       kinds={"paperwork": {"notice_probability": 0.0}})
    contacts, _ = run(sc, [walk_in(10, service_s=60.0), walk_in(50, service_s=5.0)],
                      [episode(0, 0, "paperwork", 120)])
    a, b = contacts
    check_contact(a, 10, 120, 120, 180, Outcome.SERVED, 0, tol=TOL)
    check_contact(b, 50, 120, 180, 185, Outcome.SERVED, 0, tol=TOL)
    assert not a.saw_distraction and not b.saw_distraction


# --------------------------------------------------------------------------- 4. divided attention


@pytest.mark.parametrize(("slowdown", "repeat_rate", "repeat_multiplier", "end"), [
    # at 20, 80 s to go; 30 s call progresses 30·0.5 = 15; repeats 100·0.05·1 = 5
    # -> 80 − 15 + 5 = 70 to go after the call at 50: ends at 120
    (0.5, 0.05, 2.0, 120.0),
    # progresses 30·0.75 = 22.5; repeats 100·0.1·2 = 20 -> 80 − 22.5 + 20 = 77.5: 127.5
    (0.25, 0.1, 3.0, 127.5),
    # no slowdown, no repeats: the call costs nothing
    (0.0, 0.0, 1.0, 100.0),
    # full slowdown: no progress during the 30 s call, repeats 100·0.05·1 = 5: 135
    (1.0, 0.05, 2.0, 135.0),
])
def test_personal_call_during_service_stretches_it(slowdown: float, repeat_rate: float,
                                                   repeat_multiplier: float,
                                                   end: float) -> None:
    """A clerk serves A from 0 (service 100). At 20 she takes a personal call lasting 30 s
    (divided attention): during the call the service progresses at (1 − slowdown) speed
    ("half speed" by default), and afterwards the customer is asked things again:
    service_s × repeat_rate × (repeat_multiplier − 1) more. B arrives at 30 and, under
    finish_first, is greeted and served when A leaves. A was served with divided
    attention; A arrived before the (visible) call and did not see it, B arrived during it
    and did."""
    sc = make_scenario(counter=1, distractions={
        "divided_attention_slowdown": slowdown, "repeat_rate": repeat_rate,
        "repeat_multiplier": repeat_multiplier})
    contacts, log = run(sc, [walk_in(0, service_s=100.0), walk_in(30, service_s=10.0)],
                        [episode(0, 20, "personal_call", 30)])
    a, b = contacts
    check_contact(a, 0, 0, 0, end, Outcome.SERVED, 0, tol=TOL)
    check_contact(b, 30, end, end, end + 10, Outcome.SERVED, 0, tol=TOL)
    assert a.divided_attention and not b.divided_attention
    assert not a.saw_distraction and b.saw_distraction
    assert same_intervals(intervals_of(log, 0, until=end + 10), [
        (0, 20, "serving"), (20, 50, "serving_distracted"), (50, end + 10, "serving")])


def test_personal_call_outlasting_the_service() -> None:
    """A clerk serves A from 0 (service 30). At 20 a personal call of 40 s starts: only
    10 s were left, less than the 40·0.5 = 20 s of progress during the call, so the work
    is done when the call ends at 60, plus the repeated questions 30·0.05·1 = 1.5: A
    leaves at 61.5."""
    sc = make_scenario(counter=1)
    contacts, _ = run(sc, [walk_in(0, service_s=30.0)], [episode(0, 20, "personal_call", 40)])
    (a,) = contacts
    check_contact(a, 0, 0, 0, 61.5, Outcome.SERVED, 0, tol=TOL)
    assert a.divided_attention


# --------------------------------------------------------------------------- 5.-8. phone handling


@pytest.mark.parametrize("greet_s", [5.0, 10.0, 25.0])
def test_hold_and_greet(greet_s: float) -> None:
    """A pooled clerk, idle, hears call P ring at 0 and answers it after the notice delay
    of 3 s (service 300: it would end at 303). Walk-in W arrives at 100 (service 50); the
    clerk notices after 3 s, asks the caller to hold at 103, greets W (ack 103) for
    exactly greet_s, and returns to the caller at 103 + greet_s. The call had 200 s to
    go: it ends at 303 + greet_s, exactly greet_s later than under phone_first, and was
    held exactly greet_s. W is served after the call."""
    sc = make_scenario(both=1, notice_delay_s=3.0, phone_policy="hold_and_greet",
                       greet_s=greet_s)
    contacts, log = run(sc, [call(0, service_s=300.0), walk_in(100, service_s=50.0)])
    p, w = contacts
    end = 303.0 + greet_s
    check_contact(p, 0, 3, 3, end, Outcome.SERVED, 0, tol=TOL)
    check_contact(w, 100, 103, end, end + 50, Outcome.SERVED, 0, tol=TOL)
    assert p.held_s == pytest.approx(greet_s, abs=1e-9)
    assert w.held_s == 0.0
    assert same_intervals(intervals_of(log, 0), [
        (0, 3, "idle"), (3, 103, "serving"), (103, 103 + greet_s, "greeting"),
        (103 + greet_s, end + 50, "serving"), (end + 50, 3600, "idle")])
    baseline = make_scenario(both=1, notice_delay_s=3.0, phone_policy="phone_first")
    (p0, _), _ = run(baseline, [call(0, service_s=300.0), walk_in(100, service_s=50.0)])
    assert p.end_s - p0.end_s == pytest.approx(greet_s, abs=1e-9)


def test_hold_and_greet_caller_hangs_up_on_hold() -> None:
    """As in the hold-and-greet story (call answered at 3, walk-in W at 100, greet_s 10),
    but the caller's hold patience is 5 s < greet_s: held from 103, the caller hangs up
    at 108 (ABANDONED, held_s 5). The clerk finishes greeting at 113, finds the line dead
    and serves W at once: 113–163."""
    sc = make_scenario(both=1, notice_delay_s=3.0, phone_policy="hold_and_greet",
                       greet_s=10.0)
    contacts, log = run(sc, [call(0, service_s=300.0, hold_patience_s=5.0),
                             walk_in(100, service_s=50.0)])
    p, w = contacts
    check_contact(p, 0, 3, 3, 108, Outcome.ABANDONED, 0, tol=TOL)
    assert p.held_s == pytest.approx(5.0, abs=1e-9)
    check_contact(w, 100, 103, 113, 163, Outcome.SERVED, 0, tol=TOL)
    assert same_intervals(intervals_of(log, 0), [
        (0, 3, "idle"), (3, 103, "serving"), (103, 113, "greeting"), (113, 163, "serving"),
        (163, 3600, "idle")])


@pytest.mark.parametrize(("q_arrival", "q_start", "w_start"), [
    (150.0, 163.0, 113.0),  # Q rings while W is served: answered when W leaves
    (110.0, 113.0, 133.0),  # Q rings during the greeting: the phone comes first
])
def test_hold_and_greet_hang_up_frees_the_line(q_arrival: float, q_start: float,
                                               w_start: float) -> None:
    """One phone line. As in the hang-up story, P (hold patience 5) hangs up on hold at
    108. A second call Q (service 20) rings at ``q_arrival``: the hang-up freed the only
    line, so Q is not blocked, even when it rings at 110, before the clerk has come back
    to the dead line at 113. Phone handling hold_and_greet looks at the phone first: Q
    ringing at 110 is answered at 113 (113–133) and W, already greeted, is served after
    it (133–183); Q ringing at 150, while W is served 113–163, is answered at 163. A
    busy clerk moving on to the next contact needs no notice delay."""
    sc = make_scenario(both=1, notice_delay_s=3.0, phone_policy="hold_and_greet",
                       greet_s=10.0, lines=1)
    contacts, _ = run(sc, [call(0, service_s=300.0, hold_patience_s=5.0),
                           walk_in(100, service_s=50.0), call(q_arrival, service_s=20.0)])
    p, w, q = sorted(contacts, key=lambda c: c.arrival_s)
    check_contact(p, 0, 3, 3, 108, Outcome.ABANDONED, 0, tol=TOL)
    check_contact(w, 100, 103, w_start, w_start + 50, Outcome.SERVED, 0, tol=TOL)
    check_contact(q, q_arrival, q_start, q_start, q_start + 20, Outcome.SERVED, 0, tol=TOL)


@pytest.mark.parametrize(("hold_patience", "call_end", "outcome", "held"), [
    (math.inf, 353.0, Outcome.SERVED, 50.0),   # resumes at 153 with 200 s to go
    (60.0, 353.0, Outcome.SERVED, 50.0),       # patience outlasts the 50 s hold
    # hold deadline 153 = the resume time: patience has run out by then, the caller is
    # gone (the model's tie rule, as for a walk-in whose deadline is its service start)
    (50.0, 153.0, Outcome.ABANDONED, 50.0),
    (20.0, 123.0, Outcome.ABANDONED, 20.0),    # hangs up mid-hold at 103 + 20
])
def test_walk_in_first(hold_patience: float, call_end: float, outcome: Outcome,
                       held: float) -> None:
    """A pooled clerk answers call P at 3 (rings at 0, notice delay 3; service 300).
    Walk-in W arrives at 100 (service 50). walk_in_first: noticed at 103, the caller is
    held while W is greeted and served 103–153. The call then resumes with 200 s to go and
    ends at 353 (held 50 s). A caller with hold patience 20 hangs up at 123, mid-hold
    (ABANDONED, held 20 s); the clerk finishes W at 153 and is then idle."""
    sc = make_scenario(both=1, notice_delay_s=3.0, phone_policy="walk_in_first")
    contacts, log = run(sc, [call(0, service_s=300.0, hold_patience_s=hold_patience),
                             walk_in(100, service_s=50.0)])
    p, w = contacts
    check_contact(p, 0, 3, 3, call_end, outcome, 0, tol=TOL)
    assert p.held_s == pytest.approx(held, abs=1e-9)
    check_contact(w, 100, 103, 103, 153, Outcome.SERVED, 0, tol=TOL)
    work_end = 353.0 if outcome is Outcome.SERVED else 153.0
    assert same_intervals(intervals_of(log, 0), [
        (0, 3, "idle"), (3, work_end, "serving"), (work_end, 3600, "idle")])


def test_phone_first_walk_in_waits_for_the_call() -> None:
    """phone_first: a pooled clerk on call P (answered at 3, ends at 303) ignores walk-in
    W (arrives at 100, notice delay 3) until the call ends: W is greeted and served at
    303 (to 353). The caller is never held."""
    sc = make_scenario(both=1, notice_delay_s=3.0, phone_policy="phone_first")
    contacts, _ = run(sc, [call(0, service_s=300.0), walk_in(100, service_s=50.0)])
    p, w = contacts
    check_contact(p, 0, 3, 3, 303, Outcome.SERVED, 0, tol=TOL)
    check_contact(w, 100, 303, 303, 353, Outcome.SERVED, 0, tol=TOL)
    assert p.held_s == 0.0


def test_hold_and_greet_twice_accumulates_held_time() -> None:
    """hold_and_greet, greet_s 10: the call is answered at 3 (service 300). W1 arrives at
    100: the caller holds 103–113. W2 arrives at 150, after the call resumed: a second
    hold 153–163. held_s adds up to 20; the call ends at 303 + 20 = 323; W1 is served
    323–373, W2 373–393."""
    sc = make_scenario(both=1, notice_delay_s=3.0, phone_policy="hold_and_greet",
                       greet_s=10.0)
    contacts, log = run(sc, [call(0, service_s=300.0), walk_in(100, service_s=50.0),
                             walk_in(150, service_s=20.0)])
    p, w1, w2 = contacts
    check_contact(p, 0, 3, 3, 323, Outcome.SERVED, 0, tol=TOL)
    assert p.held_s == pytest.approx(20.0, abs=1e-9)
    check_contact(w1, 100, 103, 323, 373, Outcome.SERVED, 0, tol=TOL)
    check_contact(w2, 150, 153, 373, 393, Outcome.SERVED, 0, tol=TOL)
    assert same_intervals(intervals_of(log, 0), [
        (0, 3, "idle"), (3, 103, "serving"), (103, 113, "greeting"), (113, 153, "serving"),
        (153, 163, "greeting"), (163, 393, "serving"), (393, 3600, "idle")])


def test_gesture_to_a_walk_in_arriving_during_a_hold_greeting() -> None:
    """gesture_while_busy + hold_and_greet (notice delay 3, greet_s 10). The call is
    answered at 3. W1 arrives at 100: the caller holds 103–113 while W1 is greeted. W2
    arrives at 105, during that greeting, right in front of the clerk. Whatever staff are
    doing, under gesture_while_busy they acknowledge a newcomer they notice at once: W2
    is acknowledged at 105 + 3 = 108 (the clerk is at the counter, greeting). Nothing
    else changes: the call ends at 313, W1 is served 313–363, W2 363–383.

    (Bug: W2 is acknowledged only at 313, when the call ends.)"""
    sc = make_scenario(both=1, ack="gesture_while_busy", notice_delay_s=3.0,
                       phone_policy="hold_and_greet", greet_s=10.0)
    contacts, _ = run(sc, [call(0, service_s=300.0), walk_in(100, service_s=50.0),
                           walk_in(105, service_s=20.0)])
    p, w1, w2 = contacts
    check_contact(p, 0, 3, 3, 313, Outcome.SERVED, 0, tol=TOL)
    check_contact(w1, 100, 103, 313, 363, Outcome.SERVED, 0, tol=TOL)
    check_contact(w2, 105, 108, 363, 383, Outcome.SERVED, 0, tol=TOL)


def test_walk_in_arriving_during_a_hold_greeting_is_not_left_unseen() -> None:
    """finish_first + hold_and_greet (notice delay 3, greet_s 10). The call is answered at
    3; W1 arrives at 100 and is greeted 103–113 while the caller holds. W2 arrives at 105,
    during the greeting. A walk-in arriving later, at 150, gets a hold and a greeting at
    153 (see the two-holds story); W2, who arrived earlier, must not be worse off: the
    clerk greets W2 before going back to the caller, or at the latest holds the caller
    again on noticing W2 (113 + 3 = 116). Any of these: W2 acknowledged by 116.

    (Bug: W2 stays unacknowledged until the call ends at 313.)"""
    sc = make_scenario(both=1, notice_delay_s=3.0, phone_policy="hold_and_greet",
                       greet_s=10.0)
    contacts, _ = run(sc, [call(0, service_s=300.0), walk_in(100, service_s=50.0),
                           walk_in(105, service_s=20.0)])
    p, w1, w2 = contacts
    assert p.outcome is Outcome.SERVED and w1.outcome is Outcome.SERVED
    assert w1.ack_s == pytest.approx(103.0, abs=1e-9)
    assert w2.outcome is Outcome.SERVED
    assert w2.ack_s <= 116.0, w2.as_record()


def test_walk_in_first_serves_a_walk_in_who_arrived_during_the_hold() -> None:
    """walk_in_first (notice delay 3): the call is answered at 3 (service 300). W1 arrives
    at 100: the caller is held and W1 served 103–153. W2 arrives at 120, while W1 is
    served and the caller is on hold. "Serve the person in front of you; the phone rings
    on": when W1 leaves at 153, W2 is in front of the clerk and must be greeted at once
    and served before the caller gets the clerk back (or, at the latest, W2 is noticed
    again on the resumed call and the caller held once more: 153 + 3 = 156). Either way
    W2 is acknowledged and served by 156, the call still ends served.

    Compare: a walk-in arriving at 160, once the call resumed, would be served at 163 —
    W2, arriving earlier, must not wait longer.

    (Bug: W2 is acknowledged and served only when the whole call ends, at 353.)"""
    sc = make_scenario(both=1, notice_delay_s=3.0, phone_policy="walk_in_first")
    contacts, _ = run(sc, [call(0, service_s=300.0), walk_in(100, service_s=50.0),
                           walk_in(120, service_s=20.0)])
    p, w1, w2 = contacts
    check_contact(w1, 100, 103, 103, 153, Outcome.SERVED, 0, tol=TOL)
    assert p.outcome is Outcome.SERVED
    assert w2.outcome is Outcome.SERVED
    assert w2.ack_s <= 156.0, w2.as_record()
    assert w2.start_s <= 156.0, w2.as_record()
    assert p.end_s == pytest.approx(353.0 + 20.0, abs=1e-9)  # the call waits W2's 20 s too


def test_phone_handling_does_not_concern_a_counter_clerk() -> None:
    """A counter clerk (not pooled) takes no calls, so phone handling does not apply:
    under hold_and_greet + finish_first with notice delay 3 she notices A (arrives 0) at
    3, serves A 3–103 and greets B (arrives 10) at 103, serving B 103–123."""
    sc = make_scenario(counter=1, notice_delay_s=3.0, phone_policy="hold_and_greet")
    contacts, _ = run(sc, [walk_in(0, service_s=100.0), walk_in(10, service_s=20.0)])
    a, b = contacts
    check_contact(a, 0, 3, 3, 103, Outcome.SERVED, 0, tol=TOL)
    check_contact(b, 10, 103, 103, 123, Outcome.SERVED, 0, tol=TOL)


# --------------------------------------------------------------------------- 9. scenes


def argument_kind(**kw: Any) -> dict[str, dict[str, Any]]:
    return {"argument": {"balk_extra_probability": 0.3, "patience_drain": 2.0, **kw}}


@pytest.mark.parametrize(("draw", "scene", "outcome"), [
    (0.2, True, Outcome.BALKED),     # 0.2 < 0 + 0.3: balks at the scene
    (0.2, False, Outcome.SERVED),    # same customer, no scene: 0.2 ≥ 0, joins
    (0.3, True, Outcome.SERVED),     # not below 0.3: joins despite the scene
])
def test_argument_scene_makes_walk_ins_balk(draw: float, scene: bool,
                                            outcome: Outcome) -> None:
    """A clerk has a heated argument with an acquaintance from 0 to 600 (visible,
    non-interruptible, balk_extra_probability 0.3). A walk-in arrives at 100 with balking
    draw ``draw`` and an empty line (queue balking 0). Below 0.3 they turn round at 100:
    BALKED, during_scene, saw_distraction. The same customer without the argument is
    noticed at 103 and served 103–163; one with draw 0.3 joins and waits until the
    argument ends at 600 (served 600–660)."""
    sc = make_scenario(counter=1, notice_delay_s=3.0, kinds=argument_kind())
    episodes = [episode(0, 0, "argument", 600)] if scene else [episode(0, 3000, "paperwork", 1)]
    contacts, _ = run(sc, [walk_in(100, service_s=60.0, balk_draw=draw)], episodes)
    (w,) = contacts
    if outcome is Outcome.BALKED:
        check_contact(w, 100, NAN, NAN, 100, Outcome.BALKED, -1, tol=TOL)
        assert w.during_scene and w.saw_distraction
    elif scene:
        check_contact(w, 100, 600, 600, 660, Outcome.SERVED, 0, tol=TOL)
        assert w.saw_distraction and not w.during_scene
    else:
        check_contact(w, 100, 103, 103, 163, Outcome.SERVED, 0, tol=TOL)
        assert not w.saw_distraction and not w.during_scene


@pytest.mark.parametrize(("argument_s", "renege", "during"), [
    # at 100: 350 s of patience left, drained 2x -> deadline 100 + 175 = 275;
    # at 200: 75 s of scene-time left = 150 s of patience -> 200 + 150 = 350
    (100.0, 350.0, False),
    # the argument lasts until 400: the deadline 275 falls inside it
    (300.0, 275.0, True),
    # no argument at all: 50 + 400 = 450
    (0.0, 450.0, False),
])
def test_argument_scene_drains_waiting_patience(argument_s: float, renege: float,
                                                during: bool) -> None:
    """Clerk 0 serves A from 0 to 1000. B arrives at 50 with patience 400 (deadline 450),
    unseen (finish_first). At 100 the phone person (staff 1, who does not serve walk-ins)
    starts a visible argument (patience_drain 2) lasting ``argument_s``. While it lasts
    B's patience runs out twice as fast: deadline 275 at the start; if the argument ends
    at 200 the rest is stretched back: 350. B reneges unacknowledged at that time, during
    the scene only if it is still going on. B arrived before the argument: did not see it."""
    sc = make_scenario(counter=1, phone=1, kinds=argument_kind())
    episodes = ([episode(1, 100, "argument", argument_s)] if argument_s
                else [episode(1, 3000, "paperwork", 1)])
    contacts, log = run(sc, [walk_in(0, service_s=1000.0), walk_in(50, patience_s=400.0)],
                        episodes)
    a, b = contacts
    check_contact(a, 0, 0, 0, 1000, Outcome.SERVED, 0, tol=TOL)
    check_contact(b, 50, NAN, NAN, renege, Outcome.RENEGED_UNACKNOWLEDGED, -1, tol=TOL)
    assert b.during_scene is during
    assert not b.saw_distraction
    if argument_s:
        assert same_intervals(intervals_of(log, 1, until=1000), [
            (0, 100, "idle"), (100, 100 + argument_s, "argument"),
            (100 + argument_s, 3600, "idle")])


def test_walk_in_arriving_during_an_argument_has_drained_patience() -> None:
    """A clerk argues from 0 to 600 (patience_drain 2). B arrives at 100 with patience 400
    and a balking draw that keeps them (0.9): their patience runs out twice as fast, so
    they renege at 100 + 200 = 300, unacknowledged, during the scene, having seen it."""
    sc = make_scenario(counter=1, kinds=argument_kind())
    contacts, _ = run(sc, [walk_in(100, patience_s=400.0, balk_draw=0.9)],
                      [episode(0, 0, "argument", 600)])
    (b,) = contacts
    check_contact(b, 100, NAN, NAN, 300, Outcome.RENEGED_UNACKNOWLEDGED, -1, tol=TOL)
    assert b.during_scene and b.saw_distraction


def test_acknowledged_walk_in_during_a_scene() -> None:
    """A clerk argues from 0 to 300 (patience_drain 2) under gesture_while_busy, always
    noticing (notice delay 4). B arrives at 100 with patience 400: deadline 100 + 200 =
    300 under the scene. The gesture at 104 stretches what is left (196) by 1.5: 104 +
    294 = 398. At 300 the scene ends with 98 scene-seconds left = 196 s: deadline 496.
    The clerk is free at 300 and serves B 300–360 (before the deadline)."""
    sc = make_scenario(counter=1, ack="gesture_while_busy", notice_delay_s=4.0,
                       kinds=argument_kind(notice_probability=1.0))
    contacts, _ = run(sc, [walk_in(100, patience_s=400.0, service_s=60.0, balk_draw=0.9)],
                      [episode(0, 0, "argument", 300)])
    (b,) = contacts
    check_contact(b, 100, 104, 300, 360, Outcome.SERVED, 0, tol=TOL)
    assert b.saw_distraction and not b.during_scene


def test_acknowledged_walk_in_reneges_at_drained_stretched_deadline() -> None:
    """As before but the argument lasts until 1000: B's deadline 398 (after the gesture
    at 104) stays in force; B reneges acknowledged at 398, during the scene."""
    sc = make_scenario(counter=1, ack="gesture_while_busy", notice_delay_s=4.0,
                       kinds=argument_kind(notice_probability=1.0))
    contacts, _ = run(sc, [walk_in(100, patience_s=400.0, service_s=60.0, balk_draw=0.9)],
                      [episode(0, 0, "argument", 1000)])
    (b,) = contacts
    check_contact(b, 100, 104, NAN, 398, Outcome.RENEGED_ACKNOWLEDGED, -1, tol=TOL)
    assert b.during_scene


# --------------------------------------------------------------------------- 10. email


@pytest.mark.parametrize(("policy", "walk_in_start", "email_end"), [
    # finish_first: the email (13–113) first, then the walk-in 113–173
    ("finish_first", 113.0, 113.0),
    # greet_first: broken off at 53 with 60 s left; walk-in 53–113; email 113–173
    ("greet_first", 53.0, 173.0),
])
def test_email_and_a_walk_in(policy: str, walk_in_start: float, email_end: float) -> None:
    """An email arrives at 10 needing 100 s of work. The idle clerk notices it at 13
    (notice delay 3) and starts answering. A walk-in arrives at 50 (service 60).
    finish_first: the email is finished at 113, then the walk-in is greeted and served
    113–173. greet_first: the clerk looks up at 53, puts the email back on the pile (40 s
    done, 60 left), serves the walk-in 53–113 and finishes the email 113–173: 100 s of
    work in total. The email's start stays 13."""
    sc = make_scenario(counter=1, ack=policy, notice_delay_s=3.0)
    contacts, log = run(sc, [email(10, 100.0), walk_in(50, service_s=60.0)])
    e, w = contacts
    assert e.channel == EMAIL
    check_contact(e, 10, NAN, 13, email_end, Outcome.SERVED, 0, tol=TOL)
    check_contact(w, 50, walk_in_start, walk_in_start, walk_in_start + 60, Outcome.SERVED, 0,
                  tol=TOL)
    if policy == "finish_first":
        want = [(0, 13, "idle"), (13, 113, "email"), (113, 173, "serving"),
                (173, 3600, "idle")]
    else:
        want = [(0, 13, "idle"), (13, 53, "email"), (53, 113, "serving"),
                (113, 173, "email"), (173, 3600, "idle")]
    assert same_intervals(intervals_of(log, 0), want)
    email_time = sum(b - a for _, a, b, act in log if act == "email")
    assert email_time == pytest.approx(100.0, abs=1e-9)


def test_gesture_while_answering_email() -> None:
    """gesture_while_busy: an email (10, 100 s of work, started at 13) is not broken off;
    a walk-in at 50 gets a gesture at 53 and is served when the email is done: 113–173."""
    sc = make_scenario(counter=1, ack="gesture_while_busy", notice_delay_s=3.0)
    contacts, _ = run(sc, [email(10, 100.0), walk_in(50, service_s=60.0)])
    e, w = contacts
    check_contact(e, 10, NAN, 13, 113, Outcome.SERVED, 0, tol=TOL)
    check_contact(w, 50, 53, 113, 173, Outcome.SERVED, 0, tol=TOL)


def test_emails_wait_while_walk_ins_are_served_and_are_answered_oldest_first() -> None:
    """A clerk serves A (0–100). Emails arrive at 10 (work 30) and 20 (work 40): back-office
    work waits for customers. At 100 the clerk answers the first email 100–130, then the
    second 130–170."""
    sc = make_scenario(counter=1)
    contacts, _ = run(sc, [walk_in(0, service_s=100.0), email(10, 30.0), email(20, 40.0)])
    a, e1, e2 = contacts
    check_contact(a, 0, 0, 0, 100, Outcome.SERVED, 0, tol=TOL)
    check_contact(e1, 10, NAN, 100, 130, Outcome.SERVED, 0, tol=TOL)
    check_contact(e2, 20, NAN, 130, 170, Outcome.SERVED, 0, tol=TOL)


# --------------------------------------------------------------------------- 11. activity log


def test_activity_log_of_a_small_day() -> None:
    """One clerk, notice delay 2, 10-minute day. Idle 0–20; chats with a coworker 20–80;
    idle again; walk-in A arrives at 100, noticed at 102 (still idle while noticing);
    serves A from 102 (service 50); a personal call during service 120–130 (serving
    distracted); 32 s were left at 120, less 10·0.5 = 5 of progress, plus 50·0.05 = 2.5 of
    repeats: 29.5 to go at 130, A leaves at 159.5; then paperwork 200–260; idle to the
    close at 600."""
    sc = make_scenario(counter=1, notice_delay_s=2.0, close="00:10")
    contacts, log = run(sc, [walk_in(100, service_s=50.0)], [
        episode(0, 20, "coworker_chat", 60), episode(0, 120, "personal_call", 10),
        episode(0, 200, "paperwork", 60)])
    (a,) = contacts
    check_contact(a, 100, 102, 102, 159.5, Outcome.SERVED, 0, tol=TOL)
    assert a.divided_attention and not a.saw_distraction
    assert same_intervals(intervals_of(log, 0), [
        (0, 20, "idle"), (20, 80, "coworker_chat"), (80, 102, "idle"),
        (102, 120, "serving"), (120, 130, "serving_distracted"), (130, 159.5, "serving"),
        (159.5, 200, "idle"), (200, 260, "paperwork"), (260, 600, "idle")])


def test_activity_log_of_two_staff_with_hold_and_email() -> None:
    """Two pooled staff, finish_first, hold_and_greet, notice delay 0, greet 5 s,
    10-minute day. Staff 0 answers call P at 0 (service 200); staff 1 starts answering
    email E (arrives at 0, 150 s of work) at 0. Walk-in W arrives at 50 (service 30):
    nobody is idle; staff 0, on a call, asks P to hold 50–55 and greets W (ack 50); P
    resumes and ends at 205. Staff 1 finishes the email at 150 (finish_first does not
    break it off) and serves W 150–180."""
    sc = make_scenario(both=2, phone_policy="hold_and_greet", greet_s=5.0, close="00:10")
    contacts, log = run(sc, [call(0, service_s=200.0), email(0, 150.0),
                             walk_in(50, service_s=30.0)])
    by_channel = {c.channel: c for c in contacts}
    p, e, w = by_channel[PHONE], by_channel[EMAIL], by_channel[WALK_IN]
    check_contact(p, 0, 0, 0, 205, Outcome.SERVED, 0, tol=TOL)
    assert p.held_s == pytest.approx(5.0, abs=1e-9)
    check_contact(e, 0, NAN, 0, 150, Outcome.SERVED, 1, tol=TOL)
    check_contact(w, 50, 50, 150, 180, Outcome.SERVED, 1, tol=TOL)
    assert same_intervals(intervals_of(log, 0), [
        (0, 50, "serving"), (50, 55, "greeting"), (55, 205, "serving"), (205, 600, "idle")])
    assert same_intervals(intervals_of(log, 1), [
        (0, 150, "email"), (150, 180, "serving"), (180, 600, "idle")])


# --------------------------------------------------------------------------- 12. metrics


def test_metrics_of_a_chat_story() -> None:
    """One clerk, 10-minute day (600 s), finish_first, notice delay 0, acknowledgment
    target 30 s. The clerk chats (visible) 0–120. A arrives at 10 and B at 100, both see
    the chat; both are greeted at 120 when the chat ends: A after 110 s (ignored while
    distracted: beyond the 30 s target), B after 20 s (within target, not ignored). A is
    served 120–180, B 180–240. C arrives at 300 and is served at once (300–330), seeing
    no distraction. Staff time: chat 120 s, serving 150 s, idle 330 s of 600."""
    sc = make_scenario(counter=1, close="00:10")
    metrics = metrics_recorder(sc)
    a, b, c = run_schedule(sc, [walk_in(10, service_s=60.0), walk_in(100, service_s=60.0),
                                walk_in(300, service_s=30.0)], metrics,
                           episodes=[episode(0, 0, "coworker_chat", 120)])
    check_contact(a, 10, 120, 120, 180, Outcome.SERVED, 0, tol=TOL)
    check_contact(b, 100, 120, 180, 240, Outcome.SERVED, 0, tol=TOL)
    check_contact(c, 300, 300, 300, 330, Outcome.SERVED, 0, tol=TOL)
    m = metrics.metrics()
    expected = {
        "staff_time_coworker_chat": 120 / 600, "staff_time_serving": 150 / 600,
        "staff_time_idle": 330 / 600, "staff_time_serving_distracted": 0.0,
        "staff_time_greeting": 0.0, "staff_time_email": 0.0,
        "staff_time_personal_call": 0.0, "staff_time_paperwork": 0.0,
        "staff_time_critical_task": 0.0, "staff_time_argument": 0.0,
        "distracted_fraction": 120 / 600,
        "ignored_while_distracted": 1.0, "walk_in_ignored_while_distracted": 1.0,
        "phone_ignored_while_distracted": 0.0,
        "divided_attention_services": 0.0, "walkouts_during_scene": 0.0,
        "held_for_walk_in": 0.0,
        "mean_time_to_ack_acknowledged_s": (110 + 20 + 0) / 3, "p_ack_within_target": 2 / 3,
        "mean_wait_s": (110 + 80 + 0) / 3, "utilization": 150 / 600,
        "served": 3.0, "walkouts": 0.0,
    }
    for key, value in expected.items():
        assert m[key] == pytest.approx(value, abs=1e-9), key


def test_metrics_of_divided_attention_and_a_scene() -> None:
    """A clerk (id 0) and a phone person (id 1) over a 10-minute day. The clerk serves
    walk-in A from 0 (service 100) with a personal call 20–40: 80 s left at 20, less
    20·0.5 = 10 of progress, plus 100·0.05·1 = 5 of repeats: 75 to go at 40, A leaves at
    115. Call P (service 60) is answered by the phone person 200–260. The phone person
    then argues 300–400 (visible, balk_extra 0.3): walk-in D arriving at 350 with balking
    draw 0.1 turns round (BALKED during the scene).

    Metrics: one divided-attention service, one walkout during a scene; D balked, so is
    not counted as ignored while distracted. Staff time over 2 × 600 s: serving
    20 + 75 + 60 = 155, serving distracted 20, argument 100, idle 925; distracted:
    serving distracted + argument."""
    sc = make_scenario(counter=1, phone=1, close="00:10", kinds=argument_kind())
    metrics = metrics_recorder(sc)
    a, p, d = run_schedule(sc, [walk_in(0, service_s=100.0), call(200, service_s=60.0),
                                walk_in(350, balk_draw=0.1)], metrics,
                           episodes=[episode(0, 20, "personal_call", 20),
                                     episode(1, 300, "argument", 100)])
    check_contact(a, 0, 0, 0, 115, Outcome.SERVED, 0, tol=TOL)
    assert a.divided_attention
    check_contact(p, 200, 200, 200, 260, Outcome.SERVED, 1, tol=TOL)
    check_contact(d, 350, NAN, NAN, 350, Outcome.BALKED, -1, tol=TOL)
    assert d.during_scene and d.saw_distraction
    m = metrics.metrics()
    expected = {
        "divided_attention_services": 1.0, "walk_in_divided_attention_services": 1.0,
        "walkouts_during_scene": 1.0, "walk_in_walkouts_during_scene": 1.0,
        "balked": 1.0, "walkouts": 1.0, "served": 2.0,
        "staff_time_serving": 155 / 1200, "staff_time_serving_distracted": 20 / 1200,
        "staff_time_argument": 100 / 1200, "staff_time_idle": 925 / 1200,
        "staff_time_personal_call": 0.0,
        "distracted_fraction": (20 + 100) / 1200,  # divided attention counts as distracted
        "ignored_while_distracted": 0.0,
        "utilization": (115 + 60) / 1200,
    }
    for key, value in expected.items():
        assert m[key] == pytest.approx(value, abs=1e-9), key


def test_metrics_gesture_is_not_ignoring() -> None:
    """gesture_while_busy, notice delay 3, 10-minute day: the clerk chats (visible) 0–120,
    always noticing. A walk-in at 10 saw the chat but got a gesture at 13, 3 s after
    arriving (within the 30 s target): not ignored while distracted, though served only
    at 120 (waited 110 s: not within the service level)."""
    sc = make_scenario(counter=1, ack="gesture_while_busy", notice_delay_s=3.0,
                       close="00:10", kinds={"coworker_chat": {"notice_probability": 1.0}})
    metrics = metrics_recorder(sc)
    run_schedule(sc, [walk_in(10, service_s=60.0)], metrics,
                 episodes=[episode(0, 0, "coworker_chat", 120)])
    m = metrics.metrics()
    expected = {
        "ignored_while_distracted": 0.0, "mean_time_to_ack_acknowledged_s": 3.0,
        "p_ack_within_target": 1.0, "service_level": 0.0, "mean_wait_s": 110.0,
        "staff_time_coworker_chat": 0.2, "staff_time_serving": 0.1,
        "staff_time_idle": 0.7, "distracted_fraction": 0.2,
    }
    for key, value in expected.items():
        assert m[key] == pytest.approx(value, abs=1e-9), key


# --------------------------------------------------------------------------- staff rules


def test_personal_phones_on_quiet_rule() -> None:
    """Phones on quiet: no personal calls during service, and only on_quiet_idle_share of
    the idle ones; the other kinds are untouched."""
    sc = scenario_from_dict({"staff_rules": {"personal_phones": "on_quiet",
                                             "on_quiet_idle_share": 0.25}})
    base = distraction_kinds(scenario_from_dict({}))
    kinds = distraction_kinds(sc)
    quiet = kinds["personal_call"]
    assert quiet.serving_rate_per_hour == 0.0
    assert quiet.idle_rate_per_hour == pytest.approx(2.6 * 0.25, abs=1e-12)
    assert quiet.visible and quiet.interruptible
    assert quiet.duration == base["personal_call"].duration
    assert quiet.notice_probability == base["personal_call"].notice_probability
    assert {k: v for k, v in kinds.items() if k != "personal_call"} == {
        k: v for k, v in base.items() if k != "personal_call"}
    assert list(kinds) == sorted(kinds)


def test_chat_not_in_view_rule() -> None:
    """Chats away from the counter: not visible, rate × not_in_view_rate_share, and the
    chatting clerk never notices arrivals; the other kinds are untouched."""
    sc = scenario_from_dict({"staff_rules": {"chat_at_counter": "not_in_view",
                                             "not_in_view_rate_share": 0.5}})
    base = distraction_kinds(scenario_from_dict({}))
    kinds = distraction_kinds(sc)
    away = kinds["coworker_chat"]
    assert not away.visible
    assert away.notice_probability == 0.0
    assert away.idle_rate_per_hour == pytest.approx(2.6 * 0.5, abs=1e-12)
    assert away.serving_rate_per_hour == base["coworker_chat"].serving_rate_per_hour
    assert away.duration == base["coworker_chat"].duration
    assert {k: v for k, v in kinds.items() if k != "coworker_chat"} == {
        k: v for k, v in base.items() if k != "coworker_chat"}


def test_rules_allowed_and_disabled_distractions() -> None:
    """'allowed' changes nothing; with distractions disabled there are no kinds at all."""
    base = scenario_from_dict({})
    assert distraction_kinds(base) == dict(sorted(base.distractions.kinds.items()))
    assert distraction_kinds(scenario_from_dict({"distractions": {"enabled": False}})) == {}


def test_chat_not_in_view_in_a_story() -> None:
    """Chat not in view, greet_first, notice delay 3: the clerk chats 0–120 away from the
    counter. A walk-in at 10 sees nobody distracted (saw_distraction False) and is not
    noticed (notice probability 0 under the rule, even though the kind said 1): greeted
    and served at 120. Not counted as ignored while distracted."""
    sc = make_scenario(counter=1, ack="greet_first", notice_delay_s=3.0,
                       kinds={"coworker_chat": {"notice_probability": 1.0}},
                       staff_rules={"chat_at_counter": "not_in_view"})
    contacts, _ = run(sc, [walk_in(10, service_s=60.0)], [episode(0, 0, "coworker_chat", 120)])
    (w,) = contacts
    check_contact(w, 10, 120, 120, 180, Outcome.SERVED, 0, tol=TOL)
    assert not w.saw_distraction


def test_phones_on_quiet_scripted_personal_call_still_possible() -> None:
    """Phones on quiet sets the random rates; a scripted personal call during service
    still divides attention (the rule changes how often, not what happens): A served
    0–100 with a call 20–50 leaves at 120."""
    sc = make_scenario(counter=1, staff_rules={"personal_phones": "on_quiet"})
    contacts, _ = run(sc, [walk_in(0, service_s=100.0)], [episode(0, 20, "personal_call", 30)])
    (a,) = contacts
    check_contact(a, 0, 0, 0, 120, Outcome.SERVED, 0, tol=TOL)
    assert a.divided_attention


def test_hold_patience_is_spent_across_holds() -> None:
    """Hold patience is one budget for the whole call, not a fresh one for every hold.
    A pooled clerk answers call P at 3 (service 300, hold patience 15). Walk-in W1 arrives
    at 100: hold_and_greet holds P 103–113 to greet W1 (10 s of P's 15 spent). Walk-in W2
    arrives at 200: P is held again from 203 with 5 s left, and hangs up at 208 (held
    15 s in all). The clerk finishes the greeting at 213 and serves W1 (213–243), then
    W2 (243–273)."""
    sc = make_scenario(both=1, notice_delay_s=3.0, phone_policy="hold_and_greet",
                       greet_s=10.0)
    contacts, _ = run(sc, [call(0, service_s=300.0, hold_patience_s=15.0),
                           walk_in(100, service_s=30.0), walk_in(200, service_s=30.0)])
    p, w1, w2 = contacts
    check_contact(p, 0, 3, 3, 208, Outcome.ABANDONED, 0, tol=TOL)
    assert p.held_s == pytest.approx(15.0, abs=1e-9)
    check_contact(w1, 100, 103, 213, 243, Outcome.SERVED, 0, tol=TOL)
    check_contact(w2, 200, 203, 243, 273, Outcome.SERVED, 0, tol=TOL)


def test_earliest_greeting_wins_over_a_biased_colleagues_late_one() -> None:
    """The earliest greeting wins, whoever gives it.

    Two clerks: 0 is fully biased (plain customers greeted 3 × later), 1 is not. Both
    serve from 0 (X0 100 s, X1 150 s). Q (polished, 5), R (polished, 7) and P (plain, 10)
    wait. Clerk 0 frees at 100 and greets the line: Q and R at once, P only at
    10 + 3 × 90 = 280; it serves Q (100–400). Clerk 1 frees at 150 and greets whoever is
    still unseen — P, at 150, earlier than clerk 0 would — then serves R (150–450). P is
    served by clerk 0 at 400. (Before the fix clerk 0's late greeting took P off the
    unseen list and P waited unacknowledged until 280.)"""
    sc = make_scenario(counter=2, bias=[1.0, 0.0],
                       discipline={"policy": "appearance_biased", "plain_ack_multiplier": 3.0})
    contacts, _ = run(sc, [walk_in(0, service_s=100.0), walk_in(0, service_s=150.0),
                           walk_in(5, service_s=300.0), walk_in(7, service_s=300.0),
                           walk_in(10, service_s=50.0, plain=True)])
    _, _, q, r, p = contacts
    check_contact(q, 5, 100, 100, 400, Outcome.SERVED, 0, tol=TOL)
    check_contact(r, 7, 100, 150, 450, Outcome.SERVED, 1, tol=TOL)
    check_contact(p, 10, 150, 400, 450, Outcome.SERVED, 0, tol=TOL)


def test_churn_after_repeated_bad_experiences_follows_the_documented_rule() -> None:
    """P(never return) is 0.15 after one bad experience and 0.50 cumulative after two or
    more: the third bad experience adds nothing (``churn_after_further_bad`` = 0).

    One clerk serves X from 0 to 1000. Patron 7 walks in at 10, 20 and 30 with 5 s of
    patience and leaves unserved each time (a walkout: a bad experience). The contacts'
    churn chances are 0.15, 1 − 0.50/0.85 and 0 (before the fix the third was again
    1 − 0.50/0.85, a cumulative 0.71)."""
    sc = make_scenario(counter=1)
    contacts, _ = run(sc, [walk_in(0, service_s=1000.0)]
                      + [walk_in(t, patience_s=5.0, patron_id=7) for t in (10, 20, 30)])
    churn = [c.churn_p for c in contacts[1:]]
    assert all(c.outcome is Outcome.RENEGED_UNACKNOWLEDGED for c in contacts[1:])
    assert churn == pytest.approx([0.15, 1.0 - 0.50 / 0.85, 0.0], abs=1e-12)
    stay = math.prod(1.0 - p for p in churn)
    assert 1.0 - stay == pytest.approx(0.50, abs=1e-12)


def test_looks_based_treatment_reaches_only_customers_in_view() -> None:
    """Appearance acts only on customers staff can see.

    A fully biased phone clerk (overtake probability 1) is on call X from 0 to 100.
    Caller P (plain-looking patron) rings at 10, caller Q (polished) at 20. At 100 the
    clerk answers P first (arrival order): a caller's looks cannot be seen, so P is not
    overtaken. (Before the fix Q was answered first and P marked overtaken.) At the
    counter the same clerk setting still overtakes: see the walk-in case below."""
    sc = make_scenario(phone=1, discipline={"policy": "appearance_biased",
                                            "overtake_probability": 1.0})
    contacts, _ = run(sc, [call(0, service_s=100.0), call(10, service_s=50.0, plain=True),
                           call(20, service_s=50.0)])
    _, p, q = contacts
    check_contact(p, 10, 100, 100, 150, Outcome.SERVED, 0, tol=TOL)
    check_contact(q, 20, 150, 150, 200, Outcome.SERVED, 0, tol=TOL)
    assert not p.overtaken
    walk_ins = make_scenario(counter=1, discipline={"policy": "appearance_biased",
                                                    "overtake_probability": 1.0})
    contacts, _ = run(walk_ins, [walk_in(0, service_s=100.0),
                                 walk_in(10, service_s=50.0, plain=True),
                                 walk_in(20, service_s=50.0)])
    _, p, q = contacts
    assert q.start_s == 100.0 and p.start_s == 150.0 and p.overtaken


def test_time_to_acknowledge_counts_those_who_left_unseen() -> None:
    """Time to acknowledge is censored, not filtered: walk-ins who leave unseen count, at
    their leaving time.

    One clerk serves X from 0 to 100 (acknowledged at 0). W1 arrives at 1 and is greeted
    when the clerk frees up at 100 (99 s). W2 (arrives 2, patience 30) and W3 (arrives 3,
    patience 40) leave unseen at 32 and 43. Kaplan-Meier over the four joiners: 1/4
    acknowledged at 0 s, W2 and W3 censored at 30 s and 40 s, W1 at 99 s takes the estimate
    to 1: median and p90 are both 100 s (upper edge of the 99 s bin). The acknowledged-only
    mean, under its explicit name, is (0 + 99)/2 = 49.5 s. (Before the fix the only mean was
    that 49.5 s and the p90 left W2 and W3 out.)"""
    sc = make_scenario(counter=1, multiplier=1.0)
    metrics = metrics_recorder(sc)
    run_schedule(sc, [walk_in(0, service_s=100.0), walk_in(1, service_s=10.0),
                      walk_in(2, patience_s=30.0), walk_in(3, patience_s=40.0)], metrics)
    row = metrics.metrics()
    assert row["mean_time_to_ack_acknowledged_s"] == pytest.approx(49.5)
    assert row["median_time_to_ack_s"] == 100.0
    assert row["p90_time_to_ack_s"] == 100.0
    assert row["p_ack_within_target"] == pytest.approx(0.25)  # leavers count as misses
