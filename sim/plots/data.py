"""The result tables of a run folder, read for plotting, and the choices every figure shares.

A results folder holds ``manifest.json`` and ``replications.csv`` (required) and, when the
run produced them, ``scenarios.csv``, ``ack_times.csv``, ``days.csv``,
``timeline_staff.csv``, ``timeline_contacts.csv`` and ``slots.csv``. Every figure is a pure
function of the :class:`Results` read here, whose tables are pandas DataFrames: the words
columns as text, every other column as floats (NaN where a cell is empty), each cell read
with Python's ``float`` as the CSV holds it.

Which scenarios a figure shows: one line or bar per level of the colour factor (the
policy); the x factor (e.g. staff count) on the x axis where a figure has one, otherwise at
its focus level; every other factor at its focus level. Focus levels are the manifest's
``focus`` (the levels its headline and timeline describe) where given, else the middle level
of the x factor and the baseline level of the others (the manifest's ``baseline``, else the
first level). The figure titles say which levels were fixed.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim.errors import UserInputError
from sim.results.statistics import Estimate
from sim.results.statistics import metric_estimate as bounded_estimate
from sim.results.store import read_csv

Row = dict[str, str]
"""A CSV row as read, before it becomes a DataFrame row."""
Record = Mapping[str, Any]
"""A DataFrame row as a mapping (``frame.to_dict("records")``): floats and words."""

REQUIRED = ("manifest.json", "replications.csv")
OPTIONAL = ("scenarios", "ack_times", "days", "timeline_staff", "timeline_contacts", "slots")

# Policy colours (matplotlib's tab10), assigned in the manifest's level order.
TAB10 = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
         "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")


@dataclass(frozen=True)
class Factor:
    """An experimental factor and its level labels, in the manifest's order."""

    name: str
    levels: tuple[str, ...]


@dataclass(frozen=True)
class Policy:
    """One level of the colour factor (``level`` is None when nothing varies by colour)."""

    label: str
    level: str | None
    colour: str


@dataclass(frozen=True)
class Results:
    """Everything a figure may draw from: manifest choices and the tables present."""

    run_dir: Path
    experiment: str
    factors: tuple[Factor, ...]
    colour: Factor | None
    x: Factor | None
    baseline: Mapping[str, str]
    focus: Mapping[str, str]
    ack_target_s: float
    timeline_label: str
    scenario_levels: Mapping[str, Mapping[str, str]]
    replications: Mapping[str, pd.DataFrame]  # replications.csv by scenario id
    tables: Mapping[str, pd.DataFrame]

    def table(self, name: str, *columns: str) -> pd.DataFrame | None:
        """An optional table, or None if it is absent, empty or lacks a column."""
        frame = self.tables.get(name)
        if frame is None or frame.empty or any(c not in frame.columns for c in columns):
            return None
        return frame


def check_run_dir(run_dir: Path) -> None:
    """Raise :class:`UserInputError` unless ``run_dir`` is a folder with the required files."""
    fix = "give a folder written by countersim run or sweep (or an experiment script)"
    if not run_dir.exists():
        raise UserInputError(f"RUN_DIR {run_dir}: no such results folder; {fix}")
    if not run_dir.is_dir():
        raise UserInputError(f"RUN_DIR {run_dir}: not a folder; {fix}")
    missing = [name for name in REQUIRED if not (run_dir / name).is_file()]
    if missing:
        raise UserInputError(f"RUN_DIR {run_dir}: missing {' and '.join(missing)}; "
                             f"not a countersim results folder; {fix}")


TEXT_COLUMNS = frozenset({"scenario", "channel", "metric", "day", "start", "end", "outcome",
                          "activity", "overrides", "ci_method", "label", "verdict"})
"""Columns of the result tables that hold words; every other cell is a number or empty."""
LABELS = frozenset({"staff_id"})
"""Number columns that a figure shows as labels: kept as text in the DataFrames."""


