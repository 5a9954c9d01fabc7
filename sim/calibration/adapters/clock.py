"""Parsing times and dates, a whole column at a time. Unparsable values come back as NaN
(times) or NaT (dates) with a mask, never guessed."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

DAY_S = 86_400.0
_STAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)", re.ASCII)
_CLOCK = re.compile(r"(\d{1,2}):(\d{2}):(\d{2})", re.ASCII)
_INT = re.compile(r"-?\d{1,15}", re.ASCII)
_EPOCH = date(1970, 1, 1).toordinal()


@dataclass
class Stamps:
    """A column of ``YYYY-MM-DD HH:MM:SS[.fff]`` timestamps: ``day`` the day number (days
    since 1970-01-01, NaN when empty or bad), ``second`` seconds from that day's midnight,
    ``empty`` True where no value was given, ``bad`` True where one was given but could not
    be read."""

    day: np.ndarray
    second: np.ndarray
    empty: np.ndarray
    bad: np.ndarray

    def since(self, day: np.ndarray) -> np.ndarray:
        """Seconds from midnight of ``day`` (day numbers), above 86,400 on later days."""
        return np.asarray((self.day - day) * DAY_S + self.second, dtype=float)


def day_numbers(dates: pd.Series, fmt: str) -> np.ndarray:
    """Day numbers (days since 1970-01-01, float, NaN when not a real date) of date
    strings in ``fmt`` (a strptime format)."""
    parsed = pd.to_datetime(dates, format=fmt, errors="coerce")
    days = parsed.to_numpy(dtype="datetime64[D]").astype("int64").astype(float)
    days[parsed.isna().to_numpy()] = np.nan
    return np.asarray(days)


def day_strings(days: np.ndarray) -> np.ndarray:
    """``'YYYY-MM-DD'`` of day numbers (integral floats)."""
    return np.datetime_as_string(np.asarray(days, dtype="int64").astype("datetime64[D]"))


def _by_value(values: pd.Series, parse: Callable[[str], tuple[float, ...]],
              width: int) -> np.ndarray:
    """``parse`` applied once per distinct value of ``values`` (rows x ``width``)."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    table = np.array([parse(str(u)) for u in uniques], dtype=float).reshape(-1, width)
    return np.asarray(table[codes])


def _stamp(text: str) -> tuple[float, float]:
    match = _STAMP.fullmatch(text.strip())
    if match is None:
        return math.nan, math.nan
    y, mo, d, h, mi = (int(g) for g in match.groups()[:5])
    s = float(match[6])
    try:
        day = date(y, mo, d).toordinal() - _EPOCH
    except ValueError:
        return math.nan, math.nan
    if h > 23 or mi > 59 or s >= 60:
        return math.nan, math.nan
    return float(day), h * 3600.0 + mi * 60.0 + s


def parse_stamps(values: pd.Series) -> Stamps:
    """Timestamps ``YYYY-MM-DD HH:MM:SS`` with an optional fraction of seconds and ``T``
    accepted for the space; '' means not given."""
    empty = (values.astype(str).str.strip() == "").to_numpy()
    parsed = _by_value(values, _stamp, 2)
    good = ~np.isnan(parsed[:, 0])
    return Stamps(parsed[:, 0], parsed[:, 1], empty, ~good & ~empty)


def _clock(text: str) -> tuple[float]:
    match = _CLOCK.fullmatch(text)
    if match is None:
        return (math.nan,)
    h, m, s = int(match[1]), int(match[2]), int(match[3])
    return (h * 3600.0 + m * 60.0 + s,) if h < 24 and m < 60 and s < 60 else (math.nan,)


def parse_clock(values: pd.Series) -> np.ndarray:
    """Seconds from midnight of ``h:mm:ss`` clock times (hours 0-23; NaN when not one)."""
    return np.asarray(_by_value(values, _clock, 1)[:, 0])


def _int(text: str) -> tuple[float]:
    text = text.strip()
    return (float(int(text)),) if _INT.fullmatch(text) else (math.nan,)


def parse_ints(values: pd.Series) -> np.ndarray:
    """Integers written as optional minus sign and digits (NaN for anything else, e.g.
    ``1.5``, ``1e3`` or '')."""
    return np.asarray(_by_value(values, _int, 1)[:, 0])


def parse_floats(values: pd.Series) -> np.ndarray:
    """Decimal numbers (NaN for '', text, or non-finite values such as ``inf``)."""
    out = pd.to_numeric(values.astype(str).str.strip(), errors="coerce").to_numpy(float)
    return np.asarray(np.where(np.isfinite(out), out, np.nan))
