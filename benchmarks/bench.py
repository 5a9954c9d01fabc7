#!/usr/bin/env python3
"""countersim benchmark: speed and memory of the validation-mode model against a minimal
SimPy model and Ciw, the behavioural day against validation mode, scaling with servers,
parallel replications and the variance reduction of common random numbers.

The queue is M/M/10+M (Erlang-A): lambda = 9.5/min, mu = 1/min, theta = 0.5/min (mean
service 1 min, mean patience 2 min), started empty. The three models:

* countersim: ``sim.runner.run_replication`` on ``experiments/configs/erlang_a.toml`` with
  overrides (validation mode: every behaviour off; metrics accumulator on, records off);
* minimal SimPy: ``benchmarks/minimal_simpy.py`` (one process per customer,
  ``simpy.Resource``, ``req | env.timeout(patience)``);
* Ciw: ``benchmarks/ciw_model.py`` (``ciw.create_network`` with exponential arrivals and
  services, ``number_of_servers=[10]`` and ``reneging_time_distributions``).

Every measurement runs in a fresh subprocess of this script (``--worker``), so imports,
garbage and allocator state never carry over. Timings are repeated and interleaved; the
report gives the best of the repeats (other work on the machine can only slow a run down)
and every ratio is formed from runs of the same benchmark invocation.

Usage::

    python3 benchmarks/bench.py            # full run, writes benchmarks/RESULTS.md
    python3 benchmarks/bench.py --quick    # sanity run in seconds, benchmarks/out/RESULTS-quick.md
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import math
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
ERLANG_A = ROOT / "experiments" / "configs" / "erlang_a.toml"
BASELINE = ROOT / "experiments" / "configs" / "baseline.toml"

# The queue: per server lambda/N = 0.95/min (so rho = 0.95 for any N), mu = 1/min, theta = 0.5/min.
LOAD_PER_SERVER = 0.95   # arrivals per minute per server
MU_PER_MIN = 1.0
THETA_PER_MIN = 0.5
SERVERS = 10
SEED = 1
OTHER_SEED = 1_000_003   # the second policy's seed when streams are *not* shared (CRN section)

# Targets (the verdict column of the summary table).
TARGET_VS_MINIMAL = 1.5
TARGET_VS_CIW = 3.0
TARGET_BEHAVIOUR = 2.0
TARGET_MEMORY = 1.2
AGREE_REL = 0.05         # "same queue": each model within 5% (relative) of the exact value
CIW_BUDGET_S = 300.0     # Ciw at the larger size only if predicted to take less than this
HAS_CIW = importlib.util.find_spec("ciw") is not None  # the `bench` extra; else Ciw is skipped

FULL: dict[str, Any] = {
    "sizes": (200_000, 1_000_000), "repeat": 3, "memory_sizes": (100_000, 200_000, 1_000_000),
    "batch_reps": 200, "scaling_customers": 100_000, "scaling_servers": (10, 50, 200),
    "parallel_reps": 16, "parallel_days": 150, "parallel_rounds": 2, "crn_reps": 200,
    "out": BENCH_DIR / "RESULTS.md",
}
QUICK: dict[str, Any] = {
    "sizes": (5_000, 20_000), "repeat": 1, "memory_sizes": (5_000, 20_000),
    "batch_reps": 10, "scaling_customers": 5_000, "scaling_servers": (10, 50, 200),
    "parallel_reps": 4, "parallel_days": 2, "parallel_rounds": 1, "crn_reps": 20,
    "out": BENCH_DIR / "out" / "RESULTS-quick.md",  # git-ignored: never the real results
}
MODELS = ("ours", "minimal", "ciw")
LABEL = {"ours": "countersim", "minimal": "minimal SimPy", "ciw": "Ciw"}
VALIDATION_DAY = "0:32"  # a short validation day: about 300 customers, like a baseline day
VALIDATION_REPS_FACTOR = 3


# --------------------------------------------------------------------------- the queue


def queue(customers: int, servers: int = SERVERS) -> dict[str, Any]:
    """Rates and a horizon (whole minutes, as a clock time) for about ``customers``."""
    lam = LOAD_PER_SERVER * servers
    minutes = math.ceil(customers / lam)
    hours, mins = divmod(minutes, 60)
    return {"servers": servers, "lambda_per_min": lam, "horizon_min": float(minutes),
            "close": f"{hours}:{mins:02d}"}


def our_overrides(q: dict[str, Any]) -> list[str]:
    """``--set`` overrides turning erlang_a.toml into the benchmark queue."""
    return [
        f"demand.walk_in.rate_per_hour={q['lambda_per_min'] * 60.0!r}",
        f'demand.walk_in.service={{dist = "exponential", mean_s = {60.0 / MU_PER_MIN!r}}}',
        f'demand.walk_in.patience={{dist = "exponential", mean_s = {60.0 / THETA_PER_MIN!r}}}',
        f"staff.counter={q['servers']}",
        "run.warmup_s=0",
        f'hours.close="{q["close"]}"',
    ]


def exact_erlang_a(servers: int = SERVERS) -> dict[str, float]:
    """Steady-state Erlang-A values (sim.theory), times in seconds."""
    from sim.theory import erlang_a_metrics

    lam = LOAD_PER_SERVER * servers / 60.0
    m = erlang_a_metrics(lam, MU_PER_MIN / 60.0, THETA_PER_MIN / 60.0, servers, 20.0)
    return {"abandon_fraction": m.p_abandon, "mean_wait_s": m.mean_wait, "p_wait": m.p_wait}


# --------------------------------------------------------------------------- worker side


def _prepare(model: str, q: dict[str, Any], seed: int
             ) -> tuple[Callable[[], Any], Callable[[Any], dict[str, float]]]:
    """The call to time for ``model`` and how to read its statistics afterwards."""
    if model == "ours":
        from sim.config import load_scenario
        from sim.runner import run_replication

        scenario = load_scenario(ERLANG_A, our_overrides(q))

        def ours_stats(result: Any) -> dict[str, float]:
            m = result.metrics
            return {"arrivals": m["arrivals"], "abandon_fraction": m["walkout_rate"],
                    "mean_wait_s": m["mean_wait_s"], "p_wait": m["p_wait"]}

        return (lambda: run_replication(scenario, seed, 0)), ours_stats
    if model == "minimal":
        import minimal_simpy

        args = (q["lambda_per_min"] / 60.0, 60.0 / MU_PER_MIN, 60.0 / THETA_PER_MIN,
                q["servers"], q["horizon_min"] * 60.0, seed)
        return (lambda: minimal_simpy.simulate(*args)), (lambda s: s.metrics())
    if model == "ciw":
        import ciw_model

        args = (q["lambda_per_min"], MU_PER_MIN, THETA_PER_MIN, q["servers"], q["horizon_min"],
                seed)
        return (lambda: ciw_model.simulate(*args)), ciw_model.summary
    raise SystemExit(f"bench: unknown model {model!r}")


def speed_job(job: dict[str, Any]) -> dict[str, Any]:
    """One run of one model: wall and CPU time, or the tracemalloc peak."""
    import gc
    import tracemalloc

    q = queue(job["customers"], job.get("servers", SERVERS))
    call, read = _prepare(job["model"], q, job.get("seed", SEED))
    gc.collect()
    out: dict[str, Any] = {"job": job, "close": q["close"]}
    if job.get("trace"):
        tracemalloc.start()
        result = call()
        out["peak_bytes"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    else:
        wall, cpu = time.perf_counter(), time.process_time()
        result = call()
        out["wall_s"] = time.perf_counter() - wall
        out["cpu_s"] = time.process_time() - cpu
    out["stats"] = read(result)
    return out


def batch_job(job: dict[str, Any]) -> dict[str, Any]:
    """Replications 0..R-1 of the baseline day, or of short validation days, in one process."""
    from sim.config import load_scenario
    from sim.runner import run_replication

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


def parallel_job(job: dict[str, Any]) -> dict[str, Any]:
    """``iter_replications(..., jobs)`` over replications 0..R-1 of a multi-day baseline."""
    from sim.config import load_scenario
    from sim.runner import iter_replications

    scenario = load_scenario(BASELINE, [f"run.days={job['days']}"])
    wall = time.perf_counter()
    results = list(iter_replications(scenario, SEED, list(range(job["reps"])), job["jobs"]))
    elapsed = time.perf_counter() - wall
    rows = sorted((r.replication, sorted(r.metrics.items())) for r in results)
    digest = hashlib.sha256(repr(rows).encode()).hexdigest()  # repr: floats exactly
    arrivals = sum(r.metrics["arrivals"] for r in results)
    return {"job": job, "wall_s": elapsed, "digest": digest, "arrivals": arrivals}


def crn_job(job: dict[str, Any]) -> dict[str, Any]:
    """Walkout rates of the baseline under finish_first and greet_first, replications
    0..R-1: greet_first with the same seed (common random numbers) and with another."""
    from sim.config import load_scenario
    from sim.runner import run_replication

    finish = load_scenario(BASELINE, ["acknowledgment.policy=finish_first"])
    greet = load_scenario(BASELINE, ["acknowledgment.policy=greet_first"])
    reps = range(job["reps"])
    return {
        "job": job,
        "finish": [run_replication(finish, SEED, r).metrics["walkout_rate"] for r in reps],
        "greet_same": [run_replication(greet, SEED, r).metrics["walkout_rate"] for r in reps],
        "greet_other": [run_replication(greet, OTHER_SEED, r).metrics["walkout_rate"]
                        for r in reps],
    }


WORKERS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "speed": speed_job, "batch": batch_job, "parallel": parallel_job, "crn": crn_job}


# --------------------------------------------------------------------------- parent side


def run_job(job: dict[str, Any], timeout_s: float | None = None) -> dict[str, Any] | None:
    """Run ``job`` in a fresh interpreter; its JSON answer, or None if it timed out."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(job)]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1",
           "PYTHONPATH": os.pathsep.join([str(BENCH_DIR), str(ROOT),
                                          os.environ.get("PYTHONPATH", "")])}
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env,
                              check=False, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return None
    if proc.returncode != 0:
        raise SystemExit(f"bench: worker failed ({proc.returncode}) for {job}:\n"
                         f"{proc.stderr.strip()}")
    answer: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return answer


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def must(answer: dict[str, Any] | None) -> dict[str, Any]:
    if answer is None:
        raise SystemExit("bench: a worker timed out")
    return answer


