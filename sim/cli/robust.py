"""``countersim robust``: is a policy verdict robust to what we assumed? Every compared policy
runs in many plausible worlds (the uncertain parameters drawn over their ranges,
docs/parameters.md "Plausible ranges"), paired by common random numbers; the report gives
each verdict's share of worlds, the assumptions that decide it and where it flips."""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path
from typing import Any

from sim.cli.options import (
    add_preflight_options,
    add_seed_set_cluster,
    new_out_dir,
    out_path,
    positive_int,
    whole_number,
)

DEFAULT_METRICS = "walkout_rate,lost_clv"
EXAMPLE = """\
examples:
  countersim robust experiments/configs/baseline.toml --set staff=4 \\
      --compare as_found,greet_first,best_practice --worlds 256 --reps 20 --jobs 2
  countersim robust my_counter.toml --compare as_found,hold_and_greet \\
      --params demand.phone.hold_patience.mean_s,demand.walk_in.patience.sigma"""


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``robust`` subcommand."""
    p = subparsers.add_parser(
        "robust", help="test policy verdicts across every plausible value of the assumptions",
        description="Run every compared policy in many plausible worlds (Morris screening "
        "over every varied parameter, then a Sobol design over the few that matter most), "
        "paired by common random numbers, and report for each verdict (policy vs the first "
        "on each metric) the share of worlds where it holds, reverses or cannot be told "
        "apart, the assumptions that decide it and the value where it flips.",
        epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("config", type=Path, help="scenario TOML file")
    p.add_argument("--compare", required=True, metavar="A,B[,C...]",
                   help="policy bundles to compare, the first the baseline: as_found, "
                   "greet_first, hold_and_greet, no_personal_calls, equal_treatment, "
                   "best_practice")
    p.add_argument("--params", default="all",
                   help="parameters to vary: all (every one with a plausible range that a "
                   "compared policy reads) or a comma-separated list of key paths")
    p.add_argument("--metrics", default=DEFAULT_METRICS,
                   help=f"metrics to judge (default {DEFAULT_METRICS})")
    p.add_argument("--worlds", type=positive_int, default=256,
                   help="plausible worlds, at least (default 256; half screen, half decide)")
    p.add_argument("--reps", type=positive_int, default=20,
                   help="replications per world and policy (default 20)")
    p.add_argument("--top", type=positive_int, default=3,
                   help="parameters the Sobol stage studies one by one (default 3)")
    p.add_argument("--decompose", default="auto", metavar="auto|none|B[,B...]",
                   help="split these bundles' effect into their single fixes (Shapley values "
                   "over every combination of the fixes, at the default world); auto "
                   "(default): every compared bundle made of two or more fixes")
    p.add_argument("--decompose-worlds", type=whole_number(0), default=0, metavar="N",
                   help="also split it in the first N independent worlds of the deciding "
                   "stage, to see whether the split is stable (default 0)")
    p.add_argument("--decompose-reps", type=positive_int, default=None, metavar="R",
                   help="replications per combination of fixes (default: --reps)")
    p.add_argument("--jobs", type=positive_int, default=1, help="local worker processes")
    p.add_argument("--out", type=out_path, default=None,
                   help="results folder (default results/robust/<time>)")
    p.add_argument("--resume", action="store_true", help="continue the study saved in --out")
    add_seed_set_cluster(p, "override a config key in every world, e.g. --set staff=4")
    add_preflight_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Plan, run both stages, analyse and write the report."""
    from sim.config.ranges import varied_parameters
    from sim.errors import UserInputError
    from sim.robust.verdicts import rule_for
    from sim.study.bundles import staffing_bundles
    from sim.study.robust_decompose import to_decompose
    from sim.study.robust_files import write_study
    from sim.study.robust_run import RobustSpec, policies_named, study
    from sim.study.robust_worlds import ranged
    from sim.study.sweep import split_values

    policies = policies_named(split_values(args.compare), staffing_bundles())
    params = (varied_parameters() if args.params == "all"
              else [p for p in split_values(args.params) if p])
    for name in params:
        ranged(name)
    metrics = [m for m in split_values(args.metrics) if m]
    for metric in metrics:
        rule_for(metric)  # a metric with no better direction cannot give a verdict
    decompose = to_decompose([b for b in split_values(args.decompose) if b], policies)
    reps = args.decompose_reps or args.reps
    if decompose and reps < 2:
        raise UserInputError(f"--decompose-reps {reps}: splitting a bundle's effect needs at "
                             "least 2 replications per combination for its intervals; give "
                             "--decompose-reps 2 or more, or --decompose none")
    if args.resume and args.out is None:
        raise UserInputError("--resume: give the folder to continue with --out DIR")
    out = args.out if args.resume else new_out_dir(args.out, "robust")
    spec = RobustSpec(args.config, tuple(args.overrides), policies, tuple(params),
                      tuple(metrics), args.worlds, args.reps, args.top, args.seed, args.jobs,
                      args.cluster, args.resume, args.force, args.strict, decompose,
                      args.decompose_worlds, reps)
    started = time.perf_counter()
    result = study(spec, out)
    command = "countersim " + shlex.join(getattr(args, "argv", None) or sys.argv[1:])
    written = write_study(out, spec, result, command, time.perf_counter() - started)
    for verdict in result.verdicts:
        print(verdict.headline)
    kept = ["screen/", "sobol/", *(f"decompose_{d.bundle}/" for d in result.decompositions)]
    print(f"wrote {out}/ ({', '.join(written)}; {', '.join(kept)} for --resume)")
    return 0
