"""Which settings exclude which: the rules of :mod:`sim.config.exclusions`, one per relation.

Each rule names the keys that the model never reads while another setting (the switch)
holds, with the reason and the fix shown to the user. A new policy parameter that only one
policy reads gets a rule here and a row in ``docs/parameters.md`` ("Settings that exclude
each other").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sim.config.exclusions import Conflict, Given, Rule, conflicts
from sim.config.schema import Scenario


def _schedule(s: Scenario) -> str | None:
    n = len(s.staff.schedule)
    return f"staff.schedule is set ({n} shift{'s' if n != 1 else ''})" if n else None


def _counts_fix(key: str, value: Any, s: Scenario) -> str:
    role = key.rpartition(".")[2]
    if role == "both" and isinstance(value, int):
        return (f"use staff={value} (with --set or --factor) for {value} pooled staff all "
                "day, or change the counts in the schedule's shifts")
    return (f"set staff.schedule = [] as well to staff by counts all day, or give {role} = "
            f"{value} in the schedule's shifts")


def _switched(section: str, field: str, uses: tuple[str, ...], ignored_by: tuple[str, ...],
              keys: tuple[str, ...]) -> Rule:
    """Keys that the built-in policies ``ignored_by`` of ``section.field`` never read (only
    ``uses`` do). A policy registered elsewhere is never judged: it may read them."""
    switch = f"{section}.{field}"

    def why(s: Scenario) -> str | None:
        current = getattr(getattr(s, section), field)
        if current not in ignored_by:
            return None
        users = " and ".join(uses)
        return f'{switch} = "{current}" (only {users} read{"s" if len(uses) == 1 else ""} it)'

    def fix(key: str, value: Any, s: Scenario) -> str:
        return f'set {switch} = "{uses[0]}" to use it, or remove {key}'

    return Rule(keys, lambda s: switch, why, fix)


def _enabled(section: str, also: tuple[str, ...] = ()) -> Rule:
    """Keys of a section (and ``also``) read only while ``section.enabled`` is true."""

    def why(s: Scenario) -> str | None:
        return None if getattr(s, section).enabled else f"{section}.enabled = false"

    def fix(key: str, value: Any, s: Scenario) -> str:
        return f"set {section}.enabled = true to use it, or remove {key}"

    return Rule((section, *also), lambda s: f"{section}.enabled", why, fix,
                spare=(f"{section}.enabled",))


def _closed_channel(channel: str, also: tuple[str, ...] = ()) -> Rule:
    """Keys of a channel (and ``also``) read only while the channel has arrivals."""
    prefix = f"demand.{channel}"

    def switch(s: Scenario) -> str:
        rate = getattr(s.demand, channel).rate_per_hour
        return f"{prefix}.rate_per_hour" if rate == 0 else f"{prefix}.profile"

    def why(s: Scenario) -> str | None:
        if getattr(s.demand, channel).is_open:
            return None
        if getattr(s.demand, channel).rate_per_hour == 0:
            return f"{prefix}.rate_per_hour = 0 (no {channel.replace('_', '-')} arrivals)"
        return f"every {prefix}.profile multiplier is 0 (no {channel.replace('_', '-')} arrivals)"

    def fix(key: str, value: Any, s: Scenario) -> str:
        return f"give {prefix}.rate_per_hour > 0 to open the channel, or remove {key}"

    return Rule((prefix, *also), switch, why, fix,
                spare=(f"{prefix}.rate_per_hour", f"{prefix}.profile"))


def _one_day(s: Scenario) -> str | None:
    return "run.days = 1 (they act between the days of a multi-day run)" \
        if s.run.days == 1 else None


def _one_day_fix(key: str, value: Any, s: Scenario) -> str:
    return f"set run.days to more than 1 for a multi-day run, or remove {key}"


_ALWAYS: Callable[[Scenario], str] = lambda s: "staff.schedule"  # noqa: E731

RULES: tuple[Rule, ...] = (
    Rule(("staff.counter", "staff.phone", "staff.both"), _ALWAYS, _schedule, _counts_fix),
    _closed_channel("walk_in", also=("balking",)),
    _closed_channel("phone", also=("phone_handling",)),
    _closed_channel("email"),
    _enabled("distractions", also=("staff_rules",)),
    _enabled("traits", also=("staff.traits",)),
    _enabled("loyalty"),
    _enabled("retrials"),
    _enabled("callbacks"),
    _enabled("announcements"),
    _switched("discipline", "policy", ("head_start",),
              ("fifo", "equal", "value_tier", "appearance_biased"), ("discipline.head_start_s",)),
    _switched("discipline", "policy", ("appearance_biased",),
              ("fifo", "equal", "value_tier", "head_start"),
              ("discipline.overtake_probability", "discipline.plain_ack_multiplier",
               "staff.bias")),
    _switched("balking", "policy", ("queue_length",), ("none",),
              ("balking.free_waiting", "balking.per_extra_waiting", "balking.max_probability")),
    _switched("phone_handling", "policy", ("hold_and_greet",), ("phone_first", "walk_in_first"),
              ("phone_handling.greet_s",)),
    _switched("phone_handling", "policy", ("hold_and_greet", "walk_in_first"), ("phone_first",),
              ("demand.phone.hold_patience",)),
    _switched("staff_rules", "personal_phones", ("on_quiet",), ("allowed", "ask_permission"),
              ("staff_rules.on_quiet_idle_share",)),
    _switched("staff_rules", "personal_phones", ("ask_permission",), ("allowed", "on_quiet"),
              ("conduct.permission_share", "conduct.ask_s", "conduct.permission_penalty")),
    _switched("staff_rules", "arguments", ("back_room",), ("carry_on", "stop"),
              ("conduct.back_room_s",)),
    _switched("resolution", "policy", ("clerk",), ("fixed",),
              ("resolution.knowledge", "resolution.knowledge_per_z",
               "resolution.divided_multiplier", "resolution.fit_per_z")),
    _switched("conduct", "angry_customers", ("apologise_and_calm",), ("as_found",),
              ("conduct.apology_s", "conduct.calm_probability")),
    _switched("conduct", "thanks", ("always",), ("by_chance",), ("conduct.thank_s",)),
    _switched("conduct", "names", ("regulars",), ("unused",),
              ("conduct.name_s", "conduct.name_bonus", "conduct.regular_after_visits")),
    _switched("complaints", "policy", ("ignored", "recover"), ("none",),
              ("complaints.probability",)),
    _switched("complaints", "policy", ("ignored",), ("none", "recover"),
              ("complaints.ignored_multiplier",)),
    _switched("complaints", "policy", ("recover",), ("none", "ignored"),
              ("complaints.handle_s", "complaints.recovered_multiplier")),
    _switched("email_replies", "policy", ("form_letter",), ("unscored", "on_point"),
              ("email_replies.form_letter_resolve",)),
    _switched("email_replies", "policy", ("on_point",), ("unscored", "form_letter"),
              ("email_replies.on_point_extra_s",)),
    _switched("email_replies", "policy", ("form_letter", "on_point"), ("unscored",),
              ("email_replies.late_scale_s",)),
    _switched("staff_rules", "chat_at_counter", ("not_in_view",), ("allowed",),
              ("staff_rules.not_in_view_rate_share",)),
    Rule(("market", "demand.rates_include_repeats"), lambda s: "run.days", _one_day,
         _one_day_fix),
)


def find_conflicts(scenario: Scenario, given: Given) -> list[Conflict]:
    """Every given key of ``scenario`` that cannot take effect (see :data:`RULES`)."""
    return conflicts(scenario, given, RULES)


def check_exclusions(scenario: Scenario, given: Given) -> None:
    """Raise the first conflict's :class:`~sim.errors.ConfigError`, if any."""
    found = find_conflicts(scenario, given)
    if found:
        raise found[0].error
