"""Arrivals: the arrival process of one channel (ids, the clock as the truth), and a
walk-in arriving: seeing the line and the scene, balking or joining, catching an eye."""

from __future__ import annotations

import math
from collections.abc import Callable, Generator, Iterator
from typing import Any

import simpy

from sim.model.contact import WALK_IN, Contact
from sim.model.counter.noticing import Noticing
from sim.model.counter.outcomes import BALKED


class Arrivals(Noticing):
    """Contacts arriving; walk-ins joining the line."""

    def _arrivals(self, contacts: Iterator[Contact],
                  handle: Callable[[Contact, float], None]
                  ) -> Generator[simpy.Event, Any, None]:
        env = self.env
        timeout = env.timeout
        now = env.now
        for contact in contacts:
            yield timeout(contact.arrival_s - now)
            now = env.now
            if now != contact.arrival_s:  # now + (t - now) can miss t by an ulp
                contact.arrival_s = now  # the clock is the truth: waits start at 0
                contact.deadline_s = now + contact.patience_s
            contact.id = self._next_id
            self._next_id += 1
            handle(contact, now)  # no time passes: ``now`` stays the clock

    def walk_in_arrives(self, contact: Contact, now: float) -> None:
        """A walk-in arrives at ``now``: sees the line and the scene, balks or joins, and
        catches an eye."""
        line = self.walk_ins
        if line.next_due <= now:
            line.expire(now, self._walk_in_leaves)
        contact.saw_distraction = self.visibly_distracted > 0
        p_balk = min(1.0, self.balking.probability(line.count) + self.scene_balk)
        if contact.balk_draw < p_balk:
            contact.during_scene = bool(self.scenes)
            self._ends(contact, BALKED, now)
            return
        if self.scene_drain != 1.0 and contact.deadline_s != math.inf:
            contact.deadline_s = now + contact.patience_s / self.scene_drain
        line.add(contact)
        self._queue_changed(now, WALK_IN, line.count)
        if not self._wake_idle(WALK_IN) and self._busy_may_respond:
            self._busy_staff_respond(WALK_IN)
