"""Scenario sections without policies: hours, demand, staff, behaviour, patrons, money, run.

Parameter sources and derivations are in ``docs/parameters.md``.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from sim.config.distributions import (
    Duration,
    Exponential,
    Lognormal,
    LognormalMedian,
    Patience,
)
from sim.config.fields import (
    Clock,
    Frozen,
    Probability,
    clock_to_seconds,
)
from sim.config.limits import (
    MAX_DAY_HOURS,
    MAX_PHONE_LINES,
    MAX_POOL,
    DayRateCv,
    ProfileMultiplier,
    Rate,
    Seconds,
    StaffCount,
    at_most,
)
from sim.config.money import Money as Money

PerHourOfState = Annotated[float, Field(ge=0, allow_inf_nan=False),
                           at_most(3600, "per hour", "one episode a second")]
Coefficient = Annotated[float, Field(ge=0, allow_inf_nan=False),
                        at_most(2, "per z", "exp(2 · 5) ≈ 22 000× at a z-score of 5")]
Multiplier = Annotated[float, Field(gt=0, allow_inf_nan=False), at_most(100, "×", "")]


class Hours(Frozen):
    """Opening hours and the time-of-day grid of the arrival profiles."""

    open: Clock = "09:00"
    close: Clock = "17:00"
    slot_minutes: Annotated[int, Field(ge=1, le=525600)] = 30
    serve_after_close: bool = True

    @property
    def open_s(self) -> float:
        """Opening time, seconds after midnight."""
        return clock_to_seconds(self.open)

    @property
    def close_s(self) -> float:
        """Closing time, seconds after midnight."""
        return clock_to_seconds(self.close)

    @property
    def slot_s(self) -> float:
        """Length of one profile slot in seconds."""
        return self.slot_minutes * 60.0

    @property
    def n_slots(self) -> int:
        """Number of profile slots between opening and closing (last one may be partial)."""
        return math.ceil((self.close_s - self.open_s) / self.slot_s)

    @model_validator(mode="after")
    def _close_after_open(self) -> Hours:
        if self.close_s <= self.open_s:
            raise ValueError(f"close ({self.close}) must be after open ({self.open})")
        if self.close_s - self.open_s > MAX_DAY_HOURS * 3600:
            raise ValueError(f"close ({self.close}) must be at most {MAX_DAY_HOURS} hours "
                             f"after open ({self.open}): the longest day the model runs "
                             "(one year)")
        return self


class Channel(Frozen):
    """Demand on one channel: Poisson arrivals at ``rate_per_hour`` × profile (× a day
    factor with mean 1 and CV ``day_rate_cv``, drawn for each day)."""

    rate_per_hour: Rate = 0.0
    profile: list[ProfileMultiplier] = Field(default_factory=list)
    day_rate_cv: DayRateCv = 0.0
    service: Duration = Field(
        default_factory=lambda: Lognormal(dist="lognormal", mean_s=240.0, cv=0.8)
    )
    patience: Patience = Field(
        default_factory=lambda: LognormalMedian(dist="lognormal_median", median_s=297.0, sigma=1.43)
    )

    @property
    def is_open(self) -> bool:
        """True when this channel has any arrivals at all."""
        return self.rate_per_hour > 0 and (not self.profile or any(p > 0 for p in self.profile))


class PhoneChannel(Channel):
    """Phone demand; ``lines`` caps calls in the system (ringing, on hold or in service)."""

    service: Duration = Field(
        default_factory=lambda: Lognormal(dist="lognormal", mean_s=186.0, cv=1.24)
    )
    patience: Patience = Field(
        default_factory=lambda: LognormalMedian(dist="lognormal_median", median_s=354.0,
                                                sigma=1.88)
    )
    lines: Annotated[int, Field(ge=1, le=MAX_PHONE_LINES)] | None = None
    hold_patience: Patience = Field(
        default_factory=lambda: Exponential(dist="exponential", mean_s=60.0)
    )


class EmailChannel(Frozen):
    """Emails: answered as interruptible back-office work when nobody needs staff."""

    rate_per_hour: Rate = 0.0
    profile: list[ProfileMultiplier] = Field(default_factory=list)
    day_rate_cv: DayRateCv = 0.0
    service: Duration = Field(
        default_factory=lambda: Lognormal(dist="lognormal", mean_s=240.0, cv=0.8)
    )
    target_s: Seconds = 14400.0

    @property
    def is_open(self) -> bool:
        """True when emails arrive at all."""
        return self.rate_per_hour > 0 and (not self.profile or any(p > 0 for p in self.profile))


class Demand(Frozen):
    """Arrivals per channel.

    ``rates_include_repeats``: in a multi-day run, patrons whose matter was not resolved
    come back the next day. True (the default): the configured rates are the total load, and
    first contacts are thinned so that first contacts plus returns keep the configured daily
    total (in expectation). False: the rates are first contacts only; returns come on top.
    """

    walk_in: Channel = Field(default_factory=Channel)
    phone: PhoneChannel = Field(default_factory=PhoneChannel)
    email: EmailChannel = Field(default_factory=EmailChannel)
    rates_include_repeats: bool = True


class ShiftSlot(Frozen):
    """Staff on duty per role between ``start`` and ``end``."""

    start: Clock
    end: Clock
    counter: StaffCount = 0
    phone: StaffCount = 0
    both: StaffCount = 0

    @model_validator(mode="after")
    def _end_after_start(self) -> ShiftSlot:
        if clock_to_seconds(self.end) <= clock_to_seconds(self.start):
            raise ValueError(f"end ({self.end}) must be after start ({self.start})")
        return self


class TraitScores(Frozen):
    """Big Five z-scores of one staff member (0 = average)."""

    conscientiousness: Annotated[float, Field(ge=-5, le=5, allow_inf_nan=False)] = 0.0
    agreeableness: Annotated[float, Field(ge=-5, le=5, allow_inf_nan=False)] = 0.0
    extraversion: Annotated[float, Field(ge=-5, le=5, allow_inf_nan=False)] = 0.0
    emotional_stability: Annotated[float, Field(ge=-5, le=5, allow_inf_nan=False)] = 0.0
    openness: Annotated[float, Field(ge=-5, le=5, allow_inf_nan=False)] = 0.0


class Staff(Frozen):
    """Who is on duty. Without a schedule, the counts hold from opening to closing."""

    counter: StaffCount = 0
    phone: StaffCount = 0
    both: StaffCount = 2
    schedule: list[ShiftSlot] = Field(default_factory=list)
    traits: Literal["random", "average"] | list[TraitScores] = "random"
    bias: Probability | list[Probability] = 1.0  # appearance bias strength (one, or per member)


class Traits(Frozen):
    """How Big Five z-scores change behaviour: each effect is exp(coefficient · score).

    Defaults and sources in docs/parameters.md, "Traits" (speed: Barrick & Mount 1991;
    service traits: Hurley 1998).
    """

    enabled: bool = True
    speed_per_z: Coefficient = 0.20
    speed_weights: TraitScores = Field(default_factory=lambda: TraitScores(
        conscientiousness=0.22, emotional_stability=0.10, agreeableness=0.10,
        extraversion=0.10, openness=0.0))
    distraction_per_z: Coefficient = 0.20
    acknowledgment_per_z: Coefficient = 0.15
    chatter_per_z: Coefficient = 0.05
    composure_per_z: Coefficient = 0.10


class DistractionKind(Frozen):
    """One kind of distraction. Rates are episodes per hour spent idle / spent serving."""

    idle_rate_per_hour: PerHourOfState = 0.0
    serving_rate_per_hour: PerHourOfState = 0.0
    duration: Duration = Field(
        default_factory=lambda: Exponential(dist="exponential", mean_s=60.0)
    )
    interruptible: bool = True
    visible: bool = False
    notice_probability: Probability = 0.5
    balk_extra_probability: Probability = 0.0
    patience_drain: Annotated[float, Field(ge=1.0, le=100.0, allow_inf_nan=False)] = 1.0


def _kind(**kw: Any) -> DistractionKind:
    return DistractionKind.model_validate(kw)


def _default_kinds() -> dict[str, DistractionKind]:
    # 10% of a shift distracted, 80% of episodes starting while idle, mix 0.5/0.3/0.2 of
    # personal call / chat / paperwork; see docs/parameters.md, "Distractions", for the sums.
    return {
        "personal_call": _kind(
            idle_rate_per_hour=2.6, serving_rate_per_hour=1.2, visible=True,
            duration={"dist": "lognormal_median", "median_s": 30.0, "sigma": 1.177}),
        "coworker_chat": _kind(
            idle_rate_per_hour=2.6, visible=True,
            duration={"dist": "exponential", "mean_s": 120.0}),
        "paperwork": _kind(
            idle_rate_per_hour=1.8, duration={"dist": "exponential", "mean_s": 180.0},
            notice_probability=0.8),
        "critical_task": _kind(
            idle_rate_per_hour=0.3, interruptible=False, notice_probability=1.0,
            duration={"dist": "exponential", "mean_s": 90.0}),
        "argument": _kind(
            idle_rate_per_hour=0.02, interruptible=False, visible=True,
            notice_probability=0.2, balk_extra_probability=0.3, patience_drain=2.0,
            duration={"dist": "exponential", "mean_s": 600.0}),
    }


class Distractions(Frozen):
    """Staff distractions: kinds, and how a distraction during service hurts it."""

    enabled: bool = True
    kinds: dict[str, DistractionKind] = Field(default_factory=_default_kinds)
    rate_multiplier: Annotated[float, Field(ge=0.0, le=100.0, allow_inf_nan=False)] = 1.0
    divided_attention_slowdown: Probability = 0.5
    repeat_rate: Probability = 0.05
    repeat_multiplier: Annotated[float, Field(ge=1.0, le=20.0, allow_inf_nan=False)] = 2.0




class Loyalty(Frozen):
    """How an experience becomes satisfaction and a chance of never coming back.

    Satisfaction starts at 1 and loses a penalty per harm (scaled by the temperament's
    sensitivity); thanks add a little. Below ``bad_below`` the experience is bad; at or
    above ``delighted_at`` the patron is delighted (may refer others). Defaults
    (docs/parameters.md, "Patrons, treatment and loyalty"): P(never return) 0.15 after one
    bad experience, 0.50 cumulative after two or more, ×2 after perceived unequal treatment
    (PwC 2018: 32% would leave after one bad experience; range 0.03–0.50).
    """

    enabled: bool = True                     # off: no experience scoring (validation mode)
    walkout_penalty: Probability = 1.0
    wait_penalty: Probability = 0.5          # × min(1, wait / the patron's own patience)
    ignored_penalty: Probability = 0.3       # staff visibly distracted, not greeted in time
    divided_attention_penalty: Probability = 0.3
    overtaken_penalty: Probability = 0.3     # a later arrival was served first
    scrutinised_penalty: Probability = 0.4   # looked up and down, doubted
    unresolved_penalty: Probability = 0.4
    thanked_bonus: Probability = 0.1
    bad_below: Probability = 0.5
    delighted_at: Probability = 0.95
    churn_after_one_bad: Probability = 0.15
    churn_after_two_bad: Probability = 0.50  # cumulative
    # conditional P(never return) at each bad experience after the second: 0 keeps the
    # cumulative chance at churn_after_two_bad; 1 - (1 - two)/(1 - one) (≈ 0.41) lets it grow
    churn_after_further_bad: Probability = 0.0
    unequal_multiplier: Annotated[float, Field(ge=1.0, le=20.0, allow_inf_nan=False)] = 2.0
    sensitivity: dict[str, Annotated[float, Field(ge=0.0, le=10.0, allow_inf_nan=False)]] = Field(
        default_factory=lambda: {"calm": 1.0, "frustrated": 1.3, "angry": 1.6,
                                 "needs_clarification": 1.1})

    @model_validator(mode="after")
    def _cumulative_churn_grows(self) -> Loyalty:
        if self.churn_after_two_bad < self.churn_after_one_bad:
            raise ValueError("churn_after_two_bad (cumulative) must be at least "
                             "churn_after_one_bad")
        return self


class Patrons(Frozen):
    """The population contacts belong to; attributes are drawn once per patron.

    Appearance is the cue staff see; by default it says nothing about spend
    (``appearance_spend_correlation`` = 0: the correlation between looking polished and
    log spend). Top tier: the ``top_tier_share`` biggest spenders.
    """

    pool_size: Annotated[int, Field(ge=1), at_most(MAX_POOL, "patrons", "memory")] = 5000
    plain_share: Probability = 0.20
    spend_mean: Annotated[float, Field(gt=0, le=1e9, allow_inf_nan=False)] = 40.0  # per visit
    spend_cv: Multiplier = 1.0
    appearance_spend_correlation: Annotated[
        float, Field(ge=-1.0, le=1.0, allow_inf_nan=False)] = 0.0
    top_tier_share: Probability = 0.20
    resolve_probability: Probability = 0.90   # a served contact resolves the matter
    thank_probability: Probability = 0.60     # staff thank the customer


class Temperament(Frozen):
    """Each contact's temperament (drawn at arrival) and what it changes.

    Seeds: customers are angry, frustrated, or need clarification; each reacts differently.
    ``party_sizes``: P(a walk-in comes alone, in a pair, ...); a walkout loses the party.
    """

    mix: dict[str, Probability] = Field(default_factory=lambda: {
        "calm": 0.6, "frustrated": 0.2, "angry": 0.1, "needs_clarification": 0.1})
    patience: dict[str, Multiplier] = Field(default_factory=lambda: {
        "calm": 1.0, "frustrated": 0.8, "angry": 0.6, "needs_clarification": 1.2})
    service: dict[str, Multiplier] = Field(default_factory=lambda: {
        "calm": 1.0, "frustrated": 1.1, "angry": 1.3, "needs_clarification": 1.5})
    party_sizes: list[Probability] = Field(default_factory=lambda: [0.8, 0.2], max_length=100)

    @model_validator(mode="after")
    def _consistent(self) -> Temperament:
        if abs(sum(self.mix.values()) - 1.0) > 1e-9:
            total = sum(self.mix.values())
            raise ValueError(f"mix shares must add up to 1 (they add up to {total:g})")
        if not self.party_sizes or abs(sum(self.party_sizes) - 1.0) > 1e-9:
            raise ValueError("party_sizes must be probabilities of parties of 1, 2, ... "
                             "adding up to 1")
        for table in ("patience", "service"):
            missing = set(self.mix) - set(getattr(self, table))
            if missing:
                raise ValueError(f"{table} needs a multiplier for {', '.join(sorted(missing))}")
        return self

    @property
    def trivial(self) -> bool:
        """True when every contact is alone and calm-equivalent (nothing to draw)."""
        return (self.party_sizes == [1.0] and len(self.mix) == 1
                and all(self.patience[t] == 1.0 == self.service[t] for t in self.mix))


class Market(Frozen):
    """Where new patrons come from in multi-day runs (``run.days`` > 1).

    ``new_patrons_per_day`` "balanced" replaces exactly the patrons a satisfied pool loses
    to baseline attrition, so with good service the pool stays level. Each delighted
    contact brings a new patron with ``referral_probability``; each patron lost after a bad
    experience keeps ``word_of_mouth_loss`` would-be patrons away (in expectation).
    """

    new_patrons_per_day: Literal["balanced"] | Annotated[
        float, Field(ge=0, le=MAX_POOL, allow_inf_nan=False)] = "balanced"
    referral_probability: Probability = 0.014
    word_of_mouth_loss: Annotated[float, Field(ge=0, le=1000, allow_inf_nan=False)] = 0.5
    open_days_per_year: Annotated[float, Field(ge=1.0, le=366.0, allow_inf_nan=False)] = 300.0


class Run(Frozen):
    """Measurement settings."""

    warmup_s: Annotated[float, Field(ge=0, allow_inf_nan=False), at_most(
        MAX_DAY_HOURS * 3600, "s", "the longest day, 8760 h")] = 0.0
    days: Annotated[int, Field(ge=1, le=3650)] = 1

