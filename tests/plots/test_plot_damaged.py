"""``countersim plot`` on a damaged results folder: one line naming the file and what is
wrong, exit code 2, no figure written; a folder with nothing to draw exits 1."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sim.cli.main import main
from sim.errors import UserInputError
from sim.plots.data import read_table


def _truncate(path: Path) -> object:
    text = path.read_text()
    return path.write_text(text[: len(text) // 2])


DAMAGE: list[tuple[str, Callable[[Path], object], str]] = [
    ("replications.csv", lambda p: p.write_bytes(b"garbage\x00\xff\xfe"),
     "not UTF-8 text (byte 0xff at offset 8)"),
    ("replications.csv", lambda p: p.write_text(""), "no rows (an empty or truncated table)"),
    ("replications.csv", lambda p: p.write_text("a,b\n1,2,3,4\n"), "row 1 has 4 cells, the "
     "header 2"),
    ("replications.csv", lambda p: p.write_text(p.read_text().replace(",0.", ",x.", 1)),
     "a number is expected"),
    ("replications.csv", _truncate, "cells, the header"),
    ("slots.csv", _truncate, "cells, the header"),
    ("ack_times.csv", lambda p: p.write_text("scenario,channel,bin_s,count\n0,walk_in,?,3\n"),
     "row 1: bin_s = '?', a number is expected"),
    ("manifest.json", lambda p: p.write_text("{"), "not valid JSON"),
    ("manifest.json", lambda p: p.write_text('{"factors": 5}'), "factors = 5: a list of"),
    ("manifest.json", lambda p: p.write_text('{"factors": [{"name": "x", "levels": 5}]}'),
     "factors entry"),
]


@pytest.mark.parametrize(("name", "damage", "expected"), DAMAGE,
                         ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(DAMAGE)])
def test_damaged_file_is_one_line_exit_2_nothing_written(
        make_results: Callable[..., Path], capsys: pytest.CaptureFixture[str], name: str,
        damage: Callable[[Path], object], expected: str) -> None:
    run_dir = make_results()
    damage(run_dir / name)
    capsys.readouterr()
    assert main(["plot", str(run_dir)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith(f"error: {run_dir / name}: ") and expected in err
    assert "the file is damaged: re-create the folder" in err
    assert not (run_dir / "figures").exists()


def test_nothing_to_draw_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "manifest.json").write_text("{}")
    (run_dir / "replications.csv").write_text("replication,seed,foo\n0,1,2\n")
    assert main(["plot", str(run_dir)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no figure has the data it needs" in err
    assert "nothing written" in err and not (run_dir / "figures").exists()


def test_read_table_accepts_words_in_text_and_factor_columns(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("scenario,policy,channel,value,empty\nbase,greet_first,walk_in,nan,\n")
    assert read_table(path, ["policy"])[0]["policy"] == "greet_first"
    with pytest.raises(UserInputError, match="row 1: policy = 'greet_first'"):
        read_table(path)
