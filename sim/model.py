"""Run one replication of a scenario. The model simulates and reports to a recorder; it
never touches files, statistics or plots."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy

from sim.config import Scenario
from sim.contact import CHANNELS, EMAIL
from sim.counter import Counter
from sim.demand import (
    ScheduledContact,
    ScheduledDistraction,
    poisson_contacts,
    scheduled_contacts,
)
from sim.patrons import PatronPool
from sim.records import Recorder
from sim.streams import Streams


def simulate(scenario: Scenario, seed: int, replication: int, recorder: Recorder,
             schedule: list[ScheduledContact] | None = None,
             distractions: list[ScheduledDistraction] | None = None) -> None:
    """Simulate one day (or horizon) of ``scenario``.

    Random quantities come from the named streams of (``seed``, ``replication``). With a
    ``schedule``, arrivals and their patience/service are taken from it instead, and
    ``distractions`` adds hand-made episodes (exact tests).
    """
    env = simpy.Environment(initial_time=0.0)
    streams = Streams(seed, replication)
    pool = PatronPool.draw(scenario.patrons, streams("patrons.attributes"))
    counter = Counter(env, scenario, recorder, streams, pool)
    counter.interrupts_service = bool(distractions)
    if schedule is None:
        sources = {ch: poisson_contacts(scenario, streams, ch, pool) for ch in (*CHANNELS, EMAIL)
                   if getattr(scenario.demand, ch).is_open}
    else:
        sources = {ch: scheduled_contacts(schedule, ch) for ch in (*CHANNELS, EMAIL)}
    counter.start(sources)
    if distractions:
        env.process(_scripted(env, counter, distractions))
    drain = scenario.hours.serve_after_close
    env.run(until=None if drain else scenario.hours.close_s)
    counter.finish(drain)


def _scripted(env: simpy.Environment, counter: Counter,
              episodes: list[ScheduledDistraction]) -> Generator[simpy.Event, Any, None]:
    for e in sorted(episodes, key=lambda e: e.start_s):
        if e.start_s > env.now:
            yield env.timeout(e.start_s - env.now)
        counter.staff[e.staff_id].start_scripted(e.kind, e.duration_s)
