"""Operational measures of a contact log, per day and slot: the same code measures a real
log and a simulated one, so ``countersim validate`` compares like with like.

A contact counts in the slot it arrives in (slot ``k`` covers ``[k·slot, (k+1)·slot)`` s
from midnight; a later arrival counts in the last slot). Measures, each a ratio of per-day
sums (so a whole day is the ratio of its sums, not a mean of slot ratios):

- ``abandonment``: abandoned / arrivals;
- ``p_wait``: P(wait > 0), arrivals who queued at all / arrivals;
- ``mean_wait_s``: mean time queued over arrivals (s; abandoned contacts' waits included);
- ``service_level``: served within the target wait / arrivals;
- ``utilisation``: service time under way in the slot / (staff on duty × slot length).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

DAY_S = 86400.0
MEASURES: dict[str, str] = {
    "abandonment": "share of contacts that abandoned the queue",
    "p_wait": "share of contacts that waited at all, P(wait > 0)",
    "mean_wait_s": "mean wait in queue over all contacts (s)",
    "service_level": "share of contacts served within the target wait",
    "utilisation": "service time under way / (staff on duty × time)",
}
RANGES: dict[str, tuple[float, float]] = {
    "abandonment": (0.0, 1.0), "p_wait": (0.0, 1.0), "mean_wait_s": (0.0, np.inf),
    "service_level": (0.0, 1.0), "utilisation": (0.0, np.inf)}
SUMS = ("arrivals", "abandoned", "waited", "wait_sum_s", "in_target", "busy_s", "staff_s")


def _slot_of(seconds: pd.Series, slot_s: float, n_slots: int) -> np.ndarray:
    slots: np.ndarray = np.minimum((seconds.to_numpy() // slot_s).astype(np.int64), n_slots - 1)
    return slots


def _busy(log: pd.DataFrame, slot_s: float, n_slots: int) -> pd.DataFrame:
    """Service seconds under way in each (day, slot), services clipped to their own day."""
    served = log[log["outcome"] == "served"]
    start = served["service_start_s"].to_numpy()
    end = np.minimum(served["service_end_s"].to_numpy(), DAY_S)
    frames = []
    for k in range(n_slots):
        overlap = np.clip(np.minimum(end, (k + 1) * slot_s) - np.maximum(start, k * slot_s),
                          0.0, None)
        frames.append(pd.DataFrame({"day": served["day"].to_numpy(), "slot": k,
                                    "busy_s": overlap}))
    busy = pd.concat(frames, ignore_index=True)
    return busy.groupby(["day", "slot"], as_index=False)["busy_s"].sum()


def slot_sums(log: pd.DataFrame, slot_minutes: int, target_s: float,
              staff: Mapping[tuple[str, int], float]) -> pd.DataFrame:
    """Per (day, slot): the sums every measure is a ratio of. ``staff`` gives staff on duty
    per (day, slot) (absent: 0); every slot of every day in the log gets a row."""
    slot_s = slot_minutes * 60.0
    n_slots = int(np.ceil(DAY_S / slot_s))
    frame = pd.DataFrame({
        "day": log["day"].to_numpy(), "slot": _slot_of(log["arrival_s"], slot_s, n_slots),
        "arrivals": 1, "abandoned": (log["outcome"] == "abandoned").to_numpy().astype(int),
        "waited": (log["wait_s"] > 0).to_numpy().astype(int),
        "wait_sum_s": log["wait_s"].to_numpy(),
        "in_target": ((log["outcome"] == "served") & (log["wait_s"] <= target_s))
        .to_numpy().astype(int)})
    sums = frame.groupby(["day", "slot"], as_index=False).sum()
    grid = pd.MultiIndex.from_product([sorted(log["day"].unique()), range(n_slots)],
                                      names=["day", "slot"]).to_frame(index=False)
    sums = grid.merge(sums, how="left", on=["day", "slot"])
    sums = sums.merge(_busy(log, slot_s, n_slots), how="left", on=["day", "slot"])
    sums = sums.fillna(0.0)
    sums["staff_s"] = [staff.get((d, int(k)), 0.0) * slot_s
                       for d, k in zip(sums["day"], sums["slot"], strict=True)]
    sums["start_s"] = sums["slot"] * slot_s
    return sums


def measures(sums: pd.DataFrame) -> pd.DataFrame:
    """The measures of each row of sums (NaN where undefined: no arrivals, no staff)."""
    out = sums.copy()
    arrivals = out["arrivals"].where(out["arrivals"] > 0)
    out["abandonment"] = out["abandoned"] / arrivals
    out["p_wait"] = out["waited"] / arrivals
    out["mean_wait_s"] = out["wait_sum_s"] / arrivals
    out["service_level"] = out["in_target"] / arrivals
    out["utilisation"] = out["busy_s"] / out["staff_s"].where(out["staff_s"] > 0)
    return out


def whole_days(sums: pd.DataFrame, slots: range | None = None) -> pd.DataFrame:
    """Per day: the sums over the day's slots (``slots``: only these), and the measures."""
    rows = sums if slots is None else sums[sums["slot"].isin(list(slots))]
    return measures(rows.groupby("day", as_index=False)[list(SUMS)].sum())
