"""``countersim fit`` and ``validate`` where a command line alone is not enough.

The other cases are in ``cases_calibration.py``. Here:

* an ``--out`` inside a read-only folder: the command runs as an unprivileged user when the
  tests run as root (root may write anywhere), and must stop with one ``error:`` line
  naming the folder, leaving nothing;
* the default output folder with ``HOME``, ``XDG_CACHE_HOME`` and ``TMPDIR`` inside the
  sandbox: nothing may be written anywhere but ``results/`` (no cache in the home folder,
  no temporary file left);
* Ctrl-C (SIGINT to the process group) while ``validate`` reads the log or simulates: exit
  130 with one line and no traceback, nothing half-written (no folder, or a simulation
  folder ``--resume`` continues, without any comparison file), and the line's advice to
  resume must work.

Each judged like the cases of :mod:`harness` (:func:`harness.judge`) or, for interrupts,
like ``test_signals_anywhere.py``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from sim.study.parts import count_parts
from tests.hardening.cases_calibration import (
    CATEGORY,
    DATA,
    SYNTHETIC,
    default_folder,
    fitted_folder,
    wrote,
)
from tests.hardening.harness import (
    OK,
    REFUSE,
    Case,
    Outcome,
    Sandbox,
    error_lines,
    finish_forked,
    judge,
    make_sandbox,
    prepare,
    run_forked,
    start_forked,
)

NOBODY = 65534
EXIT_WITHIN_S = 5.0
TIMEOUT_S = 60.0


def _sandbox(tmp_path: Path) -> Sandbox:
    """A sandbox holding the synthetic log (``log.csv``) and its fitted scenario
    (``s.toml``)."""
    sandbox = make_sandbox(tmp_path)
    (sandbox.work / "log.csv").write_bytes((DATA / SYNTHETIC).read_bytes())
    (sandbox.work / "s.toml").write_bytes((fitted_folder() / "scenario.toml").read_bytes())
    return sandbox


def _unprivileged(args: Sequence[str]) -> Callable[[], object]:
    """``countersim ARGS`` as the user ``nobody`` when this process is root (permissions
    do not bind root), else as this user."""

    def target() -> object:
        if os.geteuid() == 0:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
        from sim.cli.main import main

        return main(list(args))

    return target


def _problems(case: Case, sandbox: Sandbox, target: Callable[[], object],
              env: dict[str, str] | None = None) -> list[str]:
    out = run_forked(sandbox, target, ["countersim", *case.args], case.timeout, env)
    problems = judge(case, out, sandbox)
    return [f"[{CATEGORY}] {case.id}: " + "; ".join(problems)
            + f" (exit {out.code}; stderr {out.stderr.strip().splitlines()[-2:]})"] \
        if problems else []


READ_ONLY = [
    ("fit", ("fit", "log.csv", "--out", "ro/out")),
    ("validate", ("validate", "log.csv", "--scenario", "s.toml", "--reps", "2", "--out",
                  "ro/out")),
    ("fit_default_folder_in_read_only_work", ("fit", "log.csv")),
]


@pytest.mark.parametrize("name, args", READ_ONLY, ids=[n for n, _ in READ_ONLY])
def test_out_inside_a_read_only_folder(tmp_path: Path, name: str,
                                       args: tuple[str, ...]) -> None:
    sandbox = _sandbox(tmp_path)
    ro = sandbox.work / "ro"
    ro.mkdir()
    for path in (sandbox.work / "log.csv", sandbox.work / "s.toml"):
        path.chmod(0o644)
    read_only = sandbox.work if "--out" not in args else ro
    for folder in {sandbox.work, ro}:
        folder.chmod(0o755 if folder != read_only else 0o555)
    case = Case(f"{name}_out_in_read_only_folder", CATEGORY, args, expect=REFUSE,
                mention=("ro" if "--out" in args else "results",), timeout=TIMEOUT_S)
    try:
        problems = _problems(case, sandbox, _unprivileged(args))
    finally:
        read_only.chmod(0o755)
    assert not problems, problems[0]


def test_fit_default_folder_writes_nowhere_else(tmp_path: Path) -> None:
    """``HOME``, ``XDG_CACHE_HOME`` and ``TMPDIR`` in the sandbox: a cache or a temporary
    file left there is a write outside ``results/``."""
    sandbox = _sandbox(tmp_path)
    home = sandbox.root / "home"
    temp = sandbox.root / "tmp"
    for folder in (home, temp):
        folder.mkdir()
    args = ("fit", "log.csv")
    case = Case("fit_default_folder_clean_home", CATEGORY, args, expect=OK,
                checks=(default_folder("fit-log"), wrote("scenario.toml")), timeout=TIMEOUT_S)

    def target() -> object:
        tempfile.tempdir = None  # this process cached its own: use TMPDIR
        from sim.cli.main import main

        return main(list(args))

    env = {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "TMPDIR": str(temp)}
    prepare(case, sandbox)
    out = run_forked(sandbox, target, ["countersim", *args], case.timeout, env)
    problems = judge(case, out, sandbox)
    assert not problems, f"[{CATEGORY}] {case.id}: " + "; ".join(problems)


# ---------------------------------------------------------------------------- interrupts

VALIDATE = ("validate", "log.csv", "--scenario", "s.toml", "--reps", "120", "--jobs", "2",
            "--out", "out")
MOMENTS = [0.05, 0.3, 1.0, 2.0, 4.0]  # reading the log and the scenario; simulating; writing


COMPLETE = ["figures", "simulation", "validation.md", "validation_day.csv",
            "validation_slots.csv"]


def _judge_interrupt(sandbox: Sandbox, code: int | None, err: str, at_s: float) -> list[str]:
    """Every problem of an interrupted command but what it left in ``out/``: its exit, its
    one line, temporary files."""
    if code is None:
        return [f"hang: still running {EXIT_WITHIN_S:g} s after SIGINT at {at_s} s"]
    problems = []
    if code not in (0, 130, -signal.SIGINT):
        problems.append(f"exit code: {code} after SIGINT (expected 130, or 0 if finished)")
    if "Traceback" in err or "KeyboardInterrupt" in err:
        problems.append("traceback: on stderr after SIGINT")
    _, other = error_lines(err)
    if code == 130 and len(other) != 1:
        problems.append(f"multi-line error: {len(other)} lines on interrupt: {other[:4]}")
    temporaries = [str(p) for p in sandbox.root.rglob("*.tmp")]
    if temporaries:
        problems.append(f"leftover: temporary files {temporaries[:3]}")
    return problems


def _validate_leftovers(sandbox: Sandbox, code: int | None) -> list[str]:
    """An interrupted ``validate`` leaves nothing, a simulation to resume (and no
    comparison file), or, stopped as it printed, everything."""
    out = sandbox.work / "out"
    if code == 0 or not out.exists():
        return []
    names = sorted(p.name for p in out.iterdir())
    simulation = out / "simulation"
    if names != ["simulation"] and names != COMPLETE:
        return [f"leftover: an interrupted validate left {names} (expected nothing, "
                "simulation/ to resume, or everything)"]
    if not (simulation / "run.json").is_file() or not count_parts(simulation):
        return [f"leftover: simulation/ holds {sorted(os.listdir(simulation))}: nothing to "
                "resume"]
    return []


def _resume(sandbox: Sandbox, err: str) -> list[str]:
    """Follow the interrupt line's advice: ``validate`` with ``--resume --out DIR`` (the
    folder it names) must finish the comparison."""
    line = error_lines(err)[1][-1] if error_lines(err)[1] else ""
    if "--resume" not in line:
        return [f"message: the interrupt line does not say how to resume: {line[:200]}"]
    folder = line.rsplit("--out", 1)[-1].strip().strip("'\"`.")
    args = (*VALIDATE[:-2], "--out", folder, "--resume")
    out = run_forked(sandbox, _as_is(args), ["countersim", *args], TIMEOUT_S)
    if out.code != 0:
        return [f"resume: following the advice ({' '.join(args[-3:])}) fails: exit {out.code}: "
                f"{out.stderr.strip()[-200:]}"]
    missing = [n for n in ("validation.md", "validation_day.csv")
               if not (sandbox.work / folder / n).is_file()]
    return [f"resume: finished without {missing}"] if missing else []


def _as_is(args: Sequence[str]) -> Callable[[], object]:
    """``countersim ARGS`` as this user."""

    def target() -> object:
        from sim.cli.main import main

        return main(list(args))

    return target


def _interrupted(sandbox: Sandbox, args: tuple[str, ...], at_s: float,
                 ) -> tuple[Outcome, int | None]:
    """Run ``countersim ARGS`` in ``sandbox``, send its process group SIGINT after ``at_s``
    seconds; what it printed and its exit code (None: it hung; negative: killed by that
    signal)."""
    run = start_forked(sandbox, _as_is(args), ["countersim", *args])
    time.sleep(at_s)
    sent = time.monotonic()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(run.pid, signal.SIGINT)
    out = finish_forked(run, EXIT_WITHIN_S, since=sent)
    return out, None if out.hang else (-out.signal if out.signal else out.code)


@pytest.mark.parametrize("at_s", MOMENTS)
def test_sigint_during_validate(tmp_path: Path, at_s: float) -> None:
    sandbox = _sandbox(tmp_path)
    out, code = _interrupted(sandbox, VALIDATE, at_s)
    problems = (_judge_interrupt(sandbox, code, out.stderr, at_s)
                + _validate_leftovers(sandbox, code))
    if not problems and code == 130 and (sandbox.work / "out").exists():
        problems += _resume(sandbox, out.stderr)
    assert not problems, f"[interrupts] validate, SIGINT at {at_s} s (exit {code}): " + \
        "; ".join(problems) + f"; stderr: {out.stderr.strip().splitlines()[-2:]}"


FIT = ("fit", "log.csv", "--out", "out")


@pytest.mark.parametrize("at_s", [0.3, 1.5, 2.5])
def test_sigint_during_fit(tmp_path: Path, at_s: float) -> None:
    """Ctrl-C while ``fit`` estimates or writes: one line, exit 130, and no folder (the
    files are written all or none), or the whole folder if it had finished."""
    sandbox = _sandbox(tmp_path)
    out, code = _interrupted(sandbox, FIT, at_s)
    problems = _judge_interrupt(sandbox, code, out.stderr, at_s)
    folder = sandbox.work / "out"
    if folder.exists() and not (folder / "report.md").is_file():
        problems.append(f"leftover: an interrupted fit left {sorted(os.listdir(folder))} "
                        "without report.md")
    assert not problems, f"[interrupts] fit, SIGINT at {at_s} s (exit {code}): " + \
        "; ".join(problems) + f"; stderr: {out.stderr.strip().splitlines()[-2:]}"
