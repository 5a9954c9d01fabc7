"""Plausible ranges, part 3: loyalty, money, market, patrons, run and the conduct levers
(assembled in :data:`sim.config.ranges.RANGES`; sources in ``docs/parameters.md``; the
conduct ranges are the "plausible range" column of its "Conduct" table)."""

from __future__ import annotations

from sim.config.range_types import Range, Structural, log, uniform

_PENALTY = ("assumption: satisfaction lost to this harm, from about a third of the default "
            "to one and a half times it or more; generous (with bad_below it decides which "
            "harms turn an experience bad)")
_SENSITIVITY = "assumption (the temperament factor): "
_CONDUCT_TABLE = "assumption (the plausible range of the \"Conduct\" table above)"

_LOYALTY: dict[str, Range | Structural] = {
    "loyalty.walkout_penalty": uniform(0.6, 1.0, (
        "assumption: a walkout is always a bad experience (the model counts it bad at any "
        "penalty); the penalty only sets how low its score falls")),
    "loyalty.wait_penalty": uniform(0.2, 0.8, _PENALTY),
    "loyalty.ignored_penalty": uniform(0.1, 0.5, _PENALTY),
    "loyalty.divided_attention_penalty": uniform(0.1, 0.5, _PENALTY),
    "loyalty.overtaken_penalty": uniform(0.1, 0.5, _PENALTY),
    "loyalty.scrutinised_penalty": uniform(0.15, 0.6, _PENALTY),
    "loyalty.unresolved_penalty": uniform(0.15, 0.6, _PENALTY),
    "loyalty.thanked_bonus": uniform(0.0, 0.2, (
        "assumption: small, up to double; no larger recovery bonus (de Matos et al. 2007: "
        "service recovery does not raise repurchase)")),
    "loyalty.bad_below": uniform(0.3, 0.7, (
        "assumption: where an experience turns bad, from a lenient 0.3 to a strict 0.7 "
        "(generous: with the penalties it decides which contacts can churn)")),
    "loyalty.delighted_at": uniform(0.85, 1.0, "assumption: near-perfect experiences only"),
    "loyalty.churn_after_one_bad": log(0.03, 0.25, (
        "derived from PwC 2018 (after one bad experience 32% across 12 countries, 17% in the "
        "US, say they would leave a brand they love; stated intentions overstate what people "
        "do); capped at churn_after_two_bad's low end so that every combination keeps the "
        "cumulative chance growing")),
    "loyalty.churn_after_two_bad": uniform(0.25, 0.75, (
        "derived (cumulative after two bad experiences): PwC 2018 also reports that 59% of US "
        "respondents would walk away after several; a quarter to three quarters (generous: "
        "verdicts on churn turn on it)")),
    "loyalty.churn_after_further_bad": uniform(0.0, 0.41, (
        "from the documented rule (0: the chance stays at churn_after_two_bad) to the second "
        "bad experience's conditional chance, ≈ 0.41 (it keeps growing)")),
    "loyalty.unequal_multiplier": uniform(1.0, 3.0, (
        "assumption, sourced direction: the sensitivity experiment's range")),
    "loyalty.sensitivity.calm": Structural(
        "the reference temperament: the penalties are a calm customer's, and their "
        "uncertainty is carried there (loyalty.*_penalty)"),
    "loyalty.sensitivity.frustrated": uniform(1.0, 1.6, _SENSITIVITY + (
        "from a calm customer's to 60% more")),
    "loyalty.sensitivity.angry": uniform(1.2, 2.2, _SENSITIVITY + "20% more to more than double"),
    "loyalty.sensitivity.needs_clarification": uniform(0.9, 1.4, _SENSITIVITY + (
        "slightly less to 40% more than a calm customer")),
    "loyalty.sensitivity.*": uniform(0.8, 2.0, (
        "a temperament a scenario adds: from slightly less than a calm customer to double")),
}

_BOOKS = ("the counter's own books (pay scale, contracts, rent): a fact it knows, and it "
          "changes no simulated outcome, only staff_cost, fixed_cost and net_value")

