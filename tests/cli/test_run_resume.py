"""``countersim run`` saves each replication as it finishes and resumes like ``sweep``: a run
killed outright (SIGKILL) and resumed ends with exactly the files of an uninterrupted run;
``--resume`` checks it is the same run; a failed write names its path and leaves no half set
of tables; the output is tidy (the ``wrote`` line, whole-number counts in ``days.csv``, a
reproduce command without ``--resume``, ``--cluster ""`` and a bare ``python -m sim``
refused with one line)."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sim.cli.main import main
from sim.results import store
from sim.study import part_db
from sim.study.parts import DB_FILE, count_parts
from tests.helpers import BASELINE, CLI_TIMEOUT_S, CliRunner, cli_env, sim_command

# two days of the baseline with contact records: every table a run can write
RUN = [str(BASELINE), "--reps", "12", "--set", "run.days=2", "--records"]
TABLES = ("replications.csv", "summary.csv", "slots.csv", "days.csv", "contacts.csv")
OUTPUTS = (*TABLES, "manifest.json")
PROGRESS = re.compile(r"^\d+/\d+ replications, ")


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run start to finish, uninterrupted."""
    out = tmp_path_factory.mktemp("clean") / "run"
    assert main(["run", *RUN, "--jobs", "2", "--out", str(out)]) == 0
    return out


def _same_tables(a: Path, b: Path) -> None:
    for name in TABLES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def _messages(err: str) -> list[str]:
    """The lines of stderr but the progress lines (``12/12 replications, ...``) and the
    preflight's ``warning:`` lines (the baseline's 10:00-11:00 is overloaded)."""
    return [line for line in err.strip().splitlines()
            if not PROGRESS.match(line) and not line.startswith("warning: ")]


def _parts(out: Path) -> int:
    return count_parts(out)  # a query of results.db, safe while the run writes


