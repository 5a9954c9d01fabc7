"""Staffing and policies — the main job.

Question: at each staff count, how many customers walk out, how long do they wait to be
acknowledged, and how many patrons (and how much lifetime value) are lost under the counter
"as found" (finish-first, phone-first, personal phones allowed, appearance-biased), under each
single fix, and under best practice (every fix, plus apologising to angry customers and
thanking everyone)?

Command:  python experiments/staffing_policies.py [--reps 200] [--jobs N] [--set key=value]
          [--smoke] [--out DIR] [--resume] [--cluster ADDRESS]
Outputs:  results/staffing_policies/<timestamp>/ (and .../latest): report.md, summary.csv,
          comparisons.csv (each policy against as_found at every staff count),
          replications.csv, figures/*.png (walkout rate vs staff, churn and lost CLV, time to
          acknowledge, fairness gaps, staff time, one day's timeline); report.md says what
          each policy costs in staff to walk out no more than best practice does at 4 staff
          (staff hours and money a day); robustness/ (a small
          robustness study of the six policies at 4 staff, summarised in report.md under
          "How robust is this?"; not with --smoke).
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

from sim.cli.experiment import CONFIGS, question_of, run_script
from sim.study.bundles import staffing_bundles
from sim.study.definition import Study
from sim.study.sweep import Factor, staff_level


def build(smoke: bool) -> Study:
    """Staff count × policy bundle on the baseline weekday."""
    bundles = staffing_bundles()
    counts = [3, 5] if smoke else [3, 4, 5, 6, 7, 8]
    if smoke:
        bundles = [bundles[0], bundles[1], bundles[-1]]
    return Study(
        name="staffing_policies",
        question=question_of(__doc__),
        config=CONFIGS / "baseline.toml",
        factors=[Factor("policy", tuple(bundles)),
                 Factor("staff", tuple(staff_level(n) for n in counts))],
        colour_factor="policy", x_factor="staff", focus={"staff": str(counts[1])},
        compared=("walkout_rate", "median_time_to_ack_s", "churned_patrons", "lost_clv",
                  "p_ack_within_target"),
    )


def add_staff_costs(folder: Path, study: Study) -> None:
    """Append to the report what each policy costs in staff: the staff (hours, money) it
    needs to walk out no more than best practice at the focus staffing, read off the sweep
    over staff counts already run (no new runs)."""
    from sim.results.staff_equivalent import HEADING, section
    from sim.results.store import read_csv, write_atomic

    text = section(read_csv(folder / "summary.csv"), "best_practice",
                   float(study.focus["staff"]))
    report = folder / "report.md"
    if text and report.exists():
        old = report.read_text(encoding="utf-8").split(HEADING)[0].rstrip("\n")
        write_atomic(report, old + "\n\n" + text)


def with_robustness(argv: list[str]) -> int:
    """The study and what each policy costs in staff, then (not for --smoke) the small
    robustness study of its policies at its focus staffing, summarised at the end of its
    report ("How robust is this?")."""
    from sim.cli.experiment import default_jobs, results_folder
    from sim.cli.main import main
    from sim.execution import interrupts
    from sim.study.robust_section import add_section, robust_command

    code = run_script(__doc__ or "", build, default_reps=200, argv=argv)
    if code != 0:
        return code
    folder = results_folder("staffing_policies", argv).resolve()
    add_staff_costs(folder, build("--smoke" in argv))
    if "--smoke" in argv:
        return code
    study = build(False)
    given = dict(itertools.pairwise(argv))
    jobs = int(given.get("--jobs", default_jobs()))
    out = folder / "robustness"
    print("staffing_policies: how robust is this? (a small robustness study)", file=sys.stderr)
    command = robust_command(study.config, [lv.label for lv in study.factors[0].levels],
                             int(study.focus["staff"]), jobs, out,
                             resume=(out / "screen").is_dir())
    command += ["--seed", given.get("--seed", "1")]
    command += [x for i, a in enumerate(argv[:-1]) if a == "--set" for x in ("--set", argv[i + 1])]
    if "--cluster" in given:
        command += ["--cluster", given["--cluster"]]
    code = add_section(folder, command, main)
    interrupts.check()
    return code


if __name__ == "__main__":
    from sim.execution import interrupts

    interrupts.end_program(with_robustness(sys.argv[1:]))
