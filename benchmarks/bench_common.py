"""What every part of the benchmark shares: the queue (M/M/N+M, Erlang-A) and its
settings, running one job in a fresh worker process, and formatting numbers."""

from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess
import sys
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
TARGET_VS_MINIMAL = 2.5
TARGET_VS_CIW = 4.0
TARGET_BEHAVIOUR = 1.6
TARGET_MEMORY = 1.2
AGREE_REL = 0.05         # "same queue": each model within 5% (relative) of the exact value
CIW_BUDGET_S = 300.0     # Ciw at the larger size only if predicted to take less than this
HAS_CIW = importlib.util.find_spec("ciw") is not None  # the `bench` extra; else Ciw is skipped
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


# --------------------------------------------------------------------------- running jobs


def run_job(job: dict[str, Any], timeout_s: float | None = None) -> dict[str, Any] | None:
    """Run ``job`` in a fresh interpreter; its JSON answer, or None if it timed out."""
    cmd = [sys.executable, str(BENCH_DIR / "bench.py"), "--worker", json.dumps(job)]
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


# --------------------------------------------------------------------------- formatting


def n_(x: float) -> str:
    return f"{x:,.0f}".replace(",", " ")


def mib(b: float) -> str:
    return f"{b / 2**20:.2f} MiB"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"
