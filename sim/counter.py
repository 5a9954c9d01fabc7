"""The SimPy wiring of one service counter: waiting lines, phone lines, staff, arrivals.

Customers are plain :class:`~sim.contact.Contact` objects, not processes. Staff are
processes. Patience deadlines are checked lazily by the waiting lines. Everything the
model observes goes to a :class:`~sim.records.Recorder`.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Generator, Iterator
from typing import Any

import simpy

from sim.config import Scenario
from sim.contact import PHONE, WALK_IN, Contact, Outcome
from sim.policies import ACKNOWLEDGMENT, BALKING, DISCIPLINES, PHONE_HANDLING
from sim.records import Recorder
from sim.roster import ROLES, build_roster, duty_changes
from sim.staff import StaffAgent
from sim.waiting_line import WaitingLine

# Which idle staff to wake for an arrival: specialists first, then pooled staff.
WAKE_ORDER = {WALK_IN: ("counter", "both"), PHONE: ("phone", "both")}


class Counter:
    """One counter's state and processes for one replication."""

    def __init__(self, env: simpy.Environment, scenario: Scenario, recorder: Recorder) -> None:
        self.env = env
        self.recorder = recorder
        self.balking = BALKING.build(scenario.balking.policy, scenario)
        self.discipline = DISCIPLINES.build(scenario.discipline.policy, scenario)
        self.acknowledgment = ACKNOWLEDGMENT.build(scenario.acknowledgment.policy, scenario)
        phone_policy = PHONE_HANDLING.build(scenario.phone_handling.policy, scenario)
        self.notice_delay_s: float = self.acknowledgment.notice_delay_s()
        self.greets_when_free: bool = self.acknowledgment.greets_waiting_when_free()
        self.ack_multiplier = scenario.acknowledgment.patience_multiplier
        self.phone_lines = scenario.demand.phone.lines or math.inf
        self.phone_in_system = 0
        self.lines = {WALK_IN: WaitingLine(track_unseen=True), PHONE: WaitingLine()}
        self._leave = {WALK_IN: self._walk_in_leaves, PHONE: self._call_leaves}
        self.busy = 0
        self.on_duty = 0
        self.idle: dict[str, deque[tuple[StaffAgent, int]]] = {r: deque() for r in ROLES}
        self.members = build_roster(scenario)
        order = phone_policy.order()
        self.staff = [StaffAgent(m, self, order) for m in self.members]
        self._next_id = 0

    # ------------------------------------------------------------------ processes

    def start(self, sources: dict[str, Iterator[Contact]]) -> None:
        """Start the roster, the staff and one arrival process per channel."""
        self.env.process(self._roster())
        for agent in self.staff:
            self.env.process(agent.process())
        handlers = {WALK_IN: self.walk_in_arrives, PHONE: self.call_arrives}
        for name, contacts in sources.items():
            self.env.process(self._arrivals(contacts, handlers[name]))

    def _arrivals(self, contacts: Iterator[Contact],
                  handle: Callable[[Contact], None]) -> Generator[simpy.Event, Any, None]:
        env = self.env
        for contact in contacts:
            yield env.timeout(contact.arrival_s - env.now)
            if env.now != contact.arrival_s:  # now + (t - now) can miss t by an ulp
                contact.arrival_s = env.now  # the clock is the truth: waits start at 0
                contact.deadline_s = env.now + contact.patience_s
            contact.id = self._next_id
            self._next_id += 1
            handle(contact)

    def _roster(self) -> Generator[simpy.Event, Any, None]:
        env = self.env
        for t, member_id, on in duty_changes(self.members):
            if t > env.now:
                yield env.timeout(t - env.now)
            agent = self.staff[member_id]
            agent.on_duty = on
            self._count_present(agent)
            if on and agent.sleeping:
                agent.wake(False)

    # ------------------------------------------------------------------ arrivals

    def walk_in_arrives(self, contact: Contact) -> None:
        """A walk-in sees the line, balks or joins, and catches an idle staff member's eye."""
        now = self.env.now
        line = self.lines[WALK_IN]
        line.expire(now, self._walk_in_leaves)
        if contact.balk_draw < self.balking.probability(line.count):
            self._ends(contact, Outcome.BALKED, now)
            return
        line.add(contact)
        self.recorder.queue_changed(now, WALK_IN, line.count)
        self._wake_idle(WALK_IN)

    def call_arrives(self, contact: Contact) -> None:
        """A call is blocked if every line is busy, else it rings until answered or abandoned."""
        now = self.env.now
        line = self.lines[PHONE]
        line.expire(now, self._call_leaves)
        if self.phone_in_system >= self.phone_lines:
            self._ends(contact, Outcome.BLOCKED, now)
            return
        self.phone_in_system += 1
        line.add(contact)
        self.recorder.queue_changed(now, PHONE, line.count)
        self._wake_idle(PHONE)

    def _ends(self, contact: Contact, outcome: Outcome, t: float) -> None:
        contact.outcome = outcome
        contact.end_s = t
        self.recorder.contact_ended(contact)

    def _walk_in_leaves(self, contact: Contact) -> None:
        self.recorder.queue_changed(contact.end_s, WALK_IN, self.lines[WALK_IN].count)
        contact.outcome = (Outcome.RENEGED_ACKNOWLEDGED if contact.acknowledged
                           else Outcome.RENEGED_UNACKNOWLEDGED)
        self.recorder.contact_ended(contact)

    def _call_leaves(self, contact: Contact) -> None:
        self.phone_in_system -= 1
        self.recorder.queue_changed(contact.end_s, PHONE, self.lines[PHONE].count)
        contact.outcome = Outcome.ABANDONED
        self.recorder.contact_ended(contact)

    # ------------------------------------------------------------------ staff

    def _count_present(self, agent: StaffAgent) -> None:
        """Staff present = on duty, or still finishing a contact after the shift ended
        (overtime counts as working time, so utilisation stays within [0, 1])."""
        present = agent.on_duty or agent.serving is not None
        if present != agent.present:
            agent.present = present
            self.on_duty += 1 if present else -1
        self.recorder.staff_changed(self.env.now, self.busy, self.on_duty)

    def became_idle(self, agent: StaffAgent) -> None:
        """``agent`` is idle and on duty: an arrival may wake it."""
        self.idle[agent.role].append((agent, agent.sleep_token))

    def _wake_idle(self, channel: str) -> None:
        for role in WAKE_ORDER[channel]:
            idle = self.idle[role]
            while idle:
                agent, token = idle.popleft()
                if agent.sleeping and agent.on_duty and agent.sleep_token == token:
                    agent.wake(True)
                    return

    def pass_on(self, agent: StaffAgent) -> None:
        """``agent`` was woken for work it can no longer take (its shift ended while it was
        noticing): wake another idle colleague for each line with someone waiting."""
        for channel in agent.channels:
            if self.lines[channel].count:
                self._wake_idle(channel)

    def next_work(self, agent: StaffAgent) -> Contact | None:
        """Greet whoever waits unseen (per policy), then take the next contact, or None."""
        now = self.env.now
        for channel in agent.channels:
            self.lines[channel].expire(now, self._leave[channel])
        if self.greets_when_free and agent.serves_walk_ins:
            self._acknowledge_waiting(now)
        for channel in agent.order:
            line = self.lines[channel]
            if line.count:
                contact = self.discipline.choose(line)
                if contact is not None:
                    line.remove(contact)
                    self.recorder.queue_changed(now, channel, line.count)
                    return contact
        return None

    def _acknowledge_waiting(self, now: float) -> None:
        line = self.lines[WALK_IN]
        multiplier = self.ack_multiplier
        for contact in line.take_unseen():
            contact.ack_s = now
            if multiplier != 1.0 and contact.deadline_s != math.inf:
                line.set_deadline(contact, now + (contact.deadline_s - now) * multiplier)

    def start_service(self, agent: StaffAgent, contact: Contact) -> None:
        """``agent`` starts serving ``contact`` (answering a call acknowledges it)."""
        now = self.env.now
        contact.start_s = now
        if not contact.acknowledged:
            contact.ack_s = now
        contact.staff_id = agent.id
        agent.serving = contact
        self.busy += 1
        self._count_present(agent)

    def end_service(self, agent: StaffAgent, contact: Contact) -> None:
        """Service finished: the contact leaves served."""
        now = self.env.now
        agent.serving = None
        self.busy -= 1
        if contact.channel == PHONE:
            self.phone_in_system -= 1
        self._count_present(agent)
        self._ends(contact, Outcome.SERVED, now)

    # ------------------------------------------------------------------ end of run

    def finish(self, drain: bool) -> None:
        """Close the books. With ``drain``, contacts nobody can serve any more leave at
        their patience deadlines; whoever remains is reported as still in the system."""
        end = self.env.now
        for channel, line in self.lines.items():
            until = line.next_deadline() if drain else end
            while drain and until != math.inf:
                line.expire(until, self._leave[channel])
                end = max(end, until)
                until = line.next_deadline()
            line.expire(end, self._leave[channel])
        self.recorder.run_ended(end)
        remaining = [c for line in self.lines.values() for c in line.drain()]
        remaining += [a.serving for a in self.staff if a.serving is not None]  # still served
        for contact in sorted(remaining, key=lambda c: c.id):
            contact.outcome = Outcome.IN_SYSTEM
            self.recorder.contact_ended(contact)
