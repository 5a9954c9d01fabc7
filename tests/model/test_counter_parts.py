"""The counter's parts, each built alone: the outcome book, scenes, waiting lines and staff
room without SimPy; the greeter, dispatcher and arrivals on a bare SimPy environment with
hand-made staff members. Plus the lean path: it really is taken where the golden tests
compare it with the general one."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable

import numpy as np
import pytest
import simpy

from sim.config.loading import load_scenario, scenario_from_dict
from sim.config.sections import Loyalty, Patrons
from sim.model.contact import PHONE, WALK_IN, Contact, Outcome
from sim.model.counter.arrivals import Arrivals
from sim.model.counter.counter import Counter
from sim.model.counter.dispatcher import Dispatcher
from sim.model.counter.greeter import Greeter
from sim.model.counter.lines import Lines
from sim.model.counter.outcomes import OutcomeBook
from sim.model.counter.scenes import Scenes
from sim.model.counter.staff_room import StaffRoom
from sim.model.distraction import Distraction
from sim.model.experience import make_scorer
from sim.model.patrons import PatronPool
from sim.model.records import EventLog, NullRecorder
from sim.model.streams import Streams
from sim.model.waiting_line import WaitingLine
from sim.model.workplace import Colleague
from sim.policies.acknowledgment import FinishFirst
from sim.policies.balking import BALKING
from sim.policies.base import C, Customer, DisciplinePolicy, QueueView
from sim.policies.discipline import DISCIPLINES
from sim.policies.phone_handling import PHONE_HANDLING
from tests.helpers import CONFIGS, contact


class Ended:
    """Collects ended contacts (the recorder's contact_ended)."""

    def __init__(self) -> None:
        """Nothing ended yet."""
        self.contacts: list[Contact] = []

    def __call__(self, c: Contact) -> None:
        """Keep ``c``."""
        self.contacts.append(c)


def book(ended: Ended, loyalty: bool = False, day_book: bool = False) -> OutcomeBook:
    """An outcome book with a small patron pool (loyalty scoring on or off)."""
    cfg = Loyalty(enabled=loyalty)
    pool = PatronPool.draw(Patrons(pool_size=10), np.random.default_rng(0))
    return OutcomeBook(ended, pool, cfg, make_scorer(cfg), {WALK_IN: 30.0, PHONE: 20.0},
                       day_book)


def lines(ended: Ended, queue: list[tuple[float, str, int]] | None = None,
          phone_lines: int | None = None) -> Lines:
    """Waiting lines reporting queue changes into ``queue``."""
    log = queue if queue is not None else []
    return Lines(book(ended), Scenes(), lambda t, ch, n: log.append((t, ch, n)), phone_lines)


class Member:
    """A hand-made staff member: the :class:`~sim.model.workplace.Colleague` interface."""

    def __init__(self, member_id: int, role: str = "both", bias: float = 0.0,
                 channels: tuple[str, ...] = (WALK_IN, PHONE)) -> None:
        """An idle, on-duty member who wakes into ``woken``."""
        self.id, self.role, self.bias, self.channels = member_id, role, bias, channels
        self.serves_walk_ins = WALK_IN in channels
        self.watched: tuple[tuple[WaitingLine, Callable[[Contact], None]], ...] = ()
        self.choices: tuple[tuple[str, WaitingLine], ...] = ()
        self.on_duty, self.sleeping, self.holdable, self.interruptible = True, True, False, False
        self.activity, self.episode, self.segment, self.sleep_token = "idle", None, 0, 1
        self.notice_delay_s, self.notice_factor = 2.0, 1.0
        self.serving: Contact | None = None
        self.present = False
        self.woken: list[str] = []
        self.activities: list[str] = []
        self.interrupts: list[object] = []

    episode: Distraction | None

    def wake(self, reason: str) -> None:
        """Record the wake-up."""
        self.sleeping = False
        self.woken.append(reason)

    def update_presence(self) -> int:
        """Present while on duty or serving."""
        present = self.on_duty or self.serving is not None
        delta = 0 if present == self.present else (1 if present else -1)
        self.present = present
        return delta

    def interrupt(self, cause: object) -> None:
        """Record the interrupt."""
        self.interrupts.append(cause)

    def is_running(self) -> bool:
        """Always running."""
        return True

    def take(self, c: Contact, now: float) -> int:
        """Serve ``c``."""
        self.serving = c
        self.set_activity("serving", now)
        return self.update_presence()

    def finish_contact(self) -> int:
        """Free again."""
        self.serving = None
        return self.update_presence()

    def drop_call(self, call: Contact) -> bool:
        """The held call hung up."""
        was = self.serving is call
        if was:
            self.serving = None
        return was

    def set_activity(self, activity: str, now: float, interruptible: bool = False,
                     episode: Distraction | None = None) -> None:
        """Record the activity."""
        self.activity, self.interruptible, self.episode = activity, interruptible, episode
        self.segment += 1
        self.activities.append(activity)


def test_members_satisfy_the_colleague_interface() -> None:
    """The hand-made member and the real agent both satisfy the declared interface."""
    member: Colleague = Member(0)
    scenario = load_scenario(CONFIGS / "baseline.toml")
    counter = Counter(simpy.Environment(), scenario, NullRecorder(), Streams(1, 0),
                      PatronPool.draw(scenario.patrons, np.random.default_rng(0)))
    agent: Colleague = counter.staff[0]
    assert member.id == 0 and agent.channels == (WALK_IN, PHONE)


# ---------------------------------------------------------------------------- outcome book


def test_outcome_book_ends_and_reports_without_judging() -> None:
    ended = Ended()
    b = book(ended)
    c = contact(1)
    b.ends(c, Outcome.BALKED, 5.0)
    assert (c.outcome, c.end_s, ended.contacts) == (Outcome.BALKED, 5.0, [c])
    assert math.isnan(c.satisfaction) and b.day is None


def test_outcome_book_judges_ignored_customers_and_keeps_the_day() -> None:
    """Seen a distraction, greeted after the 30 s target: ignored, and judged bad."""
    ended = Ended()
    b = book(ended, loyalty=True, day_book=True)
    c = contact(2, patience_s=100.0)
    c.saw_distraction, c.ack_s, c.start_s = True, 45.0, 90.0
    b.ends(c, Outcome.SERVED, 150.0)
    assert c.ignored and c.satisfaction < 1.0
    assert b.day is not None and b.day.contacts == 1 and b.day.revenue == c.spend


# ---------------------------------------------------------------------------- scenes


def scene_kind(drain: float, balk: float) -> Distraction:
    """A visible episode that drains patience ``drain`` times and adds ``balk`` to P(balk)."""
    from sim.config.sections import DistractionKind
    kind = DistractionKind(visible=True, patience_drain=drain, balk_extra_probability=balk)
    return Distraction("argument", kind, 1.0, lambda: 1.0)


def test_scenes_count_visible_episodes_and_rescale_patience() -> None:
    scenes = Scenes()
    a, b = scene_kind(2.0, 0.3), scene_kind(4.0, 0.1)
    assert scenes.started(a)
    assert scenes.set_scene(scenes.with_episode(a, starting=True)) == 0.5
    assert scenes.started(b)
    assert scenes.set_scene(scenes.with_episode(b, starting=True)) == 0.5  # 2 -> 4
    assert (scenes.visibly_distracted, scenes.drain, scenes.balk_extra) == (2, 4.0, 0.3)
    assert scenes.ended(b)
    assert scenes.set_scene(scenes.with_episode(b, starting=False)) == 2.0  # 4 -> 2
    assert scenes.ended(a)
    assert scenes.set_scene(scenes.with_episode(a, starting=False)) == 2.0
    assert (scenes.visibly_distracted, scenes.active, scenes.drain) == (0, [], 1.0)


# ---------------------------------------------------------------------------- waiting lines


def test_lines_end_walk_ins_who_run_out_of_patience() -> None:
    ended, queue = Ended(), list[tuple[float, str, int]]()
    ls = lines(ended, queue)
    seen, unseen = contact(1, patience_s=10.0), contact(2, patience_s=20.0)
    ls.walk_ins.add(seen)
    ls.walk_ins.add(unseen)
    seen.ack_s = 1.0
    ls.expire_walk_ins(25.0)
    assert [c.outcome for c in ended.contacts] == [Outcome.RENEGED_ACKNOWLEDGED,
                                                   Outcome.RENEGED_UNACKNOWLEDGED]
    assert queue == [(10.0, WALK_IN, 1), (20.0, WALK_IN, 0)]


def test_lines_hold_a_caller_until_their_hold_patience_runs_out() -> None:
    ended = Ended()
    ls = lines(ended)
    call, patient = contact(1, PHONE), contact(2, PHONE)
    call.hold_patience_s, patient.hold_patience_s = 30.0, 300.0
    ls.phone_in_system = 2
    ls.hold(call, 100.0)
    ls.hold(patient, 100.0)
    assert ls.unhold(patient, 150.0) and patient.held_s == 50.0
    assert not ls.unhold(call, 150.0)  # hung up at 130
    assert (call.outcome, call.end_s, call.held_s, ls.phone_in_system) == (
        Outcome.ABANDONED, 130.0, 30.0, 1)


def test_lines_close_drains_everyone_at_their_deadline() -> None:
    ended = Ended()
    ls = lines(ended)
    ls.walk_ins.add(contact(1, patience_s=50.0))
    ls.calls.add(contact(2, PHONE, patience_s=80.0))
    ls.walk_ins.add(contact(3))  # infinite patience: still there
    assert ls.close(10.0, drain=True) == 80.0
    assert [c.id for c in ended.contacts] == [1, 2]
    assert [c.id for c in ls.remaining()] == [3]


def test_email_pile_is_worked_oldest_first_during_opening_hours() -> None:
    ls = lines(Ended())
    first, second = contact(1, "email"), contact(2, "email")
    ls.emails.extend([first, second])
    assert ls.next_email(10.0, close_s=20.0) is first
    ls.return_email(first)
    assert ls.next_email(30.0, close_s=20.0) is None
    assert list(ls.emails) == [first, second]


# ---------------------------------------------------------------------------- staff room


def test_staff_room_wakes_specialists_first_and_skips_stale_entries() -> None:
    room = StaffRoom(lambda t, busy, present: None)
    pooled, counter_clerk, stale = Member(0, "both"), Member(1, "counter"), Member(2, "counter")
    room.rest_queue("both").append((pooled, 1))
    room.rest_queue("counter").append((stale, 0))  # an old sleep: token 0 ≠ 1
    room.rest_queue("counter").append((counter_clerk, 1))
    assert room.wake_idle(WALK_IN)
    assert (counter_clerk.woken, stale.woken, pooled.woken) == (["noticed"], [], [])
    assert room.wake_idle(PHONE) and pooled.woken == ["noticed"]
    assert not room.wake_idle(PHONE)


def test_staff_room_counts_presence_and_reports_it() -> None:
    reports: list[tuple[float, int, int]] = []
    room = StaffRoom(lambda t, busy, present: reports.append((t, busy, present)))
    m = Member(0)
    room.count_present(m, 1.0)
    m.on_duty = False
    room.count_present(m, 2.0)
    assert reports == [(1.0, 0, 1), (2.0, 0, 0)]


# ---------------------------------------------------------------------------- greeter


class DelayEveryone:
    """A discipline (as a test double) that greets everyone twice as late."""

    in_arrival_order = False
    may_delay_greetings = True
    may_scrutinise = False

    def choose(self, line: QueueView[C], bias: float, draw: Callable[[], float]) -> C | None:
        """The last in line."""
        waiting = line.waiting()
        return waiting[-1] if waiting else None

    def ack_delay_factor(self, customer: Customer, bias: float) -> float:
        """Twice as long from arrival."""
        return 2.0

    def scrutinises(self, customer: Customer, bias: float, draw: Callable[[], float]) -> bool:
        """Never."""
        return False


def greeter(env: simpy.Environment, ls: Lines, staff: list[Member],
            discipline: DisciplinePolicy | None = None, multiplier: float = 1.5) -> Greeter:
    """A greeter with finish-first acknowledgment and phone-first handling."""
    scenario = scenario_from_dict({})
    return Greeter(env, ls, FinishFirst(3.0), PHONE_HANDLING.build("phone_first", scenario),
                   discipline or DISCIPLINES.build("fifo", scenario),
                   lambda: 0.5, multiplier, staff)


def test_greeter_greets_everyone_waiting_and_stretches_their_patience() -> None:
    env = simpy.Environment(initial_time=10.0)
    ls = lines(Ended())
    c = contact(1, arrival_s=0.0, patience_s=30.0)
    ls.walk_ins.add(c)
    greeter(env, ls, []).acknowledge_walk_ins()
    assert c.ack_s == 10.0 and c.deadline_s == 10.0 + 20.0 * 1.5


def test_greeter_greets_late_when_the_discipline_delays_greetings() -> None:
    env = simpy.Environment(initial_time=10.0)
    ls = lines(Ended())
    c = contact(1, arrival_s=0.0)
    ls.walk_ins.add(c)
    greeter(env, ls, [], DelayEveryone()).acknowledge_walk_ins(Member(0))
    assert math.isnan(c.ack_s)
    env.run()
    assert c.ack_s == 20.0  # arrival + 2 × 10 s


# ---------------------------------------------------------------------------- dispatcher


def dispatcher(env: simpy.Environment, ls: Lines, discipline: DisciplinePolicy,
               reports: list[tuple[float, int, int]]) -> Dispatcher:
    """A dispatcher over ``ls`` with phone-first handling."""
    room = StaffRoom(lambda t, busy, present: reports.append((t, busy, present)))
    scenario = scenario_from_dict({})
    g = greeter(env, ls, [], discipline)
    return Dispatcher(env, ls, room, g, ls.book, discipline,
                      PHONE_HANDLING.build("phone_first", scenario), lambda: 0.5, True,
                      lambda t, ch, n: None,
                      lambda t, busy, present: reports.append((t, busy, present)))


def test_dispatcher_takes_the_disciplines_pick_and_marks_who_was_overtaken() -> None:
    env = simpy.Environment(initial_time=2.0)
    ls = lines(Ended())
    first, second = contact(1, arrival_s=0.0), contact(2, arrival_s=1.0)
    ls.walk_ins.add(first)
    ls.walk_ins.add(second)
    m = Member(0)
    m.choices = ((WALK_IN, ls.walk_ins),)
    reports: list[tuple[float, int, int]] = []
    d = dispatcher(env, ls, DelayEveryone(), reports)
    assert d.next_work(m, 2.0) is second
    assert first.overtaken and not second.overtaken
    d.start_service(m, second, 2.0)
    d.end_service(m, second, 60.0)
    assert reports == [(2.0, 1, 1), (60.0, 0, 1)]
    assert (second.start_s, second.ack_s, second.outcome) == (2.0, 2.0, Outcome.SERVED)


# ---------------------------------------------------------------------------- arrivals


def test_arrivals_block_calls_when_every_line_is_busy() -> None:
    env = simpy.Environment()
    ended = Ended()
    ls = lines(ended, phone_lines=1)
    room = StaffRoom(lambda t, busy, present: None)
    scenario = scenario_from_dict({})
    arrivals = Arrivals(env, ls, Scenes(), room, greeter(env, ls, []), ls.book,
                        BALKING.build("none", scenario), False, lambda t, ch, n: None)
    arrivals.call_arrives(contact(1, PHONE), 0.0)
    arrivals.call_arrives(contact(2, PHONE), 1.0)
    assert ls.calls.count == 1 and ls.phone_in_system == 1
    assert [(c.id, c.outcome) for c in ended.contacts] == [(2, Outcome.BLOCKED)]


# ---------------------------------------------------------------------------- the lean path


@pytest.mark.parametrize(("config", "lean"), [("erlang_a.toml", True), ("baseline.toml", False)])
def test_the_lean_path_is_taken_exactly_at_plain_counters(config: str, lean: bool) -> None:
    """Validation mode runs the lean loops (so the golden both-ways test compares two
    different paths there); a behavioural counter never does."""
    scenario = load_scenario(CONFIGS / config)
    counter = Counter(simpy.Environment(), scenario, EventLog(), Streams(1, 0),
                      PatronPool.draw(scenario.patrons, np.random.default_rng(0)))
    assert counter._calm() is lean
    assert all(counter._plain(a) is lean for a in counter.staff)
    assert isinstance(counter.lines.emails, deque)
