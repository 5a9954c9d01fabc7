"""Staffing by time of day: the fewest pooled staff per slot that meet service targets.

The search is the iterative staffing algorithm for time-varying queues (Feldman,
Mandelbaum, Massey & Whitt 2008): each slot starts from its Erlang-A estimate, the whole
day is simulated, one staff member is added to every slot that misses a target, and the
day is simulated again, until every slot passes. Then one staff member is taken away from
every slot whose bounds have slack; removals that still pass are kept, and a slot whose
removal made something fail is restored and left alone. Every simulation uses the same
seed (common random numbers), so two schedules are compared on the same customers and the
search is deterministic. Where more staff stop helping (a walkout target below what the
phone lines allow, distractions that grow with idle staff), a slot that fails
:data:`STALL_LIMIT` times without progress keeps its best count and is left alone; the
search then ends ``unreachable`` rather than adding staff until ``max_iterations``.

A target holds in a slot *with confidence*: the metric is computed per replication over
the walk-in and phone contacts that arrived in the slot after warm-up, and the one-sided
Student-t bound over replications (upper for ``<=``, lower for ``>=``) must meet the
target. A slot where no replication measured the metric passes (nothing to judge); with a
single measuring replication the point estimate stands in for the bound. Slots lying
wholly inside the warm-up are not measured and get the staff of the first measured slot.

Schedules use pooled staff (role ``both``) only. A scenario whose ``staff.traits`` or
``staff.bias`` is a list (one entry per staff member) cannot follow a changing number of
staff and is refused (:func:`check_searchable`), as is a multi-day run.

Pure: the simulation is passed in as a function; nothing here prints or writes files.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from scipy import stats

from sim.config import Channel, Scenario, ShiftSlot, scenario_from_dict
from sim.contact import PHONE, WALK_IN, WALKOUTS, Outcome
from sim.distributions import mean_of
from sim.errors import UserInputError
from sim.theory import erlang_a_metrics, min_servers_erlang_a

Op = Literal["<=", ">="]
ContactRow = Mapping[str, object]
Simulate = Callable[[Scenario], Sequence[Sequence[ContactRow]]]
"""Simulates a scenario: the contact rows of each replication, in replication order."""


# ------------------------------------------------------------------------------ targets


@dataclass(frozen=True)
class MetricSpec:
    """A metric the search can staff for: the direction that is good, and its unit."""

    op: Op
    unit: Literal["share", "s"]


METRICS: dict[str, MetricSpec] = {
    "walkout_rate": MetricSpec("<=", "share"),
    "p_ack_within_target": MetricSpec(">=", "share"),
    "service_level": MetricSpec(">=", "share"),
    "mean_wait_s": MetricSpec("<=", "s"),
    "mean_time_to_ack_s": MetricSpec("<=", "s"),
}

_TARGET = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*([<>=!]*)\s*(.*?)\s*$")


@dataclass(frozen=True)
class Target:
    """``metric op value``: a share in (0, 1) or a time in seconds."""

    metric: str
    op: Op
    value: float

    @property
    def text(self) -> str:
        """The target as written on the command line, e.g. ``walkout_rate<=0.05``."""
        return f"{self.metric}{self.op}{self.value:g}"

    def holds(self, bound: float) -> bool:
        """True if ``bound`` meets the target (NaN, nothing measured, counts as met)."""
        if math.isnan(bound):
            return True
        return bound <= self.value if self.op == "<=" else bound >= self.value

    def slack(self, bound: float) -> bool:
        """True if ``bound`` meets the target strictly (room to take staff away)."""
        if math.isnan(bound):
            return True
        return bound < self.value if self.op == "<=" else bound > self.value

    def gap(self, bound: float) -> float:
        """How far ``bound`` misses the target, relative to the target value (negative
        when it meets it with room to spare; -inf when nothing was measured)."""
        if math.isnan(bound):
            return -math.inf
        miss = bound - self.value if self.op == "<=" else self.value - bound
        return miss / self.value


def allowed_targets() -> str:
    """The target forms accepted, for error messages."""
    value = {"share": "P", "s": "SECONDS"}
    return ", ".join(f"{m}{s.op}{value[s.unit]}" for m, s in METRICS.items())


def _bad_target(text: str, problem: str) -> UserInputError:
    return UserInputError(f"--target {text!r}: {problem}; allowed: {allowed_targets()} "
                          "(P a share between 0 and 1, or a percentage such as 80%)")


def _target_value(text: str, raw: str, spec: MetricSpec) -> float:
    percent = spec.unit == "share" and raw.endswith("%")
    try:
        value = float(raw[:-1] if percent else raw) / (100.0 if percent else 1.0)
    except ValueError:
        raise _bad_target(text, f"{raw!r} is not a number") from None
    if spec.unit == "share" and not 0.0 < value < 1.0:
        raise _bad_target(text, f"{raw} must be a share strictly between 0 and 1")
    if spec.unit == "s" and not 0.0 < value < math.inf:
        raise _bad_target(text, f"{raw} must be a positive number of seconds")
    return value


def parse_target(text: str) -> Target:
    """Parse ``metric<=value`` or ``metric>=value``; raises :class:`UserInputError`."""
    match = _TARGET.match(text)
    if match is None or not match.group(2):
        raise _bad_target(text, "expected METRIC<=VALUE or METRIC>=VALUE")
    metric, op, raw = match.groups()
    spec = METRICS.get(metric)
    if spec is None:
        raise _bad_target(text, f"unknown metric {metric!r}")
    if op not in ("<=", ">="):
        raise _bad_target(text, f"operator {op!r} is not <= or >=")
    if op != spec.op:
        raise _bad_target(text, f"{metric} improves with more staff, so it takes {spec.op}")
    return Target(metric, spec.op, _target_value(text, raw, spec))


def parse_targets(texts: Sequence[str]) -> list[Target]:
    """Parse every ``--target``; at least one, each metric at most once."""
    if not texts:
        raise _bad_target("", "give at least one target")
    targets = [parse_target(t) for t in texts]
    seen: set[str] = set()
    for text, target in zip(texts, targets, strict=True):
        if target.metric in seen:
            raise _bad_target(text, f"{target.metric} is given twice; give each metric once")
        seen.add(target.metric)
    return targets


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
    """Counts and sums over the contacts of one slot, defined as in :mod:`sim.metrics`."""

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
            "mean_time_to_ack_s": _ratio(self.ack_sum_s, self.acked),
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


# ------------------------------------------------------------------------------ confidence


@dataclass(frozen=True)
class Check:
    """One target in one slot: mean over ``n`` replications and its one-sided bound."""

    target: Target
    mean: float
    bound: float
    n: int

    @property
    def passed(self) -> bool:
        """The bound meets the target."""
        return self.target.holds(self.bound)

    @property
    def slack(self) -> bool:
        """The bound meets the target strictly."""
        return self.target.slack(self.bound)


def confidence_bound(values: Sequence[float], op: Op, confidence: float,
                     ) -> tuple[float, float, int]:
    """``(mean, bound, n)`` over the finite values: the one-sided Student-t bound at
    ``confidence`` (upper for ``<=``, lower for ``>=``); with one value the bound is the
    value, with none both are NaN."""
    xs = [v for v in values if not math.isnan(v)]
    n = len(xs)
    if n == 0:
        return math.nan, math.nan, 0
    mean = math.fsum(xs) / n
    if n == 1:
        return mean, mean, 1
    std = math.sqrt(math.fsum((x - mean) ** 2 for x in xs) / (n - 1))
    half = float(stats.t.ppf(confidence, n - 1)) * std / math.sqrt(n)
    return mean, (mean + half if op == "<=" else mean - half), n


def check_target(values: Sequence[float], target: Target, confidence: float) -> Check:
    """Judge ``target`` on the per-replication ``values`` of one slot."""
    mean, bound, n = confidence_bound(values, target.op, confidence)
    return Check(target, mean, bound, n)


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


# ------------------------------------------------------------------------------ Erlang-A start


def mean_rate_per_s(channel: Channel, scenario: Scenario, start_s: float, end_s: float,
                    ) -> float:
    """Mean arrival rate (per second) of ``channel`` over ``[start_s, end_s)``: the
    configured rate times the profile averaged over the slot."""
    if not channel.is_open:
        return 0.0
    if not channel.profile:
        return channel.rate_per_hour / 3600.0
    hours = scenario.hours
    weighted = 0.0
    for k, multiplier in enumerate(channel.profile):
        a = hours.open_s + k * hours.slot_s
        overlap = min(end_s, a + hours.slot_s, hours.close_s) - max(start_s, a)
        weighted += multiplier * max(overlap, 0.0)
    return channel.rate_per_hour / 3600.0 * weighted / (end_s - start_s)


def erlang_a_rates(scenario: Scenario, slot: Slot) -> tuple[float, float, float]:
    """``(lambda, mu, theta)`` per second for a slot: total walk-in and phone arrival rate,
    1 / the rate-weighted mean service time and 1 / the rate-weighted mean patience (0 when
    any patience is infinite)."""
    channels = (scenario.demand.walk_in, scenario.demand.phone)
    rates = [mean_rate_per_s(c, scenario, slot.start_s, slot.end_s) for c in channels]
    lam = math.fsum(rates)
    if lam == 0.0:
        return 0.0, 1.0, 0.0
    service = math.fsum(r * mean_of(c.service) for r, c in zip(rates, channels, strict=True))
    patience = math.fsum(r * mean_of(c.patience) for r, c in zip(rates, channels, strict=True)
                         if r > 0)
    return lam, lam / service, (lam / patience if math.isfinite(patience) else 0.0)


def erlang_a_staff(lam: float, mu: float, theta: float, targets: Sequence[Target],
                   target_wait_s: float) -> int:
    """Fewest servers for which Erlang-A meets the targets it can express (rates per
    second): walkout_rate as P(abandon), service_level and p_ack_within_target as the
    service level within ``target_wait_s``, mean waits as E[W]. 0 when nobody arrives."""
    if lam == 0.0:
        return 0
    by_metric = {t.metric: t.value for t in targets}
    levels = [by_metric[m] for m in ("service_level", "p_ack_within_target") if m in by_metric]
    waits = [by_metric[m] for m in ("mean_wait_s", "mean_time_to_ack_s") if m in by_metric]
    cap = math.ceil(4.0 * lam / mu) + 50
    n = max(1, math.floor(lam / mu) + 1) if theta == 0.0 else 1
    if "walkout_rate" in by_metric or levels:
        try:
            n = min_servers_erlang_a(lam, mu, theta, target_wait_s,
                                     max_p_abandon=by_metric.get("walkout_rate"),
                                     min_service_level=max(levels) if levels else None,
                                     max_servers=cap)
        except ValueError:
            return cap
    while waits and n < cap and erlang_a_metrics(lam, mu, theta, n, 1.0).mean_wait > min(waits):
        n += 1
    return n


def initial_staff(scenario: Scenario, slots: Sequence[Slot], targets: Sequence[Target],
                  ) -> list[int]:
    """The Erlang-A estimate for every slot (warm-up slots copy the first measured one)."""
    wait_s = scenario.acknowledgment.target_s
    staff = [erlang_a_staff(*erlang_a_rates(scenario, s), targets, wait_s) for s in slots]
    return fill_warmup(slots, staff)


def fill_warmup(slots: Sequence[Slot], staff: Sequence[int]) -> list[int]:
    """``staff`` with every unmeasured (warm-up) slot set to the first measured slot's."""
    first = next(i for i, s in enumerate(slots) if s.measured)
    return [n if s.measured else staff[first] for s, n in zip(slots, staff, strict=True)]


