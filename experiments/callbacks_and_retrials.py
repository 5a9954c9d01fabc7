"""Callbacks, wait announcements and retrials.

Question: on the baseline weekday, and with twice its calls, what does offering callers a
callback (when their expected wait exceeds 30, 60 or 120 seconds) or announcing the expected
wait to everyone who joins a line do to walkouts, phone abandonment, lost customer lifetime
value and satisfaction, each against the counter without them, with the same customers
(common random numbers)? And what changes when callers and walk-ins who gave up try again
the same day (retrials, at their fitted defaults), alone and with callbacks?

Command:  python experiments/callbacks_and_retrials.py [--reps 200] [--jobs N]
          [--set key=value] [--smoke] [--out DIR] [--resume] [--cluster ADDRESS]
Outputs:  results/callbacks_and_retrials/<timestamp>/ (and .../latest): report.md (each arm
          against no_callbacks in words: walkouts, phone abandonment, lost lifetime value,
          satisfaction), summary.csv, comparisons.csv (each arm against no_callbacks at the
          same call volume, paired by replication), replications.csv, figures/*.png.
"""

from __future__ import annotations

import sys

from sim.cli.experiment import CONFIGS, question_of, results_folder, run_script
from sim.cli.main import reporting_errors
from sim.execution.interrupts import end_program
from sim.results.paired_words import add_paired_words
from sim.study.definition import Study
from sim.study.sweep import Factor, Level

NAME = "callbacks_and_retrials"
CALLBACKS = "callbacks.enabled=true"
ANNOUNCE = "announcements.enabled=true"
RETRIALS = "retrials.enabled=true"  # callers and walk-ins who gave up try again (defaults)

# The arms: a label and its overrides of the baseline; the first is the one every other arm
# is compared against. Each arm is one line, so another mechanism (callers who retry, say)
# joins the study as one more entry, alone or together with callbacks.
ARMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("no_callbacks", ()),
    ("callbacks_30s", (CALLBACKS, "callbacks.threshold_s=30")),
    ("callbacks_60s", (CALLBACKS, "callbacks.threshold_s=60")),
    ("callbacks_120s", (CALLBACKS, "callbacks.threshold_s=120")),
    ("announcements", (ANNOUNCE,)),
    ("callbacks_60s_announced", (CALLBACKS, "callbacks.threshold_s=60", ANNOUNCE)),
    ("retrials", (RETRIALS,)),
    ("retrials_callbacks_60s", (RETRIALS, CALLBACKS, "callbacks.threshold_s=60")),
)
SMOKE_ARMS = ("no_callbacks", "callbacks_60s", "announcements", "retrials")
CALLS_PER_HOUR = (12, 24)  # the baseline's calls, and twice as many

# What the report states in words for every arm, and what the comparisons cover.
IN_WORDS = ("walkouts", "phone_abandoned", "lost_clv", "mean_satisfaction")
COMPARED = (*IN_WORDS, "walkout_rate", "phone_walkout_rate", "walk_in_walkout_rate",
            "phone_mean_wait_s", "callbacks_offered", "callbacks_accepted",
            "callbacks_on_time", "callbacks_late", "callbacks_abandoned", "announced",
            "left_on_announcement", "final_walkout_rate", "retries")


def build(smoke: bool) -> Study:
    """Each arm of :data:`ARMS` × calls per hour on the baseline weekday (``smoke``: three
    arms)."""
    arms = [Level(label, overrides) for label, overrides in ARMS
            if not smoke or label in SMOKE_ARMS]
    volumes = [Level(str(v), (f"demand.phone.rate_per_hour={v}",)) for v in CALLS_PER_HOUR]
    return Study(
        name=NAME,
        question=question_of(__doc__),
        config=CONFIGS / "baseline.toml",
        factors=[Factor("arm", tuple(arms)), Factor("calls_per_hour", tuple(volumes))],
        colour_factor="arm", x_factor="calls_per_hour",
        focus={"calls_per_hour": str(CALLS_PER_HOUR[0])},
        compared=COMPARED,
    )


def in_words(argv: list[str]) -> int:
    """Put each arm's paired differences, in words, into the finished run's report.md."""
    add_paired_words(results_folder(NAME, argv), "arm", IN_WORDS,
                     "Each arm against no callbacks, in words")
    return 0


if __name__ == "__main__":
    given = sys.argv[1:]
    code = run_script(__doc__ or "", build, default_reps=200, argv=given)
    end_program(reporting_errors(lambda: in_words(given)) if code == 0 else code)
