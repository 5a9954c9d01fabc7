"""Profit-optimal staffing: the pooled staff per slot with the highest expected net value
(``net_value`` = revenue − staff cost − fixed cost − lost lifetime value, money units per
day), subject to the service targets given (each must hold with confidence in every slot,
as in :mod:`sim.staffing.search`).

A local search with common random numbers: every schedule is simulated on the same
replications (the same seed), so two schedules meet the same customers and their net values
are compared replication by replication (paired differences). From a start (the Erlang-A
schedule, or the user's), first staff are added to every slot that misses a target until
all pass; then, in each round, every neighbour (one staff member more, or one fewer, in one
measured slot) is simulated, and the feasible neighbour with the largest mean gain is
taken if its gain is significant: the lower one-sided bound (Student t, level
``confidence``) of its paired mean difference is above 0. When its mean gain is positive
but not significant (a close call), it and the incumbent are simulated on twice the
replications (the next ones, still common to both), up to ``max_reps``, until the gain is
significant or vanishes. The step test is not adjusted for picking the best of the round's
neighbours; the statement about the schedule chosen, below, is. The search stops when no
neighbour beats the incumbent that way and no neighbour with one staff member fewer is
as good (not significantly worse, on ``max_reps`` replications: on a plateau of net value
the search walks down to its cheapest edge, so starts above and below it end at the same
place) (``optimum``), or when the simulation budget is spent. No schedule is returned to
once left. It is deterministic: the same seed, start and budget give the same schedule.

For the schedule chosen, every neighbour is compared with it again (chosen − neighbour):
mean, Bonferroni-adjusted two-sided interval and the one-sided p-value of "the chosen
schedule is better". The confidence that it beats *every* feasible neighbour at once is at
least ``1 − Σ p`` (Bonferroni), reported as such.

Pure: the simulation is passed in as a function; nothing here prints or writes files.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from scipy import stats

from sim.config.schema import Scenario
from sim.staffing.schedule import (
    check_searchable,
    erlang_a_rates,
    fill_warmup,
    schedule_blocks,
    with_schedule,
)
from sim.staffing.slots import (
    ContactRow,
    Evaluation,
    Slot,
    channel_targets_s,
    evaluate,
    measured_from_s,
    slot_metrics,
)
from sim.staffing.targets import MIN_REPLICATIONS, Target

Replication = tuple[Mapping[str, float], Sequence[ContactRow]]
"""One replication: its metrics row and its contact rows."""
SimulateRuns = Callable[[Scenario, Sequence[int]], Sequence[Replication]]
"""Simulates the given replications of a scenario (common random numbers: replication
``r`` meets the same customers in every schedule), in the order given."""
TRACKED = ("net_value", "staff_hours", "walkout_rate", "walkouts", "lost_clv", "staff_cost",
           "revenue")
"""The per-replication metrics kept for every schedule evaluated."""
OBJECTIVE = "net_value"
ProfitStatus = Literal["optimum", "infeasible", "max_iterations"]


def mean_se(values: Sequence[float]) -> tuple[float, float]:
    """Mean and standard error (NaN with fewer than 2 values)."""
    n = len(values)
    mean = math.fsum(values) / n if n else math.nan
    if n < 2:
        return mean, math.nan
    var = math.fsum((v - mean) ** 2 for v in values) / (n - 1)
    return mean, math.sqrt(var / n)


@dataclass(frozen=True)
class Paired:
    """``a − b`` paired by replication: mean, standard error, the two-sided interval at
    ``level``, and the one-sided p-value of ``a > b`` (t-test, n − 1 degrees of freedom)."""

    mean: float
    se: float
    low: float
    high: float
    p_value: float

    @staticmethod
    def of(a: Sequence[float], b: Sequence[float], level: float) -> Paired:
        """The paired comparison of ``a`` and ``b`` (replications in the same order; over
        the replications both have)."""
        diffs = [x - y for x, y in zip(a, b, strict=False)]
        mean, se = mean_se(diffs)
        if not se > 0.0:  # identical on every replication (or one replication)
            p = 0.0 if mean > 0 else 1.0
            return Paired(mean, 0.0, mean, mean, p)
        df = len(diffs) - 1
        half = float(stats.t.ppf(0.5 + level / 2.0, df)) * se
        return Paired(mean, se, mean - half, mean + half, float(stats.t.sf(mean / se, df)))

    def lower_one_sided(self, level: float, n: int) -> float:
        """The lower one-sided bound at ``level`` (``n`` replications)."""
        if not self.se > 0.0:
            return self.mean
        return self.mean - float(stats.t.ppf(level, n - 1)) * self.se

    @staticmethod
    def gain(a: Candidate, b: Candidate, level: float) -> tuple[Paired, int]:
        """``a − b`` in net value over the replications both have, and their number."""
        x, y = a.values[OBJECTIVE], b.values[OBJECTIVE]
        return Paired.of(x, y, level), min(len(x), len(y))


@dataclass(frozen=True)
class Candidate:
    """A simulated schedule: staff per slot, the tracked metrics per replication, the
    per-slot target checks, the mean walkout rate per slot, and its number in the search."""

    staff: tuple[int, ...]
    values: dict[str, tuple[float, ...]]
    evaluation: Evaluation
    slot_walkout_rate: tuple[float, ...]
    iteration: int

    @property
    def feasible(self) -> bool:
        """Every target holds with confidence in every slot (True without targets)."""
        return self.evaluation.passed

    def mean(self, name: str) -> float:
        """Mean of a tracked metric over replications."""
        return mean_se(self.values[name])[0]

    def se(self, name: str) -> float:
        """Standard error of a tracked metric's mean."""
        return mean_se(self.values[name])[1]


