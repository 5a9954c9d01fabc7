"""``countersim validate`` without the files: a scenario's simulated days against the real
days of a log, measure by measure, per slot and for the whole day.

The yardstick is the observed day-to-day spread: a real day lands in ``mean ± 1.96 sd`` of
the observed daily values about 95% of the time, so a simulated mean inside that band is a
day the counter could have had; outside it, the scenario misses something (the report says
by how much). That band is wide; a systematic bias shows in the stricter comparison beside
it: the simulated minus the observed mean with its Welch 95% interval (days and
replications both independent). The simulation's own 95% CI (over replications) is shown,
and the shape of the daily profile is compared by the correlation of the slot means.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from sim.calibration.observed import MEASURES, RANGES, measures, whole_days

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Comparison:
    """Observed against simulated, per measure: the whole day and each slot."""

    day: pd.DataFrame     # one row per measure
    slots: pd.DataFrame   # one row per measure and slot
    verdicts: list[str]   # one line per measure


def _observed_band(values: np.ndarray, measure: str) -> tuple[float, float, float, float]:
    """Mean, sd and the day-to-day band of the observed daily values (clipped to range)."""
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return math.nan, math.nan, math.nan, math.nan
    mean = float(values.mean())
    sd = float(values.std(ddof=1)) if len(values) > 1 else 0.0
    low, high = RANGES[measure]
    return mean, sd, max(low, mean - Z95 * sd), min(high, mean + Z95 * sd)


def _sim_ci(values: np.ndarray, measure: str) -> tuple[float, float, float]:
    """Mean of the simulated values and its 95% t interval (clipped to range)."""
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return math.nan, math.nan, math.nan
    mean = float(values.mean())
    if len(values) < 2:
        return mean, math.nan, math.nan
    half = float(stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / math.sqrt(len(values)))
    low, high = RANGES[measure]
    return mean, max(low, mean - half), min(high, mean + half)


def _difference(observed: np.ndarray, simulated: np.ndarray) -> tuple[float, float, float]:
    """Simulated minus observed mean with its Welch 95% interval (NaN without spread)."""
    o, s = observed[~np.isnan(observed)], simulated[~np.isnan(simulated)]
    if len(o) < 2 or len(s) < 2:
        return math.nan, math.nan, math.nan
    vo, vs = o.var(ddof=1) / len(o), s.var(ddof=1) / len(s)
    diff = float(s.mean() - o.mean())
    if vo + vs == 0:
        return diff, diff, diff
    df = (vo + vs) ** 2 / (vo**2 / (len(o) - 1) + vs**2 / (len(s) - 1))
    half = float(stats.t.ppf(0.975, df) * math.sqrt(vo + vs))
    return diff, diff - half, diff + half


def _row(observed: np.ndarray, simulated: np.ndarray, measure: str) -> dict[str, float | bool]:
    mean, sd, band_low, band_high = _observed_band(observed, measure)
    sim_mean, sim_low, sim_high = _sim_ci(simulated, measure)
    diff, diff_low, diff_high = _difference(observed, simulated)
    outside = (sim_mean - band_high if sim_mean > band_high else
               sim_mean - band_low if sim_mean < band_low else 0.0)
    return {"observed_mean": mean, "observed_sd": sd, "band_low": band_low,
            "band_high": band_high, "n_days": int((~np.isnan(observed)).sum()),
            "simulated_mean": sim_mean, "sim_ci_low": sim_low, "sim_ci_high": sim_high,
            "n_reps": int((~np.isnan(simulated)).sum()),
            "inside": bool(outside == 0.0 and not math.isnan(sim_mean)),
            "outside_by": outside, "difference": diff, "difference_low": diff_low,
            "difference_high": diff_high}


def compare(observed: pd.DataFrame, simulated: pd.DataFrame, open_slots: range) -> Comparison:
    """Compare per-(day, slot) sums of real days with those of simulated days (one
    replication = one day), over the slots of ``open_slots``."""
    obs_days, sim_days = whole_days(observed, open_slots), whole_days(simulated, open_slots)
    obs_slots, sim_slots = measures(observed), measures(simulated)
    day_rows, slot_rows = [], []
    for measure in MEASURES:
        day_rows.append({"measure": measure, **_row(obs_days[measure].to_numpy(float),
                                                     sim_days[measure].to_numpy(float),
                                                     measure)})
        for slot in open_slots:
            o = obs_slots.loc[obs_slots["slot"] == slot, measure].to_numpy(float)
            s = sim_slots.loc[sim_slots["slot"] == slot, measure].to_numpy(float)
            slot_rows.append({"measure": measure, "slot": slot,
                              "start_s": float(obs_slots.loc[obs_slots["slot"] == slot,
                                                             "start_s"].iloc[0]),
                              **_row(o, s, measure)})
    day, slots = pd.DataFrame(day_rows), pd.DataFrame(slot_rows)
    day["profile_correlation"] = [_correlation(slots[slots["measure"] == m])
                                  for m in day["measure"]]
    day["slots_inside"] = [float(slots.loc[slots["measure"] == m, "inside"].mean())
                           for m in day["measure"]]
    return Comparison(day, slots, [verdict(r) for r in day.to_dict("records")])


def _correlation(rows: pd.DataFrame) -> float:
    """Pearson correlation of observed and simulated slot means (NaN if undefined)."""
    both = rows[["observed_mean", "simulated_mean"]].dropna()
    if len(both) < 3 or both["observed_mean"].std() == 0 or both["simulated_mean"].std() == 0:
        return math.nan
    return float(np.corrcoef(both["observed_mean"], both["simulated_mean"])[0, 1])


def show(measure: str, value: float) -> str:
    """A measure's value in its unit: shares as percentages, waits in seconds."""
    if math.isnan(value):
        return "–"
    if measure == "mean_wait_s":
        return f"{value:.1f} s"
    return f"{100 * value:.1f}%"


def _num(row: dict[str, object], key: str) -> float:
    value = row[key]
    return float(value) if isinstance(value, int | float) else math.nan


def verdict(row: dict[str, object]) -> str:
    """One line: the simulated value, the observed band, inside or outside by how much."""
    m = str(row["measure"])

    def s(key: str) -> str:
        return show(m, _num(row, key))

    by = _num(row, "outside_by")
    where = ("inside the observed day-to-day band" if row["inside"] else
             f"OUTSIDE the observed day-to-day band by {show(m, abs(by))} "
             + ("(above)" if by > 0 else "(below)"))
    corr = _num(row, "profile_correlation")
    shape = "" if math.isnan(corr) else f"; slot profile correlation {corr:.2f}"
    low, high = _num(row, "difference_low"), _num(row, "difference_high")
    bias = ("" if math.isnan(low) else
            "; the means agree within their uncertainty" if low <= 0 <= high else
            f"; the mean is {'over' if low > 0 else 'under'}stated by "
            f"{_amount(m, _num(row, 'difference'))} (95% CI {_amount(m, low)} to "
            f"{_amount(m, high)})")
    return (f"{m}: simulated {s('simulated_mean')} [{s('sim_ci_low')}, {s('sim_ci_high')}] "
            f"vs observed {s('observed_mean')} (band {s('band_low')}–{s('band_high')}): "
            f"{where}{bias}{shape}")


def _amount(measure: str, value: float) -> str:
    """A difference in the measure's unit: points for shares, seconds for waits."""
    if measure == "mean_wait_s":
        return f"{value:+.1f} s"
    return f"{100 * value:+.1f} points"
