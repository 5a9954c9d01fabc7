"""A staff member as a SimPy process.

One activity at a time: idle, serving, greeting, email (back-office work) or a
distraction. Idle staff sleep until woken by an arrival, a shift start or their next
distraction. What a busy staff member does about a newcomer is decided by the counter
(with the acknowledgment and phone-handling policies) and delivered as an interrupt.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from functools import partial
from typing import TYPE_CHECKING, Any

import simpy

from sim.config.sections import DistractionKind
from sim.model.behaviour import TraitEffects
from sim.model.contact import PHONE, Contact
from sim.model.distributions import Draw
from sim.model.roster import ROLE_CHANNELS, StaffMember
from sim.model.waiting_line import WaitingLine
from sim.policies.base import HOLD_AND_GREET, INTERRUPT

if TYPE_CHECKING:
    from sim.model.counter.counter import Counter

# Why a sleeping staff member woke up.
NOTICED = "noticed"      # a new arrival: notice it first
SHIFT = "shift"          # a shift started: look at the lines at once
DISTRACT = "distract"    # the next idle distraction is due

IDLE = "idle"
SERVING = "serving"
SERVING_DISTRACTED = "serving_distracted"
GREETING = "greeting"
EMAIL = "email"
OFF = "off"

Proc = Generator[simpy.Event, Any, None]


def _nobody_listens(t: float, staff_id: int, activity: str) -> None:
    pass


class Distraction:
    """One distraction kind as one staff member experiences it (rates after traits)."""

    __slots__ = ("duration", "idle_rate_s", "interruptible", "kind", "makes_scene", "name",
                 "serving_rate_s", "visible")

    def __init__(self, name: str, kind: DistractionKind, rate_factor: float,
                 duration: Draw) -> None:
        self.name = name
        self.kind = kind
        self.idle_rate_s = kind.idle_rate_per_hour * rate_factor / 3600.0
        self.serving_rate_s = kind.serving_rate_per_hour * rate_factor / 3600.0
        self.duration = duration
        self.visible = kind.visible            # customers can see it
        self.interruptible = kind.interruptible
        # A scene: arriving walk-ins balk more, or waiting ones lose patience faster.
        self.makes_scene = kind.balk_extra_probability > 0.0 or kind.patience_drain != 1.0


class StaffAgent:
    """One staff member's state and process."""

    def __init__(self, member: StaffMember, counter: Counter, policy_order: tuple[str, ...],
                 effects: TraitEffects, distractions: list[Distraction], draws: Draw) -> None:
        self.member = member
        self.id = member.id
        self.role = member.role
        self.counter = counter
        self.channels = ROLE_CHANNELS[member.role]
        self.serves_walk_ins = "walk_in" in self.channels
        self.order = tuple(ch for ch in policy_order if ch in self.channels)
        self.effects = effects
        self.notice_delay_s = counter.notice_delay_s * effects.notice
        self.distractions = distractions
        self.idle_rate_s = sum(d.idle_rate_s for d in distractions)
        self.serving_rate_s = sum(d.serving_rate_s for d in distractions)
        self.draws = draws
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
        self.bias = 0.0  # appearance bias strength, 0..1
        self.forced: tuple[Distraction, float] | None = None
        # Set by the counter: the lines this member watches (line, on_leave) and picks from
        # (channel, line) in policy order, and the recorder's activity_changed.
        self.watched: tuple[tuple[WaitingLine, Callable[[Contact], None]], ...] = ()
        self.choices: tuple[tuple[str, WaitingLine], ...] = ()
        self.report_activity: Callable[[float, int, str], None] = _nobody_listens

    # ------------------------------------------------------------------ state

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
        counter = self.counter
        self.sleeping = True
        self.sleep_token = token = self.sleep_token + 1
        self.wake_event = event = simpy.Event(counter.env)
        on_duty = self.on_duty
        activity = IDLE if on_duty else OFF  # set_activity, inlined
        self.interruptible = False
        self.episode = None
        self.segment += 1
        if activity != self.activity:
            self.activity = activity
            self.report_activity(now, self.id, activity)
        if on_duty:
            counter.idle[self.role].append((self, token))  # an arrival may wake it
            if self.idle_rate_s > 0.0 and now < counter.close_s:  # the next episode
                delay = -math.log1p(-self.draws()) / self.idle_rate_s
                counter.env.timeout(delay).callbacks.append(partial(self._distraction_due, token))
        return event

    def _distraction_due(self, token: int, _: simpy.Event | None = None) -> None:
        if (self.sleeping and self.sleep_token == token and self.on_duty
                and self.counter.env.now < self.counter.close_s):
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
        counter = self.counter
        env = counter.env
        timeout = env.timeout
        plain = self.serving_rate_s == 0.0 and not counter.interrupts_service
        # Nothing ever interrupts a service of this member, but personal calls stretch it:
        steady = self.serving_rate_s > 0.0 and not counter.interrupts_service
        while True:
            now = env.now
            if self.on_duty:
                contact = counter.next_work(self, now)
                if contact is not None:
                    phone = contact.channel == PHONE
                    if plain and not phone:  # fast path: nothing can intervene
                        counter.start_service(self, contact, now)
                        yield timeout(self.service_time(contact))
                        counter.end_service(self, contact, env.now)
                    elif steady and not (phone and counter.may_hold):  # serve(), inlined
                        counter.start_service(self, contact, now)
                        remaining = self.service_time(contact)
                        while remaining > 0.0 and contact.outcome is None:
                            gap = -math.log1p(-self.draws()) / self.serving_rate_s
                            step = gap if gap < remaining else remaining  # min(remaining, gap)
                            self.holdable = phone
                            yield timeout(step)
                            self.holdable = False
                            remaining -= step
                            if gap < step + remaining:  # a personal call during service
                                remaining = yield from self.divided_attention(contact, remaining)
                        if contact.outcome is None:
                            counter.end_service(self, contact, env.now)
                    else:
                        yield from self.serve(contact, now)
                    continue
                if counter.emails:
                    email = counter.next_email(self)
                    if email is not None:
                        yield from self.answer(email)
                        continue
            reason = yield self.sleep(now)
            if reason == DISTRACT:  # an episode while idle (inlined :meth:`distracted`)
                forced, self.forced = self.forced, None
                d, length = (self.pick(serving=False), None) if forced is None else forced
                self.set_activity(d.name, env.now, d.interruptible, d)
                counter.distraction_started(self, d)
                try:
                    yield timeout(d.duration() if length is None else length)
                except simpy.Interrupt as stop:
                    assert stop.cause == INTERRUPT
                counter.distraction_ended(self, d)
            elif reason == NOTICED and self.notice_delay_s > 0.0:
                yield timeout(self.notice_delay_s)
                if not self.on_duty:
                    counter.pass_on(self)

    def service_time(self, contact: Contact) -> float:
        """``contact``'s requirement as this member serves it: speed and chatter, and
        composure (emotional stability) with an angry customer."""
        factor = self.effects.service_time
        if contact.temperament == "angry":
            factor *= self.effects.composure
        return contact.service_s * factor

    def serve(self, contact: Contact, now: float) -> Proc:
        """Serve ``contact`` from ``now``: its requirement × this member's speed and chatter,
        stretched by personal calls taken during service (divided attention) and, for a
        call, paused while the caller is on hold."""
        counter = self.counter
        env = counter.env
        counter.start_service(self, contact, now)
        remaining = self.service_time(contact)
        holdable = contact.channel == PHONE
        rate = self.serving_rate_s
        while remaining > 0.0 and contact.outcome is None:
            if holdable and counter.may_hold:
                pending = counter.hold_due(self)  # walk-ins who came while a hold was impossible
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
                if isinstance(stop.cause, tuple):  # a hand-made episode (exact tests)
                    remaining = yield from self.divided_attention(contact, remaining, *stop.cause)
                else:
                    yield from self.hold(contact, str(stop.cause))
                continue
            self.holdable = False
            remaining -= step
            if gap < step + remaining:  # a personal call (or the like) during service
                remaining = yield from self.divided_attention(contact, remaining)
        if contact.outcome is None:
            counter.end_service(self, contact, env.now)

    def divided_attention(self, contact: Contact, remaining: float,
                          forced: Distraction | None = None,
                          forced_length: float = 0.0) -> Generator[simpy.Event, Any, float]:
        """A distraction during service: the service is stretched by the part of the
        episode not spent on the customer, plus questions asked again (repeat rate × the
        multiplier after a distraction). Returns the service time still to go."""
        counter = self.counter
        d = forced if forced is not None else self.pick(serving=True)
        length = forced_length if forced is not None else d.duration()
        contact.divided_attention = True
        self.set_activity(SERVING_DISTRACTED, counter.env.now, episode=d)
        counter.distraction_started(self, d)
        yield counter.env.timeout(length)
        counter.distraction_ended(self, d)
        self.set_activity(SERVING, counter.env.now)
        progressed = length * (1.0 - counter.slowdown)
        return max(0.0, remaining - progressed) + contact.service_s * counter.repeat_extra

    def hold(self, call: Contact, how: str) -> Proc:
        """Put ``call`` on hold for a walk-in: greet them (``hold_and_greet``) or serve them
        (``walk_in_first``), then return to the caller if they are still there."""
        counter = self.counter
        counter.hold_call(self, call)
        if how == HOLD_AND_GREET:
            self.set_activity(GREETING, counter.env.now)
            counter.acknowledge_walk_ins(self)
            yield counter.env.timeout(counter.greet_s)
            counter.acknowledge_walk_ins(self)  # and whoever came up during the greeting
        else:
            walk_in = counter.take_walk_in(self)
            while walk_in is not None:  # everyone waiting at the counter, then the caller
                yield from self.serve(walk_in, counter.env.now)
                walk_in = counter.take_walk_in(self)
        counter.resume_call(self, call)

    def answer(self, email: Contact) -> Proc:
        """Back-office work on an email; broken off (and put back) for a customer under
        greet_first, finished first under finish_first."""
        counter = self.counter
        env = counter.env
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
            counter.return_email(email)
            return
        finally:
            self.email = None
        counter.email_answered(email)
