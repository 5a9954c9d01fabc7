"""The command line every experiment script shares: ``--reps --jobs --seed --set --smoke
--out --resume --cluster --no-figures --strict --force``. A script only describes its
study.

Imported first by every script, this module handles Ctrl-C from then on (one clean line,
:mod:`sim.execution.interrupts`), before the script's heavier imports; the study machinery
itself is imported when the script runs."""

from __future__ import annotations

from sim.execution import interrupts

interrupts.install()

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import os  # noqa: E402
import shlex  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

from sim.cli.main import Parser, reporting_errors  # noqa: E402
from sim.cli.options import (  # noqa: E402
    add_preflight_options,
    add_seed_set_cluster,
    add_study_options,
    positive_int,
)
from sim.errors import UserInputError  # noqa: E402

if TYPE_CHECKING:
    from sim.study.definition import Study

CONFIGS = Path(__file__).resolve().parents[2] / "experiments" / "configs"
SMOKE_REPS = 2


def default_jobs() -> int:
    """Local worker processes by default: every core this process may use."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else (os.cpu_count() or 1))


def parser(doc: str, default_reps: int) -> argparse.ArgumentParser:
    """The shared options; the script's docstring is the help text."""
    p = Parser(prog=Path(sys.argv[0]).name, description=doc,
               formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reps", type=positive_int, default=None,
                   help=f"replications per scenario (default {default_reps})")
    p.add_argument("--jobs", type=positive_int, default=default_jobs(),
                   help="local worker processes (default: all cores); results do not depend "
                   "on it")
    add_seed_set_cluster(p, "override a config key in every scenario (repeatable)")
    p.add_argument("--smoke", action="store_true",
                   help=f"a seconds-long check: fewer levels, {SMOKE_REPS} replications")
    add_study_options(p)
    add_preflight_options(p)
    return p


def _script_path() -> str:
    """The script as the user would type it: relative to the current folder if inside it."""
    from sim.study.pipeline import shown_path

    return shown_path(Path(sys.argv[0]))


def run_script(doc: str, build: Callable[[bool], Study], default_reps: int,
               argv: list[str] | None = None) -> int:
    """Parse the script's options, build its study and run it; errors are one line."""
    if argv is None:  # the script itself: it ends here (interrupts.end_program)
        try:
            interrupts.end_program(_run_script(doc, build, default_reps, sys.argv[1:]))
        except SystemExit as exc:  # --help, a usage error
            interrupts.end_program(exc.code)
    return _run_script(doc, build, default_reps, argv)


def _run_script(doc: str, build: Callable[[bool], Study], default_reps: int,
                given: list[str]) -> int:
    args = parser(doc, default_reps).parse_args(given)

    def run() -> int:
        from sim.study.definition import RunOptions
        from sim.study.pipeline import execute

        if args.smoke and args.reps is not None:
            raise UserInputError(f"--reps {args.reps} with --smoke: a smoke run always does "
                                 f"{SMOKE_REPS} replications; drop one of them")
        study = build(args.smoke)
        study = dataclasses.replace(study, overrides=study.overrides + tuple(args.overrides))
        options = RunOptions(
            seed=args.seed, reps=SMOKE_REPS if args.smoke else (args.reps or default_reps),
            jobs=args.jobs,
            cluster=args.cluster, out=args.out, resume=args.resume, figures=args.figures,
            command=shlex.join(["python", _script_path(), *given]),
            force=args.force, strict=args.strict, parquet=args.parquet)
        return execute(study, options)

    return reporting_errors(run)


def question_of(doc: str | None) -> str:
    """The ``Question:`` paragraph of a script's docstring, on one line."""
    text = " ".join((doc or "").split("Question:", 1)[-1].split("\n\n", 1)[0].split())
    return text[:1].upper() + text[1:]


def results_folder(name: str, argv: list[str]) -> Path:
    """The folder a finished run of study ``name`` wrote: ``--out DIR`` if given, else
    ``results/<name>/latest``."""
    for i, arg in enumerate(argv):
        if arg == "--out" and i + 1 < len(argv):
            return Path(argv[i + 1])
        if arg.startswith("--out="):
            return Path(arg.split("=", 1)[1])
    return Path("results") / name / "latest"
