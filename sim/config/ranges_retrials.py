"""Plausible ranges, part 4: retrials (``[retrials]``; assembled in
:data:`sim.config.ranges.RANGES`; sources in ``docs/parameters.md``, "Retrials")."""

from __future__ import annotations

from sim.config.range_types import Range, log, uniform

_BANK = ("fitted on the bank month (docs/calibration.md: 1,737 identified abandoners "
         "followed for an hour): the 95% interval; a counter's callers may differ from a "
         "bank's, and an hour's window misses later retries")
_NO_DATA = "assumption, no walk-in log fitted: "

RETRIAL_RANGES: dict[str, Range] = {
    "retrials.failed_attempt_share": uniform(0.0, 0.5, (
        "assumption, no study: from a failed attempt that costs nothing beyond its wait to "
        "one that weighs like waiting half one's patience")),
    "retrials.phone.probability": uniform(0.402, 0.448, "Wilson interval " + _BANK),
    "retrials.phone.delay.mean_s": uniform(851, 984, "χ² interval of the exponential mean "
                                           + _BANK),
    "retrials.phone.max_retries": uniform(1, 5, (
        "assumption: the bank log follows one return per abandonment; callers who keep "
        "failing give up after a few tries")),
    "retrials.walk_in.probability": uniform(0.05, 0.4, _NO_DATA + (
        "a walk-in who left comes back the same day less often than a caller rings again "
        "(it costs a trip)")),
    "retrials.walk_in.delay.mean_s": log(600, 7200, _NO_DATA + (
        "from ten minutes (came back from next door) to two hours")),
    "retrials.walk_in.max_retries": uniform(1, 3, _NO_DATA + "one to three trips a day"),
}
