#!/usr/bin/env python3
"""Batching on a cluster: throughput of many short replications on a 2-worker loopback Dask
cluster (``--cluster``: replications sent in batches, :func:`sim.execution.batching.batch_size`)
against the local pool of 2 processes (``--jobs 2``).

Method: one replication is ``experiments/configs/erlang_a.toml`` cut to a short one
(``SHORT``: 30 minutes, 2 clerks, about 30 customers: some 10 ms, mostly per-replication set-up,
the case where a scheduler's cost per task shows most). In this process, the same ``--reps``
tasks (with per-slot sums, as a sweep asks) are consumed from
``backend.run_unordered(run_task, tasks)``, timed with ``time.perf_counter``:

* local: a new ``LocalProcesses(2)`` each round (its start-up counted: a local run pays it);
* Dask: a ``distributed.LocalCluster`` of 2 worker processes with 1 thread each on 127.0.0.1,
  started once and kept warm (like a real cluster), reached through ``DaskCluster(address)``
  (connected before the clock starts), batch size chosen automatically.

Rounds alternate the order (local first, then Dask first, ...); the best of the rounds is kept
(other work on the machine can only slow a run down). Every run's results are hashed
(pickles of the sorted results): they must be identical. ``--unbatched-reps`` also times the
Dask backend one replication per task, on fewer replications, for comparison.

Usage::

    python benchmarks/bench_batching.py                      # 10,000 replications, 2 rounds
    python benchmarks/bench_batching.py --reps 1000 --rounds 1 --unbatched-reps 0   # quick
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHORT = ['hours.close="00:30"', "demand.walk_in.rate_per_hour=60", "run.warmup_s=0",
         "staff.counter=2"]
SEED = 1
WORKERS = 2


def tasks(reps: int) -> list[Any]:
    """The benchmark's tasks: replications 0..reps-1 of the short queue."""
    from sim.config.loading import load_scenario
    from sim.execution.runner import Task

    scenario = load_scenario(ROOT / "experiments" / "configs" / "erlang_a.toml", SHORT)
    return [Task(scenario, SEED, r, keep_slots=True) for r in range(reps)]


def timed(backend: Any, work: list[Any]) -> tuple[float, str]:
    """Wall seconds to consume every result, and a digest of the sorted results."""
    from sim.execution.runner import run_task

    start = time.perf_counter()
    results = list(backend.run_unordered(run_task, work))
    wall = time.perf_counter() - start
    digest = hashlib.sha256(b"".join(sorted(pickle.dumps(r) for r in results))).hexdigest()
    return wall, digest


def run_local(work: list[Any]) -> tuple[float, str]:
    """One round on a new local pool of ``WORKERS`` processes (start-up included)."""
    from sim.execution.backends import LocalProcesses

    start = time.perf_counter()
    pool = LocalProcesses(WORKERS)
    try:
        _, digest = timed(pool, work)
    finally:
        pool.close()
    return time.perf_counter() - start, digest


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Interleaved rounds of both backends; the batch size; the unbatched comparison."""
    import distributed

    from sim.execution.batching import batch_size
    from sim.execution.cluster import DaskCluster

    work = tasks(args.reps)
    found: dict[str, Any] = {"local": [], "dask": [], "digests": set()}
    with distributed.LocalCluster(n_workers=WORKERS, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        backend = DaskCluster(cluster.scheduler_address)
        try:
            found["batch"] = batch_size(len(work), backend.slots())
            timed(backend, work[:200])  # warm the workers (imports) before any clock
            for i in range(args.rounds):
                for kind in (("local", "dask") if i % 2 == 0 else ("dask", "local")):
                    wall, digest = run_local(work) if kind == "local" else timed(backend, work)
                    found[kind].append(wall)
                    found["digests"].add(digest)
                    print(f"  round {i + 1} {kind:5s} {wall:7.2f} s "
                          f"({args.reps / wall:7.1f} replications/s)", file=sys.stderr)
            if args.unbatched_reps:
                few = work[:args.unbatched_reps]
                backend.batch = 1
                found["unbatched"] = timed(backend, few)[0]
                backend.batch = None
                found["unbatched_local"] = run_local(few)[0]
        finally:
            backend.close()
    return found


def report(args: argparse.Namespace, found: dict[str, Any]) -> str:
    """The markdown report of one invocation."""
    local, dask = min(found["local"]), min(found["dask"])
    lines = [
        "# Batching on a cluster", "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} "
        f"({os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.machine()}), by `python benchmarks/bench_batching.py --reps {args.reps} "
        f"--rounds {args.rounds} --unbatched-reps {args.unbatched_reps}` (method in its "
        "docstring).", "",
        f"{args.reps} short replications (erlang_a.toml with {', '.join(SHORT)}), "
        f"{WORKERS} workers each way; Dask batch size chosen: **{found['batch']}** "
        f"replications per task. Best of {args.rounds} interleaved rounds:", "",
        "| backend | best wall s | replications/s | all rounds (s) |", "|---|---:|---:|---|",
        f"| local pool (`--jobs 2`) | {local:.2f} | {args.reps / local:.1f} | "
        f"{', '.join(f'{w:.2f}' for w in found['local'])} |",
        f"| loopback Dask, batched | {dask:.2f} | {args.reps / dask:.1f} | "
        f"{', '.join(f'{w:.2f}' for w in found['dask'])} |", "",
        f"**Dask ÷ local throughput: {local / dask:.3f}** (target ≥ 0.9).", "",
    ]
    if "unbatched" in found:
        n = args.unbatched_reps
        lines += [f"One replication per task instead ({n} replications): Dask "
                  f"{found['unbatched']:.2f} s against local {found['unbatched_local']:.2f} s, "
                  f"a ratio of {found['unbatched_local'] / found['unbatched']:.3f}.", ""]
    same = len(found["digests"]) == 1
    lines += [f"Results identical in every run and backend: {'yes' if same else '**NO**'}.", ""]
    return "\n".join(lines)


def main() -> int:
    """Parse options, measure, print the report and write it (``--write``)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--reps", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--unbatched-reps", type=int, default=2_000)
    parser.add_argument("--write", type=Path, default=None,
                        help="also write the report here (e.g. benchmarks/BATCHING_RESULTS.md)")
    args = parser.parse_args()
    text = report(args, measure(args))
    print(text)
    if args.write is not None:
        args.write.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
