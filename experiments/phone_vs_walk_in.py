"""Phone against walk-in.

Question: when the phone rings while someone stands at the counter, what loses fewer
customers — answering it first (phone_first), serving the person in front first
(walk_in_first), greeting the caller and putting them on hold (hold_and_greet), or taking one
of the pooled staff off the counter as a dedicated phone person — at low, normal and high
call volumes?

Command:  python experiments/phone_vs_walk_in.py [--reps 200] [--jobs N] [--set key=value]
          [--smoke] [--out DIR] [--resume] [--cluster ADDRESS]
Outputs:  results/phone_vs_walk_in/<timestamp>/: report.md, summary.csv, comparisons.csv
          (each policy against phone_first at every call volume), replications.csv,
          figures/*.png (walkouts vs call volume, churn and lost CLV, time to acknowledge,
          staff time, timeline).
"""

from __future__ import annotations

import sys

from sim.cli.experiment import CONFIGS, question_of, run_script
from sim.study.definition import Study
from sim.study.sweep import Factor, Level

# The baseline schedule (3 / 5 / 4 pooled staff) with one of them on the phone only.
DEDICATED = ('staff.schedule=[{start="09:00", end="11:00", both=2, phone=1}, '
             '{start="11:00", end="14:00", both=4, phone=1}, '
             '{start="14:00", end="17:00", both=3, phone=1}]')


def build(smoke: bool) -> Study:
    """Phone handling × calls per hour on the baseline weekday."""
    policies = [Level(p, (f'phone_handling.policy="{p}"',))
                for p in ("phone_first", "walk_in_first", "hold_and_greet")]
    policies.append(Level("dedicated_phone_person", ('phone_handling.policy="phone_first"',
                                                     DEDICATED)))
    volumes = [6, 12] if smoke else [6, 12, 24]
    return Study(
        name="phone_vs_walk_in",
        question=question_of(__doc__),
        config=CONFIGS / "baseline.toml",
        factors=[Factor("phone_policy", tuple(policies[::3] if smoke else policies)),
                 Factor("calls_per_hour", tuple(
                     Level(str(v), (f"demand.phone.rate_per_hour={v}",)) for v in volumes))],
        colour_factor="phone_policy", x_factor="calls_per_hour",
        focus={"calls_per_hour": "12"},
        compared=("walkout_rate", "walk_in_walkout_rate", "phone_walkout_rate",
                  "walk_in_median_time_to_ack_s", "churned_patrons", "lost_clv"),
    )


if __name__ == "__main__":
    sys.exit(run_script(__doc__ or "", build, default_reps=200))
