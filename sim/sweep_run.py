"""Running a sweep: every (scenario, replication) not yet on disk, on any backend, each result
saved the moment it arrives. Interrupting keeps every finished replication."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.backends import Backend
from sim.errors import UserInputError
from sim.parts import Part, load_parts, save_part
from sim.progress import Progress
from sim.runner import Task, run_task
from sim.store import write_atomic
from sim.sweep import Factor, Point, fingerprint

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
        return [Task(p.scenario, self.seed, r, p.index)
                for r in range(self.reps) for p in self.points
                if (p.index, r) not in finished]

    @property
    def total(self) -> int:
        """Number of (scenario, replication) tasks."""
        return len(self.points) * self.reps


def describe(sweep: Sweep) -> dict[str, Any]:
    """The identity of a sweep, saved in its folder so ``--resume`` can check it."""
    return {"fingerprint": fingerprint(sweep.points, sweep.seed), "seed": sweep.seed,
            "reps": sweep.reps,
            "factors": [{"name": f.name, "levels": f.labels} for f in sweep.factors]}


def prepare_folder(out: Path, sweep: Sweep, resume: bool) -> None:
    """A new sweep needs a new or empty folder; a resumed one needs the same sweep's folder."""
    saved = out / SWEEP_FILE
    if resume:
        if not saved.is_file():
            raise UserInputError(f"--resume {out}: no {SWEEP_FILE} there, so it holds no sweep "
                                 "to resume; run without --resume to start one")
        try:
            before = json.loads(saved.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            before = {}
        if before.get("fingerprint") != fingerprint(sweep.points, sweep.seed):
            raise UserInputError(f"--resume {out}: that folder holds a different sweep (config, "
                                 "--set, --factor or --seed differ); use the same command, or a "
                                 "new --out folder")
    elif out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UserInputError(f"--out {out}: exists and is not an empty folder; choose a new one, "
                             "or add --resume to continue the sweep saved there")
    write_atomic(saved, json.dumps(describe(sweep), indent=2) + "\n")


def run_sweep(sweep: Sweep, out: Path, backend: Backend,
              progress_every_s: float = 10.0) -> dict[tuple[int, int], Part]:
    """Run the missing tasks and return every finished part (raises KeyboardInterrupt after
    saving, if interrupted)."""
    parts = load_parts(out)
    wanted = {(p.index, r) for p in sweep.points for r in range(sweep.reps)}
    parts = {k: v for k, v in parts.items() if k in wanted}
    progress = Progress(sweep.total, len(parts), every_s=progress_every_s)
    try:
        for result in backend.run_unordered(run_task, sweep.tasks(set(parts))):
            save_part(out, result)
            parts[(result.scenario_index, result.replication)] = Part(
                result.scenario_index, result.replication, result.metrics, result.days,
                result.ack_histograms)
            progress.advance()
    finally:
        progress.close()
    return parts


def finished_reps(parts: dict[tuple[int, int], Part], points: Sequence[Point]) -> int:
    """Replications finished for every scenario (the balanced part of a partial sweep)."""
    return min((sum(1 for (s, _r) in parts if s == p.index) for p in points), default=0)
