"""``read_log``: the format found from the header, and every unusable input refused with
one error line that names the file."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from sim.calibration.adapters import LogRead, read_log
from sim.calibration.adapters import source as source_module
from sim.errors import UserInputError
from tests.calibration.conftest import DATA, SYNTHETIC

BANK = DATA / "bank_sample.tsv"
RECORDS = DATA / "records_sample.csv"
CONTACTS_HEADER = "arrival,channel,outcome,queue_entry,queue_exit\n"
BANK_HEADER = BANK.read_text(encoding="utf-8").splitlines()[0] + "\n"


def refusal(path: Path, fmt: str = "auto") -> str:
    """The message ``read_log`` refuses ``path`` with (checked to be one line naming it)."""
    with pytest.raises(UserInputError) as caught:
        read_log(path, fmt)
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message
    assert message.startswith(str(path)) or message.startswith("format ")
    return message


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("path", "fmt"), [(SYNTHETIC, "contacts"), (RECORDS, "records"),
                                           (BANK, "bank")])
def test_detected_from_the_header(path: Path, fmt: str) -> None:
    assert read_log(path).fmt == fmt
    assert read_log(path, fmt).frame.equals(read_log(path).frame)


def test_header_case_byte_order_mark_and_blank_lines(tmp_path: Path) -> None:
    text = SYNTHETIC.read_text(encoding="utf-8")
    header, _, rest = text.partition("\n")
    path = write(tmp_path, "x.csv", "\ufeff\n" + header.upper().replace(",", " , ") + "\n\n"
                 + rest)
    read = read_log(path)
    assert read.fmt == "contacts" and read.skipped == {}
    assert read.frame.drop(columns="line").equals(read_log(SYNTHETIC).frame.drop(
        columns="line"))
    assert read.frame["line"].iloc[0] == 4  # BOM line blank, header on 2, blank 3


def test_log_read_is_frozen_and_summarises() -> None:
    read = read_log(BANK)
    assert isinstance(read, LogRead)
    with pytest.raises(dataclasses.FrozenInstanceError):
        read.fmt = "contacts"  # type: ignore[misc]
    lines = read.summary()
    assert lines[0] == "read 24 rows (bank format): 11 contacts (8 served, 3 abandoned)"
    assert "dropped: 1 hung up in the VRU" in lines
    assert "skipped (dirty): 1 unparsable time (lines 12)" in lines


def test_unknown_format_name() -> None:
    message = refusal(BANK, "excel")
    assert message == ("format 'excel': one of auto, contacts, records, bank (see "
                       "docs/calibration.md): give one of those")


def test_missing_file(tmp_path: Path) -> None:
    assert "no such file" in refusal(tmp_path / "nope.csv")


def test_a_folder_names_the_file_to_give(tmp_path: Path) -> None:
    assert f"is a folder, not a contact log: give a file in it, e.g. {tmp_path}/contacts.csv" \
        in refusal(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_is_not_read(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    assert "is not a regular file" in refusal(pipe)


def test_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source_module, "MAX_BYTES", 100)
    assert "bytes: logs of at most 100 bytes are read; split it" in refusal(SYNTHETIC)


def test_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "locked.csv", CONTACTS_HEADER + "x\n")

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", denied)
    assert "cannot be read (Permission denied)" in refusal(path)


@pytest.mark.parametrize(("text", "expected"), [
    ("", "is empty"),
    ("\n \n\t\n", "holds only blank lines"),
    (CONTACTS_HEADER, "has a header but no contacts"),
    (CONTACTS_HEADER + "\n\n", "has a header but no contacts"),
    (BANK_HEADER, "has a header but no contacts"),
    (RECORDS.read_text(encoding="utf-8").splitlines()[0] + "\n",
     "has a header but no contacts"),
])
def test_nothing_to_read(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in refusal(write(tmp_path, "x.csv", text))


def test_unrecognised_header_names_what_each_format_needs(tmp_path: Path) -> None:
    message = refusal(write(tmp_path, "x.csv", "when,who,what\n1,2,3\n"))
    assert "header not recognised (columns 'when', 'who', 'what')" in message
    for needs in ("contacts: arrival, channel, outcome", "records: replication first",
                  "bank: vru+line"):
        assert needs in message


def test_binary_garbage_stays_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04\x00\x1b[31m\r\x07" + bytes(range(256)))
    assert "header not recognised" in refusal(path)


@pytest.mark.parametrize(("fmt", "text", "expected"), [
    ("contacts", "arrival,outcome\n2024-01-01 09:00:00,served\n",
     "the contacts format needs column channel (found: arrival, outcome)"),
    ("bank", BANK_HEADER.replace("\tserver", ""), "the bank format needs field server"),
    ("records", "replication,id,channel,arrival_s\n0,0,phone,1.0\n",
     "countersim records start with column replication and have"),
    ("contacts", "arrival,arrival,channel,outcome\n", "column 'arrival' appears twice"),
    ("auto", "Arrival,ARRIVAL,channel,outcome\n", "column 'arrival' appears twice"),
])
def test_a_needed_column_missing(tmp_path: Path, fmt: str, text: str, expected: str) -> None:
    assert expected in refusal(write(tmp_path, "x.csv", text), fmt)


def test_the_wrong_format_forced(tmp_path: Path) -> None:
    assert "the contacts format needs columns arrival, channel, outcome" in refusal(
        BANK, "contacts")


def _rows(n: int, good: Callable[[int], str], bad: Callable[[int], str], n_bad: int) -> str:
    return CONTACTS_HEADER + "".join(bad(i) if i < n_bad else good(i) for i in range(n))


def test_every_row_dirty_names_the_first_bad_line_and_value(tmp_path: Path) -> None:
    text = _rows(4, str, lambda i: f"9:0{i}:00,phone,served,,\n", 4)
    message = refusal(write(tmp_path, "x.csv", text))
    assert ("every one of its 4 rows is dirty, e.g. line 2: unparsable timestamp "
            "(arrival='9:00:00')") in message
    assert "check the file is in the contacts format" in message


def test_every_row_with_service_before_arrival_is_refused(tmp_path: Path) -> None:
    text = "arrival,channel,outcome,service_start,service_end\n" + "".join(
        f"2024-01-01 10:0{i}:00,walk_in,served,2024-01-01 09:00:00,2024-01-01 09:05:00\n"
        for i in range(3))
    assert "every one of its 3 rows is dirty, e.g. line 2: service starts before arrival" \
        in refusal(write(tmp_path, "x.csv", text))


def test_more_than_half_dirty(tmp_path: Path) -> None:
    def good(i: int) -> str:
        return f"2024-01-01 10:{i:02d}:00,phone,balked,,\n"

    text = _rows(10, good, lambda i: f"2024-01-01 10:{i:02d}:00,fax,served,,\n", 6)
    message = refusal(write(tmp_path, "x.csv", text))
    assert "6 of its 10 rows are dirty (first at lines 2, 3, 4, 5, 6; unknown channel: 6 " \
           "rows" in message
    assert "more than half, so the contacts format is probably not what this file holds" \
        in message
    half = _rows(10, good, lambda i: f"2024-01-01 10:{i:02d}:00,fax,served,,\n", 5)
    read = read_log(write(tmp_path, "half.csv", half))
    assert len(read.frame) == 5 and read.skipped == {"unknown channel": [2, 3, 4, 5, 6]}


def test_nothing_asked_for_staff(tmp_path: Path) -> None:
    lines = BANK.read_text(encoding="utf-8").splitlines()
    path = write(tmp_path, "x.tsv", "\n".join([lines[0], lines[4], lines[5]]) + "\n")
    assert "no contact in it asked for staff (1 hung up in the VRU, 1 phantom call)" in \
        refusal(path)
