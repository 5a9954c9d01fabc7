"""The lean path for plain counters (validation mode: every behaviour off).

Validation mode needs none of the general machinery. These processes do exactly what
the general ones do there (same events in the same order, same draws, same reports), with
the calls that cannot matter left out. They are tuned for speed: locals bound once, no
call per event that the general path would not make.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Any

import simpy

from sim.model.contact import WALK_IN, Contact
from sim.model.counter.email import EmailWork
from sim.model.counter.outcomes import BALKED, SERVED
from sim.model.staff_agent import NOTICED, SERVING, StaffAgent


class PlainPath(EmailWork):
    """Lean arrival and clerk processes for a counter where nothing ever distracts."""

    def _calm(self) -> bool:
        """True if no staff member is ever distracted (no scene, nobody visibly distracted)
        and nobody busy ever responds to a newcomer."""
        return (not self.interrupts_service and not self._busy_may_respond
                and all(a.idle_rate_s == 0.0 and a.serving_rate_s == 0.0 for a in self.staff))

    def _plain_walk_ins(self, contacts: Iterator[Contact]) -> Generator[simpy.Event, Any, None]:
        """``_arrivals(contacts, walk_in_arrives)`` at a :meth:`_calm` counter, with
        walk_in_arrives inlined (no scene, nobody distracted, nobody busy responds): the same
        events, draws and reports in the same order."""
        env = self.env
        timeout = env.timeout
        line = self.walk_ins
        leave = self._walk_in_leaves
        balk = self.balking.probability
        queue_changed = self._queue_changed
        now = env.now
        for contact in contacts:
            yield timeout(contact.arrival_s - now)
            now = env.now
            if now != contact.arrival_s:  # as in _arrivals
                contact.arrival_s = now
                contact.deadline_s = now + contact.patience_s
            contact.id = self._next_id
            self._next_id += 1
            if line.next_due <= now:
                line.expire(now, leave)
            if contact.balk_draw < min(1.0, balk(line.count)):
                self._ends(contact, BALKED, now)
                continue
            line.add(contact)
            queue_changed(now, WALK_IN, line.count)
            self._wake_idle(WALK_IN)

    def _plain(self, agent: StaffAgent) -> bool:
        """True if only walk-ins (and emails) ever occupy ``agent``, in arrival order: it
        serves the counter alone, is never distracted, no policy or hand-made episode
        interrupts it, and the discipline is plain first come, first served."""
        return (agent.channels == (WALK_IN,) and agent.idle_rate_s == 0.0
                and agent.serving_rate_s == 0.0 and not self.interrupts_service
                and not self._busy_may_respond and self._in_order)

    def _plain_clerk(self, agent: StaffAgent) -> Generator[simpy.Event, Any, None]:
        """``agent.run()`` for a :meth:`_plain` clerk (validation mode), with next_work
        inlined for its one line (first come, first served: greetings never lag, nobody is
        overtaken or scrutinised): the same events, draws and reports in the same order."""
        env = self.env
        timeout = env.timeout
        line = self.walk_ins
        leave = self._walk_in_leaves
        greets = self.greets_when_free
        multiplier = self.ack_multiplier
        queue_changed = self._queue_changed
        speed = agent.effects.service_time
        angry = speed * agent.effects.composure  # service_time() for an angry customer
        now = env.now
        while True:
            if agent.on_duty:
                if line.next_due <= now:
                    line.expire(now, leave)
                if greets:  # acknowledge_walk_ins: nobody's greeting lags
                    line.acknowledge_unseen(now, multiplier)
                contact = line.pop_first() if line.count else None  # _choose
                if contact is not None:
                    queue_changed(now, WALK_IN, line.count)
                    self._start_plain(agent, contact, now)
                    yield timeout(contact.service_s
                                  * (angry if contact.temperament == "angry" else speed))
                    now = env.now
                    self._end_plain(agent, contact, now)
                    continue
                email = self.next_email(agent)
                if email is not None:
                    yield from agent.answer(email)
                    now = env.now
                    continue
            reason = yield agent.sleep(now)
            now = env.now
            if reason == NOTICED and agent.notice_delay_s > 0.0:
                yield timeout(agent.notice_delay_s)
                now = env.now
                if not agent.on_duty:
                    self.pass_on(agent)

    def _start_plain(self, agent: StaffAgent, contact: Contact, now: float) -> None:
        """:meth:`start_service` of a walk-in by a :meth:`_plain` clerk (serving nobody)."""
        contact.start_s = now
        if contact.ack_s != contact.ack_s:  # not acknowledged yet (NaN)
            contact.ack_s = now
        contact.staff_id = agent.id  # first come, first served: nobody is scrutinised
        self.busy += 1
        agent.serving = contact
        agent.interruptible = False  # set_activity(SERVING, now), inlined
        agent.episode = None
        agent.segment += 1
        if agent.activity != SERVING:
            agent.activity = SERVING
            agent.report_activity(now, agent.id, SERVING)
        if not agent.present:  # _count_present
            agent.present = True
            self.on_duty += 1
        self._staff_changed(now, self.busy, self.on_duty)

    def _end_plain(self, agent: StaffAgent, contact: Contact, now: float) -> None:
        """:meth:`end_service` of a walk-in by a :meth:`_plain` clerk (holding no call)."""
        agent.serving = None
        self.busy -= 1
        if agent.present != agent.on_duty:  # _count_present
            agent.present = agent.on_duty
            self.on_duty += 1 if agent.on_duty else -1
        self._staff_changed(now, self.busy, self.on_duty)
        contact.outcome = SERVED
        contact.end_s = now
        self._report(contact)
