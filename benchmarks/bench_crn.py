"""Common random numbers: the variance of a paired policy difference with shared streams
against independent ones."""

from __future__ import annotations

import math
import statistics
from typing import Any

from bench_common import BASELINE, OTHER_SEED, SEED


def crn_job(job: dict[str, Any]) -> dict[str, Any]:
    """Walkout rates of the baseline under finish_first and greet_first, replications
    0..R-1: greet_first with the same seed (common random numbers) and with another."""
    from sim.config.loading import load_scenario
    from sim.execution.runner import run_replication

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


def crn_summary(c: dict[str, Any]) -> dict[str, float]:
    same = [g - f for f, g in zip(c["finish"], c["greet_same"], strict=True)]
    other = [g - f for f, g in zip(c["finish"], c["greet_other"], strict=True)]
    return {"reps": len(same), "mean_same": statistics.fmean(same),
            "mean_other": statistics.fmean(other), "var_same": statistics.variance(same),
            "var_other": statistics.variance(other),
            "var_finish": statistics.variance(c["finish"]),
            "var_greet": statistics.variance(c["greet_same"])}


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
