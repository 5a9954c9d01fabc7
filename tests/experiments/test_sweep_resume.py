"""A sweep killed partway by a real signal and resumed ends with exactly the tables of a
clean run: no lost, duplicated or torn rows."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from sim.cli.main import main
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
    folder = out / "parts"
    return len(list(folder.glob("s*-r*.json"))) if folder.is_dir() else 0


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
    parts = sorted((out / "parts").glob("*.json"))
    for path in parts[:5]:
        path.unlink()  # lost
    parts[5].write_text('{"scenario": 0, "replic', encoding="utf-8")  # torn by hand
    untouched = parts[-1].stat().st_mtime_ns
    assert main(["sweep", *SWEEP, "--out", str(out), "--resume"]) == 0
    assert parts[-1].stat().st_mtime_ns == untouched  # finished work is not redone
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
