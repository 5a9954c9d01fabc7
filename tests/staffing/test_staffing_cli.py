"""``countersim staff`` at the command line: bad input stops with one line and exit code 2
before anything is written; a run writes staffing.csv, schedule.toml and manifest.json."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from sim.cli.main import main
from sim.config.loading import load_scenario
from sim.results.store import read_csv
from tests.helpers import CliRunner, files_under

# Two busy hours, walk-ins and calls, no distractions: a small, fast scenario.
SMALL = """\
name = "small"

[hours]
open = "09:00"
close = "11:00"
slot_minutes = 30

[demand.walk_in]
rate_per_hour = 30
profile = [0.6, 1.0, 1.6, 0.8]

[demand.phone]
rate_per_hour = 10

[distractions]
enabled = false

[staff]
both = 2
"""


@pytest.fixture
def config(work_dir: Path) -> Path:
    """The small scenario in an empty working folder (default results/ would land there)."""
    path = work_dir / "small.toml"
    path.write_text(SMALL)
    return path


@pytest.mark.parametrize(("target", "expected"), [
    ("walkouts<=0.05", "unknown metric 'walkouts'"),
    ("walkout_rate<0.05", "operator '<' is not <= or >="),
    ("walkout_rate>=0.05", "walkout_rate improves with more staff, so it takes <="),
    ("walkout_rate", "expected METRIC<=VALUE or METRIC>=VALUE"),
    ("service_level>=1.2", "must be a share strictly between 0 and 1"),
])
def test_bad_target_one_line_exit_2_no_files(config: Path, target: str, expected: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["staff", str(config), "--target", target, "--reps", "10"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith(f"error: --target {target!r}: ")
    assert expected in err and "allowed: walkout_rate<=P" in err
    assert files_under(config.parent) == {"small.toml"}


def test_bad_option_and_per_member_lists_exit_2(config: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["staff", str(config), "--target", "walkout_rate<=0.1", "--confidence", "95"])
    assert stop.value.code == 2 and "--confidence" in capsys.readouterr().err
    code = main(["staff", str(config), "--target", "walkout_rate<=0.1",
                 "--set", 'discipline.policy="appearance_biased"', "--set", "staff.bias=[1, 0]"])
    assert code == 2 and "staff.bias is a list" in capsys.readouterr().err
    assert files_under(config.parent) == {"small.toml"}


def test_run_writes_the_three_files(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = config.parent / "out"
    code = main(["staff", str(config), "--target", "walkout_rate<=0.1",
                 "--target", "p_ack_within_target>=70%", "--reps", "10", "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert files_under(out) == {"staffing.csv", "schedule.toml", "manifest.json"}
    rows = read_csv(out / "staffing.csv")
    assert [r["slot_start"] for r in rows] == ["09:00", "09:30", "10:00", "10:30"]
    assert all(r["pass"] == "True" for r in rows)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["targets"] == ["walkout_rate<=0.1", "p_ack_within_target>=0.7"]
    assert manifest["status"] == "met" and manifest["reps"] == 10 and manifest["seed"] == 1
    assert manifest["iterations"] == len(manifest["history"]) >= 1
    staff = [int(r["staff"]) for r in rows]
    assert staff in [h["staff"] for h in manifest["history"]]
    # the snippet pastes into the scenario file as its schedule
    snippet = (out / "schedule.toml").read_text()
    assert snippet in printed and "09:00-09:30" in printed
    pasted = config.parent / "pasted.toml"
    pasted.write_text(SMALL.replace("[staff]\nboth = 2\n", snippet))
    schedule = load_scenario(pasted).staff.schedule
    assert [b.model_dump(mode="json") for b in schedule] == manifest["schedule"]
    assert max(b.both for b in schedule) == max(staff)
    assert tomllib.loads(snippet)["staff"]["schedule"][0]["start"] == "09:00"


def test_max_iterations_exit_1_still_saves(config: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = config.parent / "out"
    code = main(["staff", str(config), "--target", "mean_wait_s<=0.5", "--reps", "10",
                 "--max-iterations", "1", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 1
    assert "stopped after 1 iteration (--max-iterations)" in captured.err
    assert files_under(out) == {"staffing.csv", "schedule.toml", "manifest.json"}
    assert json.loads((out / "manifest.json").read_text())["status"] == "max_iterations"


@pytest.mark.parametrize("reps", ["1", "5", "9"])
def test_fewer_than_10_replications_are_refused(config: Path, reps: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["staff", str(config), "--target", "walkout_rate<=0.05", "--reps", reps])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(f"error: --reps {reps}: staff needs at least 10 replications")
    assert "use --reps 10 or more" in err
    assert files_under(config.parent) == {"small.toml"}


def test_real_command_line(config: Path, cli: CliRunner) -> None:
    done = cli("staff", str(config), "--target", "walkout_rate=<0.05")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "operator '=<' is not <= or >=" in done.stderr
    assert files_under(config.parent) == {"small.toml"}
