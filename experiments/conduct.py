"""Conduct levers.

Question: which of the staff's conduct levers pay — an apology that calms an angry
customer, thanking every customer, using regulars' names, asking permission before an
urgent personal call, stopping an argument or taking it to the back room, on-point e-mail
replies, recovering complaints — ranked by the customer lifetime value they save per staff
hour they cost, each against the counter as found (with resolution by the clerk, scored
e-mail replies and complaints that nobody handles), and all of them together (guidance)?

Command:  python experiments/conduct.py [--reps 200] [--jobs N] [--set key=value]
          [--smoke] [--out DIR] [--resume] [--cluster ADDRESS]
Outputs:  results/conduct/<timestamp>/ (and .../latest): report.md (the ranking first),
          ranking.csv (saved lifetime value a day, staff hours a day, saved per staff hour,
          95% intervals), summary.csv, comparisons.csv (each lever against as_found),
          replications.csv, figures/*.png.
"""

from __future__ import annotations

import sys

from sim.cli.experiment import CONFIGS, question_of, results_folder, run_script
from sim.results.ranking import add_ranking
from sim.study.bundles import conduct_bundles
from sim.study.definition import Study
from sim.study.sweep import Factor

NAME = "conduct"


def build(smoke: bool) -> Study:
    """Each conduct lever on the baseline weekday, against the counter as found."""
    levels = conduct_bundles()
    if smoke:
        levels = [levels[0], levels[1], levels[-1]]
    return Study(
        name=NAME,
        question=question_of(__doc__),
        config=CONFIGS / "baseline.toml",
        factors=[Factor("lever", tuple(levels))],
        colour_factor="lever",
        compared=("lost_clv", "churned_patrons", "walkout_rate", "conduct_time_s",
                  "unresolved", "complaints", "email_churned_patrons"),
    )


def ranking(argv: list[str]) -> int:
    """Rank the levers of the finished run (ranking.csv, a report section) and print it."""
    print("\nLevers ranked by lifetime value saved per staff hour:")
    print("\n".join(add_ranking(results_folder(NAME, argv), "lever", "as_found")))
    return 0


if __name__ == "__main__":
    from sim.cli.main import reporting_errors
    from sim.execution.interrupts import end_program

    given = sys.argv[1:]  # with argv given, run_script returns instead of ending the process
    code = run_script(__doc__ or "", build, default_reps=200, argv=given)
    end_program(reporting_errors(lambda: ranking(given)) if code == 0 else code)
