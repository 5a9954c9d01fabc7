"""A log file as a table of strings with the source line number of every row: comma
separated (the contacts and records formats, read by the csv module so quoted fields
work) or split on runs of white space (the bank format). Blank lines are not rows."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibration.adapters.source import open_text, refuse


@dataclass
class Table:
    """``columns`` from the header; ``cells`` one string column per header column (rows
    with too few fields padded with '', extra fields cut); ``lines`` the line each row
    starts on (1 = the header's line); ``widths`` how many fields each row had."""

    columns: list[str]
    cells: pd.DataFrame
    lines: np.ndarray
    widths: np.ndarray

    def __len__(self) -> int:
        return len(self.lines)

    def wrong_width(self) -> np.ndarray:
        """True for rows whose field count differs from the header's."""
        return np.asarray(self.widths != len(self.columns), dtype=bool)


def _table(path: Path, header: list[str], rows: list[list[str]], lines: list[int]) -> Table:
    if len(set(header)) != len(header):
        twice = sorted({c for c in header if header.count(c) > 1})
        raise refuse(path, f"column {twice[0]!r} appears twice in the header: give each "
                           "column once")
    n = len(header)
    widths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    if (widths != n).any():
        rows = [r[:n] + [""] * (n - len(r)) if len(r) != n else r for r in rows]
    cells = pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(
        {c: pd.Series(dtype=object) for c in header})
    return Table(header, cells, np.asarray(lines, dtype=np.int64), widths)


def read_csv_table(path: Path, lower: bool = False) -> Table:
    """The comma-separated file ``path``: header names stripped of white space (and made
    lower case with ``lower``)."""
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    try:
        with open_text(path) as fh:
            reader = csv.reader(fh)
            last = 0
            for record in reader:
                start, last = last + 1, reader.line_num
                if not any(field.strip() for field in record):
                    continue
                if header is None:
                    header = [c.strip().lower() if lower else c.strip() for c in record]
                    continue
                rows.append(record)
                lines.append(start)
    except csv.Error as exc:
        raise refuse(path, f"is not valid CSV near line {last + 1} ({exc}): fix the quoting "
                           "on that line") from None
    return _table(path, header or [], rows, lines)


def read_whitespace_table(path: Path) -> Table:
    """The file ``path`` with fields separated by any run of tabs or spaces."""
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    with open_text(path) as fh:
        for number, line in enumerate(fh, start=1):
            fields = line.split()
            if not fields:
                continue
            if header is None:
                header = fields
                continue
            rows.append(fields)
            lines.append(number)
    return _table(path, header or [], rows, lines)
