"""Per-staff behaviour parameters: trait effects and the distraction table after staff
rules. Pure functions of the scenario (and one named stream for random traits)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.config.schema import Scenario
from sim.config.sections import DistractionKind, Traits, TraitScores
from sim.model.distraction import RuleMarks
from sim.policies.base import StaffRule
from sim.policies.staff_rules import ARGUMENTS, CHAT_AT_COUNTER, PERSONAL_PHONES

TRAITS = ("conscientiousness", "agreeableness", "extraversion", "emotional_stability", "openness")


@dataclass(frozen=True)
class TraitEffects:
    """Multipliers on one staff member's behaviour (1.0 = an average person)."""

    service_time: float   # on every service requirement: chatter (openness) / speed
    distraction: float    # on every distraction rate
    notice: float         # on the notice delay (smaller is prompter); divides P(notice)
    composure: float      # on service time with angry customers (emotional stability)

    @staticmethod
    def neutral() -> TraitEffects:
        """No trait effects."""
        return TraitEffects(1.0, 1.0, 1.0, 1.0)


def trait_effects(z: TraitScores, traits: Traits) -> TraitEffects:
    """Speed exp(0.20·Σρ_k z_k); distraction exp(−0.2·(z_C+z_ES+z_A)/√3); time to
    acknowledge exp(−0.15·(z_E+z_A)/√2); chatter exp(c·z_O); composure exp(−c·z_ES).
    Coefficients are config values (docs/parameters.md, "Traits")."""
    if not traits.enabled:
        return TraitEffects.neutral()
    w = traits.speed_weights
    speed = math.exp(traits.speed_per_z * sum(
        getattr(w, t) * getattr(z, t) for t in TRAITS))
    chatter = math.exp(traits.chatter_per_z * z.openness)
    distraction = math.exp(-traits.distraction_per_z * (
        z.conscientiousness + z.emotional_stability + z.agreeableness) / math.sqrt(3.0))
    notice = math.exp(-traits.acknowledgment_per_z * (z.extraversion + z.agreeableness)
                      / math.sqrt(2.0))
    composure = math.exp(-traits.composure_per_z * z.emotional_stability)
    return TraitEffects(chatter / speed, distraction, notice, composure)


def staff_scores(scenario: Scenario, n_staff: int, rng: np.random.Generator) -> list[TraitScores]:
    """Trait scores per staff member (roster order): given, average, or drawn N(0, 1)."""
    given = scenario.staff.traits
    if isinstance(given, list):
        return list(given)
    if given == "average":
        return [TraitScores() for _ in range(n_staff)]
    draws = rng.standard_normal((n_staff, len(TRAITS)))
    return [TraitScores(**dict(zip(TRAITS, map(float, row), strict=True))) for row in draws]


def distraction_kinds(scenario: Scenario) -> dict[str, DistractionKind]:
    """The distraction kinds in force (sorted by name): configured kinds with their rates
    times ``distractions.rate_multiplier``, after the staff rules; none if distractions are
    disabled. Kinds with zero rates stay (hand-made
    episodes in exact tests use them); they never start by themselves."""
    if not scenario.distractions.enabled:
        return {}
    scale = scenario.distractions.rate_multiplier
    kinds = {name: kind if scale == 1.0 else kind.model_copy(update={
        "idle_rate_per_hour": kind.idle_rate_per_hour * scale,
        "serving_rate_per_hour": kind.serving_rate_per_hour * scale})
        for name, kind in scenario.distractions.kinds.items()}
    for rule in _rules(scenario):
        kinds = rule.adjust(kinds)
    return dict(sorted(kinds.items()))


def _rules(scenario: Scenario) -> list[StaffRule]:
    rules = scenario.staff_rules
    return [PERSONAL_PHONES.build(rules.personal_phones, scenario),
            CHAT_AT_COUNTER.build(rules.chat_at_counter, scenario),
            ARGUMENTS.build(rules.arguments, scenario)]


def rule_marks(scenario: Scenario) -> RuleMarks:
    """What the staff rules declare about the kinds: taken with permission, stopped for
    customers, seconds added per episode."""
    rules = _rules(scenario)
    return RuleMarks(frozenset().union(*(r.with_permission for r in rules)),
                     frozenset().union(*(r.stopped_for_customers for r in rules)),
                     {k: v for r in rules for k, v in r.extra_s.items()})
