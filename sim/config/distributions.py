"""Duration distributions of the scenario schema (service times, patience, distractions)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sim.config.fields import Frozen
from sim.config.limits import Cv, Seconds, SecondsOrZero, Sigma


class Exponential(Frozen):
    """Exponential durations with the given mean (seconds)."""

    dist: Literal["exponential"]
    mean_s: Seconds


class Lognormal(Frozen):
    """Lognormal durations by mean (seconds) and coefficient of variation."""

    dist: Literal["lognormal"]
    mean_s: Seconds
    cv: Cv


class LognormalMedian(Frozen):
    """Lognormal durations by median (seconds) and sigma of ln(duration)."""

    dist: Literal["lognormal_median"]
    median_s: Seconds
    sigma: Sigma


class Deterministic(Frozen):
    """Always the same duration (seconds)."""

    dist: Literal["deterministic"]
    value_s: SecondsOrZero


class Infinite(Frozen):
    """Never runs out (infinite patience)."""

    dist: Literal["infinite"]


Duration = Annotated[
    Exponential | Lognormal | LognormalMedian | Deterministic,
    Field(discriminator="dist"),
]
Patience = Annotated[
    Exponential | Lognormal | LognormalMedian | Deterministic | Infinite,
    Field(discriminator="dist"),
]
