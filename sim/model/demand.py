"""Where contacts come from: exact non-homogeneous Poisson arrivals per channel, each
contact's random quantities drawn at arrival from streams named for their purpose."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import repeat
from typing import Any

from sim.config.schema import Scenario
from sim.config.sections import Channel, EmailChannel
from sim.model.contact import EMAIL, PHONE, WALK_IN, Contact
from sim.model.distributions import Sampler, Uniforms, piecewise_poisson_times, uniform_values
from sim.model.patrons import PatronPool
from sim.model.streams import StreamSource
from sim.policies.conduct import ANGRY_CUSTOMERS
from sim.policies.recovery import COMPLAINTS, EMAIL_REPLIES


@dataclass(frozen=True)
class ScheduledContact:
    """A hand-made contact with fixed times (seconds), for exact tests and replays."""

    channel: str
    arrival_s: float
    patience_s: float = float("inf")
    service_s: float = 60.0
    balk_draw: float = 1.0
    patron_id: int = 0
    hold_patience_s: float = float("inf")
    plain: bool = False
    top: bool = False
    spend: float = 0.0
    resolved: bool = True
    thanked: bool = False
    temperament: str = "calm"
    resolve_draw: float | None = None  # None: 0 if ``resolved`` else 1 (conduct levers)
    calm_draw: float = 1.0
    complain_draw: float = 1.0


@dataclass(frozen=True)
class ScheduledDistraction:
    """A hand-made distraction episode for exact tests: staff member ``staff_id`` starts a
    ``kind`` episode lasting ``duration_s`` at ``start_s`` (if idle, as an idle episode; if
    serving, as divided attention during the service)."""

    staff_id: int
    start_s: float
    kind: str
    duration_s: float


def rates_per_s(scenario: Scenario, channel: Channel | EmailChannel) -> list[float]:
    """Arrival rate in each profile slot, per second."""
    base = channel.rate_per_hour / 3600.0
    profile = channel.profile or [1.0] * scenario.hours.n_slots
    return [base * m for m in profile]


def expected_daily(scenario: Scenario, name: str) -> float:
    """Expected arrivals on channel ``name`` over one day's opening hours at the configured
    rates (the last slot may be partial)."""
    hours = scenario.hours
    channel: Channel | EmailChannel = getattr(scenario.demand, name)
    open_s, close_s, slot_s = hours.open_s, hours.close_s, hours.slot_s
    return math.fsum(rate * (min(open_s + (i + 1) * slot_s, close_s) - (open_s + i * slot_s))
                     for i, rate in enumerate(rates_per_s(scenario, channel)))


NEGLIGIBLE_CV = 1e-6
"""A day factor's CV below this is taken as 0: the factor would be 1 ± 10⁻⁶ (and the
gamma's shape 1/cv² overflows for a CV under 10⁻¹⁵⁴)."""


def day_rate_factor(scenario: Scenario, streams: StreamSource, name: str) -> float:
    """Today's factor on every slot's arrival rate of channel ``name``: gamma with mean 1
    and coefficient of variation ``demand.<name>.day_rate_cv`` (day-to-day variation of the
    volume beyond Poisson: the day's count is then negative binomial), one draw from the
    day's ``demand.<name>.day_factor`` stream; exactly 1, drawing nothing, when the CV is
    below :data:`NEGLIGIBLE_CV` (0 included). The stream depends only on (seed, replication,
    day), so every scenario of a comparison sees the same busy and quiet days."""
    cv = getattr(scenario.demand, name).day_rate_cv
    if cv < NEGLIGIBLE_CV:
        return 1.0
    shape = 1.0 / (cv * cv)
    return float(streams(f"demand.{name}.day_factor").gamma(shape, 1.0 / shape))


