"""Parquet copies of the per-replication table (``--parquet``): ``replications.parquet``
beside ``replications.csv``, the same rows and columns, values as the replications gave them
(floats exactly, not via their text). For large sweeps: a column reads in milliseconds from
pandas, Arrow, DuckDB or Spark. Needs pyarrow (``pip install 'countersim[parquet]'``); the
CSV tables are written either way."""

from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from sim.errors import UserInputError
from sim.results.store import WriteError

REPLICATIONS = "replications.parquet"


def parquet_available() -> bool:
    """Whether pyarrow (pandas' Parquet engine) can be imported."""
    return importlib.util.find_spec("pyarrow") is not None


def require_parquet() -> None:
    """Refuse ``--parquet`` in one line, before anything runs, when pyarrow is missing."""
    if not parquet_available():
        raise UserInputError("--parquet needs pyarrow, which is not installed: pip install "
                             "'countersim[parquet]' (or leave --parquet out: the CSV tables "
                             "are written either way)")


def write_parquet(path: Path, rows: Sequence[Mapping[str, object]],
                  columns: Sequence[str]) -> None:
    """Write the rows as a Parquet file atomically (readers see no file or the whole one);
    a value missing from a row is null. Fails with a :class:`WriteError` naming ``path``."""
    import pandas as pd  # only a --parquet run pays for pandas and pyarrow

    frame = pd.DataFrame.from_records([[row.get(c) for c in columns] for row in rows],
                                      columns=list(columns))
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        frame.to_parquet(tmp, engine="pyarrow", index=False)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, WriteError):
            raise WriteError(exc.errno, exc.strerror or str(exc), str(path)) from exc
        raise