def rate(run: dict[str, Any]) -> float:
    """Customers per second of wall time."""
    return float(run["stats"]["arrivals"]) / float(run["wall_s"])


def best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest of repeated runs (same seed: same customers)."""
    return min(runs, key=lambda r: float(r["wall_s"]))


def timing(sizes: tuple[int, ...], repeat: int) -> dict[int, dict[str, list[dict[str, Any]]]]:
    """Speed runs per size and model, interleaved (order rotates each repeat)."""
    out: dict[int, dict[str, list[dict[str, Any]]]] = {}
    ciw_s_per_customer = 0.0
    for n in sizes:
        out[n] = {m: [] for m in MODELS}
        ciw_ok = HAS_CIW and ciw_s_per_customer * n < CIW_BUDGET_S
        ciw_repeat = repeat if ciw_s_per_customer * n * repeat < CIW_BUDGET_S / 2 else 1
        for i in range(repeat):
            order = MODELS[i % 3:] + MODELS[:i % 3]
            for model in order:
                if model == "ciw" and (not ciw_ok or i >= ciw_repeat):
                    continue
                run = must(run_job({"kind": "speed", "model": model, "customers": n}))
                out[n][model].append(run)
                log(f"  speed {n:>9,} {model:8s} {run['wall_s']:7.2f} s  "
                    f"{rate(run):>9,.0f} customers/s")
        if out[n]["ciw"]:
            ciw_s_per_customer = best(out[n]["ciw"])["wall_s"] / n
        else:
            log(f"  speed {n:>9,} ciw      skipped: "
                + (f"predicted over {CIW_BUDGET_S:.0f} s" if HAS_CIW else "ciw not installed"))
    return out


def memory(mem_sizes: tuple[int, ...], speed_sizes: tuple[int, ...],
           timings: dict[int, dict[str, list[dict[str, Any]]]]) -> dict[tuple[str, int], int]:
    """tracemalloc peaks: countersim at every memory size, the others at the speed sizes."""
    peaks: dict[tuple[str, int], int] = {}
    for model in MODELS:
        for n in (mem_sizes if model == "ours" else speed_sizes):
            if model == "ciw" and not timings.get(n, {}).get("ciw"):
                continue
            run = must(run_job({"kind": "speed", "model": model, "customers": n,
                                "trace": True}))
            peaks[(model, n)] = int(run["peak_bytes"])
            log(f"  memory {n:>9,} {model:8s} peak {run['peak_bytes'] / 2**20:8.2f} MiB")
    return peaks


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


def scaling(customers: int, servers: tuple[int, ...], repeat: int
            ) -> dict[int, dict[str, list[dict[str, Any]]]]:
    """Speed at several server counts, the load per server fixed."""
    out: dict[int, dict[str, list[dict[str, Any]]]] = {}
    for c in servers:
        out[c] = {m: [] for m in MODELS}
        for i in range(repeat):
            for model in MODELS[i % 3:] + MODELS[:i % 3]:
                if model == "ciw" and (i > 0 or not HAS_CIW):
                    continue  # Ciw once per server count: it is the slow one
                run = must(run_job({"kind": "speed", "model": model, "customers": customers,
                                    "servers": c}))
                out[c][model].append(run)
                log(f"  scaling {c:3d} servers {model:8s} {rate(run):>9,.0f} customers/s")
    return out


def parallel(reps: int, days: int, rounds: int) -> dict[int, list[dict[str, Any]]]:
    """The same replications on 1 and on 2 processes (alternating)."""
    out: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
    for i in range(rounds):
        for jobs in ((1, 2) if i % 2 == 0 else (2, 1)):
            run = must(run_job({"kind": "parallel", "jobs": jobs, "reps": reps, "days": days}))
            out[jobs].append(run)
            log(f"  parallel jobs={jobs} {reps} reps × {days} days {run['wall_s']:6.2f} s")
    return out


# --------------------------------------------------------------------------- report


def machine_info() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh
                        if line.startswith("model name")), cpu)
    except OSError:
        pass
    versions = []
    for mod in ("simpy", "ciw", "numpy"):
        try:
            versions.append(f"{mod} {__import__(mod).__version__}")
        except ImportError:
            versions.append(f"{mod} (missing)")
    return {"cpu": f"{cpu}, {os.cpu_count()} logical cores",
            "python": f"Python {platform.python_version()} ({platform.python_implementation()})"
                      f", " + ", ".join(versions)}


def loadavg() -> str:
    try:
        with open("/proc/loadavg", encoding="utf-8") as fh:
            return " ".join(fh.read().split()[:3])
    except OSError:
        return "n/a"


def n_(x: float) -> str:
    return f"{x:,.0f}".replace(",", " ")


def mib(b: float) -> str:
    return f"{b / 2**20:.2f} MiB"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def speed_rows(t: dict[int, dict[str, list[dict[str, Any]]]]) -> list[str]:
    rows = ["| customers | model | runs | arrivals | best s | customers/s (best) | "
            "CPU s (best run) | countersim ÷ this |",
            "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for n, by_model in t.items():
        ours = rate(best(by_model["ours"]))
        for model in MODELS:
            runs = by_model[model]
            if not runs:
                why = (f"over {CIW_BUDGET_S:.0f} s predicted" if HAS_CIW
                       else "Ciw not installed: `pip install -e '.[bench]'`")
                rows.append(f"| {n_(n)} | {LABEL[model]} | 0 | | | not run ({why}) | | |")
                continue
            b = best(runs)
            ratio = "" if model == "ours" else f"{ours / rate(b):.2f}×"
            rows.append(f"| {n_(n)} | {LABEL[model]} | {len(runs)} | "
                        f"{n_(b['stats']['arrivals'])} | {b['wall_s']:.2f} | {n_(rate(b))} | "
                        f"{b['cpu_s']:.2f} | {ratio} |")
    return rows


def same_queue_rows(t: dict[int, dict[str, list[dict[str, Any]]]]) -> tuple[list[str], bool]:
    """Each model's statistics from its largest run against the exact Erlang-A values."""
    exact = exact_erlang_a()
    largest = {m: max(n for n in t if t[n][m]) for m in MODELS if any(t[n][m] for n in t)}
    stats = {m: t[n][m][0]["stats"] for m, n in largest.items()}
    rows = ["| metric | " + " | ".join(f"{LABEL[m]} ({n_(n)} customers)"
                                       for m, n in largest.items()) + " | Erlang-A exact |",
            "|---|" + "---:|" * (len(stats) + 1)]
    ok = True
    for key, label, fmt in (("abandon_fraction", "abandonment fraction", "{:.4f}"),
                            ("mean_wait_s", "mean wait (s)", "{:.2f}"),
                            ("p_wait", "P(wait > 0)", "{:.4f}")):
        cells = []
        for s in stats.values():
            rel = s[key] / exact[key] - 1.0
            ok = ok and abs(rel) <= AGREE_REL
            cells.append(f"{fmt.format(s[key])} ({rel:+.1%})")
        rows.append(f"| {label} | " + " | ".join(cells) + f" | {fmt.format(exact[key])} |")
    return rows, ok


