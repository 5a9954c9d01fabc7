"""Named policy bundles for experiments: the counter "as found" and the single fixes, each a
:class:`~sim.study.sweep.Level` whose overrides are complete (a level never relies on another)."""

from __future__ import annotations

from sim.study.sweep import Level

AS_FOUND = {
    "acknowledgment.policy": "finish_first",   # staff finish what they are doing, then greet
    "phone_handling.policy": "phone_first",    # a ringing phone beats the person in front
    "staff_rules.personal_phones": "allowed",  # personal calls at the counter
    "discipline.policy": "appearance_biased",  # polished-looking customers served first
}

FIXES = {
    "greet_first": {"acknowledgment.policy": "greet_first"},
    "hold_and_greet": {"phone_handling.policy": "hold_and_greet"},
    "no_personal_calls": {"staff_rules.personal_phones": "on_quiet"},
    "equal_treatment": {"discipline.policy": "equal"},
}


def bundle(label: str, changes: dict[str, str]) -> Level:
    """The as-found settings with ``changes`` applied, as one level."""
    settings = {**AS_FOUND, **changes}
    return Level(label, tuple(f'{key}="{value}"' for key, value in settings.items()))


def as_found() -> Level:
    """The counter as found: finish-first, phone-first, phones allowed, appearance-biased."""
    return bundle("as_found", {})


def single_fixes() -> list[Level]:
    """One level per fix, everything else as found."""
    return [bundle(name, change) for name, change in FIXES.items()]


def best_practice() -> Level:
    """Every fix at once."""
    return bundle("best_practice", {k: v for change in FIXES.values() for k, v in change.items()})


def staffing_bundles() -> list[Level]:
    """As found, each single fix, and best practice (the main job's policy levels)."""
    return [as_found(), *single_fixes(), best_practice()]
