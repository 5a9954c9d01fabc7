"""``countersim sweep``: a grid of scenarios (factors × levels) with replications, resumable,
with tables, paired comparisons, figures and a report."""

from __future__ import annotations

import argparse
import re
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.cli.options import add_common_options, add_study_options
from sim.errors import UserInputError
from sim.study.columns import COMPARED

if TYPE_CHECKING:  # the study layer (numpy, SimPy, pydantic) loads only when a sweep starts
    from sim.study.definition import Study
    from sim.study.sweep import Factor


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


def _numeric(factor: Factor) -> bool:
    try:
        [float(label) for label in factor.labels]
    except ValueError:
        return False
    return len(factor.levels) > 1


def parse_baselines(given: Sequence[str], factors: Sequence[Factor]) -> dict[str, str]:
    """``--baseline factor=level`` pairs, checked against the factors and their levels."""
    chosen: dict[str, str] = {}
    for text in given:
        name, _, label = text.partition("=")
        factor = next((f for f in factors if f.name == name), None)
        if factor is None or label not in factor.labels:
            allowed = "; ".join(f"{f.name}={'|'.join(f.labels)}" for f in factors)
            raise UserInputError(f"--baseline {text!r}: expected FACTOR=LEVEL with one of: "
                                 f"{allowed or '(no factors given)'}")
        if name in chosen and chosen[name] != label:
            raise UserInputError(f"--baseline {name}: given twice ({chosen[name]} and {label})")
        chosen[name] = label
    return chosen


def study_name(given: str | None, config: Path) -> str:
    """``--name``: one plain folder name under results/ (default sweep-<config stem>)."""
    name = f"sweep-{config.stem}" if given is None else given
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        raise UserInputError(f"--name {name!r}: a folder name under results/: letters, digits, "
                             "'_', '-' and '.', starting with a letter or digit")
    return name


def study_from_args(args: argparse.Namespace) -> Study:
    """The study a ``sweep`` command line describes."""
    from sim.study.definition import Study
    from sim.study.sweep import parse_factor

    factors = [parse_factor(text) for text in args.factor]
    x = next((f.name for f in factors if _numeric(f)), None)
    others = [f for f in factors if f.name != x]
    colour = next((f.name for f in others if len(f.levels) > 1),
                  others[0].name if others else None)
    return Study(name=study_name(args.name, args.config),
                 question=f"How do {', '.join(f.name for f in factors) or 'the replications'} "
                 f"change the results of {args.config}?",
                 config=args.config, factors=factors, overrides=tuple(args.overrides),
                 baseline=parse_baselines(args.baseline, factors), colour_factor=colour,
                 x_factor=x, compared=tuple(dict.fromkeys(args.metric)) or COMPARED)


def run(args: argparse.Namespace) -> int:
    """Run (or resume) the sweep."""
    from sim.study.definition import RunOptions
    from sim.study.pipeline import execute

    study = study_from_args(args)
    options = RunOptions(seed=args.seed, reps=args.reps, jobs=args.jobs, cluster=args.cluster,
                         out=args.out, resume=args.resume, figures=args.figures,
                         command="countersim " + shlex.join(sys.argv[1:]),
                         force=args.force, strict=args.strict)
    return execute(study, options)
