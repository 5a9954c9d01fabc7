"""The documented contacts format: the synthetic log and a hand-made dirty sample read into
conforming frames, the dirty rows reported by line, and the writer's round trip."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.calibration.adapters import read_log, write_contacts_csv
from sim.calibration.log_frame import COLUMNS, conforms
from tests.calibration.conftest import DATA, SYNTHETIC
from tests.calibration.data.make_synthetic import make

DIRTY = DATA / "contacts_dirty.csv"


def test_the_synthetic_log_is_what_its_generator_makes() -> None:
    assert SYNTHETIC.read_text(encoding="utf-8") == make()


def test_the_synthetic_log_reads_whole_and_conforms(synthetic_log: pd.DataFrame) -> None:
    with SYNTHETIC.open(encoding="utf-8", newline="") as fh:
        raw = list(csv.DictReader(fh))
    assert conforms(synthetic_log) == []
    assert len(synthetic_log) == len(raw) == 597
    assert Counter(synthetic_log["outcome"]) == Counter(r["outcome"] for r in raw)
    assert set(synthetic_log["outcome"]) == {"served", "abandoned", "balked", "blocked"}
    assert set(synthetic_log["channel"]) == {"walk_in", "phone", "email"}
    assert sorted(synthetic_log["day"].unique()) == ["2024-03-04", "2024-03-05", "2024-03-06"]
    served = synthetic_log[synthetic_log["outcome"] == "served"]
    assert set(served["staff_id"]) == {"ana", "ben", "chloe"}
    assert (synthetic_log.loc[synthetic_log["outcome"] != "served", "staff_id"] == "").all()


def test_the_synthetic_log_has_patrons_who_try_again(synthetic_log: pd.DataFrame) -> None:
    log = synthetic_log.sort_values(["day", "arrival_s"])
    again = 0
    for _, rows in log[log["patron_id"] != ""].groupby(["day", "patron_id"]):
        outcomes = list(rows["outcome"])
        again += any(o == "abandoned" for o in outcomes[:-1])
    assert again >= 20


def test_first_synthetic_rows_by_hand(synthetic_log: pd.DataFrame) -> None:
    # line 2: 2024-03-04 09:01:39 phone, queued 09:01:51, served 09:01:51-09:06:25 by ana
    first = synthetic_log.iloc[0]
    assert (first["line"], first["day"], first["channel"]) == (2, "2024-03-04", "phone")
    assert first["arrival_s"] == 9 * 3600 + 60 + 51
    assert first["wait_s"] == 0.0
    assert (first["service_start_s"], first["service_end_s"]) == (32511.0, 32785.0)
    assert (first["staff_id"], first["patron_id"], first["type"]) == ("ana", "P103", "loan")
    # line 5: queued 09:06:15, served at 09:06:25
    fourth = synthetic_log.iloc[3]
    assert (fourth["line"], fourth["wait_s"], fourth["arrival_s"]) == (5, 10.0, 32775.0)


def test_dirty_rows_are_skipped_with_their_line_numbers() -> None:
    read = read_log(DIRTY)
    assert read.fmt == "contacts" and read.rows == 28
    assert read.skipped == {
        "unparsable timestamp": [8, 18],
        "unknown channel": [9],
        "unknown outcome": [10],
        "negative wait (queue_exit before queue_entry)": [11],
        "service starts before arrival": [12],
        "service ends before it starts": [13],
        "abandoned without queue_exit: the wait is unknown": [14],
        "arrival missing": [15],
        "wrong number of fields": [16],
        "unparsable priority": [17],
        "served after queueing: neither queue_exit nor service_start given, the wait is "
        "unknown": [23],
        "queue_entry before arrival": [25],
    }
    assert read.dropped == {}
    assert read.warnings == [f"{DIRTY}: column note not part of the contacts format: ignored"]
    assert conforms(read.frame) == []
    assert list(read.frame["line"]) == [2, 3, 4, 5, 6, 7, 20, 21, 22, 24, 26, 27, 28, 29, 30]


def test_dirty_sample_values_by_hand() -> None:
    log = read_log(DIRTY).frame.set_index("line")
    # ISO T, fractions: queued 10:05:10.250, gave up 10:06:40.750
    assert log.loc[3, ["arrival_s", "wait_s"]].tolist() == [36310.25, 90.5]
    assert log.loc[3, "priority"] == 0  # empty priority is regular
    # after midnight: arrival 23:59:50, queued 00:00:10 the next day
    assert log.loc[5, "day"] == "2024-05-06"
    assert log.loc[5, ["arrival_s", "wait_s", "service_start_s", "service_end_s"]].tolist() \
        == [86410.0, 60.0, 86470.0, 86700.0]
    assert (log.loc[6, "channel"], log.loc[6, "outcome"]) == ("walk_in", "balked")
    # e-mail answered 30 min after arrival, no queue columns: waited until service
    assert log.loc[4, ["wait_s", "service_start_s"]].tolist() == [1800.0, 38400.0]
    assert log.loc[20, "wait_s"] == 0.0                      # served at once
    assert log.loc[21, "staff_id"] == ""                     # abandoned: nobody served
    assert log.loc[22, "wait_s"] == 90.0                     # no queue_exit: service_start
    assert np.isnan(log.loc[24, "service_start_s"])          # served, no service times
    assert log.loc[26, "staff_id"] == "Smith, J"             # quoted comma


def _random_log(seed: int, n: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    outcome = rng.choice(["served", "abandoned", "balked", "blocked"], n, p=[.6, .2, .1, .1])
    arrival = rng.uniform(0, 86_399, n)
    wait = np.where(np.isin(outcome, ["served", "abandoned"]), rng.exponential(120, n), 0.0)
    served = outcome == "served"
    start = np.where(served, arrival + wait, np.nan)
    return pd.DataFrame({
        "line": np.arange(2, n + 2), "day": rng.choice(["2023-12-31", "2024-01-01"], n),
        "day_type": rng.choice(["", "simulated"], n), "arrival_s": arrival,
        "channel": rng.choice(["walk_in", "phone", "email"], n), "outcome": outcome,
        "wait_s": wait, "service_start_s": start,
        "service_end_s": start + rng.exponential(200, n),
        "staff_id": np.where(served, rng.choice(["a", "b,c", 'd"e'], n), ""),
        "patron_id": rng.choice(["", "p1", "p 2"], n), "priority": rng.integers(0, 3, n),
        "type": rng.choice(["", "loan"], n)}).astype({"day": object})


@pytest.mark.parametrize("seed", [1, 2])
def test_writer_round_trip(seed: int, tmp_path: Path) -> None:
    log = _random_log(seed, 400)
    assert conforms(log) == []
    path = tmp_path / "log.csv"
    write_contacts_csv(log, path)
    back = read_log(path)
    assert back.fmt == "contacts" and back.skipped == {} and back.warnings == []
    _assert_same(log, back.frame)


def test_writer_round_trip_of_the_synthetic_log(synthetic_log: pd.DataFrame,
                                                tmp_path: Path) -> None:
    write_contacts_csv(synthetic_log, tmp_path / "again.csv")
    _assert_same(synthetic_log, read_log(tmp_path / "again.csv").frame)


def test_after_midnight_arrivals_come_back_on_the_next_day(tmp_path: Path) -> None:
    log = _random_log(3, 5)
    log.loc[0, ["day", "arrival_s"]] = ["2024-02-28", 86_500.0]
    log.loc[0, ["outcome", "wait_s", "service_start_s", "service_end_s"]] = [
        "served", 20.0, 86_520.0, 86_600.0]
    write_contacts_csv(log, tmp_path / "late.csv")
    back = read_log(tmp_path / "late.csv").frame
    assert back.loc[0, "day"] == "2024-02-29"
    assert back.loc[0, "arrival_s"] == pytest.approx(100.0, abs=1e-6)


def test_writer_refuses_a_non_canonical_frame(tmp_path: Path) -> None:
    log = _random_log(4, 3).drop(columns="type")
    with pytest.raises(ValueError, match="not a canonical contact log"):
        write_contacts_csv(log, tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()


def _assert_same(log: pd.DataFrame, back: pd.DataFrame) -> None:
    assert conforms(back) == []
    assert list(back.columns) == list(COLUMNS)
    log = log.reset_index(drop=True)
    for column in COLUMNS:
        if column == "line":
            continue
        if log[column].dtype == float:
            np.testing.assert_allclose(back[column], log[column], atol=1e-6, rtol=0)
        else:
            assert back[column].tolist() == log[column].tolist(), column
