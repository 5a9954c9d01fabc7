"""Replications: run one, or many in local processes. Results do not depend on ``jobs``."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from types import FrameType

from sim.behaviour import distraction_kinds
from sim.config import Scenario
from sim.contact import EMAIL, PHONE, WALK_IN
from sim.experience import customer_lifetime_value
from sim.metrics import MetricsAccumulator
from sim.model import simulate
from sim.records import ContactLog, Recorder, Tee

Row = dict[str, float]


def metrics_recorder(scenario: Scenario) -> MetricsAccumulator:
    """The accumulator for a scenario: warm-up counted from opening, per-channel targets."""
    m = scenario.money
    return MetricsAccumulator(
        scenario.hours.open_s + scenario.run.warmup_s,
        {WALK_IN: scenario.acknowledgment.target_s, PHONE: scenario.phone_handling.answer_target_s,
         EMAIL: scenario.demand.email.target_s},
        tuple(distraction_kinds(scenario)),
        clv_per_spend=customer_lifetime_value(
            m.visits_per_year * m.margin_share, m.annual_retention, m.discount_rate),
        by_group=scenario.loyalty.enabled,
    )


@dataclass
class ReplicationResult:
    """What one replication produced."""

    replication: int
    metrics: Row
    contacts: list[dict[str, object]] = field(default_factory=list)
    days: list[dict[str, float]] = field(default_factory=list)


def run_replication(scenario: Scenario, seed: int, replication: int,
                    keep_contacts: bool = False) -> ReplicationResult:
    """Simulate one replication and return its metrics (and contact records if asked)."""
    metrics = metrics_recorder(scenario)
    log = ContactLog() if keep_contacts else None
    recorder: Recorder = Tee(metrics, log) if log else metrics
    simulate(scenario, seed, replication, recorder)
    return ReplicationResult(replication, metrics.metrics(), log.rows() if log else [],
                             metrics.days)


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def iter_replications(scenario: Scenario, seed: int, replications: list[int], jobs: int,
                      keep_contacts: bool = False) -> Iterator[ReplicationResult]:
    """Run the given replications, yielding each result as it finishes (any order).

    With ``jobs > 1`` they run in a pool of local processes; each replication's streams
    depend only on (seed, replication), so results are identical for any ``jobs``.
    """
    if jobs <= 1 or len(replications) <= 1:
        for r in replications:
            yield run_replication(scenario, seed, r, keep_contacts)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_sigint) as pool:
        pending: set[Future[ReplicationResult]] = {
            pool.submit(run_replication, scenario, seed, r, keep_contacts) for r in replications
        }
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    yield fut.result()
        finally:
            for fut in pending:
                fut.cancel()


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


def raise_keyboard_interrupt_on_sigterm() -> None:
    """Treat SIGTERM like Ctrl-C, so an interrupted run still saves finished work."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)
