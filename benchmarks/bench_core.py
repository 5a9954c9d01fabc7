#!/usr/bin/env python3
"""Core benchmark: countersim's validation-mode model against a minimal SimPy model,
and the behavioural baseline day against the validation mode.

Both simulate the same M/M/10+M (Erlang-A) queue: lambda = 9.5/min, mean service 1 min,
mean patience 2 min, about ``--customers`` arrivals. countersim runs through
``sim.runner.run_replication`` (metrics accumulator included, contact records off);
the reference is ``benchmarks/minimal_simpy.py`` (``simpy.Resource`` plus
``req | env.timeout(patience)`` per customer process).

Every measurement runs in a fresh subprocess of this script (``--worker``), so imports,
garbage and allocator state of one run cannot affect another. Timings are repeated
(interleaved: ours, minimal, minimal, ours, ...) and the best and the median are
reported. Memory is measured in separate runs: the tracemalloc peak during
``simulate()``, and the subprocess's ``ru_maxrss`` in a run without tracemalloc.

Behavioural throughput: ``experiments/configs/baseline.toml`` as shipped (distractions,
traits, pooled staff, phone, walk-in, email if configured) is a day of only ~300 contacts,
so a batch of replications 0..R-1 is timed in one fresh process. The validation-mode queue
above is timed the same way, as a batch of short days of about the same size, and the
report gives time per contact for both and their ratio (target: behavioural ≤ 2× validation).

Usage::

    python benchmarks/bench_core.py [--customers 200000] [--repeat 3] [--quick]
                                    [--batch-reps 200] [--out benchmarks/RESULTS-core.md]
                                    [--profile]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
CONFIG = ROOT / "experiments" / "configs" / "erlang_a.toml"
BASELINE = ROOT / "experiments" / "configs" / "baseline.toml"

# The queue (DESIGN: validation mode, M/M/N+M).
RATE_PER_HOUR = 570.0      # lambda = 9.5 per minute
MEAN_SERVICE_S = 60.0
MEAN_PATIENCE_S = 120.0
SERVERS = 10
SEED = 1
MAX_CLOCK_HOURS = 99999  # sim.config clock times allow up to five hour digits

DEFAULT_OUT = BENCH_DIR / "RESULTS-core.md"
QUICK_OUT = BENCH_DIR / "RESULTS-core-quick.md"  # --quick must not overwrite real results
FULL: dict[str, Any] = {"customers": 200_000, "repeat": 3, "memory": (100_000, 1_000_000),
                        "batch_reps": 200}
QUICK: dict[str, Any] = {"customers": 20_000, "repeat": 1, "memory": (2_000, 20_000),
                         "batch_reps": 20}
FLAT_LIMIT = 1.5           # peak(large) / peak(small) above this: memory grows with run length
AGREE_REL = 0.10           # ours vs minimal vs exact, relative difference called "agrees"
PROFILE_TOP = 25

# Behavioural baseline vs validation mode, both as batches of replications 0..R-1.
BATCH_DAY_CUSTOMERS = 300  # validation-mode batch: short days of about a baseline day's contacts
VALIDATION_REPS_FACTOR = 3  # validation days are cheaper: 3× as many (~1.5× the wall time)
BEHAVIOUR_LIMIT = 2.0      # acceptance: behavioural time per contact ≤ 2 × validation's
BATCH_KEYS = ("arrivals", "walk_in_arrivals", "phone_arrivals", "email_arrivals")


# --------------------------------------------------------------------------- the queue


def queue_params(customers: int, time_scale: int = 1) -> dict[str, Any]:
    """Rates, means and the closing clock time for about ``customers`` arrivals.

    ``time_scale`` k runs the same queue k times faster (rate × k, service and patience
    ÷ k): the same customers and events, in fewer simulated hours. Needed only because
    closing times cannot exceed {MAX_CLOCK_HOURS}:59, i.e. about 57 million customers at 570/h.
    """
    rate = RATE_PER_HOUR * time_scale
    minutes = math.ceil(Fraction(customers * 60) / Fraction(rate))  # round up to whole minutes
    hours, mins = divmod(minutes, 60)
    if hours > MAX_CLOCK_HOURS:
        raise SystemExit(
            f"bench_core: {customers} customers at {rate:g}/h need {hours}:{mins:02d} h, but "
            f"sim.config clock times allow at most {MAX_CLOCK_HOURS}:59; use a time scale")
    return {
        "rate_per_hour": rate,
        "mean_service_s": MEAN_SERVICE_S / time_scale,
        "mean_patience_s": MEAN_PATIENCE_S / time_scale,
        "close": f"{hours}:{mins:02d}",
        "horizon_s": minutes * 60.0,
    }


def time_scale_for(customers: int) -> int:
    """Smallest integer time scale that fits ``customers`` into the longest clock horizon."""
    return max(1, math.ceil(customers / (RATE_PER_HOUR * (MAX_CLOCK_HOURS + 59 / 60))))


def our_overrides(p: dict[str, Any]) -> list[str]:
    """``--set`` style overrides turning erlang_a.toml into the benchmark queue."""
    return [
        f"demand.walk_in.rate_per_hour={p['rate_per_hour']!r}",
        f'demand.walk_in.service={{dist = "exponential", mean_s = {p["mean_service_s"]!r}}}',
        f'demand.walk_in.patience={{dist = "exponential", mean_s = {p["mean_patience_s"]!r}}}',
        f"staff.counter={SERVERS}",
        "run.warmup_s=0",
        f'hours.close="{p["close"]}"',
    ]


# --------------------------------------------------------------------------- worker side


def _maxrss_bytes() -> int:
    import resource

    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return int(kib * (1 if sys.platform == "darwin" else 1024))


def _our_row(metrics: dict[str, float]) -> dict[str, float]:
    return {
        "arrivals": metrics["arrivals"],
        "abandon_fraction": metrics["walkout_rate"],
        "mean_wait_s": metrics["mean_wait_s"],
        "p_wait": metrics["p_wait"],
    }


def worker(job: dict[str, Any]) -> dict[str, Any]:
    """One measurement, in this (fresh) process."""
    import gc

    import numpy.random  # noqa: F401  numpy loads it lazily: keep the import out of the measurement

    p = queue_params(job["customers"], job.get("time_scale", 1))
    measure = job["measure"]
    out: dict[str, Any] = {"job": job, "close": p["close"]}

    if job["model"] == "minimal":
        sys.path.insert(0, str(BENCH_DIR))
        import minimal_simpy

        args = (p["rate_per_hour"] / 3600.0, p["mean_service_s"], p["mean_patience_s"],
                SERVERS, p["horizon_s"], job["seed"])
        gc.collect()
        if measure != "time":
            raise SystemExit(f"bench_core: measure {measure!r} is for countersim only")
        t0 = time.perf_counter()
        stats = minimal_simpy.simulate(*args)
        out["elapsed_s"] = time.perf_counter() - t0
        out["metrics"] = stats.metrics()
        return out

    sys.path.insert(0, str(ROOT))  # benchmark this working tree, installed or not
    from sim.config import load_scenario
    from sim.model import simulate
    from sim.runner import metrics_recorder, run_replication

    if job["model"] == "baseline":  # the behavioural day, exactly as shipped
        scenario = load_scenario(BASELINE)
    else:
        scenario = load_scenario(CONFIG, our_overrides(p))
    out["warmup_s"] = scenario.run.warmup_s
    out["email_open"] = scenario.demand.email.is_open
    out["distractions"] = scenario.distractions.enabled
    out["traits"] = scenario.traits.enabled
    reps = job.get("reps")
    if reps is not None:  # a batch: replications 0..reps-1 in this process
        if measure not in ("batch", "profile"):
            raise SystemExit(f"bench_core: measure {measure!r} does not take a batch")
        totals = dict.fromkeys(BATCH_KEYS, 0.0)

        def batch() -> None:
            for r in range(reps):
                m = run_replication(scenario, job["seed"], r).metrics
                for k in BATCH_KEYS:
                    totals[k] += m[k]

        gc.collect()
        if measure == "batch":
            t0 = time.perf_counter()
            batch()
            out["elapsed_s"] = time.perf_counter() - t0
        else:
            import cProfile
            import io
            import pstats

            profiler = cProfile.Profile()
            t0 = time.perf_counter()
            profiler.enable()
            batch()
            profiler.disable()
            out["elapsed_s"] = time.perf_counter() - t0
            text = io.StringIO()
            pstats.Stats(profiler, stream=text).strip_dirs().sort_stats("tottime").print_stats(
                job.get("top", PROFILE_TOP))
            out["profile"] = text.getvalue()
        out["totals"] = totals
        return out
    if job["model"] == "baseline":
        raise SystemExit("bench_core: the baseline is measured in batches only")

    gc.collect()
    if measure == "time":
        t0 = time.perf_counter()
        result = run_replication(scenario, job["seed"], 0)
        out["elapsed_s"] = time.perf_counter() - t0
        out["metrics"] = _our_row(result.metrics)
    elif measure == "tracemalloc":
        import tracemalloc

        recorder = metrics_recorder(scenario)
        gc.collect()
        tracemalloc.start()
        simulate(scenario, job["seed"], 0, recorder)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out["tracemalloc_peak_bytes"] = peak
        out["metrics"] = _our_row(recorder.metrics())
    elif measure == "rss":
        recorder = metrics_recorder(scenario)
        gc.collect()
        out["maxrss_before_bytes"] = _maxrss_bytes()
        simulate(scenario, job["seed"], 0, recorder)
        out["maxrss_bytes"] = _maxrss_bytes()
        out["metrics"] = _our_row(recorder.metrics())
    elif measure == "profile":
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        t0 = time.perf_counter()
        profiler.enable()
        result = run_replication(scenario, job["seed"], 0)
        profiler.disable()
        out["elapsed_s"] = time.perf_counter() - t0
        out["metrics"] = _our_row(result.metrics)
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).strip_dirs().sort_stats("tottime").print_stats(
            job.get("top", PROFILE_TOP))
        out["profile"] = text.getvalue()
    else:
        raise SystemExit(f"bench_core: unknown measure {measure!r}")
    return out


# --------------------------------------------------------------------------- parent side


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """Run ``job`` in a fresh interpreter and return its JSON answer."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(job)]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"bench_core: worker failed ({proc.returncode}) for {job}:\n"
                         f"{proc.stderr.strip()}")
    lines = proc.stdout.strip().splitlines()
    if not lines:
        raise SystemExit(f"bench_core: worker printed nothing for {job}:\n{proc.stderr.strip()}")
    answer: dict[str, Any] = json.loads(lines[-1])
    return answer


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def machine_info() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    cores = os.cpu_count() or 0
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = cores
    versions = []
    for mod in ("simpy", "numpy"):
        try:
            versions.append(f"{mod} {__import__(mod).__version__}")
        except ImportError:
            versions.append(f"{mod} (missing)")
    return {
        "cpu": cpu,
        "cores": f"{cores} logical" + (f" ({usable} usable)" if usable != cores else ""),
        "python": f"{platform.python_version()} ({platform.python_implementation()}), "
                  + ", ".join(versions),
    }


