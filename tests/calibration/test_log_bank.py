"""The bank call-log format: a hand-made sample (invented calls, dirty rows included) mapped
by hand, white space and line endings, and the real January 1999 month when it is beside
the repository (counts measured and documented in docs/calibration.md)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from sim.calibration.adapters import read_log
from sim.calibration.log_frame import conforms
from tests.calibration.conftest import DATA

SAMPLE = DATA / "bank_sample.tsv"
SAMPLE_SKIPPED = {
    "unparsable time": [12],
    "negative duration": [13],
    "wrong number of fields (not 17)": [14],
    "unknown type": [15],
    "served by NO_SERVER": [16],
    "unknown outcome": [17],
    "unparsable date": [18],
    "q_time disagrees with q_exit - q_start": [19],
    "service starts before the call queued": [20],
    "duplicate call (same vru+line, call_id and date as an earlier row)": [21],
    "ser_time disagrees with ser_exit - ser_start": [22],
}


def test_sample_counts() -> None:
    read = read_log(SAMPLE)
    assert read.fmt == "bank" and read.rows == 24
    assert conforms(read.frame) == []
    assert read.skipped == SAMPLE_SKIPPED
    assert read.dropped == {"hung up in the VRU": 1, "phantom call": 1}
    assert read.warnings == ["1 call left the VRU before entering it (negative vru_time): "
                             "VRU times are not used, the calls are kept"]
    assert list(read.frame["line"]) == [2, 3, 4, 7, 9, 10, 11, 23, 24, 25, 26]


def test_sample_mapping_by_hand() -> None:
    log = read_log(SAMPLE).frame.set_index("line")
    assert (log["channel"] == "phone").all() and (log["day_type"] == "").all()
    assert log.loc[2].tolist()[:8] == ["1999-03-01", "", 32410.0, "phone", "served", 90.0,
                                       32500.0, 32700.0]
    assert log.loc[2, ["staff_id", "patron_id", "priority", "type"]].tolist() == [
        "ZELDA", "11111111", 2, "PS"]
    # served at once: arrival at service start, no wait, no patron id (customer 0)
    assert log.loc[3, ["arrival_s", "wait_s", "service_start_s", "patron_id"]].tolist() == [
        33008.0, 0.0, 33008.0, ""]
    # hung up after 60 s in the queue
    assert log.loc[4, ["outcome", "arrival_s", "wait_s", "staff_id"]].tolist() == [
        "abandoned", 33605.0, 60.0, ""]
    assert np.isnan(log.loc[4, "service_start_s"])
    assert log.loc[7, ["arrival_s", "wait_s", "staff_id"]].tolist() == [35405.0, 30.0, "OSKAR"]
    assert log.loc[11, ["day", "wait_s"]].tolist() == ["1999-03-02", 180.0]
    assert log.loc[23, ["outcome", "wait_s"]].tolist() == ["served", 0.0]  # queued for 0 s
    assert log.loc[24, "service_end_s"] == log.loc[24, "service_start_s"]   # 0 s service
    assert log.loc[25, "outcome"] == "abandoned" and np.isnan(log.loc[25, "service_end_s"])
    assert log.loc[26, ["arrival_s", "wait_s"]].tolist() == [37800.0, 60.0]


def test_sample_midnight_wraps() -> None:
    log = read_log(SAMPLE).frame.set_index("line")
    # 23:58:50 queued 50 s, served 23:59:40 - 0:02:10
    assert log.loc[9, ["day", "arrival_s", "wait_s", "service_start_s", "service_end_s"]
                   ].tolist() == ["1999-03-01", 86330.0, 50.0, 86380.0, 86530.0]
    # queued 23:59:30 - 0:00:45, served 0:00:45 - 0:03:00
    assert log.loc[10, ["arrival_s", "wait_s", "service_start_s", "service_end_s"]
                   ].tolist() == [86370.0, 75.0, 86445.0, 86580.0]


def test_spaces_tabs_and_line_endings_read_alike(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    variants = {"spaces.tsv": text.replace("\t", "   "), "crlf.tsv": text.replace("\n", "\r\n"),
                "mixed.tsv": text.replace("\t", " \t ")}
    expected = read_log(SAMPLE)
    for name, variant in variants.items():
        (tmp_path / name).write_bytes(variant.encode("utf-8"))
        read = read_log(tmp_path / name)
        assert read.frame.equals(expected.frame), name
        assert read.skipped == expected.skipped and read.dropped == expected.dropped, name


def test_dropped_rows_of_unknown_type_are_skipped_not_dropped() -> None:
    # line 15 is a VRU hang-up of type ZZ: the field problem wins
    assert read_log(SAMPLE).skipped["unknown type"] == [15]


def test_the_real_month(bank_path: Path) -> None:
    start = time.perf_counter()
    read = read_log(bank_path)
    seconds = time.perf_counter() - start
    assert seconds < 2.0
    assert read.fmt == "bank" and read.rows == 31_599
    assert conforms(read.frame) == []
    assert read.frame["outcome"].value_counts().to_dict() == {"served": 26_429,
                                                              "abandoned": 3_101}
    assert read.dropped == {"hung up in the VRU": 1_196, "phantom call": 240}
    assert {reason: len(lines) for reason, lines in read.skipped.items()} == {
        "served by NO_SERVER": 490,
        "served without service times (ser_start, ser_exit 0:00:00)": 42,
        "service start more than 3 s from the queue exit": 76,
        "service starts before the call queued": 23,
        "unknown type": 2,
    }
    assert read.skipped["unknown type"] == [21553, 29008]
    assert len(read.frame) + sum(read.dropped.values()) + sum(
        len(v) for v in read.skipped.values()) == read.rows
    assert read.frame["day"].nunique() == 29
    assert read.warnings == ["32 calls left the VRU before entering it (negative vru_time): "
                             "VRU times are not used, the calls are kept"]
    assert (read.frame["arrival_s"] > 86_400).sum() == 2
    assert (read.frame["service_end_s"] >= 86_400).sum() == 24
