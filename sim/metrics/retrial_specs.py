"""The retrial metrics' declarations (family ``retrials``), kept apart from
:mod:`sim.metrics.catalogue`, which expands them like every other family. A leaf module."""

from __future__ import annotations

from typing import Literal

Spec = tuple[str, Literal["count", "mean", "share", "seconds", "money"], str,
             Literal["higher", "lower"] | None, str]

RETRIAL_NOTE = ("Reported only when `retrials.enabled` is true; over contacts that arrived "
                "after warm-up, split by channel. A retry is a patron's second or later "
                "attempt of the day; `arrivals`, `walkouts` and `walkout_rate` count every "
                "attempt.")

RETRIAL_SPECS: tuple[Spec, ...] = (
    ("retries", "count", "contacts", None,
     "Retries that arrived: contacts that were a patron's second or later attempt of the day."),
    ("retry_share", "share", "share (0-1)", None, "Retries / arrivals."),
    ("walkout_rate_first_attempt", "share", "share (0-1)", "lower",
     "Walkouts / first attempts that left (arrivals less in_system_end)."),
    ("walkout_rate_retry", "share", "share (0-1)", "lower",
     "Walkouts / retries that left (NaN without retries)."),
    ("final_walkouts", "count", "contacts", "lower",
     "Walkouts after which the patron did not try again today (gave up, no tries left, or "
     "the retry would have come after closing)."),
    ("final_walkout_rate", "share", "share (0-1)", "lower",
     "Final walkouts / first attempts: the share of customers' days that ended in a walkout."),
    ("retries_after_close", "count", "contacts", None,
     "Walkouts who would have tried again, but only at or after closing time (no retry)."),
)
