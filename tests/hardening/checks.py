"""Extra checks a case can carry (beyond the generic contract of :mod:`harness`), and setup
steps that prepare a sandbox: prepared results folders, FIFOs, files in the way."""

from __future__ import annotations

import csv
import functools
import io
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from tests.hardening.harness import (
    Case,
    Check,
    Outcome,
    Sandbox,
    Setup,
    cli_target,
    error_lines,
    make_sandbox,
    prep_base,
    run_forked,
)


def refusal_mentions_any(*words: str) -> Check:
    """When refused, the error line names at least one of ``words``."""

    def check(case: Case, out: Outcome, sandbox: Sandbox) -> list[str]:
        if out.code != 2:
            return []
        line = " ".join(error_lines(out.stderr)[1])
        if any(w.lower() in line.lower() for w in words):
            return []
        return [f"message: the error line names none of {list(words)}: {line[:200]}"]

    return check


def says_on_success(*words: str) -> Check:
    """When accepted, the output (stdout or stderr) says one of ``words``."""

    def check(case: Case, out: Outcome, sandbox: Sandbox) -> list[str]:
        if out.code == 2 or out.code is None:
            return []
        text = (out.stdout + out.stderr).lower()
        if any(w.lower() in text for w in words):
            return []
        return [f"overconfident: accepted without saying any of {list(words)}"]

    return check


def no_control_characters_in_paths(case: Case, out: Outcome, sandbox: Sandbox) -> list[str]:
    """No path the command created holds a newline or another control character."""
    bad = [p for p in out.changed if not p.isprintable()]
    return [f"unsafe name: created {bad[0]!r}"] if bad else []


def one_folder_per_run(case: Case, out: Outcome, sandbox: Sandbox) -> list[str]:
    """A run without ``--out`` writes ``results/<one safe folder name>/<stamp>/``: the
    name is neither dropped nor split into several folders."""
    from tests.hardening.harness import result_folders

    if out.code != 0:
        return []
    results = sandbox.work / "results"
    bad = []
    for folder in result_folders(case, sandbox, out):
        parts = folder.relative_to(results).parts if folder.is_relative_to(results) else ()
        if len(parts) != 2:
            bad.append("/".join(parts) or ".")
    return [f"unsafe name: the results folder is results/{bad[0]}/ (expected "
            "results/<name>/<stamp>/)"] if bad else []


def warnings_once(case: Case, out: Outcome, sandbox: Sandbox) -> list[str]:
    """Each ``warning:`` line is printed once."""
    lines = [x for x in out.stderr.splitlines() if x.startswith("warning:")]
    repeated = sorted({x for x in lines if lines.count(x) > 1})
    return [f"repeated warning: {repeated[0][:160]}"] if repeated else []


def levels_differ(factor: str) -> Check:
    """A sweep over ``factor``: refused, or its levels' replications are not identical (the
    factor took effect)."""

    def check(case: Case, out: Outcome, sandbox: Sandbox) -> list[str]:
        if out.code != 0:
            return []
        path = sandbox.work / "out" / "replications.csv"
        if not path.is_file():
            return [f"incomplete output: no {path.name}"]
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        skip = {"scenario", factor, "replication", "seed"}
        by_level: dict[str, list[tuple[str, ...]]] = {}
        for row in rows:
            values = tuple(v for k, v in row.items() if k not in skip)
            by_level.setdefault(row.get(factor, "?"), []).append(values)
        if len(by_level) > 1 and len({tuple(v) for v in by_level.values()}) == 1:
            return [f"silent no-op: every level of --factor {factor} gives identical "
                    "replications"]
        return []

    return check


def unchanged_file(rel: str) -> Check:
    """The file ``rel`` (relative to work) is left as it was."""

    def check(case: Case, out: Outcome, sandbox: Sandbox) -> list[str]:
        changed = [p for p in out.changed if p.endswith(rel)]
        return [f"clobbered: {rel} was changed"] if changed else []

    return check


def new_file_written(case: Case, out: Outcome, sandbox: Sandbox) -> list[str]:
    """A successful command saved something (a file) somewhere in the sandbox."""
    if out.code != 0:
        return []
    if any((sandbox.root / p).is_file() for p in out.changed):
        return []
    return ["nothing saved: printed results but wrote no file"]


# ---------------------------------------------------------------------------- setups


def fifo(rel: str) -> Setup:
    """A named pipe at ``rel`` (reading it blocks until someone writes)."""

    def setup(sandbox: Sandbox) -> None:
        os.mkfifo(sandbox.work / rel)

    return setup


def symlink(rel: str, target: str) -> Setup:
    """A symbolic link ``rel`` → ``target``."""

    def setup(sandbox: Sandbox) -> None:
        (sandbox.work / rel).symlink_to(target)

    return setup


def folder(rel: str, *files: str) -> Setup:
    """A folder ``rel`` holding empty ``files``."""

    def setup(sandbox: Sandbox) -> None:
        path = sandbox.work / rel
        path.mkdir(parents=True, exist_ok=True)
        for name in files:
            (path / name).write_text("x\n", encoding="utf-8")

    return setup


def chain(*setups: Setup) -> Setup:
    """Several setups in order."""

    def setup(sandbox: Sandbox) -> None:
        for step in setups:
            step(sandbox)

    return setup


@functools.cache
def prepared(name: str, config: str, args: tuple[str, ...]) -> Path:
    """A results folder made once per session: ``countersim ARGS`` with ``{config}`` the
    text ``config`` written to a file and ``{out}`` a new folder."""
    base = Path(tempfile.mkdtemp(dir=prep_base(), prefix=f"{name}-"))
    box = make_sandbox(base)
    (box.work / "c.toml").write_text(config, encoding="utf-8")
    argv = [a.replace("{out}", "made") for a in args]
    out = run_forked(box, cli_target(argv), ["countersim", *argv], timeout=60)
    assert out.code == 0, f"preparing {name}: {out.stderr[-400:]}"
    return box.work / "made"


def copy_prepared(dest: str, name: str, config: str, args: Sequence[str],
                  edit: Callable[[Path], None] | None = None) -> Setup:
    """Copy the prepared folder ``name`` to ``dest`` (relative to work), then ``edit`` it."""

    def setup(sandbox: Sandbox) -> None:
        target = sandbox.work / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(prepared(name, config, tuple(args)), target, symlinks=True)
        if edit is not None:
            edit(target)

    return setup
