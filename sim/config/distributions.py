"""Duration distributions of the scenario schema (service times, patience, distractions)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from sim.config.fields import Frozen
from sim.config.limits import MAX_QUANTILES, Cv, Seconds, SecondsOrZero, Shape, Sigma


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


class Weibull(Frozen):
    """Weibull durations: survival exp(-(t/scale_s)^shape), scale in seconds."""

    dist: Literal["weibull"]
    shape: Shape
    scale_s: Seconds


class Gamma(Frozen):
    """Gamma durations by mean (seconds) and coefficient of variation (shape 1/cv²,
    scale mean·cv²)."""

    dist: Literal["gamma"]
    mean_s: Seconds
    cv: Cv


class Empirical(Frozen):
    """Durations given by their quantiles (seconds) at the equally spaced probabilities
    0, 1/n, ..., 1 (n + 1 values, non-decreasing); between them the inverse distribution
    function is linear."""

    dist: Literal["empirical"]
    quantiles_s: Annotated[list[SecondsOrZero],
                           Field(min_length=2, max_length=MAX_QUANTILES)]

    @field_validator("quantiles_s")
    @classmethod
    def _non_decreasing(cls, values: list[float]) -> list[float]:
        for i in range(1, len(values)):
            if values[i] < values[i - 1]:
                raise ValueError(
                    f"must be non-decreasing: value {i} ({values[i]:g} s) is below value {i - 1} "
                    f"({values[i - 1]:g} s)")
        return values


class Deterministic(Frozen):
    """Always the same duration (seconds)."""

    dist: Literal["deterministic"]
    value_s: SecondsOrZero


class Infinite(Frozen):
    """Never runs out (infinite patience)."""

    dist: Literal["infinite"]


Duration = Annotated[
    Exponential | Lognormal | LognormalMedian | Weibull | Gamma | Empirical | Deterministic,
    Field(discriminator="dist"),
]
Patience = Annotated[
    Exponential | Lognormal | LognormalMedian | Weibull | Gamma | Empirical | Deterministic
    | Infinite,
    Field(discriminator="dist"),
]
