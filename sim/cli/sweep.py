"""``countersim sweep``: a grid of scenarios (factors × levels) with replications, resumable,
with tables, paired comparisons, figures and a report."""

from __future__ import annotations

import argparse
import shlex
import sys
from typing import TYPE_CHECKING, Any

from sim.cli.options import add_common_options, add_study_options
from sim.study.columns import COMPARED

if TYPE_CHECKING:  # the study layer (numpy, SimPy, pydantic) loads only when a sweep starts
    from sim.study.definition import Study


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``sweep`` subcommand."""
    p = subparsers.add_parser(
        "sweep", help="run a grid of scenarios and compare them",
        description="Run every combination of factor levels with replications (common random "
        "numbers across scenarios) and write tables, paired comparisons, figures and a report. "
        "Example: countersim sweep experiments/configs/baseline.toml --factor staff=3,4,5 "
        "--factor acknowledgment.policy=finish_first,greet_first --reps 20")
    add_common_options(p)
    p.add_argument("--factor", action="append", default=[], metavar="KEY=V1,V2",
                   help="a config key and its levels (repeatable); 'staff=3,4' means that many "
                   "pooled staff all day")
    p.add_argument("--baseline", action="append", default=[], metavar="FACTOR=LEVEL",
                   help="level each factor is compared against (default: its first level)")
    p.add_argument("--metric", action="append", default=[], metavar="NAME",
                   help=f"metrics to compare (default: {', '.join(COMPARED)})")
    p.add_argument("--name", default=None, help="results/<name>/ (default: sweep-<config>)")
    add_study_options(p)
    p.set_defaults(func=run)


def study_from_args(args: argparse.Namespace) -> Study:
    """The study a ``sweep`` command line describes."""
    from sim.study.factorial import factorial_study

    return factorial_study(args.config, args.factor, overrides=args.overrides,
                           baselines=args.baseline, metrics=args.metric, name=args.name)


def run(args: argparse.Namespace) -> int:
    """Run (or resume) the sweep. The scenario file with ``--set`` is loaded first: a bad
    one is refused before the model and the study layer are imported."""
    from sim.config.loading import load_with_conflicts

    study = study_from_args(args)
    load_with_conflicts(args.config, list(args.overrides))
    from sim.study.definition import RunOptions
    from sim.study.pipeline import execute

    options = RunOptions(seed=args.seed, reps=args.reps, jobs=args.jobs, cluster=args.cluster,
                         out=args.out, resume=args.resume, figures=args.figures,
                         command="countersim " + shlex.join(sys.argv[1:]),
                         force=args.force, strict=args.strict, parquet=args.parquet)
    return execute(study, options)
