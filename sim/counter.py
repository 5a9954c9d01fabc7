"""The SimPy wiring of one service counter: waiting lines, phone lines, staff, arrivals.

Customers are plain :class:`~sim.contact.Contact` objects, not processes. Staff are
processes (:mod:`sim.staff`). Patience deadlines are checked lazily by the waiting lines.
Everything the model observes goes to a :class:`~sim.records.Recorder`.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Generator, Iterator
from functools import partial
from typing import Any

import simpy

from sim.behaviour import TraitEffects, distraction_kinds, staff_scores, trait_effects
from sim.config import Scenario
from sim.contact import EMAIL, PHONE, WALK_IN, WALKOUTS, Contact, Outcome
from sim.distributions import Sampler, Uniforms
from sim.experience import churn_after_bad, make_scorer, wait_share
from sim.patrons import PatronPool
from sim.policies import ACKNOWLEDGMENT, BALKING, DISCIPLINES, PHONE_HANDLING
from sim.policies.base import (
    GESTURE,
    HOLD_AND_GREET,
    INTERRUPT,
    DisciplinePolicy,
    Response,
    StaffView,
)
from sim.policies.discipline import Fifo
from sim.records import Recorder
from sim.roster import ROLES, build_roster, duty_changes
from sim.staff import NOTICED, OFF, SERVING, SHIFT, Distraction, StaffAgent
from sim.streams import StreamSource
from sim.waiting_line import WaitingLine


class DayBook:
    """What one day did to the patrons: who may leave, who was delighted, who comes back."""

    def __init__(self) -> None:
        self.stay: dict[int, float] = {}   # patron -> P(still a patron) after today's contacts
        self.bad: set[int] = set()         # patrons with a bad experience today
        self.delighted = 0
        self.contacts = 0
        self.walkouts = 0
        self.revenue = 0.0
        self.unresolved: dict[str, list[int]] = {WALK_IN: [], PHONE: []}

    def add(self, c: Contact, delighted: bool, walked_out: bool, served: bool) -> None:
        """Count one finished contact."""
        self.contacts += 1
        self.walkouts += walked_out
        self.delighted += delighted
        if served:
            self.revenue += c.spend
            if not c.resolved:
                self.unresolved[c.channel].append(c.patron_id)
        if c.churn_p > 0.0:
            self.stay[c.patron_id] = self.stay.get(c.patron_id, 1.0) * (1.0 - c.churn_p)
            self.bad.add(c.patron_id)


# Which idle staff to wake for an arrival: specialists first, then pooled staff.
WAKE_ORDER = {WALK_IN: ("counter", "both"), PHONE: ("phone", "both"),
              EMAIL: ("counter", "phone", "both")}
ATTENTIVE = frozenset({"serving", "greeting", "email"})
# Outcomes as plain module constants: an enum member costs a metaclass lookup on every use.
SERVED, BALKED, BLOCKED, ABANDONED = (Outcome.SERVED, Outcome.BALKED, Outcome.BLOCKED,
                                      Outcome.ABANDONED)
RENEGED_ACKNOWLEDGED = Outcome.RENEGED_ACKNOWLEDGED
RENEGED_UNACKNOWLEDGED = Outcome.RENEGED_UNACKNOWLEDGED
NEUTRAL = TraitEffects.neutral()


def serves_in_arrival_order(discipline: DisciplinePolicy) -> bool:
    """True if ``discipline`` is plain first come, first served: it chooses, greets and
    (never) scrutinises exactly as :class:`~sim.policies.discipline.Fifo` does."""
    cls = type(discipline)
    return all(getattr(cls, name, None) is getattr(Fifo, name)
               for name in ("choose", "ack_delay_factor", "scrutinises"))


class Counter:
    """One counter's state and processes for one replication."""

    def __init__(self, env: simpy.Environment, scenario: Scenario, recorder: Recorder,
                 streams: StreamSource, pool: PatronPool, offset_s: float = 0.0,
                 carried_emails: list[Contact] | None = None, first_id: int = 0,
                 keep_day_book: bool = False) -> None:
        self.env = env
        self.recorder = recorder
        self._queue_changed = recorder.queue_changed  # bound once: called for every event
        self._staff_changed = recorder.staff_changed
        self._contact_ended = recorder.contact_ended
        self.pool = pool
        self.day: DayBook | None = DayBook() if keep_day_book else None  # multi-day runs
        self.loyalty = scenario.loyalty
        self._judging = scenario.loyalty.enabled
        self._score = make_scorer(scenario.loyalty)
        self.targets_s = {WALK_IN: scenario.acknowledgment.target_s,
                          PHONE: scenario.phone_handling.answer_target_s}
        self.close_s = scenario.hours.close_s + offset_s
        self.balking = BALKING.build(scenario.balking.policy, scenario)
        self.discipline = DISCIPLINES.build(scenario.discipline.policy, scenario)
        self.acknowledgment = ACKNOWLEDGMENT.build(scenario.acknowledgment.policy, scenario)
        self.phone_policy = PHONE_HANDLING.build(scenario.phone_handling.policy, scenario)
        self.notice_delay_s: float = self.acknowledgment.notice_delay_s()
        self.greets_when_free: bool = self.acknowledgment.greets_waiting_when_free()
        self.ack_multiplier = scenario.acknowledgment.patience_multiplier
        self.greet_s = scenario.phone_handling.greet_s
        self.may_hold = self.phone_policy.while_on_call() is not None  # calls for walk-ins
        self._busy_may_respond = self.acknowledgment.responds_while_busy() or self.may_hold
        self.interrupts_service = False  # set when hand-made episodes may interrupt a service
        d = scenario.distractions
        self.slowdown = d.divided_attention_slowdown
        self.repeat_extra = d.repeat_rate * (d.repeat_multiplier - 1.0)
        self.phone_lines = scenario.demand.phone.lines or math.inf
        self.phone_in_system = 0
        self.walk_ins = WaitingLine(track_unseen=True)
        self.calls = WaitingLine()
        self.lines = {WALK_IN: self.walk_ins, PHONE: self.calls}
        self._leave = {WALK_IN: self._walk_in_leaves, PHONE: self._call_leaves}
        self.emails: deque[Contact] = deque(carried_emails or [])
        self.held: list[Contact] = []
        self.busy = 0
        self.on_duty = 0
        self.visibly_distracted = 0
        self.scenes: list[Distraction] = []   # visible episodes that change the scene
        self.scene_balk = 0.0
        self.scene_drain = 1.0
        self.idle: dict[str, deque[tuple[StaffAgent, int]]] = {r: deque() for r in ROLES}
        self._idle_for = {ch: tuple(self.idle[r] for r in roles)
                          for ch, roles in WAKE_ORDER.items()}
        self.members = build_roster(scenario, offset_s)
        self.staff = self._build_staff(scenario, streams)
        self.noticing = Uniforms(streams("noticing"))
        self.policy_draws = Uniforms(streams("policy"))
        probe = Contact(-1, WALK_IN, -1, 0.0, math.inf, 0.0, 1.0)
        probe.plain = True
        self._acks_may_lag = self.discipline.ack_delay_factor(probe, 1.0) != 1.0
        self._in_order = serves_in_arrival_order(self.discipline)
        self._next_id = first_id

    def _build_staff(self, scenario: Scenario, streams: StreamSource) -> list[StaffAgent]:
        kinds = distraction_kinds(scenario)
        order = self.phone_policy.order()
        agents = []
        for member, effects in zip(self.members, self._trait_effects(scenario, streams),
                                   strict=True):
            rng = streams(f"distraction.{member.id}")  # one stream for all of a member's episodes
            own = [Distraction(name, kind, effects.distraction, Sampler(kind.duration, rng))
                   for name, kind in kinds.items()]
            agents.append(StaffAgent(member, self, order, effects, own, Uniforms(rng)))
        bias = scenario.staff.bias
        for agent in agents:
            agent.bias = bias[agent.id] if isinstance(bias, list) else bias
            agent.watched = tuple((self.lines[ch], self._leave[ch]) for ch in agent.channels)
            agent.choices = tuple((ch, self.lines[ch]) for ch in agent.order)
            agent.report_activity = self.recorder.activity_changed
        return agents

    def _trait_effects(self, scenario: Scenario, streams: StreamSource) -> list[TraitEffects]:
        """Each member's trait effects (all neutral, and no scores drawn, without traits)."""
        if not scenario.traits.enabled:
            return [NEUTRAL] * len(self.members)
        scores = staff_scores(scenario, len(self.members), streams("traits"))
        return [trait_effects(z, scenario.traits) for z in scores]

    @property
    def next_id(self) -> int:
        """The id the next arriving contact will get (ids stay unique across days)."""
        return self._next_id

    # ------------------------------------------------------------------ processes

    def start(self, sources: dict[str, Iterator[Contact]]) -> None:
        """Start the roster, the staff and one arrival process per channel."""
        self.env.process(self._roster())
        for agent in self.staff:
            clerk = self._plain_clerk(agent) if self._plain(agent) else agent.run()
            agent.process = self.env.process(clerk)
        handlers = {WALK_IN: self.walk_in_arrives, PHONE: self.call_arrives,
                    EMAIL: self.email_arrives}
        calm = self._calm()
        for name, contacts in sources.items():
            arrivals = (self._plain_walk_ins(contacts) if calm and name == WALK_IN
                        else self._arrivals(contacts, handlers[name]))
            self.env.process(arrivals)

    # ------------------------------------------------------------------ lean processes
    # Validation mode (every behaviour off) needs none of the general machinery. These
    # processes do exactly what the general ones do there (same events in the same order,
    # same draws, same reports), with the calls that cannot matter left out.

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
        agent.set_activity(SERVING, now)
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

    def _roster(self) -> Generator[simpy.Event, Any, None]:
        env = self.env
        for t, member_id, on in duty_changes(self.members):
            if t > env.now:
                yield env.timeout(t - env.now)
            agent = self.staff[member_id]
            agent.on_duty = on
            self._count_present(agent, env.now)
            if agent.sleeping:
                if on:
                    agent.wake(SHIFT)
                else:
                    agent.set_activity(OFF, env.now)

    # ------------------------------------------------------------------ arrivals

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

    def call_arrives(self, contact: Contact, now: float) -> None:
        """A call arrives at ``now``: blocked if every line is busy, else it rings until
        answered or abandoned."""
        line = self.calls
        if line.next_due <= now:
            line.expire(now, self._call_leaves)
        if self.held:
            self._expire_held(now)
        if self.phone_in_system >= self.phone_lines:
            self._ends(contact, BLOCKED, now)
            return
        self.phone_in_system += 1
        line.add(contact)
        self._queue_changed(now, PHONE, line.count)
        if not self._wake_idle(PHONE) and self._busy_may_respond:
            self._busy_staff_respond(PHONE)

    def email_arrives(self, email: Contact, now: float) -> None:
        """An email joins the back-office pile."""
        self.emails.append(email)
        self._wake_idle(EMAIL)

    def _ends(self, contact: Contact, outcome: Outcome, t: float) -> None:
        contact.outcome = outcome
        contact.end_s = t
        self._report(contact)

    def _report(self, contact: Contact) -> None:
        """The contact is over: its experience updates the patron's loyalty, then the
        recorder hears of it."""
        if contact.channel != EMAIL:
            if contact.saw_distraction and contact.outcome is not BALKED:
                contact.ignored = not (contact.acknowledged and contact.ack_s - contact.arrival_s
                                       <= self.targets_s[contact.channel])
            if self._judging:
                self._judge(contact)
        self._contact_ended(contact)

    def _judge(self, c: Contact) -> None:
        """The contact's experience (sim.experience) sets its satisfaction and P(never
        return), and counts against the patron's record."""
        outcome = c.outcome
        walked_out = outcome in WALKOUTS
        served = outcome is SERVED
        joined = outcome is not BALKED and outcome is not BLOCKED
        share = 0.0
        if joined and c.patience_s != math.inf:  # else wait_share is 0
            share = wait_share(c.wait_s(), c.patience_s)
        value, bad, delighted = self._score(
            walked_out, share, c.ignored, c.divided_attention, c.overtaken, c.scrutinised,
            served and c.thanked, c.resolved or not served, c.temperament)
        c.satisfaction = value
        if bad:
            before = self.pool.bad.get(c.patron_id, 0)
            c.churn_p = churn_after_bad(before, c.overtaken or c.scrutinised, self.loyalty)
            self.pool.bad[c.patron_id] = before + 1
        if self.day is not None:
            self.day.add(c, delighted, walked_out, served)

    def _walk_in_leaves(self, contact: Contact) -> None:
        self._queue_changed(contact.end_s, WALK_IN, self.walk_ins.count)
        contact.outcome = (RENEGED_ACKNOWLEDGED if contact.ack_s == contact.ack_s  # not NaN
                           else RENEGED_UNACKNOWLEDGED)
        contact.during_scene = bool(self.scenes)
        self._report(contact)

    def _call_leaves(self, contact: Contact) -> None:
        self.phone_in_system -= 1
        self._queue_changed(contact.end_s, PHONE, self.calls.count)
        contact.outcome = ABANDONED
        self._report(contact)

    # ------------------------------------------------------------------ noticing

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

    # ------------------------------------------------------------------ serving

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
        self._count_present(agent, now)

    def end_service(self, agent: StaffAgent, contact: Contact, now: float) -> None:
        """Service finished at ``now``: the contact leaves served."""
        agent.serving, agent.held_call = agent.held_call, None
        if agent.serving is None:
            self.busy -= 1
        if contact.channel == PHONE:
            self.phone_in_system -= 1
        self._count_present(agent, now)
        self._ends(contact, SERVED, now)

    def _count_present(self, agent: StaffAgent, now: float) -> None:
        """Staff present = on duty, or still finishing a contact after the shift ended
        (overtime counts as working time, so utilisation stays within [0, 1])."""
        present = agent.on_duty or agent.serving is not None
        if present != agent.present:
            agent.present = present
            self.on_duty += 1 if present else -1
        self._staff_changed(now, self.busy, self.on_duty)

    # ------------------------------------------------------------------ holding calls

    def hold_call(self, agent: StaffAgent, call: Contact) -> None:
        """The caller is asked to hold; they hang up if the hold outlasts their hold patience."""
        now = self.env.now
        call.hold_since_s = now
        call.hold_deadline_s = now + call.hold_patience_s
        self.held.append(call)

    def resume_call(self, agent: StaffAgent, call: Contact) -> None:
        """Back to the caller, or find they hung up at their hold deadline."""
        now = self.env.now
        self._expire_held(now)
        if call.outcome is None:
            self.held.remove(call)
            call.held_s += now - call.hold_since_s
            agent.set_activity(SERVING, now)
        elif agent.serving is call:
            agent.serving = None
            self.busy -= 1
            self._count_present(agent, now)

    def hold_due(self, agent: StaffAgent) -> Response | None:
        """The hold the phone-handling policy asks for now, if walk-ins are waiting that no
        hold has dealt with (unseen for a greeting; any for serving), else None."""
        how = self.phone_policy.while_on_call() if agent.serves_walk_ins else None
        if how is None:
            return None
        line = self.walk_ins
        line.expire(self.env.now, self._walk_in_leaves)
        if how == HOLD_AND_GREET:
            return how if line.unseen() else None
        return how if line.count else None

    def _expire_held(self, now: float) -> None:
        for call in [c for c in self.held if c.hold_deadline_s <= now]:
            self.held.remove(call)
            call.held_s += call.hold_deadline_s - call.hold_since_s
            self.phone_in_system -= 1
            self._ends(call, ABANDONED, call.hold_deadline_s)

    # ------------------------------------------------------------------ distractions

    def distraction_started(self, agent: StaffAgent, d: Distraction) -> None:
        """A visible episode is seen by customers; a scene changes balking and patience."""
        if d.visible:
            self.visibly_distracted += 1
        if d.makes_scene:
            self._set_scene([*self.scenes, d])

    def distraction_ended(self, agent: StaffAgent, d: Distraction) -> None:
        """The episode is over."""
        if d.visible:
            self.visibly_distracted -= 1
        if self.scenes and d in self.scenes:
            rest = list(self.scenes)
            rest.remove(d)
            self._set_scene(rest)

    def _set_scene(self, scenes: list[Distraction]) -> None:
        """While a scene lasts, waiting walk-ins lose patience ``patience_drain`` times as
        fast: deadlines are rescaled at its start and end (lazily checked as before)."""
        now = self.env.now
        line = self.lines[WALK_IN]
        line.expire(now, self._walk_in_leaves)
        drain = max((s.kind.patience_drain for s in scenes), default=1.0)
        if drain != self.scene_drain:
            factor = self.scene_drain / drain
            for contact in line.waiting():
                if contact.deadline_s != math.inf:
                    line.set_deadline(contact, now + (contact.deadline_s - now) * factor)
        self.scenes = scenes
        self.scene_drain = drain
        self.scene_balk = max((s.kind.balk_extra_probability for s in scenes), default=0.0)

    # ------------------------------------------------------------------ email

    def next_email(self, agent: StaffAgent) -> Contact | None:
        """The oldest unanswered email, during opening hours only."""
        if self.emails and self.env.now < self.close_s:
            return self.emails.popleft()
        return None

    def return_email(self, email: Contact) -> None:
        """An email put aside half-answered goes back on top of the pile."""
        self.emails.appendleft(email)

    def email_answered(self, email: Contact) -> None:
        """An email has been answered."""
        self._ends(email, SERVED, self.env.now)

    # ------------------------------------------------------------------ end of run

    def finish(self, drain: bool, overnight: bool = False) -> list[Contact]:
        """Close the books. With ``drain``, contacts nobody can serve any more leave at
        their patience deadlines; whoever remains is reported as still in the system.
        ``overnight`` (a day of a multi-day run that is not the last): staff go off until
        tomorrow and unanswered emails are returned, to be carried over."""
        end = self.env.now
        for channel, line in self.lines.items():
            until = line.next_deadline() if drain else end
            while drain and until != math.inf:
                line.expire(until, self._leave[channel])
                end = max(end, until)
                until = line.next_deadline()
            line.expire(end, self._leave[channel])
        self._expire_held(end)
        if overnight:
            for agent in self.staff:
                agent.set_activity(OFF, end)
            self.recorder.staff_changed(end, 0, 0)
        self.recorder.run_ended(end)
        remaining = [c for line in self.lines.values() for c in line.drain()]
        remaining += [a.serving for a in self.staff if a.serving is not None]
        remaining += [a.held_call for a in self.staff if a.held_call is not None]
        remaining += self.held
        emails = [a.email for a in self.staff if a.email is not None] + list(self.emails)
        if overnight:
            return sorted(emails, key=lambda c: c.arrival_s)
        remaining += emails
        for contact in sorted({c.id: c for c in remaining if c.outcome is None}.values(),
                              key=lambda c: c.id):
            contact.outcome = Outcome.IN_SYSTEM
            self.recorder.contact_ended(contact)
        return []
