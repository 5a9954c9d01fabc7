"""``countersim fit``: a contact log in, a scenario that ``countersim run`` accepts and a
fit report out. Everything is estimated before anything is written; then every file is
written or none is."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from pathlib import Path
from typing import Any

from sim.cli.options import new_out_dir, out_path, positive_int

FORMATS = ("auto", "contacts", "records", "bank")
EXAMPLE = """\
examples:
  countersim fit my_log.csv --out results/fit-january
  countersim fit contacts.tsv --format bank --slot-minutes 30
  countersim validate my_log.csv --scenario results/fit-january/scenario.toml"""


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``fit`` subcommand."""
    p = subparsers.add_parser(
        "fit", help="estimate a scenario from a contact log (arrivals, service, patience, staff)",
        description="Read a contact log (one row per contact; docs/calibration.md) and "
        "estimate, each with its uncertainty: arrival rates per slot and day type with an "
        "over-dispersion check, service-time distributions, patience from abandonment with "
        "censoring, staff on duty per slot and retrials. Writes scenario.toml (one per day "
        "type), report.md, figures/ and the estimates as CSV tables.",
        epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("log", type=Path, metavar="LOG", help="contact log file")
    p.add_argument("--format", choices=FORMATS, default="auto", dest="fmt",
                   help="log format (default auto: detected from the header)")
    p.add_argument("--out", type=out_path, default=None,
                   help="output folder, new or empty (default results/fit-<log name>/<time>)")
    p.add_argument("--slot-minutes", type=positive_int, default=60,
                   help="length of a time slot for rates and staffing (minutes, default 60; "
                   "must divide a day)")
    p.add_argument("--retrial-window-min", type=positive_int, default=60,
                   help="a customer who calls again within this many minutes of abandoning "
                   "counts as a retrial (default 60)")
    p.set_defaults(func=run)


def _check_slot(minutes: int) -> None:
    from sim.errors import UserInputError

    if 1440 % minutes:
        raise UserInputError(f"--slot-minutes {minutes}: must divide a day (1440 minutes) "
                             "into whole slots, e.g. 15, 30 or 60")


def writable_out(out: Path | None, name: str) -> Path:
    """The output folder (``--out``, new or empty, else ``results/<name>/<time>``), refused
    at once, before any work, when it could not be created: under a file, or in a folder
    this process may not write to."""
    from sim.errors import UserInputError

    path = new_out_dir(out, name)
    shown = f"--out {out}" if out is not None else f"the default output folder {path}"
    existing = next(p for p in (path.absolute(), *path.absolute().parents) if p.exists())
    if not existing.is_dir():
        raise UserInputError(f"{shown}: {existing} is a file, not a folder; choose an --out "
                             "folder that is new or empty")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UserInputError(f"{shown}: cannot create it in {existing} (no write permission); "
                             "choose a folder you may write to (--out DIR)")
    return path


def run(args: argparse.Namespace) -> int:
    """Read, fit, then write every output (or none)."""
    _check_slot(args.slot_minutes)
    started = time.perf_counter()
    from sim.results.store import safe_name

    out = writable_out(args.out, "fit-" + safe_name(args.log.stem))
    from sim.calibration.adapters import read_log
    from sim.calibration.fit import FitOptions, fit_log
    from sim.calibration.fit_files import outputs, write_outputs

    read = read_log(args.log, args.fmt)
    fit = fit_log(read, FitOptions(args.slot_minutes, args.retrial_window_min * 60.0),
                  str(args.log))
    command = "countersim " + shlex.join(getattr(args, "argv", None) or sys.argv[1:])
    files = outputs(fit, command)
    for warning in fit.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    write_outputs(out, files)
    print(f"fitted {len(read.frame):,} contacts on {read.frame['day'].nunique()} days "
          f"({read.fmt} format); scenario for {fit.main_type} days: {out}/scenario.toml")
    print(f"wrote {out}/ ({len(files)} files: scenario.toml, report.md, figures/, tables) "
          f"in {time.perf_counter() - started:.1f} s")
    return 0
