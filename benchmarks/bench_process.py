"""Whole processes, as a user feels them: ``countersim --help`` (wall time, peak RSS),
``countersim run`` on the 205 000-customer case against a minimal SimPy script run as a
whole process, and the main job (``make run``) split into phases, with the files it
writes. Each run is a fresh process timed from outside (``time.perf_counter`` around
``subprocess.run``; peak RSS from ``/usr/bin/time -f %M`` when it exists)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_common import BENCH_DIR, ERLANG_A, MU_PER_MIN, ROOT, THETA_PER_MIN, log, n_

GNU_TIME = "/usr/bin/time"
DAY_LAMBDA_PER_MIN = 9.5  # M/M/10+M, about 13 680 customers a day
RUN_SETS = [
    f"demand.walk_in.rate_per_hour={DAY_LAMBDA_PER_MIN * 60.0!r}",
    f'demand.walk_in.service={{dist = "exponential", mean_s = {60.0 / MU_PER_MIN!r}}}',
    f'demand.walk_in.patience={{dist = "exponential", mean_s = {60.0 / THETA_PER_MIN!r}}}',
    "staff.counter=10", "run.warmup_s=0",
]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT),
                                                         os.environ.get("PYTHONPATH", "")])}


def timed_process(cmd: list[str], cwd: Path = ROOT) -> dict[str, Any]:
    """Run ``cmd`` once: wall seconds (perf_counter around it) and peak RSS (KiB, or None)."""
    rss_file = None
    if Path(GNU_TIME).exists():
        fd, rss_file = tempfile.mkstemp(prefix="bench-rss-")
        os.close(fd)
        cmd = [GNU_TIME, "-f", "%M", "-o", rss_file, *cmd]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=_env(), check=False)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed ({proc.returncode}):\n"
                         f"{proc.stderr.strip()[-2000:]}")
    rss = None
    if rss_file is not None:
        text = Path(rss_file).read_text(encoding="utf-8").split()
        os.unlink(rss_file)
        rss = int(text[-1]) if text else None
    return {"wall_s": wall, "rss_kib": rss}


def help_runs(repeat: int) -> list[dict[str, Any]]:
    """``countersim --help`` (as ``python -m sim --help``), after one unrecorded warm-up run
    (byte-code written, files in the page cache)."""
    cmd = [sys.executable, "-m", "sim", "--help"]
    timed_process(cmd)
    return [timed_process(cmd) for _ in range(repeat)]


def whole_runs(reps: int, repeat: int) -> dict[str, list[dict[str, Any]]]:
    """``countersim run`` of ``reps`` one-day replications (jobs 1, the default, and jobs 2)
    against ``minimal_simpy.py reps``, interleaved with the order rotating, each once
    unrecorded first."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-run-"))
    sets = [x for s in RUN_SETS for x in ("--set", s)]

    def ours(jobs: int) -> list[str]:
        return [sys.executable, "-m", "sim", "run", str(ERLANG_A), "--reps", str(reps),
                "--jobs", str(jobs), *sets, "--out", str(tmp / "out")]

    cmds = {"countersim run": ours(1), "countersim run --jobs 2": ours(2),
            "minimal SimPy script": [sys.executable, str(BENCH_DIR / "minimal_simpy.py"),
                                     str(reps)]}
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in cmds}
    names = list(cmds)
    try:
        for i in range(repeat + 1):
            for name in names[i % len(names):] + names[:i % len(names)]:
                shutil.rmtree(tmp / "out", ignore_errors=True)
                run = timed_process(cmds[name], cwd=tmp)
                if i > 0:  # the first round warms up
                    out[name].append(run)
                    log(f"  {name}: {run['wall_s']:.2f} s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def main_job(quick: bool) -> dict[str, Any]:
    """One run of the main job (``--smoke`` when quick) through ``main_job_timed.py``: the
    phases, the process's wall time and the files it wrote."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-main-"))
    try:
        timings = tmp / "timings.json"
        folder = tmp / "results"
        cmd = [sys.executable, str(BENCH_DIR / "main_job_timed.py"), str(timings),
               *(["--smoke"] if quick else []), "--out", str(folder)]
        run = timed_process(cmd, cwd=tmp)
        found = json.loads(timings.read_text(encoding="utf-8"))
        files = sum(len(f) for _, _, f in os.walk(folder))
        return {**run, **found, "files": files, "smoke": quick,
                "jobs": os.cpu_count()}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def best_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return min(runs, key=lambda r: float(r["wall_s"]))


def walls(runs: list[dict[str, Any]]) -> str:
    return ", ".join(f"{r['wall_s']:.2f}" for r in runs)


def mib_kib(kib: int | None) -> str:
    return "n/a" if kib is None else f"{kib / 1024:.0f} MiB"


def process_section(ctx: dict[str, Any]) -> list[str]:
    """The report's section on whole processes."""
    hp, wr, mj = ctx["help"], ctx["whole"], ctx["main_job"]
    reps = ctx["whole_reps"]
    minimal = best_run(wr["minimal SimPy script"])["wall_s"]
    L = ["## Whole processes", "",
         "Method: each run a fresh process timed from outside (`time.perf_counter` around "
         "`subprocess.run`), peak RSS from `/usr/bin/time -f %M`; one unrecorded warm-up "
         "run first (byte-code written, files cached), then the runs interleaved with the "
         "order rotating; best kept.", "",
         f"`countersim --help` (`python -m sim --help`), {len(hp)} runs: best "
         f"**{best_run(hp)['wall_s']:.2f} s**, peak RSS {mib_kib(best_run(hp)['rss_kib'])} "
         f"(all: {walls(hp)} s).", "",
         f"`countersim run experiments/configs/erlang_a.toml --reps {reps}` with "
         f"`--set` {', '.join(f'`{s}`' for s in RUN_SETS)} (M/M/10+M, λ 9.5/min, "
         f"{reps} one-day replications, about {n_(reps * 13_680)} customers; it writes "
         f"its tables and parts) against `python benchmarks/minimal_simpy.py {reps}` (the "
         "same queue and days, prints its counts):", "",
         "| process | runs | best wall s | all (s) | peak RSS | minimal SimPy ÷ this |",
         "|---|---:|---:|---|---:|---:|"]
    for name, runs in wr.items():
        b = best_run(runs)
        L.append(f"| {name} | {len(runs)} | {b['wall_s']:.2f} | "
                 f"{walls(runs)} | {mib_kib(b['rss_kib'])} | "
                 f"{minimal / b['wall_s']:.2f}× |")
    ph = mj["phases"]
    what = "`--smoke` (no robustness study)" if mj["smoke"] else "as `make run` runs it"
    L += ["", f"Main job (`experiments/staffing_policies.py`, {what}, default jobs on "
          f"{mj['jobs']} cores), one run through `benchmarks/main_job_timed.py`, which wraps "
          "the pipeline's functions from outside (normal runs print nothing more): process "
          f"wall **{mj['wall_s']:.1f} s**, {n_(mj['files'])} files written.", "",
          "| phase | wall s | share |", "|---|---:|---:|"]
    for name in ("startup", "simulate", "store", "tables", "timeline", "figures", "report",
                 "robustness"):
        L.append(f"| {name} | {ph[name]:.1f} | {ph[name] / ph['total']:.0%} |")
    L += [f"| **total (in process)** | {ph['total']:.1f} | |", "",
          "startup: imports, grid, preflight and folder before the sweep; simulate: the "
          "main process waiting on the pool (sweep minus store); store: saving and loading "
          "the per-replication results; timeline: the one-day timeline simulated again with "
          "records; figures: drawing (matplotlib's import included)."
          + (f" Not wrapped (missing in this version): {', '.join(mj['missing'])}."
             if mj["missing"] else ""), ""]
    return L
