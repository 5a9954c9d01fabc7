"""Run a study end to end: the sweep (resumable), its tables, a one-day timeline, the
figures and the report, in ``results/<study>/<timestamp>/`` with ``latest`` pointing to it."""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path
from typing import Any

from sim.errors import UserInputError, one_line
from sim.execution import interrupts
from sim.execution.backends import make_backend
from sim.metrics.catalogue import MULTI_DAY, close_matches, names
from sim.model.behaviour import distraction_kinds
from sim.model.counter.conduct import conduct_active
from sim.model.counter.retrials import retrials_active
from sim.preflight.gate import clear
from sim.results.parquet import REPLICATIONS, require_parquet, write_parquet
from sim.results.rollback import snapshot
from sim.results.store import default_run_dir, write_manifest
from sim.study.definition import RunOptions, Study
from sim.study.parts import Part, has_parts
from sim.study.running import (
    Sweep,
    discard,
    finished_reps,
    nothing_kept,
    point_latest,
    prepare_folder,
    reproducible,
    resume_hint,
    run_sweep,
    saved_parts,
    withdraw,
    write_failed,
)
from sim.study.slot_tables import sweep_slot_scenarios, write_slots
from sim.study.sweep import Point, build_grid
from sim.study.tables import Tables, replication_columns, replication_rows, write_tables
from sim.study.timeline import write_timeline

RESULTS = Path("results")


def resolve_out(study: Study, options: RunOptions) -> Path:
    """The results folder: ``--out``, else a new timestamped one (or ``latest`` to resume)."""
    if options.out is not None:
        return options.out
    if options.resume:
        latest = RESULTS / study.name / "latest"
        if not latest.exists():
            raise UserInputError(f"--resume: {latest} does not exist; give the folder to "
                                 "resume with --out DIR")
        return latest.resolve()
    return default_run_dir(RESULTS, study.name)


