"""Arrival rates per time-of-day slot and day type, with their uncertainty, and whether a
Poisson process with a fixed rate profile is adequate.

Every row of the canonical log is demand for staff (served, abandoned, balked or
blocked), so arrivals are counted per day and slot: slot ``k`` covers
``[k·slot, (k+1)·slot)`` seconds from midnight. An arrival at or after midnight of the next
day (``arrival_s ≥ 86 400``: a source that did not wrap the clock) is **dropped** and
counted (``ArrivalFit.n_after_midnight``, with a warning): piling it into the last slot
would inflate that slot's rate, and a reader that wraps it files it under the next day.

Per day type, the slots from the first to the last one with any arrival on any of its
days form the type's observed range; every day of the type has a count (zero included)
for every slot of the range. The rate of a slot is the mean count over the type's days
divided by the slot's length in hours, with two 95 % intervals: the exact Poisson
(Garwood) interval of the pooled count — right when the arrivals are Poisson with the same
rate every day — and a t interval across days, which also holds when days differ.

Over-dispersion: if the days' counts are Poisson with a fixed rate, a slot's
``(n−1)·s²/mean`` is χ² with ``n−1`` degrees of freedom; summed over the slots it is χ² with
``Σ(n−1)`` (the pooled index-of-dispersion test). Poisson is taken as adequate when its
p-value is at least :data:`ADEQUATE_P`. When it is not, the usual cause is a random
day-level rate factor (a busy day is busy all day long): with daily totals of mean ``m``
and variance ``v``, its coefficient of variation is ``cv² = max(0, (v − m)/m²)`` (method of
moments: a Poisson count with a random mean ``m·F``, ``E F = 1``, has variance
``m + m²·cv²``), with a bootstrap-over-days 95 % interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from sim.calibration.log_frame import CHANNELS
from sim.errors import UserInputError

#: Poisson is adequate when the pooled over-dispersion test's p-value is at least this.
ADEQUATE_P = 0.01
#: A slot is open when at least this share of the type's days have an arrival in it ...
OPEN_DAY_SHARE = 0.25
#: ... and its mean count is at least this share of the type's busiest slot's.
OPEN_PEAK_SHARE = 0.02
#: ... and the open range bridges runs of closed slots of at most this many hours.
MAX_GAP_H = 4.0
#: Bootstrap resamples for the interval of the day-rate cv, and their fixed seed.
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 20_250_101
DAY_S = 86_400.0


@dataclass(frozen=True)
class DispersionTest:
    """Pooled over-dispersion test of one day type and the day-level rate factor's cv.

    ``statistic`` is ``Σ_slots (n−1)·s²/mean`` over the slots with arrivals, χ² with ``df``
    degrees of freedom under Poisson (NaN, and ``poisson_adequate`` True, when there is
    a single day: nothing to test). ``cv`` is the coefficient of variation of the
    day-level rate factor (dimensionless), ``cv_low``/``cv_high`` its bootstrap 95 %
    interval over days (NaN with fewer than 2 days).
    """

    day_type: str
    n_days: int
    statistic: float
    df: int
    p_value: float
    poisson_adequate: bool
    cv: float
    cv_low: float
    cv_high: float


@dataclass(frozen=True, eq=False)
class ArrivalFit:
    """Fitted arrival rates of one channel.

    ``counts``: one row per day and slot of its type's observed range — ``day``,
    ``day_type``, ``slot``, ``start_s`` (s from midnight), ``count``. ``table``: one row
    per day type and slot — ``n_days``, ``mean_count``, ``rate_per_hour`` with its Garwood
    interval ``ci_low``/``ci_high`` and its t interval across days
    ``day_ci_low``/``day_ci_high`` (per hour), ``dispersion_index`` (variance/mean of the
    daily counts). ``dispersion``: day type -> :class:`DispersionTest`. ``open_slots``:
    day type -> (first, last) open slot. ``warnings``: what the fit could survive.
    """

    channel: str
    slot_minutes: int
    counts: pd.DataFrame
    table: pd.DataFrame
    dispersion: dict[str, DispersionTest]
    open_slots: dict[str, tuple[int, int]]
    n_after_midnight: int
    warnings: tuple[str, ...]

    def _known(self, day_type: str) -> None:
        if day_type not in self.open_slots:
            raise UserInputError(f"day type = {day_type!r}: no {self.channel} arrivals on "
                                 f"such days; fitted day types are "
                                 f"{sorted(self.open_slots)}")

    def scenario_rates(self, day_type: str) -> tuple[int, list[float]]:
        """``(start_slot, rates)``: the first open slot of ``day_type`` and the arrival
        rates (per hour) of the slots from it to the last open slot, in order."""
        self._known(day_type)
        first, last = self.open_slots[day_type]
        rows = self.table[(self.table["day_type"] == day_type)
                          & self.table["slot"].between(first, last)]
        rates = rows.set_index("slot")["rate_per_hour"].reindex(range(first, last + 1))
        return first, [float(r) for r in rates.fillna(0.0)]

    def day_rate_cv(self, day_type: str) -> float:
        """The scenario's ``day_rate_cv`` for ``day_type``: the day-level rate factor's cv
        when Poisson is not adequate, else 0.0 (a fixed rate profile)."""
        self._known(day_type)
        test = self.dispersion[day_type]
        return 0.0 if test.poisson_adequate else test.cv


def slots_per_day(slot_minutes: int) -> int:
    """Number of slots in a day; ``slot_minutes`` must divide 1440 (a user error if not)."""
    if not isinstance(slot_minutes, int) or slot_minutes < 1 or 1440 % slot_minutes:
        raise UserInputError(f"slot_minutes = {slot_minutes!r}: must be a whole number of "
                             "minutes that divides a day (1440), e.g. 15, 30 or 60")
    return 1440 // slot_minutes


def check_types(log: pd.DataFrame, types: dict[str, str]) -> None:
    """A :class:`UserInputError` when a day of ``log`` has no type in ``types``."""
    missing = sorted(set(log["day"].astype(str)) - set(types))
    if missing:
        raise UserInputError(f"day = {missing[0]!r}: has no day type ({len(missing)} days "
                             "missing); give a type for every day of the log, e.g. "
                             "assign_day_types(log)")


def count_grid(log: pd.DataFrame, times: pd.Series, slot_s: float,
               types: dict[str, str]) -> pd.DataFrame:
    """Counts of ``times`` (s from midnight of the row's day, all < 86 400) per day and slot,
    zeros included, over every day of ``log`` and, per day type, the slots from the first
    to the last with any time on its days: ``day``, ``day_type``, ``slot``, ``start_s``,
    ``count``."""
    days = pd.Series(sorted(set(log["day"].astype(str))), dtype=object)
    slots = (times // slot_s).astype("int64")
    counted = (pd.DataFrame({"day": log.loc[times.index, "day"].astype(str), "slot": slots})
               .groupby(["day", "slot"]).size())
    parts = []
    for day_type in sorted(set(types[d] for d in days)):
        its_days = [d for d in days if types[d] == day_type]
        present = counted[counted.index.get_level_values("day").isin(its_days)]
        if present.empty:
            continue
        found = present.index.get_level_values("slot")
        grid = pd.MultiIndex.from_product([its_days, range(found.min(), found.max() + 1)],
                                          names=["day", "slot"])
        part = counted.reindex(grid, fill_value=0).rename("count").reset_index()
        part.insert(1, "day_type", day_type)
        parts.append(part)
    if not parts:
        return pd.DataFrame({"day": [], "day_type": [], "slot": [], "start_s": [],
                             "count": []}).astype({"slot": "int64", "count": "int64"})
    counts = pd.concat(parts, ignore_index=True)
    counts.insert(3, "start_s", counts["slot"] * slot_s)
    return counts.astype({"slot": "int64", "count": "int64", "start_s": "float64"})


def rate_table(counts: pd.DataFrame, slot_h: float) -> pd.DataFrame:
    """Per day type and slot: ``n_days``, ``mean_count``, ``rate_per_hour`` with its exact
    Poisson (Garwood) and across-days t 95 % intervals (per hour), ``dispersion_index``."""
    g = counts.groupby(["day_type", "slot"], sort=True)["count"]
    table = g.agg(n_days="size", total="sum", mean_count="mean", var="var").reset_index()
    table.insert(2, "start_s", table["slot"] * slot_h * 3600.0)
    n, total = table["n_days"].to_numpy(float), table["total"].to_numpy(float)
    exposure = n * slot_h
    table["rate_per_hour"] = total / exposure
    low = np.where(total > 0, stats.chi2.ppf(0.025, 2 * total) / 2, 0.0)
    table["ci_low"] = low / exposure
    table["ci_high"] = stats.chi2.ppf(0.975, 2 * total + 2) / 2 / exposure
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.975, n - 1) * np.sqrt(table["var"].to_numpy() / n)
        mean = table["mean_count"].to_numpy()
        table["day_ci_low"] = np.maximum(mean - half, 0.0) / slot_h
        table["day_ci_high"] = (mean + half) / slot_h
        table["dispersion_index"] = np.where(mean > 0, table["var"] / mean, np.nan)
    return table.drop(columns=["total", "var"])


def cv_of_totals(totals: np.ndarray) -> float:
    """Method-of-moments cv of the day-level rate factor from daily totals (NaN when
    fewer than 2 days or no arrivals)."""
    if len(totals) < 2 or totals.mean() <= 0:
        return float("nan")
    m, v = float(totals.mean()), float(totals.var(ddof=1))
    return float(np.sqrt(max(0.0, (v - m) / m**2)))


def bootstrap_cv(totals: np.ndarray) -> tuple[float, float]:
    """Percentile 95 % bootstrap interval (over days, fixed seed) of :func:`cv_of_totals`."""
    if len(totals) < 2 or totals.mean() <= 0:
        return float("nan"), float("nan")
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    samples = totals[rng.integers(0, len(totals), (BOOTSTRAP_RESAMPLES, len(totals)))]
    m, v = samples.mean(axis=1), samples.var(axis=1, ddof=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cv = np.sqrt(np.maximum(0.0, (v - m) / m**2))
    cv = cv[np.isfinite(cv)]
    return float(np.quantile(cv, 0.025)), float(np.quantile(cv, 0.975))


def dispersion_test(day_type: str, counts: pd.DataFrame) -> DispersionTest:
    """The pooled over-dispersion test and day-factor cv of one day type's ``counts``."""
    per_slot = counts.groupby("slot")["count"].agg(["size", "mean", "var"])
    used = per_slot[(per_slot["mean"] > 0) & (per_slot["size"] >= 2)]
    df = int((used["size"] - 1).sum())
    statistic = float(((used["size"] - 1) * used["var"] / used["mean"]).sum()) if df else np.nan
    p_value = float(stats.chi2.sf(statistic, df)) if df else float("nan")
    totals = counts.groupby("day")["count"].sum().to_numpy(float)
    low, high = bootstrap_cv(totals)
    return DispersionTest(day_type=day_type, n_days=len(totals), statistic=statistic, df=df,
                          p_value=p_value, poisson_adequate=not df or p_value >= ADEQUATE_P,
                          cv=cv_of_totals(totals), cv_low=low, cv_high=high)


def open_range(counts: pd.DataFrame, slot_h: float) -> tuple[int, int] | None:
    """First and last *open* slot (None when none is). A slot is a candidate when it has
    an arrival on at least :data:`OPEN_DAY_SHARE` of the days and a mean count of at least
    :data:`OPEN_PEAK_SHARE` of the busiest slot's; the open range is the run of candidates
    around the busiest one, bridging gaps (a lunch closure) of at most :data:`MAX_GAP_H`
    hours. This leaves out the trickle of calls that spill over past midnight or come
    before opening (in the bank log, a call or two just after 00:00 on most days, six
    hours before the 07:00 opening)."""
    n_days = counts["day"].nunique()
    per_slot = counts.assign(hit=counts["count"] > 0).groupby("slot")
    days_with, mean = per_slot["hit"].sum(), per_slot["count"].mean()
    busy = (days_with >= OPEN_DAY_SHARE * n_days) & (mean >= OPEN_PEAK_SHARE * mean.max())
    candidates = mean[busy & (mean > 0)]
    if candidates.empty:
        return None
    slots = candidates.index.to_numpy()
    peak = int(np.argmax(candidates.to_numpy()))
    breaks = np.flatnonzero(np.diff(slots) - 1 > MAX_GAP_H / slot_h)
    first = slots[breaks[breaks < peak].max() + 1] if (breaks < peak).any() else slots[0]
    last = slots[breaks[breaks >= peak].min()] if (breaks >= peak).any() else slots[-1]
    return int(first), int(last)


def _type_warnings(test: DispersionTest, channel: str, days: list[str]) -> list[str]:
    name = test.day_type
    if test.n_days == 1:
        return [f"only one {name} day ({days[0]}): no day-to-day spread, Poisson "
                f"interval only; {channel} over-dispersion cannot be tested"]
    if test.n_days < 5:
        return [f"only {test.n_days} {name} days: the day-to-day interval, the "
                "over-dispersion test and the day-rate cv are rough"]
    return []


def _outside_warning(name: str, channel: str, counts: pd.DataFrame,
                     found: tuple[int, int]) -> list[str]:
    outside = int(counts.loc[~counts["slot"].between(*found), "count"].sum())
    if not outside:
        return []
    share = outside / int(counts["count"].sum())
    return [f"{name}: {outside} {channel} arrivals ({share:.1%}) fall outside the open "
            f"slots {found[0]}–{found[1]} and get no rate"]


def fit_arrivals(log: pd.DataFrame, slot_minutes: int, channel: str,
                 types: dict[str, str]) -> ArrivalFit:
    """Arrival rates (per hour) of ``channel`` per ``slot_minutes`` slot and day type
    (``types``: day -> type, e.g. from :func:`sim.calibration.daytypes.assign_day_types`),
    with their intervals, the over-dispersion test and the open slots (module doc)."""
    slots_per_day(slot_minutes)
    slot_s = 60.0 * slot_minutes
    if channel not in CHANNELS:
        raise UserInputError(f"channel = {channel!r}: must be one of {', '.join(CHANNELS)}")
    check_types(log, types)
    log = log.reset_index(drop=True)
    mine = log[log["channel"] == channel]
    if mine.empty:
        raise UserInputError(f"channel = {channel!r}: the log has no {channel} contacts; "
                             "fit a channel the log has")
    late = mine["arrival_s"] >= DAY_S
    warnings = [f"{int(late.sum())} {channel} arrivals at or after midnight of their day "
                "(arrival_s ≥ 86400) were dropped"] if late.any() else []
    counts = count_grid(log, mine.loc[~late, "arrival_s"], slot_s, types)
    dispersion, open_slots = {}, {}
    for day_type, part in counts.groupby("day_type", sort=True):
        name = str(day_type)
        dispersion[name] = dispersion_test(name, part)
        warnings += _type_warnings(dispersion[name], channel, sorted(set(part["day"])))
        found = open_range(part, slot_s / 3600.0)
        if found is None:
            found = (int(part["slot"].min()), int(part["slot"].max()))
            warnings.append(f"{name}: no slot has {channel} arrivals on a quarter of the "
                            "days; the open slots are all slots with any arrival")
        open_slots[name] = found
        warnings += _outside_warning(name, channel, part, found)
    for name in sorted(set(types[d] for d in log["day"].astype(str)) - set(open_slots)):
        warnings.append(f"no {channel} arrivals on {name} days: no rates for them")
    return ArrivalFit(channel=channel, slot_minutes=slot_minutes, counts=counts,
                      table=rate_table(counts, slot_s / 3600.0), dispersion=dispersion,
                      open_slots=open_slots, n_after_midnight=int(late.sum()),
                      warnings=tuple(warnings))
