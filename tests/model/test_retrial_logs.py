"""Exact event-log tests of retrials (issue 16): a blocked caller calls again and is
served, a caller who hung up calls again, the last allowed retry, a retry that would come
after closing, a walk-in who comes back; and retrials switched on with probability 0 change
nothing but the retrial columns.

Each test tells a short story on a hand-made schedule (one clerk, times in seconds from
opening at 0, closing at 01:00 = 3600 s) with deterministic retrial delays and retry
patience, so every event time is known in advance. Distractions are off.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from sim.config.loading import load_scenario, scenario_from_dict
from sim.config.schema import Scenario
from sim.execution.runner import run_replication
from sim.model.contact import Contact, Outcome
from sim.model.demand import ScheduledContact
from sim.model.experience import make_scorer
from sim.model.records import ContactLog
from sim.model.simulation import simulate
from tests.helpers import BASELINE, ERLANG_A, call, walk_in

FAILED_SHARE = 0.25  # retrials.failed_attempt_share


def scenario(channel: str = "phone", delay_s: float = 100.0, max_retries: int = 2,
             retry_patience_s: float = 1000.0, **sections: dict[str, Any]) -> Scenario:
    """One clerk on ``channel`` from 0 to 01:00 (one phone line), no Poisson demand,
    distractions off; every walkout on ``channel`` retries after ``delay_s`` with patience
    ``retry_patience_s`` (both deterministic), at most ``max_retries`` times."""
    role = "phone" if channel == "phone" else "counter"
    retry = {"probability": 1.0, "max_retries": max_retries,
             "delay": {"dist": "deterministic", "value_s": delay_s}}
    data: dict[str, Any] = {
        "hours": {"open": "00:00", "close": "01:00", "serve_after_close": True},
        "staff": {"counter": 0, "phone": 0, "both": 0, role: 1},
        "acknowledgment": {"notice_delay_s": 0.0},
        "distractions": {"enabled": False},
        "traits": {"enabled": False},
        "demand": {"phone": {"lines": 1, "patience": {"dist": "deterministic",
                                                      "value_s": retry_patience_s}},
                   "walk_in": {"patience": {"dist": "deterministic",
                                            "value_s": retry_patience_s}}},
        "retrials": {"enabled": True, "failed_attempt_share": FAILED_SHARE, channel: retry},
    }
    for key, value in sections.items():
        data[key] = {**data.get(key, {}), **value}
    return scenario_from_dict(data)


def run(sc: Scenario, schedule: list[ScheduledContact]) -> list[Contact]:
    """Every contact reported (first attempts and retries), in id order."""
    log = ContactLog()
    simulate(sc, 1, 0, log, schedule=schedule)
    return log.contacts


def expected_satisfaction(sc: Scenario, walked_out: bool, share: float) -> float:
    """The scorer's satisfaction of a calm, resolved, unthanked contact with ``share``."""
    value, _, _ = make_scorer(sc.loyalty)(walked_out, share, False, False, False, False,
                                          False, True, "calm")
    return value


def times(c: Contact) -> tuple[float, float, float]:
    return c.arrival_s, c.start_s, c.end_s


def test_retrial_blocked_caller_calls_again_after_the_delay_and_is_served() -> None:
    """A is served 0-300 on the only line; B at 10 is blocked and calls again at 10 + 400 =
    410 (patron 7's second attempt, id 2), is answered at once and served 410-470. The
    blocked attempt is not judged on its own; the retry is judged with one failed attempt:
    wait share 0 + 0.25."""
    sc = scenario(delay_s=400.0)
    a, b, b2 = run(sc, [call(0, service_s=300.0, patron_id=1),
                        call(10, service_s=60.0, patron_id=7)])
    assert times(a) == (0.0, 0.0, 300.0) and a.outcome is Outcome.SERVED
    assert b.outcome is Outcome.BLOCKED and b.end_s == 10.0 and b.retried
    assert math.isnan(b.satisfaction) and b.churn_p == 0.0
    assert (b2.id, b2.patron_id, b2.attempt, b2.outcome) == (2, 7, 1, Outcome.SERVED)
    assert times(b2) == (410.0, 410.0, 470.0) and b2.service_s == 60.0
    assert b2.prior_wait_s == 0.0 and not b2.retried
    assert b2.satisfaction == expected_satisfaction(sc, False, FAILED_SHARE)


def test_retrial_caller_who_hung_up_calls_again_at_the_exact_time() -> None:
    """Unlimited lines. A is served 0-300; B rings from 10 with patience 50 and hangs up at
    60 — processed at 60, not when the clerk next looks at the line (300) — so it calls
    again at exactly 160, waits until 300 (within its fresh patience of 1000) and is served
    300-360. Judged: (140 s + the 50 s waited before) / 1000 s + 0.25."""
    sc = scenario(demand={"phone": {"lines": None, "patience": {
        "dist": "deterministic", "value_s": 1000.0}}})
    a, b, b2 = run(sc, [call(0, service_s=300.0, patron_id=1),
                        call(10, service_s=60.0, patience_s=50.0, patron_id=7)])
    assert a.end_s == 300.0
    assert b.outcome is Outcome.ABANDONED and b.end_s == 60.0 and b.retried
    assert b2.attempt == 1 and b2.prior_wait_s == 50.0 and b2.patience_s == 1000.0
    assert times(b2) == (160.0, 300.0, 360.0) and b2.outcome is Outcome.SERVED
    share = 140.0 / 1000.0 + 50.0 / 1000.0 + FAILED_SHARE
    assert b2.satisfaction == pytest.approx(expected_satisfaction(sc, False, share), abs=1e-15)


