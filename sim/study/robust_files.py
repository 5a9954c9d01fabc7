"""The files of a robustness study: tables, figures, ``report.md`` and the manifest, all or
nothing (the stages' saved replications stay for ``--resume``)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from sim.config.ranges import in_words, label_for
from sim.results.rollback import new_paths_removed_on_failure
from sim.results.store import write_atomic, write_manifest
from sim.robust.figures import flip_figure, morris_figure, tornado_figure
from sim.robust.verdicts import CLASSES
from sim.study.robust_analysis import Verdict
from sim.study.robust_plan import OTHERS
from sim.study.robust_run import RobustResult, RobustSpec


def _share_columns(v: Verdict) -> dict[str, Any]:
    out: dict[str, Any] = {}
    assert v.robustness is not None
    for name in CLASSES:
        share = v.robustness.shares[name]
        key = name.replace(" ", "_")
        out |= {key: share.share, f"{key}_low": share.low, f"{key}_high": share.high}
    return out


def verdict_table(result: RobustResult) -> pd.DataFrame:
    """One row per verdict: shares of worlds with intervals, the deciding parameter, the
    flip point and the headline."""
    rows = []
    for v in result.verdicts:
        assert v.robustness is not None
        flip = v.flip.flip if v.flip is not None else None
        rows.append({"policy": v.policy, "metric": v.metric, "worlds": v.robustness.n_worlds,
                     **_share_columns(v), "interval_level": v.robustness.level,
                     "deciding": v.deciding,
                     "flip_at": flip.value if flip else math.nan,
                     "flip_low": flip.low if flip else math.nan,
                     "flip_high": flip.high if flip else math.nan, "headline": v.headline})
    return pd.DataFrame(rows)


def index_tables(result: RobustResult) -> dict[str, pd.DataFrame]:
    """Morris and Sobol indices of every verdict, long format."""
    morris = pd.concat([v.morris.table.rename_axis("parameter").reset_index()
                        .assign(policy=v.policy, metric=v.metric) for v in result.verdicts])
    sobol = pd.concat([v.sobol.table.rename_axis("parameter").reset_index()
                       .assign(policy=v.policy, metric=v.metric)
                       for v in result.verdicts if v.sobol is not None])
    return {"morris.csv": morris, "sobol.csv": sobol}


def worlds_table(result: RobustResult) -> pd.DataFrame:
    """Every world's parameter values, by stage."""
    return pd.DataFrame([{"stage": s.name, "world": w.name, **w.values}
                         for s in result.stages for w in s.worlds])


def _two_lines(param: str) -> str:
    """A parameter's figure label: its label in words over its key in brackets."""
    label = label_for(param)
    return f"{label}\n[{param}]" if label else param


def figures(result: RobustResult) -> dict[str, Figure]:
    """A Morris μ*–σ chart, a tornado of Sobol total indices and the flip figure per
    verdict."""
    out: dict[str, Figure] = {}
    ticks = {p: _two_lines(p) for p in [*result.params, OTHERS]}
    for v in result.verdicts:
        title = f"{v.policy} vs baseline on {v.metric}"
        out[f"figures/morris_{v.key}.png"] = morris_figure(
            v.morris, title, smallest=v.rule.smallest, names=ticks)
        if v.sobol is not None:
            out[f"figures/sobol_{v.key}.png"] = tornado_figure(v.sobol, title, ticks)
        if v.flip is not None:
            out[f"figures/flip_{v.key}.png"] = flip_figure(
                v.flip, title, f"paired difference in {v.metric}", in_words(v.deciding))
    return out


def write_study(out: Path, spec: RobustSpec, result: RobustResult, command: str,
                wall_s: float) -> list[str]:
    """Write every output; return their names."""
    from sim.plots.style import save_figure
    from sim.study.robust_decompose_report import decomposition_figures, decomposition_table
    from sim.study.robust_report import report_text

    tables = {"verdicts.csv": verdict_table(result), **index_tables(result),
              "worlds.csv": worlds_table(result)}
    drawn = figures(result)
    if result.decompositions:
        tables["decomposition.csv"] = decomposition_table(result.decompositions)
        drawn |= decomposition_figures(result.decompositions)
    with new_paths_removed_on_failure(out):
        for name, frame in tables.items():
            write_atomic(out / name, frame.to_csv(index=False))
        for name, figure in drawn.items():
            save_figure(figure, out / name)
        write_atomic(out / "report.md", report_text(spec, result, command))
        write_manifest(out / "manifest.json", {
            "command": command, "config": str(spec.config), "overrides": list(spec.overrides),
            "policies": [p.label for p in spec.policies], "metrics": list(spec.metrics),
            "params": result.params, "params_not_read": result.dropped, "top": result.top,
            "worlds": {s.name: len(s.worlds) for s in result.stages}, "reps": spec.reps,
            "seed": spec.seed, "replications_run": result.total_reps,
            "decompose": {d.bundle: {"fixes": list(d.fixes), "reps": d.reps,
                                     "worlds": [w.name for w in d.worlds]}
                          for d in result.decompositions},
            "wall_time_s": round(wall_s, 1)})
    return [*tables, "figures/", "report.md", "manifest.json"]
