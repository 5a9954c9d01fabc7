"""Exact event-log tests of the conduct levers (issue 13): resolution by the clerk, the
apology, thanks and names, personal calls with permission, arguments, the priority head
start, scored e-mail replies and complaints.

Each test tells a short story on a hand-made schedule (one clerk, times in seconds from
opening at 0) and asserts the exact times, flags, satisfaction and P(never return). Random
distractions never start (every kind's rates are 0; scripted episodes only), traits are off
unless a test sets them, and nobody balks (balking draw 1).
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from sim.config.loading import load_scenario, scenario_from_dict
from sim.config.schema import Scenario
from sim.errors import ConfigError
from sim.model.contact import EMAIL, Contact, Outcome
from sim.model.demand import ScheduledContact
from sim.model.distraction import Distraction, RuleMarks
from sim.model.records import ActivityLog
from tests.helpers import BASELINE, episode, run_schedule, walk_in

TOL = 1e-9
KINDS = ("argument", "coworker_chat", "critical_task", "paperwork", "personal_call")
QUIET_TRAITS = {"enabled": True, "speed_per_z": 0.0, "distraction_per_z": 0.0,
                "acknowledgment_per_z": 0.0, "chatter_per_z": 0.0, "composure_per_z": 0.0}


def scenario(**sections: dict[str, Any]) -> Scenario:
    """One counter clerk from 0 to 01:00, no Poisson demand, traits off, every distraction
    kind kept with zero rates; ``sections`` are merged over that (e.g. ``conduct={...}``)."""
    data: dict[str, Any] = {
        "hours": {"open": "00:00", "close": "01:00", "serve_after_close": True},
        "staff": {"counter": 1, "both": 0},
        "acknowledgment": {"policy": "finish_first", "notice_delay_s": 0.0},
        "distractions": {"enabled": True, "kinds": {
            k: {"idle_rate_per_hour": 0.0, "serving_rate_per_hour": 0.0} for k in KINDS}},
        "traits": {"enabled": False},
    }
    for key, value in sections.items():
        data[key] = {**data.get(key, {}), **value}
    return scenario_from_dict(data)


def served_end(c: Contact) -> float:
    assert c.outcome is Outcome.SERVED, c.as_record()
    return c.end_s


# --------------------------------------------------------------------------- resolution


def test_resolution_by_the_clerk_knowledge_attention_and_fit() -> None:
    """A clerk of knowledge 0.7 serves four calm walk-ins back to back (60 s each). The
    first two have resolution draws 0.65 and 0.75: P(resolve) = 0.7 resolves the first
    only. The third (draw 0.35) has a personal call (10–30 s into its service: divided
    attention): P(unresolved) = 0.3 × 2 = 0.6, so 0.35 < 0.4 still resolves; the fourth
    (draw 0.45, same call) does not. Unresolved costs 0.4 satisfaction; the fixed policy
    keeps the outcome drawn at arrival (here: resolved)."""
    sc = scenario(resolution={"policy": "clerk", "knowledge": [0.7]})
    schedule = [walk_in(0, service_s=60.0, resolve_draw=0.65),
                walk_in(0.5, service_s=60.0, resolve_draw=0.75),
                walk_in(1, service_s=60.0, resolve_draw=0.35),
                walk_in(1.5, service_s=60.0, resolve_draw=0.45)]
    calls = [episode(0, 130, "personal_call", 20), episode(0, 203, "personal_call", 20)]
    got = run_schedule(sc, schedule, episodes=calls)
    assert [c.resolved for c in got] == [True, False, True, False]
    assert [c.divided_attention for c in got] == [False, False, True, True]
    assert [c.satisfaction for c in got] == pytest.approx([1.0, 0.6, 1.0 - 0.3, 1.0 - 0.7])
    fixed = run_schedule(scenario(), schedule, episodes=calls)
    assert all(c.resolved for c in fixed)


def test_temperament_fit_lowers_or_raises_the_chance_of_resolving() -> None:
    """A clerk of knowledge 0.7 with extraversion and agreeableness +1 (fit z = √2) serves
    an angry customer: P(unresolved) = 0.3 · exp(−0.3·√2) = 0.19628. Draw 0.80 resolves
    (0.80 < 0.80372); with both traits −1 (fit −√2) P(unresolved) = 0.45855 and draw 0.55
    does not (0.55 ≥ 0.54145). A calm customer with draw 0.75 is unresolved either way."""
    p_fit = 0.3 * math.exp(-0.3 * math.sqrt(2.0))
    assert 0.80 < 1 - p_fit < 0.8038
    for z, draw, resolved in ((1.0, 0.80, True), (-1.0, 0.55, False)):
        sc = scenario(resolution={"policy": "clerk", "knowledge": 0.7},
                      traits=QUIET_TRAITS,
                      staff={"traits": [{"extraversion": z, "agreeableness": z}]})
        got = run_schedule(sc, [walk_in(0, service_s=60.0, resolve_draw=draw,
                                        temperament="angry"),
                                walk_in(1, service_s=60.0, resolve_draw=0.75)])
        assert [c.resolved for c in got] == [resolved, False]


# --------------------------------------------------------------------------- de-escalation


@pytest.mark.parametrize(("rule", "calm_draw", "end", "calmed", "satisfaction"), [
    ("as_found", 0.5, 60.0, False, 1.0 - 0.4 * 1.6),
    ("apologise_and_calm", 0.5, 90.0, True, 1.0 - 0.4 * 1.0),
    ("apologise_and_calm", 0.9, 90.0, False, 1.0 - 0.4 * 1.6),
])
def test_an_apology_calms_an_angry_customer(rule: str, calm_draw: float, end: float,
                                            calmed: bool, satisfaction: float) -> None:
    """An angry walk-in (service 60 s) whose matter is not resolved. As found: served 0–60
    and judged with the angry sensitivity 1.6: 1 − 0.4·1.6 = 0.36 (bad: P(never return)
    0.15). Apologise and calm: 30 s more (0–90); calm draw 0.5 < 0.7 calms them, so they
    are judged as calm: 0.6 (not bad); draw 0.9 does not, and the apology was in vain. A
    calm walk-in after them gets no apology (60 s)."""
    sc = scenario(conduct={"angry_customers": rule})
    angry, calm = run_schedule(sc, [
        walk_in(0, service_s=60.0, temperament="angry", resolved=False, calm_draw=calm_draw),
        walk_in(1, service_s=60.0)])
    assert math.isclose(served_end(angry), end, abs_tol=TOL)
    assert angry.calmed == calmed
    assert angry.satisfaction == pytest.approx(satisfaction)
    assert angry.churn_p == (0.0 if calmed else 0.15)
    assert math.isclose(served_end(calm) - calm.start_s, 60.0, abs_tol=TOL)
    assert calm.conduct_s == 0.0
    assert angry.conduct_s == (30.0 if rule != "as_found" else 0.0)


# --------------------------------------------------------------------------- thanks, names


def test_thanks_always_and_names_for_regulars() -> None:
    """Patron 7 comes twice (at 0 and 100), patron 8 once (at 200); every matter unresolved
    (0.6 before thanks). Thanks always: each service takes 5 s more and earns the 0.1
    bonus (0.7). Names for regulars: patron 7's second visit is recognised (3 s more, 0.05
    bonus: 0.65); first visits are not."""
    schedule = [walk_in(0, service_s=60.0, patron_id=7, resolved=False),
                walk_in(100, service_s=60.0, patron_id=7, resolved=False),
                walk_in(200, service_s=60.0, patron_id=8, resolved=False)]
    thanked = run_schedule(scenario(conduct={"thanks": "always"}), schedule)
    assert [served_end(c) for c in thanked] == [65.0, 165.0, 265.0]
    assert [c.satisfaction for c in thanked] == pytest.approx([0.7, 0.7, 0.7])
    named = run_schedule(scenario(conduct={"names": "regulars"}), schedule)
    assert [served_end(c) for c in named] == [60.0, 163.0, 260.0]
    assert [c.named for c in named] == [False, True, False]
    assert [c.satisfaction for c in named] == pytest.approx([0.6, 0.65, 0.6])


# --------------------------------------------------------------------------- personal calls


@pytest.mark.parametrize(("rule", "end", "satisfaction"), [
    ("allowed", 73.0, 0.7), ("ask_permission", 78.0, 0.9)])
def test_a_personal_call_taken_with_permission(rule: str, end: float,
                                               satisfaction: float) -> None:
    """A walk-in served from 0 (60 s); a personal call comes in at 10 and lasts 20 s. The
    service runs at half speed meanwhile (50 − 10 = 40 s left at 30) and 3 s of questions
    are asked again: done at 73. Asking permission first takes 5 s more (78), and the
    customer, asked, loses 0.1 satisfaction instead of the divided-attention 0.3."""
    sc = scenario(staff_rules={"personal_phones": rule})
    (c,) = run_schedule(sc, [walk_in(0, service_s=60.0)],
                        episodes=[episode(0, 10, "personal_call", 20)])
    assert math.isclose(served_end(c), end, abs_tol=TOL)
    assert c.divided_attention and c.permission == (rule == "ask_permission")
    assert c.satisfaction == pytest.approx(satisfaction)


def test_ask_permission_keeps_only_urgent_calls_during_service() -> None:
    """Under ask_permission a personal call during service is taken at 20% of the rate;
    calls while idle are unchanged."""
    from sim.model.behaviour import distraction_kinds

    base = load_scenario(BASELINE, [])
    asked = load_scenario(BASELINE, ['staff_rules.personal_phones="ask_permission"'])
    before, after = (distraction_kinds(s)["personal_call"] for s in (base, asked))
    assert after.serving_rate_per_hour == pytest.approx(0.2 * before.serving_rate_per_hour)
    assert after.idle_rate_per_hour == before.idle_rate_per_hour


# --------------------------------------------------------------------------- arguments


@pytest.mark.parametrize(("rule", "start", "saw", "ignored"), [
    ("carry_on", 600.0, True, True),
    ("stop", 100.0, True, False),
    ("back_room", 600.0, False, False),
])
def test_an_argument_stopped_or_moved_to_the_back_room(rule: str, start: float, saw: bool,
                                                       ignored: bool) -> None:
    """The clerk argues from 0 to 600 (visible, not interruptible, noticed 0.2). A walk-in
    comes at 100. Carry on: served at 600, having seen the scene and been ignored. Stop:
    the clerk notices the customer walking in and breaks off at once (even under
    finish_first): served at 100. Back room: served at 600, but saw nothing."""
    sc = scenario(staff_rules={"arguments": rule})
    activity = ActivityLog()
    (c,) = run_schedule(sc, [walk_in(100, service_s=60.0)], activity,
                        episodes=[episode(0, 0, "argument", 600)])
    assert math.isclose(c.start_s, start, abs_tol=TOL)
    assert (c.saw_distraction, c.ignored) == (saw, ignored)
    argued = [(a, b) for _, a, b, act in activity.intervals if act == "argument"]
    assert argued == [(0.0, start)]


def test_back_room_adds_the_walk_to_every_argument() -> None:
    """Under back_room each argument drawn takes ``conduct.back_room_s`` longer."""
    from sim.model.behaviour import distraction_kinds, rule_marks

    sc = load_scenario(BASELINE, ['staff_rules.arguments="back_room"', "conduct.back_room_s=45"])
    kind = distraction_kinds(sc)["argument"]
    assert (kind.visible, kind.balk_extra_probability, kind.patience_drain) == (False, 0.0, 1.0)
    marks = rule_marks(sc)
    d = Distraction("argument", kind, 1.0, lambda: 600.0, marks)
    assert d.duration() == 645.0 and not d.makes_scene
    assert Distraction("argument", kind, 1.0, lambda: 600.0, RuleMarks()).duration() == 600.0


# --------------------------------------------------------------------------- head start


@pytest.mark.parametrize(("top_arrives", "order"), [(60.0, ["top", "regular"]),
                                                    (110.0, ["regular", "top"])])
def test_priority_customers_get_a_virtual_head_start(top_arrives: float,
                                                     order: list[str]) -> None:
    """The clerk serves a first walk-in 0–200. A regular patron joins at 10, a top-tier
    patron at ``top_arrives``. With a 90 s head start the top-tier one stands as if they
    had come at ``top_arrives − 90``: at 60 (−30) they go first and the regular is
    overtaken; at 110 (20) the regular still goes first."""
    sc = scenario(discipline={"policy": "head_start"})
    _, regular, top = run_schedule(sc, [
        walk_in(0, service_s=200.0), walk_in(10, service_s=60.0),
        walk_in(top_arrives, service_s=60.0, top=True)])
    served = sorted([("regular", regular.start_s), ("top", top.start_s)], key=lambda x: x[1])
    assert [name for name, _ in served] == order
    assert served[0][1] == 200.0 and served[1][1] == 260.0
    assert regular.overtaken == (order[0] == "top")


# --------------------------------------------------------------------------- e-mail replies


def _email(resolved: bool) -> ScheduledContact:
    return ScheduledContact(EMAIL, 0.0, service_s=100.0, resolved=resolved)


@pytest.mark.parametrize(("policy", "resolved", "end", "satisfaction", "churn"), [
    ("unscored", False, 100.0, math.nan, 0.0),
    ("form_letter", True, 100.0, 0.75, 0.0),
    ("form_letter", False, 100.0, 0.35, 0.15),
    ("on_point", False, 160.0, 0.1, 0.15),
    ("on_point", True, 160.0, 0.5, 0.0),
])
def test_email_replies_are_scored(policy: str, resolved: bool, end: float,
                                  satisfaction: float, churn: float) -> None:
    """An e-mail (100 s of work) arrives at 0 with a 50 s target; lateness is judged on a
    100 s scale. Unscored: answered at 100, no experience. Form letter: resolves on a draw
    of 0 (< 0.6), not on 1; 50 s late costs 0.5 × 0.5 = 0.25: 0.75, or 0.35 unresolved (bad).
    On point: 60 s more work (answered at 160, 110 s late: the whole 0.5), resolved by the
    counter's 0.9 on draw 0: 0.5 (not bad), or 0.1 on draw 1."""
    sc = scenario(email_replies={"policy": policy, "late_scale_s": 100.0},
                  demand={"email": {"target_s": 50.0}})
    (e,) = run_schedule(sc, [_email(resolved)])
    assert served_end(e) == end
    assert e.satisfaction == pytest.approx(satisfaction, nan_ok=True)
    assert e.churn_p == pytest.approx(churn)


