"""Scenario schema: TOML loading, validation into frozen objects, dotted overrides.

Every value carries its unit in its name (``_s`` seconds, ``_per_hour``, ``_minutes``).
Clock times are ``"HH:MM"`` strings counted from midnight of the first day; hours may
exceed 24 for long validation horizons (``"72:00"``). Internally all times are seconds.

Errors are raised as :class:`sim.errors.ConfigError`: one line naming the key, the value
and what is allowed.
"""

from __future__ import annotations

import copy
import itertools
import math
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from sim.errors import ConfigError, UserInputError
from sim.policies import (
    ACKNOWLEDGMENT,
    BALKING,
    CHAT_AT_COUNTER,
    DISCIPLINES,
    PERSONAL_PHONES,
    PHONE_HANDLING,
)
from sim.policies.registry import Registry

_CLOCK = re.compile(r"^(\d{1,5}):([0-5]\d)$")


class Frozen(BaseModel):
    """Base for config objects: immutable, unknown keys rejected, no silent coercion."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


def clock_to_seconds(text: str) -> float:
    """Parse ``"HH:MM"`` (hours may exceed 24) into seconds after midnight of day 1."""
    match = _CLOCK.match(text)
    if not match:
        raise ValueError("must be a clock time 'HH:MM', e.g. '09:30'")
    return float(int(match.group(1)) * 3600 + int(match.group(2)) * 60)


def _valid_clock(text: str) -> str:
    clock_to_seconds(text)
    return text


Clock = Annotated[str, AfterValidator(_valid_clock)]
PositiveFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNegativeFloat = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Probability = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]


# --------------------------------------------------------------------------- distributions


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


# --------------------------------------------------------------------------- sections


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
        return self


class Channel(Frozen):
    """Demand on one channel: Poisson arrivals at ``rate_per_hour`` × profile."""

    rate_per_hour: NonNegativeFloat = 0.0
    profile: list[NonNegativeFloat] = Field(default_factory=list)
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
        default_factory=lambda: Lognormal(dist="lognormal", mean_s=360.0, cv=1.0)
    )
    patience: Patience = Field(
        default_factory=lambda: Exponential(dist="exponential", mean_s=300.0)
    )
    lines: Annotated[int, Field(ge=1)] | None = None
    hold_patience: Patience = Field(
        default_factory=lambda: Exponential(dist="exponential", mean_s=60.0)
    )


class EmailChannel(Frozen):
    """Emails: answered as interruptible back-office work when nobody needs staff."""

    rate_per_hour: NonNegativeFloat = 0.0
    profile: list[NonNegativeFloat] = Field(default_factory=list)
    service: Duration = Field(
        default_factory=lambda: Lognormal(dist="lognormal", mean_s=240.0, cv=0.8)
    )
    target_s: PositiveFloat = 14400.0

    @property
    def is_open(self) -> bool:
        """True when emails arrive at all."""
        return self.rate_per_hour > 0 and (not self.profile or any(p > 0 for p in self.profile))


class Demand(Frozen):
    """Arrivals per channel."""

    walk_in: Channel = Field(default_factory=Channel)
    phone: PhoneChannel = Field(default_factory=PhoneChannel)
    email: EmailChannel = Field(default_factory=EmailChannel)


class ShiftSlot(Frozen):
    """Staff on duty per role between ``start`` and ``end``."""

    start: Clock
    end: Clock
    counter: Annotated[int, Field(ge=0)] = 0
    phone: Annotated[int, Field(ge=0)] = 0
    both: Annotated[int, Field(ge=0)] = 0

    @model_validator(mode="after")
    def _end_after_start(self) -> ShiftSlot:
        if clock_to_seconds(self.end) <= clock_to_seconds(self.start):
            raise ValueError(f"end ({self.end}) must be after start ({self.start})")
        return self


class TraitScores(Frozen):
    """Big Five z-scores of one staff member (0 = average)."""

    conscientiousness: Annotated[float, Field(ge=-5, le=5)] = 0.0
    agreeableness: Annotated[float, Field(ge=-5, le=5)] = 0.0
    extraversion: Annotated[float, Field(ge=-5, le=5)] = 0.0
    emotional_stability: Annotated[float, Field(ge=-5, le=5)] = 0.0
    openness: Annotated[float, Field(ge=-5, le=5)] = 0.0


class Staff(Frozen):
    """Who is on duty. Without a schedule, the counts hold from opening to closing."""

    counter: Annotated[int, Field(ge=0)] = 0
    phone: Annotated[int, Field(ge=0)] = 0
    both: Annotated[int, Field(ge=0)] = 2
    schedule: list[ShiftSlot] = Field(default_factory=list)
    traits: Literal["random", "average"] | list[TraitScores] = "random"
    bias: Probability | list[Probability] = 1.0  # appearance bias strength (one, or per member)


class Traits(Frozen):
    """How Big Five z-scores change behaviour: each effect is exp(coefficient · score).

    Defaults from DESIGN.md §4 (speed: Barrick & Mount 1991; service traits: Hurley 1998).
    """

    enabled: bool = True
    speed_per_z: NonNegativeFloat = 0.20
    speed_weights: TraitScores = Field(default_factory=lambda: TraitScores(
        conscientiousness=0.22, emotional_stability=0.10, agreeableness=0.10,
        extraversion=0.10, openness=0.0))
    distraction_per_z: NonNegativeFloat = 0.20
    acknowledgment_per_z: NonNegativeFloat = 0.15
    chatter_per_z: NonNegativeFloat = 0.05
    composure_per_z: NonNegativeFloat = 0.10


class DistractionKind(Frozen):
    """One kind of distraction. Rates are episodes per hour spent idle / spent serving."""

    idle_rate_per_hour: NonNegativeFloat = 0.0
    serving_rate_per_hour: NonNegativeFloat = 0.0
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
    # personal call / chat / paperwork (DESIGN.md §4); see docs/parameters.md for the sums.
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


def known_in(registry: Registry[Any]) -> AfterValidator:
    """Validator: the value names a policy registered in ``registry``."""

    def known(name: str) -> str:
        if name not in registry:
            allowed = ", ".join(registry.names())
            raise ValueError(f"unknown {registry.family} policy; allowed: {allowed}")
        return name

    return AfterValidator(known)


AcknowledgmentPolicyName = Annotated[str, known_in(ACKNOWLEDGMENT)]
PhoneHandlingPolicyName = Annotated[str, known_in(PHONE_HANDLING)]
DisciplinePolicyName = Annotated[str, known_in(DISCIPLINES)]
BalkingPolicyName = Annotated[str, known_in(BALKING)]
PersonalPhonesRule = Annotated[str, known_in(PERSONAL_PHONES)]
ChatAtCounterRule = Annotated[str, known_in(CHAT_AT_COUNTER)]


class Acknowledgment(Frozen):
    """How and when staff acknowledge a waiting walk-in (and its effect on patience)."""

    policy: AcknowledgmentPolicyName = "finish_first"
    notice_delay_s: NonNegativeFloat = 3.0
    patience_multiplier: Annotated[float, Field(ge=1.0, le=10.0, allow_inf_nan=False)] = 1.5
    target_s: PositiveFloat = 30.0


class PhoneHandling(Frozen):
    """Which waits when a pooled staff member has both a ringing call and a walk-in."""

    policy: PhoneHandlingPolicyName = "phone_first"
    answer_target_s: PositiveFloat = 20.0
    greet_s: NonNegativeFloat = 10.0


class Discipline(Frozen):
    """Who among the waiting is served next (the treatment policy).

    Under ``appearance_biased`` a staff member with bias strength b (``staff.bias``) serves
    a polished customer ahead of a plain one at the head of the line with probability
    ``overtake_probability``·b, greets plain customers ``1 + (plain_ack_multiplier − 1)·b``
    times later, and scrutinises a plain customer it serves with probability b.
    """

    policy: DisciplinePolicyName = "fifo"
    overtake_probability: Probability = 0.3
    plain_ack_multiplier: Annotated[float, Field(ge=1.0, le=10.0, allow_inf_nan=False)] = 1.5


class Balking(Frozen):
    """Walk-ins leaving on arrival.

    P(balk) = ``min(max_probability, per_extra_waiting · max(0, q − free_waiting))``.
    """

    policy: BalkingPolicyName = "queue_length"
    free_waiting: Annotated[int, Field(ge=0)] = 5
    per_extra_waiting: Probability = 0.02
    max_probability: Probability = 0.9


class StaffRules(Frozen):
    """Rules a planner can set about personal phones and chatting at the counter."""

    personal_phones: PersonalPhonesRule = "allowed"
    chat_at_counter: ChatAtCounterRule = "allowed"
    on_quiet_idle_share: Probability = 0.2
    not_in_view_rate_share: Probability = 0.5


class Loyalty(Frozen):
    """How an experience becomes satisfaction and a chance of never coming back.

    Satisfaction starts at 1 and loses a penalty per harm (scaled by the temperament's
    sensitivity); thanks add a little. Below ``bad_below`` the experience is bad; at or
    above ``delighted_at`` the patron is delighted (may refer others). DESIGN.md §4:
    P(never return) 0.15 after one bad experience, 0.50 cumulative after two or more,
    ×2 after perceived unequal treatment (PwC 2018: 32% would leave after one bad
    experience; range 0.03–0.50).
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
    unequal_multiplier: Annotated[float, Field(ge=1.0, le=20.0, allow_inf_nan=False)] = 2.0
    sensitivity: dict[str, Annotated[float, Field(ge=0.0, le=10.0)]] = Field(
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

    pool_size: Annotated[int, Field(ge=1)] = 5000
    plain_share: Probability = 0.20
    spend_mean: PositiveFloat = 40.0          # money per visit
    spend_cv: PositiveFloat = 1.0
    appearance_spend_correlation: Annotated[float, Field(ge=-1.0, le=1.0)] = 0.0
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
    patience: dict[str, PositiveFloat] = Field(default_factory=lambda: {
        "calm": 1.0, "frustrated": 0.8, "angry": 0.6, "needs_clarification": 1.2})
    service: dict[str, PositiveFloat] = Field(default_factory=lambda: {
        "calm": 1.0, "frustrated": 1.1, "angry": 1.3, "needs_clarification": 1.5})
    party_sizes: list[Probability] = Field(default_factory=lambda: [0.8, 0.2])

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


class Money(Frozen):
    """Margins and customer lifetime value: ``CLV = m·r/(1 + i − r)``."""

    margin_share: Probability = 0.30
    visits_per_year: PositiveFloat = 12.0
    annual_retention: Annotated[float, Field(ge=0.0, lt=1.0)] = 0.80
    discount_rate: NonNegativeFloat = 0.10


class Market(Frozen):
    """Where new patrons come from in multi-day runs (``run.days`` > 1).

    ``new_patrons_per_day`` "balanced" replaces exactly the patrons a satisfied pool loses
    to baseline attrition, so with good service the pool stays level. Each delighted
    contact brings a new patron with ``referral_probability``; each patron lost after a bad
    experience keeps ``word_of_mouth_loss`` would-be patrons away (in expectation).
    """

    new_patrons_per_day: Literal["balanced"] | NonNegativeFloat = "balanced"
    referral_probability: Probability = 0.02
    word_of_mouth_loss: NonNegativeFloat = 0.5
    open_days_per_year: Annotated[float, Field(ge=1.0, le=366.0)] = 300.0


class Run(Frozen):
    """Measurement settings."""

    warmup_s: NonNegativeFloat = 0.0
    days: Annotated[int, Field(ge=1, le=3650)] = 1


class Scenario(Frozen):
    """One fully specified configuration: parameters plus policies."""

    name: str = "scenario"
    description: str = ""
    hours: Hours = Field(default_factory=Hours)
    demand: Demand = Field(default_factory=Demand)
    staff: Staff = Field(default_factory=Staff)
    acknowledgment: Acknowledgment = Field(default_factory=Acknowledgment)
    phone_handling: PhoneHandling = Field(default_factory=PhoneHandling)
    discipline: Discipline = Field(default_factory=Discipline)
    balking: Balking = Field(default_factory=Balking)
    distractions: Distractions = Field(default_factory=Distractions)
    staff_rules: StaffRules = Field(default_factory=StaffRules)
    traits: Traits = Field(default_factory=Traits)
    loyalty: Loyalty = Field(default_factory=Loyalty)
    money: Money = Field(default_factory=Money)
    temperament: Temperament = Field(default_factory=Temperament)
    market: Market = Field(default_factory=Market)
    patrons: Patrons = Field(default_factory=Patrons)
    run: Run = Field(default_factory=Run)


# --------------------------------------------------------------------------- cross-field checks


class StaffCounts(str):
    """A value shown to the user as is (not quoted) in an error message."""

    def __repr__(self) -> str:
        return str(self)


def _check_profiles(scenario: Scenario) -> None:
    n = scenario.hours.n_slots
    for name in ("walk_in", "phone", "email"):
        channel: Channel | EmailChannel = getattr(scenario.demand, name)
        if channel.profile and len(channel.profile) != n:
            raise ConfigError(
                f"demand.{name}.profile",
                StaffCounts(f"[{len(channel.profile)} values]"),
                f"needs one multiplier per {scenario.hours.slot_minutes}-minute slot from "
                f"{scenario.hours.open} to {scenario.hours.close}: {n} values (or [] for flat)",
            )


def _check_staffed(scenario: Scenario) -> None:
    staff = scenario.staff
    slots = staff.schedule or [ShiftSlot(start=scenario.hours.open, end=scenario.hours.close,
                                         counter=staff.counter, phone=staff.phone, both=staff.both)]
    roles = {"walk_in": ("counter", "both"), "phone": ("phone", "both")}
    for name, eligible in roles.items():
        channel: Channel = getattr(scenario.demand, name)
        if channel.is_open and not any(getattr(s, r) > 0 for s in slots for r in eligible):
            counts = ", ".join(f"{r}={max(getattr(s, r) for s in slots)}" for r in eligible)
            raise ConfigError(
                "staff", StaffCounts(counts),
                f"demand.{name} is open (rate_per_hour = {channel.rate_per_hour}), so at least "
                f"one staff member with role {' or '.join(eligible)} must be on duty",
            )
    if scenario.demand.email.is_open and not any(
            getattr(s, r) > 0 for s in slots for r in ("counter", "phone", "both")):
        raise ConfigError("staff", StaffCounts("no staff"),
                          "demand.email is open, so at least one staff member must be on duty")
    members = sum(max(getattr(s, r) for s in slots) for r in ("counter", "phone", "both"))
    for key, alternative in (("traits", "'random' or 'average'"), ("bias", "one number")):
        given = getattr(scenario.staff, key)
        if isinstance(given, list) and len(given) != members:
            raise ConfigError(f"staff.{key}", StaffCounts(f"[{len(given)} entries]"),
                              f"needs one entry per staff member ({members}: counter staff "
                              f"first, then phone, then both), or {alternative}")
    if scenario.run.warmup_s >= scenario.hours.close_s - scenario.hours.open_s:
        raise ConfigError("run.warmup_s", scenario.run.warmup_s,
                          "must be shorter than the opening hours")


def _check_schedule(scenario: Scenario) -> None:
    slots = scenario.staff.schedule
    order = sorted(range(len(slots)), key=lambda i: clock_to_seconds(slots[i].start))
    for a, b in itertools.pairwise(order):
        if clock_to_seconds(slots[b].start) < clock_to_seconds(slots[a].end):
            raise ConfigError(f"staff.schedule.{b}.start", slots[b].start,
                              f"overlaps slot {a} ({slots[a].start}-{slots[a].end}); "
                              "give each time of day once")
    for i, slot in enumerate(slots):
        for key in ("start", "end"):
            t = clock_to_seconds(getattr(slot, key))
            if not scenario.hours.open_s <= t <= scenario.hours.close_s:
                raise ConfigError(f"staff.schedule.{i}.{key}", getattr(slot, key),
                                  f"must lie within opening hours {scenario.hours.open}"
                                  f"–{scenario.hours.close}")


# --------------------------------------------------------------------------- loading


def _format_loc(loc: tuple[int | str, ...]) -> str:
    """Dotted key from a pydantic error location, without union tags."""
    tags = {"exponential", "lognormal", "lognormal_median", "deterministic", "infinite"}
    parts = [str(p) for p in loc if str(p) not in tags and not str(p).startswith("function-")]
    return ".".join(parts) or "(top level)"


def _allowed_keys(loc: tuple[int | str, ...]) -> list[str]:
    model: Any = Scenario
    parts = list(loc[:-1])
    while parts:
        part = parts.pop(0)
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return []
        model = field.annotation
        if getattr(model, "__origin__", None) is dict and parts:
            model = model.__args__[1]  # a table of named entries: skip the entry's name
            parts.pop(0)
        args = getattr(model, "__args__", ())
        model = next((a for a in args if hasattr(a, "model_fields")), model)
        if not hasattr(model, "model_fields"):
            return []
    return sorted(model.model_fields)


def _explain(err: Any) -> ConfigError:
    loc = tuple(err["loc"])
    key = _format_loc(loc)
    value = err.get("input")
    kind = err["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc)
        hint = f"allowed keys here: {', '.join(allowed)}" if allowed else "not a known key"
        return ConfigError(key, value, f"unknown key; {hint}")
    if kind == "missing":
        return ConfigError(key, "(missing)", "this key is required")
    message = str(err["msg"]).removeprefix("Value error, ")
    if kind == "union_tag_invalid":
        message = ("dist must be one of exponential, lognormal, lognormal_median, "
                   "deterministic" + (", infinite" if "patience" in key else ""))
        value = err.get("input", {}).get("dist") if isinstance(err.get("input"), dict) else value
    if kind == "union_tag_not_found":
        message = "needs a 'dist' key (exponential, lognormal, lognormal_median, deterministic)"
    return ConfigError(key, value, message[0].lower() + message[1:] if message else "invalid")


def merge_onto(defaults: Any, given: Any, schema: Any) -> Any:
    """``given`` laid over ``defaults``, following the schema: a table of settings (a config
    object) or of named entries (``distractions.kinds``) merges key by key, so a file that
    sets one key keeps the table's other defaults. A plain mapping (``temperament.mix``), a
    distribution table (one with a ``dist`` key) and any other value replace the default."""
    if not isinstance(given, dict) or not isinstance(defaults, dict) or "dist" in given:
        return given
    fields = getattr(schema, "model_fields", None)
    entries = _entry_model(schema)
    if fields is None and entries is None:
        return given
    merged = dict(defaults)
    for key, value in given.items():
        if key not in defaults:
            merged[key] = value
        elif entries is not None:
            merged[key] = merge_onto(defaults[key], value, entries)
        elif fields is not None and key in fields:
            merged[key] = merge_onto(defaults[key], value, _model_of(fields[key].annotation))
        else:
            merged[key] = value
    return merged


def _model_of(annotation: Any) -> Any:
    """The config class (or table of entries) an annotation holds, else None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return annotation if _entry_model(annotation) is not None else None


def _entry_model(annotation: Any) -> Any:
    """For ``dict[str, SomeConfig]``: SomeConfig; else None."""
    args: tuple[Any, ...] = getattr(annotation, "__args__", ())
    if getattr(annotation, "__origin__", None) is dict and len(args) == 2:
        value = args[-1]
        if isinstance(value, type) and issubclass(value, BaseModel):
            return value
    return None


def default_data() -> dict[str, Any]:
    """Every default of a scenario, as a plain dict."""
    return Scenario().model_dump(mode="json")


def scenario_from_dict(data: dict[str, Any]) -> Scenario:
    """Validate a plain dict (as read from TOML, over the defaults) into a :class:`Scenario`."""
    try:
        scenario = Scenario.model_validate(merge_onto(default_data(), data, Scenario))
    except ValidationError as exc:
        raise _explain(exc.errors()[0]) from None
    _check_profiles(scenario)
    _check_staffed(scenario)
    _check_schedule(scenario)
    return scenario


def read_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file; a missing or malformed file is a user error."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise UserInputError(f"{path}: no such config file") from None
    except IsADirectoryError:
        raise UserInputError(f"{path}: is a directory, expected a .toml config file") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserInputError(f"{path}: not valid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise UserInputError(f"{path}: not a text file (expected UTF-8 TOML)") from None


def parse_override(text: str) -> tuple[list[str], Any]:
    """Split ``key.path=value``; the value is read as a TOML value, else as a plain string."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key or any(not part for part in key.split(".")):
        raise UserInputError(f"--set {text!r}: expected key.path=value, e.g. staff.both=3")
    raw = raw.strip()
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    return key.split("."), value


def apply_overrides(data: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Return a copy of ``data`` with each ``key.path=value`` applied (validated later)."""
    result = copy.deepcopy(data)
    for text in overrides:
        path, value = parse_override(text)
        node: Any = result
        for i, part in enumerate(path[:-1]):
            child = node.get(part) if isinstance(node, dict) else None
            if child is None:
                child = {}
                node[part] = child
            elif not isinstance(child, dict):
                raise ConfigError(".".join(path[: i + 1]), child,
                                  f"is a value, not a table, so {'.'.join(path)} cannot be set")
            node = child
        node[path[-1]] = value
    return result


def load_scenario(path: Path | str, overrides: list[str] | None = None) -> Scenario:
    """Load, override and validate a scenario file."""
    data = apply_overrides(read_toml(Path(path)), overrides or [])
    return scenario_from_dict(data)
