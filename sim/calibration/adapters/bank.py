"""The bank call-centre log format (``bank``): the Technion / "Anonymous Bank" call logs
(Brown et al. 2005, JASA 100(469)), 17 fields a row separated by tabs or runs of spaces
(``docs/calibration.md`` "The bank call-log format" lists the fields, the rules and the
quirks measured on January 1999).

Calls that never asked for an agent (hung up in the voice-response unit) and phantom
calls are not demand for staff: dropped and counted. Dirty rows are skipped and reported
with their line numbers, never guessed at."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibration.adapters.bank_calls import calls_frame
from sim.calibration.adapters.clock import day_numbers, parse_clock, parse_ints
from sim.calibration.adapters.parsed import Flags, Parsed
from sim.calibration.adapters.source import refuse, shown
from sim.calibration.adapters.table import read_whitespace_table

FIELDS = ("vru+line", "call_id", "customer_id", "priority", "type", "date", "vru_entry",
          "vru_exit", "vru_time", "q_start", "q_exit", "q_time", "outcome", "ser_start",
          "ser_exit", "ser_time", "server")
CLOCKS = ("vru_entry", "vru_exit", "q_start", "q_exit", "ser_start", "ser_exit")
DURATIONS = ("vru_time", "q_time", "ser_time")
OUTCOMES = ("AGENT", "HANG", "PHANTOM")
TYPES = ("PS", "PE", "IN", "NE", "NW", "TT")
PRIORITIES = (0, 1, 2)
VRU_HANG, PHANTOM = "hung up in the VRU", "phantom call"
#: Two-digit years below this are 20YY, the others 19YY.
CENTURY_PIVOT = 70


def read_bank(path: Path) -> Parsed:
    """Read a bank call log: answered calls are served, calls that hung up after joining
    the queue abandoned; all on the phone channel."""
    table = read_whitespace_table(path)
    missing = [f for f in FIELDS if f not in table.columns]
    if missing:
        raise refuse(path, f"the bank format needs field{'s' if len(missing) > 1 else ''} "
                           f"{', '.join(missing)} in the header (found: "
                           f"{shown(table.columns)}): give the file's original header")
    cells = {f: table.cells[f].astype(str) for f in FIELDS}
    flags = Flags(table.lines)
    flags.flag(table.wrong_width(), f"wrong number of fields (not {len(table.columns)})",
               table.widths, "fields")
    values = _parse(cells, flags)
    _flag_duplicates(cells, flags)
    outcome = cells["outcome"].to_numpy(dtype=object)
    queued = (cells["q_start"] != "0:00:00").to_numpy() | (values["q_time"] > 0)
    vru_hang = flags.ok & (outcome == "HANG") & ~queued
    phantom = flags.ok & (outcome == "PHANTOM")
    demand = ~vru_hang & ~phantom
    frame = calls_frame(cells, values, queued, demand, flags)
    dropped = {reason: int(mask.sum()) for reason, mask in
               ((VRU_HANG, vru_hang), (PHANTOM, phantom)) if mask.any()}
    return Parsed(frame, len(table), flags.skipped(), dropped,
                  _warnings(values, flags.ok & demand))


def _parse(cells: dict[str, pd.Series], flags: Flags) -> dict[str, np.ndarray]:
    """Dates (day numbers), clock times (s from midnight), durations (s) and priorities of
    every row; what cannot be read is flagged."""
    values = {"day": _days(cells["date"])}
    flags.flag(np.isnan(values["day"]), "unparsable date", cells["date"], "date")
    for field in CLOCKS:
        values[field] = parse_clock(cells[field])
        flags.flag(np.isnan(values[field]), "unparsable time", cells[field], field)
    for field in (*DURATIONS, "priority"):
        values[field] = parse_ints(cells[field])
        flags.flag(np.isnan(values[field]), "unparsable number", cells[field], field)
    flags.flag(~np.isin(cells["outcome"], OUTCOMES), "unknown outcome", cells["outcome"],
               "outcome")
    flags.flag(~np.isin(cells["type"], TYPES), "unknown type", cells["type"], "type")
    flags.flag(~np.isin(values["priority"], PRIORITIES), "unknown priority",
               cells["priority"], "priority")
    for field in ("q_time", "ser_time"):
        flags.flag(values[field] < 0, "negative duration", cells[field], field)
    return values


def _days(dates: pd.Series) -> np.ndarray:
    """Day numbers of ``YYMMDD`` dates: years below :data:`CENTURY_PIVOT` are 20YY."""
    six = dates.where(dates.str.fullmatch(r"\d{6}"), "")
    century = np.where(pd.to_numeric(six.str[:2], errors="coerce") < CENTURY_PIVOT, "20", "19")
    return day_numbers(pd.Series(century, index=six.index) + six, "%Y%m%d")


def _flag_duplicates(cells: dict[str, pd.Series], flags: Flags) -> None:
    """Later rows repeating a call (same vru+line, call_id and date) are skipped."""
    key = cells["vru+line"] + "/" + cells["call_id"] + "/" + cells["date"]
    repeated = key.duplicated(keep="first").to_numpy()
    flags.flag(repeated, "duplicate call (same vru+line, call_id and date as an earlier "
                         "row)", key, "call")


def _warnings(values: dict[str, np.ndarray], ok: np.ndarray) -> list[str]:
    backwards = int((ok & (values["vru_time"] < 0)).sum())
    if not backwards:
        return []
    return [f"{backwards} call{'s' if backwards > 1 else ''} left the VRU before entering it "
            "(negative vru_time): VRU times are not used, the calls are kept"]
