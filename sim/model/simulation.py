"""Run one replication of a scenario: one day, or many days with loyalty carried over.

The model simulates and reports to a recorder; it never touches files, statistics or plots.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Generator, Iterator
from typing import Any

import simpy

from sim.config.schema import Scenario
from sim.model.contact import CHANNELS, EMAIL, Contact
from sim.model.counter.counter import Counter
from sim.model.counter.outcomes import DayBook
from sim.model.counter.retrials import environment
from sim.model.demand import (
    ScheduledContact,
    ScheduledDistraction,
    day_rate_factor,
    first_contact_factor,
    poisson_contacts,
    repeat_contacts,
    scheduled_contacts,
)
from sim.model.patrons import PatronPool
from sim.model.records import Recorder
from sim.model.streams import Streams

DAY_S = 86400.0


def simulate(scenario: Scenario, seed: int, replication: int, recorder: Recorder,
             schedule: list[ScheduledContact] | None = None,
             distractions: list[ScheduledDistraction] | None = None,
             lean: bool = True) -> None:
    """Simulate ``scenario.run.days`` days (usually one).

    Random quantities come from the named streams of (``seed``, ``replication``). With a
    ``schedule``, arrivals and their patience/service are taken from it instead, and
    ``distractions`` adds hand-made episodes (exact tests; one day only). ``lean=False``
    runs every clerk down the general loop (the results are the same; tests prove it).
    """
    streams = Streams(seed, replication)
    pool = PatronPool.lazy(scenario.patrons, lambda: streams("patrons.attributes"))
    days = scenario.run.days if schedule is None else 1
    initial = len(pool.active)
    carried: list[Contact] = []
    repeats: dict[str, list[int]] = {ch: [] for ch in CHANNELS}
    next_id = 0
    for day in range(days):
        today = streams.day(day)
        offset = day * DAY_S
        env = environment(scenario, offset)  # the fast engine unless retrials are on
        counter = Counter(env, scenario, recorder, today, pool, offset, carried, next_id,
                          keep_day_book=days > 1, interrupts_service=bool(distractions),
                          lean=lean)
        active_at_start = len(pool.active)
        if schedule is None:
            factor = active_at_start / initial if initial else 0.0
            sources = {ch: _arrivals(scenario, today, ch, pool, offset, factor,
                                     repeats.get(ch, []))
                       for ch in (*CHANNELS, EMAIL) if getattr(scenario.demand, ch).is_open}
        else:
            sources = {ch: scheduled_contacts(schedule, ch) for ch in (*CHANNELS, EMAIL)}
        counter.start(sources)
        if distractions:
            env.process(_scripted(env, counter, distractions))
        drain = scenario.hours.serve_after_close
        env.run(until=None if drain else offset + scenario.hours.close_s)
        last = day == days - 1
        carried = counter.finish(drain, overnight=not last)
        next_id = counter.next_id
        if counter.day is not None:
            recorder.day_ended(_end_of_day(scenario, today, pool, counter.day, day,
                                           active_at_start))
            still = set(pool.active)
            repeats = {ch: [p for p in patrons if p in still]
                       for ch, patrons in counter.day.unresolved.items()}


def _arrivals(scenario: Scenario, today: Streams, name: str, pool: PatronPool,
              offset: float, pool_factor: float, returning: list[int]) -> Iterator[Contact]:
    """Channel ``name``'s contacts of the day starting at ``offset`` (s): first contacts at
    the configured rates × the active share of the pool × today's day factor (thinned for
    the patrons who come back, see :func:`first_contact_factor`), merged with the returns."""
    day_factor = pool_factor * day_rate_factor(scenario, today, name)
    first = poisson_contacts(scenario, today, name, pool, offset,
                             first_contact_factor(scenario, name, day_factor, len(returning)))
    return _merged(first, repeat_contacts(scenario, today, name, pool, returning, offset)
                   if returning else None)


def _merged(first: Iterator[Contact], repeats: Iterator[Contact] | None) -> Iterator[Contact]:
    return first if repeats is None else heapq.merge(first, repeats, key=lambda c: c.arrival_s)


def _end_of_day(scenario: Scenario, streams: Streams, pool: PatronPool, book: DayBook,
                day: int, active_at_start: int) -> dict[str, float]:
    """Realise today's churn and tomorrow's newcomers; return the day's row.

    A patron with contacts today stays with the product of (1 − P(never return)) over them;
    every patron also faces the baseline daily attrition of a satisfied pool. Newcomers:
    Poisson with the market's base rate, plus referrals from delighted contacts, minus bad
    word of mouth from patrons lost after a bad experience.
    """
    market = scenario.market
    daily_loss = 1.0 - scenario.money.annual_retention ** (1.0 / market.open_days_per_year)
    churn_rng = streams("churn")
    active = pool.active
    leave = churn_rng.random(len(active)) < daily_loss
    gone = {p for p, out in zip(active, leave.tolist(), strict=True) if out}
    lost_to_experience = 0
    for patron in sorted(book.stay):
        if patron in gone:
            continue
        if churn_rng.random() >= book.stay[patron]:
            gone.add(patron)
            lost_to_experience += 1
    pool.remove(gone)
    base = (scenario.patrons.pool_size * daily_loss
            if market.new_patrons_per_day == "balanced" else float(market.new_patrons_per_day))
    expected_new = max(0.0, base + market.referral_probability * book.delighted
                       - market.word_of_mouth_loss * lost_to_experience)
    new = int(streams("market").poisson(expected_new)) if expected_new > 0 else 0
    pool.add(scenario.patrons, streams("patrons.new"), new)
    return {
        "day": float(day), "active_start": float(active_at_start), "new_patrons": float(new),
        "churned": float(len(gone)), "churned_after_bad": float(lost_to_experience),
        "active_end": float(len(pool.active)), "contacts": float(book.contacts),
        "walkouts": float(book.walkouts), "revenue": book.revenue,
        "delighted": float(book.delighted),
        "expected_churn_today": math.fsum(1.0 - s for s in book.stay.values()),
    }


def _scripted(env: simpy.Environment, counter: Counter,
              episodes: list[ScheduledDistraction]) -> Generator[simpy.Event, Any, None]:
    for e in sorted(episodes, key=lambda e: e.start_s):
        if e.start_s > env.now:
            yield env.timeout(e.start_s - env.now)
        counter.staff[e.staff_id].start_scripted(e.kind, e.duration_s)
