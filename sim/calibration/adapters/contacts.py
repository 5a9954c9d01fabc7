"""The documented contact-log format (``contacts``): a CSV file, one row per contact,
header required (``docs/calibration.md`` "The contact-log format"). Column names are
matched without regard to case or surrounding spaces; columns may come in any order."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibration.adapters.clock import Stamps, day_strings, parse_ints, parse_stamps
from sim.calibration.adapters.parsed import Flags, Parsed, canonical_frame
from sim.calibration.adapters.source import DOCS, refuse, shown
from sim.calibration.adapters.table import read_csv_table
from sim.calibration.log_frame import CHANNELS, OUTCOMES

REQUIRED = ("arrival", "channel", "outcome")
OPTIONAL = ("queue_entry", "queue_exit", "service_start", "service_end", "staff_id",
            "patron_id", "priority", "type", "day_type")
COLUMNS = REQUIRED + OPTIONAL
STAMPS = ("arrival", "queue_entry", "queue_exit", "service_start", "service_end")


def read_contacts(path: Path) -> Parsed:
    """Read a contact log in the documented format; dirty rows are skipped and reported."""
    table = read_csv_table(path, lower=True)
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise refuse(path, f"the contacts format needs column{'s' if len(missing) > 1 else ''}"
                           f" {', '.join(missing)} (found: {shown(table.columns)}): add "
                           f"{'them' if len(missing) > 1 else 'it'} to the header ({DOCS})")
    extra = [c for c in table.columns if c not in COLUMNS]
    warnings = [f"{path}: column{'s' if len(extra) > 1 else ''} {', '.join(extra)} not part of "
                f"the contacts format: ignored"] if extra else []
    cells = {c: (table.cells[c].astype(str).str.strip() if c in table.columns
                 else pd.Series([""] * len(table), dtype=object)) for c in COLUMNS}
    flags = Flags(table.lines)
    flags.flag(table.wrong_width(), "wrong number of fields", table.widths, "fields")
    frame = _frame(cells, flags)
    return Parsed(frame, len(table), flags.skipped(), {}, warnings)


def _frame(cells: dict[str, pd.Series], flags: Flags) -> pd.DataFrame:
    """The canonical frame of the rows that pass every check (the others get flagged)."""
    channel = cells["channel"].str.lower().to_numpy(dtype=object)
    outcome = cells["outcome"].str.lower().to_numpy(dtype=object)
    stamps = {c: parse_stamps(cells[c]) for c in STAMPS}
    flags.flag(stamps["arrival"].empty, "arrival missing", cells["arrival"], "arrival")
    for column in STAMPS:
        flags.flag(stamps[column].bad, "unparsable timestamp", cells[column], column)
    flags.flag(~np.isin(channel, CHANNELS), "unknown channel", cells["channel"], "channel")
    flags.flag(~np.isin(outcome, OUTCOMES), "unknown outcome", cells["outcome"], "outcome")
    priority = parse_ints(cells["priority"].replace("", "0"))
    flags.flag(np.isnan(priority), "unparsable priority", cells["priority"], "priority")
    day = stamps["arrival"].day
    t = {c: stamps[c].since(day) for c in STAMPS}
    start = np.where(stamps["queue_entry"].empty, t["arrival"], t["queue_entry"])
    wait, service = _waits(t, start, outcome, stamps, flags)
    served = outcome == "served"
    ok = flags.ok
    return canonical_frame({
        "line": flags.lines[ok], "day": day_strings(day[ok]),
        "day_type": cells["day_type"][ok], "arrival_s": start[ok], "channel": channel[ok],
        "outcome": outcome[ok], "wait_s": wait[ok],
        "service_start_s": service[0][ok], "service_end_s": service[1][ok],
        "staff_id": np.where(served, cells["staff_id"], "")[ok],
        "patron_id": cells["patron_id"][ok], "priority": np.nan_to_num(priority[ok]),
        "type": cells["type"][ok]})


def _waits(t: dict[str, np.ndarray], start: np.ndarray, outcome: np.ndarray,
           stamps: dict[str, Stamps], flags: Flags) -> tuple[np.ndarray,
                                                              tuple[np.ndarray, np.ndarray]]:
    """Waits (s) and service (start, end) s of every row; rows whose times contradict each
    other or leave the wait unknown are flagged."""
    served, abandoned = outcome == "served", outcome == "abandoned"
    queued = ~stamps["queue_entry"].empty | ~stamps["queue_exit"].empty
    left = np.where(stamps["queue_exit"].empty, t["service_start"], t["queue_exit"])
    at_once = served & ~queued & np.isnan(left)  # no queue times, no service start
    wait = np.where((served | abandoned) & ~at_once, left - start, 0.0)
    flags.flag(served & queued & np.isnan(left), "served after queueing: neither queue_exit "
               "nor service_start given, the wait is unknown")
    flags.flag(abandoned & stamps["queue_exit"].empty, "abandoned without queue_exit: the "
               "wait is unknown")
    flags.flag(start < t["arrival"], "queue_entry before arrival", start - t["arrival"], "s")
    begin = np.where(served, t["service_start"], np.nan)
    end = np.where(served, t["service_end"], np.nan)
    flags.flag(begin < start, "service starts before arrival", begin - start, "s")
    flags.flag(wait < 0, "negative wait (queue_exit before queue_entry)", wait, "wait_s")
    flags.flag(end < begin, "service ends before it starts", end - begin, "s")
    return wait, (begin, end)

