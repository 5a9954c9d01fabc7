"""The main job (``experiments/staffing_policies.py``) with its wall time split into phases,
for bench.py only: the pipeline is timed from outside, by wrapping its functions, so a
normal ``make run`` prints nothing more.

    python benchmarks/main_job_timed.py TIMINGS.json [staffing_policies.py options...]

Phases (seconds of the main process's wall time):

* ``sweep``: ``run_sweep`` — the replications on the pool, with each finished one stored as
  it arrives; ``store`` is the part of it spent saving and loading them, so
  ``simulate = sweep - store`` is the time the main process waited for the simulation;
* ``tables``: ``write_tables``, ``write_slots`` and the manifest; ``timeline``: the one-day
  timeline (it simulates that day again with contact records on);
* ``figures``: the rest of ``finish`` after the tables, less the report (drawing, including
  importing matplotlib); ``report``: ``report.md``;
* ``robustness``: the robustness study and its section in the report, as a whole;
* ``startup``: everything before the sweep (imports, the grid, preflight, the folder).

Functions a phase wraps that this version of the pipeline lacks are skipped (that phase
reads 0). Only the main study's calls count: the robustness study's are in ``robustness``.
"""

from __future__ import annotations

import functools
import importlib
import json
import runpy
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPENT: dict[str, float] = {}
STATE = {"inside_robustness": False, "sweep_started": float("nan")}

# (module, function, phase)
WRAPPED = [
    ("sim.study.pipeline", "run_sweep", "sweep"),
    ("sim.study.parts", "PartStore.save", "store"),  # one transaction per replication
    ("sim.study.running", "saved_parts", "store"),
    ("sim.study.pipeline", "write_tables", "tables"),
    ("sim.study.pipeline", "write_slots", "tables"),
    ("sim.study.pipeline", "write_manifest", "tables"),
    ("sim.study.pipeline", "write_timeline", "timeline"),
    ("sim.study.pipeline", "finish", "finish"),
    ("sim.results.report", "write_report", "report"),
    ("sim.study.robust_section", "add_section", "robustness"),
]


def timed(fn: Callable[..., Any], phase: str) -> Callable[..., Any]:
    """``fn``, its wall time added to ``phase`` (not while the robustness study runs)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if STATE["inside_robustness"]:
            return fn(*args, **kwargs)
        if phase == "sweep" and STATE["sweep_started"] != STATE["sweep_started"]:
            STATE["sweep_started"] = time.perf_counter()
        if phase == "robustness":
            STATE["inside_robustness"] = True
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT[phase] = SPENT.get(phase, 0.0) + time.perf_counter() - start
            if phase == "robustness":
                STATE["inside_robustness"] = False

    return wrapper


def install() -> list[str]:
    """Wrap every function of :data:`WRAPPED` that exists; the ones missing."""
    missing = []
    for module_name, name, phase in WRAPPED:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            missing.append(f"{module_name}.{name}")
            continue
        owner_name, _, attr = name.rpartition(".")
        owner = getattr(module, owner_name, None) if owner_name else module
        fn = getattr(owner, attr, None)
        if fn is None:
            missing.append(f"{module_name}.{name}")
            continue
        setattr(owner, attr, timed(fn, phase))
    return missing


def phases(total_s: float, t0: float) -> dict[str, float]:
    """The split of ``total_s`` into the phases (see the module docstring)."""
    g = SPENT.get
    tables = g("tables", 0.0) + g("timeline", 0.0)
    started = STATE["sweep_started"]
    return {
        "startup": (started - t0) if started == started else 0.0,
        "simulate": g("sweep", 0.0) - g("store", 0.0), "store": g("store", 0.0),
        "tables": g("tables", 0.0), "timeline": g("timeline", 0.0),
        "figures": max(0.0, g("finish", 0.0) - tables - g("report", 0.0)),
        "report": g("report", 0.0), "robustness": g("robustness", 0.0), "total": total_s,
    }


def main(argv: list[str]) -> int:
    out, script_args = Path(argv[0]), argv[1:]
    t0 = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    missing = install()
    sys.argv = [str(ROOT / "experiments" / "staffing_policies.py"), *script_args]
    code: Any = 0
    try:  # the script's own ending (interrupts.end_program) would skip writing the timings
        code = runpy.run_path(sys.argv[0], run_name="main_job")["with_robustness"](script_args)
    except SystemExit as exc:
        code = exc.code
    total = time.perf_counter() - t0
    out.write_text(json.dumps({"phases": phases(total, t0), "missing": missing,
                               "exit": code}) + "\n", encoding="utf-8")
    return int(code or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