# ------------------------------------------------------------------------------ schedules


def check_searchable(scenario: Scenario) -> None:
    """Refuse scenarios the search cannot re-staff (raises :class:`UserInputError`)."""
    for key, alternative, example in (("traits", "'random' or 'average'", '"average"'),
                                      ("bias", "one number", "1.0")):
        if isinstance(getattr(scenario.staff, key), list):
            raise UserInputError(
                f"staff.{key} is a list (one entry per staff member), which cannot follow a "
                f"schedule whose staff numbers the search changes; set it to {alternative}, "
                f"e.g. --set 'staff.{key}={example}'")
    if scenario.run.days > 1:
        raise UserInputError(f"run.days = {scenario.run.days}: staffing searches one day; "
                             "use --set run.days=1")


def schedule_blocks(slots: Sequence[Slot], staff: Sequence[int]) -> list[ShiftSlot]:
    """Pooled-staff blocks: adjacent slots with the same count merged."""
    blocks: list[ShiftSlot] = []
    for slot, n in zip(slots, staff, strict=True):
        if blocks and blocks[-1].both == n:
            blocks[-1] = ShiftSlot(start=blocks[-1].start, end=clock_text(slot.end_s), both=n)
        else:
            blocks.append(ShiftSlot(start=clock_text(slot.start_s), end=clock_text(slot.end_s),
                                    both=n))
    return blocks


