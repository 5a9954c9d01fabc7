"""The files ``countersim fit`` writes, all or nothing: scenarios, tables, figures, report."""

from __future__ import annotations

from pathlib import Path
from typing import TypeAlias

import pandas as pd
from matplotlib.figure import Figure

from sim.calibration import figures
from sim.calibration.fit import Fit
from sim.calibration.fit_report import report_text
from sim.results.rollback import new_paths_removed_on_failure
from sim.results.store import write_atomic

Output: TypeAlias = str | Figure | pd.DataFrame


def _service_tables(fit: Fit) -> dict[str, pd.DataFrame]:
    fits = pd.concat([s.candidates.assign(channel=c) for c, s in fit.service.items()],
                     ignore_index=True) if fit.service else pd.DataFrame()
    by = pd.DataFrame([{"group": " / ".join(str(k) for k in key), "n": s.n,
                        "mean_s": s.mean_s, "median_s": s.median_s, "cv": s.cv,
                        "spike_share": s.spike_share, "chosen": s.chosen}
                       for key, s in fit.service_by.items()])
    return {"service_fits.csv": fits, "service_by_type.csv": by}


def _patience_tables(fit: Fit) -> dict[str, pd.DataFrame]:
    if not fit.patience:
        return {}
    fits = pd.concat([p.candidates.assign(channel=c) for c, p in fit.patience.items()],
                     ignore_index=True)
    km = pd.concat([p.km.assign(channel=c) for c, p in fit.patience.items()],
                   ignore_index=True)
    hazard = pd.concat([p.hazard.assign(channel=c) for c, p in fit.patience.items()],
                       ignore_index=True)
    return {"patience_fits.csv": fits, "patience_km.csv": km, "patience_hazard.csv": hazard}


def _tables(fit: Fit) -> dict[str, pd.DataFrame]:
    arrivals = pd.concat([a.table.assign(channel=c) for c, a in fit.arrivals.items()],
                         ignore_index=True)
    counts = pd.concat([a.counts.assign(channel=c) for c, a in fit.arrivals.items()],
                       ignore_index=True)
    dispersion = pd.DataFrame([{"channel": c, "day_type": t, **vars(d)}
                               for c, a in fit.arrivals.items()
                               for t, d in a.dispersion.items()])
    skipped = pd.DataFrame([{"reason": reason, "line": n}
                            for reason, lines in fit.read.skipped.items() for n in lines],
                           columns=["reason", "line"])
    retrials = pd.DataFrame([{"window_s": fit.retrials.window_s,
                              **{k: v for k, v in vars(stats).items()
                                 if not isinstance(v, list | tuple | dict)}}
                             for stats in (fit.retrials.abandoned, fit.retrials.served)])
    return {"day_types.csv": fit.day_types, "arrivals.csv": arrivals,
            "arrival_counts.csv": counts, "dispersion.csv": dispersion,
            **_service_tables(fit), **_patience_tables(fit),
            "staff_by_slot.csv": fit.staff.table, "staff_by_day.csv": fit.staff.by_day,
            "retrials.csv": retrials, "skipped_lines.csv": skipped}


def _figures(fit: Fit) -> dict[str, Figure]:
    out: dict[str, Figure] = {}
    for channel, arrivals in fit.arrivals.items():
        for day_type in arrivals.dispersion:
            out[f"figures/arrivals_{channel}_{day_type}.png"] = figures.arrivals_figure(
                arrivals, day_type, fit.options.slot_minutes)
    if fit.service:
        out["figures/service_qq.png"] = figures.service_qq_figure(fit.service)
    if fit.patience:
        out["figures/patience.png"] = figures.patience_figure(fit.patience)
    for day_type in sorted(set(fit.types.values())):
        out[f"figures/staff_{day_type}.png"] = figures.staff_figure(fit.staff, day_type)
    return out


def outputs(fit: Fit, command: str) -> dict[str, Output]:
    """Every file of the fit, by path relative to the output folder."""
    files: dict[str, Output] = {}
    for day_type, text in fit.scenarios.items():
        name = "scenario.toml" if day_type == fit.main_type else f"scenario_{day_type}.toml"
        files[name] = text
    files.update(_tables(fit))
    files.update(_figures(fit))
    files["report.md"] = report_text(fit, command, [*files, "report.md"])
    return files


def write_outputs(out: Path, files: dict[str, Output]) -> None:
    """Write every file under ``out``; if any write fails, remove what was created."""
    from sim.plots.style import save_figure

    with new_paths_removed_on_failure(out):
        for name, content in files.items():
            path = out / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Figure):
                save_figure(content, path)
            elif isinstance(content, pd.DataFrame):
                write_atomic(path, content.to_csv(index=False))
            else:
                write_atomic(path, content)