@dataclass(frozen=True)
class Neighbour:
    """The chosen schedule against one neighbour: the slot changed, by how much (+1/−1),
    the neighbour, and chosen − neighbour net value (None if the neighbour misses a
    target: it is no alternative)."""

    slot: int
    change: int
    candidate: Candidate
    comparison: Paired | None


@dataclass(frozen=True)
class ProfitResult:
    """The schedule chosen, the start, every schedule evaluated (in order), the final
    comparisons with its neighbours, the round count and how the search ended."""

    chosen: Candidate
    start: tuple[int, ...]
    evaluated: list[Candidate]
    neighbours: list[Neighbour]
    rounds: int
    status: ProfitStatus
    confidence: float
    confirmed: tuple[float, ...] = ()  # net value of the chosen schedule, fresh replications

    @property
    def confirmed_net_value(self) -> tuple[float, float]:
        """Mean and standard error (money per day) of the chosen schedule's net value on
        replications the search never saw: free of the upward bias of picking the best
        of many noisy estimates (NaN when the search chose nothing)."""
        return mean_se(self.confirmed) if self.confirmed else (math.nan, math.nan)

    @property
    def joint_confidence(self) -> float:
        """Lower bound (Bonferroni) on the confidence that the chosen schedule beats every
        feasible neighbour at once: ``1 − Σ p``, at least 0."""
        ps = [n.comparison.p_value for n in self.neighbours if n.comparison is not None]
        return max(0.0, 1.0 - math.fsum(ps))

    @property
    def message(self) -> str:
        """One sentence on how the search ended."""
        if self.status == "optimum":
            return ("no neighbour (one staff member more or fewer in one slot) has a "
                    f"significantly higher net value (Bonferroni, {self.confidence:.0%})")
        if self.status == "infeasible":
            return "the targets could not be met in every slot within --max-iterations"
        return "stopped at --max-iterations before no neighbour was better"


