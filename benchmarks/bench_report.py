"""The markdown report: the run's header, the summary table against the targets, and
each measurement's section."""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any

from bench_behaviour import batch_summary, behaviour_section
from bench_common import (
    AGREE_REL,
    TARGET_BEHAVIOUR,
    TARGET_MEMORY,
    TARGET_VS_CIW,
    TARGET_VS_MINIMAL,
    best,
    n_,
    rate,
    verdict,
)
from bench_crn import crn_section, crn_summary
from bench_memory import memory_ratio, memory_section
from bench_parallel import parallel_section
from bench_process import best_run, process_section
from bench_speed import same_queue_rows, scaling_section, speed_section


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


def build_report(ctx: dict[str, Any]) -> str:
    """The markdown report (ctx: every measurement plus the run's metadata)."""
    beh, val = batch_summary(ctx["batches"]["baseline"]), batch_summary(
        ctx["batches"]["validation"])
    par = ctx["parallel"]
    t1, t2 = min(r["wall_s"] for r in par[1]), min(r["wall_s"] for r in par[2])
    found = {"mem_ratio": memory_ratio(ctx), "beh_ratio": beh["us"] / val["us"], "t1": t1,
             "t2": t2, "same_results": len({r["digest"] for r in par[1] + par[2]}) == 1,
             "crn": crn_summary(ctx["crn"])}
    queue_rows, found["agree"] = same_queue_rows(ctx["timing"])
    L = header_rows(ctx) + target_rows(ctx, found) + summary_rows(ctx, found)
    L += speed_section(ctx, queue_rows)
    L += memory_section(ctx, found["mem_ratio"])
    L += behaviour_section(beh, val, found["beh_ratio"], ctx["batches"])
    L += scaling_section(ctx)
    L += parallel_section(ctx, t1, t2, found["same_results"])
    L += crn_section(found["crn"])
    L += process_section(ctx)
    return "\n".join(L) + "\n"


def header_rows(ctx: dict[str, Any]) -> list[str]:
    """The title and the run's metadata (machine, software, date, command, load, time)."""
    info = machine_info()
    return [
        "# countersim benchmark", "",
        "| | |", "|---|---|",
        f"| machine | {info['cpu']} |",
        f"| software | {info['python']} |",
        f"| date | {ctx['started']} |",
        f"| command | `{ctx['command']}` |",
        f"| load average (1/5/15 min), start → end | {ctx['load_start']} → {loadavg()} |",
        f"| total wall time | {ctx['elapsed_s']:.0f} s |",
        "",
    ]


def summary_rows(ctx: dict[str, Any], found: dict[str, Any]) -> list[str]:
    """The summary table: each headline measure against its target (``found``: the
    measures ``build_report`` derived)."""
    t, sizes = ctx["timing"], ctx["sizes"]
    small, large = sizes
    ours_small, ours_large = (rate(best(t[n]["ours"])) for n in sizes)
    vs_min = [ours_small / rate(best(t[small]["minimal"])),
              ours_large / rate(best(t[large]["minimal"]))]
    vs_ciw = [rate(best(t[n]["ours"])) / rate(best(t[n]["ciw"])) for n in sizes if t[n]["ciw"]]
    mem_lo, mem_hi = ctx["memory_sizes"][0], ctx["memory_sizes"][-1]
    mem_ratio, beh_ratio, crn = found["mem_ratio"], found["beh_ratio"], found["crn"]
    t1, t2, sc = found["t1"], found["t2"], ctx["scaling"]
    return [
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
        f"{t1 / t2:.2f}× | (2 cores) | results identical: "
        f"{'yes' if found['same_results'] else 'NO'} |",
        f"| variance of the paired policy difference, independent ÷ common random numbers | "
        f"{crn['var_other'] / crn['var_same']:.1f}× | | |",
        f"| same queue: every model within {AGREE_REL:.0%} of Erlang-A | "
        f"{'yes' if found['agree'] else 'no'} | | |",
        "",
    ]


def target_rows(ctx: dict[str, Any], found: dict[str, Any]) -> list[str]:
    """One row per target of the speed issue (issue 17): its value then, this run's, the
    target, met or missed."""
    t, sizes = ctx["timing"], ctx["sizes"]
    vs_min = [rate(best(t[n]["ours"])) / rate(best(t[n]["minimal"])) for n in sizes]
    vs_ciw = [rate(best(t[n]["ours"])) / rate(best(t[n]["ciw"])) for n in sizes if t[n]["ciw"]]
    hp = best_run(ctx["help"])
    rss = hp["rss_kib"] / 1024 if hp["rss_kib"] is not None else float("nan")
    whole = ctx["whole"]
    minimal = best_run(whole["minimal SimPy script"])["wall_s"]
    ours1, ours2 = (minimal / best_run(whole[k])["wall_s"]
                    for k in ("countersim run", "countersim run --jobs 2"))
    mj = ctx["main_job"]
    main_note = " (`--smoke`: not the target's run)" if mj["smoke"] else ""
    return [
        "## Targets (issue 17)", "",
        "| measure | before | this run | target | |", "|---|---:|---:|---:|---|",
        f"| `countersim --help` wall / peak RSS | 1.3 s / 122 MiB | {hp['wall_s']:.2f} s / "
        f"{rss:.0f} MiB | ≤ 0.25 s / ≤ 40 MiB | "
        f"{verdict(hp['wall_s'] <= 0.25 and rss <= 40)} |",
        f"| whole-process `countersim run`, {n_(ctx['whole_reps'] * 13_680)} customers, "
        f"÷ minimal SimPy script (jobs 1 / jobs 2) | 1.1× | {ours1:.2f}× / {ours2:.2f}× | ≥ 2× "
        f"| {verdict(max(ours1, ours2) >= 2.0)} |",
        f"| model-only validation throughput ÷ minimal SimPy / ÷ Ciw "
        f"({' / '.join(n_(n) for n in sizes)} customers) | 1.69× / 1.81×, 2.65× / 3.05× | "
        f"{' / '.join(f'{r:.2f}×' for r in vs_min)}, "
        f"{' / '.join(f'{r:.2f}×' for r in vs_ciw) or 'not run'} | "
        f"≥ {TARGET_VS_MINIMAL}× / ≥ {TARGET_VS_CIW}× | "
        f"{verdict(min(vs_min) >= TARGET_VS_MINIMAL and min(vs_ciw, default=0) >= TARGET_VS_CIW)}"
        " |",
        f"| behavioural baseline ÷ validation mode per contact | 2.11× | "
        f"{found['beh_ratio']:.2f}× | ≤ {TARGET_BEHAVIOUR}× | "
        f"{verdict(found['beh_ratio'] <= TARGET_BEHAVIOUR)} |",
        f"| `make run` (main job) wall time on 2 cores{main_note} | about 65 s (quiet; 163 s "
        f"with the robustness study) | {mj['wall_s']:.0f} s | ≤ 35 s | "
        f"{verdict(mj['wall_s'] <= 35 and not mj['smoke'])} |",
        f"| files written by `make run`{main_note} | about 7 220 | {n_(mj['files'])} | ≤ 30 | "
        f"{verdict(mj['files'] <= 30 and not mj['smoke'])} |",
        "| 10 000 short replications on 2-worker loopback Dask ÷ local pool | not measured "
        "| not measured here | ≥ 0.9 | not measured |",
        "",
    ]


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
