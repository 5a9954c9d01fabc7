"""Running a sweep (or a run: a sweep of one scenario): every (scenario, replication) not yet
in the folder's results database, on any backend, each result saved (one transaction) the
moment it arrives. Interrupting keeps every
finished replication; ``--resume`` runs only what is missing."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shlex
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.errors import UserInputError, one_line
from sim.execution.backends import Backend
from sim.execution.progress import Progress
from sim.execution.runner import Task, run_task
from sim.results.rollback import remove_new
from sim.results.store import write_atomic
from sim.study.parts import Part, PartStore, has_parts, load_parts, remove_empty_parts
from sim.study.sweep import Factor, Point, fingerprint

SWEEP_FILE = "sweep.json"
RUN_FILE = "run.json"
IDENTITY = {"sweep": SWEEP_FILE, "run": RUN_FILE}  # what a folder holds → its identity file


@dataclass(frozen=True)
class Sweep:
    """What to run: the grid, the factors that span it, the root seed and replications."""

    points: list[Point]
    factors: list[Factor]
    seed: int
    reps: int
    keep_contacts: bool = False  # save each replication's contact records (run --records)

    def tasks(self, finished: set[tuple[int, int]]) -> list[Task]:
        """Missing tasks, replication by replication, so a partial sweep is balanced."""
        return [Task(p.scenario, self.seed, r, p.index, keep_contacts=self.keep_contacts,
                     keep_slots=True)
                for r in range(self.reps) for p in self.points
                if (p.index, r) not in finished]

    @functools.cached_property
    def fingerprint(self) -> str:
        """The identity every saved part and a resumed sweep must share (computed once: it
        hashes every scenario, and every saved replication is stamped with it)."""
        return fingerprint(self.points, self.seed)

    @property
    def total(self) -> int:
        """Number of (scenario, replication) tasks."""
        return len(self.points) * self.reps


def describe(sweep: Sweep) -> dict[str, Any]:
    """The identity of a sweep, saved in its folder so ``--resume`` can check it."""
    return {"fingerprint": sweep.fingerprint, "seed": sweep.seed,
            "reps": sweep.reps,
            "factors": [{"name": f.name, "levels": f.labels} for f in sweep.factors]}


def _empty(folder: Path) -> bool:
    """No files but hidden temporaries left by a write that was killed."""
    return all(p.name.startswith(".") and p.name.endswith(".tmp") for p in folder.iterdir())


def prepare_folder(out: Path, sweep: Sweep, resume: bool, kind: str = "sweep") -> None:
    """A new sweep (``kind`` "sweep" or "run") needs a new or empty folder; a resumed one
    needs the same sweep's folder, whose previous report and manifest are withdrawn until
    the tables are rewritten."""
    saved = out / IDENTITY[kind]
    if resume:
        if not saved.is_file():
            other = next((k for k, name in IDENTITY.items() if (out / name).is_file()), None)
            held = (f"it holds a {other}: resume it with countersim {other} ... --resume"
                    if other else f"so it holds no {kind} to resume; run without --resume "
                    "to start one")
            raise UserInputError(f"--resume {out}: no {IDENTITY[kind]} there, {held}")
        try:
            before = json.loads(saved.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            before = {}
        if not isinstance(before, dict) or before.get("fingerprint") != sweep.fingerprint:
            changed = "--set, --factor" if kind == "sweep" else "--set"
            raise UserInputError(f"--resume {out}: that folder holds a different {kind} (config, "
                                 f"{changed}, --seed or the countersim version differ); "
                                 "use the same command, or a new --out folder")
        for stale in ("manifest.json", "report.md"):
            (out / stale).unlink(missing_ok=True)
    elif out.exists() and (not out.is_dir() or not _empty(out)):
        raise UserInputError(f"--out {out}: exists and is not an empty folder; choose a new one, "
                             f"or add --resume to continue the {kind} saved there")
    fresh = not out.exists()
    try:
        write_atomic(saved, json.dumps(describe(sweep), indent=2) + "\n")
    except OSError:
        if fresh and out.is_dir() and not any(out.iterdir()):
            out.rmdir()  # a folder that cannot be written is not left behind
        raise


def saved_parts(sweep: Sweep, out: Path,
                keep: Callable[[Part], Part] | None = None) -> dict[tuple[int, int], Part]:
    """The finished replications of this sweep (its scenarios, replications 0..reps-1),
    each turned by ``keep`` when given."""
    wanted = {(p.index, r) for p in sweep.points for r in range(sweep.reps)}
    found = load_parts(out, sweep.fingerprint, contacts=sweep.keep_contacts, keep=keep)
    return {k: v for k, v in found.items() if k in wanted}


def run_sweep(sweep: Sweep, out: Path, backend: Backend, progress_every_s: float = 10.0,
              keep: Callable[[Part], Part] | None = None) -> dict[tuple[int, int], Part]:
    """Run the missing tasks and return every finished part (raises KeyboardInterrupt after
    saving, if interrupted). ``keep``: what to hold of each part (saved whole on disk;
    e.g. :func:`~sim.study.parts.metrics_only`, so a large sweep's memory stays small)."""
    parts = saved_parts(sweep, out, keep)
    progress = Progress(sweep.total, len(parts), every_s=progress_every_s)
    store = PartStore(out, sweep.fingerprint)
    try:
        for result in backend.run_unordered(run_task, sweep.tasks(set(parts))):
            part = Part.from_result(result)
            store.save(part, result.contacts if sweep.keep_contacts else None)
            parts[(part.scenario, part.replication)] = keep(part) if keep else part
            progress.advance()
    finally:
        store.close()
        progress.close()
    return parts


def finished_reps(parts: dict[tuple[int, int], Part], points: Sequence[Point]) -> int:
    """Replications finished for every scenario (the balanced part of a partial sweep)."""
    return min((sum(1 for (s, _r) in parts if s == p.index) for p in points), default=0)


def reproducible(command: str) -> str:
    """The command that redoes a run or sweep from scratch: ``command`` without ``--resume``
    (or an abbreviation argparse accepted for it), which would fail in a new folder."""
    words = shlex.split(command)
    kept = [w for w in words if not (len(w) >= len("--res") and "--resume".startswith(w))]
    return shlex.join(kept)


def discard(out: Path, names: Iterable[str]) -> None:
    """Remove the named outputs of ``out`` (files, or folders of files such as figures/):
    after a failed or interrupted write, the folder keeps its saved replications and no
    half set of tables."""
    for name in names:
        path = out / name
        with contextlib.suppress(OSError):  # best effort: the error being handled matters
            if path.is_dir():
                for inner in path.iterdir():
                    inner.unlink(missing_ok=True)
                path.rmdir()
            else:
                path.unlink(missing_ok=True)


def point_latest(out: Path) -> str | None:
    """Make ``<out>/../latest`` a relative symlink to ``out`` (replaced atomically); return
    what it pointed to before (to put it back if the run is withdrawn)."""
    link = out.parent / "latest"
    before = os.readlink(link) if link.is_symlink() else None
    tmp = out.parent / f".latest.{os.getpid()}"
    tmp.unlink(missing_ok=True)
    try:
        tmp.symlink_to(out.name, target_is_directory=True)
        os.replace(tmp, link)
    except OSError:
        tmp.unlink(missing_ok=True)  # no symlinks here (some file systems): skip quietly
    return before


def withdraw(out: Path, latest_before: str | None, existed: set[Path] | None = None) -> None:
    """Remove a folder this process made and that holds no finished replication (its
    identity file, an empty database or parts folder, hidden temporaries), put ``latest``
    back and, given what ``existed`` before (:func:`~sim.results.rollback.snapshot`),
    remove the parent folders made for it (``results/<name>/``) once they are empty."""
    if not out.is_dir() or has_parts(out):
        return
    remove_empty_parts(out)
    for name in IDENTITY.values():
        (out / name).unlink(missing_ok=True)
    if _empty(out):
        for leftover in out.iterdir():
            leftover.unlink(missing_ok=True)
        out.rmdir()
    link = out.parent / "latest"
    if link.is_symlink() and os.readlink(link) == out.name:
        link.unlink()
        if latest_before is not None:
            link.symlink_to(latest_before, target_is_directory=True)
    if existed is not None:
        remove_new(out, existed)


def resume_hint(out: Path) -> str:
    """How to continue a run or sweep saved in ``out``."""
    return f"continue with the same command plus --resume --out {one_line(str(out))}"


def nothing_kept(exc: OSError, out: Path) -> UserInputError:
    """A write into a new ``out`` that failed before any replication finished (the folder
    has been removed): which file, why, and what to do."""
    return UserInputError(f"cannot write {one_line(str(exc.filename or out))}: "
                          f"{exc.strerror or exc}; nothing was kept: free some space (or make "
                          "the folder writable) and run the command again")


def write_failed(exc: OSError, out: Path, saved: int, hint: str | None = None) -> UserInputError:
    """A write into ``out`` that failed: which file, why, and how to continue once fixed
    (``hint``, default :func:`resume_hint`)."""
    where = one_line(str(exc.filename or out))
    return UserInputError(f"cannot write {where}: {exc.strerror or exc}; {saved} finished "
                          f"replications are kept in {one_line(str(out))}: free some space (or "
                          f"make it writable), then {hint or resume_hint(out)}")
