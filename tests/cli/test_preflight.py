"""Preflight at the command line: warnings printed once and recorded in the manifest,
``--strict``, the resource guard and ``--force``, ``--jobs`` against the cores, and settings
that cannot take effect — every refusal one ``error:`` line, exit 2, nothing written."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from sim.preflight.guard import cpu_count
from tests.helpers import BASELINE, REPO, CliRunner, cli_env, files_under

WARNING = "warning: offered load exceeds the staff on duty 12:00-13:30"


def refused(proc: subprocess.CompletedProcess[str], root: Path, *words: str) -> str:
    """The one error line of a refusal that wrote nothing under ``root``."""
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr, proc.stderr
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    for word in words:
        assert word in lines[0], lines[0]
    assert proc.stdout == ""
    assert not [f for f in files_under(root) if not f.endswith(".toml")], files_under(root)
    return lines[0]


def test_run_prints_each_warning_once_and_records_it(tmp_path: Path, cli: CliRunner) -> None:
    proc = cli("run", str(BASELINE), "--reps", "2", "--set", "staff=3", "--out", "out")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count(WARNING) == 1
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["warnings"]) == 1 and manifest["warnings"][0].startswith(
        "offered load exceeds")


def test_strict_refuses_a_run_with_warnings(tmp_path: Path, cli: CliRunner) -> None:
    refused(cli("run", str(BASELINE), "--reps", "2", "--strict", "--set", "staff=3", "--out",
                "out"), tmp_path, "--strict: offered load", "drop --strict")
    assert cli("run", str(BASELINE), "--reps", "2", "--strict", "--set", "staff=6",
               "--out", "ok").returncode == 0


@pytest.mark.parametrize(("args", "words"), [
    (("--reps", "1000000000"), ("too large", "1e9 replications", "--force")),
    (("--set", "demand.walk_in.rate_per_hour=1e7"), ("at most 100000 per hour",)),
    (("--set", 'hours.close="99999:00"'), ("hours.close", "8760 hours")),
    (("--set", "staff=100000"), ("staff", "1 to 10000")),
    (("--set", "staff.both=4"), ("staff.both = 4", "staff.schedule", "staff=4")),
    (("--jobs", "1000"), ("--jobs 1000", "CPU core", "--force")),
    (("--set", 'demand.walk_in.service={dist="exponential", mean_s=3'),
     ("malformed TOML value",)),
])
def test_run_refusals_are_one_line_and_write_nothing(tmp_path: Path, cli: CliRunner,
                                                     args: tuple[str, ...],
                                                     words: tuple[str, ...]) -> None:
    refused(cli("run", str(BASELINE), "--reps", "2", *args), tmp_path, *words)


def test_a_huge_day_is_refused_by_the_guard_and_forced_past_it(tmp_path: Path,
                                                             cli: CliRunner) -> None:
    huge = ("--set", 'hours.close="8000:00"', "--set", "demand.walk_in.profile=[]",
            "--set", "demand.phone.profile=[]", "--set", "demand.walk_in.rate_per_hour=100000")
    refused(cli("run", str(BASELINE), "--reps", "1", *huge), tmp_path,
            "contacts per replication", "add --force")


def test_force_allows_more_jobs_than_cores_but_not_more_than_tasks(tmp_path: Path,
                                                                   cli: CliRunner) -> None:
    jobs = str(cpu_count() + 1)
    proc = cli("run", str(BASELINE), "--reps", "2", "--jobs", jobs, "--force", "--set",
               "staff=6", "--out", "out")
    assert proc.returncode == 0 and "warning" not in proc.stderr, proc.stderr


@pytest.mark.parametrize("config", ["empty.toml", "/dev/null"])
def test_an_empty_config_is_refused(tmp_path: Path, cli: CliRunner, config: str) -> None:
    (tmp_path / "empty.toml").write_text("", encoding="utf-8")
    refused(cli("run", config, "--reps", "2"), tmp_path, "empty config", "baseline.toml")


def test_sweep_refuses_an_inert_factor_and_records_grouped_warnings(tmp_path: Path,
                                                                    cli: CliRunner) -> None:
    refused(cli("sweep", str(BASELINE), "--factor", "staff.both=3,6", "--reps", "2"),
            tmp_path, "staff.schedule", "every scenario")
    refused(cli("sweep", str(BASELINE), "--factor", "staff=3,6", "--reps", "1000000"),
            tmp_path, "too large")
    proc = cli("sweep", str(BASELINE), "--factor", "staff=3,6", "--reps", "2", "--no-figures",
               "--out", "sw")
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((tmp_path / "sw" / "manifest.json").read_text(encoding="utf-8"))
    assert [w.endswith("(in 1 of 2 scenarios: staff=3)") for w in manifest["warnings"]] == [True]
    assert proc.stderr.count("warning: ") == 1


def test_check_shows_the_warnings_beside_the_resolved_scenario(cli: CliRunner) -> None:
    proc = cli("check", str(BASELINE), "--set", "staff=3")
    assert proc.returncode == 0 and tomllib.loads(proc.stdout)["staff"]["both"] == 3
    assert proc.stderr.startswith("warning: offered load exceeds")


def test_staff_command_has_the_guard(tmp_path: Path, cli: CliRunner) -> None:
    refused(cli("staff", str(BASELINE), "--target", "walkout_rate<=0.1", "--reps",
                "100000000"), tmp_path, "too large")


def test_experiment_scripts_take_strict_and_force(tmp_path: Path) -> None:
    script = str(REPO / "experiments" / "staffing_policies.py")
    done = subprocess.run([sys.executable, script, "--smoke", "--strict"], cwd=tmp_path,
                          env=cli_env(), capture_output=True, text=True, timeout=120,
                          check=False)
    refused(done, tmp_path, "--strict: offered load", "in 3 of 6 scenarios")
    helped = subprocess.run([sys.executable, script, "--help"], cwd=tmp_path, env=cli_env(),
                            capture_output=True, text=True, timeout=60, check=True)
    assert "--force" in helped.stdout and "--strict" in helped.stdout
