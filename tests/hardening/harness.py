"""The adversarial command-line harness of issue 12: run one command line in a sandbox and
judge it against the generic contract.

The contract, for every case:

* the exit code is 0 or 2 (``countersim staff`` may also end 1, "targets not met"; 130 only
  in the interrupt tests);
* on exit 2, stderr is exactly one line starting with ``error:``; ``warning:`` lines may
  precede it (so may the progress lines a run prints while it simulates); never a
  ``Traceback``;
* a command that fails leaves nothing behind: no new, changed or removed file or folder
  anywhere in the sandbox;
* a command that succeeds writes only inside the chosen ``--out`` or ``results/`` (or the
  folders a case names, e.g. the run folder ``plot`` draws into), every results folder it
  leaves holds a ``manifest.json`` and no temporaries, and it prints no ``error:`` line;
* no hang: a case that has not ended after its timeout is killed and fails.

How a case runs. The command line runs *in this interpreter's code* but in a forked child
process (:func:`run_forked`): the child calls ``sim.cli.main.main(argv)`` (or runs an
experiment script with :mod:`runpy`) with its working folder in the sandbox and its
stdout/stderr going to files. Forking costs milliseconds (nothing is imported again) and
isolates what an adversarial input can do: a hang inside C code (killed after the timeout),
runaway memory (an address-space limit turns it into a ``MemoryError``, reported as a
traceback), a process bomb (``--jobs 1000``: the case is killed at its 17th fork), a
changed working folder or signal handler. An exception escaping ``main`` is printed as a
traceback and fails the case. Only what needs a real interpreter start (a bare
``python -m sim``, signals sent from outside) runs in a subprocess (:func:`run_subprocess`).

Sandbox layout (:func:`make_sandbox`): ``box/d1/d2/d3/work`` is the working folder, so a
scenario name that climbs out of ``results/`` (up to four ``..``) still lands in ``box``,
where it is seen; the captured output lives beside ``box`` in ``cap``.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import functools
import io
import json
import os
import re
import resource
import runpy
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.study.parts import count_parts
from tests.helpers import BASELINE, REPO, cli_env, sim_command

CASE_TIMEOUT_S = float(os.environ.get("HARDEN_TIMEOUT_S", "10"))
"""Seconds before a case counts as a hang (every successful case here takes well under 2 s)."""
MEMORY_LIMIT_BYTES = 4 * 2**30
"""Address-space limit of a case: runaway memory becomes a MemoryError, not a swapped host."""
FORK_LIMIT = 16
"""Processes a case may fork (worker pools); more is a process bomb and the case is killed."""
TRACEBACK_EXIT = 99
"""Exit code of the harness child when an exception escaped the command."""
CLUSTER_TIMEOUT_S = "2"
"""``COUNTERSIM_CLUSTER_TIMEOUT`` in every case: an unreachable cluster fails fast."""

_PROGRESS = (
    re.compile(r"^\d+/\d+ \S+, .* elapsed, ETA \S+$"),  # sim.execution.progress (no terminal)
    re.compile(r"^.+: \d+ scenarios × \d+ replications → .+$"),  # a sweep's first line
)

# ---------------------------------------------------------------------------- sandbox


@dataclass(frozen=True)
class Sandbox:
    """Where one case runs: ``work`` (its working folder) inside ``root`` (every write must
    stay inside it); ``cap`` (captured output) lies outside ``root``."""

    root: Path
    work: Path
    cap: Path

    def expand(self, text: str) -> str:
        """``text`` with ``{work}``, ``{root}`` and ``{repo}`` replaced by real paths."""
        return (text.replace("{work}", str(self.work)).replace("{root}", str(self.root))
                .replace("{repo}", str(REPO)))


def make_sandbox(base: Path) -> Sandbox:
    """A fresh sandbox under ``base``."""
    root = base / "box"
    work = root / "d1" / "d2" / "d3" / "work"
    work.mkdir(parents=True)
    cap = base / "cap"
    cap.mkdir()
    return Sandbox(root, work, cap)


Snapshot = dict[str, tuple[str, int, int]]


def snapshot(root: Path) -> Snapshot:
    """Every path under ``root``: kind (f, d, l, other), size and modification time."""
    found: Snapshot = {}
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in [*dirs, *files]:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            kind = ("l" if os.path.islink(path) else "d" if os.path.isdir(path)
                    else "f" if os.path.isfile(path) else "o")
            found[os.path.relpath(path, root)] = (kind, st.st_size if kind == "f" else 0,
                                                  st.st_mtime_ns if kind == "f" else 0)
    return found


def changes(before: Snapshot, after: Snapshot) -> list[str]:
    """Paths added, removed or changed between two snapshots (sorted)."""
    return sorted({p for p in after if before.get(p) != after[p]} | (before.keys() - after))


# ---------------------------------------------------------------------------- outcome


@dataclass
class Outcome:
    """What one command line did."""

    code: int | None  # None: killed by a signal or by the harness (hang)
    stdout: str
    stderr: str
    hang: bool = False
    signal: int | None = None
    forks: int = 0
    fork_bomb: bool = False
    escaped: bool = False  # an exception escaped the command (the harness printed it)
    wall_s: float = 0.0
    changed: list[str] = field(default_factory=list)  # sandbox paths added/changed/removed

    @property
    def traceback(self) -> bool:
        """True when a Python traceback reached the user (or escaped the command)."""
        return self.escaped or "Traceback (most recent call last)" in self.stderr + self.stdout

    def traceback_line(self) -> str:
        """The exception line of the (last) traceback."""
        text = self.stderr if "Traceback" in self.stderr else self.stdout
        lines = [line for line in text.splitlines() if line and not line.startswith(" ")]
        after = [line for line in lines if not line.startswith("Traceback")]
        return after[-1][:160] if after else "?"


# ---------------------------------------------------------------------------- forked runs

_forks = 0
_cap_dir: Path | None = None


def _before_fork() -> None:
    """In a case's child: count forks; past :data:`FORK_LIMIT`, kill the whole case."""
    global _forks
    _forks += 1
    if _forks > FORK_LIMIT and _cap_dir is not None:
        (_cap_dir / "fork_bomb").write_text(str(_forks), encoding="utf-8")
        os.killpg(os.getpgid(0), signal.SIGKILL)


