"""Staffing by time of day: the fewest pooled staff per slot that meet service targets.

The search is the iterative staffing algorithm for time-varying queues (Feldman,
Mandelbaum, Massey & Whitt 2008): each slot starts from its Erlang-A estimate, the whole
day is simulated, one staff member is added to every slot that misses a target, and the
day is simulated again, until every slot passes. Then staff are taken away, one at a time
per slot: a removal is kept only if, with one staff member fewer, the one-sided bound of
every target still holds in every slot (a slot given up on, below, may not get worse). The
slots with slack lose one staff member together first; when that makes a slot fail, the
removal most likely to blame (the slot's own, else the latest earlier one) is set aside and
the rest is tried again, and each removal set aside is then tried on its own. Only a
removal that fails on its own marks its slot as needing its staff: one joint failure does
not lock every slot it touched. Every simulation uses the same
seed (common random numbers), so two schedules are compared on the same customers and the
search is deterministic. Where more staff stop helping (a walkout target below what the
phone lines allow, distractions that grow with idle staff), a slot that fails
:data:`STALL_LIMIT` times without progress keeps its best count and is left alone; the
search then ends ``unreachable`` rather than adding staff until ``max_iterations``.

The parts: targets and their one-sided confidence bounds are :mod:`sim.staffing.targets`;
slots, per-slot metrics and the judgement of a schedule are :mod:`sim.staffing.slots`; the
Erlang-A start and the schedules themselves (pooled staff only; scenarios that cannot
follow a schedule are refused) are :mod:`sim.staffing.schedule`.

Pure: the simulation is passed in as a function; nothing here prints or writes files.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from sim.config.schema import Scenario
from sim.staffing.schedule import (
    check_searchable,
    erlang_a_rates,
    fill_warmup,
    initial_staff,
    schedule_blocks,
    with_schedule,
)
from sim.staffing.slots import (
    ContactRow,
    Evaluation,
    Slot,
    SlotResult,
    channel_targets_s,
    evaluate,
    measured_from_s,
    slot_metrics,
    staffing_slots,
)
from sim.staffing.targets import MIN_REPLICATIONS, Target

Simulate = Callable[[Scenario], Sequence[Sequence[ContactRow]]]
"""Simulates a scenario: the contact rows of each replication, in replication order."""


# ------------------------------------------------------------------------------ the search

STALL_LIMIT = 3
"""Additions in a row that must bring a failing slot no progress before it is given up."""
MIN_IMPROVEMENT = 0.01
"""Smallest drop of a slot's relative shortfall (:meth:`Target.gap`) counted as progress."""

Phase = Literal["start", "add", "remove"]
Status = Literal["met", "unreachable", "max_iterations"]


def shortfall(result: SlotResult) -> float:
    """A slot's worst relative miss over its targets (≤ 0 when every target holds, -inf
    when nothing was measured)."""
    return max((c.target.gap(c.bound) for c in result.checks), default=-math.inf)


@dataclass(frozen=True)
class Step:
    """One simulation of the search: its number, phase, staff per slot, failing slots."""

    iteration: int
    phase: Phase
    staff: tuple[int, ...]
    failing: tuple[int, ...]


@dataclass(frozen=True)
class SearchResult:
    """The schedule found with its checks, the Erlang-A start, the history, and how the
    search ended: ``met`` (every target holds and nothing more could be removed),
    ``unreachable`` (some slot still fails where more staff stopped helping) or
    ``max_iterations``. ``given_up`` maps the slots where more staff stopped helping to the
    staff kept there (their best count seen); such a slot may pass in the end."""

    evaluation: Evaluation
    initial: list[int]
    history: list[Step]
    status: Status
    given_up: dict[int, int]
    max_iterations: int

    @property
    def message(self) -> str:
        """One sentence on how the search ended."""
        failing = ", ".join(self.evaluation.slots[i].slot.label for i in self.evaluation.failing)
        if self.status == "met":
            unjudged = self.evaluation.unjudged
            return "every slot meets every target" + (
                f" ({unjudged} slot target{'s' if unjudged != 1 else ''} not judged: fewer "
                "than 2 replications had customers to measure there)" if unjudged else "")
        if self.status == "unreachable":
            return (f"{failing} still miss a target: {STALL_LIMIT} more staff in a row brought "
                    "no progress there, so the best count seen is kept; something other than "
                    "staff limits these slots (e.g. phone lines, distractions that grow with "
                    "staff), or more replications would narrow the bounds")
        spent = f"{self.max_iterations} iteration{'s' if self.max_iterations != 1 else ''}"
        if self.evaluation.passed:
            return (f"stopped after {spent} (--max-iterations) while "
                    "taking staff away: every slot meets every target, but fewer staff may do")
        return (f"stopped after {spent} (--max-iterations); "
                f"still missing a target: {failing}")


