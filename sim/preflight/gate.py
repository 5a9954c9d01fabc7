"""The one call every simulating command makes before it creates anything: services that
could never end (:mod:`sim.preflight.attention`), the worker count (``--jobs``), the
resource guard (``--force``) and the warnings (``--strict``)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass

from sim.config.schema import Scenario
from sim.errors import UserInputError
from sim.preflight.attention import check_attention
from sim.preflight.guard import check_workload, estimate, worker_count
from sim.preflight.warnings import ScenarioWarning, scenario_warnings

SHOWN_IN_STRICT = 2  # warnings quoted in the --strict error line


@dataclass(frozen=True)
class Cleared:
    """What passed the preflight: the warnings to print and record, and how many local
    worker processes to start (0 on a cluster)."""

    warnings: tuple[str, ...]
    workers: int

    def announce(self) -> None:
        """Print each warning once to stderr, as ``warning: ...``."""
        for text in self.warnings:
            print(f"warning: {text}", file=sys.stderr)


def _grouped(found: list[tuple[str, list[ScenarioWarning]]]) -> list[str]:
    """One line per kind of warning; in a sweep, the scenarios it concerns."""
    if len(found) == 1:
        return [w.text for w in found[0][1]]
    kinds = list(dict.fromkeys(w.kind for _, ws in found for w in ws))
    lines = []
    for kind in kinds:
        hits = [(label, w.text) for label, ws in found for w in ws if w.kind == kind]
        labels = [label for label, _ in hits]
        where = ("in every scenario" if len(hits) == len(found) else
                 f"in {len(hits)} of {len(found)} scenarios: {'; '.join(labels[:3])}"
                 + ("; ..." if len(hits) > 3 else ""))
        if len({text for _, text in hits}) == 1:
            lines.append(f"{hits[0][1]} ({where})")
        else:
            lines.append(f"{hits[0][0]}: {hits[0][1]} (and similar {where})")
    return lines


def clear(scenarios: Sequence[tuple[str, Scenario]], *, reps: int, jobs: int, cluster: bool,
          force: bool, strict: bool, records: bool = False, rounds: int = 1,
          staffed: bool = True) -> Cleared:
    """Check a command before it creates any file: services that could never end, ``--jobs``
    against the cores, the work and memory against the guard's limits, and the scenarios
    (``(label, scenario)``) for warnings, which ``strict`` turns into an error.
    ``rounds``: times every replication is run (schedules tried); ``staffed=False`` skips
    the warnings about the staff."""
    for label, scenario in scenarios:
        try:
            check_attention(scenario)
        except UserInputError as exc:
            raise UserInputError(f"{label}: {exc}" if label else str(exc)) from None
    workers = worker_count(jobs, len(scenarios) * reps, cluster, force)
    check_workload(estimate([s for _, s in scenarios], reps, workers, records, rounds), force)
    found = [(label, scenario_warnings(s, staffed)) for label, s in scenarios]
    warnings = _grouped(found)
    if strict and warnings:
        shown = "; ".join(warnings[:SHOWN_IN_STRICT])
        more = len(warnings) - SHOWN_IN_STRICT
        raise UserInputError(
            f"--strict: {shown}" + (f"; and {more} more warning{'s' if more > 1 else ''}"
                                    if more > 0 else "")
            + "; change the scenario, or drop --strict to run it anyway")
    return Cleared(tuple(warnings), workers)
