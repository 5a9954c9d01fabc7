"""Plausible ranges, part 2: distractions, staff rules, traits and temperament (assembled
in :data:`sim.config.ranges.RANGES`; sources in ``docs/parameters.md``)."""

from __future__ import annotations

from sim.config.range_types import Range, Structural, log, uniform

_RATE = ("derived from the assumed 10% of a shift distracted and the episode mix "
         "(\"Distractions\" above): half to double")
_LENGTH = "assumption: half to double the default episode length"
_NOTICE = "a distracted clerk notices a walk-in from one time in five to four in five"
_NOTICED = "assumption: " + _NOTICE
_KIND_OFF = ("0 (1 for the drain) leaves the mechanism out for a kind: the shipped kinds that "
             "have it off have it off by the model's design (only personal calls interrupt a "
             "service, only an argument is a scene), and a kind a scenario adds has it off "
             "unless its author turns it on; a kind that has it on has its own row")
_ADDED_KIND = "a kind a scenario adds (the shipped kinds have their own rows): "
_REFERENCE = ("the reference temperament: the channel's {what} is a calm customer's, and its "
              "uncertainty is carried there ({where})")
_TEMPERAMENT = "assumption (the temperament factor in the customer-service writing): "

_KINDS: dict[str, Range | Structural] = {
    "distractions.kinds.personal_call.idle_rate_per_hour": log(1.3, 5.2, _RATE),
    "distractions.kinds.personal_call.serving_rate_per_hour": log(0.6, 2.4, _RATE),
    "distractions.kinds.personal_call.duration.median_s": log(15, 60, _LENGTH),
    "distractions.kinds.personal_call.duration.sigma": uniform(0.8, 1.5, (
        "partly derived (median 30 s, mean 60 s): at the default median a mean from 41 to "
        "92 s")),
    "distractions.kinds.personal_call.notice_probability": uniform(0.2, 0.8, _NOTICED),
    "distractions.kinds.coworker_chat.idle_rate_per_hour": log(1.3, 5.2, _RATE),
    "distractions.kinds.coworker_chat.duration.mean_s": log(60, 240, _LENGTH),
    "distractions.kinds.coworker_chat.notice_probability": uniform(0.2, 0.8, _NOTICED),
    "distractions.kinds.paperwork.idle_rate_per_hour": log(0.9, 3.6, _RATE),
    "distractions.kinds.paperwork.duration.mean_s": log(90, 360, _LENGTH),
    "distractions.kinds.paperwork.notice_probability": uniform(0.5, 1.0, (
        "assumption: paperwork at the counter leaves the eyes free more often than not")),
    "distractions.kinds.critical_task.idle_rate_per_hour": log(0.1, 1.0, (
        "assumption (the pharmacist counting medication): from once in ten idle hours to "
        "once an idle hour")),
    "distractions.kinds.critical_task.duration.mean_s": log(45, 180, _LENGTH),
    "distractions.kinds.critical_task.notice_probability": uniform(0.7, 1.0, (
        "assumption: a clerk on a critical task at the counter sees a newcomer (1) or "
        "misses three in ten")),
    "distractions.kinds.argument.idle_rate_per_hour": log(0.005, 0.08, (
        "assumption, rare: from once in 200 idle hours to once in about 12")),
    "distractions.kinds.argument.duration.mean_s": log(300, 1200, _LENGTH),
    "distractions.kinds.argument.notice_probability": uniform(0.05, 0.5, (
        "assumption: a clerk in an argument rarely notices a newcomer")),
    "distractions.kinds.argument.balk_extra_probability": uniform(0.1, 0.5, (
        "assumption: an unpleasant scene turns some arrivals away")),
    "distractions.kinds.argument.patience_drain": uniform(1.0, 3.0, (
        "assumption: waiting in front of a row feels from no longer to three times as "
        "long")),
    "distractions.kinds.*.idle_rate_per_hour": log(0.1, 5, _ADDED_KIND + (
        "from a rare episode to a frequent one")),
    "distractions.kinds.*.duration.mean_s": log(30, 600, _ADDED_KIND + (
        "from half a minute to ten minutes")),
    "distractions.kinds.*.notice_probability": uniform(0.2, 0.8, _ADDED_KIND + _NOTICE),
    "distractions.kinds.*.serving_rate_per_hour": Structural(_KIND_OFF),
    "distractions.kinds.*.balk_extra_probability": Structural(_KIND_OFF),
    "distractions.kinds.*.patience_drain": Structural(_KIND_OFF),
}

