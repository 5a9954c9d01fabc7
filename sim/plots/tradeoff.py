"""The trade-off figure of ``countersim staff --objective net_value``: staff hours against
walkouts and against lost lifetime value for every schedule the search evaluated, the
Pareto front of each (fewer staff hours, fewer walkouts / less value lost) and the chosen
schedule marked. Drawn from ``schedules.csv`` alone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from matplotlib.axes import Axes

from sim.plots.data import number
from sim.plots.style import new_figure, save_figure

PANELS = (("walkout_rate", "walkout rate (% of arrivals)", 100.0, "pareto_walkouts"),
          ("lost_clv", "lost lifetime value (money units per day)", 1.0, "pareto_lost_clv"))


def _panel(ax: Axes, rows: Sequence[Mapping[str, str]], metric: str, label: str,
           scale: float, front: str) -> None:
    hours = [number(r["staff_hours"]) for r in rows]
    values = [number(r[metric]) * scale for r in rows]
    feasible = [r["feasible"] == "True" for r in rows]
    ax.scatter([h for h, f in zip(hours, feasible, strict=True) if f],
               [v for v, f in zip(values, feasible, strict=True) if f],
               s=18, color="#1f78b4", alpha=0.7, label="schedule evaluated")
    if not all(feasible):
        ax.scatter([h for h, f in zip(hours, feasible, strict=True) if not f],
                   [v for v, f in zip(values, feasible, strict=True) if not f], s=18,
                   facecolors="none", edgecolors="#999999", label="misses a target")
    on_front = sorted((h, v) for h, v, r in zip(hours, values, rows, strict=True)
                      if r[front] == "True")
    if on_front:
        ax.step([p[0] for p in on_front], [p[1] for p in on_front], where="post",
                color="#e31a1c", linewidth=1.2, label="Pareto front")
    for h, v, r in zip(hours, values, rows, strict=True):
        if r["chosen"] == "True":
            ax.scatter([h], [v], marker="*", s=220, color="#ff7f00", edgecolors="black",
                       zorder=5, label="chosen (highest net value)")
    ax.set_xlabel("paid staff hours per day")
    ax.set_ylabel(label)
    ax.grid(alpha=0.3)


def tradeoff_figure(rows: Sequence[Mapping[str, str]], path: Path, title: str) -> Path:
    """Draw the two panels from the rows of ``schedules.csv`` and save to ``path``."""
    fig = new_figure((10.0, 4.5))
    axes = fig.subplots(1, 2)
    for ax, (metric, label, scale, front) in zip(axes, PANELS, strict=True):
        _panel(ax, rows, metric, label, scale, front)
    axes[0].legend(fontsize=8, loc="upper right")
    fig.suptitle(title, fontsize=10)
    save_figure(fig, path)
    return path
