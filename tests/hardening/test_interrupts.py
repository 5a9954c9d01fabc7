"""Interrupts: Ctrl-C (SIGINT to the whole process group, as a terminal sends it) and
SIGTERM at random moments of ``countersim run --jobs 2`` and ``sweep --jobs 2``, and a
``run`` killed outright (SIGKILL) then resumed.

Each interrupted command must end within 5 s of the signal with exit 130 (or 0 if it had
already finished), print one clean line (no traceback, no worker ``KeyboardInterrupt``;
progress lines aside) and leave either nothing or a folder that can be read or resumed
(with its manifest, or a sweep's ``sweep.json``) — never an empty folder or tables without
a manifest. A run killed with SIGKILL must resume to exactly the results of an
uninterrupted run.

The moments are drawn from a fixed seed between 0.3 s (the interpreter is running Python
code by then; before that no program can catch a signal) and 3 s (the run simulates from
about 1.3 s and writes its results from about 2.6 s); ``HARDEN_SIGINT_MOMENTS`` sets how
many (default 5; the issue's acceptance test is 30).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.hardening.configs import pooled_text
from tests.hardening.harness import (
    Sandbox,
    cli_target,
    error_lines,
    make_sandbox,
    run_forked,
)
from tests.helpers import cli_env, sim_command

MOMENTS = int(os.environ.get("HARDEN_SIGINT_MOMENTS", "5"))
EXIT_WITHIN_S = 5.0
# about 1.3 s to start, 1.3 s to simulate (400 one-hour days on 2 workers), then the writing
RUN = ("run", "c.toml", "--reps", "400", "--jobs", "2", "--out", "out")
SWEEP = ("sweep", "c.toml", "--reps", "200", "--jobs", "2", "--factor", "staff=1,2",
         "--no-figures", "--out", "out")


def _moments() -> list[float]:
    rng = random.Random(12)
    return sorted(round(rng.uniform(0.3, 3.0), 2) for _ in range(MOMENTS))


def _start(sandbox: Sandbox, args: tuple[str, ...]) -> subprocess.Popen[str]:
    return subprocess.Popen(sim_command(*args), cwd=sandbox.work,
                            env=cli_env({"MPLBACKEND": "Agg"}), text=True,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)


def _interrupt(tmp_path: Path, args: tuple[str, ...], at_s: float,
               signum: int) -> list[str]:
    """Start ``countersim ARGS``, send ``signum`` to its process group after ``at_s``
    seconds; every problem found."""
    sandbox = make_sandbox(tmp_path)
    (sandbox.work / "c.toml").write_text(pooled_text(), encoding="utf-8")
    proc = _start(sandbox, args)
    time.sleep(at_s)
    sent = time.monotonic()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signum)
    problems = []
    try:
        _, err = proc.communicate(timeout=EXIT_WITHIN_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
        return [f"hang: still running {EXIT_WITHIN_S:g} s after {signal.Signals(signum).name} "
                f"at {at_s} s; stderr: {err.strip().splitlines()[-2:]}"]
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    took = time.monotonic() - sent
    if proc.returncode not in (0, 130):
        problems.append(f"exit code: {proc.returncode} after {signal.Signals(signum).name} "
                        f"(expected 130, or 0 if finished)")
    if "Traceback" in err or "KeyboardInterrupt" in err:
        count = err.count("Traceback")
        problems.append(f"traceback: {count} traceback(s) / KeyboardInterrupt on stderr")
    _, other = error_lines(err)
    if proc.returncode == 130 and len(other) != 1:
        problems.append(f"multi-line error: {len(other)} lines on interrupt: {other[:4]}")
    out = sandbox.work / "out"
    if out.exists():
        names = sorted(p.name for p in out.iterdir())
        if not names:
            problems.append("leftover: an empty results folder")
        elif "manifest.json" not in names and "sweep.json" not in names:
            problems.append(f"leftover: a results folder without manifest.json: {names}")
        if any(n.endswith(".tmp") for n in names):
            problems.append(f"leftover: temporary files {names}")
    if problems:
        problems.append(f"(signal at {at_s} s, exit {proc.returncode} after {took:.1f} s)")
    return problems


@pytest.mark.parametrize("at_s", _moments())
def test_sigint_to_the_group_during_run_jobs_2(tmp_path: Path, at_s: float) -> None:
    problems = _interrupt(tmp_path, RUN, at_s, signal.SIGINT)
    assert not problems, "[interrupts] " + "; ".join(problems)


def test_sigterm_during_run_jobs_2(tmp_path: Path) -> None:
    problems = _interrupt(tmp_path, RUN, 1.9, signal.SIGTERM)
    assert not problems, "[interrupts] " + "; ".join(problems)


def test_sigint_during_sweep_jobs_2(tmp_path: Path) -> None:
    problems = _interrupt(tmp_path, SWEEP, 2.0, signal.SIGINT)
    assert not problems, "[interrupts] " + "; ".join(problems)


def test_run_killed_outright_resumes_to_the_same_results(tmp_path: Path) -> None:
    args = RUN  # the kill at 1.9 s lands while the replications run
    reference = make_sandbox(tmp_path / "ref")
    (reference.work / "c.toml").write_text(pooled_text(), encoding="utf-8")
    ref = run_forked(reference, cli_target(args), ["countersim", *args], timeout=60)
    assert ref.code == 0, ref.stderr

    sandbox = make_sandbox(tmp_path / "killed")
    (sandbox.work / "c.toml").write_text(pooled_text(), encoding="utf-8")
    proc = _start(sandbox, args)
    time.sleep(1.9)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    out = sandbox.work / "out"
    left = (f"a folder holding {sorted(p.name for p in out.iterdir()) or 'nothing'}"
            if out.exists() else "no folder")

    resume = (*args, "--resume")
    again = run_forked(sandbox, cli_target(resume), ["countersim", *resume], timeout=60)
    assert again.code == 0, (f"[interrupts] cannot resume a run killed with SIGKILL (it "
                             f"left {left}): exit {again.code}: "
                             f"{again.stderr.strip()[-200:]}")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest.get("complete") is True, "[interrupts] resumed run not marked complete"
    assert (out / "replications.csv").read_bytes() == (
        reference.work / "out" / "replications.csv").read_bytes(), (
        "[interrupts] the resumed run's replications differ from an uninterrupted run's")
