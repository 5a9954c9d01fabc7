"""countersim's own per-contact records (``countersim run CONFIG --records --out DIR``
writes ``DIR/contacts.csv``) as a canonical log, so a simulated log can be fitted like a
real one. Each replication, and each simulated day within it, becomes its own calendar day
from 2000-01-03 (a Monday) on, with ``day_type = "simulated"`` so the fit does not split
simulated days by weekday."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibration.adapters.clock import (
    DAY_S,
    day_numbers,
    day_strings,
    parse_floats,
    parse_ints,
)
from sim.calibration.adapters.parsed import Flags, Parsed, canonical_frame
from sim.calibration.adapters.source import refuse, shown
from sim.calibration.adapters.table import read_csv_table
from sim.calibration.log_frame import CHANNELS

NEEDED = ("replication", "channel", "patron_id", "arrival_s", "start_s", "end_s", "outcome",
          "staff_id")
FIRST_DAY = "2000-01-03"
DAY_TYPE = "simulated"
IN_SYSTEM = "still in system at run end"
LONGEST_RUN_S = 3650 * DAY_S  # run.days is at most 3,650
#: The model's outcomes -> canonical ones (in_system is dropped, not mapped).
OUTCOMES = {"served": "served", "balked": "balked", "blocked": "blocked",
            "abandoned": "abandoned", "reneged_unacknowledged": "abandoned",
            "reneged_acknowledged": "abandoned", "in_system": ""}


def read_records(path: Path) -> Parsed:
    """Read a countersim ``contacts.csv``; contacts still in the system at the end of the
    run are dropped (their waits are censored by the run's end) and counted."""
    table = read_csv_table(path)
    missing = [c for c in NEEDED if c not in table.columns]
    if missing or table.columns[:1] != ["replication"]:
        raise refuse(path, f"countersim records start with column replication and have "
                           f"{', '.join(NEEDED[1:])} (missing: {', '.join(missing) or 'none'}"
                           f"; first column: {shown(table.columns[:1])}): give the contacts.csv "
                           "written by countersim run --records")
    cells = {c: table.cells[c].astype(str).str.strip() for c in NEEDED}
    flags = Flags(table.lines)
    flags.flag(table.wrong_width(), "wrong number of fields", table.widths, "fields")
    n = _numbers(cells, flags)
    outcome = cells["outcome"].map(OUTCOMES).to_numpy(dtype=object)
    flags.flag(pd.isna(outcome), "unknown outcome", cells["outcome"], "outcome")
    channel = cells["channel"].to_numpy(dtype=object)
    flags.flag(~np.isin(channel, CHANNELS), "unknown channel", cells["channel"], "channel")
    in_system = flags.ok & (outcome == "")
    wait = _waits(n, outcome, flags)
    keep = flags.ok & ~in_system
    day = _days(n["replication"], n["arrival_s"], keep)
    warnings = _warnings(int(in_system.sum()), channel[keep], table.cells, keep)
    frame = canonical_frame({
        "line": table.lines[keep], "day": day_strings(day[keep]),
        "day_type": np.full(int(keep.sum()), DAY_TYPE, dtype=object),
        "arrival_s": _in_day(n["arrival_s"])[keep], "channel": channel[keep],
        "outcome": outcome[keep], "wait_s": wait[keep],
        **_service(n, outcome, keep),
        "staff_id": np.where(outcome == "served", _ids(cells["staff_id"]), "")[keep],
        "patron_id": _patrons(cells["replication"], cells["patron_id"])[keep],
        "priority": np.zeros(int(keep.sum()), dtype=np.int64),
        "type": np.full(int(keep.sum()), "", dtype=object)})
    dropped = {IN_SYSTEM: int(in_system.sum())} if in_system.any() else {}
    return Parsed(frame, len(table), flags.skipped(), dropped, warnings)


def _numbers(cells: dict[str, pd.Series], flags: Flags) -> dict[str, np.ndarray]:
    n = {"replication": parse_ints(cells["replication"])}
    flags.flag(np.isnan(n["replication"]) | (n["replication"] < 0), "unparsable replication",
               cells["replication"], "replication")
    for column in ("arrival_s", "start_s", "end_s"):
        n[column] = parse_floats(cells[column])
        given = ~cells[column].str.lower().isin(("", "nan"))  # the model writes NaN as nan
        flags.flag(given & np.isnan(n[column]), "unparsable time", cells[column], column)
    flags.flag(np.isnan(n["arrival_s"]) | (n["arrival_s"] < 0), "arrival_s missing or "
               "negative", cells["arrival_s"], "arrival_s")
    flags.flag(n["arrival_s"] >= LONGEST_RUN_S, "arrival_s beyond the longest run (3,650 "
               "days)", cells["arrival_s"], "arrival_s")
    return n


def _waits(n: dict[str, np.ndarray], outcome: np.ndarray, flags: Flags) -> np.ndarray:
    """Waits (s): to service start when served, to leaving when abandoned, else 0."""
    served, abandoned = outcome == "served", outcome == "abandoned"
    flags.flag(served & (np.isnan(n["start_s"]) | np.isnan(n["end_s"])),
               "served without start_s or end_s")
    flags.flag(abandoned & np.isnan(n["end_s"]), "abandoned without end_s")
    wait = np.where(served, n["start_s"] - n["arrival_s"],
                    np.where(abandoned, n["end_s"] - n["arrival_s"], 0.0))
    flags.flag(wait < 0, "negative wait (start_s or end_s before arrival_s)", wait, "wait_s")
    flags.flag(served & (n["end_s"] < n["start_s"]), "service ends before it starts")
    return np.asarray(wait)


def _days(replication: np.ndarray, arrival_s: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Day numbers: replication by replication (in increasing order), simulated day by
    simulated day, counting up from :data:`FIRST_DAY` (``keep``: the rows that count)."""
    index = np.floor(np.nan_to_num(arrival_s) / DAY_S)
    days_per_rep = int(np.max(index[keep], initial=0.0)) + 1
    rank = np.searchsorted(np.unique(replication[keep]), replication)
    first = day_numbers(pd.Series([FIRST_DAY]), "%Y-%m-%d")[0]
    return np.asarray(first + rank * days_per_rep + index)


def _in_day(seconds: np.ndarray) -> np.ndarray:
    """Seconds from midnight of the simulated day the contact arrived on."""
    return np.asarray(seconds - np.floor(np.nan_to_num(seconds) / DAY_S) * DAY_S)


def _service(n: dict[str, np.ndarray], outcome: np.ndarray,
             keep: np.ndarray) -> dict[str, np.ndarray]:
    shift = np.floor(np.nan_to_num(n["arrival_s"]) / DAY_S) * DAY_S
    served = outcome == "served"
    return {"service_start_s": np.where(served, n["start_s"] - shift, np.nan)[keep],
            "service_end_s": np.where(served, n["end_s"] - shift, np.nan)[keep]}


def _ids(values: pd.Series) -> np.ndarray:
    """Ids as text, '' for the model's "none" (-1 or empty)."""
    return np.asarray(values.where(~values.isin(("-1", ""))).fillna("").to_numpy(dtype=object))


def _patrons(replication: pd.Series, patron: pd.Series) -> np.ndarray:
    """``replication:patron``: each replication draws its own patrons, so patron 7 of two
    replications are two people ('' when the record names none)."""
    ids = _ids(patron)
    return np.asarray(np.where(ids == "", "", replication + ":" + patron), dtype=object)


def _warnings(in_system: int, channel: np.ndarray, cells: pd.DataFrame,
              keep: np.ndarray) -> list[str]:
    out = []
    if in_system:
        out.append(f"{in_system} contact{'s' if in_system > 1 else ''} still in the system "
                   "at the end of the run dropped (neither served nor gone: the wait is "
                   "censored by the run's end, so waits and abandonment read slightly low)")
    emails = int((channel == "email").sum())
    if emails:
        out.append(f"{emails} e-mail{'s' if emails > 1 else ''}: service_end_s - "
                   "service_start_s runs from the first touch to the reply, interruptions "
                   "(and nights, in multi-day runs) included: not a handling time")
    if "held_s" in cells.columns:
        held = int((parse_floats(cells["held_s"])[keep] > 0).sum())
        if held:
            out.append(f"{held} call{'s' if held > 1 else ''} put on hold during service: "
                       "their service span includes the hold")
    return out
