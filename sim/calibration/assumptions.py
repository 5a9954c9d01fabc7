"""Which assumptions of a fitted scenario a log contradicts, in words, measured on the log:
the validation report lists them so a misfit is explained, not tuned away."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.calibration.log_frame import service_s


def _priorities(log: pd.DataFrame) -> list[str]:
    classes = log["priority"].value_counts(normalize=True).sort_index()
    if len(classes) < 2:
        return []
    top = int(classes.index.max())
    by_class = log.groupby("priority").agg(wait=("wait_s", "mean"),
                                           abandoned=("outcome", lambda o: (o == "abandoned")
                                                      .mean()))
    return [f"Priority classes: {', '.join(f'{k}: {100 * v:.0f}%' for k, v in classes.items())}"
            f" of contacts. Class {top} waited {by_class.loc[top, 'wait']:.0f} s on average "
            f"and abandoned {100 * by_class.loc[top, 'abandoned']:.1f}% against "
            f"{by_class['wait'].min():.0f}–{by_class['wait'].max():.0f} s and "
            f"{100 * by_class['abandoned'].min():.1f}–{100 * by_class['abandoned'].max():.1f}% "
            "over all classes; the scenario serves one queue first come, first served, "
            "without classes."]


def _types(log: pd.DataFrame) -> list[str]:
    served = log[log["outcome"] == "served"].assign(service_s=service_s(log))
    means = served.groupby("type")["service_s"].agg(["mean", "size"])
    means = means[means["size"] >= 30]
    if len(means) < 2:
        return []
    return [f"{len(means)} contact types with mean service from {means['mean'].min():.0f} to "
            f"{means['mean'].max():.0f} s share one pooled service distribution in the "
            "scenario (right on average, not hour by hour when the mix of types shifts)."]


def _staffing_follows_demand(by_day: pd.DataFrame, open_slots: range) -> list[str]:
    rows = by_day[by_day["slot"].isin(list(open_slots))]
    per_day = rows.groupby("day").agg(arrivals=("arrivals", "sum"),
                                      staff=("busy_when_waiting", "mean"))
    if len(per_day) < 4 or per_day["staff"].std() == 0:
        return []
    r = float(np.corrcoef(per_day["arrivals"], per_day["staff"])[0, 1])
    spread = float(per_day["staff"].std())
    text = (f"Staff on duty varies from day to day (the daily mean of the inferred staff has "
            f"sd {spread:.2f}, from {per_day['staff'].min():.1f} to "
            f"{per_day['staff'].max():.1f}); its correlation with the day's volume is "
            f"{r:.2f}. The scenario staffs every day with the same mean schedule")
    if r > 0.3:
        text += (", while the centre put more staff on busier days: simulated busy days are "
                 "understaffed and quiet days overstaffed, which overstates abandonment and "
                 "waits (most on the busiest hours)")
    return [text + "."]


def assumption_notes(log: pd.DataFrame, staff_by_day: pd.DataFrame,
                     open_slots: range) -> list[str]:
    """What in ``log`` (the days compared) the scenario does not represent."""
    return [*_priorities(log), *_types(log), *_staffing_follows_demand(staff_by_day, open_slots)]
