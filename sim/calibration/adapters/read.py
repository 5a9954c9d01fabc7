"""The one entry point: read a contact log in any supported format into the canonical
frame, with what was skipped (dirty rows), dropped (not demand for staff) and warned."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sim.calibration.adapters.bank import read_bank
from sim.calibration.adapters.contacts import read_contacts
from sim.calibration.adapters.detect import FORMATS, detect
from sim.calibration.adapters.parsed import SHOWN_LINES, Parsed
from sim.calibration.adapters.records import read_records
from sim.calibration.adapters.source import DOCS, check_source, refuse
from sim.calibration.log_frame import conforms
from sim.errors import UserInputError, one_line

READERS: dict[str, Callable[[Path], Parsed]] = {
    "contacts": read_contacts, "records": read_records, "bank": read_bank}


@dataclass(frozen=True)
class LogRead:
    """A contact log read: ``frame`` (canonical, ``conforms(frame) == []``), ``fmt`` the
    format it was read as, ``skipped`` dirty rows (reason -> source line numbers, 1 = the
    header), ``dropped`` rows that were not demand for staff (reason -> count) and
    ``warnings`` (one line each) the fit can go on with."""

    frame: pd.DataFrame
    fmt: str
    skipped: dict[str, list[int]] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    rows: int = 0

    def summary(self) -> list[str]:
        """What was read, one line each: counts by outcome, then each reason rows were
        dropped or skipped for (with the first line numbers)."""
        counts = self.frame["outcome"].value_counts()
        by_outcome = ", ".join(f"{counts[o]} {o}" for o in counts.index)
        out = [f"read {self.rows} rows ({self.fmt} format): {len(self.frame)} contacts "
               f"({by_outcome})"]
        out += [f"dropped: {n} {reason}"
                for reason, n in self.dropped.items()]
        for reason, lines in self.skipped.items():
            shown = ", ".join(map(str, lines[:SHOWN_LINES]))
            out.append(f"skipped (dirty): {len(lines)} {reason} (lines {shown}"
                       f"{', ...' if len(lines) > SHOWN_LINES else ''})")
        return [one_line(line) for line in out]

    def skipped_warning(self) -> str:
        """One line on the dirty rows skipped (count, main reasons with their first line
        numbers), or '' when none was."""
        n = sum(len(lines) for lines in self.skipped.values())
        if not n:
            return ""
        reasons = "; ".join(f"{len(lines)} {reason} (line{'s' if len(lines) > 1 else ''} "
                            f"{', '.join(map(str, lines[:3]))}{', ...' if len(lines) > 3 else ''})"
                            for reason, lines in sorted(self.skipped.items(),
                                                        key=lambda kv: -len(kv[1]))[:3])
        more = "; ..." if len(self.skipped) > 3 else ""
        return one_line(f"{n} of {self.rows} rows skipped as dirty, not guessed at: {reasons}"
                        f"{more}; fix them in the log to use them")


def read_log(path: Path, fmt: str = "auto") -> LogRead:
    """Read the contact log at ``path`` in format ``fmt`` (``auto``, ``contacts``,
    ``records`` or ``bank``; ``auto`` reads the header line). Raises
    :class:`~sim.errors.UserInputError` (one line) for a file that cannot be used: missing,
    not a regular file, over 2 GiB, empty, header only, unrecognised, a needed column
    missing, every row dirty or more than half of them, or nothing left that asked for
    staff."""
    if fmt != "auto" and fmt not in FORMATS:
        raise UserInputError(one_line(f"format {fmt!r}: one of auto, {', '.join(FORMATS)} "
                                      f"(see {DOCS}): give one of those"))
    check_source(path)
    chosen = detect(path) if fmt == "auto" else fmt
    parsed = READERS[chosen](path)
    _refuse_unusable(path, chosen, parsed)
    problems = conforms(parsed.frame)
    if problems:  # a bug in an adapter, not the user's doing
        raise RuntimeError(f"{chosen} adapter built a non-canonical frame: {problems}")
    return LogRead(parsed.frame, chosen, dict(sorted(parsed.skipped.lines.items())),
                   parsed.dropped, parsed.warnings, parsed.rows)


def _refuse_unusable(path: Path, fmt: str, parsed: Parsed) -> None:
    skipped = parsed.skipped
    if parsed.rows == 0:
        raise refuse(path, "has a header but no contacts: add one row per contact below "
                           f"the header ({DOCS})")
    if skipped.count == parsed.rows:
        reason, lines = min(skipped.lines.items(), key=lambda kv: kv[1][0])
        line, value = skipped.examples.get(reason, (lines[0], ""))
        raise refuse(path, f"every one of its {parsed.rows} rows is dirty, e.g. line {line}: "
                           f"{reason}{' (' + value + ')' if value else ''}: check the file "
                           f"is in the {fmt} format ({DOCS}) and fix that line")
    if skipped.count * 2 > parsed.rows:
        first = ", ".join(map(str, skipped.first_lines()))
        reasons = "; ".join(skipped.describe()[:3])
        raise refuse(path, f"{skipped.count} of its {parsed.rows} rows are dirty (first at "
                           f"lines {first}; {reasons}): more than half, so the {fmt} format "
                           f"is probably not what this file holds: check it ({DOCS})")
    if parsed.frame.empty:
        dropped = ", ".join(f"{n} {reason}" for reason, n in parsed.dropped.items())
        raise refuse(path, f"no contact in it asked for staff ({dropped or 'none left'}): "
                           "give a log with served or abandoned contacts")
