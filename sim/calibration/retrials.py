"""Retrials: how often a caller who abandoned the queue comes back soon, and after how
long, against the baseline of served callers who call again anyway.

Times are absolute: day offset from the log's first day · 86 400 s + the time of day, so a
return after midnight is seen. A contact *leaves* at ``arrival_s + wait_s`` when it
abandoned and at ``service_end_s`` when served; it *returns* when the same ``patron_id``
has a later arrival (on any channel) within ``window_s`` after it left; the delay is that
arrival minus the leaving time. Only contacts with a known patron whose whole window lies
inside days the log covers are followed (a contact at 23:30 on the log's last day, or on
the eve of a missing day, could return unseen: it is left out and counted in
``RetrialFit.n_unfollowed``).

Shares have Wilson 95 % intervals. Delays get their mean, median and empirical quantiles,
and an exponential fit: the mean ``d̄`` with the exact interval ``2·n·d̄ / χ²(2n)``.
Delays longer than the window are not seen, so the exponential mean is biased low when it
is not small against the window (a warning says so when it exceeds a third of it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from sim.calibration.arrivals import DAY_S
from sim.calibration.daytypes import day_offsets_s
from sim.errors import UserInputError

#: The empirical quantiles of the delays that are reported.
QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)
NAN = float("nan")


@dataclass(frozen=True)
class ReturnStats:
    """Returns of one group of contacts (``"abandoned"`` or ``"served"``).

    ``n_identified``: contacts of the group with a known patron, followed for the whole
    window; ``n_returned``: those whose patron arrived again within it; ``share`` with its
    Wilson 95 % interval. Delays (s) from leaving to the next arrival, over the returns:
    ``mean_delay_s``, ``median_delay_s``, the exponential fit's mean ``exp_mean_s`` with
    its χ² 95 % interval, and ``quantiles`` (probability -> s). NaN when undefined.
    """

    group: str
    n_identified: int
    n_returned: int
    share: float
    share_low: float
    share_high: float
    mean_delay_s: float
    median_delay_s: float
    exp_mean_s: float
    exp_mean_low_s: float
    exp_mean_high_s: float
    quantiles: dict[float, float]


@dataclass(frozen=True)
class RetrialFit:
    """Retrial estimates: ``abandoned`` (the retrials), ``served`` (the baseline),
    ``window_s`` (s), ``n_unfollowed`` (identified contacts left out because their window
    runs past the days the log covers) and ``warnings``."""

    window_s: float
    abandoned: ReturnStats
    served: ReturnStats
    n_unfollowed: int
    warnings: tuple[str, ...]

    @property
    def n_abandoned_identified(self) -> int:
        """Abandoned contacts with a known patron, followed for the whole window."""
        return self.abandoned.n_identified

    @property
    def n_returned(self) -> int:
        """Of those, how many came back within the window."""
        return self.abandoned.n_returned

    @property
    def excess_share(self) -> float:
        """How much abandoning raises coming back within the window: the abandoned's share
        minus the served's (NaN when either is unknown)."""
        return self.abandoned.share - self.served.share


def wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score 95 % interval of a proportion ``k / n`` (NaNs when ``n`` is 0)."""
    if n == 0:
        return NAN, NAN
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def delay_stats(group: str, n: int, delays: np.ndarray) -> ReturnStats:
    """:class:`ReturnStats` of ``group`` from ``n`` followed contacts and the ``delays``
    (s) of those that returned."""
    k = len(delays)
    low, high = wilson(k, n)
    if k == 0:
        return ReturnStats(group, n, 0, k / n if n else NAN, low, high, NAN, NAN, NAN, NAN,
                           NAN, dict.fromkeys(QUANTILES, NAN))
    total = float(delays.sum())
    return ReturnStats(
        group=group, n_identified=n, n_returned=k, share=k / n, share_low=low,
        share_high=high, mean_delay_s=total / k, median_delay_s=float(np.median(delays)),
        exp_mean_s=total / k, exp_mean_low_s=float(2 * total / stats.chi2.ppf(0.975, 2 * k)),
        exp_mean_high_s=float(2 * total / stats.chi2.ppf(0.025, 2 * k)),
        quantiles={q: float(np.quantile(delays, q)) for q in QUANTILES})


def next_arrival_delays(patron: np.ndarray, arrival: np.ndarray, leave: np.ndarray,
                        rows: np.ndarray) -> np.ndarray:
    """For each of ``rows`` (indices into the arrays): time (s) from its ``leave`` to the
    first arrival of the same ``patron`` strictly after it (inf when none); ``arrival``
    and ``leave`` are absolute seconds."""
    arrivals = pd.DataFrame({"patron": patron, "next_s": arrival}).sort_values("next_s")
    queries = pd.DataFrame({"row": np.arange(len(rows)), "patron": patron[rows],
                            "leave_s": leave[rows]}).sort_values("leave_s")
    found = pd.merge_asof(queries, arrivals, left_on="leave_s", right_on="next_s",
                          by="patron", direction="forward", allow_exact_matches=False)
    delays = np.full(len(rows), np.inf)
    hit = found["next_s"].notna().to_numpy()
    delays[found["row"].to_numpy()[hit]] = (found["next_s"] - found["leave_s"]).to_numpy()[hit]
    return delays


def _followed(leave: np.ndarray, window_s: float, days: np.ndarray) -> np.ndarray:
    """Whether each window ``[leave, leave + window_s]`` (absolute s) lies inside the
    covered ``days`` (day numbers from the first day, sorted)."""
    with np.errstate(invalid="ignore"):
        first = np.floor(leave / DAY_S)
        last = np.floor((leave + window_s) / DAY_S)
    inside = np.searchsorted(days, last, side="right") - np.searchsorted(days, first)
    followed: np.ndarray = np.isfinite(leave) & (inside == (last - first + 1))
    return followed


def fit_retrials(log: pd.DataFrame, window_s: float = 3600.0) -> RetrialFit:
    """Share of abandoned contacts (with a known patron) whose patron comes back within
    ``window_s`` seconds, the delays, and the same for served contacts (module doc)."""
    if not (isinstance(window_s, int | float) and 0 < window_s < math.inf):
        raise UserInputError(f"window_s = {window_s!r}: must be a positive number of "
                             "seconds, e.g. 3600")
    log = log.reset_index(drop=True)
    offset = day_offsets_s(log["day"])
    arrival = offset + log["arrival_s"].to_numpy(float)
    outcome = log["outcome"].to_numpy()
    leave = np.where(outcome == "served", offset + log["service_end_s"].to_numpy(float),
                     arrival + log["wait_s"].to_numpy(float))
    patron = log["patron_id"].fillna("").astype(str).to_numpy()
    known = (patron != "") & np.isfinite(leave)
    followed = known & _followed(leave, window_s, np.unique(offset / DAY_S))
    results = {}
    for group in ("abandoned", "served"):
        rows = np.flatnonzero(followed & (outcome == group))
        delays = next_arrival_delays(patron, arrival, leave, rows)
        results[group] = delay_stats(group, len(rows), delays[delays <= window_s])
    n_unfollowed = int((known & ~followed & np.isin(outcome, ["abandoned", "served"])).sum())
    warnings = _warnings(patron, results["abandoned"], window_s)
    return RetrialFit(window_s=float(window_s), abandoned=results["abandoned"],
                      served=results["served"], n_unfollowed=n_unfollowed,
                      warnings=tuple(warnings))


def _warnings(patron: np.ndarray, abandoned: ReturnStats,
              window_s: float) -> list[str]:
    if not (patron != "").any():
        return ["no patron ids: retrials cannot be estimated"]
    if abandoned.n_identified == 0:
        return ["no abandoned contacts with a known patron (followed for the whole "
                "window): retrials cannot be estimated"]
    found = []
    if abandoned.exp_mean_s > window_s / 3:
        found.append(f"the mean delay before a retrial ({abandoned.exp_mean_s:.0f} s) is "
                     f"over a third of the {window_s:.0f} s window: later retrials are not "
                     "seen and the exponential mean is biased low; widen the window")
    return found