def batch_summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    b = min(runs, key=lambda r: float(r["wall_s"]))
    n = b["totals"]["arrivals"]
    return {**b, "us": b["wall_s"] / n * 1e6, "median_us":
            statistics.median(r["wall_s"] for r in runs) / n * 1e6, "n": n}


def crn_summary(c: dict[str, Any]) -> dict[str, float]:
    same = [g - f for f, g in zip(c["finish"], c["greet_same"], strict=True)]
    other = [g - f for f, g in zip(c["finish"], c["greet_other"], strict=True)]
    return {"reps": len(same), "mean_same": statistics.fmean(same),
            "mean_other": statistics.fmean(other), "var_same": statistics.variance(same),
            "var_other": statistics.variance(other),
            "var_finish": statistics.variance(c["finish"]),
            "var_greet": statistics.variance(c["greet_same"])}


def build_report(ctx: dict[str, Any]) -> str:
    """The markdown report (ctx: every measurement plus the run's metadata)."""
    t, sizes = ctx["timing"], ctx["sizes"]
    small, large = sizes
    ours_small, ours_large = (rate(best(t[n]["ours"])) for n in sizes)
    vs_min = [ours_small / rate(best(t[small]["minimal"])),
              ours_large / rate(best(t[large]["minimal"]))]
    vs_ciw = [rate(best(t[n]["ours"])) / rate(best(t[n]["ciw"])) for n in sizes if t[n]["ciw"]]
    peaks = ctx["peaks"]
    mem_lo, mem_hi = ctx["memory_sizes"][0], ctx["memory_sizes"][-1]
    mem_ratio = peaks[("ours", mem_hi)] / peaks[("ours", mem_lo)]
    beh, val = batch_summary(ctx["batches"]["baseline"]), batch_summary(
        ctx["batches"]["validation"])
    beh_ratio = beh["us"] / val["us"]
    par = ctx["parallel"]
    t1, t2 = min(r["wall_s"] for r in par[1]), min(r["wall_s"] for r in par[2])
    same_results = len({r["digest"] for r in par[1] + par[2]}) == 1
    crn = crn_summary(ctx["crn"])
    sc = ctx["scaling"]
    queue_rows, agree = same_queue_rows(t)
    info = machine_info()
    L = [
        "# countersim benchmark", "",
        "| | |", "|---|---|",
        f"| machine | {info['cpu']} |",
        f"| software | {info['python']} |",
        f"| date | {ctx['started']} |",
        f"| command | `{ctx['command']}` |",
        f"| load average (1/5/15 min), start → end | {ctx['load_start']} → {loadavg()} |",
        f"| total wall time | {ctx['elapsed_s']:.0f} s |",
        "",
        "## Summary", "",
        "| measure | result | target | |", "|---|---:|---:|---|",
        f"| validation-mode throughput, M/M/10+M, {n_(small)} / {n_(large)} customers | "
        f"{n_(ours_small)} / {n_(ours_large)} customers/s | | |",
        f"| ÷ minimal SimPy ({n_(small)} / {n_(large)}) | {vs_min[0]:.2f}× / {vs_min[1]:.2f}× "
        f"| ≥ {TARGET_VS_MINIMAL}× | {verdict(min(vs_min) >= TARGET_VS_MINIMAL)} |",
        f"| ÷ Ciw ({' / '.join(n_(n) for n in sizes if t[n]['ciw']) or 'not run'}) | "
        f"{' / '.join(f'{r:.2f}×' for r in vs_ciw)} | ≥ {TARGET_VS_CIW}× | "
        f"{verdict(min(vs_ciw) >= TARGET_VS_CIW) if vs_ciw else 'not measured'} |",
        f"| peak memory (tracemalloc), countersim {n_(mem_hi)} ÷ {n_(mem_lo)} customers | "
        f"{mem_ratio:.2f}× | ≤ {TARGET_MEMORY}× | {verdict(mem_ratio <= TARGET_MEMORY)} |",
        f"| behavioural baseline day ÷ validation mode, time per contact | {beh_ratio:.2f}× | "
        f"≤ {TARGET_BEHAVIOUR}× | {verdict(beh_ratio <= TARGET_BEHAVIOUR)} |",
        "| countersim customers/s at 10 / 50 / 200 servers (ρ = 0.95) | "
        + " / ".join(n_(rate(best(sc[c]["ours"]))) for c in sc) + " | | |",
        f"| parallel speed-up, {ctx['parallel_reps']} replications on 2 processes | "
        f"{t1 / t2:.2f}× | (2 cores) | results identical: {'yes' if same_results else 'NO'} |",
        f"| variance of the paired policy difference, independent ÷ common random numbers | "
        f"{crn['var_other'] / crn['var_same']:.1f}× | | |",
        f"| same queue: every model within {AGREE_REL:.0%} of Erlang-A | "
        f"{'yes' if agree else 'no'} | | |",
        "",
    ]
    L += speed_section(ctx, queue_rows)
    L += memory_section(ctx, mem_ratio)
    L += behaviour_section(beh, val, beh_ratio, ctx["batches"])
    L += scaling_section(ctx)
    L += parallel_section(ctx, t1, t2, same_results)
    L += crn_section(crn)
    return "\n".join(L) + "\n"


