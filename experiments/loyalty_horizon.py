"""Loyalty over a season.

Question: over 90 opening days, how many active patrons and how much revenue does the counter
keep under each policy bundle, when every bad experience can lose a patron for good and
happy patrons bring friends?

Command:  python experiments/loyalty_horizon.py [--reps 20] [--jobs N] [--set key=value]
          [--smoke] [--out DIR] [--resume] [--cluster ADDRESS]
Outputs:  results/loyalty_horizon/<timestamp>/: report.md, summary.csv, comparisons.csv (each
          bundle against as_found), replications.csv, days.csv (one row per day),
          figures/*.png (active patrons over days, churn and lost CLV, time to acknowledge,
          staff time, timeline).
"""

from __future__ import annotations

import sys

from sim.cli.experiment import CONFIGS, question_of, run_script
from sim.study.bundles import as_found, best_practice, bundle
from sim.study.definition import Study
from sim.study.sweep import Factor

DAYS = 90


def build(smoke: bool) -> Study:
    """Policy bundle over a 90-day run of the baseline weekday (5 days for --smoke)."""
    bundles = [as_found(), bundle("greet_first", {"acknowledgment.policy": "greet_first"}),
               best_practice()]
    return Study(
        name="loyalty_horizon",
        question=question_of(__doc__),
        config=CONFIGS / "baseline.toml",
        overrides=(f"run.days={5 if smoke else DAYS}",),
        factors=[Factor("policy", tuple(bundles[::2] if smoke else bundles))],
        colour_factor="policy",
        compared=("active_patrons_end", "churned_patrons", "revenue", "walkout_rate",
                  "lost_clv"),
    )


if __name__ == "__main__":
    sys.exit(run_script(__doc__ or "", build, default_reps=20))
