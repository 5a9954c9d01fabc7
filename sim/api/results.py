"""What ``api.run`` and ``api.sweep`` return: a results folder's tables as pandas DataFrames.

The tables are read from the CSV files the run wrote (the same files ``countersim run`` and
``countersim sweep`` write), so a notebook and the command line see the same numbers. Units
are those of the tables: times in seconds, rates as shares, money in the scenario's currency
(docs/metrics.md names every column).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

TABLES = ("replications", "summary", "scenarios", "comparisons", "slots", "days", "ack_times",
          "timeline_staff", "timeline_contacts", "contacts")
"""Every table a results folder may hold (``<name>.csv``), in the order listed."""


@dataclass(frozen=True)
class Result:
    """A finished run or sweep: its folder, its manifest and its tables.

    ``kind`` is ``"run"`` (one scenario) or ``"sweep"`` (a grid of scenarios). Every table
    present is in :attr:`tables` by name; the usual ones are also attributes
    (:attr:`replications`, :attr:`summary`, :attr:`comparisons`, :attr:`slots`,
    :attr:`days`, :attr:`scenarios`), None where the folder has no such table (a run has no
    comparisons or scenarios table; days only in multi-day runs). When the folder is
    temporary (``out=None``), it lives as long as this object (or an object it was copied
    into) and is removed afterwards.
    """

    kind: str
    folder: Path
    manifest: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    _temporary: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False,
                                                                compare=False)

    @property
    def replications(self) -> pd.DataFrame:
        """One row per (scenario, replication): every metric (``replications.csv``)."""
        return self.tables["replications"]

    @property
    def summary(self) -> pd.DataFrame:
        """Mean, standard deviation and 95% CI of every metric (``summary.csv``)."""
        return self.tables["summary"]

    @property
    def comparisons(self) -> pd.DataFrame | None:
        """Paired comparisons against the baseline levels (a sweep's ``comparisons.csv``)."""
        return self.tables.get("comparisons")

    @property
    def slots(self) -> pd.DataFrame | None:
        """Metrics per time slot of the day (``slots.csv``)."""
        return self.tables.get("slots")

    @property
    def days(self) -> pd.DataFrame | None:
        """One row per simulated day of multi-day runs (``days.csv``)."""
        return self.tables.get("days")

    @property
    def scenarios(self) -> pd.DataFrame | None:
        """A sweep's scenarios and their factor levels (``scenarios.csv``)."""
        return self.tables.get("scenarios")

    @property
    def temporary(self) -> bool:
        """Whether :attr:`folder` is a temporary folder removed with this result."""
        return self._temporary is not None


def read_result(kind: str, folder: Path,
                temporary: tempfile.TemporaryDirectory[str] | None = None) -> Result:
    """The result in ``folder`` (written by a finished run or sweep), its tables read."""
    import pandas as pd

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    tables = {name: pd.read_csv(folder / f"{name}.csv") for name in TABLES
              if (folder / f"{name}.csv").is_file()}
    return Result(kind, folder, manifest, tables, temporary)