def shown_path(path: Path) -> str:
    """``path`` relative to the current folder when it lies inside it (as a user types it)."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def manifest_fields(study: Study, options: RunOptions, sweep: Sweep, points: list[Point],
                    done: int, wall_s: float, complete: bool) -> dict[str, Any]:
    """Everything needed to understand and reproduce the run (and to redraw its figures)."""
    focus = study.focus_labels()
    timeline = next((p for p in points if p.labels == focus), points[0])
    return {
        "experiment": study.name, "question": study.question,
        "command": reproducible(options.command),  # without --resume: works in a new folder
        "config": shown_path(study.config), "overrides": list(study.overrides),
        "seed": options.seed, "replications": options.reps, "replications_done": done,
        "complete": complete, "scenarios": len(points),
        "factors": [{"name": f.name, "levels": f.labels} for f in study.factors],
        "baseline": {f.name: study.baseline_of(f) for f in study.factors},
        "colour_factor": study.colour_factor, "x_factor": study.x_factor, "focus": focus,
        "compared": list(study.compared),
        "ack_target_s": timeline.scenario.acknowledgment.target_s,
        "timeline": {"scenario": timeline.index,
                     "label": ", ".join(f"{k}={v}" for k, v in timeline.labels.items()),
                     "replication": 0},
        "jobs": options.jobs, "cluster": options.cluster, "wall_time_s": round(wall_s, 3),
        "warnings": list(options.warnings),
        "base_scenario": points[0].scenario.model_dump(mode="json"),
    }


def check_metrics(study: Study, points: list[Point]) -> None:
    """Every compared metric must be a catalogue column these scenarios report (staff time
    per distraction kind in force; multi-day columns only in multi-day runs)."""
    known: set[str] = set()
    for scenario in (p.scenario for p in points):  # distraction kinds may differ by level
        known.update(names(tuple(distraction_kinds(scenario)), scenario.run.days > 1,
                           conduct_active(scenario), retrials_active(scenario)))
    for name in study.compared:
        if name in MULTI_DAY and name not in known:
            raise UserInputError(f"--metric {name!r}: only multi-day runs report it; add "
                                 "--set run.days=N (N > 1)")
        if name not in known:
            close = close_matches(name, sorted(known))
            hint = f"did you mean {' or '.join(close)}?" if close else \
                "every metric is listed in docs/metrics.md"
            raise UserInputError(f"--metric {name!r}: not a metric the model reports; {hint}")


def execute(study: Study, options: RunOptions) -> int:
    """Run (or resume) the study and write its results folder; 130 if interrupted."""
    if options.parquet:
        require_parquet()  # refused before anything runs or is written
    points = build_grid(study.config, study.overrides, study.factors)
    check_metrics(study, points)
    cleared = clear([(", ".join(f"{k}={v}" for k, v in p.labels.items()), p.scenario)
                     for p in points], reps=options.reps,
                    jobs=options.jobs, cluster=bool(options.cluster), force=options.force,
                    strict=options.strict)
    options = dataclasses.replace(options, jobs=cleared.workers or options.jobs,
                                  warnings=cleared.warnings)
    sweep = Sweep(points, list(study.factors), options.seed, options.reps)
    out = resolve_out(study, options)
    backend = make_backend(options.jobs, options.cluster)  # a bad --cluster: nothing written
    fresh = not out.exists()
    existed = snapshot(out) if fresh else None  # to remove what a failed start made
    prepare_folder(out, sweep, options.resume)
    latest_before = None
    if out.parent.resolve() == (RESULTS / study.name).resolve():
        latest_before = point_latest(out)  # only in results/<study>/, never beside --out DIR
    interrupts.fallback(f"interrupted: the finished replications are kept in "
                        f"{one_line(str(out))}; {resume_hint(out)}")
    started = time.perf_counter()
    try:
        cleared.announce()
        print(f"{study.name}: {len(points)} scenarios × {options.reps} replications → {out}",
              file=sys.stderr)
        parts = run_sweep(sweep, out, backend, options.progress_every_s)
    except BaseException as exc:
        backend.close()
        if fresh and not has_parts(out):  # nothing finished: leave nothing behind
            withdraw(out, latest_before, existed)
            if interrupts.is_interrupt(exc):
                interrupts.say("interrupted before any replication finished; nothing written")
                return interrupts.EXIT_CODE
            if isinstance(exc, OSError):
                raise nothing_kept(exc, out) from exc
            raise
        if interrupts.is_interrupt(exc):
            return _interrupted(study, options, sweep, out, time.perf_counter() - started)
        if isinstance(exc, OSError):  # a replication could not be saved (disk full, ...)
            raise write_failed(exc, out, len(saved_parts(sweep, out))) from exc
        raise
    finally:
        backend.close()
    return finish(study, options, sweep, parts, out, time.perf_counter() - started)


OUTPUTS = ("scenarios.csv", "replications.csv", "summary.csv", "comparisons.csv", "days.csv",
           "ack_times.csv", "slots.csv", "timeline_staff.csv", "timeline_contacts.csv",
           "manifest.json", "report.md", "figures", REPLICATIONS)  # what finish() may write


def _tables(study: Study, options: RunOptions, sweep: Sweep, parts: dict[tuple[int, int], Part],
            out: Path, wall_s: float, complete: bool) -> dict[str, Any]:
    """Write the tables, then the manifest (so a manifest means the tables are whole)."""
    (out / "manifest.json").unlink(missing_ok=True)
    if parts:
        tables = Tables(sweep.points, list(study.factors), parts, options.seed)
        write_tables(out, tables, study.baseline, study.compared)
        write_slots(out, sweep_slot_scenarios(sweep.points, parts),
                    ["scenario", *tables.factor_names])
        if options.parquet:
            write_parquet(out / REPLICATIONS, replication_rows(tables),
                          replication_columns(tables))
    if not options.parquet:
        (out / REPLICATIONS).unlink(missing_ok=True)  # an earlier --parquet's, now stale
    done = options.reps if complete else finished_reps(parts, sweep.points)
    fields = manifest_fields(study, options, sweep, sweep.points, done, wall_s, complete)
    if complete:
        write_timeline(out, sweep.points[fields["timeline"]["scenario"]].scenario,
                       options.seed, 0)
    write_manifest(out / "manifest.json", fields)
    return fields


def _interrupted(study: Study, options: RunOptions, sweep: Sweep, out: Path,
                 wall_s: float) -> int:
    parts = saved_parts(sweep, out)
    try:
        _tables(study, options, sweep, parts, out, wall_s, complete=False)
    except OSError:
        discard(out, OUTPUTS)  # the replications are saved; --resume writes the tables
    interrupts.say(f"interrupted: {len(parts)} of {sweep.total} replications saved in "
                   f"{one_line(str(out))}; {resume_hint(out)}")
    return interrupts.EXIT_CODE


def finish(study: Study, options: RunOptions, sweep: Sweep,
           parts: dict[tuple[int, int], Part], out: Path, wall_s: float) -> int:
    """Tables, timeline, manifest, figures and report of a complete sweep, all or nothing:
    a write that fails, or an interruption, removes them again (the saved replications stay,
    and ``--resume`` writes them); 0, or 130 if interrupted."""
    try:
        _tables(study, options, sweep, parts, out, wall_s, complete=True)
        figures: list[Path] = []
        if options.figures:
            with interrupts.deferred():  # an import broken off can surface as another error
                from sim.plots.figures import draw_all
            figures = draw_all(out)
        from sim.results.report import write_report

        headline = write_report(out, figures)
        interrupts.check()  # one Python could not raise (in matplotlib's callbacks)
    except BaseException as exc:
        if interrupts.is_interrupt(exc):
            discard(out, OUTPUTS)
            interrupts.say(f"interrupted while writing the results: all {len(parts)} "
                           f"replications are saved in {one_line(str(out))}; {resume_hint(out)}")
            return interrupts.EXIT_CODE
        if isinstance(exc, OSError):
            discard(out, OUTPUTS)
            raise write_failed(exc, out, len(parts)) from exc
        raise
    print("\n".join(headline))
    written = [name + ("/" if name == "figures" else "") for name in OUTPUTS
               if (out / name).exists() and (name != "figures" or figures)]
    print(f"\nwrote {out}/ ({', '.join(written)}) in {wall_s:.1f} s")
    return 0
