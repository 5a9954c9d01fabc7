"""Staff rules a planner can set: personal phones, chatting at the counter.

Each rule adjusts the table of distraction kinds (rates, visibility, noticing) before the
day starts. Pure functions of config values: testable without SimPy.
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

Kinds = dict[str, "DistractionKind"]


@PERSONAL_PHONES.register("allowed")
@CHAT_AT_COUNTER.register("allowed")
class Allowed:
    """No rule: distractions as configured."""

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> Allowed:
        """The rule (no settings)."""
        return cls()

    def adjust(self, kinds: Kinds) -> Kinds:
        """The kinds unchanged."""
        return kinds


@PERSONAL_PHONES.register("on_quiet")
class PhonesOnQuiet:
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
class ChatNotInView:
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
