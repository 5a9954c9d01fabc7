"""Robustness of the main job's verdicts to everything it assumed.

Question: the main job (experiments/staffing_policies.py) compares six policy bundles at 4
staff with one set of assumed parameters. In how many plausible worlds — every assumed
parameter drawn over its plausible range (docs/parameters.md, "Plausible ranges") — does
each verdict against the counter as found hold, reverse, or fail to tell apart? Which
assumptions decide it, and where does it flip?

Command:  python experiments/robustness.py [--worlds 256] [--reps 20] [--jobs N] [--seed S]
          [--set key=value] [--smoke] [--out DIR] [--resume] [--cluster ADDRESS]
Outputs:  results/robustness/<timestamp>/: report.md (headlines with shares of worlds,
          deciding assumptions, flip points), verdicts.csv, morris.csv, sobol.csv,
          worlds.csv, decomposition.csv (best_practice's effect split into its six fixes,
          Shapley values over their 64 combinations at the default world), figures/ (Morris
          μ*–σ, Sobol tornado and flip figure per verdict; the split's waterfall),
          manifest.json; screen/, sobol/ and decompose_best_practice/ hold every
          replication (for --resume).
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from sim.cli.experiment import default_jobs
from sim.cli.main import Parser, main
from sim.cli.options import positive_int, seed_int

REPO = Path(__file__).resolve().parents[1]

POLICIES = "as_found,greet_first,hold_and_greet,no_personal_calls,equal_treatment,best_practice"
SMOKE_PARAMS = ("demand.phone.hold_patience.mean_s,demand.walk_in.patience.sigma,"
                "demand.email.rate_per_hour")


def arguments(argv: list[str]) -> list[str]:
    """The ``countersim robust`` command line this script stands for."""
    parser = Parser(prog="robustness.py", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--worlds", type=positive_int, default=256)
    parser.add_argument("--reps", type=positive_int, default=None)
    parser.add_argument("--jobs", type=positive_int, default=default_jobs())
    parser.add_argument("--seed", type=seed_int, default=1)
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--smoke", action="store_true",
                        help="a tiny study (3 parameters, 8 worlds, 2 replications) to check "
                        "that everything runs")
    parser.add_argument("--out", default=None)
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--cluster", default=None)
    args = parser.parse_args(argv)
    if args.smoke and args.reps is not None:
        parser.error(f"--reps {args.reps} with --smoke: a smoke run always does 2 "
                     "replications; drop one of them")
    out = args.out or str(Path("results") / "robustness" / datetime.now().strftime(
        "%Y%m%d-%H%M%S"))
    command = ["robust", str(REPO / "experiments" / "configs" / "baseline.toml"),
               "--set", "staff=4", "--compare", POLICIES, "--metrics", "walkout_rate,lost_clv",
               "--worlds", str(8 if args.smoke else args.worlds),
               "--reps", str(2 if args.smoke else (args.reps or 20)), "--jobs", str(args.jobs),
               "--seed", str(args.seed), "--out", out]
    if args.smoke:
        command += ["--params", SMOKE_PARAMS, "--top", "2"]
    for override in args.overrides:
        command += ["--set", override]
    if args.resume:
        command.append("--resume")
    if args.cluster:
        command += ["--cluster", args.cluster]
    return command


if __name__ == "__main__":
    sys.exit(main(arguments(sys.argv[1:])))
