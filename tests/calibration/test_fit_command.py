"""``countersim fit`` as a user runs it: the files it writes, and bad input refused in one
line with exit 2 and nothing written (or a warning where the fit can go on)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.calibration.adapters import write_contacts_csv
from tests.calibration.synth_demand_logs import days_from, mmc_day
from tests.helpers import CliRunner

STAFF = [2, 3, 3, 4, 4, 3, 3, 2]      # 08:00-16:00


def small_log(days: int = 4, abandon: bool = True, seed: int = 3) -> pd.DataFrame:
    """A few days of a FIFO queue; with ``abandon``, a share of those who waited left."""
    rng = np.random.default_rng(seed)
    log = pd.concat([mmc_day(rng, d, STAFF, 0.9, 180.0) for d in days_from("2024-03-04", days)],
                    ignore_index=True)
    log["patron_id"] = [f"c{i}" for i in rng.integers(0, 400, len(log))]
    if abandon:
        left = (log["wait_s"] > 0) & (rng.random(len(log)) < 0.3)
        log.loc[left, "outcome"] = "abandoned"
        log.loc[left, "wait_s"] *= rng.random(int(left.sum()))
        log.loc[left, ["service_start_s", "service_end_s"]] = np.nan
        log.loc[left, "staff_id"] = ""
    return log


def write(tmp: Path, log: pd.DataFrame, name: str = "log.csv") -> Path:
    path = tmp / name
    write_contacts_csv(log, path)
    return path


def refused(cli: CliRunner, tmp: Path, *args: str) -> str:
    done = cli("fit", *args, "--out", str(tmp / "out"))
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert done.returncode == 2, done.stderr
    assert len(errors) == 1 and "Traceback" not in done.stderr, done.stderr
    assert not (tmp / "out").exists()
    return errors[0]


def test_fit_writes_scenario_report_figures_and_tables(cli: CliRunner, tmp_path: Path) -> None:
    log = write(tmp_path, small_log())
    done = cli("fit", str(log), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out"
    for name in ("scenario.toml", "report.md", "arrivals.csv", "service_fits.csv",
                 "patience_fits.csv", "patience_km.csv", "staff_by_slot.csv", "retrials.csv",
                 "figures/service_qq.png", "figures/patience.png"):
        assert (out / name).is_file(), name
    scenario = tomllib.loads((out / "scenario.toml").read_text(encoding="utf-8"))
    assert scenario["hours"]["open"] == "08:00"
    assert scenario["staff"]["schedule"][0]["phone"] == STAFF[0]
    again = cli("run", str(out / "scenario.toml"), "--reps", "2", "--out", str(tmp_path / "r"))
    assert again.returncode == 0, again.stderr


def test_empty_file_refused(cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "log.csv").write_text("", encoding="utf-8")
    assert "empty" in refused(cli, tmp_path, str(tmp_path / "log.csv"))


def test_wrong_columns_refused(cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "log.csv").write_text("when,who\n2024-01-01 10:00:00,x\n", encoding="utf-8")
    line = refused(cli, tmp_path, str(tmp_path / "log.csv"))
    assert "when" in line


def test_unparsable_times_refused(cli: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, small_log(days=1))
    text = path.read_text(encoding="utf-8").splitlines()
    bad = [text[0]] + [",".join(["yesterday at noon", *row.split(",")[1:]]) for row in text[1:]]
    path.write_text("\n".join(bad) + "\n", encoding="utf-8")
    assert "line 2" in refused(cli, tmp_path, str(path))


def test_negative_durations_in_every_row_refused(cli: CliRunner, tmp_path: Path) -> None:
    log = small_log(days=1)
    path = write(tmp_path, log[log["outcome"] == "served"])
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table["service_start"], table["service_end"] = table["service_end"], table["service_start"]
    table.to_csv(path, index=False)
    assert "line 2" in refused(cli, tmp_path, str(path))


def test_service_before_arrival_in_some_rows_is_skipped_with_line_numbers(
        cli: CliRunner, tmp_path: Path) -> None:
    log = small_log()
    served = log.index[log["outcome"] == "served"][:3]
    log.loc[served, "service_start_s"] = log.loc[served, "arrival_s"] - 60.0
    done = cli("fit", str(write(tmp_path, log)), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "skipped" in report.lower()


def test_no_abandonments_keeps_default_patience_with_a_warning(
        cli: CliRunner, tmp_path: Path) -> None:
    done = cli("fit", str(write(tmp_path, small_log(abandon=False))), "--out",
               str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert any(line.startswith("warning:") and "patience" in line
               for line in done.stderr.splitlines()), done.stderr
    scenario = tomllib.loads((tmp_path / "out" / "scenario.toml").read_text(encoding="utf-8"))
    assert "patience" not in scenario["demand"]["phone"]


def test_single_day_warns_and_fits(cli: CliRunner, tmp_path: Path) -> None:
    done = cli("fit", str(write(tmp_path, small_log(days=1))), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "single day" in done.stderr


@pytest.mark.parametrize("option", [["--slot-minutes", "7"], ["--slot-minutes", "0"],
                                    ["--format", "excel"]])
def test_bad_options_refused(cli: CliRunner, tmp_path: Path, option: list[str]) -> None:
    refused(cli, tmp_path, str(write(tmp_path, small_log(days=1))), *option)


def test_non_empty_out_folder_refused(cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine", encoding="utf-8")
    done = cli("fit", str(write(tmp_path, small_log(days=1))), "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "not empty" in done.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["keep.txt"]
