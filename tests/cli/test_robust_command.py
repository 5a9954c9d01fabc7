"""``countersim robust`` and experiments/robustness.py as a user runs them: a tiny study
writes its tables, figures and report; bad input is one line, exit 2, nothing written."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import BASELINE, REPO, CliRunner, cli_env

PARAMS = "demand.phone.hold_patience.mean_s,demand.email.rate_per_hour"
TINY = ("--set", "staff=4", "--params", PARAMS, "--worlds", "8", "--reps", "2", "--top", "1")


@pytest.mark.slow
def test_tiny_study_writes_verdicts_figures_and_resumes(cli: CliRunner, tmp_path: Path) -> None:
    done = cli("robust", str(BASELINE), "--compare", "as_found,hold_and_greet", *TINY,
               "--out", "r")
    assert done.returncode == 0, done.stderr
    out = tmp_path / "r"
    with (out / "verdicts.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["policy"], r["metric"]) for r in rows] == [
        ("hold_and_greet", "walkout_rate"), ("hold_and_greet", "lost_clv")]
    for row in rows:
        shares = [float(row[k]) for k in ("holds", "reverses", "cannot_be_told_apart")]
        assert abs(sum(shares) - 1) < 1e-9
    assert (out / "figures" / "flip_hold_and_greet-walkout_rate.png").is_file()
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "plausible worlds" in report and "Bonferroni" in report
    again = cli("robust", str(BASELINE), "--compare", "as_found,hold_and_greet", *TINY,
                "--out", "r", "--resume")
    assert again.returncode == 0, again.stderr
    with (out / "verdicts.csv").open(encoding="utf-8") as fh:
        assert list(csv.DictReader(fh)) == rows


@pytest.mark.parametrize(("args", "words"), [
    (["--compare", "as_found,nonsense"], "known: as_found"),
    (["--compare", "as_found"], "two or more"),
    (["--compare", "as_found,greet_first", "--params", "hours.slot_minutes"],
     "no plausible range"),
    (["--compare", "as_found,greet_first", "--metrics", "arrivals"], "arrivals"),
    (["--compare", "as_found,greet_first", "--params", "conduct.apology_s"], "none of the"),
])
def test_bad_input_is_one_line(cli: CliRunner, tmp_path: Path, args: list[str],
                               words: str) -> None:
    done = cli("robust", str(BASELINE), *args, "--worlds", "4", "--reps", "2", "--out", "r")
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert done.returncode == 2 and len(errors) == 1, done.stderr
    assert words in errors[0] and "Traceback" not in done.stderr
    assert not (tmp_path / "r").exists()


def test_resume_needs_the_folder(cli: CliRunner, tmp_path: Path) -> None:
    done = cli("robust", str(BASELINE), "--compare", "as_found,greet_first", "--resume")
    assert done.returncode == 2 and done.stderr.startswith("error: --resume"), done.stderr
    assert not any(tmp_path.iterdir())


@pytest.mark.slow
def test_experiment_script_smoke(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(REPO / "experiments" / "robustness.py"),
                           "--smoke", "--jobs", "1", "--out", "rs"], cwd=tmp_path,
                          env=cli_env(), capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "rs" / "report.md").is_file()
