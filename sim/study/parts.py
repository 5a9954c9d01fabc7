"""Finished replications of a sweep (or a run: a one-scenario sweep) on disk, one small JSON
file each, written atomically the moment the replication finishes; with contact records
(``run --records``) a CSV file of them beside it, written first. A killed sweep keeps every
finished file; a resumed one reads them and runs only what is missing.

Everything else reaches the files through this module's functions only (the storage may
change: one database file instead of many files)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.execution.runner import ReplicationResult
from sim.results.store import csv_text, write_atomic

PARTS = "parts"
REPLICATION = "replication"  # the first column of contacts.csv


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


def metrics_only(names: Sequence[str]) -> Callable[[Part], Part]:
    """A ``keep`` for :func:`load_parts` and ``run_sweep``: the part with only the metrics
    ``names`` (those it has) and no days, histograms or slots (a fraction of the memory)."""
    def keep(part: Part) -> Part:
        return Part(part.scenario, part.replication,
                    {n: part.metrics[n] for n in names if n in part.metrics}, [], {})
    return keep


def part_path(out: Path, scenario: int, replication: int) -> Path:
    """Where the result of (scenario, replication) is kept."""
    return out / PARTS / f"s{scenario:04d}-r{replication:05d}.json"


def contacts_path(out: Path, scenario: int, replication: int) -> Path:
    """Where the contact records of (scenario, replication) are kept."""
    return out / PARTS / f"s{scenario:04d}-r{replication:05d}.contacts.csv"


def save_part(out: Path, part: Part, sweep: str,
              contacts: Sequence[dict[str, object]] | None = None) -> None:
    """Write one finished replication of the sweep with fingerprint ``sweep`` (atomically:
    the file is whole or absent), after its contact records if given (so a saved part
    always has them when they were asked for)."""
    if contacts is not None:
        rows = [{REPLICATION: part.replication, **c} for c in contacts]
        columns = [REPLICATION, *contacts[0]] if contacts else [REPLICATION]
        write_atomic(contacts_path(out, part.scenario, part.replication),
                     csv_text(rows, columns))
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


def load_parts(out: Path, sweep: str, contacts: bool = False,
               keep: Callable[[Part], Part] | None = None) -> dict[tuple[int, int], Part]:
    """Every finished replication of the sweep ``sweep`` saved under ``out`` (unreadable
    leftovers and parts of another sweep are ignored: they are redone; so are parts without
    contact records when ``contacts`` asks for them); ``keep`` turns each part into what
    is held (e.g. only the metrics a study reads), one file at a time."""
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
        if contacts and not contacts_path(out, part.scenario, part.replication).is_file():
            continue
        if path == part_path(out, part.scenario, part.replication):
            found[(part.scenario, part.replication)] = keep(part) if keep else part
    return found


def contact_table(out: Path, keys: Iterable[tuple[int, int]]) -> Iterator[str]:
    """contacts.csv, piece by piece: the header, then the records of each (scenario,
    replication) in ``keys`` in that order (saved by :func:`save_part`)."""
    paths = [contacts_path(out, scenario, replication) for scenario, replication in keys]
    headers = (_first_line(path) for path in paths)
    yield next((h for h in headers if h != REPLICATION), REPLICATION) + "\n"
    for path in paths:  # a replication without contacts has only the short header
        yield path.read_text(encoding="utf-8").partition("\n")[2]


def _first_line(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as fh:
        return fh.readline().rstrip("\n")


def has_parts(out: Path) -> bool:
    """Whether any replication has been saved under ``out``."""
    folder = out / PARTS
    return folder.is_dir() and any(folder.glob("s*-r*.json"))


def remove_empty_parts(out: Path) -> None:
    """Remove the parts folder if it holds no finished replication (a run stopped before any
    finished), with any temporary file a killed write left in it."""
    folder = out / PARTS
    if not folder.is_dir() or has_parts(out):
        return
    for leftover in folder.iterdir():
        if leftover.name.startswith(".") and leftover.name.endswith(".tmp"):
            leftover.unlink(missing_ok=True)
    if not any(folder.iterdir()):
        folder.rmdir()

