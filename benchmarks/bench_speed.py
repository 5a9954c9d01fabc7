"""Speed: customers per second of countersim, minimal SimPy and Ciw on the same queue,
at two sizes and at several server counts, and whether the three agree with Erlang-A."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bench_common import (
    AGREE_REL,
    CIW_BUDGET_S,
    ERLANG_A,
    HAS_CIW,
    LABEL,
    LOAD_PER_SERVER,
    MODELS,
    MU_PER_MIN,
    SEED,
    SERVERS,
    THETA_PER_MIN,
    best,
    exact_erlang_a,
    log,
    must,
    n_,
    our_overrides,
    queue,
    rate,
    run_job,
)

# --------------------------------------------------------------------------- worker side


def _prepare(model: str, q: dict[str, Any], seed: int
             ) -> tuple[Callable[[], Any], Callable[[Any], dict[str, float]]]:
    """The call to time for ``model`` and how to read its statistics afterwards."""
    if model == "ours":
        from sim.config.loading import load_scenario
        from sim.execution.runner import run_replication

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


# --------------------------------------------------------------------------- parent side


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


# --------------------------------------------------------------------------- report


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
