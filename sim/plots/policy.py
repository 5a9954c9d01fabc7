"""Figures that compare policies from ``replications.csv``: walkouts, churn, fairness, staff time.

Each function returns a :class:`~matplotlib.figure.Figure`, or None when the tables lack
what it needs. Means carry 95% Student-t intervals over replications.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from sim.metrics.catalogue import (
    ACTIVITY_BASE,
    activity_column,
    activity_of,
    declared,
    split_column,
)
from sim.plots.data import (
    Policy,
    Results,
    conditions,
    error_bar,
    find_scenario,
    fixed_levels,
    metric_estimate,
    middle_x,
    policies,
    replication_count,
)
from sim.plots.style import activity_colour, activity_order, new_figure, pretty
from sim.results.statistics import Estimate

Series = Sequence[tuple[Policy, Sequence[Estimate | None]]]

# Appearance / tier groups of the fairness figure (catalogue group split), display names.
FAIRNESS_GROUPS = (("plain", "plain"), ("polished", "polished"),
                   ("plain_top", "plain top spenders"))
# Panels: a metric split by group each (title: its axis label; shares drawn as percent).
FAIRNESS_PANELS = ("walkout_rate", "mean_time_to_ack_acknowledged_s", "churn_per_contact")
CHURN_PANELS = (("churned_patrons", "churned patrons"),  # metric, title; y: its axis label
                ("lost_clv", "lost customer lifetime value"))


def suptitle(fig: Figure, main: str, detail: str) -> None:
    """A two-line title: what is shown, then how (intervals, fixed levels)."""
    fig.suptitle(f"{main}\n{detail}" if detail else main, fontsize=11)


def ci_detail(res: Results, fixed_text: str) -> str:
    """``"mean and 95% CI over 10 replications; staff = 3"``."""
    text = f"mean and 95% CI over {replication_count(res)} replications"
    return f"{text}; {fixed_text}" if fixed_text else text


def policy_legend(fig: Figure, res: Results) -> None:
    """One legend for the figure, outside the plotting area on the right (centred
    vertically, clear of the title)."""
    handles, labels = fig.axes[0].get_legend_handles_labels()
    if handles:
        title = pretty(res.colour.name) if res.colour is not None else None
        fig.legend(handles, labels, loc="outside right center", title=title, fontsize=9)


def percent_axis(ax: Axes) -> None:
    """Show a share as a percentage; wide intervals do not stretch the axis past 100%."""
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    low, high = ax.get_ylim()
    ax.set_ylim(low, min(high, 1.0))


def walkout_vs_staff(res: Results) -> Figure | None:
    """Walkout rate against the x factor, one line and 95% CI band per policy."""
    if res.x is None:
        return None
    fig = new_figure()
    ax = fig.add_subplot()
    others = fixed_levels(res, None)
    drawn = [_walkout_line(ax, res, policy, others) for policy in policies(res)]
    if not any(drawn):
        return None
    levels = [float(v) for v in res.x.levels]
    ax.set_xticks(levels, list(res.x.levels))
    ax.set_xlabel(pretty(res.x.name))
    ax.set_ylabel(declared("walkout_rate").label)
    ax.set_ylim(bottom=0.0)
    percent_axis(ax)
    ax.grid(alpha=0.3)
    suptitle(fig, f"Walkout rate by {pretty(res.x.name)}",
             ci_detail(res, conditions(res, others)))
    policy_legend(fig, res)
    return fig


def _walkout_line(ax: Axes, res: Results, policy: Policy, others: dict[str, str]) -> bool:
    assert res.x is not None
    points: list[tuple[float, Estimate]] = []
    for level in res.x.levels:
        sid = find_scenario(res, policy, {**others, res.x.name: level})
        e = metric_estimate(res, sid, "walkout_rate")
        if e is not None and math.isfinite(e.mean):
            points.append((float(level), e))
    if not points:
        return False
    xs = [x for x, _ in points]
    ax.plot(xs, [e.mean for _, e in points], marker="o", color=policy.colour,
            label=policy.label)
    ax.fill_between(xs, [e.ci_low for _, e in points], [e.ci_high for _, e in points],
                    color=policy.colour, alpha=0.2, linewidth=0)
    return True


def bar_groups(ax: Axes, labels: Sequence[str], series: Series, dodge: bool = True) -> bool:
    """Grouped bars: one group per label, one bar per policy side by side (``dodge``; else
    every policy's bars centred on the labels), CI error bars. The axis starts at 0 when
    every mean is non-negative: these quantities cannot go below it."""
    width = 0.8 / max(len(series), 1) if dodge else 0.6
    drawn, lowest = False, 0.0
    for j, (policy, estimates) in enumerate(series):
        offset = (j - (len(series) - 1) / 2.0) * width if dodge else 0.0
        kept = [(i, e) for i, e in enumerate(estimates) if e is not None and math.isfinite(e.mean)]
        if not kept:
            continue
        bars = [error_bar(e) for _, e in kept]
        ax.bar([i + offset for i, _ in kept], [e.mean for _, e in kept], width,
               yerr=[[b[0] for b in bars], [b[1] for b in bars]], capsize=3,
               color=policy.colour, label=policy.label, error_kw={"elinewidth": 1})
        drawn, lowest = True, min(lowest, *(e.mean for _, e in kept))
    if drawn and lowest >= 0.0:
        ax.set_ylim(bottom=0.0)
    ax.set_xticks(range(len(labels)), list(labels))
    ax.grid(axis="y", alpha=0.3)
    return drawn


def churn_and_clv(res: Results) -> Figure | None:
    """Churned patrons and lost CLV per policy, grouped by the x factor if there is one."""
    fig = new_figure()
    axes = fig.subplots(1, 2)
    drawn = False
    for ax, (metric, title) in zip(axes, CHURN_PANELS, strict=True):
        labels, series = _churn_series(res, metric)
        drawn = bar_groups(ax, labels, series, dodge=res.x is not None) or drawn
        ax.set_ylabel(declared(metric).label)
        ax.set_title(title, fontsize=10)
        if res.x is not None:
            ax.set_xlabel(pretty(res.x.name))
    if not drawn:
        return None
    by = f" by {pretty(res.x.name)}" if res.x is not None else ""
    suptitle(fig, f"Patrons lost and their lifetime value per policy{by}",
             ci_detail(res, conditions(res, fixed_levels(res, None))))
    policy_legend(fig, res)
    return fig


def _churn_series(res: Results, metric: str) -> tuple[list[str], Series]:
    """Bar labels and estimates: x levels with a bar per policy, else one bar per policy."""
    pols = policies(res)
    if res.x is None:
        found = [metric_estimate(res, find_scenario(res, p, fixed_levels(res, None)), metric)
                 for p in pols]
        return [p.label for p in pols], [
            (p, [e if j == i else None for j in range(len(pols))])
            for i, (p, e) in enumerate(zip(pols, found, strict=True))]
    return list(res.x.levels), [
        (p, [metric_estimate(res, find_scenario(res, p, fixed_levels(res, v)), metric)
             for v in res.x.levels]) for p in pols]


def fairness_gaps(res: Results) -> Figure | None:
    """Walkouts, time to acknowledgment and churn for plain vs polished customers."""
    fixed = fixed_levels(res, middle_x(res))
    scenarios = [(p, find_scenario(res, p, fixed)) for p in policies(res)]
    fig = new_figure()
    axes = fig.subplots(1, len(FAIRNESS_PANELS))
    drawn = False
    for ax, metric in zip(axes, FAIRNESS_PANELS, strict=True):
        series = [(p, [metric_estimate(res, sid, split_column(metric, "group", g))
                       for g, _ in FAIRNESS_GROUPS]) for p, sid in scenarios]
        drawn = bar_groups(ax, [name for _, name in FAIRNESS_GROUPS], series) or drawn
        ax.set_title(declared(metric).label, fontsize=9)
        ax.tick_params(axis="x", labelsize=8, labelrotation=20)
        if declared(metric).kind == "share":
            percent_axis(ax)
    if not drawn:
        return None
    suptitle(fig, "Treatment by appearance: plain vs polished customers (and plain top spenders)",
             ci_detail(res, conditions(res, fixed)))
    policy_legend(fig, res)
    return fig


def staff_time(res: Results) -> Figure | None:
    """Stacked bars: the share of staff time in each activity, one bar per policy."""
    fixed = fixed_levels(res, middle_x(res))
    shown = [(p, find_scenario(res, p, fixed)) for p in policies(res)]
    shown = [(p, sid) for p, sid in shown if sid is not None]
    columns = {str(c) for frame in res.replications.values() for c in frame.columns}
    names = activity_order(a for a in map(activity_of, columns) if a is not None)
    shares = {a: [_mean(metric_estimate(res, sid, activity_column(a))) for _, sid in shown]
              for a in names}
    shares = {a: v for a, v in shares.items() if any(s > 0 for s in v)}
    if not shown or not shares:
        return None
    fig = new_figure()
    ax = fig.add_subplot()
    _stack(ax, [p.label for p, _ in shown], shares)
    for tick, (policy, _) in zip(ax.get_xticklabels(), shown, strict=True):
        tick.set_color(policy.colour)
    ax.set_ylabel(declared(ACTIVITY_BASE).label)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    if res.colour is not None:
        ax.set_xlabel(pretty(res.colour.name))
    suptitle(fig, "How staff spend their time, per policy",
             f"mean share over {replication_count(res)} replications"
             + (f"; {conditions(res, fixed)}" if fixed else ""))
    handles, labels = ax.get_legend_handles_labels()  # top of the stack first
    fig.legend(handles[::-1], labels[::-1], loc="outside right center", title="activity",
               fontsize=9)
    return fig


def _mean(e: Estimate | None) -> float:
    return e.mean if e is not None and math.isfinite(e.mean) else 0.0


def _stack(ax: Axes, labels: Sequence[str], shares: dict[str, list[float]]) -> None:
    bottom = [0.0] * len(labels)
    positions = list(range(len(labels)))
    for activity, values in shares.items():
        ax.bar(positions, values, 0.6, bottom=bottom, color=activity_colour(activity),
               label=pretty(activity), edgecolor="white", linewidth=0.5)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_xticks(positions, list(labels))
    ax.set_ylim(0.0, max(1.0, max(bottom)))
