"""Replications: run one, or many in local processes. Results do not depend on ``jobs``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sim.config.schema import Scenario
from sim.execution.backends import Backend, make_backend
from sim.metrics.accumulator import MetricsAccumulator
from sim.metrics.pay import Payroll
from sim.metrics.slots import SlotGrid, SlotRecorder, last_slot
from sim.model.behaviour import distraction_kinds
from sim.model.contact import EMAIL, PHONE, WALK_IN, Contact
from sim.model.counter.conduct import conduct_active
from sim.model.counter.retrials import retrials_active
from sim.model.experience import customer_lifetime_value
from sim.model.records import ContactLog, Recorder, Tee
from sim.model.roster import build_roster
from sim.model.simulation import simulate

Row = dict[str, float]


def payroll(scenario: Scenario, per_slot: bool = False) -> Payroll:
    """The scenario's pay and fixed cost (``money``): each member's wage by role, the
    contracted hours a day, the overtime rate; split per slot (the ``hours.slot_minutes``
    grid of :func:`slot_recorder`) if ``per_slot``."""
    m, hours = scenario.money, scenario.hours
    wages = [getattr(m.staff_cost_per_hour, member.role) for member in build_roster(scenario)]
    grid = (SlotGrid(hours.open_s, hours.slot_s, last_slot(hours.open_s, hours.close_s,
                                                           hours.slot_s))
            if per_slot else None)
    return Payroll(wages, m.contracted_hours_per_day * 3600.0, m.overtime_rate,
                   m.fixed_cost_per_open_hour, hours.open_s + scenario.run.warmup_s,
                   (hours.open_s, hours.close_s), grid)


def metrics_recorder(scenario: Scenario, per_slot: bool = False) -> MetricsAccumulator:
    """The accumulator for a scenario: warm-up counted from opening, per-channel targets,
    the payroll (costs also split per slot if ``per_slot``: see :func:`slot_recorder`)."""
    m = scenario.money
    return MetricsAccumulator(
        scenario.hours.open_s + scenario.run.warmup_s,
        {WALK_IN: scenario.acknowledgment.target_s, PHONE: scenario.phone_handling.answer_target_s,
         EMAIL: scenario.demand.email.target_s},
        tuple(distraction_kinds(scenario)),
        clv_per_spend=customer_lifetime_value(
            m.visits_per_year * m.margin_share, m.annual_retention, m.discount_rate),
        by_group=scenario.loyalty.enabled,
        open_s=scenario.hours.open_s,
        conduct=conduct_active(scenario),
        payroll=payroll(scenario, per_slot),
        retrials=retrials_active(scenario),
    )


def slot_recorder(scenario: Scenario, metrics: MetricsAccumulator) -> SlotRecorder:
    """The per-slot recorder for a scenario: the ``hours.slot_minutes`` grid from opening
    (bounded: :func:`~sim.metrics.slots.last_slot`), the same warm-up, targets and lifetime
    value as :func:`metrics_recorder`, and the costs per slot of ``metrics``' payroll (made
    with ``per_slot``)."""
    hours = scenario.hours
    return SlotRecorder(
        hours.open_s, hours.slot_s, hours.open_s + scenario.run.warmup_s,
        {WALK_IN: scenario.acknowledgment.target_s, PHONE: scenario.phone_handling.answer_target_s},
        last_slot(hours.open_s, hours.close_s, hours.slot_s),
        money=(metrics.clv_per_spend, metrics.by_group, metrics.conduct is not None),
        payroll=metrics.payroll)


class Pair:
    """Forwards events to the metrics accumulator and the slot recorder (each hook made once,
    without :class:`~sim.model.records.Tee`'s loop: they run at every event)."""

    def __init__(self, metrics: MetricsAccumulator, slots: SlotRecorder) -> None:
        self.activity_changed = metrics.activity_changed  # slots ignore activities
        m_contact, s_contact = metrics.contact_ended, slots.contact_ended
        m_queue, s_queue = metrics.queue_changed, slots.queue_changed
        m_staff, s_staff = metrics.staff_changed, slots.staff_changed

        def contact_ended(contact: Contact) -> None:
            m_contact(contact)
            s_contact(contact)

        def queue_changed(t: float, channel: str, waiting: int) -> None:
            m_queue(t, channel, waiting)
            s_queue(t, channel, waiting)

        def staff_changed(t: float, busy: int, on_duty: int) -> None:
            m_staff(t, busy, on_duty)
            s_staff(t, busy, on_duty)

        self.contact_ended = contact_ended
        self.queue_changed = queue_changed
        self.staff_changed = staff_changed
        self.day_ended = metrics.day_ended  # slots need no day rows

        def run_ended(t: float) -> None:
            metrics.run_ended(t)
            slots.run_ended(t)

        self.run_ended = run_ended


@dataclass
class ReplicationResult:
    """What one replication produced."""

    replication: int
    metrics: Row
    contacts: list[dict[str, object]] = field(default_factory=list)
    days: list[dict[str, float]] = field(default_factory=list)
    ack_histograms: dict[str, dict[int, int]] = field(default_factory=dict)
    scenario_index: int = 0
    slots: list[dict[str, float]] = field(default_factory=list)  # per-slot sums (slots.py)


@dataclass(frozen=True)
class Task:
    """One replication of one scenario of a run or sweep (what a worker receives)."""

    scenario: Scenario
    seed: int
    replication: int
    scenario_index: int = 0
    keep_contacts: bool = False
    keep_slots: bool = False  # per-slot sums for slots.csv (runs and sweeps ask for them)


def run_task(task: Task) -> ReplicationResult:
    """Simulate one replication and return its metrics (and contact records and per-slot
    sums if asked)."""
    metrics = metrics_recorder(task.scenario, per_slot=task.keep_slots)
    slots = slot_recorder(task.scenario, metrics) if task.keep_slots else None
    log = ContactLog() if task.keep_contacts else None
    recorder: Recorder = metrics
    if log is not None:
        recorder = Tee(metrics, *([slots] if slots else []), log)
    elif slots is not None:
        recorder = Pair(metrics, slots)
    simulate(task.scenario, task.seed, task.replication, recorder)
    return ReplicationResult(task.replication, metrics.metrics(), log.rows() if log else [],
                             metrics.days, metrics.ack_histograms(), task.scenario_index,
                             slots.rows() if slots else [])


def run_replication(scenario: Scenario, seed: int, replication: int,
                    keep_contacts: bool = False, keep_slots: bool = False) -> ReplicationResult:
    """Simulate one replication of ``scenario``."""
    return run_task(Task(scenario, seed, replication, keep_contacts=keep_contacts,
                         keep_slots=keep_slots))


def iter_replications(scenario: Scenario, seed: int, replications: list[int], jobs: int,
                      keep_contacts: bool = False, backend: Backend | None = None,
                      keep_slots: bool = False) -> Iterator[ReplicationResult]:
    """Run the given replications, yielding each result as it finishes (any order).

    They run on ``backend`` (default: ``jobs`` local processes); each replication's streams
    depend only on (seed, replication), so results are identical for any backend.
    """
    tasks = [Task(scenario, seed, r, keep_contacts=keep_contacts, keep_slots=keep_slots)
             for r in replications]
    own = backend is None
    runner = make_backend(jobs) if backend is None else backend
    try:
        yield from runner.run_unordered(run_task, tasks)
    finally:
        if own:
            runner.close()


def run_replications(scenario: Scenario, seed: int, reps: int, jobs: int = 1,
                     on_result: Callable[[ReplicationResult], None] | None = None,
                     ) -> list[ReplicationResult]:
    """Run replications ``0..reps-1``; results sorted by replication number."""
    results = []
    for result in iter_replications(scenario, seed, list(range(reps)), jobs):
        results.append(result)
        if on_result:
            on_result(result)
    return sorted(results, key=lambda r: r.replication)
