"""Day types: which days of a contact log share one arrival pattern (and so one set of
fitted rates and staff), as the log itself shows.

A day whose rows carry a ``day_type`` (the source said so) keeps it. The other days are
grouped by the calendar, as the log shows them, with no assumption about which days are
working days (Sunday–Thursday weeks as in Israel, Monday–Friday weeks as in Europe):

1. every weekday (Monday … Sunday) present in the log gets a typical *open span* — the
   median over its days of the hours from the day's first to its last arrival, leaving
   out the earliest and the latest :data:`TRIM` (1 %) of the day's arrivals — and a
   typical *volume* — the median over its days of the day's number of contacts. The trim
   and the medians keep stray calls (a call at 00:01 that spilled over from the night
   before, a burst at 04:00 on one day) from changing the picture: in the bank log of
   January 1999, untrimmed spans made Wednesday (two of four Wednesdays have calls
   just after midnight) a type of its own;
2. each weekday in turn is taken as the reference of a group; a weekday joins the group
   when its span is within :data:`SPAN_TOLERANCE_H` hours of the reference's and its
   volume within :data:`VOLUME_TOLERANCE` (35 %) of the reference's volume. The largest
   group wins (ties: the one with more contacts);
3. if that group has two weekdays or more, they are the type ``"weekday"``; every other
   weekday (one that differs: a short Friday, a Saturday evening) is a type of its own,
   named after the day (``"friday"``, ``"saturday"``, …).

So a Monday–Friday week with a lighter Friday gives ``weekday`` (Mon–Thu) and ``friday``;
the Israeli bank's Sunday–Thursday week gives ``weekday`` (Sun–Thu), ``friday`` (until
about 14:00) and ``saturday`` (evening only).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.errors import UserInputError

#: Two weekdays' typical open spans (hours) differ by at most this to share a type.
SPAN_TOLERANCE_H = 2.0
#: Two weekdays' typical volumes differ by at most this fraction of the reference's.
VOLUME_TOLERANCE = 0.35
#: Share of a day's arrivals left out at each end of its open span.
TRIM = 0.01
#: The name of the type that the similar weekdays share.
WEEKDAY = "weekday"

_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def day_dates(days: pd.Series) -> pd.Series:
    """The calendar dates (Timestamps) of ``'YYYY-MM-DD'`` day strings; a day that is not
    one is a :class:`UserInputError` naming it."""
    dates = pd.to_datetime(days, format="%Y-%m-%d", errors="coerce")
    bad = days[dates.isna()]
    if len(bad):
        raise UserInputError(f"day = {bad.iloc[0]!r}: not a date 'YYYY-MM-DD'; fix the "
                             "log's dates (or its reader) so that every day is one")
    return dates


def day_offsets_s(days: pd.Series) -> np.ndarray:
    """Seconds (float) from midnight of the earliest of ``days`` to midnight of each day:
    the offset that turns a time of day into absolute time across the log."""
    if days.empty:
        return np.zeros(0)
    dates = day_dates(days.astype(str))
    offsets: np.ndarray = (dates - dates.min()).dt.days.to_numpy(float) * 86_400.0
    return offsets


def _per_day(log: pd.DataFrame) -> pd.DataFrame:
    """One row per day: weekday (0 = Monday), contacts, first and last arrival (s), open
    span (h, trimmed: see the module doc), and the given day type ('' when none)."""
    given = log["day_type"].fillna("").astype(str).str.strip()
    frame = pd.DataFrame({"day": log["day"], "arrival_s": log["arrival_s"], "given": given})
    grouped = frame.groupby("day", sort=True)
    days = grouped["arrival_s"].agg(["size", "min", "max"])
    days.columns = ["contacts", "first_arrival_s", "last_arrival_s"]
    low = grouped["arrival_s"].quantile(TRIM)
    high = grouped["arrival_s"].quantile(1.0 - TRIM)
    days["span_h"] = (high - low) / 3600.0
    days["given"] = grouped["given"].agg(_most_common_given)
    days["weekday"] = day_dates(days.index.to_series()).dt.weekday.to_numpy()
    return days.reset_index()


def _most_common_given(values: pd.Series) -> str:
    named = values[values != ""]
    return "" if named.empty else str(named.value_counts().index[0])


def _similar(a: pd.Series, b: pd.Series) -> bool:
    """Whether weekday ``a`` may join the group of reference ``b`` (see module doc)."""
    close_span = abs(float(a["span_h"]) - float(b["span_h"])) <= SPAN_TOLERANCE_H
    close_volume = (abs(float(a["contacts"]) - float(b["contacts"]))
                    <= VOLUME_TOLERANCE * float(b["contacts"]))
    return close_span and close_volume


def infer_weekday_types(days: pd.DataFrame) -> dict[int, str]:
    """Weekday (0 = Monday) -> type name, from one row per day with columns ``weekday``,
    ``contacts`` and ``span_h``, by the rule of the module docstring."""
    if days.empty:
        return {}
    typical = days.groupby("weekday")[["span_h", "contacts"]].median()
    best: list[int] = []
    best_key = (0, 0.0)
    for reference in typical.index:
        group = [int(w) for w in typical.index
                 if _similar(typical.loc[w], typical.loc[reference])]
        key = (len(group), float(typical.loc[group, "contacts"].sum()))
        if key > best_key:
            best, best_key = group, key
    shared = best if len(best) >= 2 else []
    return {int(w): WEEKDAY if w in shared else _NAMES[int(w)] for w in typical.index}


def assign_day_types(log: pd.DataFrame) -> dict[str, str]:
    """Day (``'YYYY-MM-DD'``) -> day type name for every day of the canonical ``log``.

    A day whose rows give a ``day_type`` keeps it (the most common one, if its rows
    disagree); the other days are typed from the calendar as the log shows it: the largest
    group of weekdays with a similar typical open span (median over the weekday's days of
    first to last arrival, 1 % left out at each end: within 2 h) and volume (median
    contacts a day: within 35 % of the group's reference weekday) share the type
    ``"weekday"``, and each other weekday is a type named after it (``"friday"``,
    ``"saturday"``, …). Only the days without a given type take part in the inference.
    """
    days = _per_day(log)
    types = {str(row.day): str(row.given) for row in days.itertuples() if row.given}
    untyped = days[days["given"] == ""]
    by_weekday = infer_weekday_types(untyped)
    for row in untyped.itertuples():
        types[str(row.day)] = by_weekday[int(row.weekday)]
    return dict(sorted(types.items()))


def commonest_type(types: dict[str, str]) -> str:
    """The day type with the most days (ties: the first name in order); ``types`` maps each
    day to its type."""
    counts = pd.Series(list(types.values())).value_counts()
    return str(sorted(counts.index, key=lambda t: (-counts[t], str(t)))[0])


def day_type_table(log: pd.DataFrame) -> pd.DataFrame:
    """One row per day for the report: ``day``, ``weekday`` (its name), ``type``,
    ``contacts``, ``first_arrival_s`` and ``last_arrival_s`` (s from midnight), ``span_h``
    (the open span the rule compares: hours from first to last arrival, leaving out 1 % of
    the day's arrivals at each end) and ``given`` (True when the log gave the type)."""
    days = _per_day(log)
    types = assign_day_types(log)
    return pd.DataFrame({
        "day": days["day"].astype(str),
        "weekday": [_NAMES[int(w)] for w in days["weekday"]],
        "type": [types[str(d)] for d in days["day"]],
        "contacts": days["contacts"].astype("int64"),
        "first_arrival_s": days["first_arrival_s"].astype(float),
        "last_arrival_s": days["last_arrival_s"].astype(float),
        "span_h": days["span_h"].astype(float),
        "given": days["given"] != "",
    })
