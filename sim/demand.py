"""Where contacts come from: exact non-homogeneous Poisson arrivals per channel, each
contact's random quantities drawn at arrival from streams named for their purpose."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sim.config import Channel, EmailChannel, Scenario
from sim.contact import EMAIL, PHONE, Contact
from sim.distributions import Sampler, Uniforms, piecewise_poisson_times
from sim.streams import Streams


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


def poisson_contacts(scenario: Scenario, streams: Streams, name: str) -> Iterator[Contact]:
    """Contacts on channel ``name`` in arrival order, over the opening hours.

    Streams: ``arrivals.<name>`` (times), ``patience.<name>``, ``service.<name>``,
    ``balk.<name>`` and ``patrons.<name>``. Each contact takes exactly one value from each,
    whatever happens to it later, so every scenario sees the same customers.
    """
    channel: Channel | EmailChannel = getattr(scenario.demand, name)
    hours = scenario.hours
    times = piecewise_poisson_times(streams(f"arrivals.{name}"), hours.open_s, hours.slot_s,
                                    rates_per_s(scenario, channel), hours.close_s)
    service = Sampler(channel.service, streams(f"service.{name}"))
    patron = Uniforms(streams(f"patrons.{name}"))
    pool = scenario.patrons.pool_size
    if isinstance(channel, EmailChannel):
        for t in times:
            yield Contact(-1, EMAIL, int(patron() * pool), t, float("inf"), service(), 1.0)
        return
    patience = Sampler(channel.patience, streams(f"patience.{name}"))
    balk = Uniforms(streams(f"balk.{name}"))
    if name == PHONE:
        hold = Sampler(scenario.demand.phone.hold_patience, streams("hold_patience.phone"))
        for t in times:
            yield Contact(-1, name, int(patron() * pool), t, patience(), service(), balk(),
                          hold())
        return
    for t in times:
        yield Contact(-1, name, int(patron() * pool), t, patience(), service(), balk())


def scheduled_contacts(schedule: list[ScheduledContact], name: str) -> Iterator[Contact]:
    """Contacts on channel ``name`` from a fixed schedule, in arrival order."""
    for s in sorted((s for s in schedule if s.channel == name), key=lambda s: s.arrival_s):
        yield Contact(-1, name, s.patron_id, s.arrival_s, s.patience_s, s.service_s, s.balk_draw,
                      s.hold_patience_s)
