"""``countersim validate``: simulate a scenario and compare it, slot by slot and for the
whole day, with the real days of a contact log (abandonment, P(wait > 0), mean wait,
service level, utilisation). The simulation is a ``countersim run --records`` kept in
``OUT/simulation`` (so ``--resume`` continues it); the comparison is written after it."""

from __future__ import annotations

import argparse
import contextlib
import io
import shlex
import sys
from pathlib import Path
from typing import Any

from sim.cli.fit import FORMATS, writable_out
from sim.cli.options import add_preflight_options, out_path, positive_int, seed_int

EXAMPLE = """\
examples:
  countersim fit my_log.csv --out results/fit
  countersim validate my_log.csv --scenario results/fit/scenario.toml --out results/check"""


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``validate`` subcommand."""
    p = subparsers.add_parser(
        "validate", help="compare a scenario's simulated days with a contact log's real days",
        description="Simulate SCENARIO (one replication = one day) and compare it with the "
        "days of LOG of the same day type: abandonment, P(wait > 0), mean wait, service "
        "level and utilisation, per slot and for the whole day, against the observed "
        "day-to-day spread. Writes validation.md, validation_day.csv, validation_slots.csv, "
        "figures/ and the simulation (simulation/).",
        epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("log", type=Path, metavar="LOG", help="contact log file")
    p.add_argument("--scenario", type=Path, required=True, help="scenario TOML to check")
    p.add_argument("--format", choices=FORMATS, default="auto", dest="fmt",
                   help="log format (default auto: detected from the header)")
    p.add_argument("--day-type", default=None,
                   help="compare with the log's days of this type (default: the commonest)")
    p.add_argument("--reps", type=positive_int, default=100,
                   help="simulated days (default 100)")
    p.add_argument("--jobs", type=positive_int, default=1, help="local worker processes")
    p.add_argument("--seed", type=seed_int, default=1, help="root seed (default 1)")
    p.add_argument("--out", type=out_path, default=None,
                   help="output folder, new or empty (default results/validate-<log>/<time>)")
    p.add_argument("--resume", action="store_true",
                   help="continue the simulation saved in --out")
    add_preflight_options(p)
    p.set_defaults(func=run)


def _simulate(args: argparse.Namespace, out: Path, hint: str) -> int:
    """``countersim run SCENARIO --records --out OUT/simulation`` (its summary not shown;
    ``hint``: how to resume, in the lines it prints when stopped)."""
    from sim.cli import run as run_command

    argv = ["run", str(args.scenario), "--records", "--reps", str(args.reps), "--jobs",
            str(args.jobs), "--seed", str(args.seed), "--out", str(out / "simulation")]
    run_args = argparse.Namespace(
        config=args.scenario, overrides=[], reps=args.reps, jobs=args.jobs, seed=args.seed,
        cluster=None, force=args.force, strict=args.strict, out=out / "simulation",
        records=True, resume=args.resume, argv=argv, resume_hint=hint)
    with contextlib.redirect_stdout(io.StringIO()):
        return run_command.run(run_args)


def _compare(args: argparse.Namespace, inputs: Any, out: Path) -> list[str]:
    """Read the simulated days, compare, write the comparison (all files or none); its
    verdicts."""
    from sim.calibration.adapters import read_log
    from sim.calibration.validation_run import comparison_files
    from sim.errors import UserInputError
    from sim.plots.style import save_figure
    from sim.results.rollback import new_paths_removed_on_failure
    from sim.results.store import write_atomic

    try:
        simulated = read_log(out / "simulation" / "contacts.csv", "records")
    except UserInputError as exc:
        raise UserInputError(f"validate: the simulated days of {args.scenario} cannot be "
                             f"compared with the log ({exc}); check the scenario's demand") \
            from None
    command = "countersim " + shlex.join(getattr(args, "argv", None) or sys.argv[1:])
    files, verdicts = comparison_files(inputs, simulated, command)
    with new_paths_removed_on_failure(out):
        for name, content in files.items():
            if isinstance(content, str):
                write_atomic(out / name, content)
            else:
                save_figure(content, out / name)
    return verdicts


def run(args: argparse.Namespace) -> int:
    """Check the inputs, simulate, compare, write. A failure after the simulation removes
    what this command made (a resumed one keeps its simulation); an interrupt keeps the
    simulation for ``--resume``."""
    from sim.calibration.adapters import read_log
    from sim.calibration.validation_run import Inputs, observed_inputs
    from sim.config.loading import load_scenario
    from sim.errors import UserInputError, one_line
    from sim.execution import interrupts
    from sim.results.rollback import remove_new, snapshot
    from sim.results.store import safe_name

    if args.resume and args.out is None:
        raise UserInputError("validate --resume: give the folder to continue with --out DIR")
    out = args.out if args.resume else writable_out(args.out, "validate-" +
                                                     safe_name(args.log.stem))
    scenario = load_scenario(args.scenario)
    read = read_log(args.log, args.fmt)
    inputs: Inputs = observed_inputs(read, scenario, args.day_type)
    for warning in filter(None, (read.skipped_warning(), *read.warnings)):
        print(f"warning: {warning}", file=sys.stderr)
    hint = f"continue with the same command plus --resume --out {one_line(str(out))}"
    before = snapshot(out)
    code = _simulate(args, out, hint)
    if code != 0:
        return code
    try:
        verdicts = _compare(args, inputs, out)
    except BaseException as exc:
        if interrupts.is_interrupt(exc):
            interrupts.say(f"interrupted while comparing: the simulation is kept in "
                           f"{one_line(str(out / 'simulation'))}; {hint}")
            return interrupts.EXIT_CODE
        if not args.resume:
            remove_new(out, before)  # nothing left of a command that failed
        raise
    print("\n".join(verdicts))
    print(f"wrote {out}/ (validation.md, validation_day.csv, validation_slots.csv, figures/, "
          "simulation/)")
    return 0
