"""Markdown tables from DataFrames for the calibration reports."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd


def cell(value: object) -> str:
    """A table cell: numbers to 4 significant digits, NaN as a dash, pipes escaped."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "–"
        return f"{value:.4g}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def table(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> list[str]:
    """The frame's rows (only ``columns``, in that order) as markdown table lines."""
    columns = list(columns) if columns is not None else list(frame.columns)
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in frame[columns].itertuples(index=False):
        lines.append("| " + " | ".join(cell(v.item() if hasattr(v, "item") else v)
                                       for v in row) + " |")
    return lines


def clock(seconds: float) -> str:
    """``HH:MM`` for seconds from midnight."""
    minutes = round(seconds / 60.0)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def percent(share: float, digits: int = 1) -> str:
    """A share as a percentage."""
    return "–" if math.isnan(share) else f"{100 * share:.{digits}f}%"