@dataclass
class ProfitSearch:
    """The local search (see the module docstring)."""

    scenario: Scenario
    slots: list[Slot]
    targets: list[Target]
    simulate: SimulateRuns
    confidence: float = 0.95
    max_iterations: int = 300
    on_step: Callable[[Candidate], None] | None = None
    reps: int = 20
    max_reps: int = 80
    evaluated: list[Candidate] = field(default_factory=list)
    _cache: dict[tuple[int, ...], Candidate] = field(default_factory=dict)

    def run(self, staff: Sequence[int]) -> Candidate | None:
        """Simulate ``staff`` (cached); None once the budget is spent."""
        key = tuple(fill_warmup(self.slots, list(staff)))
        if key in self._cache:
            return self._cache[key]
        if len(self.evaluated) >= self.max_iterations:
            return None
        reps = self.simulate(with_schedule(self.scenario, schedule_blocks(self.slots, key)),
                             range(self.reps))
        if len(reps) < MIN_REPLICATIONS:
            raise ValueError(f"{len(reps)} replications per schedule: the search needs at "
                             f"least {MIN_REPLICATIONS}")
        per_rep = [slot_metrics(contacts, self.slots, channel_targets_s(self.scenario),
                                measured_from_s(self.scenario)) for _, contacts in reps]
        rates = tuple(mean_se([r[i]["walkout_rate"] for r in per_rep
                               if not math.isnan(r[i]["walkout_rate"])])[0]
                      for i in range(len(self.slots)))
        values = {m: tuple(float(row[m]) for row, _ in reps) for m in TRACKED}
        found = Candidate(key, values, evaluate(per_rep, self.slots, key, self.targets,
                                                self.confidence), rates,
                          len(self.evaluated) + 1)
        self._cache[key] = found
        self.evaluated.append(found)
        if self.on_step is not None:
            self.on_step(found)
        return found

    def extend(self, c: Candidate, n: int) -> Candidate:
        """``c`` with its tracked metrics over ``n`` replications (the first ones kept;
        targets and per-slot walkout rates stay judged on the first ``reps``)."""
        have = len(c.values[OBJECTIVE])
        if n <= have:
            return c
        more = self.simulate(with_schedule(self.scenario, schedule_blocks(self.slots, c.staff)),
                             range(have, n))
        values = {m: c.values[m] + tuple(float(row[m]) for row, _ in more) for m in TRACKED}
        longer = Candidate(c.staff, values, c.evaluation, c.slot_walkout_rate, c.iteration)
        self._cache[c.staff] = longer
        self.evaluated[c.iteration - 1] = longer
        return longer

    def confirm(self, c: Candidate) -> tuple[float, ...]:
        """Net value of ``c`` on ``reps`` replications numbered after any the search may
        use (``max_reps`` onwards): an independent estimate of the chosen schedule."""
        fresh = self.simulate(with_schedule(self.scenario, schedule_blocks(self.slots, c.staff)),
                              range(self.max_reps, self.max_reps + self.reps))
        return tuple(float(row[OBJECTIVE]) for row, _ in fresh)

    def latest(self, c: Candidate) -> Candidate:
        """The cached (possibly extended) version of ``c``."""
        return self._cache[c.staff]

    def minimum(self, i: int) -> int:
        """Fewest staff slot ``i`` may have: 1 if anyone can arrive in it, else 0."""
        return 1 if erlang_a_rates(self.scenario, self.slots[i])[0] > 0.0 else 0

    def moves(self, staff: Sequence[int]) -> list[tuple[int, int]]:
        """``(slot, ±1)`` for every measured slot (−1 only above the slot's minimum)."""
        return [(i, d) for i, s in enumerate(self.slots) if s.measured for d in (1, -1)
                if d > 0 or staff[i] > self.minimum(i)]

    def make_feasible(self, start: Sequence[int]) -> Candidate | None:
        """From ``start``, one more staff member in every failing slot until all pass
        (None if the budget runs out first)."""
        current = self.run(start)
        while current is not None and not current.feasible:
            failing = set(current.evaluation.failing)
            current = self.run([n + (i in failing) for i, n in enumerate(current.staff)])
        return current

    def neighbours(self, incumbent: Candidate) -> list[Neighbour] | None:
        """Every neighbour of ``incumbent`` simulated and compared (incumbent − neighbour,
        Bonferroni over the feasible ones); None if the budget runs out."""
        found: list[tuple[int, int, Candidate]] = []
        for i, d in self.moves(incumbent.staff):
            staff = list(incumbent.staff)
            staff[i] += d
            c = self.run(staff)
            if c is None:
                return None
            found.append((i, d, c))
        return self.compare(incumbent, [(i, d, c) for i, d, c in found])

    def compare(self, incumbent: Candidate, found: list[tuple[int, int, Candidate]],
                ) -> list[Neighbour]:
        """``incumbent`` − each neighbour (Bonferroni over the feasible ones)."""
        level = self.level(sum(c.feasible for _, _, c in found))
        return [Neighbour(i, d, c, Paired.gain(incumbent, c, level)[0] if c.feasible else None)
                for i, d, c in found]

    def level(self, m: int) -> float:
        """The Bonferroni-adjusted confidence level over ``m`` comparisons."""
        return 1.0 - (1.0 - self.confidence) / max(1, m)

    def better(self, incumbent: Candidate, around: list[Neighbour]) -> Candidate | None:
        """The feasible neighbour with the largest mean gain, if that gain is significant
        (one-sided, at ``confidence``). When it is not, it and the incumbent get twice the
        replications (up to ``max_reps``) until its gain is significant or vanishes."""
        feasible = [self.latest(n.candidate) for n in around if n.comparison is not None]
        level = self.confidence
        gains = [(c, *Paired.gain(c, incumbent, level)) for c in feasible]
        hopeful = [(c, g, n) for c, g, n in gains if g.mean > 0.0]
        if not hopeful:
            return None
        best, gain, both = max(hopeful, key=lambda cgn: (cgn[1].mean, -cgn[0].iteration))
        if gain.lower_one_sided(level, both) > 0.0:
            return best
        n = min(len(best.values[OBJECTIVE]), len(incumbent.values[OBJECTIVE]))
        while n < self.max_reps:
            n = min(2 * n, self.max_reps)
            best, incumbent = self.extend(best, n), self.extend(incumbent, n)
            gain, both = Paired.gain(best, incumbent, level)
            if gain.lower_one_sided(level, both) > 0.0:
                return best
            if gain.mean <= 0.0:
                return None
        return None


    def cheaper(self, incumbent: Candidate, around: list[Neighbour],
                left: set[tuple[int, ...]]) -> Candidate | None:
        """On a plateau: the feasible neighbour with one staff member fewer whose net value
        is not significantly below the incumbent's (one-sided, at ``confidence``, on
        ``max_reps`` replications), the best of them by mean; never one already left.
        None when every cheaper neighbour is significantly worse."""
        fewer = [self.latest(n.candidate) for n in around
                 if n.change < 0 and n.comparison is not None
                 and n.candidate.staff not in left]
        kept: list[tuple[float, int, Candidate]] = []
        for c in fewer:
            c = self.extend(c, self.max_reps)
            incumbent = self.extend(incumbent, self.max_reps)
            loss, both = Paired.gain(incumbent, c, self.confidence)
            if loss.lower_one_sided(self.confidence, both) <= 0.0:
                kept.append((c.mean(OBJECTIVE), -c.iteration, c))
        return max(kept, key=lambda k: k[:2])[2] if kept else None


