"""Policies: balking probabilities, phone-handling order, FIFO, acknowledgment, registry."""

from __future__ import annotations

from typing import Any

import pytest
import simpy

from sim.config.loading import scenario_from_dict
from sim.errors import ConfigError
from sim.model.counter.counter import Counter
from sim.model.patrons import PatronPool
from sim.model.records import NullRecorder
from sim.model.streams import Streams
from sim.policies.acknowledgment import ACKNOWLEDGMENT, FinishFirst
from sim.policies.balking import BALKING, NoBalking, QueueLengthBalking
from sim.policies.base import StaffView
from sim.policies.discipline import DISCIPLINES
from sim.policies.phone_handling import PHONE_HANDLING, PhoneFirst, WalkInFirst
from sim.policies.registry import Registry


@pytest.mark.parametrize(("waiting", "p"), [
    (0, 0.0), (4, 0.0), (5, 0.0), (6, 0.02), (7, 0.04), (10, 0.1), (50, 0.9), (1000, 0.9),
])
def test_default_queue_length_balking(waiting: int, p: float) -> None:
    policy = QueueLengthBalking(free_waiting=5, per_extra_waiting=0.02, max_probability=0.9)
    assert policy.probability(waiting) == pytest.approx(p, abs=1e-15)


def test_queue_length_balking_exact_values_and_cap() -> None:
    policy = QueueLengthBalking(free_waiting=1, per_extra_waiting=0.5, max_probability=0.9)
    assert [policy.probability(q) for q in range(5)] == [0.0, 0.0, 0.5, 0.9, 0.9]
    zero_free = QueueLengthBalking(free_waiting=0, per_extra_waiting=0.25, max_probability=1.0)
    assert [zero_free.probability(q) for q in range(6)] == [0.0, 0.25, 0.5, 0.75, 1.0, 1.0]


def test_balking_from_scenario() -> None:
    sc = scenario_from_dict({"balking": {"free_waiting": 2, "per_extra_waiting": 0.1,
                                         "max_probability": 0.3}})
    policy = BALKING.build("queue_length", sc)
    assert isinstance(policy, QueueLengthBalking)
    assert [policy.probability(q) for q in (2, 3, 4, 5, 6)] == pytest.approx(
        [0.0, 0.1, 0.2, 0.3, 0.3], abs=1e-15)
    none = BALKING.build("none", sc)
    assert isinstance(none, NoBalking)
    assert none.probability(10_000) == 0.0


def test_phone_handling_orders() -> None:
    assert PhoneFirst().order() == ("phone", "walk_in")
    assert WalkInFirst().order() == ("walk_in", "phone")
    sc = scenario_from_dict({})
    assert PHONE_HANDLING.build("phone_first", sc).order() == ("phone", "walk_in")
    assert PHONE_HANDLING.build("walk_in_first", sc).order() == ("walk_in", "phone")


@pytest.mark.parametrize(("role", "order", "expected"), [
    ("both", ("phone", "walk_in"), ("phone", "walk_in")),
    ("both", ("walk_in", "phone"), ("walk_in", "phone")),
    ("counter", ("phone", "walk_in"), ("walk_in",)),
    ("phone", ("walk_in", "phone"), ("phone",)),
])
def test_staff_look_only_at_their_channels_in_policy_order(
        role: str, order: tuple[str, ...], expected: tuple[str, ...]) -> None:
    policy = "phone_first" if order[0] == "phone" else "walk_in_first"
    scenario = scenario_from_dict({"staff": {"both": 0, role: 1},
                                   "phone_handling": {"policy": policy}})
    counter = Counter(simpy.Environment(), scenario, NullRecorder(), Streams(1, 0),
                      PatronPool.draw(scenario.patrons, Streams(1, 0)("patrons.attributes")))
    (agent,) = counter.staff
    assert agent.order == expected
    assert [channel for channel, _ in agent.choices] == list(expected)
    assert agent.serves_walk_ins == ("walk_in" in expected)


def test_finish_first_acknowledgment() -> None:
    sc = scenario_from_dict({"acknowledgment": {"notice_delay_s": 4.5}})
    policy = ACKNOWLEDGMENT.build("finish_first", sc)
    assert isinstance(policy, FinishFirst)
    assert policy.notice_delay_s == 4.5
    assert policy.greets_waiting_when_free is True
    assert policy.responds_while_busy is False


@pytest.mark.parametrize(("name", "responds"), [
    ("finish_first", False), ("greet_first", True), ("gesture_while_busy", True)])
def test_acknowledgment_policies_declare_whether_busy_staff_respond(name: str,
                                                                    responds: bool) -> None:
    """The capability flag agrees with what :meth:`response` does for a noticing member."""
    policy = ACKNOWLEDGMENT.build(name, scenario_from_dict({}))
    assert policy.responds_while_busy is responds
    views = [StaffView(activity, interruptible, True)
             for activity in ("email", "personal_call", "paperwork")
             for interruptible in (True, False)]
    assert any(policy.response(v) is not None for v in views) is responds


def test_registries_know_the_documented_core_policies() -> None:
    assert "fifo" in DISCIPLINES
    assert {"phone_first", "walk_in_first"} <= set(PHONE_HANDLING.names())
    assert {"queue_length", "none"} <= set(BALKING.names())
    assert "finish_first" in ACKNOWLEDGMENT
    assert BALKING.names() == sorted(BALKING.names())


def test_registry_rejects_duplicates_and_unknown_names() -> None:
    reg: Registry[Any] = Registry("demo")

    @reg.register("a")
    class A:
        @classmethod
        def from_scenario(cls, scenario: Any) -> A:
            return cls()

    assert reg.get("a") is A
    assert "a" in reg and "b" not in reg
    with pytest.raises(ValueError, match="registered twice"):
        reg.register("a")(A)
    with pytest.raises(KeyError):
        reg.get("b")


def test_unknown_policy_in_config_lists_allowed() -> None:
    with pytest.raises(ConfigError) as err:
        scenario_from_dict({"phone_handling": {"policy": "ignore_phone"}})
    assert err.value.key == "phone_handling.policy"
    assert "phone_first" in str(err.value) and "walk_in_first" in str(err.value)
