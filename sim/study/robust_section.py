"""The main job's "How robust is this?" section: a small robustness study of its six
policies at its focus staffing, over the assumptions known to decide its verdicts, written
beside its results (``robustness/``) and summarised at the end of its ``report.md``."""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path

from sim.config.ranges import in_words
from sim.results.comparisons import amount, info, interval
from sim.results.store import write_atomic

#: The assumptions that decide the main job's verdicts (docs/robustness.md).
DECIDING = ("demand.walk_in.patience.median_s", "demand.walk_in.patience.sigma",
            "demand.phone.hold_patience.mean_s", "demand.email.rate_per_hour",
            "demand.email.service.mean_s", "loyalty.wait_penalty", "loyalty.bad_below",
            "loyalty.churn_after_two_bad")
WORLDS, REPS, TOP = 32, 10, 2
SPLIT_REPS = 4  # replications per combination of best_practice's fixes (64 combinations)
HEADING = "## How robust is this?"


def robust_command(config: Path, policies: Sequence[str], staff: int, jobs: int,
                   out: Path, resume: bool) -> list[str]:
    """The small study's ``countersim robust`` command line."""
    command = ["robust", str(config), "--set", f"staff={staff}", "--compare",
               ",".join(policies), "--params", ",".join(DECIDING), "--worlds", str(WORLDS),
               "--reps", str(REPS), "--top", str(TOP), "--decompose", "auto",
               "--decompose-reps", str(SPLIT_REPS), "--jobs", str(jobs), "--out", str(out)]
    return [*command, "--resume"] if resume else command


def section(verdicts_csv: Path, full_command: str) -> str:
    """The report section: every headline of the small study, and how to run the full one."""
    with verdicts_csv.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    headlines = [row["headline"] for row in rows]
    shares_over = rows[0]["worlds"] if rows else "0"
    return "\n".join([
        HEADING, "",
        f"A small robustness study ({WORLDS}+ plausible worlds, {REPS} replications each, "
        f"over the {len(DECIDING)} assumptions known to decide these verdicts: "
        + ", ".join(in_words(p) for p in DECIDING) + "), every policy against as_found in "
        "every world with common random numbers; each share is over the "
        f"{shares_over} independent worlds of its deciding stage, with its interval "
        "(Bonferroni over the verdicts): at this size the intervals are wide, a first "
        "look rather than a verdict. Details, figures and flip points: "
        "[robustness/report.md](robustness/report.md).", "",
        *[f"- {h}." for h in headlines], "",
        *split_lines(verdicts_csv.parent / "decomposition.csv"),
        "The full study varies every assumed parameter over at least 256 worlds: "
        f"`{full_command}`.", ""])


def _split_line(rows: list[dict[str, str]]) -> str:
    """One metric's split at the default world, e.g. ``walkouts: -3.1 points [-3.6, -2.6],
    of which greet_first -1.9 points [-2.4, -1.4], ...`` (largest part first)."""
    total = next(r for r in rows if r["part"] == "total")
    unit = info(total["metric"]).unit
    parts = sorted((r for r in rows if r["part"] != "total"),
                   key=lambda r: -abs(float(r["effect"])))

    def said(r: dict[str, str]) -> str:
        return (amount(float(r["effect"]), unit) + " "
                + interval(float(r["low"]), float(r["high"]), unit))

    return (f"- {info(total['metric']).words}: {said(total)}, of which "
            + ", ".join(f"{r['part']} {said(r)}" for r in parts) + ".")


def split_lines(decomposition_csv: Path) -> list[str]:
    """The paragraph on where each split bundle's change comes from (none without the
    table)."""
    if not decomposition_csv.is_file():
        return []
    with decomposition_csv.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["world"] == "default"]
    lines = []
    for bundle in dict.fromkeys(r["bundle"] for r in rows):
        mine = [r for r in rows if r["bundle"] == bundle]
        lines += ["", f"Where {bundle}'s change against {mine[0]['baseline']} comes from, with "
                  f"the assumptions as set (Shapley values over every combination of its "
                  f"fixes, {mine[0]['reps']} replications each, 95% intervals):", ""]
        lines += [_split_line([r for r in mine if r["metric"] == m])
                  for m in dict.fromkeys(r["metric"] for r in mine)]
    return [*lines[1:], ""] if lines else []


def add_section(folder: Path, run: Sequence[str], main: Callable[[list[str]], int]) -> int:
    """Run the small study (``main``: the command line's entry point) into
    ``folder/robustness``, its output kept quiet, and append its section to
    ``folder/report.md``; the study's exit code."""
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(list(run))
    if code != 0:
        return code
    report = folder / "report.md"
    text = report.read_text(encoding="utf-8")
    text = text.split(HEADING)[0].rstrip("\n") + "\n\n"
    write_atomic(report, text + section(folder / "robustness" / "verdicts.csv",
                                        "python experiments/robustness.py --jobs 2"))
    return 0
