"""The behavioural baseline day against validation mode: time per contact of batches of
replications, each batch in one fresh process."""

from __future__ import annotations

import statistics
import time
from typing import Any

from bench_common import (
    BASELINE,
    ERLANG_A,
    SEED,
    SERVERS,
    VALIDATION_DAY,
    VALIDATION_REPS_FACTOR,
    log,
    must,
    n_,
    our_overrides,
    queue,
    run_job,
)


def batch_job(job: dict[str, Any]) -> dict[str, Any]:
    """Replications 0..R-1 of the baseline day, or of short validation days, in one process."""
    from sim.config.loading import load_scenario
    from sim.execution.runner import run_replication

    if job["model"] == "baseline":
        scenario = load_scenario(BASELINE)
    else:
        q = queue(1, SERVERS)
        q["close"] = VALIDATION_DAY
        scenario = load_scenario(ERLANG_A, our_overrides(q))
    keys = ("arrivals", "walk_in_arrivals", "phone_arrivals", "email_arrivals")
    totals = dict.fromkeys(keys, 0.0)
    wall, cpu = time.perf_counter(), time.process_time()
    for r in range(job["reps"]):
        metrics = run_replication(scenario, SEED, r).metrics
        for k in keys:
            totals[k] += metrics[k]
    return {"job": job, "wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu,
            "totals": totals, "distractions": scenario.distractions.enabled,
            "traits": scenario.traits.enabled, "email_open": scenario.demand.email.is_open,
            "loyalty": scenario.loyalty.enabled, "warmup_s": scenario.run.warmup_s}


def batches(reps: int, repeat: int) -> dict[str, list[dict[str, Any]]]:
    """Behavioural baseline and validation-mode batches, interleaved."""
    jobs = {"baseline": {"kind": "batch", "model": "baseline", "reps": reps},
            "validation": {"kind": "batch", "model": "validation",
                           "reps": reps * VALIDATION_REPS_FACTOR}}
    out: dict[str, list[dict[str, Any]]] = {"baseline": [], "validation": []}
    for i in range(repeat):
        for kind in (("baseline", "validation") if i % 2 == 0 else ("validation", "baseline")):
            run = must(run_job(jobs[kind]))
            out[kind].append(run)
            n = run["totals"]["arrivals"]
            log(f"  batch {kind:10s} {run['job']['reps']:4d} reps {run['wall_s']:6.2f} s  "
                f"{run['wall_s'] / n * 1e6:6.2f} µs/contact")
    return out


def batch_summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    b = min(runs, key=lambda r: float(r["wall_s"]))
    n = b["totals"]["arrivals"]
    return {**b, "us": b["wall_s"] / n * 1e6, "median_us":
            statistics.median(r["wall_s"] for r in runs) / n * 1e6, "n": n}


def behaviour_section(beh: dict[str, Any], val: dict[str, Any], ratio: float,
                      runs: dict[str, list[dict[str, Any]]]) -> list[str]:
    t = beh["totals"]
    on = {True: "on", False: "off"}
    return [
        "## Behavioural baseline day vs validation mode (time per contact)", "",
        f"Behavioural: `experiments/configs/baseline.toml` as shipped (distractions "
        f"{on[beh['distractions']]}, traits {on[beh['traits']]}, loyalty {on[beh['loyalty']]}, "
        f"email {'open' if beh['email_open'] else 'closed'}, warm-up {beh['warmup_s']:g} s), "
        f"replications 0..{beh['job']['reps'] - 1} of `run_replication` in one fresh process, "
        f"timed as a whole; contacts = walk-in + phone arrivals (emails counted apart). "
        f"Validation: the M/M/10+M queue in short days (close {VALIDATION_DAY}, about 300 "
        f"customers, like a baseline day), {val['job']['reps']} replications timed the same "
        f"way, so both pay the same per-replication setup. {len(runs['baseline'])} batch(es) "
        f"each, interleaved; best (median).", "",
        "| | replications | contacts | best s | µs/contact (best) | µs/contact (median) |",
        "|---|---:|---:|---:|---:|---:|",
        f"| behavioural baseline day | {beh['job']['reps']} | {n_(beh['n'])} | "
        f"{beh['wall_s']:.2f} | {beh['us']:.2f} | {beh['median_us']:.2f} |",
        f"| validation mode, short days | {val['job']['reps']} | {n_(val['n'])} | "
        f"{val['wall_s']:.2f} | {val['us']:.2f} | {val['median_us']:.2f} |",
        f"| **ratio** | | | | **{ratio:.2f}×** | {beh['median_us'] / val['median_us']:.2f}× |",
        "",
        f"Baseline contacts: walk-in {n_(t['walk_in_arrivals'])}, phone "
        f"{n_(t['phone_arrivals'])}; emails {n_(t['email_arrivals'])} besides.", "",
    ]