def speed_section(ctx: dict[str, Any], queue_rows: list[str]) -> list[str]:
    t = ctx["timing"]
    return [
        "## Speed: M/M/10+M (λ = 9.5/min, μ = 1/min, θ = 0.5/min), from empty", "",
        f"Method: each run is a fresh subprocess timed around the model call only "
        f"(`time.perf_counter`; imports and scenario building excluded; countersim's time "
        f"includes its metrics accumulator and final metrics row). Up to {ctx['repeat']} runs "
        f"per model and size, interleaved with the order rotating, all with seed {SEED}; "
        f"the table keeps the fastest (Ciw: repeated only while cheap). Customers/s = "
        f"arrivals ÷ wall seconds. The three models draw different random numbers, so their "
        f"arrival counts differ slightly.", "",
        *speed_rows(t), "",
        "### Same queue? (the largest run of each model; relative difference to exact)", "",
        "Steady-state values from `sim.theory.erlang_a_metrics`; the runs start empty, which "
        "biases every model slightly low.", "",
        *queue_rows, "",
    ]


def memory_section(ctx: dict[str, Any], mem_ratio: float) -> list[str]:
    peaks = ctx["peaks"]
    rows = ["| model | customers | tracemalloc peak |", "|---|---:|---:|"]
    for (model, n), peak in sorted(peaks.items(), key=lambda kv: (MODELS.index(kv[0][0]),
                                                                 kv[0][1])):
        rows.append(f"| {LABEL[model]} | {n_(n)} | {mib(peak)} |")
    lo, hi = ctx["memory_sizes"][0], ctx["memory_sizes"][-1]
    return [
        "## Peak memory (tracemalloc, records off)", "",
        "Method: a separate fresh subprocess per row; `tracemalloc` starts just before the "
        "model call and its peak is read after it. countersim keeps no per-customer records "
        "(metrics are accumulated online); Ciw keeps every individual and its records.", "",
        *rows, "",
        f"countersim {n_(hi)} ÷ {n_(lo)}: **{mem_ratio:.2f}×** (target ≤ {TARGET_MEMORY}×).", "",
    ]


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