# --------------------------------------------------------------------------- complaints


@pytest.mark.parametrize(("policy", "churn", "complained", "handled"), [
    ("none", 0.15, False, []),
    ("ignored", 0.225, True, []),
    ("recover", 0.075, True, [(300.0, 600.0)]),
])
def test_a_walkout_complains(policy: str, churn: float, complained: bool,
                             handled: list[tuple[float, float]]) -> None:
    """The clerk serves a walk-in 0–300; a second walk-in (patience 50, complaint draw
    0.1 < 0.25) reneges at 50: bad, P(never return) 0.15. Ignored: the complaint makes it
    0.225. Recover: 0.075, and the clerk handles the complaint as back-office work for
    300 s after the service (300–600); the handling is not a contact."""
    sc = scenario(complaints={"policy": policy})
    activity = ActivityLog()
    _, left = run_schedule(sc, [walk_in(0, service_s=300.0),
                                walk_in(0, service_s=60.0, patience_s=50.0, complain_draw=0.1)],
                           activity)
    assert left.outcome is Outcome.RENEGED_UNACKNOWLEDGED
    assert left.complained == complained
    assert left.churn_p == pytest.approx(churn)
    assert [(a, b) for _, a, b, act in activity.intervals if act == "email"] == handled
    assert left.conduct_s == (300.0 if handled else 0.0)


# --------------------------------------------------------------------------- config


@pytest.mark.parametrize("override", [
    'resolution.policy="psychic"', "resolution.knowledge=1.5", "resolution.knowledge=[0.9, -1]",
    "resolution.divided_multiplier=0.5", 'conduct.angry_customers="shout"',
    "conduct.apology_s=-1", "conduct.calm_probability=2", 'conduct.thanks="never"',
    "conduct.regular_after_visits=0", 'staff_rules.personal_phones="whenever"',
    'staff_rules.arguments="louder"', "discipline.head_start_s=-90",
    'complaints.policy="shred"', "complaints.ignored_multiplier=0.5",
    'email_replies.policy="auto"', "email_replies.late_scale_s=0", "conduct.colour=1"])
def test_bad_conduct_settings_are_refused_with_one_line(override: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_scenario(BASELINE, [override])
    message = str(err.value)
    assert "\n" not in message and override.split("=")[0].split(".")[-1] in message
