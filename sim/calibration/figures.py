"""The fit report's figures, each a pure function of the estimates (no file access):
arrivals by slot observed against fitted, service Q–Q, patience survival, staff on duty."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from scipy import stats

from sim.calibration.arrivals import ArrivalFit
from sim.calibration.patience import PatienceFit
from sim.calibration.service import ServiceFit
from sim.calibration.staffing import StaffFit
from sim.plots.style import clock_axis, new_figure


def _legend(ax: Axes) -> None:
    """A legend of the labelled artists (none drawn: no legend, and no matplotlib
    warning)."""
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8)


def arrivals_figure(fit: ArrivalFit, day_type: str, slot_minutes: int) -> Figure:
    """Arrivals per hour by slot: each observed day (dots), the fitted rate with its Poisson
    95% band and the day-to-day 95% band."""
    fig = new_figure()
    ax = fig.add_subplot()
    hours = slot_minutes / 60.0
    counts = fit.counts[fit.counts["day_type"] == day_type]
    table = fit.table[fit.table["day_type"] == day_type]
    mid = slot_minutes * 30.0
    ax.scatter(counts["start_s"] + mid, counts["count"] / hours, s=6, color="0.6",
               label="observed, one day")
    x = table["start_s"].to_numpy() + mid
    ax.fill_between(x, table["day_ci_low"], table["day_ci_high"], color="#a6cee3", alpha=0.5,
                    label="95% CI across days")
    ax.fill_between(x, table["ci_low"], table["ci_high"], color="#1f78b4", alpha=0.5,
                    label="95% CI, Poisson")
    ax.plot(x, table["rate_per_hour"], color="#1f78b4", label="fitted rate")
    if len(x):
        clock_axis(ax, float(x.min() - mid), float(x.max() + mid))
    ax.set_ylabel("arrivals per hour")
    ax.set_title(f"Arrivals by time of day, {day_type} ({int(table['n_days'].max())} days)"
                 if len(table) else f"Arrivals, {day_type}")
    _legend(ax)
    return fig


def service_qq_figure(fits: dict[str, ServiceFit]) -> Figure:
    """Q–Q plot per channel: fitted against empirical quantiles, log scales."""
    fig = new_figure((8.0, 4.0 * max(1, len(fits)) / 1.2))
    for i, (channel, fit) in enumerate(fits.items()):
        ax = fig.add_subplot(len(fits), 1, i + 1)
        qq = fit.qq
        for column in [c for c in qq.columns if c not in ("p", "empirical")]:
            ax.plot(qq["empirical"], qq[column], marker=".", lw=0.8, label=column)
        top = float(np.nanmax(qq.drop(columns="p").to_numpy()))
        ax.plot([0.1, top], [0.1, top], color="black", lw=0.6, ls=":")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("empirical quantile (s)")
        ax.set_ylabel("fitted quantile (s)")
        ax.set_title(f"{channel} service time: Q–Q (chosen: {fit.chosen})")
        _legend(ax)
    return fig


def survival_of(row: pd.Series, t: np.ndarray) -> np.ndarray:
    """P(patience > t) of one fitted family (a row of the patience candidates; t in s)."""
    family = row["family"]
    if family == "exponential":
        return np.exp(-t / float(row["mean_s"]))
    if family == "weibull":  # a degenerate shape (e.g. 1e29) overflows to the step it is
        with np.errstate(over="ignore"):
            return np.exp(-((t / float(row["scale_s"])) ** float(row["shape"])))
    if family == "lognormal":
        z = np.log(np.maximum(t, 1e-9)) - math.log(float(row["median_s"]))
        return np.asarray(stats.norm.sf(z / float(row["sigma"])))
    raise ValueError(f"no survival function for {family}")


def patience_figure(fits: dict[str, PatienceFit]) -> Figure:
    """Kaplan–Meier survival of patience with its band, and the fitted families."""
    fig = new_figure((8.0, 4.0 * max(1, len(fits)) / 1.2))
    for i, (channel, fit) in enumerate(fits.items()):
        ax = fig.add_subplot(len(fits), 1, i + 1)
        km = fit.km
        ax.step(km["t"], km["survival"], where="post", color="black", label="Kaplan–Meier")
        ax.fill_between(km["t"], km["ci_low"], km["ci_high"], step="post", color="0.8",
                        label="95% CI")
        t = np.linspace(0.0, float(km["t"].max()), 400)
        for _, row in fit.candidates.iterrows():
            ax.plot(t, survival_of(row, t), lw=1.0, label=str(row["family"]))
        ax.set_xlabel("wait (s)")
        ax.set_ylabel("P(patience > wait)")
        ax.set_title(f"{channel} patience ({fit.n_abandoned} abandoned, {fit.n_censored} "
                     f"served: censored); chosen {fit.chosen}")
        _legend(ax)
    return fig


def staff_figure(fit: StaffFit, day_type: str) -> Figure:
    """Staff on duty by slot, three ways, and the schedule the scenario uses."""
    fig = new_figure()
    ax = fig.add_subplot()
    table = fit.table[fit.table["day_type"] == day_type]
    half = fit.slot_minutes * 30.0
    x = table["start_s"].to_numpy() + half  # each slot's value drawn at its middle
    ax.plot(x, table["distinct_agents"], marker="o", ms=3, label="distinct agents seen")
    ax.plot(x, table["max_busy"], marker="s", ms=3, label="most services at once")
    busy = table["busy_when_waiting"]
    ax.errorbar(x, busy.to_numpy(float),  # arrays: matplotlib's float() of a 1-row Series warns
                yerr=[(busy - table["bww_ci_low"]).fillna(0).to_numpy(float),
                      (table["bww_ci_high"] - busy).fillna(0).to_numpy(float)],
                marker="^", ms=3, capsize=2, label="services under way while callers wait")
    steps = pd.DataFrame(fit.schedule(day_type), columns=["start", "end", "staff"])
    for _, row in steps.iterrows():
        ax.hlines(row["staff"], row["start"], row["end"], color="black", lw=2)
    ax.plot([], [], color="black", lw=2, label="scenario schedule")
    if len(x):
        clock_axis(ax, float(x.min() - half), float(x.max() + half))
    ax.set_ylabel("staff")
    ax.set_title(f"Staff on duty by slot, {day_type}")
    _legend(ax)
    return fig
