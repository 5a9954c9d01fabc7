#!/usr/bin/env python3
"""countersim benchmark: speed and memory of the validation-mode model against a minimal
SimPy model and Ciw, the behavioural day against validation mode, scaling with servers,
parallel replications, the variance reduction of common random numbers, and whole
processes (``countersim --help``, ``countersim run`` against a minimal SimPy script, the
main job split into phases).

The queue is M/M/10+M (Erlang-A): lambda = 9.5/min, mu = 1/min, theta = 0.5/min (mean
service 1 min, mean patience 2 min), started empty. The three models:

* countersim: ``sim.execution.runner.run_replication`` on ``experiments/configs/erlang_a.toml`` with
  overrides (validation mode: every behaviour off; metrics accumulator on, records off);
* minimal SimPy: ``benchmarks/minimal_simpy.py`` (one process per customer,
  ``simpy.Resource``, ``req | env.timeout(patience)``);
* Ciw: ``benchmarks/ciw_model.py`` (``ciw.create_network`` with exponential arrivals and
  services, ``number_of_servers=[10]`` and ``reneging_time_distributions``).

Every measurement runs in a fresh subprocess of this script (``--worker``), so imports,
garbage and allocator state never carry over. Timings are repeated and interleaved; the
report gives the best of the repeats (other work on the machine can only slow a run down)
and every ratio is formed from runs of the same benchmark invocation.

The parts, one module each: ``bench_common`` (the queue, running a job in a fresh worker,
formatting), ``bench_speed`` (speed and scaling), ``bench_memory``, ``bench_behaviour``
(behavioural day vs validation mode), ``bench_parallel``, ``bench_crn`` (common random
numbers), ``bench_process`` (whole processes; ``main_job_timed.py`` times the main job's
phases) and ``bench_report`` (the markdown report).

Usage::

    python3 benchmarks/bench.py            # full run, writes benchmarks/RESULTS.md
    python3 benchmarks/bench.py --quick    # sanity run in seconds, benchmarks/out/RESULTS-quick.md
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench_behaviour import batch_job, batches
from bench_common import BENCH_DIR, ROOT, log, must, run_job
from bench_crn import crn_job
from bench_memory import memory
from bench_parallel import parallel, parallel_job
from bench_process import help_runs, main_job, whole_runs
from bench_report import build_report, loadavg, write_atomic
from bench_speed import scaling, speed_job, timing

FULL: dict[str, Any] = {
    "sizes": (200_000, 1_000_000), "repeat": 3, "memory_sizes": (100_000, 200_000, 1_000_000),
    "batch_reps": 200, "scaling_customers": 100_000, "scaling_servers": (10, 50, 200),
    "parallel_reps": 16, "parallel_days": 150, "parallel_rounds": 2, "crn_reps": 200,
    "process_repeat": 3, "whole_reps": 15, "out": BENCH_DIR / "RESULTS.md",
}
QUICK: dict[str, Any] = {
    "sizes": (5_000, 20_000), "repeat": 1, "memory_sizes": (5_000, 20_000),
    "batch_reps": 10, "scaling_customers": 5_000, "scaling_servers": (10, 50, 200),
    "parallel_reps": 4, "parallel_days": 2, "parallel_rounds": 1, "crn_reps": 20,
    "process_repeat": 1, "whole_reps": 1,
    "out": BENCH_DIR / "out" / "RESULTS-quick.md",  # git-ignored: never the real results
}

WORKERS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "speed": speed_job, "batch": batch_job, "parallel": parallel_job, "crn": crn_job}


def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="sanity run: small sizes, one repeat (well under 30 s)")
    ap.add_argument("--out", type=Path, default=None, help="markdown file to write")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.worker is not None:
        job = json.loads(args.worker)
        print(json.dumps(WORKERS[job["kind"]](job)))
        return 0
    sys.path[:0] = [str(BENCH_DIR), str(ROOT)]
    p = QUICK if args.quick else FULL
    ctx: dict[str, Any] = {
        **{k: v for k, v in p.items() if k != "out"},
        "command": " ".join(shlex.quote(a) for a in
                            ["python3", os.path.relpath(__file__, Path.cwd()), *argv]),
        "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "load_start": loadavg(),
    }
    t0 = time.perf_counter()
    log(f"speed: {p['sizes']} customers, up to {p['repeat']} run(s) per model")
    ctx["timing"] = timing(p["sizes"], p["repeat"])
    log("memory (tracemalloc)")
    ctx["peaks"] = memory(p["memory_sizes"], p["sizes"], ctx["timing"])
    log("behavioural baseline vs validation batches")
    ctx["batches"] = batches(p["batch_reps"], p["repeat"])
    log("scaling with servers")
    ctx["scaling"] = scaling(p["scaling_customers"], p["scaling_servers"], p["repeat"])
    log("parallel replications")
    ctx["parallel"] = parallel(p["parallel_reps"], p["parallel_days"], p["parallel_rounds"])
    log("common random numbers")
    ctx["crn"] = must(run_job({"kind": "crn", "reps": p["crn_reps"]}))
    log("whole processes: countersim --help")
    ctx["help"] = help_runs(p["process_repeat"] + 2)
    log(f"whole processes: countersim run, {p['whole_reps']} one-day replications")
    ctx["whole"] = whole_runs(p["whole_reps"], p["process_repeat"])
    log("whole processes: the main job" + (" (--smoke)" if args.quick else ""))
    ctx["main_job"] = main_job(args.quick)
    ctx["elapsed_s"] = time.perf_counter() - t0
    report = build_report(ctx)
    print(report)
    out = args.out or p["out"]
    write_atomic(out, report)
    log(f"written to {out} ({ctx['elapsed_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