def damaged(path: Path, problem: str) -> UserInputError:
    """The one-line error for a result table or manifest that cannot be what it should."""
    return UserInputError(f"{path}: {problem}; the file is damaged: re-create the folder "
                          "(re-run the command that wrote it) or restore the file")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def read_table(path: Path, text_columns: Collection[str] = (), required: bool = False,
               ) -> list[Row]:
    """The rows of a result table, checked: UTF-8, every row as long as the header, every
    cell a number or empty except in :data:`TEXT_COLUMNS` and ``text_columns`` (factor
    levels), and at least one row if ``required``. Raises :class:`UserInputError` naming
    the file, the row and the cell."""
    try:
        rows = read_csv(path)
    except UnicodeDecodeError as exc:
        raise damaged(path, f"not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset "
                      f"{exc.start})") from None
    except (OSError, csv.Error) as exc:
        raise damaged(path, f"cannot be read as a CSV table ({exc})") from None
    if required and not rows:
        raise damaged(path, "no rows (an empty or truncated table)")
    words = TEXT_COLUMNS | set(text_columns)
    for n, row in enumerate(rows, start=1):
        if None in row or None in row.values():
            header = len(row) - (None in row)
            cells = header + len(row.get(None) or []) - sum(  # type: ignore[call-overload]
                v is None for k, v in row.items() if k is not None)
            raise damaged(path, f"row {n} has {cells} cells, the header {header}")
        bad = next((k for k, v in row.items() if k not in words and v and not _is_number(v)),
                   None)
        if bad is not None:
            raise damaged(path, f"row {n}: {bad} = {row[bad]!r}, a number is expected")
    return rows


def frame_of(rows: Sequence[Row], text_columns: Collection[str] = ()) -> pd.DataFrame:
    """Checked rows (:func:`read_table`) as a DataFrame: :data:`TEXT_COLUMNS`, :data:`LABELS`
    and ``text_columns`` as text, every other column as floats (``float(cell)``, NaN if
    empty)."""
    if not rows:
        return pd.DataFrame()
    words = TEXT_COLUMNS | LABELS | set(text_columns)
    columns = list(rows[0])
    return pd.DataFrame({c: [r[c] for r in rows] if c in words else
                         [float(r[c]) if r[c] else math.nan for r in rows] for c in columns},
                        columns=columns)


def scenario_ids(frame: pd.DataFrame) -> pd.Series:
    """Every row's scenario id as text (:func:`scenario_id`)."""
    if "scenario" not in frame.columns:
        return pd.Series(["0"] * len(frame), index=frame.index, dtype=object)
    return frame["scenario"].map(lambda text: scenario_id({"scenario": text}))


def of_scenario(frame: pd.DataFrame, sid: str) -> pd.DataFrame:
    """The rows of scenario ``sid``, in table order."""
    return frame[scenario_ids(frame) == sid]


def load_results(run_dir: Path) -> Results:
    """Read a results folder (a ``latest`` symlink is followed); a damaged table or
    manifest raises :class:`UserInputError` naming the file and what is wrong."""
    check_run_dir(run_dir)
    manifest = _read_manifest(run_dir / "manifest.json")
    factors = _factors(manifest.get("factors"), run_dir / "manifest.json")
    x = _x_factor(factors, manifest.get("x_factor"))
    labels = [f.name for f in factors]
    rows = {name: read_table(run_dir / f"{name}.csv", labels) for name in OPTIONAL
            if (run_dir / f"{name}.csv").is_file()}
    replications = read_table(run_dir / "replications.csv", labels, required=True)
    if "replication" not in replications[0]:
        raise damaged(run_dir / "replications.csv",
                      "no replication column (its header is "
                      f"{','.join(map(str, replications[0]))[:60]!r})")
    timeline = manifest.get("timeline")
    return Results(
        run_dir=run_dir,
        experiment=str(manifest.get("experiment") or manifest.get("name") or run_dir.name),
        factors=factors,
        colour=_colour_factor(factors, manifest.get("colour_factor"), x),
        x=x,
        baseline=_labels(manifest.get("baseline")),
        focus=_labels(manifest.get("focus")),
        ack_target_s=number(manifest.get("ack_target_s", 30)),
        timeline_label=_timeline_label(timeline),
        scenario_levels=_scenario_levels(factors, [*rows.get("scenarios", []), *replications]),
        replications=_by_scenario(frame_of(replications, labels)),
        tables={name: frame_of(table, labels) for name, table in rows.items()},
    )


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise damaged(path, f"not valid JSON ({exc})") from exc
    if not isinstance(manifest, dict):
        raise damaged(path, "a JSON object is expected")
    return manifest


def _labels(raw: object) -> dict[str, str]:
    return {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}


def _timeline_label(timeline: object) -> str:
    if not isinstance(timeline, dict):
        return ""
    if timeline.get("label"):
        return str(timeline["label"])
    return f"scenario {timeline['scenario']}" if "scenario" in timeline else ""


