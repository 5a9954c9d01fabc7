"""A staff member as a SimPy process.

One activity at a time: idle, serving, greeting, e-mail (back-office work) or a
distraction. Idle staff sleep until woken by an arrival, a shift start or their next
distraction. What a busy staff member does about a newcomer is decided by the counter
(with the acknowledgment and phone-handling policies) and delivered as an interrupt.

The member talks to its counter only through :class:`~sim.model.workplace.Workplace`, and
its fields change only through its own methods. Its process is :meth:`StaffAgent.run`, the
one clerk loop; :func:`~sim.model.lean_clerk.lean_clerk` is the same loop specialised for
a plain counter (validation mode), proven identical by the golden tests.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from functools import partial
from typing import Any

import simpy

from sim.model.behaviour import TraitEffects
from sim.model.contact import PHONE, Contact
from sim.model.distraction import RUNAWAY, Distraction, runaway
from sim.model.distributions import Draw
from sim.model.roster import ROLE_CHANNELS, StaffMember
from sim.model.waiting_line import WaitingLine
from sim.model.workplace import DISTRACT, NOTICED, SHIFT, ServiceSettings, Workplace
from sim.policies.base import HOLD_AND_GREET, INTERRUPT

IDLE = "idle"
SERVING = "serving"
SERVING_DISTRACTED = "serving_distracted"
GREETING = "greeting"
EMAIL = "email"
OFF = "off"

Proc = Generator[simpy.Event, Any, None]
ActivityHook = Callable[[float, int, str], None]


class StaffAgent:
    """One staff member's state and process."""

    def __init__(self, member: StaffMember, workplace: Workplace, settings: ServiceSettings,
                 effects: TraitEffects, distractions: list[Distraction], draws: Draw,
                 bias: float, lines: dict[str, WaitingLine],
                 on_leave: dict[str, Callable[[Contact], None]], policy_order: tuple[str, ...],
                 report_activity: ActivityHook) -> None:
        """``lines``/``on_leave``: the counter's waiting line and leave handler per channel;
        ``policy_order``: channels in the order the phone-handling policy looks at them;
        ``draws()``: this member's Uniform(0, 1) stream (distraction timing and kinds)."""
        self.id = member.id
        self.role = member.role
        self.workplace = workplace
        self.env = workplace.env
        self.settings = settings
        self.close_s = settings.close_s  # bound once: read at every idle spell
        self.may_hold_calls = settings.may_hold
        self.channels = ROLE_CHANNELS[member.role]
        self.serves_walk_ins = "walk_in" in self.channels
        self.order = tuple(ch for ch in policy_order if ch in self.channels)
        self.watched = tuple((lines[ch], on_leave[ch]) for ch in self.channels)
        self.choices = tuple((ch, lines[ch]) for ch in self.order)
        self.effects = effects
        self.notice_factor = effects.notice
        self.notice_delay_s = settings.notice_delay_s * effects.notice
        self.distractions = distractions
        self.idle_rate_s = sum(d.idle_rate_s for d in distractions)      # episodes per second
        self.serving_rate_s = sum(d.serving_rate_s for d in distractions)
        self.draws = draws
        self.bias = bias  # appearance bias strength, 0..1
        self.report_activity = report_activity
        self.rest_queue = workplace.rest_queue(member.role)
        self.email_pile = workplace.email_pile()  # read only: is any e-mail waiting?
        self.on_duty = False
        self.present = False
        self.sleeping = False
        self.sleep_token = 0
        self.wake_event: simpy.Event | None = None
        self.serving: Contact | None = None
        self.held_call: Contact | None = None
        self.activity = OFF
        self.episode: Distraction | None = None
        self.interruptible = False
        self.holdable = False
        self.segment = 0
        self.process: simpy.Process | None = None
        self.email: Contact | None = None
        self.forced: tuple[Distraction, float] | None = None

    # ------------------------------------------------------------------ state

    def start(self, clerk: Proc | None = None) -> None:
        """Start the member's process: ``clerk`` (a specialised loop) or :meth:`run`."""
        self.process = self.workplace.env.process(self.run() if clerk is None else clerk)

    def is_running(self) -> bool:
        """True once the member's process has started."""
        return self.process is not None

    def interrupt(self, cause: object) -> None:
        """Interrupt the current activity with ``cause`` (a policy's response)."""
        assert self.process is not None
        self.process.interrupt(cause)

    def set_on_duty(self, on: bool) -> None:
        """The roster puts the member on duty, or takes it off."""
        self.on_duty = on

    def duty_changed(self, now: float) -> None:
        """After :meth:`set_on_duty`: a sleeping member wakes for its shift, or goes off."""
        if self.sleeping:
            if self.on_duty:
                self.wake(SHIFT)
            else:
                self.set_activity(OFF, now)

    def update_presence(self) -> int:
        """Present = on duty, or still finishing a contact after the shift ended: +1 if the
        member just became present, -1 if it just left, else 0."""
        present = self.on_duty or self.serving is not None
        if present == self.present:
            return 0
        self.present = present
        return 1 if present else -1

    def take(self, contact: Contact, now: float) -> int:
        """Start serving ``contact`` at ``now`` (a call under way is held); returns the
        change in presence (+1 if the member just became present, else 0)."""
        if self.serving is not None:
            self.held_call = self.serving
        self.serving = contact
        self.interruptible = False  # set_activity(SERVING, now), inlined
        self.episode = None
        self.segment += 1
        if self.activity != SERVING:
            self.activity = SERVING
            self.report_activity(now, self.id, SERVING)
        if self.present:
            return 0
        self.present = True
        return 1

    def finish_contact(self) -> int:
        """The contact served is done; back to a held call if any. Returns the change in
        presence (-1 if the member was off duty and is now free, else 0)."""
        self.serving, self.held_call = self.held_call, None
        present = self.on_duty or self.serving is not None  # update_presence, inlined
        if present == self.present:
            return 0
        self.present = present
        return 1 if present else -1

    def drop_call(self, call: Contact) -> bool:
        """The held ``call`` hung up while the member served a walk-in: True if it was the
        contact being served (the member is now free)."""
        if self.serving is not call:
            return False
        self.serving = None
        return True

    def set_activity(self, activity: str, now: float, interruptible: bool = False,
                     episode: Distraction | None = None) -> None:
        """Switch activity at ``now`` (reported to the recorder; invalidates pending
        responses)."""
        self.interruptible = interruptible
        self.episode = episode
        self.segment += 1
        if activity != self.activity:
            self.activity = activity
            self.report_activity(now, self.id, activity)

    def sleep(self, now: float) -> simpy.Event:
        """Become idle (at ``now``) until :meth:`wake`: an arrival, a shift start or a
        distraction."""
        self.sleeping = True
        self.sleep_token = token = self.sleep_token + 1
        self.wake_event = event = simpy.Event(self.env)
        on_duty = self.on_duty
        activity = IDLE if on_duty else OFF  # set_activity, inlined
        self.interruptible = False
        self.episode = None
        self.segment += 1
        if activity != self.activity:
            self.activity = activity
            self.report_activity(now, self.id, activity)
        if on_duty:
            self.rest_queue.append((self, token))  # an arrival may wake it
            if self.idle_rate_s > 0.0 and now < self.close_s:  # the next episode
                delay = -math.log1p(-self.draws()) / self.idle_rate_s
                self.env.timeout(delay).callbacks.append(
                    partial(self._distraction_due, token))
        return event

    def _distraction_due(self, token: int, _: simpy.Event | None = None) -> None:
        if (self.sleeping and self.on_duty and self.sleep_token == token
                and self.env.now < self.close_s):
            self.wake(DISTRACT)

    def wake(self, reason: str) -> None:
        """End the idle wait."""
        self.sleeping = False
        assert self.wake_event is not None
        self.wake_event.succeed(reason)

    def start_scripted(self, kind: str, duration_s: float) -> None:
        """Start a hand-made episode now (exact tests): idle → an idle episode; serving →
        divided attention. Ignored if neither."""
        d = next(x for x in self.distractions if x.name == kind)
        if self.sleeping and self.on_duty:
            self.forced = (d, duration_s)
            self.wake(DISTRACT)
        elif self.activity == SERVING and self.process is not None:
            self.process.interrupt((d, duration_s))

    def pick(self, serving: bool) -> Distraction:
        """Which kind of distraction starts (proportional to the kinds' rates)."""
        total = self.serving_rate_s if serving else self.idle_rate_s
        u = self.draws() * total
        last = self.distractions[-1]
        for d in self.distractions:
            rate = d.serving_rate_s if serving else d.idle_rate_s
            if rate > 0.0:
                last = d
                u -= rate
                if u < 0.0:
                    return d
        return last  # u ran past the end by rounding

    # ------------------------------------------------------------------ the process

    def run(self) -> Proc:
        """Serve while on duty; otherwise back-office work, distractions or idleness."""
        workplace = self.workplace
        env = workplace.env
        while True:
            now = env.now
            if self.on_duty:
                contact = workplace.next_work(self, now)
                if contact is not None:
                    yield from self.serve(contact, now)
                    continue
                if self.email_pile:
                    email = workplace.next_email(self)
                    if email is not None:
                        yield from self.answer(email)
                        continue
            reason = yield self.sleep(now)
            if reason == DISTRACT:
                yield from self.distracted()
            elif reason == NOTICED and self.notice_delay_s > 0.0:
                yield env.timeout(self.notice_delay_s)
                if not self.on_duty:
                    workplace.pass_on(self)

    def distracted(self) -> Proc:
        """An episode while idle (a drawn kind, or a hand-made one)."""
        workplace = self.workplace
        forced, self.forced = self.forced, None
        d, length = (self.pick(serving=False), None) if forced is None else forced
        self.set_activity(d.name, workplace.env.now, d.interruptible, d)
        workplace.distraction_started(self, d)
        try:
            yield workplace.env.timeout(d.duration() if length is None else length)
        except simpy.Interrupt as stop:
            assert stop.cause == INTERRUPT
        workplace.distraction_ended(self, d)

    def service_time(self, contact: Contact) -> float:
        """``contact``'s requirement as this member serves it (seconds): speed and chatter,
        and composure (emotional stability) with an angry customer; plus the seconds its
        conduct takes (an apology, thanks, a name: set when the service starts)."""
        factor = self.effects.service_time
        if contact.temperament == "angry":
            factor *= self.effects.composure
        return contact.service_s * factor + contact.conduct_s

    def serve(self, contact: Contact, now: float) -> Proc:
        """Serve ``contact`` from ``now``: its requirement × this member's speed and chatter,
        stretched by personal calls taken during service (divided attention) and, for a
        call, paused while the caller is on hold."""
        workplace = self.workplace
        env = workplace.env
        workplace.start_service(self, contact, now)
        work = remaining = self.service_time(contact)
        holdable = contact.channel == PHONE
        may_hold = holdable and self.may_hold_calls
        rate = self.serving_rate_s
        while remaining > 0.0 and contact.outcome is None:
            if may_hold:
                pending = workplace.hold_due(self)  # walk-ins who came while no hold could be
                if pending is not None:
                    yield from self.hold(contact, pending)
                    continue
            gap = -math.log1p(-self.draws()) / rate if rate > 0.0 else math.inf
            step = gap if gap < remaining else remaining  # min(remaining, gap)
            started = env.now
            self.holdable = holdable
            try:
                yield env.timeout(step)
            except simpy.Interrupt as stop:
                self.holdable = False
                remaining -= env.now - started
                remaining = yield from self._interrupted(contact, remaining, work, stop.cause)
                continue
            self.holdable = False
            remaining -= step
            if gap < step + remaining:  # a personal call (or the like) during service
                remaining = yield from self.divided_attention(contact, remaining, work)
        if contact.outcome is None:
            workplace.end_service(self, contact, env.now)

    def _interrupted(self, contact: Contact, remaining: float, work: float,
                     cause: object) -> Generator[simpy.Event, Any, float]:
        """A service interrupted by a hand-made episode (exact tests) or a hold."""
        if isinstance(cause, tuple):
            return (yield from self.divided_attention(contact, remaining, work, *cause))
        yield from self.hold(contact, str(cause))
        return remaining

    def divided_attention(self, contact: Contact, remaining: float, work: float,
                          forced: Distraction | None = None,
                          forced_length: float = 0.0) -> Generator[simpy.Event, Any, float]:
        """A distraction during service: the service is stretched by the part of the
        episode not spent on the customer, plus questions asked again (repeat rate × the
        multiplier after a distraction), plus asking permission if the staff rules say so.
        Returns the service time still to go (seconds). ``work``: the service's own length
        (seconds); a service whose work left grows past :data:`RUNAWAY` times it (plus one
        episode's additions) can no longer end: :func:`~sim.model.distraction.runaway`."""
        workplace = self.workplace
        settings = self.settings
        d = forced if forced is not None else self.pick(serving=True)
        length = forced_length if forced is not None else d.duration()
        contact.divided_attention = True
        asked = 0.0
        if d.asks_permission:  # "may I take this call?": the customer agrees
            contact.permission = True
            asked = settings.ask_s
            contact.conduct_s += asked
        self.set_activity(SERVING_DISTRACTED, workplace.env.now, episode=d)
        workplace.distraction_started(self, d)
        yield workplace.env.timeout(length)
        workplace.distraction_ended(self, d)
        self.set_activity(SERVING, workplace.env.now)
        progressed = length * (1.0 - settings.slowdown)
        repeated = contact.service_s * settings.repeat_extra
        left = max(0.0, remaining - progressed) + repeated
        if left + asked > RUNAWAY * (work + repeated + settings.ask_s):
            raise runaway(contact, work, left + asked, settings.repeat_extra)
        return left + asked if asked else left

    def hold(self, call: Contact, how: str) -> Proc:
        """Put ``call`` on hold for a walk-in: greet them (``hold_and_greet``) or serve them
        (``walk_in_first``), then return to the caller if they are still there."""
        workplace = self.workplace
        workplace.hold_call(call)
        if how == HOLD_AND_GREET:
            self.set_activity(GREETING, workplace.env.now)
            workplace.acknowledge_walk_ins(self)
            yield workplace.env.timeout(self.settings.greet_s)
            workplace.acknowledge_walk_ins(self)  # and whoever came up during the greeting
        else:
            walk_in = workplace.take_walk_in(self)
            while walk_in is not None:  # everyone waiting at the counter, then the caller
                yield from self.serve(walk_in, workplace.env.now)
                walk_in = workplace.take_walk_in(self)
        workplace.resume_call(self, call)

    def answer(self, email: Contact) -> Proc:
        """Back-office work on an e-mail; broken off (and put back) for a customer under
        greet_first, finished first under finish_first."""
        workplace = self.workplace
        env = workplace.env
        started = env.now
        self.set_activity(EMAIL, started, interruptible=True)
        if math.isnan(email.start_s):
            email.start_s = started
            email.staff_id = self.id
        self.email = email
        try:
            yield env.timeout(email.work_left_s)
        except simpy.Interrupt:
            email.work_left_s -= env.now - started
            workplace.return_email(email)
            return
        finally:
            self.email = None
        workplace.email_answered(email)