def test_retrial_stops_at_the_maximum_number_of_retries() -> None:
    """A holds the only line 0-1000. B is blocked at 10, 110 and 210 (max_retries 2): the
    third attempt walks out for good. Only it is judged — one bad experience (P(never
    return) 0.15, the first bad one), wait share 2 × 0.25."""
    sc = scenario()
    a, *tries = run(sc, [call(0, service_s=1000.0, patron_id=1), call(10, patron_id=7)])
    assert [c.arrival_s for c in tries] == [10.0, 110.0, 210.0]
    assert [c.attempt for c in tries] == [0, 1, 2]
    assert all(c.outcome is Outcome.BLOCKED and c.patron_id == 7 for c in tries)
    assert [c.retried for c in tries] == [True, True, False]
    assert [c.churn_p for c in tries] == [0.0, 0.0, sc.loyalty.churn_after_one_bad]
    assert tries[2].satisfaction == expected_satisfaction(sc, True, 2 * FAILED_SHARE)
    assert a.outcome is Outcome.SERVED


@pytest.mark.parametrize("blocked_at", [3500.0, 3550.0])
def test_retrial_after_closing_does_not_happen(blocked_at: float) -> None:
    """Closing is at 3600 s. A caller blocked at 3500 would call again at exactly 3600 and
    one blocked at 3550 at 3650: at or after closing, neither does. The walkout is final
    (judged at once, marked ``retry_after_close``)."""
    sc = scenario()
    a, b = run(sc, [call(3400, service_s=1000.0, patron_id=1),
                    call(blocked_at, patron_id=7)])
    assert b.outcome is Outcome.BLOCKED and not b.retried and b.retry_after_close
    assert b.churn_p == sc.loyalty.churn_after_one_bad
    assert a.end_s == 4400.0


def test_retrial_walk_in_who_reneged_comes_back_and_is_served() -> None:
    """A walk-in A is served 0-300; B arrives at 10 with patience 30 and leaves unseen at
    40, comes back at 40 + 500 = 540 to an idle clerk and is served 540-600."""
    sc = scenario(channel="walk_in", delay_s=500.0)
    a, b, b2 = run(sc, [walk_in(0, service_s=300.0, patron_id=1),
                        walk_in(10, service_s=60.0, patience_s=30.0, patron_id=7)])
    assert a.end_s == 300.0
    assert b.outcome is Outcome.RENEGED_UNACKNOWLEDGED and b.end_s == 40.0 and b.retried
    assert b2.channel == "walk_in" and b2.attempt == 1 and b2.prior_wait_s == 30.0
    assert times(b2) == (540.0, 540.0, 600.0) and b2.outcome is Outcome.SERVED


@pytest.mark.parametrize("probability", [0.0, 1.0])
def test_retrial_each_channel_has_its_own_probability(probability: float) -> None:
    """Callers always call again; walk-ins come back with ``probability``: a walk-in who
    reneges at 40 comes back (at 140) only when it is 1."""
    sc = scenario(channel="phone", retrials={"walk_in": {
        "probability": probability, "delay": {"dist": "deterministic", "value_s": 100.0}}},
        staff={"counter": 1})
    contacts = run(sc, [walk_in(0, service_s=300.0, patron_id=1),
                        walk_in(10, service_s=60.0, patience_s=30.0, patron_id=7)])
    assert sc.retrials.phone.probability == 1.0
    assert contacts[1].retried is (probability == 1.0)
    assert [c.arrival_s for c in contacts[2:]] == ([140.0] if probability else [])


def _differences(config: object, overrides: list[str]) -> dict[str, tuple[float, float]]:
    off = run_replication(load_scenario(str(config), overrides), 1, 0).metrics
    on = run_replication(load_scenario(str(config), [
        *overrides, "retrials.enabled=true", "retrials.phone.probability=0",
        "retrials.walk_in.probability=0"]), 1, 0).metrics
    assert set(on) - set(off) and not set(off) - set(on)
    return {k: (off[k], on[k]) for k in off
            if not (off[k] == pytest.approx(on[k], rel=1e-12, abs=1e-9)
                    or (math.isnan(off[k]) and math.isnan(on[k])))}


@pytest.mark.parametrize("config", [BASELINE, ERLANG_A], ids=["baseline", "erlang_a"])
def test_retrial_on_with_probability_zero_changes_nothing(config: object) -> None:
    """Retrials on with probability 0 on both channels: deadlines are processed at their
    exact times instead of lazily, and nobody retries — every metric is the same (sums of
    money to the last bits, the order of additions may differ) and no other stream moves."""
    assert _differences(config, ["staff=3"]) == {}