def profit_search(scenario: Scenario, slots: list[Slot], targets: Sequence[Target],
                  simulate: SimulateRuns, start: Sequence[int], *, reps: int = 20,
                  max_reps: int | None = None, confidence: float = 0.95,
                  max_iterations: int = 300,
                  on_step: Callable[[Candidate], None] | None = None) -> ProfitResult:
    """Search from ``start`` (staff per slot) for the schedule of highest expected net
    value meeting every target, simulating at most ``max_iterations`` schedules of ``reps``
    replications each (a close call: up to ``max_reps``, default 4 × ``reps``); the chosen
    schedule is then simulated on ``reps`` fresh replications (``confirmed``)."""
    check_searchable(scenario)
    if max_iterations < 1:
        raise ValueError(f"max_iterations = {max_iterations}: must be at least 1")
    run = ProfitSearch(scenario, slots, list(targets), simulate, confidence, max_iterations,
                       on_step, reps, max(reps, max_reps or 4 * reps))
    first = tuple(fill_warmup(slots, list(start)))
    incumbent = run.make_feasible(first)
    if incumbent is None:
        last = run.evaluated[-1]
        return ProfitResult(last, first, run.evaluated, [], 0, "infeasible", confidence)
    rounds, left = 0, set[tuple[int, ...]]()
    while True:
        around = run.neighbours(incumbent)
        if around is None:
            return ProfitResult(incumbent, first, run.evaluated, [], rounds,
                                "max_iterations", confidence, run.confirm(incumbent))
        rounds += 1
        left.add(incumbent.staff)
        step = run.better(incumbent, around)
        if step is None or step.staff in left:  # never back to a schedule left
            step = run.cheaper(incumbent, around, left)
        if step is None:
            incumbent = run.latest(incumbent)
            final = run.compare(incumbent, [(n.slot, n.change, run.latest(n.candidate))
                                            for n in around])
            return ProfitResult(incumbent, first, run.evaluated, final, rounds, "optimum",
                                confidence, run.confirm(incumbent))
        incumbent = step


def pareto_front(points: Sequence[tuple[float, float]]) -> list[bool]:
    """For each ``(cost, loss)`` point, True if no other point is at least as good in both
    and better in one (both are to be minimised: staff hours, walkouts or lost value)."""
    return [not any(c <= x and v <= y and (c < x or v < y) for c, v in points)
            for x, y in points]
