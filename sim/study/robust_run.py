"""Running a robustness study: its two stages as resumable sweeps (``OUT/screen``,
``OUT/sobol``), then the analysis and its files."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sim.config.ranges import in_words
from sim.errors import UserInputError
from sim.execution.backends import make_backend
from sim.preflight.gate import clear
from sim.study.parts import Part, metrics_only
from sim.study.robust_analysis import Verdict, decide, screen, top_parameters, with_headline
from sim.study.robust_decompose import (
    DEFAULT_WORLD,
    Decomposition,
    combinations_of,
    decompose,
)
from sim.study.robust_plan import Stage, base_rows, deciding, screening
from sim.study.robust_worlds import World, paired_differences, plan, read_by_some_policy
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
    decompose: tuple[str, ...] = ()   # bundles whose effect is split into their fixes
    decompose_worlds: int = 0         # sampled worlds (besides the default one) for that
    decompose_reps: int = 0           # its replications per combination (0: ``reps``)


@dataclass(frozen=True)
class RobustResult:
    """The stages run and every verdict's robustness."""

    params: list[str]
    dropped: list[str]
    stages: list[Stage]
    top: list[str]
    verdicts: list[Verdict]
    total_reps: int
    decompositions: list[Decomposition] = field(default_factory=list)


def run_stage(spec: RobustSpec, stage: Stage, out: Path) -> tuple[Sweep, dict[tuple[int, int],
                                                                           Part]]:
    """Run (or continue) one stage's sweep in ``out / stage.name``."""
    return run_worlds(spec, stage.name, stage.worlds, spec.policies, spec.reps, out)


def run_worlds(spec: RobustSpec, name: str, worlds: Sequence[World],
               policies: Sequence[Level], reps: int, out: Path,
               ) -> tuple[Sweep, dict[tuple[int, int], Part]]:
    """Run (or continue) every policy in every world, ``reps`` replications each, as one
    sweep in ``out / name``."""
    sweep = plan(spec.config, spec.overrides, worlds, policies, spec.seed, reps)
    cleared = clear([(p.labels["world"] + ", " + p.labels["policy"], p.scenario)
                     for p in sweep.points], reps=reps, jobs=spec.jobs,
                    cluster=bool(spec.cluster), force=spec.force, strict=spec.strict)
    folder = out / name
    prepare_folder(folder, sweep, spec.resume and (folder / IDENTITY["sweep"]).is_file())
    cleared.announce()
    print(f"robust: {name} stage, {len(worlds)} worlds × {len(policies)} "
          f"policies × {reps} replications → {folder}", file=sys.stderr)
    backend = make_backend(cleared.workers or spec.jobs, spec.cluster)
    try:
        return sweep, run_sweep(sweep, folder, backend, keep=metrics_only(spec.metrics))
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
    words = {p: in_words(p) for p in params}
    decided = [with_headline(decide(v, diffs2, second, names[0], family, spec.seed), words)
               for v in screened]
    total = (len(first.worlds) + len(second.worlds)) * len(names) * spec.reps
    splits = [decomposition(spec, name, second, out) for name in spec.decompose]
    total += sum(len(d.worlds) * 2 ** len(d.fixes) * d.reps for d in splits)
    return RobustResult(params, dropped, [first, second], top, decided, total, splits)


def decomposition(spec: RobustSpec, bundle: str, stage: Stage, out: Path) -> Decomposition:
    """Run every combination of ``bundle``'s fixes at the default world and in the first
    ``spec.decompose_worlds`` independent worlds of the deciding stage, and split its
    effect."""
    by_name = {p.label: p for p in spec.policies}
    baseline = spec.policies[0]
    levels = [level for _, level in combinations_of(by_name[bundle], baseline)]
    worlds = [DEFAULT_WORLD, *(stage.worlds[int(i)] for i in
                               base_rows(stage.design)[:spec.decompose_worlds])]
    reps = spec.decompose_reps or spec.reps
    sweep, parts = run_worlds(spec, f"decompose_{bundle}", worlds, levels, reps, out)
    return decompose(by_name[bundle], baseline, sweep, parts, worlds, spec.metrics)


def policies_named(wanted: Sequence[str], known: Sequence[Level]) -> tuple[Level, ...]:
    """The levels named in ``--compare`` (in that order), refused if unknown or repeated."""
    by_name = {level.label: level for level in known}
    unknown = [w for w in wanted if w not in by_name]
    if unknown or len(wanted) < 2 or len(set(wanted)) != len(wanted):
        raise UserInputError(f"--compare {','.join(wanted)}: give two or more different "
                             f"policies, the first the baseline; known: {', '.join(by_name)}")
    return tuple(by_name[w] for w in wanted)