def _factors(raw: object, path: Path) -> tuple[Factor, ...]:
    if raw is None:
        return ()
    shape = 'a list of {"name": ..., "levels": [...]}'
    if not isinstance(raw, list):
        raise damaged(path, f"factors = {str(raw)[:40]}: {shape} is expected")
    for f in raw:
        if not (isinstance(f, dict) and isinstance(f.get("name"), str)
                and isinstance(f.get("levels", []), list)):
            raise damaged(path, f"factors entry {str(f)[:40]}: {shape} is expected")
    return tuple(Factor(f["name"], tuple(str(v) for v in f.get("levels", []))) for f in raw)


def _x_factor(factors: Sequence[Factor], name: object) -> Factor | None:
    """The x factor, its levels sorted by value; None if absent or not numeric."""
    found = next((f for f in factors if f.name == name), None)
    if found is None or not all(math.isfinite(number(v)) for v in found.levels):
        return None
    return Factor(found.name, tuple(sorted(found.levels, key=number)))


def _colour_factor(factors: Sequence[Factor], name: object, x: Factor | None) -> Factor | None:
    others = [f for f in factors if x is None or f.name != x.name]
    return next((f for f in others if f.name == name), others[0] if others else None)


def _scenario_levels(factors: Sequence[Factor],
                     rows: Sequence[Row]) -> dict[str, dict[str, str]]:
    levels: dict[str, dict[str, str]] = {}
    for row in rows:
        levels.setdefault(scenario_id(row), {f.name: row[f.name] for f in factors
                                             if f.name in row})
    return levels


def _by_scenario(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    ids = scenario_ids(frame)
    return {sid: frame[ids == sid] for sid in dict.fromkeys(ids)}


def number(value: object) -> float:
    """A table cell (or manifest value) as a float; NaN if empty or not a number."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def scenario_id(row: Mapping[str, str]) -> str:
    """The row's scenario id as text (``"0"`` for a single-scenario run)."""
    text = row.get("scenario", "0")
    value = number(text)
    return str(int(value)) if math.isfinite(value) and value == int(value) else text


def policies(res: Results) -> list[Policy]:
    """The policies to compare, each with its fixed colour."""
    if res.colour is None:
        return [Policy(res.experiment, None, TAB10[0])]
    return [Policy(level, level, TAB10[i % len(TAB10)])
            for i, level in enumerate(res.colour.levels)]


def middle_x(res: Results) -> str | None:
    """The x factor's focus level: the manifest's, else its middle (upper middle) level."""
    if res.x is None or not res.x.levels:
        return None
    return res.focus.get(res.x.name, res.x.levels[len(res.x.levels) // 2])


def fixed_levels(res: Results, x_level: str | None) -> dict[str, str]:
    """Levels of every factor but the colour factor: x at ``x_level``, others at focus."""
    fixed: dict[str, str] = {}
    for f in res.factors:
        if res.colour is not None and f.name == res.colour.name:
            continue
        if res.x is not None and f.name == res.x.name:
            if x_level is not None:
                fixed[f.name] = x_level
            continue
        fallback = res.baseline.get(f.name, f.levels[0] if f.levels else "")
        fixed[f.name] = res.focus.get(f.name, fallback)
    return fixed


def find_scenario(res: Results, policy: Policy, fixed: Mapping[str, str]) -> str | None:
    """The scenario id with the policy's level and the fixed levels, if there is one."""
    wanted = dict(fixed)
    if res.colour is not None and policy.level is not None:
        wanted[res.colour.name] = policy.level
    for sid, levels in res.scenario_levels.items():
        if all(levels.get(k) == v for k, v in wanted.items()):
            return sid
    return None


def conditions(res: Results, fixed: Mapping[str, str]) -> str:
    """``"staff = 3, discipline = fifo"``: the levels a figure holds fixed."""
    return ", ".join(f"{k} = {v}" for k, v in fixed.items())


def metric_estimate(res: Results, scenario: str | None, metric: str) -> Estimate | None:
    """Mean and 95% interval of ``metric`` over the scenario's replications, inside the
    metric's range (:func:`sim.results.statistics.metric_estimate`)."""
    frame = res.replications.get(scenario or "")
    if frame is None or frame.empty or metric not in frame.columns:
        return None
    found = bounded_estimate([number(v) for v in frame[metric]], metric)
    return found if found.n > 0 else None


def error_bar(e: Estimate, scale: float = 1.0) -> tuple[float, float]:
    """Distances from the mean to the CI ends (0 where the interval is undefined)."""
    low = (e.mean - e.ci_low) * scale
    high = (e.ci_high - e.mean) * scale
    return (low if math.isfinite(low) else 0.0, high if math.isfinite(high) else 0.0)


def replication_count(res: Results) -> int:
    """The largest number of replications of any scenario."""
    return max((len(frame) for frame in res.replications.values()), default=0)
