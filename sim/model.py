"""Run one replication of a scenario. The model simulates and reports to a recorder; it
never touches files, statistics or plots."""

from __future__ import annotations

import simpy

from sim.config import Scenario
from sim.contact import CHANNELS
from sim.counter import Counter
from sim.demand import ScheduledContact, poisson_contacts, scheduled_contacts
from sim.records import Recorder
from sim.streams import Streams


def simulate(scenario: Scenario, seed: int, replication: int, recorder: Recorder,
             schedule: list[ScheduledContact] | None = None) -> None:
    """Simulate one day (or horizon) of ``scenario``.

    Random quantities come from the named streams of (``seed``, ``replication``). With a
    ``schedule``, arrivals and their patience/service are taken from it instead (exact tests).
    """
    env = simpy.Environment(initial_time=0.0)
    counter = Counter(env, scenario, recorder)
    streams = Streams(seed, replication)
    if schedule is None:
        sources = {ch: poisson_contacts(scenario, streams, ch) for ch in CHANNELS
                   if getattr(scenario.demand, ch).is_open}
    else:
        sources = {ch: scheduled_contacts(schedule, ch) for ch in CHANNELS}
    counter.start(sources)
    drain = scenario.hours.serve_after_close
    env.run(until=None if drain else scenario.hours.close_s)
    counter.finish(drain)
