"""Plausible ranges, part 1: hours, demand, staff, acknowledgment, phone handling,
treatment and balking (assembled in :data:`sim.config.ranges.RANGES`; sources in
``docs/parameters.md``)."""

from __future__ import annotations

from sim.config.range_types import Range, Structural, log, uniform

STAFFING = Structural("staffing is a decision, not an uncertain quantity: the study compares "
                      "policies at the staffing the scenario gives")
_LOAD = ("assumption (a busy small counter): a quarter either way, the load a manager knows "
         "roughly; staff stay as scheduled, so this spans a quieter and a busier counter")
_SERVICE_CV = ("assumption: from routine transactions (CV 0.5) to a little above the spread "
               "measured on calls (1.24, the bank month)")
_PHONE_SERVICE = ("fitted on a bank's call centre (January 1999, 26,429 served calls): the "
                  "95% bootstrap interval; a counter's phone line may differ from a bank's")
_PHONE_PATIENCE = ("fitted by censored maximum likelihood on the bank month (3,101 "
                   "abandonments): the 95% interval; a counter's callers may differ from a "
                   "bank's (experiments/sensitivity.py tries medians of 60 and 600 s)")

DEMAND_RANGES: dict[str, Range | Structural] = {
    "hours.slot_minutes": Structural(
        "the planning grid the arrival profiles are written on: a modelling choice"),
    "demand.walk_in.rate_per_hour": uniform(18, 30, _LOAD),
    "demand.phone.rate_per_hour": uniform(9, 15, _LOAD),
    "demand.email.rate_per_hour": log(1, 12, (
        "assumption, no data: from one e-mail an hour to one every five minutes (a quarter "
        "to three times the default); e-mail work fills the staff's idle time, so it decides "
        "how much slack the counter has (generous: verdicts turn on it)")),
    "demand.*.profile": Structural(
        "the shape of the day, one multiplier per slot: a vector, not one uncertain number; "
        "the study varies each channel's level (rate_per_hour) and its day-to-day variation "
        "(day_rate_cv)"),
    "demand.*.day_rate_cv": uniform(0, 0.3, (
        "from pure Poisson (0, the default) to a little above the day-level CV fitted on the "
        "bank month's weekday calls, 0.20 [0.14, 0.25] (docs/calibration.md)")),
    "demand.walk_in.service.mean_s": log(180, 320, (
        "assumption (no walk-in log fitted): three to five and a third minutes a "
        "transaction; the sensitivity experiment's 180-300 s, widened upward")),
    "demand.walk_in.service.cv": uniform(0.5, 1.3, _SERVICE_CV),
    "demand.walk_in.patience.median_s": log(150, 600, (
        "derived from waiting-tolerance surveys (median 4.9 min), not from a walk-in log: "
        "half to double")),
    "demand.walk_in.patience.sigma": uniform(0.7, 2.0, (
        "derived from surveys (σ 1.43 of ln minutes), not from a walk-in log; it sets how "
        "many walk out at a given wait: from half the surveys' spread to a little above the "
        "1.88 fitted on the bank's callers (generous: verdicts turn on it)")),
    "demand.phone.service.mean_s": uniform(183, 189, _PHONE_SERVICE),
    "demand.phone.service.cv": uniform(1.19, 1.27, _PHONE_SERVICE),
    "demand.phone.patience.median_s": uniform(332, 379, _PHONE_PATIENCE),
    "demand.phone.patience.sigma": uniform(1.83, 1.93, _PHONE_PATIENCE),
    "demand.phone.hold_patience.mean_s": log(30, 600, (
        "assumption, no study of callers held for a walk-in: callers asked to hold tolerate "
        "from half a minute to ten minutes (generous: the hold-and-greet verdict turns on "
        "it)")),
    "demand.phone.lines": Structural(
        "the installation's capacity (trunks), like staffing: a decision the counter has "
        "made and knows, not an uncertain quantity; study it as a factor "
        "(--factor demand.phone.lines=2,4,8)"),
    "demand.email.service.mean_s": log(120, 900, (
        "assumption, no data: a reply takes from two minutes (a form answer) to a quarter of "
        "an hour (looking things up); generous: e-mail work decides the staff's slack")),
    "demand.email.service.cv": uniform(0.5, 1.3, _SERVICE_CV),
    "demand.email.target_s": Structural(
        "a target: what the counter counts as answered in time (a same-day reply)"),
    "staff.counter": STAFFING,
    "staff.phone": STAFFING,
    "staff.both": STAFFING,
    "staff.schedule.*.counter": STAFFING,
    "staff.schedule.*.phone": STAFFING,
    "staff.schedule.*.both": STAFFING,
    "staff.traits.*.*": Structural(
        "one member's Big Five z-scores when staff.traits lists them: a fact about a given "
        "roster; the baseline draws them at random, and the trait effects (traits.*) carry "
        "ranges"),
    "staff.bias": uniform(0.25, 1.0, (
        "assumption: how strongly a clerk acts on appearance is not measured; from a quarter "
        "of the as-found counter's full bias to full (1, the default)")),
    "acknowledgment.notice_delay_s": log(1, 10, (
        "assumption: an attentive clerk notices a newcomer within seconds, not minutes")),
    "acknowledgment.patience_multiplier": uniform(1.0, 2.7, (
        "bounded by no effect (1.0) and Munichor & Rafaeli 2007's 2.7 for announcing queue "
        "position, a stronger intervention")),
    "acknowledgment.target_s": Structural("a target: what counts as a prompt greeting"),
    "phone_handling.answer_target_s": Structural(
        "a target: the 80/20 call-centre convention's 20 s"),
    "phone_handling.greet_s": log(5, 30, (
        "assumption: \"please hold a moment\" and a word to the walk-in take a few seconds "
        "to half a minute")),
    "discipline.overtake_probability": uniform(0.1, 0.6, (
        "assumption, direction sourced: the sensitivity experiment's range")),
    "discipline.plain_ack_multiplier": uniform(1.0, 3.0, (
        "assumption, direction sourced: from no delay to plain customers greeted three "
        "times later")),
    "discipline.head_start_s": Structural(
        "the head_start policy's own setting: how much of a head start the counter grants "
        "its top tier is its decision"),
    "balking.free_waiting": uniform(3, 8, (
        "derived from Lu et al. 2013 (walk-ins react to the visible line): the line nobody "
        "minds, three to eight people")),
    "balking.per_extra_waiting": log(0.01, 0.04, (
        "derived from Lu et al. 2013: half to double (the sensitivity experiment's range)")),
    "balking.max_probability": uniform(0.7, 1.0, (
        "part of the derived formula: from three in ten still joining a very long line to "
        "none")),
}
