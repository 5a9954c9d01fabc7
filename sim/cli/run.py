"""``countersim run``: replications of one scenario, written to a results folder. Each
replication is saved the moment it finishes, so a run stopped at any point (Ctrl-C,
SIGTERM, even SIGKILL) continues with ``--resume``."""

from __future__ import annotations

import argparse
import contextlib
import shlex
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.cli.options import add_common_options, add_parquet_option, out_path
from sim.errors import UserInputError, one_line
from sim.execution import interrupts
from sim.execution.backends import make_backend
from sim.results.rollback import snapshot
from sim.results.store import default_run_dir

if TYPE_CHECKING:  # the study layer (numpy, SimPy, pydantic) loads only when a run starts
    from sim.config.schema import Scenario
    from sim.results.statistics import Estimate
    from sim.study.parts import Part
    from sim.study.running import Sweep

HEADLINE = ("arrivals", "served", "walkouts", "walkout_rate", "balked", "reneged_unacknowledged",
            "reneged_acknowledged", "abandoned", "blocked", "mean_wait_s",
            "median_time_to_ack_s", "p_ack_within_target", "service_level", "utilization")
RESULTS = Path("results")


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``run`` subcommand."""
    p = subparsers.add_parser("run", help="run replications of a scenario",
                              description="Run replications of a scenario and write "
                              "replications.csv, summary.csv, slots.csv and manifest.json. "
                              "Each replication is saved as it finishes: a run stopped at "
                              "any point continues with --resume.")
    add_common_options(p)
    p.add_argument("--out", type=out_path, default=None,
                   help="results folder (default results/<scenario name>/<timestamp>)")
    p.add_argument("--records", action="store_true",
                   help="also write contacts.csv, one row per contact (each replication's "
                   "also kept in results.db, for --resume: disk grows with run length)")
    add_parquet_option(p)
    p.add_argument("--resume", action="store_true",
                   help="continue the run saved in --out (default: results/<scenario name>/"
                   "latest), running only the replications not yet saved; needs the same "
                   "config, --set and --seed")
    p.set_defaults(func=run)


def format_summary(summary: dict[str, Estimate], title: str) -> str:
    """A readable table of the headline metrics."""
    lines = [title, f"{'metric':<26}{'mean':>12}   95% CI"]
    for name in HEADLINE:
        e = summary.get(name)
        if e is None or e.n == 0:
            continue
        ci = f"[{e.ci_low:.4g}, {e.ci_high:.4g}]" if e.n > 1 else ""
        lines.append(f"{name:<26}{e.mean:>12.4g}   {ci}")
    return "\n".join(lines)


def run_folder(out: Path | None, resume: bool, name: str) -> Path:
    """``--out``, else a new ``results/<scenario name>/<timestamp>`` (or, to resume, the
    scenario's ``latest``)."""
    if out is not None:
        return out
    new = default_run_dir(RESULTS, name)
    if not resume:
        return new
    latest = new.parent / "latest"
    if not latest.is_dir():
        raise UserInputError(f"--resume: {latest} does not exist; give the folder to resume "
                             "with --out DIR")
    return latest.resolve()


def manifest_fields(args: argparse.Namespace, sweep: Sweep, parts: dict[tuple[int, int], Part],
                    wall_s: float, complete: bool) -> dict[str, Any]:
    """Everything needed to understand and reproduce the run."""
    from sim.study.one_run import run_manifest

    argv = getattr(args, "argv", None) or sys.argv[1:]
    return run_manifest(sweep, parts, command="countersim " + shlex.join(argv), jobs=args.jobs,
                        overrides=args.overrides, resumed=args.resume,
                        warnings=getattr(args, "warnings", ()), wall_s=wall_s, complete=complete)


def _hint(args: argparse.Namespace, out: Path) -> str:
    """How to continue the run in ``out``: the caller's advice (``args.resume_hint``, e.g.
    ``validate``'s, whose run is a subfolder of its own), else the run's own."""
    from sim.study.running import resume_hint

    return getattr(args, "resume_hint", None) or resume_hint(out)


def _save_partial(args: argparse.Namespace, sweep: Sweep, out: Path, wall_s: float,
                  ) -> dict[tuple[int, int], Part]:
    """Tables and manifest (``complete: false``) of the replications saved so far (none if
    none finished, or if they cannot be written: the saved replications stay)."""
    from sim.study.running import saved_parts
    from sim.study.single_run import Outputs, write_outputs

    parts = saved_parts(sweep, out)
    if parts:
        with contextlib.suppress(OSError):  # the replications are saved; --resume writes them
            write_outputs(Outputs(out, sweep, manifest_fields(args, sweep, parts, wall_s, False),
                                  getattr(args, "parquet", False)), parts)
    return parts


def _interrupted(args: argparse.Namespace, sweep: Sweep, out: Path, wall_s: float,
                 withdrawable: tuple[set[Path] | None, str | None]) -> int:
    from sim.study.running import withdraw

    parts = _save_partial(args, sweep, out, wall_s)
    existed, latest_before = withdrawable  # existed: None unless this run made the folder
    if not parts and existed is not None:
        withdraw(out, latest_before, existed)
        interrupts.say("interrupted before any replication finished; nothing written")
    else:
        interrupts.say(f"interrupted: {len(parts)} of {args.reps} replications saved in "
                       f"{one_line(str(out))}; {_hint(args, out)}")
    return interrupts.EXIT_CODE


def _finish(args: argparse.Namespace, sweep: Sweep, out: Path,
            parts: dict[tuple[int, int], Part], wall_s: float) -> int:
    from sim.study.parts import DB_FILE
    from sim.study.running import RUN_FILE, write_failed
    from sim.study.single_run import Outputs, summary_of, write_outputs

    outputs = Outputs(out, sweep, manifest_fields(args, sweep, parts, wall_s, True),
                      getattr(args, "parquet", False))
    try:
        written = write_outputs(outputs, parts)
    except BaseException as exc:
        if interrupts.is_interrupt(exc):
            interrupts.say(f"interrupted while writing the tables: all {len(parts)} "
                           f"replications are saved in {one_line(str(out))}; {_hint(args, out)}")
            return interrupts.EXIT_CODE
        if isinstance(exc, OSError):
            raise write_failed(exc, out, len(parts), _hint(args, out)) from exc
        raise
    name = sweep.points[0].scenario.name
    print(format_summary(summary_of(parts), f"{name}: {args.reps} replications, seed {args.seed}"))
    print(f"\nwrote {out}/ ({', '.join(written)}; {RUN_FILE} and {DB_FILE} for --resume) "
          f"in {wall_s:.1f} s")
    return 0


def run(args: argparse.Namespace) -> int:
    """Run (or resume) the replications and write the results folder. The scenario is
    loaded first: a bad one is refused before the model and the study layer are imported."""
    from sim.config.loading import load_scenario
    from sim.results.parquet import require_parquet

    if getattr(args, "parquet", False):
        require_parquet()  # refused before anything runs or is written
    return _run_scenario(args, load_scenario(args.config, args.overrides))


def _run_scenario(args: argparse.Namespace, scenario: Scenario) -> int:
    from sim.preflight.gate import clear
    from sim.study.parts import has_parts
    from sim.study.running import (
        nothing_kept,
        point_latest,
        prepare_folder,
        run_sweep,
        saved_parts,
        withdraw,
    )
    from sim.study.single_run import plan

    cleared = clear([("", scenario)], reps=args.reps, jobs=args.jobs, cluster=bool(args.cluster),
                    force=args.force, strict=args.strict, records=args.records)
    args.warnings = cleared.warnings  # recorded in the manifest
    out = run_folder(args.out, args.resume, scenario.name)
    backend = make_backend(cleared.workers or args.jobs, args.cluster)
    sweep = plan(scenario, args.overrides, args.seed, args.reps, args.records)
    fresh = not out.exists()
    existed = snapshot(out) if fresh else None  # to remove what a failed start made
    prepare_folder(out, sweep, args.resume, kind="run")
    latest_before = point_latest(out) if fresh and args.out is None else None
    interrupts.fallback(f"interrupted: the finished replications are kept in "
                        f"{one_line(str(out))}; {_hint(args, out)}")
    cleared.announce()
    if args.resume:
        print(f"resuming {out}: {len(saved_parts(sweep, out))} of {args.reps} replications "
              "already saved", file=sys.stderr)
    started = time.perf_counter()
    try:
        parts = run_sweep(sweep, out, backend)
    except BaseException as exc:
        backend.close()
        if interrupts.is_interrupt(exc):
            return _interrupted(args, sweep, out, time.perf_counter() - started,
                                (existed, latest_before))
        if fresh and not has_parts(out):  # nothing finished: leave nothing behind
            withdraw(out, latest_before, existed)
            if isinstance(exc, OSError):
                raise nothing_kept(exc, out) from exc
        raise _stopped_by(exc, args, sweep, out, time.perf_counter() - started) from exc
    finally:
        backend.close()
    return _finish(args, sweep, out, parts, time.perf_counter() - started)


def _stopped_by(exc: BaseException, args: argparse.Namespace, sweep: Sweep, out: Path,
                wall_s: float) -> BaseException:
    """What to raise when the replications stop on an error: a lost cluster or a dead
    worker (the finished ones are saved and kept), a replication that cannot be saved."""
    from sim.study.running import saved_parts, write_failed

    if isinstance(exc, UserInputError):
        saved = len(_save_partial(args, sweep, out, wall_s))
        return UserInputError(f"{exc}; {saved} finished replications are kept in "
                              f"{one_line(str(out))}: {_hint(args, out)}")
    if isinstance(exc, OSError):  # disk full, permissions
        return write_failed(exc, out, len(saved_parts(sweep, out)), _hint(args, out))
    return exc