def _child(target: Callable[[], object], argv: Sequence[str], sandbox: Sandbox,
           env: Mapping[str, str], fsize: int | None) -> None:
    """Run ``target`` in the forked child and ``os._exit`` with its exit code (never returns)."""
    global _cap_dir, _forks
    code = TRACEBACK_EXIT
    try:
        os.setpgid(0, 0)
        _cap_dir, _forks = sandbox.cap, 0
        os.register_at_fork(before=_before_fork)
        for fd, name in ((1, "stdout"), (2, "stderr")):
            out = os.open(sandbox.cap / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(out, fd)
            os.close(out)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8",
                                      errors="backslashreplace", line_buffering=True)
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8",
                                      errors="backslashreplace", line_buffering=True)
        sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")
        for signum in (signal.SIGTERM, signal.SIGALRM, signal.SIGXFSZ):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
        if fsize is not None:  # a "full disk": writes beyond fsize bytes fail with EFBIG
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        os.environ.update({"MPLBACKEND": "Agg", "MPLCONFIGDIR": str(sandbox.cap / "mpl"),
                           "COUNTERSIM_CLUSTER_TIMEOUT": CLUSTER_TIMEOUT_S, **env})
        os.chdir(sandbox.work)
        sys.argv = list(argv)
        try:
            result = target()
            code = result if isinstance(result, int) else 0
        except SystemExit as exc:
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:
                print(exc.code, file=sys.stderr)
                code = 1
        except BaseException:
            traceback.print_exc()
            with contextlib.suppress(OSError):
                (sandbox.cap / "escaped").write_text("1", encoding="utf-8")
            code = TRACEBACK_EXIT
    finally:
        with contextlib.suppress(BaseException):
            (sandbox.cap / "forks").write_text(str(_forks), encoding="utf-8")
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


@dataclass(frozen=True)
class Started:
    """A forked case still running: its process (group) id and the sandbox before it."""

    pid: int
    sandbox: Sandbox
    before: Snapshot
    started: float