_SECTIONS: dict[str, Range | Structural] = {
    "distractions.rate_multiplier": Structural(
        "a scaling knob over every kind's rates (1 = the rates as given): the uncertainty is "
        "in each kind's rates, which have ranges; varying both would count it twice"),
    "distractions.divided_attention_slowdown": uniform(0.25, 0.75, (
        "assumption: from a quarter to three quarters of the attention on a personal call")),
    "distractions.repeat_rate": log(0.02, 0.1, "assumption: half to double"),
    "distractions.repeat_multiplier": uniform(1.5, 3.0, (
        "Altmann et al. 2014: brief interruptions double error rates (a lab study); at a "
        "counter from 1.5 to 3")),
    "staff_rules.on_quiet_idle_share": uniform(0.1, 0.4, (
        "assumption: only urgent personal calls are left, from a tenth to two fifths")),
    "staff_rules.not_in_view_rate_share": uniform(0.3, 0.8, (
        "assumption: leaving the counter to chat is a hurdle of uncertain height")),
    "traits.speed_per_z": uniform(0.1, 0.3, "assumption: half to one and a half"),
    "traits.speed_weights.conscientiousness": uniform(0.1, 0.3, (
        "Barrick & Mount 1991: the one trait that predicts performance in every job, with a "
        "validity about 0.2")),
    "traits.speed_weights.emotional_stability": uniform(0.0, 0.2, (
        "Barrick & Mount 1991, Hurley 1998: small and variable across jobs")),
    "traits.speed_weights.agreeableness": uniform(0.0, 0.2, (
        "Barrick & Mount 1991, Hurley 1998: small and variable across jobs")),
    "traits.speed_weights.extraversion": uniform(0.0, 0.2, (
        "Barrick & Mount 1991, Hurley 1998: small and variable across jobs")),
    "traits.speed_weights.openness": uniform(0.0, 0.1, (
        "Barrick & Mount 1991: openness does not predict overall performance; at most a "
        "small effect")),
    "traits.distraction_per_z": uniform(0.1, 0.3, (
        "assumption, sourced direction: half to one and a half")),
    "traits.acknowledgment_per_z": uniform(0.05, 0.3, (
        "assumption, sourced direction (Hurley 1998): a third to double")),
    "traits.chatter_per_z": uniform(0.0, 0.1, "assumption: from none to double"),
    "traits.composure_per_z": uniform(0.0, 0.2, "assumption: from none to double"),
}

_TEMPERAMENTS: dict[str, Range | Structural] = {
    "temperament.mix.calm": Structural(
        "the remainder: the calm share is whatever the other temperaments leave (the shares "
        "add up to 1; to_override sets it)"),
    "temperament.mix.frustrated": uniform(0.1, 0.3, _TEMPERAMENT + "half to one and a half"),
    "temperament.mix.angry": uniform(0.05, 0.2, _TEMPERAMENT + "half to double"),
    "temperament.mix.needs_clarification": uniform(0.05, 0.2, _TEMPERAMENT + "half to double"),
    "temperament.mix.*": uniform(0.0, 0.2, "a temperament a scenario adds: up to one in five"),
    "temperament.patience.calm": Structural(_REFERENCE.format(
        what="patience distribution", where="demand.*.patience")),
    "temperament.patience.frustrated": uniform(0.6, 1.0, _TEMPERAMENT + (
        "from no effect to a 40% shorter patience")),
    "temperament.patience.angry": uniform(0.4, 0.9, _TEMPERAMENT + (
        "from a slightly to a much shorter patience")),
    "temperament.patience.needs_clarification": uniform(1.0, 1.5, _TEMPERAMENT + (
        "from a calm customer's patience to half as long again")),
    "temperament.patience.*": uniform(0.5, 1.5, (
        "a temperament a scenario adds: half to one and a half times a calm customer's")),
    "temperament.service.calm": Structural(_REFERENCE.format(
        what="service distribution", where="demand.*.service")),
    "temperament.service.frustrated": uniform(1.0, 1.3, _TEMPERAMENT + (
        "from no effect to 30% longer")),
    "temperament.service.angry": uniform(1.1, 1.6, _TEMPERAMENT + "10% to 60% longer"),
    "temperament.service.needs_clarification": uniform(1.2, 2.0, _TEMPERAMENT + (
        "a fifth longer to double")),
    "temperament.service.*": uniform(1.0, 2.0, (
        "a temperament a scenario adds: from a calm customer's service time to double")),
    "temperament.party_sizes": Structural(
        "a distribution over party sizes (a vector adding up to 1), not one number; it "
        "only counts the people lost with walkouts (walkout_people), which no shipped "
        "experiment compares"),
}

BEHAVIOUR_RANGES: dict[str, Range | Structural] = {**_KINDS, **_SECTIONS, **_TEMPERAMENTS}
