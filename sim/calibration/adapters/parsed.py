"""What an adapter hands back: the canonical frame, the dirty rows it skipped (reason ->
line numbers, with the first offending value of each reason), the rows it dropped because
they were not demand for staff (reason -> count) and warnings the fit can survive."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.errors import one_line

#: How many line numbers a message shows per reason.
SHOWN_LINES = 5


@dataclass
class Skipped:
    """Dirty rows by reason: the source line numbers (1 = header) of every skipped row, and
    one example per reason ``(line, offending value)`` for messages."""

    lines: dict[str, list[int]] = field(default_factory=dict)
    examples: dict[str, tuple[int, str]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        """How many rows were skipped in all."""
        return sum(len(v) for v in self.lines.values())

    def first_lines(self) -> list[int]:
        """The first few skipped line numbers, whatever the reason."""
        return sorted(n for v in self.lines.values() for n in v)[:SHOWN_LINES]

    def describe(self) -> list[str]:
        """One line per reason: ``reason: N rows (lines a, b, c, ...; e.g. line a: value)``."""
        out = []
        for reason, lines in sorted(self.lines.items(), key=lambda kv: -len(kv[1])):
            shown = ", ".join(map(str, lines[:SHOWN_LINES])) + (", ..." if len(lines) >
                                                                  SHOWN_LINES else "")
            text = f"{reason}: {len(lines)} row{'s' if len(lines) != 1 else ''} (lines {shown}"
            if reason in self.examples:
                line, value = self.examples[reason]
                text += f"; e.g. line {line}: {value}"
            out.append(one_line(text + ")"))
        return out


class Flags:
    """Per-row dirt while a table is parsed column by column: the first reason found for a
    row wins, later checks leave it alone."""

    def __init__(self, lines: np.ndarray) -> None:
        self.lines = np.asarray(lines, dtype=np.int64)
        self.reason = np.full(len(self.lines), "", dtype=object)
        self.examples: dict[str, tuple[int, str]] = {}

    @property
    def ok(self) -> np.ndarray:
        """True for rows with no dirt found so far."""
        return np.asarray(self.reason == "", dtype=bool)

    def flag(self, mask: np.ndarray | pd.Series, reason: str,
             values: pd.Series | np.ndarray | None = None, label: str = "") -> None:
        """Mark rows where ``mask`` holds (and nothing was found yet) with ``reason``;
        ``values`` (aligned with the rows) gives the example shown for the first of them,
        prefixed by ``label`` (e.g. a column name)."""
        new = np.asarray(mask, dtype=bool) & self.ok
        if not new.any():
            return
        self.reason[new] = reason
        if reason not in self.examples and values is not None:
            first = int(np.flatnonzero(new)[0])
            value = np.asarray(values, dtype=object)[first]
            shown = f"{label}={value!r}" if label else repr(value)
            self.examples[reason] = (int(self.lines[first]), shown[:80])

    def skipped(self) -> Skipped:
        """The rows marked, grouped by reason in line order."""
        out = Skipped(examples=dict(self.examples))
        bad = ~self.ok
        for reason, line in zip(self.reason[bad], self.lines[bad], strict=True):
            out.lines.setdefault(str(reason), []).append(int(line))
        out.examples = {r: e for r, e in out.examples.items() if r in out.lines}
        return out


@dataclass
class Parsed:
    """One adapter's result: ``frame`` (canonical), ``rows`` (data rows read, blank lines
    not counted), ``skipped`` (dirty rows), ``dropped`` (rows that were not demand for
    staff: reason -> count) and ``warnings``."""

    frame: pd.DataFrame
    rows: int
    skipped: Skipped
    dropped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def canonical_frame(columns: dict[str, object]) -> pd.DataFrame:
    """The canonical log of equal-length ``columns`` (every name of
    :data:`~sim.calibration.log_frame.COLUMNS`), in order and with the canonical dtypes."""
    from sim.calibration.log_frame import COLUMNS, DTYPES

    frame = pd.DataFrame({c: np.asarray(columns[c]) for c in COLUMNS})
    return frame.astype(DTYPES).reset_index(drop=True)
