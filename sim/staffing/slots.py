"""Staffing slots and the per-slot judgement of one simulated schedule.

The day is cut into slots (:func:`staffing_slots`); each replication's contact rows give
every slot its metrics (:func:`slot_metrics`, over the walk-in and phone contacts that
arrived in the slot after warm-up), and :func:`evaluate` checks every target in every
measured slot with confidence (:mod:`sim.staffing.targets`). Slots lying wholly inside
the warm-up are not measured.

Pure: nothing here prints or writes files.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sim.config.schema import Scenario
from sim.model.contact import PHONE, WALK_IN, WALKOUTS, Outcome
from sim.staffing.targets import Check, Target, check_target

ContactRow = Mapping[str, object]


# ------------------------------------------------------------------------------ slots


def clock_text(seconds: float) -> str:
    """Seconds after midnight as ``"HH:MM"`` (hours may pass 24)."""
    minutes = round(seconds / 60.0)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class Slot:
    """One staffing slot ``[start_s, end_s)`` (seconds after midnight); ``measured`` is
    False when it lies wholly inside the warm-up."""

    start_s: float
    end_s: float
    measured: bool

    @property
    def label(self) -> str:
        """``"09:00-09:30"``."""
        return f"{clock_text(self.start_s)}-{clock_text(self.end_s)}"


def measured_from_s(scenario: Scenario) -> float:
    """Time (s after midnight) from which arrivals are measured: opening plus warm-up."""
    return scenario.hours.open_s + scenario.run.warmup_s


def staffing_slots(scenario: Scenario, slot_minutes: int | None = None) -> list[Slot]:
    """Slots of ``slot_minutes`` (default ``hours.slot_minutes``) from opening to closing;
    the last one ends at closing (it may be shorter)."""
    hours = scenario.hours
    step = 60.0 * (slot_minutes or hours.slot_minutes)
    start_measuring = measured_from_s(scenario)
    slots = []
    start = hours.open_s
    while start < hours.close_s:
        end = min(start + step, hours.close_s)
        slots.append(Slot(start, end, end > start_measuring))
        start = end
    return slots


# ------------------------------------------------------------------------------ per-slot metrics


def channel_targets_s(scenario: Scenario) -> dict[str, float]:
    """Target wait per channel (s): acknowledgment target for walk-ins, answer target for
    calls."""
    return {WALK_IN: scenario.acknowledgment.target_s,
            PHONE: scenario.phone_handling.answer_target_s}


_NOT_JOINED = frozenset({Outcome.BALKED, Outcome.BLOCKED, Outcome.IN_SYSTEM})


def _time(row: ContactRow, key: str) -> float:
    value = row[key]
    return float(value) if isinstance(value, int | float) else math.nan


@dataclass
class SlotTally:
    """Counts and sums over the contacts of one slot, defined as in
    :mod:`sim.metrics.accumulator`."""

    arrivals: int = 0
    walkouts: int = 0
    joined: int = 0           # joined the line and left it (served or walked out)
    wait_sum_s: float = 0.0
    acked: int = 0
    ack_sum_s: float = 0.0
    ack_within: int = 0       # joiners acknowledged within their channel's target
    served_within: int = 0    # joiners whose service started within the target

    def add(self, row: ContactRow, target_s: float) -> None:
        """Count one contact row (``arrival_s``, ``ack_s``, ``start_s``, ``end_s``,
        ``outcome``) against its channel's target wait ``target_s`` (s)."""
        outcome = Outcome(str(row["outcome"]))
        self.arrivals += 1
        self.walkouts += outcome in WALKOUTS
        if outcome in _NOT_JOINED:
            return
        arrival, start = _time(row, "arrival_s"), _time(row, "start_s")
        wait = (start if not math.isnan(start) else _time(row, "end_s")) - arrival
        self.joined += 1
        self.wait_sum_s += wait
        to_ack = _time(row, "ack_s") - arrival
        if not math.isnan(to_ack):
            self.acked += 1
            self.ack_sum_s += to_ack
            self.ack_within += to_ack <= target_s
        self.served_within += outcome is Outcome.SERVED and wait <= target_s

    def metrics(self) -> dict[str, float]:
        """The supported metrics (NaN when undefined: no arrivals, joiners or greetings)."""
        return {
            "walkout_rate": _ratio(self.walkouts, self.arrivals),
            "p_ack_within_target": _ratio(self.ack_within, self.joined),
            "service_level": _ratio(self.served_within, self.joined),
            "mean_wait_s": _ratio(self.wait_sum_s, self.joined),
            "mean_time_to_ack_acknowledged_s": _ratio(self.ack_sum_s, self.acked),
        }


def _ratio(a: float, b: float) -> float:
    return a / b if b else math.nan


def slot_metrics(contacts: Iterable[ContactRow], slots: Sequence[Slot],
                 targets_s: Mapping[str, float], measured_from: float,
                 ) -> list[dict[str, float]]:
    """One replication's metrics per slot, over the contacts that arrived in each slot at
    or after ``measured_from`` (s); channels without a target (e-mail) are left out."""
    starts = [s.start_s for s in slots]
    tallies = [SlotTally() for _ in slots]
    for row in contacts:
        target_s = targets_s.get(str(row["channel"]))
        arrival = _time(row, "arrival_s")
        if target_s is None or not arrival >= measured_from:
            continue
        i = min(max(bisect.bisect_right(starts, arrival) - 1, 0), len(slots) - 1)
        tallies[i].add(row, target_s)
    return [t.metrics() for t in tallies]


# ------------------------------------------------------------------------------ judgement


@dataclass(frozen=True)
class SlotResult:
    """A slot, its staff and the check of every target (none if not measured)."""

    slot: Slot
    staff: int
    checks: tuple[Check, ...]

    @property
    def passed(self) -> bool:
        """Every target holds with confidence."""
        return all(c.passed for c in self.checks)

    @property
    def slack(self) -> bool:
        """Every target holds strictly: a candidate for one staff member fewer."""
        return all(c.slack for c in self.checks)


@dataclass(frozen=True)
class Evaluation:
    """A simulated schedule: staff per slot and the per-slot checks."""

    slots: tuple[SlotResult, ...]

    @property
    def staff(self) -> tuple[int, ...]:
        """Staff per slot."""
        return tuple(s.staff for s in self.slots)

    @property
    def failing(self) -> tuple[int, ...]:
        """Indices of slots that miss a target."""
        return tuple(i for i, s in enumerate(self.slots) if not s.passed)

    @property
    def passed(self) -> bool:
        """Every slot meets every target."""
        return not self.failing

    @property
    def unjudged(self) -> int:
        """Checks without a bound (fewer than two replications measured the metric)."""
        return sum(not c.judged for s in self.slots for c in s.checks)


def evaluate(per_replication: Sequence[Sequence[Mapping[str, float]]], slots: Sequence[Slot],
             staff: Sequence[int], targets: Sequence[Target], confidence: float) -> Evaluation:
    """Check every target in every measured slot; ``per_replication[r][i]`` holds slot
    ``i``'s metrics in replication ``r``."""
    results = []
    for i, (slot, n_staff) in enumerate(zip(slots, staff, strict=True)):
        checks = tuple(check_target([rep[i][t.metric] for rep in per_replication], t,
                                    confidence) for t in targets) if slot.measured else ()
        results.append(SlotResult(slot, n_staff, checks))
    return Evaluation(tuple(results))