def with_schedule(scenario: Scenario, blocks: Sequence[ShiftSlot]) -> Scenario:
    """``scenario`` staffed by ``blocks`` (counter, phone and all-day counts set to 0)."""
    data = scenario.model_dump(mode="json")
    data["staff"].update(counter=0, phone=0, both=0,
                         schedule=[b.model_dump(mode="json") for b in blocks])
    return scenario_from_dict(data)


def schedule_toml(blocks: Sequence[ShiftSlot], comment: str = "") -> str:
    """A ``[staff]`` table with the schedule, ready to paste into a scenario file."""
    lines = [f"# {comment}"] if comment else []
    lines += ["[staff]", "schedule = ["]
    lines += [f'  {{ start = "{b.start}", end = "{b.end}", counter = {b.counter}, '
              f"phone = {b.phone}, both = {b.both} }}," for b in blocks]
    lines.append("]")
    return "\n".join(lines) + "\n"


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
            return "every slot meets every target"
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
    max_iterations: int = 30
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

    def acceptable(self, ev: Evaluation) -> bool:
        """Every slot not given up on meets every target."""
        return set(ev.failing) <= self.frozen.keys()

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

    def remove_while_passing(self, best: Evaluation) -> tuple[Evaluation, bool]:
        """Take staff away from slots with slack while the schedule stays acceptable:
        ``(best, finished within the budget)``."""
        tight: set[int] = set()
        while True:
            reduced = {i for i, s in enumerate(best.slots)
                       if s.slot.measured and s.slack and i not in tight
                       and i not in self.frozen and s.staff > self.minimum(i)}
            if not reduced:
                return best, True
            trial = self.try_removal(best, reduced, tight)
            if trial is None:
                return best, False
            best = trial

    def try_removal(self, best: Evaluation, reduced: set[int], tight: set[int],
                    ) -> Evaluation | None:
        """One staff fewer in the ``reduced`` slots; a slot that then fails gets its own
        (or the nearest) removal undone, which joins ``tight``. None if the budget ran out."""
        while True:
            staff = [n - (i in reduced) for i, n in enumerate(best.staff)]
            ev = self.run_schedule(fill_warmup(self.slots, staff), "remove")
            if ev is None or self.acceptable(ev):
                return ev
            for failing in ev.failing:
                if failing not in self.frozen and reduced:
                    culprit = nearest_removal(failing, reduced)
                    reduced.discard(culprit)
                    tight.add(culprit)


def nearest_removal(failing: int, reduced: set[int]) -> int:
    """The removal most likely to have made slot ``failing`` fail: its own, else the
    latest earlier one (queues carry forward), else the nearest later one."""
    if failing in reduced:
        return failing
    earlier = [i for i in reduced if i < failing]
    return max(earlier) if earlier else min(reduced)


def search(scenario: Scenario, targets: Sequence[Target], simulate: Simulate, *,
           slot_minutes: int | None = None, confidence: float = 0.95, max_iterations: int = 30,
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
