"""Scenario sections for the virtual queue: callbacks offered to callers who would wait long,
and announcements of the expected wait to those waiting.

Both are off by default (the counter as modelled before these sections existed): a scenario
that does not mention them gives exactly the old results. The *expected wait* both use is
``ahead × mean service ÷ staff``: the customers waiting ahead on the channel (for a call,
pending callbacks included), times the channel's mean service time (seconds), divided by the
staff on duty who serve the channel (infinite with none on duty; 0 with nobody ahead).
Defaults, units and plausible ranges: ``docs/parameters.md``, "Callbacks and wait
announcements"; the mechanism: ``docs/model.md``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sim.config.distributions import Duration, Lognormal
from sim.config.fields import Frozen, Probability
from sim.config.limits import MAX_DURATION_S, SecondsOrZero, at_most
from sim.errors import ConfigError

Deadline = Annotated[float, Field(gt=0, allow_inf_nan=False),
                     at_most(MAX_DURATION_S, "s", "about 11.6 days")]
Factor = Annotated[float, Field(gt=0.0, le=10.0, allow_inf_nan=False)]


class Callbacks(Frozen):
    """Offer a ringing caller a callback when the expected wait exceeds ``threshold_s``.

    A caller who joins the phone line with an expected wait above ``threshold_s`` seconds is
    offered a callback and accepts with ``accept_probability``: they hang up (freeing the
    phone line) and keep their place in the phone queue. Staff who take calls make the
    callback when its turn comes (callbacks rank among waiting callers by the time the caller
    first rang), during opening hours only; it lasts a ``handling`` draw (seconds) and is on
    time if it starts within ``deadline_s`` of the request. On time: judged as served, the
    wait being the time on the line before the offer. Late: judged as a walkout (a bad
    experience). Not made by closing: the caller is abandoned (a phone walkout).
    """

    enabled: bool = False
    threshold_s: SecondsOrZero = 120.0
    accept_probability: Probability = 0.6
    handling: Duration = Field(
        default_factory=lambda: Lognormal(dist="lognormal", mean_s=200.0, cv=1.24))
    deadline_s: Deadline = 3600.0


class Announcements(Frozen):
    """Tell each walk-in and caller who joins a line with someone waiting ahead their
    position and expected wait W (seconds). With remaining patience R: if W ≤
    ``patience_factor`` × R, the remaining patience becomes ``patience_factor`` × R (a known
    wait is easier to bear); else the customer leaves at once (they will not wait that long).
    """

    enabled: bool = False
    patience_factor: Factor = 1.25


class _Bare(str):
    """A value shown to the user as is (``true``, not ``'true'``) in an error message."""

    def __repr__(self) -> str:
        return str(self)


def check_virtual_queue(callbacks: Callbacks, phone_open: bool, phone_staff: int) -> None:
    """Raise :class:`ConfigError` when callbacks are on but nobody could be called back: no
    calls arrive (``phone_open`` False) or no staff member ever takes phone work
    (``phone_staff``: the most phone or pooled staff on duty at once)."""
    if not callbacks.enabled:
        return
    if not phone_open:
        raise ConfigError("callbacks.enabled", _Bare("true"),
                          "needs calls to call back, but demand.phone has no arrivals; give "
                          "demand.phone.rate_per_hour > 0 or set callbacks.enabled = false")
    if phone_staff == 0:
        raise ConfigError("callbacks.enabled", _Bare("true"),
                          "needs staff who take phone work to make the callbacks, but "
                          "staff.phone = 0 and staff.both = 0 in every shift; give phone or "
                          "pooled staff, or set callbacks.enabled = false")
