"""countersim's own contact records as a canonical log: a hand-made sample mapped by hand,
and the real files that ``countersim run --records`` writes (one day and several)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibration.adapters import read_log
from sim.calibration.log_frame import conforms
from tests.calibration.conftest import DATA
from tests.helpers import BASELINE, CliRunner

SAMPLE = DATA / "records_sample.csv"


def test_sample_is_detected_and_conforms() -> None:
    read = read_log(SAMPLE)
    assert read.fmt == "records" and read.rows == 14
    assert conforms(read.frame) == []
    assert read.skipped == {"unparsable time": [13], "unknown outcome": [14],
                            "negative wait (start_s or end_s before arrival_s)": [15]}
    assert read.dropped == {"still in system at run end": 1}
    assert len(read.warnings) == 3
    assert "still in the system" in read.warnings[0] and "censored" in read.warnings[0]
    assert read.warnings[1].startswith("1 e-mail:") and "on hold" in read.warnings[2]


def test_sample_mapping_by_hand() -> None:
    log = read_log(SAMPLE).frame.set_index("line")
    assert list(log.index) == [2, 3, 4, 5, 6, 7, 8, 9, 11, 12]
    assert (log["day_type"] == "simulated").all() and (log["priority"] == 0).all()
    assert log["outcome"].tolist() == ["served", "abandoned", "abandoned", "abandoned",
                                       "balked", "blocked", "served", "served", "served",
                                       "served"]
    assert log["wait_s"].tolist() == [10.0, 120.0, 300.0, 45.0, 0.0, 0.0, 700.0, 5.0, 0.0,
                                      10.0]
    # replication 0 runs two days (the latest arrival is on day 1): 01-03, 01-04; then rep 1
    assert log["day"].tolist() == ["2000-01-03"] * 7 + ["2000-01-04", "2000-01-05",
                                                        "2000-01-06"]
    assert log.loc[9, ["arrival_s", "service_start_s", "service_end_s"]].tolist() == [
        32400.0, 32405.0, 32600.0]
    assert log["staff_id"].tolist() == ["1", "", "", "", "", "", "0", "1", "0", "2"]
    assert log.loc[[2, 9, 11], "patron_id"].tolist() == ["0:12", "0:12", "1:12"]
    assert np.isnan(log.loc[3, "service_start_s"])


def _records(cli: CliRunner, tmp_path: Path, *extra: str) -> Path:
    done = cli("run", str(BASELINE), "--reps", "2", "--records", "--out", "out", *extra)
    assert done.returncode == 0, done.stderr
    return tmp_path / "out" / "contacts.csv"


def test_a_real_run_reads_whole(cli: CliRunner, tmp_path: Path) -> None:
    path = _records(cli, tmp_path)
    raw = pd.read_csv(path)
    read = read_log(path)
    assert read.fmt == "records" and read.skipped == {} and conforms(read.frame) == []
    in_system = int((raw["outcome"] == "in_system").sum())
    assert len(read.frame) + in_system == len(raw) == read.rows
    assert read.frame["day"].nunique() == 2  # one day per replication
    served = raw["outcome"] == "served"
    assert (read.frame["outcome"] == "served").sum() == served.sum()
    walked = raw["outcome"].isin(["abandoned", "reneged_unacknowledged",
                                  "reneged_acknowledged"])
    assert (read.frame["outcome"] == "abandoned").sum() == walked.sum()
    kept = raw[raw["outcome"] != "in_system"].reset_index(drop=True)
    waits = np.where(kept["outcome"] == "served", kept["start_s"] - kept["arrival_s"],
                     np.where(kept["outcome"].isin(["served", "balked", "blocked"]), 0.0,
                              kept["end_s"] - kept["arrival_s"]))
    np.testing.assert_allclose(read.frame["wait_s"], waits)


def test_a_multi_day_run_gives_a_day_per_simulated_day(cli: CliRunner,
                                                       tmp_path: Path) -> None:
    path = _records(cli, tmp_path, "--set", "run.days=3")
    read = read_log(path)
    raw = pd.read_csv(path)
    assert conforms(read.frame) == []
    assert sorted(read.frame["day"].unique()) == [f"2000-01-{d:02d}" for d in range(3, 9)]
    assert (read.frame["arrival_s"] < 86_400).all()
    kept = raw[raw["outcome"] != "in_system"].reset_index(drop=True)
    day_index = (kept["arrival_s"] // 86_400).astype(int) + 3 * kept["replication"]
    expected = (pd.Timestamp("2000-01-03") + pd.to_timedelta(day_index, unit="D"))
    assert read.frame["day"].tolist() == expected.dt.strftime("%Y-%m-%d").tolist()


def test_dirty_replications_do_not_shift_the_days(tmp_path: Path) -> None:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = [lines[1].replace("0,0,walk_in,12,32400.5", "x,0,walk_in,12,32400.5", 1),
           lines[1].replace("0,0,walk_in,12,32400.5", "0,0,walk_in,12,9e15", 1)]
    path = tmp_path / "contacts.csv"
    path.write_text("".join([lines[0], *bad, *lines[2:]]), encoding="utf-8")
    read = read_log(path)
    assert read.skipped["unparsable replication"] == [2]
    assert read.skipped["arrival_s beyond the longest run (3,650 days)"] == [3]
    expected = read_log(SAMPLE).frame
    assert read.frame["day"].tolist() == expected["day"].tolist()[1:]
