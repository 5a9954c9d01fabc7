"""The faster event loop (sim/model/engine.py) and the arrival chain
(sim/model/counter/arrival_chain.py) do exactly what SimPy's loop and a SimPy arrival
process do: the same events in the same order, ties included."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from typing import Any

import pytest
import simpy

from sim.model.contact import WALK_IN, Contact
from sim.model.counter.arrival_chain import ArrivalChain
from sim.model.engine import Engine, FastTimeout

Log = list[tuple[float, str]]


def _worker(env: simpy.Environment, name: str, delays: list[float], log: Log,
            signal: simpy.Event | None = None) -> Generator[simpy.Event, Any, None]:
    for d in delays:
        yield env.timeout(d)
        log.append((env.now, name))
        if signal is not None and not signal.triggered:
            signal.succeed()
    if signal is not None:
        yield signal


def _scene(env: simpy.Environment, log: Log) -> None:
    """Processes whose timeouts tie (equal delays, zero delays, a shared event)."""
    shared = env.event()
    env.process(_worker(env, "a", [1.0, 1.0, 0.0, 2.0], log, shared))
    env.process(_worker(env, "b", [2.0, 0.0, 1.0, 1.0], log, shared))
    env.process(_worker(env, "c", [0.5, 1.5, 0.0, 0.0, 2.0], log))


@pytest.mark.parametrize("until", [None, 3.0, 4.0, 10.0])
def test_perf_engine_same_order_as_simpy(until: float | None) -> None:
    logs = []
    for make in (simpy.Environment, Engine):
        env = make(initial_time=0.0)
        log: Log = []
        _scene(env, log)
        env.run(until=until)
        logs.append((log, env.now))
    assert logs[0] == logs[1]
    assert logs[1][0], "the scene did something"


def test_perf_engine_timeout_is_a_timeout() -> None:
    env = Engine()
    t = env.timeout(2.5, value="v")
    assert isinstance(t, FastTimeout) and isinstance(t, simpy.Timeout)
    assert env.run(until=t) == "v" and env.now == 2.5
    with pytest.raises(ValueError, match="Negative delay"):
        env.timeout(-1.0)
    with pytest.raises(ValueError, match="must be greater"):
        env.run(until=1.0)


def test_perf_engine_failed_event_crashes_like_simpy() -> None:
    for make in (simpy.Environment, Engine):
        env = make()

        def boom(e: simpy.Environment) -> Generator[simpy.Event, Any, None]:
            yield e.timeout(1.0)
            raise KeyError("late")

        env.process(boom(env))
        with pytest.raises(KeyError, match="late"):
            env.run()


def _contacts(times: list[float]) -> Iterator[Contact]:
    return iter([Contact(-1, WALK_IN, 0, t, 60.0, 30.0, 0.5) for t in times])


def _as_process(env: simpy.Environment, contacts: Iterator[Contact],
                handle: Callable[[Contact, float], None], number: Callable[[Contact], None]
                ) -> Generator[simpy.Event, Any, None]:
    """The arrival process the chain replaces (as it was in sim/model/counter/arrivals.py)."""
    now = env.now
    for contact in contacts:
        yield env.timeout(contact.arrival_s - now)
        now = env.now
        if now != contact.arrival_s:
            contact.arrival_s = now
            contact.deadline_s = now + contact.patience_s
        number(contact)
        handle(contact, now)


@pytest.mark.parametrize("engine", [simpy.Environment, Engine])
def test_perf_arrival_chain_same_events_as_a_process(engine: Callable[..., Any]) -> None:
    # arrivals tie with each other and with another process's timeouts; 0.1 + 0.2 is not
    # 0.3 on the clock, so the clock-is-the-truth correction is exercised too
    times = [0.0, 0.1, 0.3, 0.30000000000000004, 1.0, 1.0, 2.0, 2.0, 2.0, 3.5]
    logs = []
    for chained in (False, True):
        env = engine(initial_time=0.0)
        log: Log = []
        ids = iter(range(100))
        seen: list[tuple[int, float, float]] = []

        def number(c: Contact, ids: Iterator[int] = ids) -> None:
            c.id = next(ids)

        def handle(c: Contact, now: float, log: Log = log, seen: list[Any] = seen) -> None:
            log.append((now, f"arrival {c.id}"))
            seen.append((c.id, c.arrival_s, c.deadline_s))

        env.process(_worker(env, "other", [1.0, 1.0, 0.0, 1.5], log))
        if chained:
            ArrivalChain(env, _contacts(times), handle, number).start()
        else:
            env.process(_as_process(env, _contacts(times), handle, number))
        env.process(_worker(env, "late", [0.0, 2.0, 1.5], log))
        env.run(until=3.0)
        logs.append((log, seen, env.now))
    assert logs[0] == logs[1]
    assert len(logs[1][1]) == 9  # the arrival at 3.5 is after the end
