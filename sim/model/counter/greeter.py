"""The greeter: noticing newcomers and acknowledging waiting walk-ins. What a busy staff
member does about an arrival (the acknowledgment and phone-handling policies), and
walk-ins greeted while they wait (their remaining patience stretched; a biased clerk may
greet some later, by the discipline's delay factor)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial

import simpy

from sim.model.contact import PHONE, WALK_IN, Contact
from sim.model.counter.lines import Lines
from sim.model.distributions import Draw
from sim.model.workplace import Colleague
from sim.policies.base import (
    GESTURE,
    INTERRUPT,
    AcknowledgmentPolicy,
    DisciplinePolicy,
    PhoneHandlingPolicy,
    Response,
    StaffView,
)

ATTENTIVE = frozenset({"serving", "greeting", "email"})


class Greeter:
    """Noticing, responding to and greeting newcomers."""

    def __init__(self, env: simpy.Environment, lines: Lines, acknowledgment: AcknowledgmentPolicy,
                 phone_policy: PhoneHandlingPolicy, discipline: DisciplinePolicy,
                 noticing: Draw, patience_multiplier: float, staff: Sequence[Colleague]) -> None:
        """``noticing()``: Uniform(0, 1) draws for whether a distracted member notices;
        ``patience_multiplier``: a greeted walk-in's remaining patience × this; ``staff``: the
        members who may respond to newcomers (the counter's roster, filled before the day)."""
        self.env = env
        self.lines = lines
        self._walk_ins, self._walk_in_leaves = lines.walk_ins, lines.walk_in_leaves
        self.acknowledgment = acknowledgment
        self.phone_policy = phone_policy
        self.discipline = discipline
        self.noticing = noticing
        self.multiplier = patience_multiplier
        self.may_lag = discipline.may_delay_greetings
        self._due: dict[int, float] = {}  # contact id -> when a late greeting is due
        self.staff = staff

    # ------------------------------------------------------------------ busy staff

    def busy_staff_respond(self, channel: str) -> None:
        """Nobody idle: the first staff member able to respond to the newcomer (by the
        acknowledgment and phone-handling policies) does so after noticing it."""
        best: tuple[float, Response, Colleague] | None = None
        for agent in self.staff:
            if channel not in agent.channels or not agent.on_duty or agent.sleeping:
                continue
            response = self._response(agent, channel)
            if response is not None and (best is None or agent.notice_delay_s < best[0]):
                best = (agent.notice_delay_s, response, agent)
        if best is None:
            return
        delay, response, agent = best
        segment = agent.segment
        timer = self.env.timeout(delay)
        timer.callbacks.append(lambda _: self._deliver(agent, segment, response))

    def _response(self, agent: Colleague, channel: str) -> Response | None:
        if agent.holdable and channel == WALK_IN:
            on_call = self.phone_policy.while_on_call()
            if on_call is not None:
                return on_call
        activity = agent.activity
        if activity in ATTENTIVE:
            noticed = True
        elif agent.episode is not None:
            p = agent.episode.kind.notice_probability / agent.notice_factor
            noticed = channel == PHONE or self.noticing() < p
        else:
            return None
        if noticed and channel == WALK_IN and agent.episode is not None \
                and agent.episode.stops_for_customers:
            return INTERRUPT  # a staff rule: this stops once a customer walks in
        response = self.acknowledgment.response(StaffView(activity, agent.interruptible, noticed))
        if response == GESTURE and channel == PHONE:
            return None
        return response

    def _deliver(self, agent: Colleague, segment: int, response: Response) -> None:
        if agent.segment != segment or not agent.is_running():
            return  # the staff member moved on; the policy's moment has passed
        if response == GESTURE:
            self.acknowledge_walk_ins(agent)
        elif response == INTERRUPT:
            if agent.interruptible:
                agent.interrupt(INTERRUPT)
        elif agent.holdable and self.lines.walk_ins.count:
            agent.interrupt(response)

    # ------------------------------------------------------------------ greeting

    def acknowledge_walk_ins(self, agent: Colleague | None = None, expired: bool = False) -> None:
        """``agent`` greets every walk-in waiting unseen: their remaining patience is
        stretched. A discipline that may delay greetings sets each one's delay factor.
        ``expired``: the caller has just expired the line up to now."""
        line = self._walk_ins
        if not line.has_unseen():
            return
        now = self.env.now
        if not expired and line.next_due <= now:
            line.expire(now, self._walk_in_leaves)
        if not self.may_lag:  # everyone is greeted now
            line.acknowledge_unseen(now, self.multiplier)
            return
        bias = agent.bias if agent is not None else 0.0
        stretch = self.multiplier != 1.0
        delay_factor = self.discipline.ack_delay_factor
        late = []
        for contact in line.take_unseen():
            factor = delay_factor(contact, bias)
            if factor != 1.0:
                self._greet_later(contact, contact.arrival_s + factor * (now - contact.arrival_s))
                late.append(contact)  # still unseen: a colleague may greet them sooner
            elif stretch:
                self._acknowledge(contact)
            else:  # _acknowledge without a patience multiplier
                contact.ack_s = now
        if late:
            line.keep_unseen(late)

    def _greet_later(self, contact: Contact, at: float) -> None:
        """Greet ``contact`` at ``at`` unless someone greets them first (the earliest
        greeting wins)."""
        due = self._due.get(contact.id, math.inf)
        if at < due:
            self._due[contact.id] = at
            self.env.timeout(at - self.env.now).callbacks.append(
                partial(self._late_acknowledge, contact, at))

    def _acknowledge(self, contact: Contact) -> None:
        now = self.env.now
        contact.ack_s = now
        if self.multiplier != 1.0 and contact.deadline_s != math.inf:
            self.lines.walk_ins.set_deadline(
                contact, now + (contact.deadline_s - now) * self.multiplier)

    def _late_acknowledge(self, contact: Contact, at: float, _: simpy.Event) -> None:
        self.lines.expire_walk_ins(self.env.now)
        if self._due.get(contact.id) == at:  # the latest greeting planned for the contact
            del self._due[contact.id]
        if contact.waiting and not contact.acknowledged:
            self._acknowledge(contact)
