"""Figures of a robustness study, pure matplotlib (no pyplot state): the Morris ``μ*``–``σ``
chart of a verdict, the tornado of Sobol' total indices with their intervals, and the
flip-point figure. Each returns a :class:`~matplotlib.figure.Figure`; saving is the
caller's (``sim.plots.style.save_figure``)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure

from sim.plots.style import new_figure
from sim.robust.flip import Boundary
from sim.robust.indices import MorrisResult, SobolResult

DECIDING = "#d95f02"
OTHER = "#7570b3"
BAND = "#a6cee3"
LINE = "#1f78b4"


def morris_figure(result: MorrisResult, title: str, unit: str = "",
                  smallest: float = 0.0, names: Mapping[str, str] | None = None) -> Figure:
    """``μ*`` (x, with its 95% interval) against ``σ`` (y) per parameter, both in the
    metric's ``unit`` per whole range of the parameter; the noise floor and the smallest
    difference that matters (``smallest``, metric units) as vertical lines when known.
    Points right of both lines are parameters that can decide the verdict. ``names``: how
    to label each parameter (its key when absent)."""
    fig = new_figure((7.0, 5.0))
    ax = fig.add_subplot()
    t = result.table
    floor = max(smallest, 0.0 if np.isnan(result.noise_floor) else result.noise_floor)
    colours = [DECIDING if low > floor else OTHER for low in t["mu_star_low"]]
    mu, low, high = (t[c].to_numpy(float) for c in ("mu_star", "mu_star_low", "mu_star_high"))
    ax.errorbar(mu, t["sigma"].to_numpy(float), xerr=[mu - low, high - mu],
                fmt="none", ecolor="#999999", elinewidth=1, capsize=2)
    ax.scatter(t["mu_star"], t["sigma"], c=colours, zorder=3)
    for name, row in t.iterrows():
        ax.annotate((names or {}).get(str(name), str(name)), (row["mu_star"], row["sigma"]),
                    textcoords="offset points", xytext=(4, 4), fontsize=8)
    if not np.isnan(result.noise_floor):
        ax.axvline(result.noise_floor, color="#999999", linestyle=":", label="noise floor")
    if smallest > 0.0:
        ax.axvline(smallest, color=DECIDING, linestyle="--",
                   label="smallest difference that matters")
    shown = f" ({unit})" if unit else ""
    ax.set_xlabel(f"μ*: mean |effect| over the range{shown}")
    ax.set_ylabel(f"σ: spread of the effect{shown}")
    right = max(float(t["mu_star_high"].max()), smallest, floor)
    ax.set_xlim(0.0, 1.15 * right if right > 0 else 1.0)
    top = float(t["sigma"].max())
    ax.set_ylim(0.0, 1.15 * top if top > 0 else 1.0)
    ax.set_title(title)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="best", fontsize=8)
    return fig


def tornado_figure(result: SobolResult, title: str,
                   names: Mapping[str, str] | None = None) -> Figure:
    """Sobol' total indices (bars, largest on top) with their 95% intervals, first-order
    indices as dots: shares of the variance of the paired difference over worlds (%).
    ``names``: how to label each parameter (its key when absent)."""
    t = result.table.sort_values("ST", kind="stable")
    fig = new_figure((8.0 if names else 7.0, 1.2 + (0.7 if names else 0.45) * len(t)))
    ax = fig.add_subplot()
    pos = np.arange(len(t))
    st, low, high = (100 * t[c].to_numpy() for c in ("ST", "ST_low", "ST_high"))
    ax.barh(pos, st, color=LINE, alpha=0.8, label="total index")
    ax.errorbar(st, pos, xerr=[np.maximum(st - low, 0), np.maximum(high - st, 0)],
                fmt="none", ecolor="black", capsize=3, label="95% interval")
    ax.scatter(100 * t["S1"].to_numpy(), pos, color=DECIDING, zorder=3, s=18,
               label="first-order index")
    ax.set_yticks(pos, [(names or {}).get(str(p), str(p)) for p in t.index])
    ax.axvline(0.0, color="black", linewidth=0.8)
    ax.set_xlabel("share of the paired difference's variance over worlds (%)")
    note = f" (replication noise {100 * result.noise_share:.0f}% taken out)" \
        if result.noise_share > 0 else ""
    ax.set_title(title + note)
    ax.legend(loc="lower right", fontsize=8)
    return fig


def flip_figure(b: Boundary, title: str, metric_label: str, parameter_label: str,
                log_x: bool = False) -> Figure:
    """The paired difference (``metric_label``: the metric's axis label, with its unit)
    against the parameter (``parameter_label``, with its unit; ``log_x`` for a log-uniform
    range): the worlds as dots, the fitted curve with its 95% band, the zero line and the
    flip point with its interval."""
    fig = new_figure()
    ax = fig.add_subplot()
    ax.scatter(b.x, b.y, s=6, color="#bbbbbb", label="worlds", zorder=1)
    ax.fill_between(b.grid, b.band_low, b.band_high, color=BAND, alpha=0.6,
                    label=f"{100 * b.level:.0f}% band", zorder=2)
    ax.plot(b.grid, b.fitted, color=LINE, label="fitted difference", zorder=3)
    ax.axhline(0.0, color="black", linewidth=0.8, zorder=2)
    if b.flip is not None:
        f = b.flip
        ax.axvspan(f.low, f.high, color=DECIDING, alpha=0.15,
                   label=f"flip interval{' (open)' if f.low_open or f.high_open else ''}")
        ax.axvline(f.value, color=DECIDING, linestyle="--", zorder=3)
        ax.plot([f.value], [0.0], marker="o", color=DECIDING, zorder=4,
                label=f"flips at {f.value:.3g}")
    if log_x:
        ax.set_xscale("log")
    ax.set_xlim(float(b.grid.min()), float(b.grid.max()))
    ax.set_xlabel(parameter_label)
    ax.set_ylabel(f"paired difference: {metric_label}")
    ax.set_title(title)
    ax.legend(loc="best", fontsize=8)
    return fig


def decomposition_figure(fixes: list[str], values: np.ndarray, low: np.ndarray,
                         high: np.ndarray, title: str, unit_label: str,
                         across: dict[str, np.ndarray] | None = None) -> Figure:
    """A waterfall of a bundle's effect: each fix's Shapley value (``values``, with its
    interval ``low``–``high``; all in ``unit_label``'s scale) added in turn, then the
    bundle's whole effect (the last entry of each array, named by the last of ``fixes``).
    ``across`` (fix → its value in each sampled world, same scale) adds a second panel of
    dots showing how stable each part is across worlds."""
    k = len(fixes) - 1
    fig = new_figure((10.0 if across else 7.0, 1.4 + 0.5 * len(fixes)))
    ax = fig.add_subplot(1, 2 if across else 1, 1)
    pos = np.arange(len(fixes))[::-1]
    starts = np.concatenate([[0.0], np.cumsum(values[:k])[:-1], [0.0]])
    colours = [DECIDING if v > 0 else LINE for v in values[:k]] + ["#444444"]
    ax.barh(pos, values, left=starts, color=colours, alpha=0.85)
    ends = starts + values
    ax.errorbar(ends, pos, xerr=[np.maximum(values - low, 0), np.maximum(high - values, 0)],
                fmt="none", ecolor="black", capsize=3, label="95% interval")
    ax.set_yticks(pos, fixes)
    ax.axvline(0.0, color="black", linewidth=0.8)
    ax.set_xlabel(f"change against the baseline ({unit_label})")
    ax.set_title(title, fontsize=10)
    ax.legend(loc="best", fontsize=8)
    if across:
        right = fig.add_subplot(1, 2, 2, sharey=ax)
        for p, fix in zip(pos, fixes, strict=True):
            dots = across.get(fix, np.array([]))
            right.scatter(dots, np.full(dots.shape, p), s=18, color=OTHER, zorder=3)
            right.scatter([values[list(fixes).index(fix)]], [p], marker="|", s=200,
                          color="black", zorder=4)
        right.axvline(0.0, color="black", linewidth=0.8)
        right.set_xlabel(f"in each sampled world ({unit_label}; bar: default world)")
        right.set_title("stable across worlds?", fontsize=10)
    return fig
