"""A sweep killed partway by a real signal and resumed ends with exactly the tables of a
clean run: no lost, duplicated or torn rows."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from sim.cli.main import main
from sim.study.parts import DB_FILE, count_parts
from tests.helpers import BASELINE, cli_env, sim_command

# 4 scenarios × 24 replications of two days: a few seconds, long enough to kill partway
SWEEP = [str(BASELINE), "--factor", "staff=3,4", "--factor",
         "acknowledgment.policy=finish_first,greet_first", "--reps", "24",
         "--set", "run.days=2", "--no-figures"]
TOTAL = 4 * 24
TABLES = ("replications.csv", "summary.csv", "comparisons.csv", "days.csv", "ack_times.csv",
          "scenarios.csv", "timeline_staff.csv", "timeline_contacts.csv", "slots.csv")


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same sweep run start to finish without interruption."""
    out = tmp_path_factory.mktemp("clean") / "run"
    assert main(["sweep", *SWEEP, "--jobs", "2", "--out", str(out)]) == 0
    return out


def _parts(out: Path) -> int:
    return count_parts(out)  # a query of results.db, safe while the sweep writes


def _start_and_kill(out: Path, jobs: int, sig: signal.Signals, after: int) -> int:
    """Start the sweep in its own process; send ``sig`` once ``after`` parts are on disk."""
    proc = subprocess.Popen(sim_command("sweep", *SWEEP, "--jobs", str(jobs), "--out", str(out)),
                            cwd=out.parent, env=cli_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while _parts(out) < after and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert proc.poll() is None, "the sweep finished before it could be interrupted"
    proc.send_signal(sig)
    try:
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    return proc.returncode


def _same_tables(a: Path, b: Path) -> None:
    for name in TABLES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.mark.parametrize(("sig", "jobs"), [(signal.SIGKILL, 1), (signal.SIGTERM, 2),
                                           (signal.SIGINT, 2)])
def test_killed_sweep_resumes_to_the_clean_result(clean_run: Path, tmp_path: Path,
                                                  sig: signal.Signals, jobs: int) -> None:
    out = tmp_path / "run"
    code = _start_and_kill(out, jobs, sig, after=8)
    saved = _parts(out)
    assert 8 <= saved < TOTAL
    if sig == signal.SIGKILL:
        assert code == -signal.SIGKILL
    else:  # a polite signal saves what finished and says how to continue
        assert code == 130
        manifest = (out / "manifest.json").read_text(encoding="utf-8")
        assert '"complete": false' in manifest
    assert main(["sweep", *SWEEP, "--jobs", "2", "--out", str(out), "--resume"]) == 0
    assert _parts(out) == TOTAL
    _same_tables(clean_run, out)
    assert not list(out.rglob("*.tmp")), "a temporary file was left behind"


def test_resume_redoes_only_missing_and_damaged_parts(clean_run: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    assert main(["sweep", *SWEEP, "--out", str(out)]) == 0
    with contextlib.closing(sqlite3.connect(out / DB_FILE)) as db, db:
        db.execute("DELETE FROM replications WHERE scenario = 0 AND replication < 5")  # lost
        db.execute("""UPDATE replications SET result = '{"scenario": 0, "replic'
                      WHERE scenario = 1 AND replication = 0""")  # torn by hand
        before = dict(db.execute("SELECT scenario * 100 + replication, rowid FROM replications"))
    assert main(["sweep", *SWEEP, "--out", str(out), "--resume"]) == 0
    with contextlib.closing(sqlite3.connect(out / DB_FILE)) as db:
        after = dict(db.execute("SELECT scenario * 100 + replication, rowid FROM replications"))
    # finished work is not redone: a row saved again has a new rowid, the others keep theirs
    assert {k for k in after if after[k] != before.get(k)} == {0, 1, 2, 3, 4, 100}
    _same_tables(clean_run, out)


def test_store_old_json_parts_are_moved_into_the_database(clean_run: Path,
                                                         tmp_path: Path) -> None:
    """A folder saved before the database (one JSON file per replication in parts/) resumes:
    its parts move into results.db and only the missing replications run."""
    out = tmp_path / "run"
    assert main(["sweep", *SWEEP, "--reps", "3", "--out", str(out)]) == 0
    fingerprint = json.loads((out / "sweep.json").read_text(encoding="utf-8"))["fingerprint"]
    (out / "parts").mkdir()
    with contextlib.closing(sqlite3.connect(out / DB_FILE)) as db:
        for s, r, result in db.execute("SELECT scenario, replication, result FROM replications"):
            legacy = {"sweep": fingerprint, **json.loads(result)}
            (out / "parts" / f"s{s:04d}-r{r:05d}.json").write_text(json.dumps(legacy))
    for name in (DB_FILE, "manifest.json", "report.md"):
        (out / name).unlink()
    assert _parts(out) == 4 * 3
    assert main(["sweep", *SWEEP, "--out", str(out), "--resume"]) == 0
    assert not (out / "parts").exists() and _parts(out) == TOTAL
    _same_tables(clean_run, out)


def test_resume_refuses_a_different_sweep(clean_run: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "run"
    assert main(["sweep", *SWEEP, "--reps", "2", "--out", str(out)]) == 0
    changed = [*SWEEP, "--seed", "7"]
    capsys.readouterr()
    assert main(["sweep", *changed, "--out", str(out), "--resume"]) == 2
    err = capsys.readouterr().err
    assert "holds a different sweep" in err and len(err.strip().splitlines()) == 1
    assert main(["sweep", *SWEEP, "--out", str(out)]) == 2  # not empty, no --resume
    assert main(["sweep", *SWEEP, "--out", str(tmp_path / "none"), "--resume"]) == 2


def test_more_replications_extend_a_finished_sweep(clean_run: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    fewer = [*SWEEP[:-5], "--reps", "10", *SWEEP[-3:]]
    assert main(["sweep", *fewer, "--out", str(out)]) == 0
    assert main(["sweep", *SWEEP, "--out", str(out), "--resume"]) == 0
    _same_tables(clean_run, out)
