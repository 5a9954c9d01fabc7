"""Peak memory: the tracemalloc peak of each model's run (``speed_job`` with ``trace``)."""

from __future__ import annotations

from typing import Any

from bench_common import LABEL, MODELS, TARGET_MEMORY, log, mib, must, n_, run_job


def memory(mem_sizes: tuple[int, ...], speed_sizes: tuple[int, ...],
           timings: dict[int, dict[str, list[dict[str, Any]]]]) -> dict[tuple[str, int], int]:
    """Tracemalloc peaks: countersim at every memory size, the others at the speed sizes."""
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


def memory_ratio(ctx: dict[str, Any]) -> float:
    """Countersim's peak at the largest memory size ÷ at the smallest."""
    peaks = ctx["peaks"]
    mem_lo, mem_hi = ctx["memory_sizes"][0], ctx["memory_sizes"][-1]
    return float(peaks[("ours", mem_hi)] / peaks[("ours", mem_lo)])


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
