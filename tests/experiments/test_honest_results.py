"""The main job's tables are honest: every interval of ``summary.csv`` stays inside its
metric's range, each estimate says how many replications it rests on, and the comparisons
carry their p-values and false-discovery-rate decision."""

from __future__ import annotations

import csv
import math
import subprocess
import sys
from pathlib import Path

from sim.metrics.catalogue import metric
from tests.helpers import CLI_TIMEOUT_S, REPO, cli_env


def _table(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_main_job_intervals_stay_inside_each_metric_range(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(REPO / "experiments" / "staffing_policies.py"),
                           "--smoke", "--jobs", "1", "--out", "run"],
                          cwd=tmp_path, env=cli_env(), capture_output=True, text=True,
                          timeout=CLI_TIMEOUT_S, check=False)
    assert done.returncode == 0, done.stderr
    summary = _table(tmp_path / "run" / "summary.csv")
    assert summary and {"n", "n_reps", "ci_method"} <= set(summary[0])
    methods = set()
    for row in summary:
        low, high = metric(row["metric"]).bounds
        lo, hi, mean = float(row["ci_low"]), float(row["ci_high"]), float(row["mean"])
        assert int(row["n"]) <= int(row["n_reps"]) == 2, row
        if math.isnan(lo):
            continue
        assert low <= lo <= mean + 1e-9 and mean - 1e-9 <= hi <= high, row
        methods.add(row["ci_method"])
    assert {"logit", "t"} <= methods
    comparisons = _table(tmp_path / "run" / "comparisons.csv")
    assert {"p_value", "p_adjusted", "significant_fdr", "verdict_ci_low"} <= set(comparisons[0])
    for row in comparisons:
        if row["significant_fdr"] == "True":
            assert float(row["p_adjusted"]) <= 0.05
        assert row["reps_to_resolve"] == "" or "no practical" not in row["verdict"]
    report = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    assert "Verdicts control the false discovery rate at 5%" in report


def test_run_summary_says_what_each_interval_rests_on(tmp_path: Path) -> None:
    """``countersim run``'s summary.csv, like a sweep's: replications run, those the
    estimate rests on, the interval method, and every interval inside the metric's range."""
    done = subprocess.run([sys.executable, "-m", "sim", "run", str(REPO / "experiments" /
                           "configs" / "baseline.toml"), "--reps", "3", "--out", "run"],
                          cwd=tmp_path, env=cli_env(), capture_output=True, text=True,
                          timeout=CLI_TIMEOUT_S, check=False)
    assert done.returncode == 0, done.stderr
    summary = _table(tmp_path / "run" / "summary.csv")
    assert {"n", "n_reps", "ci_method"} <= set(summary[0])
    for row in summary:
        assert int(row["n"]) <= int(row["n_reps"]) == 3, row
        low, high = metric(row["metric"]).bounds
        if row["ci_low"] not in ("", "nan"):
            assert low <= float(row["ci_low"]) and float(row["ci_high"]) <= high, row
