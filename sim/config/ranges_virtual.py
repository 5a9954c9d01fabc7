"""Plausible ranges, part 4: callbacks and wait announcements (assembled in
:data:`sim.config.ranges.RANGES`; the mechanism in ``docs/model.md``, the keys in
``docs/parameters.md``, "Callbacks and wait announcements")."""

from __future__ import annotations

from sim.config.range_types import Range, Structural, log, uniform

VIRTUAL_QUEUE_RANGES: dict[str, Range | Structural] = {
    "callbacks.threshold_s": Structural(
        "a house rule the planner sets (the experiments compare several), not an uncertain "
        "quantity"),
    "callbacks.deadline_s": Structural(
        "the promise made to the caller (\"we will call you back within the hour\"): a house "
        "rule"),
    "callbacks.accept_probability": uniform(0.3, 0.8, (
        "assumption: from under a third to most callers offered a callback take it")),
    "callbacks.handling.mean_s": log(150, 300, (
        "assumption: about a call's handling time (186 s fitted) plus dialling and reaching "
        "the customer, known to within a factor of two")),
    "callbacks.handling.cv": uniform(0.8, 1.6, (
        "assumption: around the fitted call-time cv 1.24")),
    "announcements.patience_factor": uniform(0.9, 1.6, (
        "assumption, direction sourced: a known wait feels shorter than an uncertain one "
        "(Maister 1985) and queue-position information lowers abandonment (Munichor & Rafaeli "
        "2007), but a long announced wait can discourage (Yu, Allon & Bassamboo 2017): from "
        "10% less to 60% more remaining patience")),
}
