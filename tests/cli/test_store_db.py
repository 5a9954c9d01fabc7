"""The results database (``results.db``): a reader that opens it read-only while a sweep
writes sees whole replications and a count that only grows; a run's folder is a handful of
files however many replications it has; ``--parquet`` writes ``replications.parquet`` with
exactly the values of ``replications.csv``, or is refused in one line when pyarrow is
missing."""

from __future__ import annotations

import contextlib
import csv
import json
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from sim.cli.main import main
from sim.results import parquet
from sim.study import part_db
from sim.study.parts import DB_FILE, count_parts
from tests.helpers import BASELINE, CLI_TIMEOUT_S, cli_env, sim_command

# 2 scenarios × 8 replications on two workers: a few seconds of steady commits
SWEEP = ["sweep", str(BASELINE), "--factor", "staff=3,4", "--reps", "8", "--jobs", "2",
         "--no-figures"]
TOTAL = 2 * 8


def _snapshot(db: Path) -> tuple[int, int, int]:
    """One read transaction: rows, rows whose result is whole JSON, distinct keys."""
    with contextlib.closing(part_db.connect_read_only(db)) as conn:
        row = conn.execute("SELECT count(*), sum(json_valid(result)), "
                           "count(DISTINCT scenario * 100000 + replication) "
                           "FROM replications").fetchone()
    return int(row[0]), int(row[1] or 0), int(row[2])


def test_store_reader_sees_a_consistent_count_while_a_sweep_runs(tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    proc = subprocess.Popen(sim_command(*SWEEP, "--out", str(out)), cwd=tmp_path,
                            env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    seen: list[tuple[int, int, int]] = []
    try:
        deadline = time.monotonic() + CLI_TIMEOUT_S
        while proc.poll() is None and time.monotonic() < deadline:
            if (out / DB_FILE).is_file():
                with contextlib.suppress(sqlite3.OperationalError):  # schema not made yet
                    seen.append(_snapshot(out / DB_FILE))
            time.sleep(0.02)
        _, err = proc.communicate(timeout=CLI_TIMEOUT_S)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    counts = [n for n, _valid, _keys in seen]
    assert all(n == valid == keys for n, valid, keys in seen), seen  # whole rows, no repeats
    assert counts == sorted(counts), counts  # committed replications are never lost
    assert any(0 < n < TOTAL for n in counts), f"no read while the sweep ran: {counts}"
    assert _snapshot(out / DB_FILE)[0] == TOTAL == count_parts(out)
    with (out / "replications.csv").open(encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == TOTAL


def test_store_folder_is_a_handful_of_files(tmp_path: Path) -> None:
    out = tmp_path / "run"
    assert main(["run", str(BASELINE), "--reps", "8",
                 "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "manifest.json", "replications.csv", DB_FILE, "run.json", "slots.csv", "summary.csv"]
    with contextlib.closing(sqlite3.connect(out / DB_FILE)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        study = dict(db.execute("SELECT key, value FROM study").fetchall())
        assert db.execute("SELECT count(*) FROM replications").fetchone() == (8,)
    saved = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert study == {"fingerprint": saved["fingerprint"], "format": part_db.FORMAT}


def test_store_parquet_refused_in_one_line_without_pyarrow(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(parquet, "parquet_available", lambda: False)
    for command in (["run", str(BASELINE), "--reps", "2"],
                    ["sweep", str(BASELINE), "--factor", "staff=3,4", "--reps", "2"]):
        out = tmp_path / command[0]
        assert main([*command, "--parquet", "--out", str(out)]) == 2
        err = capsys.readouterr().err.strip()
        assert err == ("error: --parquet needs pyarrow, which is not installed: pip install "
                       "'countersim[parquet]' (or leave --parquet out: the CSV tables are "
                       "written either way)")
        assert not out.exists()


def test_store_parquet_holds_the_csv_values_exactly(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    import pandas as pd

    for command in (["run", str(BASELINE), "--reps", "3"],
                    ["sweep", str(BASELINE), "--factor", "staff=3,4", "--reps", "2",
                     "--no-figures"]):
        out = tmp_path / command[0]
        assert main([*command, "--parquet", "--out", str(out)]) == 0
        frame = pd.read_parquet(out / parquet.REPLICATIONS)
        with (out / "replications.csv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        assert list(frame.columns) == rows[0]
        assert len(frame) == len(rows) - 1
        for i, row in enumerate(rows[1:]):
            for name, text in zip(rows[0], row, strict=True):
                value = frame[name].iloc[i]
                shown = str(value) if isinstance(value, str) else repr(value.item())
                assert shown == text or (text == "nan" and value != value), (name, text)
        assert main([*command, "--out", str(out), "--resume"]) == 0  # without --parquet
        assert not (out / parquet.REPLICATIONS).exists()  # no stale copy left behind