def test_killed_run_resumes_to_the_clean_result(clean_run: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    proc = subprocess.Popen(sim_command("run", *RUN, "--jobs", "2", "--out", str(out)),
                            cwd=tmp_path, env=cli_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + CLI_TIMEOUT_S
        while _parts(out) < 3 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proc.poll() is None, "the run finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)  # the run itself; its workers die with it
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    saved = _parts(out)
    assert 3 <= saved < 12
    assert not (out / "manifest.json").exists()

    assert main(["run", *RUN, "--jobs", "2", "--out", str(out), "--resume"]) == 0
    assert _parts(out) == 12
    _same_tables(clean_run, out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"] is True and manifest["replications_done"] == list(range(12))
    assert "--resume" not in manifest["command"]
    assert not list(out.rglob("*.tmp")), "a temporary file was left behind"


def _rowids(out: Path) -> dict[int, int]:
    with contextlib.closing(sqlite3.connect(out / DB_FILE)) as db:
        return dict(db.execute("SELECT replication, rowid FROM replications").fetchall())


def test_resume_runs_only_what_is_missing(clean_run: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    assert main(["run", *RUN, "--out", str(out)]) == 0
    with contextlib.closing(sqlite3.connect(out / DB_FILE)) as db, db:
        db.execute("DELETE FROM replications WHERE replication < 4")  # lost
        db.execute("UPDATE replications SET contacts = NULL WHERE replication = 9")  # redone
        db.execute("""UPDATE replications SET result = '{"scenario": 0, "replic'
                      WHERE replication = 5""")  # torn by hand: redone
    before = _rowids(out)
    assert main(["run", *RUN, "--out", str(out), "--resume"]) == 0
    after = _rowids(out)  # a row saved again gets a new rowid; the others keep theirs
    assert {r for r in after if after[r] != before.get(r)} == {0, 1, 2, 3, 5, 9}
    _same_tables(clean_run, out)


def test_more_replications_extend_a_finished_run(clean_run: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    fewer = [str(BASELINE), "--reps", "5", *RUN[3:]]
    assert main(["run", *fewer, "--out", str(out)]) == 0
    assert main(["run", *RUN, "--out", str(out), "--resume"]) == 0
    _same_tables(clean_run, out)


def test_resume_refuses_another_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "run"
    assert main(["run", str(BASELINE), "--reps", "2", "--out", str(out)]) == 0
    before = sorted(p.name for p in out.iterdir())
    capsys.readouterr()
    for changed in (["--seed", "7"], ["--set", "staff.schedule=[]", "--set", "staff.both=3"]):
        assert main(["run", str(BASELINE), "--reps", "2", *changed, "--out", str(out),
                     "--resume"]) == 2
        err = capsys.readouterr().err
        assert "holds a different run" in err and len(err.strip().splitlines()) == 1
    assert main(["run", str(BASELINE), "--reps", "2", "--out", str(out)]) == 2  # no --resume
    assert "add --resume" in capsys.readouterr().err
    assert main(["run", str(BASELINE), "--out", str(tmp_path / "none"), "--resume"]) == 2
    assert "no run.json there" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == before
    sweep = tmp_path / "sweep"
    assert main(["sweep", str(BASELINE), "--reps", "1", "--no-figures", "--out", str(sweep)]) == 0
    capsys.readouterr()
    assert main(["run", str(BASELINE), "--out", str(sweep), "--resume"]) == 2
    assert "it holds a sweep" in capsys.readouterr().err


def test_resume_without_out_continues_latest(work_dir: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(BASELINE), "--reps", "2", "--resume"]) == 2  # nothing yet
    assert "latest does not exist" in capsys.readouterr().err
    assert main(["run", str(BASELINE), "--reps", "2"]) == 0
    latest = work_dir / "results" / "baseline" / "latest"
    assert latest.is_symlink() and _parts(latest) == 2
    assert main(["run", str(BASELINE), "--reps", "3", "--resume"]) == 0
    assert _parts(latest) == 3
    assert len(list((work_dir / "results" / "baseline").iterdir())) == 2  # the run and latest
    manifest = json.loads((latest / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["command"] == f"countersim run {BASELINE} --reps 3"
    assert manifest["resumed"] is True


def test_wrote_line_lists_every_file(clean_run: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "run"
    assert main(["run", *RUN, "--out", str(out)]) == 0
    wrote = capsys.readouterr().out.strip().splitlines()[-1]
    assert wrote.startswith(f"wrote {out}/ (")
    listed = wrote.split("(", 1)[1].split(";")[0].split(", ")
    assert sorted(listed) == sorted(OUTPUTS)
    assert {p.name for p in out.iterdir()} == {*OUTPUTS, "run.json", DB_FILE}


def test_days_counts_are_whole_numbers(clean_run: Path, tmp_path: Path) -> None:
    sweep = tmp_path / "sweep"
    assert main(["sweep", str(BASELINE), "--reps", "1", "--set", "run.days=2", "--no-figures",
                 "--out", str(sweep)]) == 0
    for table, skip in ((clean_run / "days.csv", 0), (sweep / "days.csv", 1)):
        header, *rows = table.read_text(encoding="utf-8").splitlines()
        columns = header.split(",")
        assert rows
        for row in rows:
            cells = dict(zip(columns[skip:], row.split(",")[skip:], strict=True))
            for name in ("day", "active_start", "active_end", "new_patrons", "churned",
                         "contacts", "walkouts", "delighted"):
                assert cells[name].isdigit(), (table, name, cells[name])
            assert "." in cells["expected_churn_today"]


def test_sweep_report_reproduces_without_resume(tmp_path: Path, cli: CliRunner) -> None:
    args = ["sweep", str(BASELINE), "--factor", "staff=3,4", "--reps", "2", "--no-figures",
            "--out", "sweep"]
    assert cli(*args).returncode == 0
    assert cli(*args, "--reps", "3", "--resu").returncode == 0  # an abbreviation, too
    manifest = json.loads((tmp_path / "sweep" / "manifest.json").read_text(encoding="utf-8"))
    command = f"countersim sweep {BASELINE} --factor staff=3,4 --reps 2 --no-figures --out sweep"
    assert manifest["command"] == command + " --reps 3"
    report = (tmp_path / "sweep" / "report.md").read_text(encoding="utf-8")
    assert f"**Reproduce:** `{command} --reps 3`" in report


# ---------------------------------------------------------------------------- failed writes


@pytest.fixture
def disk_full_at(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Writing a file whose name is in the yielded list fails as a full disk does: with
    ENOSPC, and no file name, when its data is flushed to disk."""
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to see which file is being written")
    names: list[str] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        written = Path(os.readlink(f"/proc/self/fd/{fd}")).name  # .NAME.XXXX.tmp
        if any(written.startswith(f".{name}.") for name in names):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)  # the os module store.py writes with
    yield names


def test_disk_full_names_the_file_and_leaves_no_half_set(
        clean_run: Path, tmp_path: Path, disk_full_at: list[str],
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "run"
    disk_full_at.append("slots.csv")  # after replications.csv and summary.csv
    assert main(["run", *RUN, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert len(_messages(err)) == 1 and "Traceback" not in err
    assert f"cannot write {out / 'slots.csv'}: No space left on device" in err
    assert f"--resume --out {out}" in err
    assert not [name for name in OUTPUTS if (out / name).exists()]  # no half set of tables
    assert _parts(out) == 12  # the replications are kept
    disk_full_at.clear()
    assert main(["run", *RUN, "--out", str(out), "--resume"]) == 0
    _same_tables(clean_run, out)


def test_disk_full_while_saving_a_replication(clean_run: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """The fifth save finds the database full (SQLite's own SQLITE_FULL: the file may not
    grow by a page): the four saved before are kept, and the error names the database."""
    real = part_db.Writer.save
    saves = []

    def save(self: part_db.Writer, rows: Any) -> None:
        saves.append(1)
        if len(saves) == 5 and self._conn is not None:
            pages = self._conn.execute("PRAGMA page_count").fetchone()[0]
            self._conn.execute(f"PRAGMA max_page_count = {pages}")
        real(self, rows)

    monkeypatch.setattr(part_db.Writer, "save", save)
    out = tmp_path / "run"
    assert main(["run", *RUN, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert len(_messages(err)) == 1
    assert f"cannot write {out / DB_FILE}: No space left on device; 4 finished" in err
    assert not (out / "manifest.json").exists() and _parts(out) == 4
    monkeypatch.setattr(part_db.Writer, "save", real)
    assert main(["run", *RUN, "--out", str(out), "--resume"]) == 0
    _same_tables(clean_run, out)


def test_real_write_errors_name_the_path(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "table.csv"
    (tmp_path / "sub").write_text("a file where a folder should be", encoding="utf-8")
    with pytest.raises(store.WriteError) as caught:
        store.write_atomic(target, "x")
    assert caught.value.filename == str(tmp_path / "sub")
    with pytest.raises(store.WriteError) as caught:
        store.ensure_writable(tmp_path / "sub" / "out")
    assert caught.value.filename == str(tmp_path / "sub" / "out")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_read_only_folder_is_refused_before_simulating(tmp_path: Path, cli: CliRunner) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        proc = cli("run", str(BASELINE), "--reps", "2", "--out", str(locked / "out"))
    finally:
        locked.chmod(0o755)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"error: cannot write {locked / 'out'}: Permission denied; "
                                   "choose a folder you may write to (--out DIR)")
    assert not any(locked.iterdir())


def test_permission_error_names_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr("sim.results.store.tempfile.mkstemp", refuse)
    out = tmp_path / "out"
    assert main(["run", str(BASELINE), "--reps", "2", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"error: cannot write {out / 'run.json'}: Permission denied; choose a "
                   "folder you may write to (--out DIR)")


# ---------------------------------------------------------------------------- refusals


def test_empty_cluster_is_refused(cli: CliRunner, tmp_path: Path) -> None:
    proc = cli("run", str(BASELINE), "--reps", "2", "--cluster", "", "--out", "out")
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: --cluster '': empty;")
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists() and not (tmp_path / "results").exists()


def test_bare_python_m_sim_prints_usage(cli: CliRunner) -> None:
    proc = cli()
    assert proc.returncode == 2
    assert proc.stderr.startswith("usage: countersim ")
    assert "a command is required" in proc.stderr and "Traceback" not in proc.stderr
