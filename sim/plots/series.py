"""Figures from the optional distribution and day tables: acknowledgment ECDF, active patrons."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from sim.plots.data import (
    Policy,
    Results,
    conditions,
    find_scenario,
    fixed_levels,
    middle_x,
    number,
    of_scenario,
    policies,
)
from sim.plots.policy import policy_legend, suptitle
from sim.plots.style import new_figure
from sim.results.statistics import Estimate, metric_estimate

MAX_ACK_AXIS_S = 600.0  # the ECDF's x axis never runs past 10 minutes
ECDF_CLIP = 0.99        # ... nor past the largest 99th percentile of the policies shown


def ecdf_points(frame: pd.DataFrame) -> tuple[list[float], list[float]]:
    """Upper bin edges and the share acknowledged by each (1 s bins, ``bin_s`` lower edge),
    from an ``ack_times`` table's ``bin_s`` and ``count`` columns."""
    if frame.empty:
        return [], []
    counts: dict[float, float] = {}
    for bin_s, count in zip(frame["bin_s"], frame["count"], strict=True):
        b, c = number(bin_s), number(count)
        if math.isfinite(b) and math.isfinite(c) and c > 0:
            counts[b] = counts.get(b, 0.0) + c
    total = math.fsum(counts.values())
    if total <= 0:
        return [], []
    edges, shares, running = [0.0], [0.0], 0.0
    for b in sorted(counts):
        running += counts[b]
        edges.append(b + 1.0)
        shares.append(running / total)
    return edges, shares


def share_within(edges: Sequence[float], shares: Sequence[float], t: float) -> float:
    """The ECDF at ``t`` (the last edge not after ``t``)."""
    return max((s for e, s in zip(edges, shares, strict=True) if e <= t), default=0.0)


def quantile_edge(edges: Sequence[float], shares: Sequence[float], q: float) -> float:
    """The first edge by which at least a share ``q`` was acknowledged."""
    return next((e for e, s in zip(edges, shares, strict=True) if s >= q), edges[-1])


def ack_ecdf(res: Results) -> Figure | None:
    """Walk-in time to acknowledgment: ECDF per policy with the target marked."""
    frame = res.table("ack_times", "channel", "bin_s", "count")
    if frame is None:
        return None
    fixed = fixed_levels(res, middle_x(res))
    walk_ins = frame[frame["channel"] == "walk_in"]
    curves = [(p, ecdf_points(of_scenario(walk_ins, sid)))
              for p in policies(res) if (sid := find_scenario(res, p, fixed)) is not None]
    curves = [(p, c) for p, c in curves if c[0]]
    if not curves:
        return None
    fig = new_figure()
    ax = fig.add_subplot()
    target = res.ack_target_s
    for policy, (edges, shares) in curves:
        within = share_within(edges, shares, target)
        ax.step(edges, shares, where="post", color=policy.colour,
                label=f"{policy.label} ({within:.0%} within {target:g} s)")
    longest = max(edges[-1] for _, (edges, _) in curves)
    p99 = max(quantile_edge(e, s, ECDF_CLIP) for _, (e, s) in curves)
    _ack_axes(ax, target, min(max(p99, 1.5 * target), MAX_ACK_AXIS_S), longest)
    suptitle(fig, "Walk-ins: how soon staff acknowledged them, per policy",
             "share of acknowledged walk-ins greeted within t (all replications)"
             + (f"; {conditions(res, fixed)}" if fixed else ""))
    policy_legend(fig, res)
    return fig


def _ack_axes(ax: Axes, target: float, right: float, longest: float) -> None:
    ax.axvline(target, color="black", linestyle="--", linewidth=1)
    ax.annotate(f"target {target:g} s", xy=(target, 0.03), xytext=(4, 0),
                textcoords="offset points", fontsize=9)
    ax.set_xlim(0.0, right)
    ax.set_ylim(0.0, 1.02)
    cut = "" if right >= longest else f"; axis cut at {right:.0f} s"
    ax.set_xlabel(f"time from arrival to acknowledgment, t (s{cut})")
    ax.set_ylabel("acknowledged within t (%)")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.grid(alpha=0.3)


def active_series(frame: pd.DataFrame) -> list[tuple[float, Estimate]]:
    """Active patrons at the start (day 0) and the end of each day, over replications, from
    a ``days`` table's ``day``, ``active_start`` and ``active_end`` columns."""
    values: dict[float, list[float]] = {}
    for raw_day, start, end in zip(frame["day"], frame["active_start"], frame["active_end"],
                                   strict=True):
        day = number(raw_day)
        if day == 0:
            values.setdefault(0.0, []).append(number(start))
        values.setdefault(day + 1.0, []).append(number(end))
    found = [(t, metric_estimate(v, "active_patrons_end")) for t, v in sorted(values.items())
             if math.isfinite(t)]  # a count of patrons: the band never goes below 0
    return [(t, e) for t, e in found if e.n > 0]


def active_patrons(res: Results) -> Figure | None:
    """Mean active patrons over the simulated days, per policy, with a 95% CI band."""
    frame = res.table("days", "day", "active_start", "active_end")
    if frame is None:
        return None
    fixed = fixed_levels(res, middle_x(res))
    fig = new_figure()
    ax = fig.add_subplot()
    drawn = [_active_line(ax, p, of_scenario(frame, sid))
             for p in policies(res) if (sid := find_scenario(res, p, fixed)) is not None]
    if not any(drawn):
        return None
    ax.set_xlabel("days simulated")
    ax.set_ylabel("active patrons (people)")
    ax.grid(alpha=0.3)
    suptitle(fig, "Active patrons over time, per policy",
             "mean and 95% CI over replications"
             + (f"; {conditions(res, fixed)}" if fixed else ""))
    policy_legend(fig, res)
    return fig


def _active_line(ax: Axes, policy: Policy, frame: pd.DataFrame) -> bool:
    series = active_series(frame)
    if not series:
        return False
    days = [t for t, _ in series]
    ax.plot(days, [e.mean for _, e in series], color=policy.colour, label=policy.label,
            marker="o" if len(days) <= 15 else None, markersize=3)
    ax.fill_between(days, [e.ci_low for _, e in series], [e.ci_high for _, e in series],
                    color=policy.colour, alpha=0.2, linewidth=0)
    return True
