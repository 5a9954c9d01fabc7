"""Noticing newcomers and greeting them: which idle staff member wakes for an arrival,
what a busy one does about it (the acknowledgment and phone-handling policies), and
walk-ins greeted while they wait (their patience stretched)."""

from __future__ import annotations

import math
from functools import partial

import simpy

from sim.model.contact import PHONE, WALK_IN, Contact
from sim.model.counter.outcomes import ContactOutcomes
from sim.model.staff_agent import NOTICED, StaffAgent
from sim.policies.base import GESTURE, INTERRUPT, Response, StaffView

ATTENTIVE = frozenset({"serving", "greeting", "email"})


class Noticing(ContactOutcomes):
    """Waking, responding to and greeting newcomers."""

    def _wake_idle(self, channel: str) -> bool:
        for idle in self._idle_for[channel]:
            while idle:
                agent, token = idle.popleft()
                if agent.sleeping and agent.on_duty and agent.sleep_token == token:
                    agent.wake(NOTICED)
                    return True
        return False

    def pass_on(self, agent: StaffAgent) -> None:
        """``agent`` was woken for work it can no longer take (its shift ended while it was
        noticing): wake another idle colleague for each line with someone waiting."""
        for channel in agent.channels:
            if self.lines[channel].count:
                self._wake_idle(channel)

    def _busy_staff_respond(self, channel: str) -> None:
        """Nobody idle: the first staff member able to respond to the newcomer (by the
        acknowledgment and phone-handling policies) does so after noticing it."""
        if not self._busy_may_respond:
            return
        best: tuple[float, int, Response, StaffAgent] | None = None
        for agent in self.staff:
            if channel not in agent.channels or not agent.on_duty or agent.sleeping:
                continue
            response = self._response(agent, channel)
            if response is not None and (best is None or agent.notice_delay_s < best[0]):
                best = (agent.notice_delay_s, agent.id, response, agent)
        if best is None:
            return
        delay, _, response, agent = best
        segment = agent.segment
        timer = self.env.timeout(delay)
        timer.callbacks.append(lambda _: self._deliver(agent, segment, response))

    def _response(self, agent: StaffAgent, channel: str) -> Response | None:
        if agent.holdable and channel == WALK_IN:
            on_call = self.phone_policy.while_on_call()
            if on_call is not None:
                return on_call
        activity = agent.activity
        if activity in ATTENTIVE:
            noticed = True
        elif agent.episode is not None:
            p = agent.episode.kind.notice_probability / agent.effects.notice
            noticed = channel == PHONE or self.noticing() < p
        else:
            return None
        response = self.acknowledgment.response(StaffView(activity, agent.interruptible, noticed))
        if response == GESTURE and channel == PHONE:
            return None
        return response

    def _deliver(self, agent: StaffAgent, segment: int, response: Response) -> None:
        if agent.segment != segment or agent.process is None:
            return  # the staff member moved on; the policy's moment has passed
        if response == GESTURE:
            self.acknowledge_walk_ins(agent)
        elif response == INTERRUPT:
            if agent.interruptible:
                agent.process.interrupt(INTERRUPT)
        elif agent.holdable and self.lines[WALK_IN].count:
            agent.process.interrupt(response)

    # ------------------------------------------------------------------ greeting

    def acknowledge_walk_ins(self, agent: StaffAgent | None = None,
                             expired: bool = False) -> None:
        """``agent`` greets every walk-in waiting unseen: their remaining patience is
        stretched. A biased clerk greets some later (the discipline's delay factor).
        ``expired``: the caller has just expired the line up to now."""
        line = self.walk_ins
        if not line.has_unseen():
            return
        now = self.env.now
        if not expired:
            line.expire(now, self._walk_in_leaves)
        if not self._acks_may_lag:  # everyone is greeted now
            line.acknowledge_unseen(now, self.ack_multiplier)
            return
        bias = agent.bias if agent is not None else 0.0
        stretch = self.ack_multiplier != 1.0
        for contact in line.take_unseen():
            factor = self.discipline.ack_delay_factor(contact, bias) if bias > 0.0 else 1.0
            if factor != 1.0:
                at = contact.arrival_s + factor * (now - contact.arrival_s)
                self.env.timeout(at - now).callbacks.append(partial(self._late_acknowledge,
                                                                    contact))
            elif stretch:
                self._acknowledge(contact)
            else:  # _acknowledge without a patience multiplier
                contact.ack_s = now

    def _acknowledge(self, contact: Contact) -> None:
        now = self.env.now
        contact.ack_s = now
        if self.ack_multiplier != 1.0 and contact.deadline_s != math.inf:
            self.lines[WALK_IN].set_deadline(
                contact, now + (contact.deadline_s - now) * self.ack_multiplier)

    def _late_acknowledge(self, contact: Contact, _: simpy.Event) -> None:
        self.lines[WALK_IN].expire(self.env.now, self._walk_in_leaves)
        if contact.waiting and not contact.acknowledged:
            self._acknowledge(contact)
