"""Acknowledgment.

Question: does greeting a newcomer at once (greet_first) or with a gesture while busy
(gesture_while_busy) beat finishing the task at hand first (finish_first), and does the
answer change when staff are distracted more or less often (none, as found, twice as often)?

Command:  python experiments/acknowledgment.py [--reps 200] [--jobs N] [--set key=value]
          [--smoke] [--out DIR] [--resume] [--cluster ADDRESS]
Outputs:  results/acknowledgment/<timestamp>/: report.md, summary.csv, comparisons.csv (each
          policy against finish_first at every distraction level), replications.csv,
          figures/*.png (walkouts vs distraction level, time-to-acknowledge ECDF with the 30 s
          target, churn and lost CLV, staff time, timeline).
"""

from __future__ import annotations

import sys

from sim.cli.experiment import CONFIGS, question_of, run_script
from sim.study.definition import Study
from sim.study.sweep import Factor, Level


def build(smoke: bool) -> Study:
    """Acknowledgment policy × distraction rate multiplier on the baseline weekday."""
    policies = ["finish_first", "greet_first"] if smoke else [
        "finish_first", "greet_first", "gesture_while_busy"]
    levels = [0.0, 1.0] if smoke else [0.0, 1.0, 2.0]
    return Study(
        name="acknowledgment",
        question=question_of(__doc__),
        config=CONFIGS / "baseline.toml",
        factors=[Factor("acknowledgment", tuple(
                     Level(p, (f'acknowledgment.policy="{p}"',)) for p in policies)),
                 Factor("distraction_rate", tuple(
                     Level(f"{m:g}", (f"distractions.rate_multiplier={m}",)) for m in levels))],
        colour_factor="acknowledgment", x_factor="distraction_rate",
        focus={"distraction_rate": "1"},
        compared=("median_time_to_ack_s", "walkout_rate", "p_ack_within_target",
                  "churned_patrons", "lost_clv"),
    )


if __name__ == "__main__":
    sys.exit(run_script(__doc__ or "", build, default_reps=200))
