"""Equal treatment.

Question: what does serving customers by how they look cost? Equal (first come, first
served) against appearance-biased staff (all of them, or one clerk in four) and value-tier
service: the gaps between plain-looking and polished customers in time to acknowledge,
walkouts and churn, and the revenue and loyalty lost, including from plain-looking top
spenders.

Command:  python experiments/equal_treatment.py [--reps 300] [--jobs N] [--set key=value]
          [--smoke] [--out DIR] [--resume] [--cluster ADDRESS]
Outputs:  results/equal_treatment/<timestamp>/: report.md, summary.csv, comparisons.csv
          (each treatment against equal), replications.csv, figures/*.png (fairness gaps by
          appearance group, churn and lost CLV, time to acknowledge, staff time, timeline).
"""

from __future__ import annotations

import sys

from sim.cli.experiment import CONFIGS, question_of, run_script
from sim.study.definition import Study
from sim.study.sweep import Factor, Level

STAFF = 4  # pooled staff all day, so "one biased clerk of four" can be written as a list


def build(smoke: bool) -> Study:
    """Treatment policy on the baseline weekday with four pooled staff at a busy rate."""
    treatments = [
        Level("equal", ('discipline.policy="equal"',)),
        Level("appearance_biased", ('discipline.policy="appearance_biased"',)),
        Level("one_biased_clerk", ('discipline.policy="appearance_biased"',
                                   "staff.bias=[1.0, 0.0, 0.0, 0.0]")),
        Level("value_tier", ('discipline.policy="value_tier"',)),
    ]
    return Study(
        name="equal_treatment",
        question=question_of(__doc__),
        config=CONFIGS / "baseline.toml",
        overrides=("staff.schedule=[]", f"staff.both={STAFF}", "demand.walk_in.rate_per_hour=30"),
        factors=[Factor("treatment", tuple(treatments[:2] if smoke else treatments))],
        colour_factor="treatment",
        compared=("time_to_ack_gap_appearance", "walkout_rate_gap_appearance",
                  "churn_gap_appearance", "churned_patrons", "lost_clv", "lost_revenue",
                  "lost_clv_plain_top", "walkout_rate"),
    )


if __name__ == "__main__":
    sys.exit(run_script(__doc__ or "", build, default_reps=300))
