"""Duration distributions of the scenario schema (service times, patience, distractions).

Every kind's mean is at most :data:`~sim.config.limits.MAX_DURATION_S`: the kinds given by
their mean or their values obey it field by field; a lognormal by median and a Weibull,
whose mean can be 10⁵–10⁷ times their median or scale, are checked on the mean itself.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from sim.config.fields import Frozen
from sim.config.limits import (
    MAX_DURATION_S,
    MAX_QUANTILES,
    Cv,
    Seconds,
    SecondsOrZero,
    Shape,
    Sigma,
    show_limit,
)


def check_mean(mean: float, formula: str, key: str, largest: float, or_else: str) -> None:
    """Refuse a distribution whose ``mean`` (seconds, ``formula`` in words) is above
    :data:`~sim.config.limits.MAX_DURATION_S`; the fix names ``key``, the ``largest``
    value it may take with the other parameters as given, and ``or_else``."""
    if mean <= MAX_DURATION_S:
        return
    limit = show_limit(MAX_DURATION_S)
    raise ValueError(
        f"the mean {formula} = {mean:.3g} s must be at most {limit} s (about 11.6 days, the "
        f"limit of every mean duration, as for mean_s); lower {key} to {largest:.3g} s or "
        f"less, or {or_else}")


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

    @model_validator(mode="after")
    def _mean_at_most_the_limit(self) -> LognormalMedian:
        spread = math.exp(self.sigma**2 / 2.0)
        check_mean(self.median_s * spread, "median_s × exp(sigma²/2)", "median_s",
                   MAX_DURATION_S / spread, "sigma")
        return self


class Weibull(Frozen):
    """Weibull durations: survival exp(-(t/scale_s)^shape), scale in seconds."""

    dist: Literal["weibull"]
    shape: Shape
    scale_s: Seconds

    @model_validator(mode="after")
    def _mean_at_most_the_limit(self) -> Weibull:
        spread = math.gamma(1.0 + 1.0 / self.shape)
        check_mean(self.scale_s * spread, "scale_s × Γ(1 + 1/shape)", "scale_s",
                   MAX_DURATION_S / spread, "raise shape")
        return self


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
