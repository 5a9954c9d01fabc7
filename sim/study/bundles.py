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


# Conduct levers that pay without any modelling switch of the conduct experiment: measured
# there (experiments/conduct.py) as lifetime value saved per staff hour they cost; both
# change how a served contact is judged, not who is served.
PAYING_CONDUCT = {
    "conduct.angry_customers": "apologise_and_calm",  # apologise, empathise, calm them down
    "conduct.thanks": "always",                       # thank every served customer
}


def best_practice() -> Level:
    """Every fix at once, and the conduct levers that pay (:data:`PAYING_CONDUCT`)."""
    fixes = {k: v for change in FIXES.values() for k, v in change.items()}
    return bundle("best_practice", {**fixes, **PAYING_CONDUCT})


def staffing_bundles() -> list[Level]:
    """As found, each single fix, and best practice (the main job's policy levels)."""
    return [as_found(), *single_fixes(), best_practice()]


# The conduct levers (issue 13). Measuring them needs three modelling switches the main job
# leaves off: resolution by the clerk, scored e-mail replies and complaints. With them on,
# the counter as found writes form letters and ignores complaints.
CONDUCT_AS_FOUND = {
    **AS_FOUND,
    "resolution.policy": "clerk",              # resolution depends on the clerk
    "email_replies.policy": "form_letter",     # e-mails scored; form-letter replies
    "complaints.policy": "ignored",            # customers complain; nobody acts
    "conduct.angry_customers": "as_found",     # angry customers only take longer
    "conduct.thanks": "by_chance",
    "conduct.names": "unused",
    "staff_rules.arguments": "carry_on",
}

CONDUCT_LEVERS = {
    "apologise_and_calm": {"conduct.angry_customers": "apologise_and_calm"},
    "thank_always": {"conduct.thanks": "always"},
    "names_for_regulars": {"conduct.names": "regulars"},
    "ask_permission": {"staff_rules.personal_phones": "ask_permission"},
    "stop_arguments": {"staff_rules.arguments": "stop"},
    "back_room_arguments": {"staff_rules.arguments": "back_room"},
    "on_point_replies": {"email_replies.policy": "on_point"},
    "recover_complaints": {"complaints.policy": "recover"},
}

# Every recommended behaviour: the main job's fixes and the conduct levers. Where the
# guidance offers two, one: stopping an argument (not the back room), and phones on quiet
# (not asking permission for urgent calls: on quiet saved more lifetime value, measured).
GUIDANCE = {
    **{k: v for change in FIXES.values() for k, v in change.items()},
    **{k: v for name, change in CONDUCT_LEVERS.items()
       if name not in ("back_room_arguments", "ask_permission") for k, v in change.items()},
}


def conduct_bundle(label: str, changes: dict[str, str]) -> Level:
    """The conduct experiment's as-found settings with ``changes`` applied, as one level."""
    settings = {**CONDUCT_AS_FOUND, **changes}
    return Level(label, tuple(f'{key}="{value}"' for key, value in settings.items()))


def guidance() -> Level:
    """Every recommended behaviour at once (the conduct experiment's as-found switches on)."""
    return conduct_bundle("guidance", GUIDANCE)


def conduct_bundles() -> list[Level]:
    """As found (scored), each conduct lever alone, and the guidance bundle."""
    return [conduct_bundle("as_found", {}),
            *(conduct_bundle(name, change) for name, change in CONDUCT_LEVERS.items()),
            guidance()]
