"""The figure and ``validation.md`` of ``countersim validate``."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from sim.calibration import markdown as md
from sim.calibration.observed import MEASURES
from sim.calibration.validate import Comparison
from sim.plots.style import clock_axis, new_figure

SCALE = {"mean_wait_s": 1.0}  # everything else is a share, drawn in percent


def profile_figure(comparison: Comparison, slot_minutes: int) -> Figure:
    """One panel per measure: the observed slot means with the day-to-day band, and the
    simulated slot means with their 95% CI."""
    fig = new_figure((9.0, 2.4 * len(MEASURES)))
    mid = slot_minutes * 30.0
    for i, measure in enumerate(MEASURES):
        ax = fig.add_subplot(len(MEASURES), 1, i + 1)
        rows = comparison.slots[comparison.slots["measure"] == measure]
        k = SCALE.get(measure, 100.0)
        x = rows["start_s"].to_numpy() + mid
        ax.fill_between(x, rows["band_low"] * k, rows["band_high"] * k, color="0.85",
                        label="observed day-to-day band")
        ax.plot(x, rows["observed_mean"] * k, color="black", marker="o", ms=3,
                label="observed mean")
        mean = rows["simulated_mean"]  # arrays: matplotlib's float() of a 1-row Series warns
        ax.errorbar(x, (mean * k).to_numpy(float),
                    yerr=[((mean - rows["sim_ci_low"]).fillna(0) * k).to_numpy(float),
                          ((rows["sim_ci_high"] - mean).fillna(0) * k).to_numpy(float)],
                    color="#1f78b4", marker="s", ms=3, capsize=2, label="simulated (95% CI)")
        if len(x):
            clock_axis(ax, float(x.min() - mid), float(x.max() + mid))
        ax.set_ylabel(measure if measure == "mean_wait_s" else f"{measure} (%)")
        if i == 0:
            ax.legend(fontsize=7)
    return fig


def report_text(comparison: Comparison, heading: str, command: str,
                notes: list[str], breaks: list[str]) -> str:
    """validation.md: verdicts, the whole-day table, the slot figure and the caveats."""
    day = comparison.day.copy()
    lines = [f"# Validation: {heading}", "", f"Command: `{command}`", "",
             "Each simulated replication is one day; the yardstick is the spread of the "
             "real days (mean ± 1.96 sd of the daily values): a simulated mean inside it "
             "is a day this counter could have had.", "", "## Verdicts", "",
             *[f"- {v}" for v in comparison.verdicts], "", "## Whole day", "",
             *md.table(day, ["measure", "observed_mean", "observed_sd", "band_low",
                             "band_high", "n_days", "simulated_mean", "sim_ci_low",
                             "sim_ci_high", "n_reps", "inside", "difference",
                             "difference_low", "difference_high", "slots_inside",
                             "profile_correlation"]), "",
             "## By time of day", "", "![observed against simulated by slot]"
             "(figures/validation_profile.png)", "",
             "Per slot: `validation_slots.csv`.", ""]
    if breaks:
        lines += ["## What the scenario does not represent", "",
                  "Measured on the real days compared; where the simulation misses, look "
                  "here first (the scenario is not tuned to hide it):", "",
                  *[f"- {b}" for b in breaks], ""]
    if notes:
        lines += ["## How to read it", "", *[f"- {n}" for n in notes], ""]
    return "\n".join(lines)


def slot_table(comparison: Comparison) -> pd.DataFrame:
    """The per-slot comparison with clock times."""
    slots = comparison.slots.copy()
    slots.insert(1, "clock", [md.clock(s) for s in slots["start_s"]])
    return slots
