"""A run (``countersim run``): replications of one scenario, run as a sweep of one point, so
each replication is saved the moment it finishes and ``--resume`` runs only what is
missing; then its tables, written all or nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.config.schema import Scenario
from sim.results.parquet import REPLICATIONS, write_parquet
from sim.results.statistics import Estimate, summarize
from sim.results.store import write_atomic, write_csv, write_manifest
from sim.study.parts import Part, contact_table
from sim.study.running import Sweep, discard
from sim.study.slot_tables import SLOTS_FILE, slot_scenario, write_slots
from sim.study.sweep import Point
from sim.study.tables import day_values

MANIFEST = "manifest.json"
TABLES = ("replications.csv", "summary.csv", SLOTS_FILE, "days.csv", "contacts.csv",
          REPLICATIONS)


def plan(scenario: Scenario, overrides: Sequence[str], seed: int, reps: int,
         records: bool) -> Sweep:
    """The run as a sweep of one scenario (``records``: keep each replication's contacts)."""
    return Sweep([Point(0, {}, tuple(overrides), scenario)], [], seed, reps,
                 keep_contacts=records)


def in_order(parts: Mapping[tuple[int, int], Part]) -> list[Part]:
    """The finished replications, by replication number."""
    return [parts[key] for key in sorted(parts)]


def summary_of(parts: Mapping[tuple[int, int], Part]) -> dict[str, Estimate]:
    """Mean and 95% CI of every metric over the finished replications."""
    done = in_order(parts)
    return summarize([p.metrics for p in done], list(done[0].metrics) if done else [])


@dataclass(frozen=True)
class Outputs:
    """What a run's folder records besides its tables: the manifest's fields."""

    out: Path
    sweep: Sweep
    manifest: dict[str, Any]
    parquet: bool = False  # also write replications.parquet (--parquet)


def write_tables(o: Outputs, parts: Mapping[tuple[int, int], Part]) -> list[str]:
    """Write the run's tables (each atomically) and return their names."""
    done, out, seed = in_order(parts), o.out, o.sweep.seed
    metric_names = list(done[0].metrics) if done else []
    rows = [{"replication": p.replication, "seed": seed, **p.metrics} for p in done]
    write_csv(out / "replications.csv", rows, ["replication", "seed", *metric_names])
    if o.parquet:
        write_parquet(out / REPLICATIONS, rows, ["replication", "seed", *metric_names])
    else:
        (out / REPLICATIONS).unlink(missing_ok=True)  # an earlier --parquet's, now stale
    summary = summary_of(parts)
    write_csv(out / "summary.csv",
              [{"metric": m, **vars(e), "n_reps": len(done), "ci_method": e.method}
               for m, e in summary.items()],
              ["metric", "mean", "std", "ci_low", "ci_high", "n", "n_reps", "ci_method"])
    written = ["replications.csv", *([REPLICATIONS] if o.parquet else []), "summary.csv"]
    write_slots(out, [slot_scenario({}, o.sweep.points[0].scenario, [p.slots for p in done])],
                [])
    if (out / SLOTS_FILE).is_file():
        written.append(SLOTS_FILE)
    day_rows = [{"replication": p.replication, **day_values(d)} for p in done for d in p.days]
    if day_rows:
        write_csv(out / "days.csv", day_rows, list(day_rows[0]))
        written.append("days.csv")
    if o.sweep.keep_contacts:
        write_atomic(out / "contacts.csv", contact_table(out, sorted(parts)))
        written.append("contacts.csv")
    return written


def write_outputs(o: Outputs, parts: Mapping[tuple[int, int], Part]) -> list[str]:
    """The tables, then the manifest (so a manifest means the tables are whole); return the
    names written. A write that fails, or an interruption, removes them all again: the
    folder keeps its saved replications (resumable) and no half set of tables."""
    try:
        (o.out / MANIFEST).unlink(missing_ok=True)
        written = write_tables(o, parts)
        write_manifest(o.out / MANIFEST, o.manifest)
    except BaseException:
        discard(o.out, (*TABLES, MANIFEST))
        raise
    return [*written, MANIFEST]
