"""Time-of-day figures from ``slots.csv``: walkout rate by time slot and policy (a heatmap),
and the service level through the day per policy (lines with 95% bands).

Both show the slots pooled over days (``day = all``) and both channels together
(``channel = all``), one row or line per level of the colour factor, with the x factor at
its focus level (the manifest's ``focus``, else its middle level) and every other factor at
its focus (else baseline) level, as the other figures do. Slots in which no replication had
an arrival (the time after closing while the line drains) are left out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.metrics.catalogue import declared
from sim.plots.data import (
    Policy,
    Record,
    Results,
    conditions,
    find_scenario,
    fixed_levels,
    middle_x,
    number,
    of_scenario,
    policies,
    replication_count,
)
from sim.plots.policy import percent_axis, policy_legend, suptitle
from sim.plots.style import new_figure

COLUMNS = ("day", "slot", "start", "end", "channel", "metric", "mean", "ci_low", "ci_high")
Slot = tuple[int, str, str]  # (index, start, end)


def slot_series(res: Results, policy: Policy, fixed: dict[str, str], metric: str,
                ) -> dict[Slot, Record]:
    """{slot: slots.csv row} of ``metric`` (pooled day, both channels) in the scenario of
    ``policy`` at the ``fixed`` levels; empty if the table or scenario is absent."""
    frame = res.table("slots", *COLUMNS)
    sid = find_scenario(res, policy, fixed)
    if frame is None or sid is None:
        return {}
    chosen = of_scenario(frame[(frame["metric"] == metric) & (frame["day"] == "all")
                               & (frame["channel"] == "all")], sid)
    return {(int(number(r["slot"])), r["start"], r["end"]): r
            for r in chosen.to_dict("records")}


def _grid(res: Results, metric: str) -> tuple[list[Policy], list[Slot], np.ndarray, str]:
    """Policies, slots with an arrival, their means (rows: policies), and the condition."""
    fixed = fixed_levels(res, middle_x(res))
    series = [(p, slot_series(res, p, fixed, metric)) for p in policies(res)]
    series = [(p, s) for p, s in series if s]
    slots = sorted({k for _p, s in series for k, r in s.items()
                    if math.isfinite(number(r["mean"]))})
    values = np.array([[number(s[k]["mean"]) if k in s else math.nan for k in slots]
                       for _p, s in series])
    return [p for p, _s in series], slots, values, conditions(res, fixed)


def slot_walkouts(res: Results) -> Figure | None:
    """Heatmap of the mean walkout rate: one row per policy, one column per time slot."""
    found, slots, values, fixed_text = _grid(res, "walkout_rate")
    if not slots:
        return None
    fig = new_figure((max(8.0, 0.55 * len(slots) + 2.5), max(4.5, 0.5 * len(found) + 2.2)))
    ax = fig.add_subplot()
    image = ax.imshow(np.ma.masked_invalid(values * 100.0), aspect="auto", cmap="Reds",
                      vmin=0.0)
    for i, j in np.ndindex(values.shape):
        if math.isfinite(values[i, j]):
            dark = values[i, j] * 100.0 > 0.6 * float(np.nanmax(values) * 100.0)
            ax.text(j, i, f"{values[i, j] * 100:.0f}", ha="center", va="center", fontsize=7,
                    color="white" if dark else "black")
    ax.set_xticks(range(len(slots)), [s[1] for s in slots], rotation=90, fontsize=8)
    ax.set_yticks(range(len(found)), [p.label for p in found])
    ax.set_xlabel("time slot (start)")
    fig.colorbar(image, ax=ax, label="walkout rate (%)")
    detail = f"mean over {replication_count(res)} replications (cells in %)"
    suptitle(fig, "Walkout rate by time of day",
             f"{detail}; {fixed_text}" if fixed_text else detail)
    return fig


def slot_service_level(res: Results) -> Figure | None:
    """Service level (service started within target) through the day, one line and 95%
    band per policy."""
    fixed = fixed_levels(res, middle_x(res))
    fig = new_figure()
    ax = fig.add_subplot()
    drawn = [_line(ax, p, slot_series(res, p, fixed, "service_level")) for p in policies(res)]
    if not any(drawn):
        return None
    ax.set_xlabel("time slot (start)")
    ax.set_ylabel(declared("service_level").label)
    ax.set_ylim(bottom=0.0)
    percent_axis(ax)
    ax.grid(alpha=0.3)
    detail = f"mean and 95% CI over {replication_count(res)} replications"
    text = conditions(res, fixed)
    suptitle(fig, "Service level by time of day", f"{detail}; {text}" if text else detail)
    policy_legend(fig, res)
    return fig


def _line(ax: Axes, policy: Policy, series: dict[Slot, Record]) -> bool:
    kept: Sequence[tuple[Slot, Record]] = [(k, r) for k, r in sorted(series.items())
                                        if math.isfinite(number(r["mean"]))]
    if not kept:
        return False
    xs = [k[0] for k, _r in kept]
    ax.plot(xs, [number(r["mean"]) for _k, r in kept], marker="o", markersize=3,
            color=policy.colour, label=policy.label)
    ax.fill_between(xs, [number(r["ci_low"]) for _k, r in kept],
                    [number(r["ci_high"]) for _k, r in kept], color=policy.colour, alpha=0.15,
                    linewidth=0)
    step = math.ceil(len(kept) / 9)  # at most nine labelled ticks
    ax.set_xticks(xs[::step], [k[1] for k, _r in kept][::step])
    return True
