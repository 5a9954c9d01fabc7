"""The SimPy wiring of one service counter for one day.

Customers are plain :class:`~sim.model.contact.Contact` objects, not processes; staff are
processes (:mod:`sim.model.staff_agent`). :class:`Counter` builds the counter's parts, each
in its own module, wires them together and starts the processes:

- :class:`~sim.model.counter.outcomes.OutcomeBook` — how contacts end (judging, reporting);
- :class:`~sim.model.counter.scenes.Scenes` — what customers see of distractions;
- :class:`~sim.model.counter.lines.Lines` — walk-ins, calls, holds and e-mails waiting;
- :class:`~sim.model.counter.staff_room.StaffRoom` — who is idle, busy, present;
- :class:`~sim.model.counter.greeter.Greeter` — noticing newcomers and greeting them;
- :class:`~sim.model.counter.dispatcher.Dispatcher` — next work, service start and end;
- :class:`~sim.model.counter.arrivals.Arrivals` — contacts arriving on each channel.

Staff members talk to it through :class:`~sim.model.workplace.Workplace`, whose calls are
bound here to the parts that answer them. Everything the model observes goes to a
:class:`~sim.model.records.Recorder`.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Sized
from typing import Any

import simpy

from sim.config.schema import Scenario
from sim.config.sections import TraitScores
from sim.model.behaviour import (
    TraitEffects,
    distraction_kinds,
    rule_marks,
    staff_scores,
    trait_effects,
)
from sim.model.contact import EMAIL, PHONE, WALK_IN, Contact, Outcome
from sim.model.counter.arrivals import Arrivals
from sim.model.counter.callbacks import VirtualQueue, virtual_queue
from sim.model.counter.conduct import ConductDesk, ConductJudge, conduct_active
from sim.model.counter.dispatcher import Dispatcher
from sim.model.counter.greeter import Greeter
from sim.model.counter.lines import Lines
from sim.model.counter.outcomes import SERVED, DayBook, OutcomeBook
from sim.model.counter.retrials import RetrialDesk
from sim.model.counter.scenes import Scenes
from sim.model.counter.staff_room import StaffRoom
from sim.model.distraction import Distraction
from sim.model.distributions import Sampler, Uniforms
from sim.model.experience import make_scorer
from sim.model.lean_clerk import lean_clerk
from sim.model.patrons import PatronPool
from sim.model.records import Recorder
from sim.model.roster import build_roster, duty_changes
from sim.model.staff_agent import OFF, StaffAgent
from sim.model.streams import StreamSource
from sim.model.workplace import Colleague, ServiceSettings
from sim.policies.acknowledgment import ACKNOWLEDGMENT
from sim.policies.balking import BALKING
from sim.policies.discipline import DISCIPLINES
from sim.policies.phone_handling import PHONE_HANDLING

NEUTRAL = TraitEffects.neutral()


class Counter:
    """One counter's parts and processes for one day of one replication."""

    def __init__(self, env: simpy.Environment, scenario: Scenario, recorder: Recorder,
                 streams: StreamSource, pool: PatronPool, offset_s: float = 0.0,
                 carried_emails: list[Contact] | None = None, first_id: int = 0,
                 keep_day_book: bool = False, interrupts_service: bool = False,
                 lean: bool = True) -> None:
        """``offset_s``: the day's start on the simulation clock (seconds);
        ``interrupts_service``: hand-made episodes may interrupt services (exact tests);
        ``lean``: plain clerks run the specialised loop (False: every clerk runs the
        general one — the results are the same)."""
        self.env, self._streams, self.recorder = env, streams, recorder
        self.close_s = scenario.hours.close_s + offset_s
        self.lean = lean
        ack = ACKNOWLEDGMENT.build(scenario.acknowledgment.policy, scenario)
        phone_policy = PHONE_HANDLING.build(scenario.phone_handling.policy, scenario)
        discipline = DISCIPLINES.build(scenario.discipline.policy, scenario)
        self.book = OutcomeBook(recorder.contact_ended, pool, scenario.loyalty,
                                make_scorer(scenario.loyalty), self._targets(scenario),
                                keep_day_book)
        self.scenes = Scenes()
        self.lines = Lines(self.book, self.scenes, recorder.queue_changed,
                           scenario.demand.phone.lines, carried_emails)
        self.room = StaffRoom(recorder.staff_changed)
        self.staff: list[StaffAgent] = []
        self.greeter = Greeter(env, self.lines, ack, phone_policy, discipline,
                               Uniforms(streams("noticing")),
                               scenario.acknowledgment.patience_multiplier, self.staff)
        self.dispatcher = Dispatcher(env, self.lines, self.room, self.greeter, self.book,
                                     discipline, phone_policy, Uniforms(streams("policy")),
                                     ack.greets_waiting_when_free, recorder.queue_changed,
                                     recorder.staff_changed)
        may_hold = phone_policy.while_on_call() is not None  # calls held for walk-ins
        self.marks = rule_marks(scenario)
        self.busy_may_respond = (ack.responds_while_busy or may_hold
                                 or bool(self.marks.stopped_for_customers))
        self.arrivals = Arrivals(env, self.lines, self.scenes, self.room, self.greeter,
                                 self.book, BALKING.build(scenario.balking.policy, scenario),
                                 self.busy_may_respond, recorder.queue_changed, first_id)
        self._retrials(scenario, streams)
        self._bind_workplace()
        d = scenario.distractions
        self.settings = ServiceSettings(
            self.close_s, ack.notice_delay_s, scenario.phone_handling.greet_s,
            d.divided_attention_slowdown, d.repeat_rate * (d.repeat_multiplier - 1.0),
            may_hold, interrupts_service, scenario.conduct.ask_s)
        self.in_order = discipline.in_arrival_order
        self.members = build_roster(scenario, offset_s)
        scores = self._trait_scores(scenario, streams)
        effects = ([NEUTRAL] * len(self.members) if scores is None
                   else [trait_effects(z, scenario.traits) for z in scores])
        self.staff.extend(self._build_staff(scenario, effects, phone_policy.order()))
        self.judge: ConductJudge | None = None
        if conduct_active(scenario):
            self._conduct(scenario, pool, scores, effects)
        self.virtual = self._virtual_queue(scenario, streams)  # None while off

    @staticmethod
    def _targets(scenario: Scenario) -> dict[str, float]:
        """Acknowledgment target per channel (seconds)."""
        return {WALK_IN: scenario.acknowledgment.target_s,
                PHONE: scenario.phone_handling.answer_target_s}

    def _bind_workplace(self) -> None:
        """The :class:`~sim.model.workplace.Workplace` calls answered by a part directly,
        bound once (they run for every contact)."""
        dispatcher = self.dispatcher
        self.next_work = dispatcher.next_work
        self.start_service = dispatcher.start_service
        self.end_service = dispatcher.end_service
        self.hold_due = dispatcher.hold_due
        self.hold_call = dispatcher.hold_call
        self.resume_call = dispatcher.resume_call
        self.take_walk_in = dispatcher.take_walk_in
        self.acknowledge_walk_ins = self.greeter.acknowledge_walk_ins
        self.return_email = self.lines.return_email
        self.rest_queue = self.room.rest_queue

    def _virtual_queue(self, scenario: Scenario, streams: StreamSource) -> VirtualQueue | None:
        """Callbacks and wait announcements (:mod:`~sim.model.counter.callbacks`): the
        arrival handlers and, with callbacks, the staff's next work and service start are
        wrapped; None, and nothing wrapped, while both are off."""
        vq = virtual_queue(scenario, streams, self.lines, self.book, self.dispatcher,
                           self.staff, self.recorder.queue_changed, self.close_s)
        if vq is not None:
            vq.install(self.arrivals.handlers)
            if vq.callbacks:
                self.next_work = vq.next_work
                self.start_service = vq.start_service
        return vq

    def _conduct(self, scenario: Scenario, pool: PatronPool, scores: list[TraitScores] | None,
                 effects: list[TraitEffects]) -> None:
        """The conduct levers' desk (services) and judge (experiences, complaints)."""
        average = [TraitScores()] * len(self.members)
        self.dispatcher.conduct = ConductDesk(scenario, pool.visits, scores or average,
                                              [e.composure for e in effects])
        self.judge = ConductJudge(scenario, self._file_work)
        self.book.judge = self.judge

    def _retrials(self, scenario: Scenario, streams: StreamSource) -> None:
        """With retrials on, the desk that lets walkouts try again (wired to the book)."""
        if scenario.retrials.enabled:
            self.book.retrials = RetrialDesk(env=self.env, scenario=scenario, streams=streams,
                                             close_s=self.close_s, lines=self.lines,
                                             handlers=self.arrivals.handlers,
                                             new_id=self._new_id)

    def _file_work(self, work: Contact) -> None:
        """Back-office work (a complaint to handle) joins the e-mail pile."""
        self.lines.emails.append(work)
        self.room.wake_idle(EMAIL)

    def _build_staff(self, scenario: Scenario, effects_of: list[TraitEffects],
                     order: tuple[str, ...]) -> list[StaffAgent]:
        kinds = distraction_kinds(scenario)
        bias = scenario.staff.bias
        marks = self.marks if self.marks.any else None
        agents = []
        for member, effects in zip(self.members, effects_of, strict=True):
            rng = self._streams(f"distraction.{member.id}")  # all of a member's episodes
            own = [Distraction(name, kind, effects.distraction, Sampler(kind.duration, rng),
                               marks) for name, kind in kinds.items()]
            agents.append(StaffAgent(
                member, self, self.settings, effects, own, Uniforms(rng),
                bias[member.id] if isinstance(bias, list) else bias, self.lines.by_channel,
                self.lines.on_leave, order, self.recorder.activity_changed))
        return agents

    def _trait_scores(self, scenario: Scenario,
                      streams: StreamSource) -> list[TraitScores] | None:
        """Each member's trait z-scores (None, and no scores drawn, without traits)."""
        if not scenario.traits.enabled:
            return None
        return staff_scores(scenario, len(self.members), streams("traits"))

    def _new_id(self) -> int:
        """A fresh contact id (a retry's, taken when it arrives)."""
        self.arrivals.next_id += 1
        return self.arrivals.next_id - 1

    @property
    def next_id(self) -> int:
        """The id the next arriving contact will get (ids stay unique across days)."""
        return self.arrivals.next_id

    @property
    def day(self) -> DayBook | None:
        """What today did to the patrons (multi-day runs), else None."""
        return self.book.day

    # ------------------------------------------------------------------ workplace

    def email_pile(self) -> Sized:
        """The e-mail pile (staff look whether any e-mail waits)."""
        return self.lines.emails

    def next_email(self, agent: Colleague) -> Contact | None:
        """The oldest unanswered e-mail, during opening hours only."""
        if not self.lines.emails:  # the common case, without reading the clock
            return None
        email = self.lines.next_email(self.env.now, self.close_s)
        judge = self.judge
        if (email is not None and judge is not None and judge.emails_scored
                and email.start_s != email.start_s and not email.complained):
            judge.take_up(email)  # first taken up (start not set yet): the reply's quality
        return email

    def email_answered(self, email: Contact) -> None:
        """An e-mail has been answered now."""
        self.book.ends(email, SERVED, self.env.now)

    def distraction_started(self, agent: Colleague, d: Distraction) -> None:
        """A visible episode is seen by customers; a scene changes balking and patience."""
        if self.scenes.started(d):
            self._set_scene(self.scenes.with_episode(d, starting=True))

    def distraction_ended(self, agent: Colleague, d: Distraction) -> None:
        """The episode is over."""
        if self.scenes.ended(d):
            self._set_scene(self.scenes.with_episode(d, starting=False))

    def _set_scene(self, episodes: list[Distraction]) -> None:
        """While a scene lasts, waiting walk-ins lose patience faster: deadlines are
        rescaled at its start and end (after the line is expired up to now)."""
        now = self.env.now
        self.lines.expire_walk_ins(now)
        factor = self.scenes.set_scene(episodes)
        if factor != 1.0:
            self.lines.rescale_walk_in_patience(now, factor)

    def pass_on(self, agent: Colleague) -> None:
        """``agent`` was woken for work it can no longer take (its shift ended while it was
        noticing): wake another idle colleague for each line with someone waiting."""
        for channel in agent.channels:
            if self.lines.by_channel[channel].count:
                self.room.wake_idle(channel)

    # ------------------------------------------------------------------ processes

    def start(self, sources: dict[str, Iterator[Contact]]) -> None:
        """Start the roster, the staff and one arrival process per channel."""
        self.env.process(self._roster())
        for agent in self.staff:
            agent.start(self._lean_clerk(agent) if self.lean and self._plain(agent) else None)
        calm = self.lean and self._calm()
        for channel, contacts in sources.items():
            self.arrivals.start(channel, contacts, calm)

    def _calm(self) -> bool:
        """True if no staff member is ever distracted (no scene, nobody visibly distracted)
        and nobody busy ever responds to a newcomer."""
        return (not self.settings.interrupts_service and not self.busy_may_respond
                and self.virtual is None
                and all(a.idle_rate_s == 0.0 and a.serving_rate_s == 0.0 for a in self.staff))

    def _plain(self, agent: StaffAgent) -> bool:
        """True if only walk-ins (and e-mails) ever occupy ``agent``, in arrival order: it
        serves the counter alone, is never distracted, no policy or hand-made episode
        interrupts it, and the discipline serves in arrival order."""
        return (agent.channels == (WALK_IN,) and agent.idle_rate_s == 0.0
                and agent.serving_rate_s == 0.0 and not self.settings.interrupts_service
                and not self.busy_may_respond and self.in_order)

    def _lean_clerk(self, agent: StaffAgent) -> Generator[simpy.Event, Any, None]:
        return lean_clerk(agent, self.lines.walk_ins, self.lines.walk_in_leaves,
                          self.dispatcher.greets_when_free, self.greeter.multiplier,
                          self.recorder.queue_changed)

    def _roster(self) -> Generator[simpy.Event, Any, None]:
        env = self.env
        for t, member_id, on in duty_changes(self.members):
            if t > env.now:
                yield env.timeout(t - env.now)
            agent = self.staff[member_id]
            agent.set_on_duty(on)
            self.room.count_present(agent, env.now)
            agent.duty_changed(env.now)

    # ------------------------------------------------------------------ end of day

    def finish(self, drain: bool, overnight: bool = False) -> list[Contact]:
        """Close the books. With ``drain``, contacts nobody can serve any more leave at
        their patience deadlines; whoever remains is reported as still in the system.
        ``overnight`` (a day of a multi-day run that is not the last): staff go off until
        tomorrow and unanswered e-mails are returned, to be carried over."""
        end = self.lines.close(self.env.now, drain)
        if self.virtual is not None:
            self.virtual.close(end)
        if overnight:
            for agent in self.staff:
                agent.set_activity(OFF, end)
            self.recorder.staff_changed(end, 0, 0)
        self.recorder.run_ended(end)
        remaining = self.lines.remaining()
        remaining += [a.serving for a in self.staff if a.serving is not None]
        remaining += [a.held_call for a in self.staff if a.held_call is not None]
        emails = [a.email for a in self.staff if a.email is not None] + list(self.lines.emails)
        if overnight:
            return sorted(emails, key=lambda c: c.arrival_s)
        remaining += [e for e in emails if not e.complained]  # complaints are not contacts
        for contact in sorted({c.id: c for c in remaining if c.outcome is None}.values(),
                              key=lambda c: c.id):
            contact.outcome = Outcome.IN_SYSTEM
            self.recorder.contact_ended(contact)
        return []
