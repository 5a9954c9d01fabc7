"""The SimPy wiring of one service counter: waiting lines, phone lines, staff, arrivals.

Customers are plain :class:`~sim.model.contact.Contact` objects, not processes. Staff are
processes (:mod:`sim.model.staff_agent`). Patience deadlines are checked lazily by the
waiting lines.
Everything the model observes goes to a :class:`~sim.model.records.Recorder`.

:class:`Counter` sets up the state (:mod:`sim.model.counter.state`), starts the processes and
closes the books; its parts live in their own modules: arrivals
(:mod:`sim.model.counter.arrivals`), noticing and greeting (:mod:`sim.model.counter.noticing`),
serving (:mod:`sim.model.counter.serving`), phone calls and holds (:mod:`sim.model.counter.phone`),
scenes (:mod:`sim.model.counter.scenes`), email (:mod:`sim.model.counter.email`), how contacts end
(:mod:`sim.model.counter.outcomes`) and the lean path for plain counters
(:mod:`sim.model.counter.plain`).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Generator, Iterator
from typing import Any

import simpy

from sim.config.schema import Scenario
from sim.model.behaviour import TraitEffects, distraction_kinds, staff_scores, trait_effects
from sim.model.contact import EMAIL, PHONE, WALK_IN, Contact, Outcome
from sim.model.counter.arrivals import Arrivals
from sim.model.counter.outcomes import DayBook
from sim.model.counter.phone import PhoneCalls
from sim.model.counter.plain import PlainPath
from sim.model.counter.scenes import Scenes
from sim.model.counter.serving import serves_in_arrival_order
from sim.model.distributions import Sampler, Uniforms
from sim.model.experience import make_scorer
from sim.model.patrons import PatronPool
from sim.model.records import Recorder
from sim.model.roster import ROLES, build_roster, duty_changes
from sim.model.staff_agent import OFF, SHIFT, Distraction, StaffAgent
from sim.model.streams import StreamSource
from sim.model.waiting_line import WaitingLine
from sim.policies.acknowledgment import ACKNOWLEDGMENT
from sim.policies.balking import BALKING
from sim.policies.discipline import DISCIPLINES
from sim.policies.phone_handling import PHONE_HANDLING

# Which idle staff to wake for an arrival: specialists first, then pooled staff.
WAKE_ORDER = {WALK_IN: ("counter", "both"), PHONE: ("phone", "both"),
              EMAIL: ("counter", "phone", "both")}
NEUTRAL = TraitEffects.neutral()


class Counter(PlainPath, Arrivals, PhoneCalls, Scenes):
    """One counter's state and processes for one replication."""

    def __init__(self, env: simpy.Environment, scenario: Scenario, recorder: Recorder,
                 streams: StreamSource, pool: PatronPool, offset_s: float = 0.0,
                 carried_emails: list[Contact] | None = None, first_id: int = 0,
                 keep_day_book: bool = False) -> None:
        self.env = env
        self._init_reporting(scenario, recorder, pool, keep_day_book)
        self.close_s = scenario.hours.close_s + offset_s
        self._init_policies(scenario)
        self._init_lines(scenario, carried_emails)
        self._init_staff(scenario, streams, offset_s)
        self.noticing = Uniforms(streams("noticing"))
        self.policy_draws = Uniforms(streams("policy"))
        probe = Contact(-1, WALK_IN, -1, 0.0, math.inf, 0.0, 1.0)
        probe.plain = True
        self._acks_may_lag = self.discipline.ack_delay_factor(probe, 1.0) != 1.0
        self._in_order = serves_in_arrival_order(self.discipline)
        self._next_id = first_id

    def _init_reporting(self, scenario: Scenario, recorder: Recorder, pool: PatronPool,
                        keep_day_book: bool) -> None:
        self.recorder = recorder
        self._queue_changed = recorder.queue_changed  # bound once: called for every event
        self._staff_changed = recorder.staff_changed
        self._contact_ended = recorder.contact_ended
        self.pool = pool
        self.day = DayBook() if keep_day_book else None  # multi-day runs
        self.loyalty = scenario.loyalty
        self._judging = scenario.loyalty.enabled
        self._score = make_scorer(scenario.loyalty)
        self.targets_s = {WALK_IN: scenario.acknowledgment.target_s,
                          PHONE: scenario.phone_handling.answer_target_s}

    def _init_policies(self, scenario: Scenario) -> None:
        self.balking = BALKING.build(scenario.balking.policy, scenario)
        self.discipline = DISCIPLINES.build(scenario.discipline.policy, scenario)
        self.acknowledgment = ACKNOWLEDGMENT.build(scenario.acknowledgment.policy, scenario)
        self.phone_policy = PHONE_HANDLING.build(scenario.phone_handling.policy, scenario)
        self.notice_delay_s = self.acknowledgment.notice_delay_s()
        self.greets_when_free = self.acknowledgment.greets_waiting_when_free()
        self.ack_multiplier = scenario.acknowledgment.patience_multiplier
        self.greet_s = scenario.phone_handling.greet_s
        self.may_hold = self.phone_policy.while_on_call() is not None  # calls for walk-ins
        self._busy_may_respond = self.acknowledgment.responds_while_busy() or self.may_hold
        self.interrupts_service = False  # set when hand-made episodes may interrupt a service
        d = scenario.distractions
        self.slowdown = d.divided_attention_slowdown
        self.repeat_extra = d.repeat_rate * (d.repeat_multiplier - 1.0)

    def _init_lines(self, scenario: Scenario, carried_emails: list[Contact] | None) -> None:
        self.phone_lines = scenario.demand.phone.lines or math.inf
        self.phone_in_system = 0
        self.walk_ins = WaitingLine(track_unseen=True)
        self.calls = WaitingLine()
        self.lines = {WALK_IN: self.walk_ins, PHONE: self.calls}
        self._leave = {WALK_IN: self._walk_in_leaves, PHONE: self._call_leaves}
        self.emails = deque(carried_emails or [])
        self.held = []
        self.busy = 0
        self.on_duty = 0
        self.visibly_distracted = 0
        self.scenes = []
        self.scene_balk = 0.0
        self.scene_drain = 1.0

    def _init_staff(self, scenario: Scenario, streams: StreamSource, offset_s: float) -> None:
        self.idle = {r: deque() for r in ROLES}
        self._idle_for = {ch: tuple(self.idle[r] for r in roles)
                          for ch, roles in WAKE_ORDER.items()}
        self.members = build_roster(scenario, offset_s)
        self.staff = self._build_staff(scenario, streams)

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