def loadavg() -> str:
    try:
        with open("/proc/loadavg", encoding="utf-8") as fh:
            return " ".join(fh.read().split()[:3])
    except OSError:
        return "n/a"


def fmt_int(x: float) -> str:
    return f"{x:,.0f}".replace(",", " ")


def mib(b: float) -> str:
    return f"{b / 2**20:.2f} MiB"


def rel_diff(a: float, b: float) -> float:
    return abs(a - b) / abs(b) if b else math.inf


def exact_erlang_a() -> dict[str, float] | None:
    """Steady-state Erlang-A values from sim.theory (None if it cannot be imported)."""
    sys.path.insert(0, str(ROOT))
    try:
        from sim.theory import erlang_a_metrics
    except Exception:  # the benchmark must not depend on the oracle
        return None
    lam = RATE_PER_HOUR / 3600.0
    m = erlang_a_metrics(lam, 1.0 / MEAN_SERVICE_S, 1.0 / MEAN_PATIENCE_S, SERVERS, 20.0)
    return {"abandon_fraction": m.p_abandon, "mean_wait_s": m.mean_wait, "p_wait": m.p_wait}


def timing_runs(customers: int, repeat: int) -> dict[str, list[dict[str, Any]]]:
    runs: dict[str, list[dict[str, Any]]] = {"ours": [], "minimal": []}
    for i in range(repeat):
        order = ("ours", "minimal") if i % 2 == 0 else ("minimal", "ours")
        for model in order:
            job = {"model": model, "customers": customers, "seed": SEED, "measure": "time"}
            ans = run_job(job)
            runs[model].append(ans)
            rate = ans["metrics"]["arrivals"] / ans["elapsed_s"]
            log(f"  timing {i + 1}/{repeat} {model:8s} {ans['elapsed_s']:7.2f} s  "
                f"{fmt_int(rate)} customers/s")
    return runs


