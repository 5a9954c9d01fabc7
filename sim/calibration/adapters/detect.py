"""Which format a log is in, from its header line alone."""

from __future__ import annotations

from pathlib import Path

from sim.calibration.adapters.source import DOCS, header_line, refuse, shown

FORMATS = ("contacts", "records", "bank")
#: What each format's header needs, for messages.
NEEDS = {
    "contacts": "contacts: arrival, channel, outcome (comma-separated)",
    "records": "records: replication first, then arrival_s, ... (countersim run --records)",
    "bank": "bank: vru+line, call_id, ..., q_start, q_exit, q_time, outcome, ... "
            "(tab-separated)",
}
_SHOWN_COLUMNS = 12


def columns_of(header: str) -> tuple[list[str], list[str]]:
    """The header's names split at commas, and split at white space."""
    return [c.strip().lower() for c in header.split(",")], header.split()


def detect(path: Path) -> str:
    """``contacts``, ``records`` or ``bank``, from the header line of ``path``."""
    header = header_line(path)
    by_comma, by_space = columns_of(header)
    if "vru+line" in by_space and "q_start" in by_space:
        return "bank"
    if by_comma[:1] == ["replication"] and "arrival_s" in by_comma:
        return "records"
    if {"arrival", "channel", "outcome"} <= set(by_comma):
        return "contacts"
    found = by_comma if len(by_comma) > 1 else by_space
    names = shown([repr(c) for c in found], _SHOWN_COLUMNS)
    raise refuse(path, f"header not recognised (columns {names}): a contact log's header "
                       f"needs, by format, {'; '.join(NEEDS.values())}: fix the header "
                       f"({DOCS}) or name the format")
