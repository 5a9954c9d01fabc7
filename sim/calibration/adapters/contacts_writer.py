"""Write a canonical log back as a contacts-format CSV (``docs/calibration.md``), e.g. a
simulated log to fit again: reading the file back gives the same frame (times to the
microsecond; ``line`` renumbered), except that a contact whose ``arrival_s`` is 86,400 s
or more comes back on the next day, 86,400 s earlier (the same instant: the format's day
is the date of ``arrival``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibration.adapters.contacts import COLUMNS
from sim.calibration.log_frame import conforms
from sim.results.store import write_atomic

_ROWS_PER_PIECE = 20_000


def write_contacts_csv(log: pd.DataFrame, path: Path) -> None:
    """Write the canonical ``log`` to ``path`` in the contacts format, atomically.

    ``arrival`` and ``queue_entry`` are the contact's ``arrival_s``; served and abandoned
    contacts get ``queue_exit`` = arrival + ``wait_s`` (so the wait reads back exactly);
    balked and blocked ones no queue times; ``day_type`` is written too. Raises
    ``ValueError`` if ``log`` is not canonical."""
    problems = conforms(log)
    if problems:
        raise ValueError(f"not a canonical contact log: {'; '.join(problems)}")
    write_atomic(path, _pieces(log))


def _pieces(log: pd.DataFrame) -> Iterator[str]:
    yield ",".join(COLUMNS) + "\r\n"
    for first in range(0, len(log), _ROWS_PER_PIECE):
        buffer = io.StringIO()
        csv.writer(buffer).writerows(_rows(log.iloc[first:first + _ROWS_PER_PIECE]))
        yield buffer.getvalue()


def _rows(log: pd.DataFrame) -> Iterator[tuple[object, ...]]:
    day = pd.to_datetime(log["day"], format="%Y-%m-%d")
    queued = log["outcome"].isin(("served", "abandoned")).to_numpy()
    arrival = log["arrival_s"].to_numpy(float)
    exit_s = np.where(queued, arrival + log["wait_s"].to_numpy(float), np.nan)
    columns = (
        _stamps(day, arrival), log["channel"], log["outcome"],
        _stamps(day, np.where(queued, arrival, np.nan)), _stamps(day, exit_s),
        _stamps(day, log["service_start_s"].to_numpy(float)),
        _stamps(day, log["service_end_s"].to_numpy(float)),
        log["staff_id"], log["patron_id"], log["priority"], log["type"], log["day_type"])
    return zip(*(np.asarray(c, dtype=object) for c in columns), strict=True)


def _stamps(day: pd.Series, seconds: np.ndarray) -> np.ndarray:
    """``YYYY-MM-DD HH:MM:SS[.ffffff]`` of ``seconds`` from midnight of ``day`` ('' for
    NaN), rounded to the microsecond."""
    offsets = pd.to_timedelta(np.round(seconds * 1e6), unit="us")
    moments = (day.reset_index(drop=True) + pd.Series(offsets))
    text = moments.dt.strftime("%Y-%m-%d %H:%M:%S.%f").str.removesuffix(".000000")
    return np.asarray(text.fillna("").to_numpy(dtype=object))
