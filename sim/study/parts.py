"""Finished replications of a sweep on disk, one small JSON file each, written atomically the
moment the replication finishes. A killed sweep keeps every finished file; a resumed one
reads them and runs only what is missing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.execution.runner import ReplicationResult
from sim.results.store import write_atomic

PARTS = "parts"


@dataclass(frozen=True)
class Part:
    """One finished replication of one scenario."""

    scenario: int
    replication: int
    metrics: dict[str, float]
    days: list[dict[str, float]]
    ack_histograms: dict[str, dict[int, int]]
    slots: list[dict[str, float]] = field(default_factory=list)  # per-slot sums (may be absent)

    @classmethod
    def from_result(cls, result: ReplicationResult) -> Part:
        """The part a finished replication makes."""
        return cls(result.scenario_index, result.replication, result.metrics, result.days,
                   result.ack_histograms, result.slots)


def part_path(out: Path, scenario: int, replication: int) -> Path:
    """Where the result of (scenario, replication) is kept."""
    return out / PARTS / f"s{scenario:04d}-r{replication:05d}.json"


def save_part(out: Path, part: Part, sweep: str) -> None:
    """Write one finished replication of the sweep with fingerprint ``sweep`` (atomically:
    the file is whole or absent)."""
    payload = {"sweep": sweep, "scenario": part.scenario, "replication": part.replication,
               "metrics": part.metrics, "days": part.days,
               "ack_histograms": part.ack_histograms, "slots": _columns(part.slots)}
    # json writes floats with repr (exact round trip) and NaN as NaN
    write_atomic(part_path(out, part.scenario, part.replication),
                 json.dumps(payload, separators=(",", ":")) + "\n")


def _part_from(data: dict[str, Any]) -> Part:
    hists = {ch: {int(b): int(n) for b, n in h.items()}
             for ch, h in data["ack_histograms"].items()}
    # values keep their JSON type (a count stays an int), exactly as the replication gave them
    # parts saved before slots.csv existed have no "slots": they read as none
    return Part(int(data["scenario"]), int(data["replication"]), dict(data["metrics"]),
                data["days"], hists, _rows(data.get("slots")))


def _columns(rows: list[dict[str, float]]) -> dict[str, list[Any]]:
    """Slot rows as column names and value lists (a multi-day run has many rows)."""
    names = list(rows[0]) if rows else []
    return {"columns": names, "rows": [[r[n] for n in names] for r in rows]}


def _rows(saved: dict[str, list[Any]] | None) -> list[dict[str, float]]:
    """The slot rows saved by :func:`_columns` (none in a part saved before them)."""
    if saved is None:
        return []
    names = saved["columns"]
    return [dict(zip(names, values, strict=True)) for values in saved["rows"]]


def load_parts(out: Path, sweep: str) -> dict[tuple[int, int], Part]:
    """Every finished replication of the sweep ``sweep`` saved under ``out`` (unreadable
    leftovers and parts of another sweep are ignored: they are redone)."""
    found: dict[tuple[int, int], Part] = {}
    folder = out / PARTS
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("s*-r*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("sweep") != sweep:
                continue
            part = _part_from(data)
        except (ValueError, KeyError, TypeError, AttributeError, OSError):
            continue
        if path == part_path(out, part.scenario, part.replication):
            found[(part.scenario, part.replication)] = part
    return found

