"""Duration distributions of the scenario schema (service times, patience, distractions)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sim.config.fields import Frozen, NonNegativeFloat, PositiveFloat


class Exponential(Frozen):
    """Exponential durations with the given mean (seconds)."""

    dist: Literal["exponential"]
    mean_s: PositiveFloat


class Lognormal(Frozen):
    """Lognormal durations by mean (seconds) and coefficient of variation."""

    dist: Literal["lognormal"]
    mean_s: PositiveFloat
    cv: PositiveFloat


class LognormalMedian(Frozen):
    """Lognormal durations by median (seconds) and sigma of ln(duration)."""

    dist: Literal["lognormal_median"]
    median_s: PositiveFloat
    sigma: PositiveFloat


class Deterministic(Frozen):
    """Always the same duration (seconds)."""

    dist: Literal["deterministic"]
    value_s: NonNegativeFloat


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