def start_forked(sandbox: Sandbox, target: Callable[[], object], argv: Sequence[str],
                 env: Mapping[str, str] | None = None, fsize: int | None = None) -> Started:
    """Fork a child that runs ``target`` (e.g. ``lambda: main(args)``) in the sandbox with
    ``sys.argv = argv``, in its own process group; return at once."""
    before = snapshot(sandbox.root)
    for name in ("stdout", "stderr", "escaped", "fork_bomb", "forks"):
        (sandbox.cap / name).unlink(missing_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        _child(target, argv, sandbox, env or {}, fsize)
    with contextlib.suppress(OSError):
        os.setpgid(pid, pid)
    return Started(pid, sandbox, before, started)


def finish_forked(run: Started, timeout: float, since: float | None = None) -> Outcome:
    """Wait for a forked case (killing its group ``timeout`` s after ``since``, default its
    start: a hang) and record what it did."""
    pid, deadline = run.pid, (run.started if since is None else since) + timeout
    hang, status, delay = False, 0, 0.002
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            hang = True
            _kill_group(pid)
            _, status = os.waitpid(pid, 0)
            break
        time.sleep(delay)
        delay = min(delay * 1.5, 0.02)
    wall = time.monotonic() - run.started
    _kill_group(pid)  # stray workers of the case
    cap = run.sandbox.cap
    forks = _read(cap / "forks").strip()
    return Outcome(
        code=None if hang or os.WIFSIGNALED(status) else os.WEXITSTATUS(status),
        stdout=_read(cap / "stdout"), stderr=_read(cap / "stderr"),
        hang=hang, signal=os.WTERMSIG(status) if os.WIFSIGNALED(status) and not hang else None,
        forks=int(forks) if forks.isdigit() else 0, fork_bomb=(cap / "fork_bomb").exists(),
        escaped=(cap / "escaped").exists(), wall_s=wall,
        changed=changes(run.before, snapshot(run.sandbox.root)))


def run_forked(sandbox: Sandbox, target: Callable[[], object], argv: Sequence[str],
               timeout: float = CASE_TIMEOUT_S, env: Mapping[str, str] | None = None,
               fsize: int | None = None) -> Outcome:
    """Run ``target`` in a forked child (:func:`start_forked`) and wait for it; judge
    nothing, just record."""
    return finish_forked(start_forked(sandbox, target, argv, env, fsize), timeout)


def cli_target(args: Sequence[str]) -> Callable[[], object]:
    """``countersim ARGS`` in this interpreter: ``sim.cli.main.main(args)``."""

    def target() -> object:
        from sim.cli.main import main

        return main(list(args))

    return target


def script_target(script: Path) -> Callable[[], object]:
    """An experiment script run as ``python SCRIPT`` (``sys.argv`` set by the runner)."""
    return lambda: runpy.run_path(str(script), run_name="__main__")


def module_target() -> Callable[[], object]:
    """``python -m sim`` (``sys.argv`` set by the runner)."""
    return lambda: runpy.run_module("sim", run_name="__main__", alter_sys=True)


def run_subprocess(sandbox: Sandbox, command: Sequence[str], timeout: float = CASE_TIMEOUT_S,
                   env: Mapping[str, str] | None = None) -> Outcome:
    """Run a real process (its own process group) in the sandbox's working folder."""
    before = snapshot(sandbox.root)
    started = time.monotonic()
    full_env = cli_env({"MPLBACKEND": "Agg", "MPLCONFIGDIR": str(sandbox.cap / "mpl"),
                        "COUNTERSIM_CLUSTER_TIMEOUT": CLUSTER_TIMEOUT_S, **(env or {})})
    proc = subprocess.Popen(list(command), cwd=sandbox.work, env=full_env, text=True,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    hang = False
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        hang = True
        _kill_group(proc.pid)
        out, err = proc.communicate()
    _kill_group(proc.pid)
    code = proc.returncode
    return Outcome(code=None if hang or code < 0 else code, stdout=out, stderr=err, hang=hang,
                   signal=-code if code < 0 and not hang else None,
                   wall_s=time.monotonic() - started,
                   changed=changes(before, snapshot(sandbox.root)))


# ---------------------------------------------------------------------------- cases

REFUSE, OK, ANY, WARN = "refuse", "ok", "any", "warn"
"""What a case must do beyond the generic contract: be refused (exit 2), succeed (exit 0),
either, or either be refused or succeed with a ``warning:`` line (recorded in the
manifest)."""

Check = Callable[["Case", Outcome, Sandbox], list[str]]
Setup = Callable[[Sandbox], None]


@dataclass(frozen=True)
class Case:
    """One adversarial command line and what it must (and must not) do.

    ``args`` and the text ``files`` may hold ``{work}``, ``{root}`` and ``{repo}``.
    ``program``: ``cli`` (``countersim``), ``module`` (``python -m sim`` in the child),
    ``subprocess`` (``python -m sim`` as a real process), ``python`` (``python ARGS`` as a
    real process) or an experiment script's file name (run in the child).
    ``noop_of``: the same command without the input under test; the case must then be
    refused or its ``--out`` folder's ``outputs`` must differ from that run's.
    """

    id: str
    category: str
    args: tuple[str, ...]
    files: Mapping[str, str | bytes] = field(default_factory=dict)
    setup: Setup | None = None
    program: str = "cli"
    expect: str = ANY
    mention: tuple[str, ...] = ()  # the error line names each of these when refused
    avoid: tuple[str, ...] = ()  # stderr never contains these
    noop_of: tuple[str, ...] | None = None
    outputs: tuple[str, ...] = ("replications.csv",)
    checks: tuple[Check, ...] = ()
    ok_codes: tuple[int, ...] = (0,)
    allowed: tuple[str, ...] = ()  # extra folders (relative to work) a success may write in
    timeout: float = CASE_TIMEOUT_S
    env: Mapping[str, str] = field(default_factory=dict)
    fsize: int | None = None
    resumable: bool = False  # a failure may leave a resumable folder (with its manifest)
    note: str = ""


def prepare(case: Case, sandbox: Sandbox) -> None:
    """Write the case's files into the working folder and run its setup."""
    for rel, content in case.files.items():
        path = sandbox.work / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(sandbox.expand(content), encoding="utf-8")
    if case.setup is not None:
        case.setup(sandbox)


def execute(case: Case, sandbox: Sandbox, args: Sequence[str] | None = None) -> Outcome:
    """Run the case's command line (or ``args`` instead) in a prepared sandbox."""
    argv = [sandbox.expand(a) for a in (case.args if args is None else args)]
    if case.program == "cli":
        return run_forked(sandbox, cli_target(argv), ["countersim", *argv], case.timeout,
                          case.env, case.fsize)
    if case.program == "module":
        return run_forked(sandbox, module_target(), ["sim", *argv], case.timeout, case.env,
                          case.fsize)
    if case.program == "subprocess":
        return run_subprocess(sandbox, sim_command(*argv), case.timeout, case.env)
    if case.program == "python":
        return run_subprocess(sandbox, [sys.executable, *argv], case.timeout, case.env)
    script = REPO / "experiments" / case.program
    return run_forked(sandbox, script_target(script), [str(script), *argv], case.timeout,
                      case.env, case.fsize)


def _out_arg(args: Sequence[str]) -> str | None:
    """The last ``--out`` value (argparse keeps the last one)."""
    found = None
    for i, a in enumerate(args):
        if a == "--out" and i + 1 < len(args):
            found = args[i + 1]
        elif a.startswith("--out="):
            found = a.split("=", 1)[1]
    return found


def out_folder(case: Case, sandbox: Sandbox) -> Path | None:
    """The ``--out`` folder of the case (absolute), if it gives one."""
    given = _out_arg(case.args)
    if given is None:
        return None
    path = Path(sandbox.expand(given))
    return path if path.is_absolute() else sandbox.work / path


def _within(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def _writes_results(case: Case) -> bool:
    if "--help" in case.args or "-h" in case.args:
        return False
    return case.program not in ("cli", "module", "subprocess", "python") or (
        bool(case.args) and case.args[0] in ("run", "sweep", "staff"))


def result_folders(case: Case, sandbox: Sandbox, out: Outcome) -> list[Path]:
    """The results folders a successful case left: its ``--out``, else every new folder
    under ``results/`` that holds files (``results/<name>/<stamp>`` normally)."""
    given = out_folder(case, sandbox)
    if given is not None:
        return [given]
    results = sandbox.work / "results"
    found = set()
    for rel in out.changed:
        path = sandbox.root / rel
        if path.is_file() and not path.is_symlink() and _within(path, results) \
                and not any(p.is_symlink() for p in path.parents):
            found.add(path.parent)  # finished replications: <folder>/results.db
    return sorted(found)


def _find_key(data: object, word: str) -> bool:
    if isinstance(data, dict):
        return any((word in str(k).lower() and bool(v)) or _find_key(v, word)
                   for k, v in data.items())
    if isinstance(data, list):
        return any(_find_key(v, word) for v in data)
    return False


def manifest_of(folder: Path) -> dict[str, Any] | None:
    """The folder's manifest.json, or None when missing or not a JSON object."""
    try:
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def error_lines(stderr: str) -> tuple[list[str], list[str]]:
    """The lines of ``stderr``: (warning, usage and progress lines, every other line). A
    ``usage:`` line may precede the error of a command line that names no command."""
    tolerated, other = [], []
    for line in stderr.splitlines():
        if line.startswith(("warning:", "usage:")) or any(p.match(line) for p in _PROGRESS):
            tolerated.append(line)
        else:
            other.append(line)
    return tolerated, other


def judge(case: Case, out: Outcome, sandbox: Sandbox) -> list[str]:
    """Every way the outcome breaks the contract or the case's expectation: one line each,
    starting with its kind (``traceback:``, ``hang:``, ``leftover:``, ...)."""
    problems: list[str] = []
    if out.hang:
        problems.append(f"hang: still running after {case.timeout:g} s (killed)")
    if out.fork_bomb:
        problems.append(f"process bomb: forked more than {FORK_LIMIT} processes (killed)")
    elif out.signal is not None:
        problems.append(f"killed: signal {out.signal} ({signal.Signals(out.signal).name})")
    if out.traceback:
        problems.append(f"traceback: {out.traceback_line()}")
    code = out.code
    success = code in case.ok_codes
    if code is not None and not out.escaped and code not in (*case.ok_codes, 2):
        problems.append(f"exit code: {code} (allowed: {', '.join(map(str, case.ok_codes))} "
                        "or 2)")
    _, other = error_lines(out.stderr)
    if code == 2:
        if len(other) != 1 or not other[0].startswith("error:"):
            shown = " | ".join(other)[:200] or "(nothing)"
            problems.append(f"multi-line error: stderr is not one 'error:' line: {shown}")
        if out.changed and not (case.resumable and _resumable(case, sandbox)):
            problems.append(f"leftover: a failed command left {_show_paths(out.changed)}")
    elif success and not out.traceback:
        problems += _judge_success(case, out, sandbox, other)
    if code is not None and code != 2 and not success and out.changed:
        problems.append(f"leftover: a failed command left {_show_paths(out.changed)}")
    problems += _judge_expectation(case, out, sandbox, other)
    for check in case.checks:
        problems += check(case, out, sandbox)
    return problems


def _resumable(case: Case, sandbox: Sandbox) -> bool:
    """The case's ``--out`` folder can be resumed: it holds a manifest, a sweep's
    ``sweep.json`` or a run's ``run.json``, and at least one saved replication."""
    folder = out_folder(case, sandbox)
    return folder is not None and any((folder / n).is_file() for n in RESUMABLE) \
        and (folder / "manifest.json").is_file() | (count_parts(folder) > 0)


RESUMABLE = ("manifest.json", "sweep.json", "run.json")


def _show_paths(paths: Sequence[str]) -> str:
    shown = ", ".join(repr(p) for p in paths[:4])
    return shown + (f" (+{len(paths) - 4} more)" if len(paths) > 4 else "")


def _judge_success(case: Case, out: Outcome, sandbox: Sandbox, other: list[str]) -> list[str]:
    problems = []
    if out.code == 0 and any(line.startswith("error:") for line in other):
        problems.append("error line on exit 0: "
                        + next(line for line in other if line.startswith("error:"))[:160])
    roots = [sandbox.work / "results", *(sandbox.work / a for a in case.allowed)]
    given = out_folder(case, sandbox)
    if given is not None:
        roots.append(given)
    outside = [rel for rel in out.changed if not any(
        _within(sandbox.root / rel, r) for r in roots)]
    # the folders leading to an allowed root are allowed too (results/, the --out parents)
    outside = [rel for rel in outside if not any(
        _within(r, sandbox.root / rel) for r in roots)]
    if outside:
        problems.append(f"outside write: wrote outside --out/results/: {_show_paths(outside)}")
    empty = [rel for rel in out.changed if (sandbox.root / rel).is_dir()
             and not (sandbox.root / rel).is_symlink() and not any((sandbox.root / rel).iterdir())]
    if empty:
        problems.append(f"leftover: empty folder(s) {_show_paths(empty)}")
    temporaries = [rel for rel in out.changed if rel.endswith(".tmp")]
    if temporaries:
        problems.append(f"leftover: temporary file(s) {_show_paths(temporaries)}")
    if _writes_results(case) and out.code == 0:
        folders = result_folders(case, sandbox, out)
        if not folders:
            problems.append("incomplete output: no results folder written")
        for folder in folders:
            manifest = manifest_of(folder)
            if manifest is None:
                problems.append(f"incomplete output: {folder.name}/ has no manifest.json")
            elif manifest.get("complete") is False:
                problems.append(f"incomplete output: {folder.name}/manifest.json says "
                                "complete: false")
    return problems


def _judge_expectation(case: Case, out: Outcome, sandbox: Sandbox,
                       other: list[str]) -> list[str]:
    problems = []
    code = out.code
    line = next((x for x in other if x.startswith("error:")), "")
    if case.expect == REFUSE and code == 0:
        problems.append("accepted: expected a one-line refusal (exit 2), got exit 0")
    if case.expect == OK and code not in case.ok_codes and not out.hang:
        problems.append(f"refused: expected success, got exit {code}: {line[:160]}")
    if case.expect == WARN and code == 0:
        warned = [x for x in out.stderr.splitlines() if x.startswith("warning:")]
        if not warned:
            problems.append("no warning: accepted a suspicious input without a 'warning:' line")
        elif _writes_results(case):  # a run, sweep, staff or experiment: in its manifest too
            folders = result_folders(case, sandbox, out)
            manifests = [m for m in (manifest_of(f) for f in folders) if m is not None]
            if manifests and not any(_find_key(m, "warning") for m in manifests):
                problems.append("no warning: the warning is not recorded in the manifest")
    if code == 2 and line:
        missing = [m for m in case.mention if m.lower() not in line.lower()]
        if missing:
            problems.append(f"message: the error line does not name {missing}: {line[:200]}")
    for text in case.avoid:
        if text.lower() in (out.stderr + out.stdout).lower():
            problems.append(f"message: says {text!r}: {(line or out.stderr.strip())[:200]}")
    return problems


# ---------------------------------------------------------------------------- no-ops

_PREP_BASE: Path | None = None


def prep_base() -> Path:
    """A folder for reference runs and prepared results folders, shared by the session."""
    global _PREP_BASE
    if _PREP_BASE is None:
        _PREP_BASE = Path(tempfile.mkdtemp(prefix="harden-prep-"))
        atexit.register(shutil.rmtree, _PREP_BASE, True)
    return _PREP_BASE


_REFERENCES: dict[tuple[object, ...], tuple[Outcome, dict[str, bytes]]] = {}


def reference(case: Case) -> tuple[Outcome, dict[str, bytes]]:
    """The unmodified run ``case.noop_of`` (cached): its outcome and output files."""
    assert case.noop_of is not None
    key = (case.program, case.noop_of, tuple(sorted(
        (k, v if isinstance(v, bytes) else v.encode()) for k, v in case.files.items())),
        case.setup, case.outputs)
    if key not in _REFERENCES:
        base = Path(tempfile.mkdtemp(dir=prep_base(), prefix="ref-"))
        box = make_sandbox(base)
        prepare(case, box)
        ref = dataclasses.replace(case, args=case.noop_of)
        out = execute(ref, box)
        folder = out_folder(ref, box)
        files = {}
        if folder is not None:
            for name in case.outputs:
                path = folder / name
                files[name] = path.read_bytes() if path.is_file() else b""
        _REFERENCES[key] = (out, files)
    return _REFERENCES[key]


def check_noop(case: Case, out: Outcome, sandbox: Sandbox) -> list[str]:
    """A case with ``noop_of``: refused, or its output differs from the unmodified run."""
    if case.noop_of is None or out.code != 0:
        return []
    ref_out, ref_files = reference(case)
    if ref_out.code != 0:
        return [f"reference: the unmodified command failed (exit {ref_out.code}): "
                f"{ref_out.stderr.strip()[-160:]}"]
    folder = out_folder(case, sandbox)
    assert folder is not None, "a no-op case needs --out"
    same = [name for name, data in ref_files.items()
            if (folder / name).is_file() and (folder / name).read_bytes() == data]
    if same and len(same) == len(ref_files):
        return [f"silent no-op: accepted, and {', '.join(same)} is byte-identical to the run "
                "without it"]
    return []


# ---------------------------------------------------------------------------- running


def check_case(case: Case, tmp_path: Path) -> None:
    """Run ``case`` in a fresh sandbox under ``tmp_path`` and fail with every problem."""
    sandbox = make_sandbox(tmp_path)
    prepare(case, sandbox)
    out = execute(case, sandbox)
    problems = judge(case, out, sandbox)
    if case.noop_of is not None:
        problems += check_noop(case, out, sandbox)
    if problems:
        err = out.stderr.strip().splitlines()
        raise AssertionError(
            f"[{case.category}] {case.id}: " + "; ".join(problems)
            + f"\n  command: {' '.join(case.args)}\n  exit: {out.code}, {out.wall_s:.1f} s"
            + (f"\n  stderr (last lines): {err[-3:]}" if err else ""))


@functools.cache
def baseline_text() -> str:
    """experiments/configs/baseline.toml as shipped."""
    return BASELINE.read_text(encoding="utf-8")
