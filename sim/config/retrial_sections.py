"""Scenario section ``[retrials]``: customers who walked out try again the same day.

Off by default (``enabled = false``): a scenario that does not mention it gives exactly the
results of the model without retrials. When on, a caller who was blocked or hung up
calls again with ``retrials.phone.probability`` after a ``retrials.phone.delay``, up to
``max_retries`` times; a walk-in who balked or reneged comes back with the
``retrials.walk_in`` settings. Defaults, units, sources and plausible ranges:
``docs/parameters.md``, "Retrials"; the mechanism: ``docs/model.md``, "Retrials".
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sim.config.distributions import Duration, Exponential
from sim.config.fields import Frozen, Probability

MAX_RETRIES = 1000
"""Retries per customer and day at most (a caller who tries a thousand times is a typo)."""

Retries = Annotated[int, Field(ge=0, le=MAX_RETRIES)]


class PhoneRetrials(Frozen):
    """Callers who were blocked (every line busy) or hung up (abandoned while ringing or on
    hold): each calls again with ``probability`` after ``delay`` (seconds from leaving),
    at most ``max_retries`` times a day. Defaults: the bank month's retrial estimate
    (``docs/calibration.md``): 42.5% of abandoners call again within the hour, delays
    exponential with mean 914 s."""

    probability: Probability = 0.425
    delay: Duration = Field(
        default_factory=lambda: Exponential(dist="exponential", mean_s=914.0))
    max_retries: Retries = 3


class WalkInRetrials(Frozen):
    """Walk-ins who balked or reneged (either kind): each comes back with ``probability``
    after ``delay`` (seconds from leaving), at most ``max_retries`` times a day. The
    defaults are an assumption (no walk-in log has been fitted): one in five comes back,
    after half an hour on average, once."""

    probability: Probability = 0.2
    delay: Duration = Field(
        default_factory=lambda: Exponential(dist="exponential", mean_s=1800.0))
    max_retries: Retries = 1


class Retrials(Frozen):
    """Retrials the same day (``enabled``: off by default). A retry is a new contact of the
    same patron on the same channel, with the same matter (service requirement, spend,
    temperament, resolution) and fresh patience; a retry that would come at or after
    closing time does not happen. The patron's experience is judged once, on the last
    attempt of the day: its wait counts the time waited on every attempt, and each earlier
    failed attempt adds ``failed_attempt_share`` of the customer's patience to it."""

    enabled: bool = False
    failed_attempt_share: Probability = 0.25
    phone: PhoneRetrials = Field(default_factory=PhoneRetrials)
    walk_in: WalkInRetrials = Field(default_factory=WalkInRetrials)
