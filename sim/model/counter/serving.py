"""Serving: which contact a staff member takes next (the discipline's treatment choice:
who is overtaken, who is scrutinised), and the start and end of a service with the count
of staff busy and present."""

from __future__ import annotations

from sim.model.contact import PHONE, WALK_IN, Contact
from sim.model.counter.noticing import Noticing
from sim.model.counter.outcomes import SERVED
from sim.model.staff_agent import SERVING, StaffAgent
from sim.model.waiting_line import WaitingLine
from sim.policies.base import DisciplinePolicy
from sim.policies.discipline import Fifo


def serves_in_arrival_order(discipline: DisciplinePolicy) -> bool:
    """True if ``discipline`` is plain first come, first served: it chooses, greets and
    (never) scrutinises exactly as :class:`~sim.policies.discipline.Fifo` does."""
    cls = type(discipline)
    return all(getattr(cls, name, None) is getattr(Fifo, name)
               for name in ("choose", "ack_delay_factor", "scrutinises"))


class Serving(Noticing):
    """Choosing the next contact and serving it."""

    def next_work(self, agent: StaffAgent, now: float) -> Contact | None:
        """Greet whoever waits unseen (per policy), then take the next contact, or None
        (``now``: the current time)."""
        for line, leave in agent.watched:
            if line.next_due <= now:
                line.expire(now, leave)
        if self.greets_when_free and agent.serves_walk_ins:
            if self._acks_may_lag:
                self.acknowledge_walk_ins(agent, expired=True)
            else:  # acknowledge_walk_ins: everyone is greeted now
                self.walk_ins.acknowledge_unseen(now, self.ack_multiplier)
        for channel, line in agent.choices:
            if line.count:
                if self._in_order:  # _choose: the head, and nobody is overtaken
                    contact = line.pop_first()
                    self._queue_changed(now, channel, line.count)
                    return contact
                contact = self._choose(agent, channel, line)
                if contact is not None:
                    return contact
        return None

    def _choose(self, agent: StaffAgent, channel: str, line: WaitingLine) -> Contact | None:
        """The discipline's pick on ``channel`` (its ``line``), taken out of the line.
        Walk-ins who see a later arrival served first are marked overtaken (perceived
        unfairness)."""
        if not line.count:
            return None
        if self._in_order:  # first come, first served: the head, and nobody is overtaken
            contact = line.pop_first()
            self._queue_changed(self.env.now, channel, line.count)
            return contact
        head = line.first()
        contact = self.discipline.choose(line, agent.bias, self.policy_draws)
        if contact is None:
            return None
        if contact is not head and channel == WALK_IN:
            for earlier in line.waiting():
                if earlier.arrival_s >= contact.arrival_s:
                    break
                earlier.overtaken = True
        line.remove(contact)
        self._queue_changed(self.env.now, channel, line.count)
        return contact

    def take_walk_in(self, agent: StaffAgent) -> Contact | None:
        """The next walk-in for ``agent`` (who holds a call to serve them), or None."""
        self.walk_ins.expire(self.env.now, self._walk_in_leaves)
        self.acknowledge_walk_ins(agent)
        return self._choose(agent, WALK_IN, self.walk_ins)

    def start_service(self, agent: StaffAgent, contact: Contact, now: float) -> None:
        """``agent`` starts serving ``contact`` at ``now`` (answering a call acknowledges it)."""
        contact.start_s = now
        if contact.ack_s != contact.ack_s:  # not acknowledged yet (NaN)
            contact.ack_s = now
        contact.staff_id = agent.id
        if contact.channel == WALK_IN and agent.bias > 0.0 and not self._in_order:
            contact.scrutinised = self.discipline.scrutinises(contact, agent.bias,
                                                              self.policy_draws)
        if agent.serving is None:
            self.busy += 1
        else:
            agent.held_call = agent.serving
        agent.serving = contact
        agent.set_activity(SERVING, now)
        if not agent.present:  # _count_present: serving, so present
            agent.present = True
            self.on_duty += 1
        self._staff_changed(now, self.busy, self.on_duty)

    def end_service(self, agent: StaffAgent, contact: Contact, now: float) -> None:
        """Service finished at ``now``: the contact leaves served."""
        agent.serving, agent.held_call = agent.held_call, None
        if agent.serving is None:
            self.busy -= 1
        if contact.channel == PHONE:
            self.phone_in_system -= 1
        self._count_present(agent, now)
        contact.outcome = SERVED  # _ends, inlined
        contact.end_s = now
        self._report(contact)

    def _count_present(self, agent: StaffAgent, now: float) -> None:
        """Staff present = on duty, or still finishing a contact after the shift ended
        (overtime counts as working time, so utilisation stays within [0, 1])."""
        present = agent.on_duty or agent.serving is not None
        if present != agent.present:
            agent.present = present
            self.on_duty += 1 if present else -1
        self._staff_changed(now, self.busy, self.on_duty)
