"""Finished replications of a sweep (or a run: a one-scenario sweep) on disk: one SQLite
database per results folder (``results.db``, :mod:`sim.study.part_db`), one transaction per
replication the moment it finishes, its contact records (``run --records``) in the same
transaction. A killed sweep keeps every committed replication; a resumed one reads them with
one query and runs only what is missing.

Folders written before the database (one JSON file per replication in ``parts/``) still
resume: their replications are moved into the database first (:func:`migrate`).

Everything else reaches the saved replications through this module's functions only."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.execution.runner import ReplicationResult
from sim.results.store import csv_text
from sim.study import part_db
from sim.study.part_db import DB_FILE

PARTS = "parts"  # the folder of one JSON file per replication, before the database
REPLICATION = "replication"  # the first column of contacts.csv

__all__ = ["DB_FILE", "Part", "PartStore", "contact_table", "count_parts", "has_parts",
           "load_parts", "migrate", "remove_empty_parts", "save_part"]


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


def _encode(part: Part) -> str:
    """The part as JSON: floats with ``repr`` (an exact round trip), NaN as NaN."""
    payload = {"scenario": part.scenario, "replication": part.replication,
               "metrics": part.metrics, "days": part.days,
               "ack_histograms": part.ack_histograms, "slots": _columns(part.slots)}
    return json.dumps(payload, separators=(",", ":"))


def _contacts_text(part: Part, contacts: Sequence[dict[str, object]]) -> str:
    """The replication's contact records as CSV text, its number in the first column."""
    rows = [{REPLICATION: part.replication, **c} for c in contacts]
    columns = [REPLICATION, *contacts[0]] if contacts else [REPLICATION]
    return csv_text(rows, columns)


class PartStore:
    """Saves the finished replications of the sweep with fingerprint ``sweep`` into the
    database of ``out``: each :meth:`save` is one transaction (the replication is saved
    whole, with its contact records if given, or not at all). Use as a context manager, or
    call :meth:`close`."""

    def __init__(self, out: Path, sweep: str) -> None:
        self._writer = part_db.Writer(out, sweep)

    def save(self, part: Part, contacts: Sequence[dict[str, object]] | None = None) -> None:
        """Save one finished replication (fails with a
        :class:`~sim.results.store.WriteError` naming the database)."""
        text = None if contacts is None else _contacts_text(part, contacts)
        self._writer.save([(part.scenario, part.replication, _encode(part), text)])

    def close(self) -> None:
        """Close the database."""
        self._writer.close()

    def __enter__(self) -> PartStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def save_part(out: Path, part: Part, sweep: str,
              contacts: Sequence[dict[str, object]] | None = None) -> None:
    """Save one finished replication of the sweep with fingerprint ``sweep`` (a store opened
    and closed for it: for one-offs; a sweep keeps one :class:`PartStore` open)."""
    with PartStore(out, sweep) as store:
        store.save(part, contacts)


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
    """Every finished replication of the sweep ``sweep`` saved under ``out``, by one query
    (after moving a ``parts/`` folder of JSON files into the database: :func:`migrate`).
    Unreadable rows and rows of another sweep are ignored: they are redone; so are
    replications without contact records when ``contacts`` asks for them. ``keep`` turns
    each part into what is held (e.g. only the metrics a study reads), one row at a time."""
    migrate(out, sweep)
    found: dict[tuple[int, int], Part] = {}
    for scenario, replication, text, _contacts in part_db.read_rows(out, sweep, contacts):
        try:
            part = _part_from(json.loads(text))
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
        if (part.scenario, part.replication) == (scenario, replication):
            found[(scenario, replication)] = keep(part) if keep else part
    return found


def contact_table(out: Path, keys: Iterable[tuple[int, int]]) -> Iterator[str]:
    """contacts.csv, piece by piece: the header, then the records of each (scenario,
    replication) in ``keys`` in that order (saved by :meth:`PartStore.save`)."""
    keys = list(keys)
    headers = (text.partition("\n")[0] for text in part_db.contacts_of(out, keys) if text)
    yield next((h for h in headers if h != REPLICATION), REPLICATION) + "\n"
    for text in part_db.contacts_of(out, keys):  # without contacts: only the short header
        yield (text or "").partition("\n")[2]


def count_parts(out: Path) -> int:
    """How many finished replications ``out`` holds (its database, plus JSON parts not yet
    moved into it): read-only, safe while a sweep writes."""
    return part_db.count(out) + len(_legacy_files(out))


def has_parts(out: Path) -> bool:
    """Whether any replication has been saved under ``out``."""
    return count_parts(out) > 0


def remove_empty_parts(out: Path) -> None:
    """Remove the database if it holds no finished replication (a run stopped before any
    finished), and an empty ``parts/`` folder with any temporary file a killed write left."""
    if part_db.count(out) == 0:
        part_db.remove(out)
    folder = out / PARTS
    if not folder.is_dir() or _legacy_files(out):
        return
    for leftover in folder.iterdir():
        if leftover.name.startswith(".") and leftover.name.endswith(".tmp"):
            leftover.unlink(missing_ok=True)
    if not any(folder.iterdir()):
        folder.rmdir()


def _legacy_files(out: Path) -> list[Path]:
    folder = out / PARTS
    return sorted(folder.glob("s*-r*.json")) if folder.is_dir() else []


def migrate(out: Path, sweep: str) -> int:
    """Move the JSON parts of the sweep ``sweep`` (``parts/s0000-r00000.json`` and their
    ``.contacts.csv``, written before the database) into the database in one transaction,
    then delete those files (and ``parts/`` once empty); return how many moved. Torn files
    and parts of another sweep stay where they are (and are redone)."""
    rows, moved = [], []
    for path in _legacy_files(out):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("sweep") != sweep:
                continue
            part = _part_from(data)
        except (ValueError, KeyError, TypeError, AttributeError, OSError):
            continue
        if path.name != f"s{part.scenario:04d}-r{part.replication:05d}.json":
            continue
        records = path.with_name(path.stem + ".contacts.csv")
        text = records.read_text(encoding="utf-8") if records.is_file() else None
        rows.append((part.scenario, part.replication, _encode(part), text))
        moved += [path, records]
    if rows:
        writer = part_db.Writer(out, sweep)
        try:
            writer.save(rows)
        finally:
            writer.close()
        for path in moved:
            path.unlink(missing_ok=True)
        remove_empty_parts(out)
    return len(rows)