def scaling_section(ctx: dict[str, Any]) -> list[str]:
    sc = ctx["scaling"]
    rows = ["| servers | λ per min | countersim customers/s | minimal SimPy | Ciw | "
            "countersim ÷ minimal | countersim ÷ Ciw |", "|---:|---:|---:|---:|---:|---:|---:|"]
    for c, by_model in sc.items():
        r = {m: rate(best(runs)) for m, runs in by_model.items() if runs}
        ciw, vs_ciw = ((n_(r["ciw"]), f"{r['ours'] / r['ciw']:.2f}×") if "ciw" in r
                       else ("not run", ""))
        rows.append(f"| {c} | {LOAD_PER_SERVER * c:g} | {n_(r['ours'])} | {n_(r['minimal'])} | "
                    f"{ciw} | {r['ours'] / r['minimal']:.2f}× | {vs_ciw} |")
    return [
        "## Scaling with servers (same load per server: ρ = 0.95, θ = 0.5/min)", "",
        f"Method: {n_(ctx['scaling_customers'])} customers per run, λ = 0.95 × servers per "
        f"minute; countersim and minimal SimPy best of {ctx['repeat']}, Ciw one run.", "",
        *rows, "",
    ]


def parallel_section(ctx: dict[str, Any], t1: float, t2: float, same: bool) -> list[str]:
    par = ctx["parallel"]
    per_rep = t1 / ctx["parallel_reps"]
    return [
        "## Parallel replications", "",
        f"Method: `sim.runner.iter_replications(baseline with run.days={ctx['parallel_days']}, "
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


def crn_section(c: dict[str, float]) -> list[str]:
    def se(var: float) -> float:
        return math.sqrt(var / c["reps"])

    return [
        "## Common random numbers: greet_first − finish_first walkout rate", "",
        f"Method: baseline day, replications 0..{c['reps'] - 1}. finish_first with seed {SEED}; "
        f"greet_first with the same seed (the same customers: paired, common random numbers) "
        f"and with seed {OTHER_SEED} (independent streams). Sample variance of the "
        f"{c['reps']} per-replication differences.", "",
        "| | mean difference | variance of the differences | standard error of the mean |",
        "|---|---:|---:|---:|",
        f"| same seed (common random numbers) | {c['mean_same']:+.5f} | {c['var_same']:.3g} | "
        f"{se(c['var_same']):.5f} |",
        f"| different seeds (independent) | {c['mean_other']:+.5f} | {c['var_other']:.3g} | "
        f"{se(c['var_other']):.5f} |",
        f"| **variance ratio independent ÷ common** | | **{c['var_other'] / c['var_same']:.1f}×**"
        f" | |", "",
        f"Variance of the walkout rate itself: finish_first {c['var_finish']:.3g}, greet_first "
        f"{c['var_greet']:.3g}. With common random numbers the same precision needs about "
        f"{c['var_other'] / c['var_same']:.0f}× fewer replications.", "",
    ]


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="sanity run: small sizes, one repeat (well under 30 s)")
    ap.add_argument("--out", type=Path, default=None, help="markdown file to write")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


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
    ctx["elapsed_s"] = time.perf_counter() - t0
    report = build_report(ctx)
    print(report)
    out = args.out or p["out"]
    write_atomic(out, report)
    log(f"written to {out} ({ctx['elapsed_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
