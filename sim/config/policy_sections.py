"""Policy sections of the scenario schema: which registered policy, and its settings.

Policy names are checked against the registries of :mod:`sim.policies.registry` by family
name, when a scenario is validated. This module imports no policy module (that would make
config and policies import each other); :mod:`sim.config.loading` imports them all, so every
policy is registered before a scenario is validated.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from sim.config.fields import Frozen, Probability
from sim.config.limits import MAX_WAITING, Seconds, SecondsOrZero
from sim.policies.registry import family


def known_in(family_name: str) -> AfterValidator:
    """Validator: the value names a policy registered in the family ``family_name``.

    The registry is looked up when a value is validated, not when this module is imported,
    so the policy modules need not (and must not) be imported by the schema.
    """

    def known(name: str) -> str:
        registry = family(family_name)
        if name not in registry:
            allowed = ", ".join(registry.names())
            raise ValueError(f"unknown {registry.family} policy; allowed: {allowed}")
        return name

    return AfterValidator(known)


AcknowledgmentPolicyName = Annotated[str, known_in("acknowledgment")]
PhoneHandlingPolicyName = Annotated[str, known_in("phone_handling")]
DisciplinePolicyName = Annotated[str, known_in("discipline")]
BalkingPolicyName = Annotated[str, known_in("balking")]
PersonalPhonesRule = Annotated[str, known_in("personal_phones")]
ChatAtCounterRule = Annotated[str, known_in("chat_at_counter")]
ArgumentsRule = Annotated[str, known_in("arguments")]


class Acknowledgment(Frozen):
    """How and when staff acknowledge a waiting walk-in (and its effect on patience)."""

    policy: AcknowledgmentPolicyName = "finish_first"
    notice_delay_s: SecondsOrZero = 3.0
    patience_multiplier: Annotated[float, Field(ge=1.0, le=10.0, allow_inf_nan=False)] = 1.5
    target_s: Seconds = 30.0


class PhoneHandling(Frozen):
    """Which waits when a pooled staff member has both a ringing call and a walk-in."""

    policy: PhoneHandlingPolicyName = "phone_first"
    answer_target_s: Seconds = 20.0
    greet_s: SecondsOrZero = 10.0


class Discipline(Frozen):
    """Who among the waiting is served next (the treatment policy).

    Under ``appearance_biased`` a staff member with bias strength b (``staff.bias``) serves
    a polished customer ahead of a plain one at the head of the line with probability
    ``overtake_probability``·b, greets plain customers ``1 + (plain_ack_multiplier − 1)·b``
    times later, and scrutinises a plain customer it serves with probability b.
    """

    policy: DisciplinePolicyName = "fifo"
    overtake_probability: Probability = 0.3
    plain_ack_multiplier: Annotated[float, Field(ge=1.0, le=10.0, allow_inf_nan=False)] = 1.5
    head_start_s: Annotated[float, Field(ge=0.0, le=3600.0, allow_inf_nan=False)] = 90.0


class Balking(Frozen):
    """Walk-ins leaving on arrival.

    P(balk) = ``min(max_probability, per_extra_waiting · max(0, q − free_waiting))``.
    """

    policy: BalkingPolicyName = "queue_length"
    free_waiting: Annotated[int, Field(ge=0, le=MAX_WAITING)] = 5
    per_extra_waiting: Probability = 0.02
    max_probability: Probability = 0.9


class StaffRules(Frozen):
    """Rules a planner can set about personal phones and chatting at the counter."""

    personal_phones: PersonalPhonesRule = "allowed"
    chat_at_counter: ChatAtCounterRule = "allowed"
    arguments: ArgumentsRule = "carry_on"
    on_quiet_idle_share: Probability = 0.2
    not_in_view_rate_share: Probability = 0.5
