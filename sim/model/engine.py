"""The SimPy environment the model runs on: :class:`simpy.Environment` with a tighter event
loop and a cheaper timeout. Same events, same order, same results.

:meth:`Engine.run` is SimPy's ``run`` with ``step`` inlined (one method call less per
event, the queue and ``heappop`` bound once); :class:`FastTimeout` is SimPy's
:class:`~simpy.events.Timeout` with ``Environment.schedule`` inlined. The queue entries are
SimPy's own ``(time, priority, event id, event)``, so ties break exactly as in SimPy.
"""

from __future__ import annotations

from heapq import heappop, heappush
from typing import TYPE_CHECKING, Any

import simpy
from simpy.core import BoundClass, EmptySchedule, StopSimulation
from simpy.events import NORMAL, URGENT, Event, EventPriority, Timeout


class FastTimeout(Timeout):
    """A :class:`~simpy.events.Timeout` (``delay`` in seconds) that schedules itself without
    the ``Environment.schedule`` call."""

    def __init__(self, env: simpy.Environment, delay: float, value: Any | None = None) -> None:
        """Triggered at once, processed ``delay`` seconds from now."""
        if delay < 0:
            raise ValueError(f"Negative delay {delay}")
        self.env = env
        self.callbacks = []
        self._value = value
        self._delay = delay
        self._ok = True
        heappush(env._queue, (env._now + delay, NORMAL, next(env._eid), self))


class Engine(simpy.Environment):
    """:class:`simpy.Environment` (times in seconds) with :class:`FastTimeout` and an event
    loop that steps without a method call per event."""

    if TYPE_CHECKING:
        def timeout(self, delay: float = 0, value: Any | None = None) -> FastTimeout:
            """A :class:`FastTimeout` of ``delay`` seconds."""
    else:
        timeout = BoundClass(FastTimeout)

    def run(self, until: float | Event | None = None) -> Any | None:
        """Process events until the clock reaches ``until`` (seconds; events due then are
        left for later, as in SimPy) or, with ``until=None``, until none are left."""
        if isinstance(until, Event):
            return super().run(until)
        stop: Event | None = None
        if until is not None:
            at = float(until)
            if at <= self._now:
                raise ValueError(f"until ({at}) must be greater than the current simulation time")
            stop = Event(self)
            stop._ok = True
            stop._value = None
            self.schedule(stop, URGENT, at - self._now)
            stop.callbacks.append(StopSimulation.callback)
        try:
            self._loop()
        except StopSimulation as exc:
            return exc.args[0]
        except EmptySchedule:
            if stop is not None:
                raise RuntimeError(f'No scheduled events left but "until" event was not '
                                   f"triggered: {stop}") from None
        return None

    def _loop(self) -> None:
        """``step()`` until the queue is empty (:exc:`EmptySchedule`) or a callback stops
        the simulation (:exc:`StopSimulation`, the event's remaining callbacks kept)."""
        queue = self._queue
        while queue:
            self._now, _, _, event = heappop(queue)
            callbacks, event.callbacks = event.callbacks, None  # type: ignore[assignment]
            try:
                for callback in callbacks:
                    callback(event)
            except StopSimulation:
                event.callbacks = callbacks[callbacks.index(callback) + 1:]
                self.schedule(event, EventPriority(-1))
                raise
            if not event._ok and not hasattr(event, "_defused"):
                exc = type(event._value)(*event._value.args)
                exc.__cause__ = event._value
                raise exc
        raise EmptySchedule
