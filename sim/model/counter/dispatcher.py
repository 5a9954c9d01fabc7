"""The dispatcher: which contact a staff member takes next (the discipline's choice: who is
overtaken, who is scrutinised), the start and end of a service, and calls held for walk-ins
(the phone-handling policy)."""

from __future__ import annotations

from collections.abc import Callable

import simpy

from sim.model.contact import PHONE, WALK_IN, Contact
from sim.model.counter.conduct import ConductDesk
from sim.model.counter.greeter import Greeter
from sim.model.counter.lines import Lines
from sim.model.counter.outcomes import SERVED, OutcomeBook
from sim.model.counter.staff_room import StaffRoom
from sim.model.distributions import Draw
from sim.model.waiting_line import WaitingLine
from sim.model.workplace import Colleague
from sim.policies.base import HOLD_AND_GREET, DisciplinePolicy, PhoneHandlingPolicy, Response

SERVING = "serving"


class Dispatcher:
    """Next work, service start and end, holds."""

    def __init__(self, env: simpy.Environment, lines: Lines, room: StaffRoom, greeter: Greeter,
                 book: OutcomeBook, discipline: DisciplinePolicy,
                 phone_policy: PhoneHandlingPolicy, policy_draws: Draw,
                 greets_when_free: bool, queue_changed: Callable[[float, str, int], None],
                 staff_changed: Callable[[float, int, int], None]) -> None:
        """``policy_draws()``: Uniform(0, 1) draws for disciplines that choose at random;
        ``greets_when_free``: a member who looks for work greets everyone waiting unseen."""
        self.env = env
        self.lines = lines
        self.room = room
        self.greeter = greeter
        self.book = book
        self.discipline = discipline
        self.phone_policy = phone_policy
        self.policy_draws = policy_draws
        self.greets_when_free = greets_when_free
        self.in_order = discipline.in_arrival_order
        self.acks_may_lag = greeter.may_lag
        self.may_scrutinise = discipline.may_scrutinise
        self._queue_changed = queue_changed
        self._staff_changed = staff_changed
        self._greet_all = lines.walk_ins.acknowledge_unseen
        self._multiplier = greeter.multiplier
        self.conduct: ConductDesk | None = None  # set by the counter when a lever is on

    def next_work(self, agent: Colleague, now: float) -> Contact | None:
        """Greet whoever waits unseen (per policy), then take the next contact, or None
        (``now``: the current time, seconds)."""
        for line, leave in agent.watched:
            if line.next_due <= now:
                line.expire(now, leave)
        if self.greets_when_free and agent.serves_walk_ins:
            if self.acks_may_lag:
                self.greeter.acknowledge_walk_ins(agent, expired=True)
            else:  # acknowledge_walk_ins: everyone is greeted now
                self._greet_all(now, self._multiplier)
        for channel, line in agent.choices:
            if line.count:
                if self.in_order:  # _choose: the head, and nobody is overtaken
                    contact = line.pop_first()
                    self._queue_changed(now, channel, line.count)
                    return contact
                contact = self._choose(agent, channel, line)
                if contact is not None:
                    return contact
        return None

    def _choose(self, agent: Colleague, channel: str, line: WaitingLine) -> Contact | None:
        """The discipline's pick on ``channel`` (its ``line``), taken out of the line.
        Walk-ins who see a later arrival served first are marked overtaken (perceived
        unfairness)."""
        if not line.count:
            return None
        if self.in_order:  # first come, first served: the head, and nobody is overtaken
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

    def take_walk_in(self, agent: Colleague) -> Contact | None:
        """The next walk-in for ``agent`` (who holds a call to serve them), or None."""
        self.lines.expire_walk_ins(self.env.now)
        self.greeter.acknowledge_walk_ins(agent)
        return self._choose(agent, WALK_IN, self.lines.walk_ins)

    def start_service(self, agent: Colleague, contact: Contact, now: float) -> None:
        """``agent`` starts serving ``contact`` at ``now`` (answering a call acknowledges it)."""
        contact.start_s = now
        if contact.ack_s != contact.ack_s:  # not acknowledged yet (NaN)
            contact.ack_s = now
        contact.staff_id = agent.id
        if self.may_scrutinise and contact.channel == WALK_IN:
            contact.scrutinised = self.discipline.scrutinises(contact, agent.bias,
                                                              self.policy_draws)
        if self.conduct is not None:
            self.conduct.begin(agent.id, contact)
        room = self.room
        if agent.serving is None:
            room.busy += 1
        room.on_duty += agent.take(contact, now)
        self._staff_changed(now, room.busy, room.on_duty)

    def end_service(self, agent: Colleague, contact: Contact, now: float) -> None:
        """Service finished at ``now``: the contact leaves served."""
        room = self.room
        room.on_duty += agent.finish_contact()  # _count_present, inlined
        if agent.serving is None:
            room.busy -= 1
        if contact.channel == PHONE:
            self.lines.phone_in_system -= 1
        self._staff_changed(now, room.busy, room.on_duty)
        if self.conduct is not None:
            self.conduct.finish(agent.id, contact)
        contact.outcome = SERVED  # book.ends, inlined
        contact.end_s = now
        self.book.report(contact)

    # ------------------------------------------------------------------ holds

    def hold_due(self, agent: Colleague) -> Response | None:
        """The hold the phone-handling policy asks for now, if walk-ins are waiting that no
        hold has dealt with (unseen for a greeting; any for serving), else None."""
        how = self.phone_policy.while_on_call() if agent.serves_walk_ins else None
        if how is None:
            return None
        self.lines.expire_walk_ins(self.env.now)
        line = self.lines.walk_ins
        if how == HOLD_AND_GREET:
            return how if line.unseen() else None
        return how if line.count else None

    def hold_call(self, call: Contact) -> None:
        """The caller is asked to hold; they hang up if the hold outlasts their hold patience."""
        self.lines.hold(call, self.env.now)

    def resume_call(self, agent: Colleague, call: Contact) -> None:
        """Back to the caller, or find they hung up at their hold deadline."""
        now = self.env.now
        if self.lines.unhold(call, now):
            agent.set_activity(SERVING, now)
        elif agent.drop_call(call):
            self.room.busy -= 1
            self.room.count_present(agent, now)