def first_contact_factor(scenario: Scenario, name: str, pool_factor: float,
                         returning: int) -> float:
    """The rate factor for first contacts on channel ``name`` on a day when ``returning``
    patrons come back: ``pool_factor`` (the active share of the pool), thinned so that first
    contacts plus returns keep the day's expected total at the configured rate × pool factor
    when ``demand.rates_include_repeats`` (never below 0), else ``pool_factor`` itself."""
    if not returning or not scenario.demand.rates_include_repeats:
        return pool_factor
    total = expected_daily(scenario, name) * pool_factor
    return pool_factor * max(0.0, 1.0 - returning / total) if total > 0.0 else 0.0


def poisson_contacts(scenario: Scenario, streams: StreamSource, name: str, pool: PatronPool,
                     offset_s: float = 0.0, rate_factor: float = 1.0) -> Iterator[Contact]:
    """Contacts on channel ``name`` in arrival order, over the opening hours of the day
    starting at ``offset_s``; the configured rate × ``rate_factor`` (the active share of the
    calibrated pool: each active patron contacts at the same rate), each contact belonging
    to an active patron chosen uniformly.

    Streams: ``arrivals.<name>`` (times), ``patrons.<name>`` (whose contact it is),
    ``service.<name>``, ``patience.<name>``, ``balk.<name>``, ``hold_patience.phone`` and
    ``experience.<name>`` (resolved, thanked). Each contact takes exactly one value from
    each, whatever happens to it later, so every scenario sees the same customers. With a
    conduct lever that needs them (an apology that may calm, complaints, scored e-mails),
    ``conduct.<name>`` gives each contact two more values (:func:`conduct_draws`).
    """
    channel: Channel | EmailChannel = getattr(scenario.demand, name)
    hours = scenario.hours
    rates = [r * rate_factor for r in rates_per_s(scenario, channel)]
    times = piecewise_poisson_times(streams(f"arrivals.{name}"), offset_s + hours.open_s,
                                    hours.slot_s, rates, offset_s + hours.close_s)
    return _contacts(scenario, streams, name, pool, times, f"patrons.{name}", "")


def repeat_contacts(scenario: Scenario, streams: StreamSource, name: str, pool: PatronPool,
                    patrons: list[int], offset_s: float) -> Iterator[Contact]:
    """Patrons whose matter was not resolved come back, at uniform times over the opening
    hours of the day starting at ``offset_s`` (their own ``repeat.*`` streams)."""
    hours = scenario.hours
    when = streams(f"repeat.arrivals.{name}").uniform(
        offset_s + hours.open_s, offset_s + hours.close_s, len(patrons))
    order = sorted(zip(when.tolist(), patrons, strict=True))
    return _contacts(scenario, streams, name, pool, (t for t, _ in order), None, "repeat.",
                     [p for _, p in order])


def _contacts(scenario: Scenario, streams: StreamSource, name: str, pool: PatronPool,
              times: Iterator[float], patron_stream: str | None, prefix: str,
              patrons: list[int] | None = None) -> Iterator[Contact]:
    channel: Channel | EmailChannel = getattr(scenario.demand, name)
    service = Sampler(channel.service, streams(f"{prefix}service.{name}"))
    whose = _whose(streams, pool, patron_stream, patrons)
    extra = (Uniforms(streams(f"{prefix}conduct.{name}"))
             if conduct_draws(scenario, name) else None)
    if isinstance(channel, EmailChannel):
        yield from _emails(times, whose, service, pool, extra)
        return
    patience = Sampler(channel.patience, streams(f"{prefix}patience.{name}"))
    balk = Uniforms(streams(f"{prefix}balk.{name}"))
    hold = (Sampler(scenario.demand.phone.hold_patience, streams(f"{prefix}hold_patience.phone"))
            if name == PHONE else repeat(math.inf).__next__)  # walk-ins are never on hold
    temper = scenario.temperament
    if not scenario.loyalty.enabled and temper.trivial:  # a pure queue: nothing more to draw
        for t in times:
            yield Contact(-1, name, whose(), t, patience(), service(), balk(), hold())
        return
    luck = Uniforms(streams(f"{prefix}experience.{name}"))
    mood = Uniforms(streams(f"{prefix}temperament.{name}"))
    resolve_p = scenario.patrons.resolve_probability
    thank_p = scenario.patrons.thank_probability
    kinds = list(temper.mix.items())
    parties = list(enumerate(temper.party_sizes if name == WALK_IN else [1.0]))
    patience_by = temper.patience
    service_by = temper.service
    plain, top, spend = pool.plain, pool.top, pool.spend
    for t in times:
        who = whose()
        mood_of = pick(kinds, mood())  # streams are independent: the order of draws across
        party = 1 + pick(parties, mood())  # streams does not matter, only within each
        c = Contact(-1, name, who, t, patience() * patience_by[mood_of],
                    service() * service_by[mood_of], balk(), hold())  # deadline, work left
        c.plain, c.top, c.spend = plain[who], top[who], spend[who]
        c.resolve_draw = u = luck()
        c.resolved = u < resolve_p
        c.thanked = luck() < thank_p
        c.temperament = mood_of
        c.party = party
        if extra is not None:
            c.calm_draw, c.complain_draw = extra(), extra()
        yield c