def batch_runs(reps: int, repeat: int) -> dict[str, list[dict[str, Any]]]:
    """Behavioural baseline and validation-mode batches, interleaved, ``repeat`` each."""
    val_reps = reps * VALIDATION_REPS_FACTOR
    jobs = {
        "baseline": {"model": "baseline", "customers": BATCH_DAY_CUSTOMERS, "seed": SEED,
                     "measure": "batch", "reps": reps},
        "validation": {"model": "ours", "customers": BATCH_DAY_CUSTOMERS, "seed": SEED,
                       "measure": "batch", "reps": val_reps},
    }
    runs: dict[str, list[dict[str, Any]]] = {"baseline": [], "validation": []}
    for i in range(repeat):
        order = ("baseline", "validation") if i % 2 == 0 else ("validation", "baseline")
        for kind in order:
            ans = run_job(jobs[kind])
            runs[kind].append(ans)
            n = ans["totals"]["arrivals"]
            log(f"  batch {i + 1}/{repeat} {kind:10s} {ans['job']['reps']:4d} reps "
                f"{ans['elapsed_s']:6.2f} s  {fmt_int(n / ans['elapsed_s'])} contacts/s  "
                f"{ans['elapsed_s'] / n * 1e6:.2f} µs/contact")
    return runs


def summarize_batch(runs: list[dict[str, Any]]) -> dict[str, float]:
    times = [r["elapsed_s"] for r in runs]
    totals = runs[0]["totals"]
    if any(r["totals"] != totals for r in runs):
        log("  warning: batch repeats with the same seeds gave different totals")
    best, median = min(times), statistics.median(times)
    n, email = totals["arrivals"], totals["email_arrivals"]
    return {
        "reps": runs[0]["job"]["reps"], **totals, "best_s": best, "median_s": median,
        "best_rate": n / best, "median_rate": n / median,
        "best_us": best / n * 1e6, "median_us": median / n * 1e6,
        "best_email_rate": email / best,
        "best_all_us": best / (n + email) * 1e6,
        "warmup_s": runs[0]["warmup_s"], "email_open": runs[0]["email_open"],
    }