@dataclass
class _Progress:
    """A slot's best relative shortfall so far, its staff then, and how many failing
    evaluations since brought no progress."""

    best: float = math.inf
    staff: int = 0
    stalled: int = 0


@dataclass
class StaffingSearch:
    """The iterative staffing search over ``slots`` (see the module docstring).

    ``frozen`` holds the slots given up on (index → staff kept): a slot that failed
    ``stall_limit`` times, each time with one more staff member, without beating the best
    shortfall it ever had (:func:`shortfall`, passing or not) goes back to the fewest staff
    that gave that best and is no longer changed. This stops the search from adding staff
    where more staff no longer helps (a target below what phone lines allow, or
    distractions that grow with the number of idle staff).
    """

    scenario: Scenario
    slots: list[Slot]
    targets: list[Target]
    simulate: Simulate
    confidence: float = 0.95
    max_iterations: int = 60
    on_step: Callable[[Step], None] | None = None
    stall_limit: int = STALL_LIMIT
    history: list[Step] = field(default_factory=list)
    frozen: dict[int, int] = field(default_factory=dict)
    _progress: dict[int, _Progress] = field(default_factory=dict)
    _cache: dict[tuple[int, ...], Evaluation] = field(default_factory=dict)

    def run_schedule(self, staff: Sequence[int], phase: Phase) -> Evaluation | None:
        """Simulate and check ``staff`` (cached); None once the iteration budget is spent."""
        key = tuple(staff)
        if key in self._cache:
            return self._cache[key]
        if len(self.history) >= self.max_iterations:
            return None
        scenario = with_schedule(self.scenario, schedule_blocks(self.slots, key))
        measured = measured_from_s(self.scenario)
        targets_s = channel_targets_s(self.scenario)
        per_rep = [slot_metrics(c, self.slots, targets_s, measured)
                   for c in self.simulate(scenario)]
        if len(per_rep) < MIN_REPLICATIONS:
            raise ValueError(f"{len(per_rep)} replications per schedule: the search needs at "
                             f"least {MIN_REPLICATIONS} for its confidence bounds")
        result = evaluate(per_rep, self.slots, key, self.targets, self.confidence)
        self._cache[key] = result
        step = Step(len(self.history) + 1, phase, key, result.failing)
        self.history.append(step)
        if self.on_step is not None:
            self.on_step(step)
        return result

    def minimum(self, i: int) -> int:
        """Fewest staff slot ``i`` may have: 1 if anyone can arrive in it, else 0."""
        return 1 if erlang_a_rates(self.scenario, self.slots[i])[0] > 0.0 else 0

    def violations(self, ev: Evaluation, reference: Evaluation) -> list[int]:
        """Slots where ``ev`` is worse than acceptable: a slot not given up on that misses a
        target, or a given-up slot whose shortfall grew beyond ``reference``'s (or that
        passed there and fails here)."""
        found = []
        for i, result in enumerate(ev.slots):
            if i not in self.frozen:
                if not result.passed:
                    found.append(i)
            elif not result.passed and (reference.slots[i].passed or
                                        shortfall(result) > shortfall(reference.slots[i])):
                found.append(i)
        return found

    def note_progress(self, ev: Evaluation) -> None:
        """Update every measured slot's best shortfall; freeze failing slots that stalled."""
        for i, result in enumerate(ev.slots):
            if i in self.frozen or not result.slot.measured:
                continue
            p = self._progress.setdefault(i, _Progress())
            gap = shortfall(result)
            if gap < p.best - MIN_IMPROVEMENT:
                p.best, p.staff, p.stalled = gap, result.staff, 0
            elif not result.passed:
                p.stalled += 1
                if p.stalled >= self.stall_limit:
                    self.frozen[i] = p.staff

    def add_until_passing(self, initial: Sequence[int]) -> tuple[Evaluation, bool]:
        """Add one to every failing slot (not given up on) until none is left:
        ``(last evaluation, finished within the budget)``."""
        ev = self.run_schedule(initial, "start")
        assert ev is not None, "max_iterations must be at least 1"
        while True:
            self.note_progress(ev)
            more = [self.frozen.get(i, n + (i in ev.failing)) for i, n in enumerate(ev.staff)]
            staff = tuple(fill_warmup(self.slots, more))
            if staff == ev.staff:
                return ev, True
            following = self.run_schedule(staff, "add")
            if following is None:
                return ev, False
            ev = following

    def removable(self, best: Evaluation, tight: set[int]) -> list[int]:
        """Measured slots with slack above their minimum, not given up on and not yet
        found to need their staff (``tight``)."""
        return [i for i, s in enumerate(best.slots)
                if s.slot.measured and s.slack and i not in tight
                and i not in self.frozen and s.staff > self.minimum(i)]

    def one_fewer(self, best: Evaluation, reduced: set[int]) -> Evaluation | None:
        """``best`` with one staff member fewer in every slot of ``reduced`` (None once the
        budget is spent)."""
        staff = [n - (i in reduced) for i, n in enumerate(best.staff)]
        return self.run_schedule(fill_warmup(self.slots, staff), "remove")

    def remove_while_passing(self, best: Evaluation) -> tuple[Evaluation, bool]:
        """Take staff away while every slot still meets every target with one fewer:
        ``(best, finished within the budget)``. A slot joins ``tight`` (no longer tried)
        only when its own removal, alone, made a slot fail."""
        tight: set[int] = set()
        while True:
            group = self.removable(best, tight)
            if not group:
                return best, True
            best, finished = self.remove_from(best, set(group), tight)
            if not finished:
                return best, False

    def remove_from(self, best: Evaluation, group: set[int], tight: set[int],
                    ) -> tuple[Evaluation, bool]:
        """One staff fewer in every slot of ``group`` at once; while that makes a slot fail,
        the removal blamed for it (:func:`nearest_removal`) is set aside and the rest is
        tried again. Each removal set aside is then tried on its own: kept if every slot
        still passes, else the slot joins ``tight``. ``(best, finished within budget)``."""
        aside: list[int] = []
        while group:
            ev = self.one_fewer(best, group)
            if ev is None:
                return best, False
            bad = self.violations(ev, best)
            if not bad:
                best = ev
                break
            if len(group) == 1:
                tight |= group
                break
            blamed = {nearest_removal(i, group) for i in bad}
            group -= blamed
            aside += sorted(blamed)
        for i in aside:
            ev = self.one_fewer(best, {i})
            if ev is None:
                return best, False
            if self.violations(ev, best):
                tight.add(i)
            else:
                best = ev
        return best, True


