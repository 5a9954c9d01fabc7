"""Smoke runs: every experiment script, as a user runs it (``python experiments/x.py
--smoke``), finishes (a timeout guards against a hang) and leaves a complete results
folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import CLI_TIMEOUT_S, REPO, CliRunner, cli_env

# robustness.py runs a robustness study (countersim robust), not a sweep: its own smoke
# test is in tests/cli/test_robust_command.py
SCRIPTS = sorted(p.stem for p in (REPO / "experiments").glob("*.py") if p.stem != "robustness")
TABLES = ("manifest.json", "replications.csv", "summary.csv", "comparisons.csv",
          "scenarios.csv", "ack_times.csv", "timeline_staff.csv", "timeline_contacts.csv",
          "report.md", "slots.csv")
# sections a script adds to its report after the run
SECTIONS = {"callbacks_and_retrials": "## Each arm against no callbacks, in words",
            "conduct": "## Levers ranked by lifetime value saved per staff hour"}


def test_there_is_a_script_per_question() -> None:
    assert set(SCRIPTS) >= {"staffing_policies", "equal_treatment", "acknowledgment",
                            "phone_vs_walk_in", "loyalty_horizon", "sensitivity"}


@pytest.mark.parametrize("script", SCRIPTS)
def test_smoke_run_leaves_a_complete_results_folder(script: str, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(REPO / "experiments" / f"{script}.py"),
                           "--smoke", "--jobs", "1"], cwd=tmp_path, env=cli_env(),
                          capture_output=True, text=True, timeout=CLI_TIMEOUT_S, check=False)
    assert done.returncode == 0, done.stderr
    latest = tmp_path / "results" / script / "latest"
    assert latest.is_symlink() and latest.is_dir()
    for name in TABLES:
        assert (latest / name).is_file(), name
    manifest = json.loads((latest / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"] is True and manifest["experiment"] == script
    figures = sorted((latest / "figures").glob("*.png"))
    assert figures, "no figures drawn"
    report = (latest / "report.md").read_text(encoding="utf-8")
    assert f"python {REPO / 'experiments' / script}.py --smoke" in report
    for figure in figures:
        assert f"figures/{figure.name}" in report
    assert "## Headline" in report and "- " in report.split("## Headline", 1)[1]
    assert SECTIONS.get(script, "## Headline") in report


def test_docstring_states_question_command_and_outputs() -> None:
    for script in SCRIPTS:
        text = (REPO / "experiments" / f"{script}.py").read_text(encoding="utf-8")
        doc = text.split('"""', 2)[1]
        for part in ("Question:", "Command:", "Outputs:"):
            assert part in doc, f"{script}: {part}"


def test_bad_option_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(REPO / "experiments" / "staffing_policies.py"),
                           "--smoke", "--set", "demand.walk_in.rate_per_hour=-5"], cwd=tmp_path,
                          env=cli_env(), capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.startswith("error:") and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "results").exists()


def test_plot_redraws_every_figure_of_a_real_run(tmp_path: Path, cli: CliRunner) -> None:
    done = subprocess.run([sys.executable, str(REPO / "experiments" / "loyalty_horizon.py"),
                           "--smoke", "--jobs", "1", "--out", "run"], cwd=tmp_path,
                          env=cli_env(), capture_output=True, text=True,
                          timeout=CLI_TIMEOUT_S, check=False)
    assert done.returncode == 0, done.stderr
    figures = tmp_path / "run" / "figures"
    drawn = {p.name: p.stat().st_size for p in figures.glob("*.png")}
    assert "active_patrons.png" in drawn and "timeline.png" in drawn
    for path in figures.glob("*.png"):
        path.unlink()
    again = cli("plot", "run")
    assert again.returncode == 0, again.stderr
    redrawn = {p.name: p.stat().st_size for p in figures.glob("*.png")}
    assert redrawn.keys() == drawn.keys()
    assert all(size > 8000 for size in redrawn.values())
