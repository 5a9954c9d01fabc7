"""One channel's arrivals as a chain of events instead of a SimPy process.

An arrival process only waits for each contact's arrival time and hands the contact over;
it never waits on anything else and nothing interrupts it. So instead of a generator
resumed by SimPy, one event is rescheduled for each next arrival, with the handler as its
callback: the same queue entries ``(time, priority, creation order)`` as the process would
create (its start event, then one timeout per contact, each made after the previous
contact was handled), so every event happens in the same order as with a process, without
the generator frame, the resume call and a new timeout object per contact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from heapq import heappush

import simpy
from simpy.events import NORMAL, URGENT, Event

from sim.model.contact import Contact


class ArrivalChain:
    """Contacts of one channel arriving at their times (``contact.arrival_s``, seconds)."""

    __slots__ = ("_contacts", "_due", "_env", "_event", "_fire", "_handle", "_number")

    def __init__(self, env: simpy.Environment, contacts: Iterator[Contact],
                 handle: Callable[[Contact, float], None],
                 number: Callable[[Contact], None]) -> None:
        """``handle(contact, now)``: the contact arrives (no time passes);
        ``number(contact)``: give it its id, just before."""
        self._env = env
        self._contacts = contacts
        self._handle = handle
        self._number = number
        self._due: Contact | None = None
        self._fire = self.fire  # bound once: it is the callback of every arrival
        self._event = event = Event(env)
        event._ok = True
        event._value = None

    def start(self) -> None:
        """Begin now: like ``env.process``, an urgent start event, then the first arrival."""
        event = self._event
        event.callbacks = [self._begin]
        self._env.schedule(event, URGENT)

    def _begin(self, _: Event) -> None:
        self._schedule_next(self._env.now)

    def fire(self, _: Event) -> None:
        """The contact due now arrives; the next one is scheduled."""
        contact = self._due
        assert contact is not None
        now = self._env.now
        if now != contact.arrival_s:  # now + (t - now) can miss t by an ulp
            contact.arrival_s = now  # the clock is the truth: waits start at 0
            contact.deadline_s = now + contact.patience_s
        self._number(contact)
        self._handle(contact, now)  # no time passes: ``now`` stays the clock
        self._schedule_next(now)

    def _schedule_next(self, now: float) -> None:
        contact = self._due = next(self._contacts, None)
        if contact is None:
            return
        delay = contact.arrival_s - now
        if delay < 0:
            raise ValueError(f"Negative delay {delay}")
        env = self._env
        event = self._event
        event.callbacks = [self._fire]
        heappush(env._queue, (now + delay, NORMAL, next(env._eid), event))
