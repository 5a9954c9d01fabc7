"""Physical maxima of the schema: the largest value each kind of quantity may take.

They are far beyond any counter (and beyond the validation queues and benchmarks), and
stop values that can only be typing mistakes or would make one replication exhaust memory
or never finish: a rate of 10⁷ per hour, a mean service time of 10³⁰⁸ s, 100 000 staff, a
99 999-hour day. Each limit, its unit and the reason are listed in ``docs/parameters.md``
("Limits"); the resource guard (:mod:`sim.preflight.guard`) bounds the total work on top.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

MAX_RATE_PER_HOUR = 100_000.0
"""Arrivals per hour on one channel (about 28 a second; a busy counter sees tens an hour)."""
MAX_PROFILE_MULTIPLIER = 100.0
"""A slot's multiplier on the channel's rate (the busiest slot of a day is rarely 3×)."""
MAX_DURATION_S = 1_000_000.0
"""A mean, median or fixed duration, a target or a delay, in seconds (about 11.6 days)."""
MAX_CV = 100.0
"""Coefficient of variation of a lognormal duration."""
MAX_SIGMA = 5.0
"""σ of ln(duration) of a lognormal by median (the mean is then e^12.5 ≈ 270 000 × median)."""
MIN_SHAPE = 0.1
"""Weibull shape k: below it the spread passes the lognormal's (k = 0.1: CV ≈ 430, mean
3.6 million × scale) and draws λ·E^(1/k) leave any physical range (k < 0.006: overflow)."""
MAX_SHAPE = 100.0
"""Weibull shape k (k = 100 is already within 2% of a fixed duration)."""
MAX_QUANTILES = 1001
"""Values of an empirical distribution's quantile table (every 0.1 percentile)."""
MAX_DAY_RATE_CV = 5.0
"""CV of a channel's day-level rate factor (gamma, mean 1: at 5 most days see almost no
arrivals and a rare one a hundred times the mean)."""
MAX_STAFF = 10_000
"""Staff members of one role on duty at once."""
MAX_DAY_HOURS = 8_760
"""From opening to closing, hours (one year: the longest validation horizon one may want)."""
MAX_POOL = 10_000_000
"""Patrons in the initial pool (each costs memory in every replication)."""
MAX_PHONE_LINES = 1_000_000
"""Phone lines (calls in the system before new ones are blocked)."""
MAX_WAITING = 1_000_000
"""Walk-ins waiting that nobody minds (``balking.free_waiting``)."""


def show_limit(limit: float) -> str:
    """A limit as a user would type it: ``100000``, ``8760``, ``0.5``."""
    return str(int(limit)) if float(limit).is_integer() else f"{limit:g}"


def at_most(limit: float, unit: str, why: str) -> AfterValidator:
    """Validator: the value is at most ``limit`` (in ``unit``); the message says why."""

    def check(value: float) -> float:
        if value > limit:
            words = [f"must be at most {show_limit(limit)}", unit, f"({why})" if why else ""]
            raise ValueError(" ".join(w for w in words if w))
        return value

    return AfterValidator(check)


Rate = Annotated[float, Field(ge=0, allow_inf_nan=False),
                 at_most(MAX_RATE_PER_HOUR, "per hour", "the physical limit of one channel")]
ProfileMultiplier = Annotated[float, Field(ge=0, allow_inf_nan=False),
                              at_most(MAX_PROFILE_MULTIPLIER, "×", "a slot's multiplier")]
Seconds = Annotated[float, Field(gt=0, allow_inf_nan=False),
                    at_most(MAX_DURATION_S, "s", "about 11.6 days; use dist = \"infinite\" "
                            "for patience that never runs out")]
SecondsOrZero = Annotated[float, Field(ge=0, allow_inf_nan=False),
                          at_most(MAX_DURATION_S, "s", "about 11.6 days")]
Cv = Annotated[float, Field(gt=0, allow_inf_nan=False), at_most(MAX_CV, "", "")]
Sigma = Annotated[float, Field(gt=0, allow_inf_nan=False), at_most(MAX_SIGMA, "", "")]
Shape = Annotated[float, Field(ge=MIN_SHAPE, allow_inf_nan=False),
                  at_most(MAX_SHAPE, "", "a Weibull shape of 100 is already nearly fixed")]
DayRateCv = Annotated[float, Field(ge=0, allow_inf_nan=False),
                      at_most(MAX_DAY_RATE_CV, "", "the day factor's coefficient of variation")]
StaffCount = Annotated[int, Field(ge=0), at_most(MAX_STAFF, "staff", "per role on duty at once")]