def _whose(streams: StreamSource, pool: PatronPool, patron_stream: str | None,
           patrons: list[int] | None) -> Callable[[], int]:
    """Whose each next contact is: an active patron drawn uniformly from ``patron_stream``,
    or the next of ``patrons``."""
    if not patron_stream:
        return iter(patrons or []).__next__
    active = pool.active
    # active[int(u * len(active))] per uniform u, all C-level (the pool changes only
    # between days, after this day's contacts have all arrived)
    scaled = map(float(len(active)).__mul__, uniform_values(streams(patron_stream)))
    return map(active.__getitem__, map(int, scaled)).__next__


def _emails(times: Iterator[float], whose: Callable[[], int], service: Callable[[], float],
            pool: PatronPool, extra: Callable[[], float] | None) -> Iterator[Contact]:
    """E-mails at ``times``; scored ones (``extra``: the reply's draws) carry their patron's
    attributes."""
    for t in times:
        c = Contact(-1, EMAIL, whose(), t, math.inf, service(), 1.0)
        if extra is not None:
            who = c.patron_id
            c.plain, c.top, c.spend = pool.plain[who], pool.top[who], pool.spend[who]
            c.resolve_draw, c.complain_draw = extra(), extra()
        yield c


def conduct_draws(scenario: Scenario, name: str) -> bool:
    """True if contacts on channel ``name`` need the two ``conduct.<name>`` draws: an
    apology that may calm or complaints (walk-ins and calls), replies scored (e-mails)."""
    if name == EMAIL:
        return EMAIL_REPLIES.build(scenario.email_replies.policy, scenario).scored
    if not scenario.loyalty.enabled:
        return False
    return (ANGRY_CUSTOMERS.build(scenario.conduct.angry_customers, scenario).acts
            or COMPLAINTS.build(scenario.complaints.policy, scenario).raised)


def pick(weighted: list[tuple[Any, float]], u: float) -> Any:
    """The item whose cumulative weight first exceeds ``u`` in [0, 1)."""
    for item, weight in weighted:
        u -= weight
        if u < 0.0:
            return item
    return weighted[-1][0]


def scheduled_contacts(schedule: list[ScheduledContact], name: str) -> Iterator[Contact]:
    """Contacts on channel ``name`` from a fixed schedule, in arrival order."""
    for s in sorted((s for s in schedule if s.channel == name), key=lambda s: s.arrival_s):
        c = Contact(-1, name, s.patron_id, s.arrival_s, s.patience_s, s.service_s, s.balk_draw,
                    s.hold_patience_s)
        c.plain, c.top, c.spend, c.resolved, c.thanked = (
            s.plain, s.top, s.spend, s.resolved, s.thanked)
        c.temperament, c.calm_draw, c.complain_draw = s.temperament, s.calm_draw, s.complain_draw
        c.resolve_draw = (s.resolve_draw if s.resolve_draw is not None
                          else 0.0 if s.resolved else 1.0)
        yield c