def memory_runs(sizes: tuple[int, int]) -> tuple[int, list[dict[str, Any]]]:
    scale = time_scale_for(max(sizes))
    rows = []
    for n in sizes:
        base = {"model": "ours", "customers": n, "seed": SEED, "time_scale": scale}
        tm = run_job({**base, "measure": "tracemalloc"})
        log(f"  memory {fmt_int(n):>9s} customers: tracemalloc peak "
            f"{mib(tm['tracemalloc_peak_bytes'])}")
        rss = run_job({**base, "measure": "rss"})
        log(f"  memory {fmt_int(n):>9s} customers: ru_maxrss {mib(rss['maxrss_bytes'])}")
        rows.append({"customers": n, "tracemalloc": tm, "rss": rss})
    return scale, rows


def summarize(runs: list[dict[str, Any]]) -> dict[str, float]:
    times = [r["elapsed_s"] for r in runs]
    arrivals = runs[0]["metrics"]["arrivals"]
    if any(r["metrics"] != runs[0]["metrics"] for r in runs):
        log("  warning: repeats with the same seed gave different metrics")
    best, median = min(times), statistics.median(times)
    return {"arrivals": arrivals, "best_s": best, "median_s": median,
            "best_rate": arrivals / best, "median_rate": arrivals / median}


