"""Running a robustness study: its two stages as resumable sweeps (``OUT/screen``,
``OUT/sobol``), then the analysis and its files."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sim.errors import UserInputError
from sim.execution.backends import make_backend
from sim.preflight.gate import clear
from sim.study.parts import Part
from sim.study.robust_analysis import Verdict, decide, screen, top_parameters, with_headline
from sim.study.robust_plan import Stage, deciding, screening
from sim.study.robust_worlds import paired_differences, plan, read_by_some_policy
from sim.study.running import IDENTITY, Sweep, prepare_folder, run_sweep
from sim.study.sweep import Level


@dataclass(frozen=True)
class RobustSpec:
    """What to study: the config, the compared policies (the first is the baseline), the
    varied parameters, the metrics, the number of worlds (at least), replications per world
    and policy, how many parameters the Sobol stage takes, and how to run."""

    config: Path
    overrides: tuple[str, ...]
    policies: tuple[Level, ...]
    params: tuple[str, ...]
    metrics: tuple[str, ...]
    worlds: int
    reps: int
    top: int
    seed: int
    jobs: int
    cluster: str | None
    resume: bool
    force: bool = False
    strict: bool = False


@dataclass(frozen=True)
class RobustResult:
    """The stages run and every verdict's robustness."""

    params: list[str]
    dropped: list[str]
    stages: list[Stage]
    top: list[str]
    verdicts: list[Verdict]
    total_reps: int


def _sweep(spec: RobustSpec, stage: Stage) -> Sweep:
    return plan(spec.config, spec.overrides, stage.worlds, spec.policies, spec.seed, spec.reps)


def run_stage(spec: RobustSpec, stage: Stage, out: Path) -> tuple[Sweep, dict[tuple[int, int],
                                                                           Part]]:
    """Run (or continue) one stage's sweep in ``out / stage.name``."""
    sweep = _sweep(spec, stage)
    cleared = clear([(p.labels["world"] + ", " + p.labels["policy"], p.scenario)
                     for p in sweep.points], reps=spec.reps, jobs=spec.jobs,
                    cluster=bool(spec.cluster), force=spec.force, strict=spec.strict)
    folder = out / stage.name
    prepare_folder(folder, sweep, spec.resume and (folder / IDENTITY["sweep"]).is_file())
    cleared.announce()
    print(f"robust: {stage.name} stage, {len(stage.worlds)} worlds × {len(spec.policies)} "
          f"policies × {spec.reps} replications → {folder}", file=sys.stderr)
    backend = make_backend(cleared.workers or spec.jobs, spec.cluster)
    try:
        return sweep, run_sweep(sweep, folder, backend)
    finally:
        backend.close()


def study(spec: RobustSpec, out: Path) -> RobustResult:
    """Both stages and the analysis of every verdict."""
    names = [p.label for p in spec.policies]
    params, dropped = read_by_some_policy(spec.config, spec.overrides, spec.policies,
                                          spec.params)
    if not params:
        raise UserInputError("--params: none of the parameters is read by the compared "
                             f"policies ({', '.join(names)}); choose others")
    first = screening(params, spec.worlds, spec.seed)
    sweep1, parts1 = run_stage(spec, first, out)
    diffs1 = paired_differences(sweep1, parts1, names[0], spec.metrics)
    screened = screen(diffs1, first, spec.metrics, spec.seed)
    top = top_parameters(screened, min(spec.top, len(params)))
    second = deciding(params, top, spec.worlds, spec.seed)
    sweep2, parts2 = run_stage(spec, second, out)
    diffs2 = paired_differences(sweep2, parts2, names[0], spec.metrics)
    family = len(screened)
    decided = [with_headline(decide(v, diffs2, second, names[0], family, spec.seed), {})
               for v in screened]
    total = (len(first.worlds) + len(second.worlds)) * len(names) * spec.reps
    return RobustResult(params, dropped, [first, second], top, decided, total)


def policies_named(wanted: Sequence[str], known: Sequence[Level]) -> tuple[Level, ...]:
    """The levels named in ``--compare`` (in that order), refused if unknown or repeated."""
    by_name = {level.label: level for level in known}
    unknown = [w for w in wanted if w not in by_name]
    if unknown or len(wanted) < 2 or len(set(wanted)) != len(wanted):
        raise UserInputError(f"--compare {','.join(wanted)}: give two or more different "
                             f"policies, the first the baseline; known: {', '.join(by_name)}")
    return tuple(by_name[w] for w in wanted)
