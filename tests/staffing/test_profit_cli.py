"""``countersim staff --objective net_value`` at the command line: a run writes the schedule
(runnable by ``countersim run``), the per-slot table, every schedule evaluated, the
comparisons with the neighbours and the trade-off figure; bad options stop with one line and
exit code 2 before anything is written."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from sim.cli.main import main
from sim.results.store import read_csv
from tests.helpers import files_under

SMALL = """\
name = "small"

[hours]
open = "09:00"
close = "11:00"
slot_minutes = 60

[demand.walk_in]
rate_per_hour = 30

[demand.phone]
rate_per_hour = 10

[distractions]
enabled = false

[staff]
both = 2

[money]
staff_cost_per_hour = { both = 30.0 }
"""
FILES = {"staffing.csv", "schedule.toml", "scenario.toml", "schedules.csv", "neighbours.csv",
         "figures",
         "figures/tradeoff.png", "manifest.json"}


@pytest.fixture
def config(work_dir: Path) -> Path:
    """The small scenario (two one-hour slots) in an empty working folder."""
    path = work_dir / "small.toml"
    path.write_text(SMALL)
    return path


def test_net_value_run_writes_every_file_and_the_schedule_runs(
        config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = config.parent / "out"
    code = main(["staff", str(config), "--objective", "net_value", "--start", "2",
                 "--target", "walkout_rate<=0.3", "--reps", "10", "--max-reps", "10",
                 "--max-iterations", "9",
                 "--out", str(out)])
    printed = capsys.readouterr().out
    assert code in (0, 1), printed
    assert files_under(out) == FILES
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["objective"] == "net_value" and manifest["start"] == [2, 2]
    schedules = read_csv(out / "schedules.csv")
    assert len(schedules) == manifest["schedules_evaluated"] >= 5
    chosen = [r for r in schedules if r["chosen"] == "True"]
    assert len(chosen) == 1 and chosen[0]["feasible"] == "True"
    assert any(r["pareto_walkouts"] == "True" for r in schedules)
    rows = read_csv(out / "staffing.csv")
    assert [r["slot_start"] for r in rows] == ["09:00", "10:00"]
    assert " ".join(r["staff"] for r in rows) == chosen[0]["staff"]
    if manifest["status"] == "optimum":
        neighbours = read_csv(out / "neighbours.csv")
        assert len(neighbours) == 4  # ±1 in each of two slots
        for n in neighbours:
            if n["feasible"] == "True":
                p = float(n["p_value"])
                assert float(n["confidence_chosen_better"]) == pytest.approx(1 - p)
                assert float(n["ci_low"]) <= float(n["chosen_minus_neighbour"]) <= float(
                    n["ci_high"])
        assert "confidence that it beats every neighbour" in printed
    # the scenario with the schedule runs as it is, and is the small scenario re-staffed
    ran = config.parent / "ran"
    assert main(["run", str(out / "scenario.toml"), "--reps", "2", "--out", str(ran)]) == 0
    resolved = json.loads((ran / "manifest.json").read_text())
    assert "schedule" in json.dumps(resolved) and "30.0" in (out / "scenario.toml").read_text()
    net = [r for r in read_csv(ran / "summary.csv") if r["metric"] == "net_value"]
    assert len(net) == 1 and math.isfinite(float(net[0]["mean"]))


@pytest.mark.parametrize(("args", "expected"), [
    (["--objective", "net_value", "--start", "2,x"], "--start '2,x': give staff counts"),
    (["--objective", "net_value", "--start", "2,2,2"], "3 counts for 2 slots"),
    (["--start", "2", "--target", "walkout_rate<=0.1"], "only with --objective net_value"),
    ([], "give at least one --target"),
])
def test_bad_options_one_line_exit_2_nothing_written(
        config: Path, args: list[str], expected: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["staff", str(config), "--reps", "10", *args])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and expected in err, err
    assert files_under(config.parent) == {"small.toml"}