_MONEY: dict[str, Range | Structural] = {
    "money.margin_share": uniform(0.15, 0.5, "assumption: margins of retail and services"),
    "money.visits_per_year": log(4, 24, "assumption: a third to double the monthly visit"),
    "money.annual_retention": uniform(0.6, 0.9, "assumption: a satisfied patron's yearly stay"),
    "money.discount_rate": uniform(0.05, 0.15, "assumption: half to one and a half"),
    "money.staff_cost_per_hour.counter": Structural(_BOOKS),
    "money.staff_cost_per_hour.phone": Structural(_BOOKS),
    "money.staff_cost_per_hour.both": Structural(_BOOKS),
    "money.contracted_hours_per_day": Structural(_BOOKS),
    "money.overtime_rate": Structural(_BOOKS),
    "money.fixed_cost_per_open_hour": Structural(_BOOKS),
    "market.new_patrons_per_day": Structural(
        "\"balanced\" is a rule (replace the patrons a satisfied pool loses), not a quantity; "
        "a number is a scenario's own growth"),
    "market.referral_probability": log(0.007, 0.028, (
        "calibrated to keep the pool level at 2-3% walkouts (its row above): half to "
        "double")),
    "market.word_of_mouth_loss": uniform(0.0, 1.5, (
        "assumption: from no word of mouth to one and a half would-be patrons per patron "
        "lost")),
    "market.open_days_per_year": Structural("the counter's calendar: a fact it knows"),
    "patrons.pool_size": Structural(
        "the size of the population modelled: each patron's contact rate is calibrated to "
        "the arrival rates, so it is a modelling choice, not a property of the world"),
    "patrons.plain_share": uniform(0.1, 0.4, "assumption: the sensitivity experiment's range"),
    "patrons.spend_mean": log(20, 80, (
        "assumption, in an unspecified currency unit: half to double")),
    "patrons.spend_cv": log(0.5, 2.0, "assumption: half to double"),
    "patrons.appearance_spend_correlation": uniform(-0.2, 0.4, (
        "design choice at 0 (looks say nothing about spend, the premise of the customer-"
        "service writing); from a weak negative to a moderate positive link")),
    "patrons.top_tier_share": Structural(
        "a definition: which patrons the counter counts as its top tier (the biggest-spending "
        "fifth)"),
    "patrons.resolve_probability": uniform(0.75, 0.98, (
        "assumption: most served matters are resolved")),
    "patrons.thank_probability": uniform(0.3, 0.9, "assumption: half to one and a half"),
    "run.warmup_s": Structural("a measurement setting: a real day starts empty"),
    "run.days": Structural("a measurement setting: the horizon of the run"),
}

_CONDUCT: dict[str, Range | Structural] = {
    "resolution.knowledge": uniform(0.7, 0.98, _CONDUCT_TABLE),
    "resolution.knowledge_per_z": uniform(0.0, 1.0, _CONDUCT_TABLE + ", sourced direction"),
    "resolution.divided_multiplier": uniform(1.5, 3.0, (
        "Altmann et al. 2014 (interruptions double error rates, lab)")),
    "resolution.fit_per_z": uniform(0.0, 0.6, _CONDUCT_TABLE + ", sourced direction"),
    "conduct.apology_s": log(10, 90, _CONDUCT_TABLE),
    "conduct.calm_probability": uniform(0.4, 0.9, _CONDUCT_TABLE),
    "conduct.thank_s": log(2, 15, _CONDUCT_TABLE),
    "conduct.name_s": log(1, 10, _CONDUCT_TABLE),
    "conduct.name_bonus": uniform(0.0, 0.1, "assumption: up to the thanks bonus"),
    "conduct.regular_after_visits": uniform(1, 5, _CONDUCT_TABLE),
    "conduct.permission_share": uniform(0.05, 0.5, "assumption, as on_quiet_idle_share"),
    "conduct.ask_s": log(2, 15, _CONDUCT_TABLE),
    "conduct.permission_penalty": uniform(0.0, 0.3, (
        "assumption: up to loyalty.divided_attention_penalty's default")),
    "conduct.back_room_s": log(10, 120, _CONDUCT_TABLE),
    "complaints.probability": uniform(0.04, 0.5, (
        "assumption: most dissatisfied customers never complain")),
    "complaints.handle_s": log(120, 900, _CONDUCT_TABLE),
    "complaints.ignored_multiplier": uniform(1.0, 3.0, (
        "assumption, sourced direction (an ignored complaint hurts more than the incident)")),
    "complaints.recovered_multiplier": uniform(0.0, 1.0, (
        "assumption: recovery restores part of the loyalty, not more (de Matos et al. 2007)")),
    "email_replies.form_letter_resolve": uniform(0.3, 0.8, _CONDUCT_TABLE),
    "email_replies.on_point_extra_s": log(30, 300, _CONDUCT_TABLE),
    "email_replies.late_scale_s": log(3600, 86400, (
        "assumption: from an hour to a day of lateness costs the whole wait penalty")),
}

PATRON_RANGES: dict[str, Range | Structural] = {**_LOYALTY, **_MONEY, **_CONDUCT}