def nearest_removal(failing: int, reduced: set[int]) -> int:
    """The removal most likely to have made slot ``failing`` fail: its own, else the
    latest earlier one (queues carry forward), else the nearest later one."""
    if failing in reduced:
        return failing
    earlier = [i for i in reduced if i < failing]
    return max(earlier) if earlier else min(reduced)


def search(scenario: Scenario, targets: Sequence[Target], simulate: Simulate, *,
           slot_minutes: int | None = None, confidence: float = 0.95, max_iterations: int = 60,
           on_step: Callable[[Step], None] | None = None) -> SearchResult:
    """Find the fewest pooled staff per slot meeting every target with ``confidence``,
    simulating at most ``max_iterations`` (≥ 1) schedules."""
    check_searchable(scenario)
    if max_iterations < 1:
        raise ValueError(f"max_iterations = {max_iterations}: must be at least 1")
    slots = staffing_slots(scenario, slot_minutes)
    run = StaffingSearch(scenario, slots, list(targets), simulate, confidence, max_iterations,
                         on_step)
    initial = initial_staff(scenario, slots, targets)
    last, finished = run.add_until_passing(initial)
    if finished:
        last, finished = run.remove_while_passing(last)
    status: Status = ("max_iterations" if not finished
                      else "met" if last.passed else "unreachable")
    return SearchResult(last, initial, run.history, status, dict(run.frozen), max_iterations)
