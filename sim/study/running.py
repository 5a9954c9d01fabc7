"""Running a sweep: every (scenario, replication) not yet on disk, on any backend, each result
saved the moment it arrives. Interrupting keeps every finished replication."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.errors import UserInputError
from sim.execution.backends import Backend
from sim.execution.progress import Progress
from sim.execution.runner import Task, run_task
from sim.results.store import write_atomic
from sim.study.parts import Part, load_parts, save_part
from sim.study.sweep import Factor, Point, fingerprint

SWEEP_FILE = "sweep.json"


@dataclass(frozen=True)
class Sweep:
    """What to run: the grid, the factors that span it, the root seed and replications."""

    points: list[Point]
    factors: list[Factor]
    seed: int
    reps: int

    def tasks(self, finished: set[tuple[int, int]]) -> list[Task]:
        """Missing tasks, replication by replication, so a partial sweep is balanced."""
        return [Task(p.scenario, self.seed, r, p.index, keep_slots=True)
                for r in range(self.reps) for p in self.points
                if (p.index, r) not in finished]

    @property
    def fingerprint(self) -> str:
        """The identity every saved part and a resumed sweep must share."""
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


def prepare_folder(out: Path, sweep: Sweep, resume: bool) -> None:
    """A new sweep needs a new or empty folder; a resumed one needs the same sweep's folder,
    whose previous report and manifest are withdrawn until the tables are rewritten."""
    saved = out / SWEEP_FILE
    if resume:
        if not saved.is_file():
            raise UserInputError(f"--resume {out}: no {SWEEP_FILE} there, so it holds no sweep "
                                 "to resume; run without --resume to start one")
        try:
            before = json.loads(saved.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            before = {}
        if before.get("fingerprint") != sweep.fingerprint:
            raise UserInputError(f"--resume {out}: that folder holds a different sweep (config, "
                                 "--set, --factor, --seed or the countersim version differ); "
                                 "use the same command, or a new --out folder")
        for stale in ("manifest.json", "report.md"):
            (out / stale).unlink(missing_ok=True)
    elif out.exists() and (not out.is_dir() or not _empty(out)):
        raise UserInputError(f"--out {out}: exists and is not an empty folder; choose a new one, "
                             "or add --resume to continue the sweep saved there")
    write_atomic(saved, json.dumps(describe(sweep), indent=2) + "\n")


def saved_parts(sweep: Sweep, out: Path) -> dict[tuple[int, int], Part]:
    """The finished replications of this sweep (its scenarios, replications 0..reps-1)."""
    wanted = {(p.index, r) for p in sweep.points for r in range(sweep.reps)}
    return {k: v for k, v in load_parts(out, sweep.fingerprint).items() if k in wanted}


def run_sweep(sweep: Sweep, out: Path, backend: Backend,
              progress_every_s: float = 10.0) -> dict[tuple[int, int], Part]:
    """Run the missing tasks and return every finished part (raises KeyboardInterrupt after
    saving, if interrupted)."""
    parts = saved_parts(sweep, out)
    progress = Progress(sweep.total, len(parts), every_s=progress_every_s)
    try:
        for result in backend.run_unordered(run_task, sweep.tasks(set(parts))):
            part = Part.from_result(result)
            save_part(out, part, sweep.fingerprint)
            parts[(part.scenario, part.replication)] = part
            progress.advance()
    finally:
        progress.close()
    return parts


def finished_reps(parts: dict[tuple[int, int], Part], points: Sequence[Point]) -> int:
    """Replications finished for every scenario (the balanced part of a partial sweep)."""
    return min((sum(1 for (s, _r) in parts if s == p.index) for p in points), default=0)
