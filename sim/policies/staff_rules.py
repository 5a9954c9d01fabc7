"""Staff rules a planner can set: personal phones, chatting at the counter, arguments.

Each rule adjusts the table of distraction kinds (rates, visibility, noticing) before the
day starts, and may declare kinds taken during service only with the customer's permission
(``with_permission``), kinds stopped when a customer walks in (``stopped_for_customers``)
and seconds added to each episode of a kind (``extra_s``). Pure functions of config values:
testable without SimPy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.policies.registry import Registry

if TYPE_CHECKING:
    from sim.config.schema import Scenario
    from sim.config.sections import DistractionKind
    from sim.policies.base import StaffRule

PERSONAL_PHONES: Registry[StaffRule] = Registry("personal_phones")
CHAT_AT_COUNTER: Registry[StaffRule] = Registry("chat_at_counter")
ARGUMENTS: Registry[StaffRule] = Registry("arguments")

Kinds = dict[str, "DistractionKind"]


@PERSONAL_PHONES.register("allowed")
@CHAT_AT_COUNTER.register("allowed")
@ARGUMENTS.register("carry_on")
class Allowed:
    """No rule: distractions as configured."""

    with_permission: frozenset[str] = frozenset()
    stopped_for_customers: frozenset[str] = frozenset()
    extra_s: dict[str, float] = {}  # noqa: RUF012  (read only)

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> Allowed:
        """The rule (no settings)."""
        return cls()

    def adjust(self, kinds: Kinds) -> Kinds:
        """The kinds unchanged."""
        return kinds


@PERSONAL_PHONES.register("on_quiet")
class PhonesOnQuiet(Allowed):
    """Phone on quiet: no personal calls during service, and only a share of those while
    idle ("put your cell phone on quiet" — source guidance: the teller taking personal calls)."""

    def __init__(self, idle_share: float) -> None:
        self.idle_share = idle_share

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> PhonesOnQuiet:
        """The rule with the scenario's share of idle-time calls kept."""
        return cls(scenario.staff_rules.on_quiet_idle_share)

    def adjust(self, kinds: Kinds) -> Kinds:
        """Personal calls: none during service, ``on_quiet_idle_share`` of them while idle."""
        call = kinds.get("personal_call")
        if call is None:
            return kinds
        quiet = call.model_copy(update={
            "serving_rate_per_hour": 0.0,
            "idle_rate_per_hour": call.idle_rate_per_hour * self.idle_share})
        return {**kinds, "personal_call": quiet}


@CHAT_AT_COUNTER.register("not_in_view")
class ChatNotInView(Allowed):
    """Chats happen away from the counter: customers don't see them (not visible), they
    are rarer (a share of the rate) and the chatting clerk does not notice arrivals."""

    def __init__(self, rate_share: float) -> None:
        self.rate_share = rate_share

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> ChatNotInView:
        """The rule with the scenario's share of chats kept."""
        return cls(scenario.staff_rules.not_in_view_rate_share)

    def adjust(self, kinds: Kinds) -> Kinds:
        """Chats: out of customers' sight, unnoticing, at ``not_in_view_rate_share`` of the rate."""
        chat = kinds.get("coworker_chat")
        if chat is None:
            return kinds
        away = chat.model_copy(update={
            "idle_rate_per_hour": chat.idle_rate_per_hour * self.rate_share,
            "visible": False, "notice_probability": 0.0})
        return {**kinds, "coworker_chat": away}


@PERSONAL_PHONES.register("ask_permission")
class AskPermission(Allowed):
    """Ask the customer's permission before taking an urgent personal call: only
    ``conduct.permission_share`` of the calls during service are taken, each after asking
    (``conduct.ask_s``, :mod:`sim.model.staff_agent`); the customer is not disrespected
    (``conduct.permission_penalty`` instead of the divided-attention penalty). Calls while
    idle stay as configured."""

    with_permission = frozenset({"personal_call"})

    def __init__(self, share: float) -> None:
        self.share = share

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> AskPermission:
        """The rule with the scenario's share of calls during service still taken."""
        return cls(scenario.conduct.permission_share)

    def adjust(self, kinds: Kinds) -> Kinds:
        """Personal calls during service: ``permission_share`` of the rate."""
        call = kinds.get("personal_call")
        if call is None:
            return kinds
        urgent = call.model_copy(update={
            "serving_rate_per_hour": call.serving_rate_per_hour * self.share})
        return {**kinds, "personal_call": urgent}


@ARGUMENTS.register("stop")
class StopArguments(Allowed):
    """Once a customer walks in, the discussion stops: the argument is interruptible and the
    clerk always notices a walk-in (it breaks off whatever the acknowledgment policy)."""

    stopped_for_customers = frozenset({"argument"})

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> StopArguments:
        """The rule (no settings)."""
        return cls()

    def adjust(self, kinds: Kinds) -> Kinds:
        """The argument: interruptible, noticed with probability 1."""
        argument = kinds.get("argument")
        if argument is None:
            return kinds
        stopped = argument.model_copy(update={"interruptible": True, "notice_probability": 1.0})
        return {**kinds, "argument": stopped}


@ARGUMENTS.register("back_room")
class BackRoom(Allowed):
    """Carry the argument on in the back room: customers see nothing (no scene), the clerk
    is away (notices no walk-in) and walking there and back adds ``conduct.back_room_s``."""

    def __init__(self, seconds: float) -> None:
        self.extra_s = {"argument": seconds}

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> BackRoom:
        """The rule with the scenario's ``conduct.back_room_s``."""
        return cls(scenario.conduct.back_room_s)

    def adjust(self, kinds: Kinds) -> Kinds:
        """The argument: not visible, no scene, never noticing."""
        argument = kinds.get("argument")
        if argument is None:
            return kinds
        away = argument.model_copy(update={
            "visible": False, "balk_extra_probability": 0.0, "patience_drain": 1.0,
            "notice_probability": 0.0})
        return {**kinds, "argument": away}
