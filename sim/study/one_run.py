"""A run of one scenario into a results folder as one Python call (``api.run``): the steps of
``countersim run`` — load and check the scenario, plan it as a sweep of one point, run the
replications (each saved as it finishes), write the tables and the manifest — with the same
functions, so the same numbers. The command adds what a terminal needs around them
(interrupts, a folder withdrawn when nothing finished, the printed summary)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.config.loading import load_scenario
from sim.execution.backends import make_backend
from sim.preflight.gate import clear
from sim.study.parts import Part
from sim.study.running import Sweep, prepare_folder, reproducible, run_sweep
from sim.study.single_run import Outputs, plan, write_outputs


@dataclass(frozen=True)
class RunRequest:
    """What to run: ``reps`` replications from root ``seed`` of the scenario in ``config``
    with ``overrides`` (``--set``), on ``jobs`` local processes or a Dask ``cluster``;
    ``command`` is the ``countersim run`` line that reproduces it (for the manifest)."""

    config: Path
    overrides: tuple[str, ...]
    command: str
    seed: int = 1
    reps: int = 10
    jobs: int = 1
    records: bool = False
    resume: bool = False
    cluster: str | None = None
    force: bool = False
    strict: bool = False


def run_manifest(sweep: Sweep, parts: dict[tuple[int, int], Part], *, command: str, jobs: int,
                 overrides: Sequence[str], resumed: bool, warnings: Sequence[str],
                 wall_s: float, complete: bool) -> dict[str, Any]:
    """A run's manifest: everything needed to understand and reproduce it (``wall_s`` in
    seconds)."""
    return {
        "command": reproducible(command),
        "scenario": sweep.points[0].scenario.model_dump(mode="json"),
        "seed": sweep.seed,
        "replications_requested": sweep.reps,
        "replications_done": sorted(r for _s, r in parts),
        "complete": complete,
        "jobs": jobs,
        "overrides": list(overrides),
        "records": sweep.keep_contacts,
        "resumed": resumed,
        "warnings": list(warnings),
        "wall_time_s": round(wall_s, 3),
    }


def run_scenario(request: RunRequest, out: Path) -> dict[tuple[int, int], Part]:
    """Run the request into the results folder ``out`` (new or empty, or saved there to
    resume) and write its tables and manifest; the finished replications by (scenario,
    replication). Raises :class:`sim.errors.UserInputError` before anything is written for
    a bad scenario or option."""
    r = request
    scenario = load_scenario(r.config, list(r.overrides))
    cleared = clear([("", scenario)], reps=r.reps, jobs=r.jobs, cluster=bool(r.cluster),
                    force=r.force, strict=r.strict, records=r.records)
    backend = make_backend(cleared.workers or r.jobs, r.cluster)
    sweep = plan(scenario, r.overrides, r.seed, r.reps, r.records)
    started = time.perf_counter()
    try:
        prepare_folder(out, sweep, r.resume, kind="run")
        cleared.announce()
        parts = run_sweep(sweep, out, backend)
    finally:
        backend.close()
    manifest = run_manifest(sweep, parts, command=r.command, jobs=r.jobs, overrides=r.overrides,
                            resumed=r.resume, warnings=cleared.warnings,
                            wall_s=time.perf_counter() - started, complete=True)
    write_outputs(Outputs(out, sweep, manifest), parts)
    return parts
