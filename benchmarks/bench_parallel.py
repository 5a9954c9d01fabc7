"""Parallel replications: the same replications on 1 and on 2 processes, the speed-up,
and whether the results are identical."""

from __future__ import annotations

import hashlib
import time
from typing import Any

from bench_common import BASELINE, SEED, log, must, run_job


def parallel_job(job: dict[str, Any]) -> dict[str, Any]:
    """``iter_replications(..., jobs)`` over replications 0..R-1 of a multi-day baseline."""
    from sim.config.loading import load_scenario
    from sim.execution.runner import iter_replications

    scenario = load_scenario(BASELINE, [f"run.days={job['days']}"])
    wall = time.perf_counter()
    results = list(iter_replications(scenario, SEED, list(range(job["reps"])), job["jobs"]))
    elapsed = time.perf_counter() - wall
    rows = sorted((r.replication, sorted(r.metrics.items())) for r in results)
    digest = hashlib.sha256(repr(rows).encode()).hexdigest()  # repr: floats exactly
    arrivals = sum(r.metrics["arrivals"] for r in results)
    return {"job": job, "wall_s": elapsed, "digest": digest, "arrivals": arrivals}


def parallel(reps: int, days: int, rounds: int) -> dict[int, list[dict[str, Any]]]:
    """The same replications on 1 and on 2 processes (alternating)."""
    out: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
    for i in range(rounds):
        for jobs in ((1, 2) if i % 2 == 0 else (2, 1)):
            run = must(run_job({"kind": "parallel", "jobs": jobs, "reps": reps, "days": days}))
            out[jobs].append(run)
            log(f"  parallel jobs={jobs} {reps} reps × {days} days {run['wall_s']:6.2f} s")
    return out


def parallel_section(ctx: dict[str, Any], t1: float, t2: float, same: bool) -> list[str]:
    par = ctx["parallel"]
    per_rep = t1 / ctx["parallel_reps"]
    return [
        "## Parallel replications", "",
        f"Method: `sim.execution.runner.iter_replications(baseline with "
        f"run.days={ctx['parallel_days']}, "
        f"seed {SEED}, replications 0..{ctx['parallel_reps'] - 1}, jobs)` in a fresh process, "
        f"wall time of the whole call (pool start-up included), jobs = 1 and 2 alternating, "
        f"{len(par[1])} run(s) each, best kept. One replication takes about {per_rep:.2f} s.",
        "",
        "| jobs | best wall s | all runs (s) |", "|---:|---:|---|",
        f"| 1 | {t1:.2f} | {seconds(par[1])} |",
        f"| 2 | {t2:.2f} | {seconds(par[2])} |",
        f"| **speed-up** | **{t1 / t2:.2f}×** | |", "",
        f"Metrics of every replication identical for jobs = 1 and 2: "
        f"{'yes' if same else '**NO**'} (hash of the sorted metric rows).", "",
    ]


def seconds(runs: list[dict[str, Any]]) -> str:
    return ", ".join(f"{r['wall_s']:.2f}" for r in runs)
