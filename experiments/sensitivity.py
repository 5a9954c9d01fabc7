"""Sensitivity of the main conclusion to the assumed parameters.

Question: the main job concludes that best practice loses fewer customers and less lifetime
value than the counter as found. Does that still hold, and by how much, when each assumed
parameter (docs/parameters.md marks them) is set to the low or the high end of its plausible range,
one at a time?

Command:  python experiments/sensitivity.py [--reps 100] [--jobs N] [--set key=value]
          [--smoke] [--out DIR] [--resume] [--cluster ADDRESS]
Outputs:  results/sensitivity/<timestamp>/: report.md (the best-practice effect under every
          setting), comparisons.csv (best_practice against as_found for each setting),
          summary.csv, replications.csv, figures/*.png.
"""

from __future__ import annotations

import sys

from sim.cli.experiment import CONFIGS, question_of, run_script
from sim.study.bundles import as_found, best_practice
from sim.study.definition import Study
from sim.study.sweep import Factor, Level

# (label, override) for the low and high end of each assumption; "default" changes nothing.
ASSUMPTIONS: list[tuple[str, str]] = [
    ("counter_service_180s", 'demand.walk_in.service={dist="lognormal", mean_s=180, cv=0.8}'),
    ("counter_service_300s", 'demand.walk_in.service={dist="lognormal", mean_s=300, cv=0.8}'),
    ("phone_patience_60s",
     'demand.phone.patience={dist="lognormal_median", median_s=60, sigma=1.88}'),
    ("phone_patience_600s",
     'demand.phone.patience={dist="lognormal_median", median_s=600, sigma=1.88}'),
    ("ack_patience_x1.0", "acknowledgment.patience_multiplier=1.0"),
    ("ack_patience_x2.7", "acknowledgment.patience_multiplier=2.7"),
    ("distraction_x0.5", "distractions.rate_multiplier=0.5"),
    ("distraction_x2", "distractions.rate_multiplier=2.0"),
    ("balking_0.01", "balking.per_extra_waiting=0.01"),
    ("balking_0.04", "balking.per_extra_waiting=0.04"),
    ("plain_share_0.1", "patrons.plain_share=0.1"),
    ("plain_share_0.4", "patrons.plain_share=0.4"),
    ("overtake_0.1", "discipline.overtake_probability=0.1"),
    ("overtake_0.6", "discipline.overtake_probability=0.6"),
    ("churn_one_bad_0.03", "loyalty.churn_after_one_bad=0.03"),
    ("churn_one_bad_0.30", "loyalty.churn_after_one_bad=0.30"),
    ("unequal_x1", "loyalty.unequal_multiplier=1.0"),
    ("unequal_x3", "loyalty.unequal_multiplier=3.0"),
]


def build(smoke: bool) -> Study:
    """Assumption setting × (as found, best practice), one at a time."""
    chosen = ASSUMPTIONS[:2] if smoke else ASSUMPTIONS
    settings = [Level("default"), *(Level(label, (o,)) for label, o in chosen)]
    return Study(
        name="sensitivity",
        question=question_of(__doc__),
        config=CONFIGS / "baseline.toml",
        factors=[Factor("policy", (as_found(), best_practice())),
                 Factor("assumption", tuple(settings))],
        colour_factor="policy", focus={"assumption": "default"},
        compared=("walkout_rate", "lost_clv", "churned_patrons", "median_time_to_ack_s"),
    )


if __name__ == "__main__":
    sys.exit(run_script(__doc__ or "", build, default_reps=100))