def build_report(args: argparse.Namespace, command: str, started: str, load_start: str,
                 timing: dict[str, list[dict[str, Any]]], scale: int,
                 memory: list[dict[str, Any]], profile: dict[str, Any] | None,
                 batches: dict[str, list[dict[str, Any]]],
                 batch_profile: dict[str, Any] | None) -> str:
    info = machine_info()
    ours, mini = summarize(timing["ours"]), summarize(timing["minimal"])
    p = queue_params(args.customers)
    L: list[str] = []
    L += [
        "# countersim core benchmark",
        "",
        "| | |",
        "|---|---|",
        f"| machine | {info['cpu']}, {info['cores']} |",
        f"| python | {info['python']} |",
        f"| date | {started} |",
        f"| command | `{command}` |",
        f"| load average (1/5/15 min) at start → end | {load_start} → {loadavg()} |",
        "",
        f"## Speed: M/M/{SERVERS}+M, λ = {RATE_PER_HOUR / 60:g}/min, mean service "
        f"{MEAN_SERVICE_S / 60:g} min, mean patience {MEAN_PATIENCE_S / 60:g} min, "
        f"~{fmt_int(args.customers)} customers (close {p['close']})",
        "",
        f"Each timing is a fresh subprocess; {args.repeat} run(s) per model, interleaved, "
        f"same seed ({SEED}) every run. Customers/s = arrivals / wall time of the call.",
        "",
        "| model | arrivals | best s | median s | customers/s (best) | customers/s (median) |",
        "|---|---:|---:|---:|---:|---:|",
        f"| countersim `run_replication` (validation mode, metrics on, records off) | "
        f"{fmt_int(ours['arrivals'])} | {ours['best_s']:.3f} | {ours['median_s']:.3f} | "
        f"{fmt_int(ours['best_rate'])} | {fmt_int(ours['median_rate'])} |",
        f"| minimal SimPy (`Resource(capacity={SERVERS})`, `req \\| env.timeout(patience)`) | "
        f"{fmt_int(mini['arrivals'])} | {mini['best_s']:.3f} | {mini['median_s']:.3f} | "
        f"{fmt_int(mini['best_rate'])} | {fmt_int(mini['median_rate'])} |",
        f"| **ratio ours / minimal** | | | | **{ours['best_rate'] / mini['best_rate']:.2f}×** | "
        f"{ours['median_rate'] / mini['median_rate']:.2f}× |",
        "",
    ]

    # Same queue?
    exact = exact_erlang_a()
    om, mm = timing["ours"][0]["metrics"], timing["minimal"][0]["metrics"]
    L += [
        "## Same queue? (one run each; different random numbers)",
        "",
        "| metric | countersim | minimal SimPy | Erlang-A exact (steady state) |",
        "|---|---:|---:|---:|",
        f"| arrivals | {fmt_int(om['arrivals'])} | {fmt_int(mm['arrivals'])} | "
        f"{fmt_int(args.customers)} expected |",
    ]
    checks = []
    for key, label, fmt in (("abandon_fraction", "abandonment fraction", "{:.4f}"),
                            ("mean_wait_s", "mean wait (s)", "{:.2f}"),
                            ("p_wait", "P(wait > 0)", "{:.4f}")):
        ex = fmt.format(exact[key]) if exact else "n/a"
        L.append(f"| {label} | {fmt.format(om[key])} | {fmt.format(mm[key])} | {ex} |")
        checks.append(rel_diff(om[key], mm[key]) <= AGREE_REL)
        if exact:
            checks.append(rel_diff(om[key], exact[key]) <= AGREE_REL)
            checks.append(rel_diff(mm[key], exact[key]) <= AGREE_REL)
    verdict = ("agree" if all(checks) else "**DISAGREE**")
    L += ["", f"Verdict: the models {verdict} (every pair within {AGREE_REL:.0%} relative).", ""]

    L += behaviour_section(batches, ours, batch_profile)

    # Memory
    small, large = memory
    tm_ratio = (large["tracemalloc"]["tracemalloc_peak_bytes"]
                / small["tracemalloc"]["tracemalloc_peak_bytes"])
    rss_ratio = large["rss"]["maxrss_bytes"] / small["rss"]["maxrss_bytes"]
    flat = tm_ratio <= FLAT_LIMIT
    sp = queue_params(large["customers"], scale)
    L += [
        "## Memory: countersim, records off (`simulate()` with the metrics accumulator)",
        "",
        "tracemalloc peak: traced Python allocations during `simulate()` (tracemalloc started "
        "just before the call). ru_maxrss: peak RSS of a separate subprocess without "
        "tracemalloc; growth = ru_maxrss after `simulate()` − ru_maxrss before it.",
    ]
    if scale != 1:
        L.append(f"Time scale ×{scale} for both sizes (λ = {sp['rate_per_hour']:g}/h, service "
                 f"{sp['mean_service_s']:g} s, patience {sp['mean_patience_s']:g} s): the same "
                 f"queue in simulated time ÷ {scale}, because clock times stop at "
                 f"{MAX_CLOCK_HOURS}:59 "
                 f"(≈{fmt_int(RATE_PER_HOUR * (MAX_CLOCK_HOURS + 1))} customers at "
                 f"{RATE_PER_HOUR:g}/h).")
    L += [
        "",
        "| customers | arrivals | close | tracemalloc peak | ru_maxrss | ru_maxrss growth |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for row in memory:
        tm, rss = row["tracemalloc"], row["rss"]
        L.append(f"| {fmt_int(row['customers'])} | {fmt_int(tm['metrics']['arrivals'])} | "
                 f"{tm['close']} | {mib(tm['tracemalloc_peak_bytes'])} | "
                 f"{mib(rss['maxrss_bytes'])} | "
                 f"{mib(rss['maxrss_bytes'] - rss['maxrss_before_bytes'])} |")
    L += [
        f"| **ratio {fmt_int(large['customers'])} / {fmt_int(small['customers'])}** | | | "
        f"**{tm_ratio:.2f}×** | {rss_ratio:.2f}× | |",
        "",
        f"Verdict: memory is {'flat' if flat else '**NOT flat**'} in run length "
        f"(tracemalloc peak ratio {tm_ratio:.2f}, limit {FLAT_LIMIT}).",
        "",
    ]

    if profile is not None:
        L += [
            f"## Profile: countersim, one run of ~{fmt_int(args.customers)} customers "
            f"(cProfile, sorted by tottime; {profile['elapsed_s']:.2f} s under the profiler)",
            "",
            "```",
            profile["profile"].strip(),
            "```",
            "",
        ]
    return "\n".join(L)


def behaviour_section(batches: dict[str, list[dict[str, Any]]], long_run: dict[str, float],
                      profile: dict[str, Any] | None) -> list[str]:
    """Report lines: behavioural baseline day vs validation mode, time per contact."""
    beh, val = summarize_batch(batches["baseline"]), summarize_batch(batches["validation"])
    vp = queue_params(BATCH_DAY_CUSTOMERS)
    first = batches["baseline"][0]
    long_us, long_med_us = 1e6 / long_run["best_rate"], 1e6 / long_run["median_rate"]
    ratio, ratio_med = beh["best_us"] / val["best_us"], beh["median_us"] / val["median_us"]
    ratio_long = beh["best_us"] / long_us
    on_off = {True: "on", False: "off"}
    repeat = len(batches["baseline"])
    L = [
        "## Behavioural baseline day vs validation mode (time per contact)",
        "",
        f"Behavioural: `experiments/configs/baseline.toml` as shipped, no overrides "
        f"(distractions {on_off[first['distractions']]}, traits {on_off[first['traits']]}, "
        f"email {'open' if beh['email_open'] else 'closed'}, warm-up {beh['warmup_s']:g} s). "
        f"One fresh subprocess runs `run_replication(scenario, {SEED}, r)` for r = 0..R−1 "
        f"(metrics on, records off) and is timed as a whole; contacts = walk-in + phone "
        f"arrivals summed over the batch (emails are counted separately). "
        f"Validation: the M/M/{SERVERS}+M queue above, timed the same way, as a batch of short "
        f"days (close {vp['close']}, warm-up 0, ~{BATCH_DAY_CUSTOMERS} customers each, "
        f"about a baseline day's contacts), so both include the same per-replication setup. "
        f"{repeat} batch(es) per model, interleaved; best and median of {repeat}.",
        "",
        "| model | R | contacts | per day | best s | median s | contacts/s (best) | "
        "contacts/s (median) | µs/contact (best) | µs/contact (median) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| behavioural baseline day (walk-in + phone) | {beh['reps']} | "
        f"{fmt_int(beh['arrivals'])} | {beh['arrivals'] / beh['reps']:.1f} | "
        f"{beh['best_s']:.3f} | {beh['median_s']:.3f} | {fmt_int(beh['best_rate'])} | "
        f"{fmt_int(beh['median_rate'])} | {beh['best_us']:.2f} | {beh['median_us']:.2f} |",
        f"| validation mode, batch of short days | {val['reps']} | {fmt_int(val['arrivals'])} | "
        f"{val['arrivals'] / val['reps']:.1f} | {val['best_s']:.3f} | {val['median_s']:.3f} | "
        f"{fmt_int(val['best_rate'])} | {fmt_int(val['median_rate'])} | {val['best_us']:.2f} | "
        f"{val['median_us']:.2f} |",
        f"| validation mode, one long run (speed table above) | 1 | "
        f"{fmt_int(long_run['arrivals'])} | | {long_run['best_s']:.3f} | "
        f"{long_run['median_s']:.3f} | {fmt_int(long_run['best_rate'])} | "
        f"{fmt_int(long_run['median_rate'])} | {long_us:.2f} | {long_med_us:.2f} |",
        f"| **ratio behavioural / validation (batch)** | | | | | | | | **{ratio:.2f}×** | "
        f"{ratio_med:.2f}× |",
        f"| ratio behavioural / validation (long run) | | | | | | | | {ratio_long:.2f}× | "
        f"{beh['median_us'] / long_med_us:.2f}× |",
        "",
        f"Baseline contacts per channel: walk-in {fmt_int(beh['walk_in_arrivals'])}, phone "
        f"{fmt_int(beh['phone_arrivals'])}; email {fmt_int(beh['email_arrivals'])} "
        f"({beh['email_arrivals'] / beh['reps']:.1f} per day, "
        f"{fmt_int(beh['best_email_rate'])} emails/s alongside). Counting emails as contacts "
        f"too: {beh['best_all_us']:.2f} µs/contact (best).",
    ]
    if beh["warmup_s"] > 0:
        L.append(f"**Warning:** the baseline has a warm-up of {beh['warmup_s']:g} s; metrics "
                 "count only arrivals after it, so µs/contact is overstated.")
    verdict = "meets" if ratio <= BEHAVIOUR_LIMIT else "**MISSES**"
    L += ["", f"Verdict: the behavioural day {verdict} the target (time per contact ≤ "
              f"{BEHAVIOUR_LIMIT:g}× validation mode, batch against batch, best of {repeat}: "
              f"{ratio:.2f}×).", ""]
    if profile is not None:
        L += [
            f"### Profile: one behavioural batch ({profile['job']['reps']} replications; "
            f"cProfile, sorted by tottime; {profile['elapsed_s']:.2f} s under the profiler)",
            "",
            "```",
            profile["profile"].strip(),
            "```",
            "",
        ]
    return L


def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--customers", type=int, default=None,
                    help=f"expected customers per timing run (default {FULL['customers']}, "
                         f"--quick {QUICK['customers']})")
    ap.add_argument("--repeat", type=int, default=None,
                    help=f"timing runs per model, best and median reported (default "
                         f"{FULL['repeat']}, --quick {QUICK['repeat']})")
    ap.add_argument("--memory-customers", type=int, nargs=2, metavar=("SMALL", "LARGE"),
                    default=None, help="customers of the two memory runs (default "
                    f"{FULL['memory'][0]} {FULL['memory'][1]}, --quick "
                    f"{QUICK['memory'][0]} {QUICK['memory'][1]})")
    ap.add_argument("--batch-reps", type=int, default=None,
                    help="replications per behavioural baseline batch; the validation batch "
                         f"runs {VALIDATION_REPS_FACTOR}× as many (default "
                         f"{FULL['batch_reps']}, --quick {QUICK['batch_reps']})")
    ap.add_argument("--quick", action="store_true",
                    help="smoke test: small runs, one repeat (well under 20 s)")
    ap.add_argument("--out", type=Path, default=None,
                    help="markdown file to write (atomically); default "
                         f"{DEFAULT_OUT.relative_to(ROOT)} ({QUICK_OUT.relative_to(ROOT)} "
                         "with --quick)")
    ap.add_argument("--profile", action="store_true",
                    help="add cProfile sections (added anyway when countersim is slower than "
                         "minimal SimPy, or the behavioural day misses its target)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    preset = QUICK if args.quick else FULL
    if args.customers is None:
        args.customers = preset["customers"]
    if args.repeat is None:
        args.repeat = preset["repeat"]
    if args.out is None:
        args.out = QUICK_OUT if args.quick else DEFAULT_OUT
    if args.memory_customers is None:
        args.memory_customers = preset["memory"]
    if args.batch_reps is None:
        args.batch_reps = preset["batch_reps"]
    if (args.customers < 1 or args.repeat < 1 or min(args.memory_customers) < 1
            or args.batch_reps < 1):
        ap.error("--customers, --repeat, --memory-customers and --batch-reps must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.worker is not None:
        print(json.dumps(worker(json.loads(args.worker))))
        return 0

    queue_params(args.customers)  # fail early if the horizon does not fit a clock time
    command = " ".join(shlex.quote(a) for a in
                       ["python", os.path.relpath(__file__, Path.cwd()), *argv])
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    load_start = loadavg()
    t0 = time.perf_counter()

    log(f"timing: ~{args.customers} customers, {args.repeat} run(s) per model")
    timing = timing_runs(args.customers, args.repeat)
    log(f"batches: behavioural baseline {args.batch_reps} reps, validation "
        f"{args.batch_reps * VALIDATION_REPS_FACTOR} reps, {args.repeat} run(s) each")
    batches = batch_runs(args.batch_reps, args.repeat)
    small, large = sorted(args.memory_customers)
    log(f"memory: {small} and {large} customers")
    scale, memory = memory_runs((small, large))

    slower = summarize(timing["ours"])["best_rate"] < summarize(timing["minimal"])["best_rate"]
    profile = None
    if args.profile or slower:
        log("profile: one countersim run under cProfile")
        profile = run_job({"model": "ours", "customers": args.customers, "seed": SEED,
                           "measure": "profile", "top": PROFILE_TOP})

    beh, val = summarize_batch(batches["baseline"]), summarize_batch(batches["validation"])
    batch_profile = None
    if args.profile or beh["best_us"] > BEHAVIOUR_LIMIT * val["best_us"]:
        log("profile: one behavioural baseline batch under cProfile")
        batch_profile = run_job({"model": "baseline", "customers": BATCH_DAY_CUSTOMERS,
                                 "seed": SEED, "measure": "profile", "reps": args.batch_reps,
                                 "top": PROFILE_TOP})

    report = build_report(args, command, started, load_start, timing, scale, memory, profile,
                          batches, batch_profile)
    report += f"\n_Total benchmark wall time: {time.perf_counter() - t0:.1f} s._\n"
    print(report)
    sys.path.insert(0, str(ROOT))
    from sim.store import write_atomic  # the project's atomic writer (readers never see half)

    write_atomic(args.out, report)
    log(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
