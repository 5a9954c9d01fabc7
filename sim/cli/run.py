"""``countersim run``: replications of one scenario, written to a results folder."""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path
from typing import Any

from sim.cli.options import add_common_options, new_out_dir
from sim.config.loading import load_scenario
from sim.config.schema import Scenario
from sim.errors import UserInputError
from sim.execution.backends import make_backend
from sim.execution.progress import Progress
from sim.execution.runner import (
    ReplicationResult,
    iter_replications,
    raise_keyboard_interrupt_on_sigterm,
)
from sim.preflight.gate import clear
from sim.results.statistics import Estimate, summarize
from sim.results.store import ensure_writable, write_csv, write_manifest
from sim.study.slot_tables import slot_scenario, write_slots

HEADLINE = ("arrivals", "served", "walkouts", "walkout_rate", "balked", "reneged_unacknowledged",
            "reneged_acknowledged", "abandoned", "blocked", "mean_wait_s",
            "median_time_to_ack_s", "p_ack_within_target", "service_level", "utilization")


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``run`` subcommand."""
    p = subparsers.add_parser("run", help="run replications of a scenario",
                              description="Run replications of a scenario and write "
                              "replications.csv, summary.csv, slots.csv and manifest.json.")
    add_common_options(p)
    p.add_argument("--out", type=Path, default=None,
                   help="results folder (default results/<scenario name>/<timestamp>)")
    p.add_argument("--records", action="store_true",
                   help="also write contacts.csv, one row per contact "
                   "(memory grows with run length)")
    p.set_defaults(func=run)


def write_results(out: Path, scenario: Scenario, args: argparse.Namespace,
                  results: list[ReplicationResult], wall_s: float, complete: bool) -> None:
    """Write the tables and the manifest of a run (each file atomically)."""
    results = sorted(results, key=lambda r: r.replication)
    rows = [{"replication": r.replication, "seed": args.seed, **r.metrics} for r in results]
    metric_names = list(results[0].metrics) if results else []
    write_csv(out / "replications.csv", rows, ["replication", "seed", *metric_names])
    summary = summarize([r.metrics for r in results], metric_names)
    write_csv(out / "summary.csv",
              [{"metric": m, **vars(e), "n_reps": len(results), "ci_method": e.method}
               for m, e in summary.items()],
              ["metric", "mean", "std", "ci_low", "ci_high", "n", "n_reps", "ci_method"])
    write_slots(out, [slot_scenario({}, scenario, [r.slots for r in results])], [])
    day_rows = [{"replication": r.replication, **d} for r in results for d in r.days]
    if day_rows:
        write_csv(out / "days.csv", day_rows, list(day_rows[0]))
    if args.records:
        contacts = [{"replication": r.replication, **c} for r in results for c in r.contacts]
        columns = ["replication", *(contacts[0].keys() - {"replication"})] if contacts else []
        write_csv(out / "contacts.csv", contacts, sorted(columns, key=_contact_column_order))
    write_manifest(out / "manifest.json", {
        "command": "countersim " + shlex.join(sys.argv[1:]),
        "scenario": scenario.model_dump(mode="json"),
        "seed": args.seed,
        "replications_requested": args.reps,
        "replications_done": [r.replication for r in results],
        "complete": complete,
        "jobs": args.jobs,
        "overrides": args.overrides,
        "warnings": list(getattr(args, "warnings", ())),
        "wall_time_s": round(wall_s, 3),
    })


_CONTACT_ORDER = ("replication", "id", "channel", "patron_id", "arrival_s", "ack_s", "start_s",
                  "end_s", "outcome", "staff_id", "patience_s", "service_s")


def _contact_column_order(name: str) -> int:
    return _CONTACT_ORDER.index(name) if name in _CONTACT_ORDER else len(_CONTACT_ORDER)


def format_summary(summary: dict[str, Estimate], title: str) -> str:
    """A readable table of the headline metrics."""
    lines = [title, f"{'metric':<26}{'mean':>12}   95% CI"]
    for name in HEADLINE:
        e = summary.get(name)
        if e is None or e.n == 0:
            continue
        ci = f"[{e.ci_low:.4g}, {e.ci_high:.4g}]" if e.n > 1 else ""
        lines.append(f"{name:<26}{e.mean:>12.4g}   {ci}")
    return "\n".join(lines)


def _save_partial(out: Path, scenario: Scenario, args: argparse.Namespace,
                  results: list[ReplicationResult], wall_s: float) -> None:
    if results:
        write_results(out, scenario, args, results, wall_s, False)
        print(f"stopped: {len(results)} of {args.reps} replications saved to {out}",
              file=sys.stderr)
    else:
        print("stopped before any replication finished; nothing written", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Run the replications and write the results folder."""
    scenario = load_scenario(args.config, args.overrides)
    out = new_out_dir(args.out, scenario.name)
    cleared = clear([("", scenario)], reps=args.reps, jobs=args.jobs, cluster=bool(args.cluster),
                    force=args.force, strict=args.strict, records=args.records)
    args.warnings = cleared.warnings  # recorded in the manifest
    backend = make_backend(cleared.workers or args.jobs, args.cluster)
    ensure_writable(out)
    cleared.announce()
    raise_keyboard_interrupt_on_sigterm()
    started = time.perf_counter()
    results: list[ReplicationResult] = []
    progress = Progress(args.reps)
    try:
        for result in iter_replications(scenario, args.seed, list(range(args.reps)), args.jobs,
                                        keep_contacts=args.records, backend=backend,
                                        keep_slots=True):
            results.append(result)
            progress.advance()
    except KeyboardInterrupt:
        progress.close()
        _save_partial(out, scenario, args, results, time.perf_counter() - started)
        return 130
    except UserInputError:  # e.g. the cluster went away: keep what finished, then explain
        progress.close()
        _save_partial(out, scenario, args, results, time.perf_counter() - started)
        raise
    finally:
        backend.close()
    progress.close()
    wall = time.perf_counter() - started
    write_results(out, scenario, args, results, wall, True)
    summary = summarize([r.metrics for r in sorted(results, key=lambda r: r.replication)],
                        list(results[0].metrics))
    print(format_summary(summary, f"{scenario.name}: {args.reps} replications, seed {args.seed}"))
    print(f"\nwrote {out}/ (replications.csv, summary.csv, slots.csv, manifest.json) "
          f"in {wall:.1f} s")
    return 0
