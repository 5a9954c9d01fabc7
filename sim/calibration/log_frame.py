"""The canonical contact log every estimator reads: one pandas row per contact that asked
for staff, whatever the source format (the adapters in :mod:`sim.calibration.adapters`
build it; ``docs/calibration.md`` documents the file format users write).

Times are seconds (float) from midnight of the contact's ``day``; a time after midnight of
the next day is simply above 86,400 (no wrap).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

CHANNELS = ("walk_in", "phone", "email")
OUTCOMES = ("served", "abandoned", "balked", "blocked")

#: column -> meaning (unit). Every adapter returns exactly these columns, in this order.
COLUMNS: dict[str, str] = {
    "line": "line of the source file the row came from (1 = header), for messages",
    "day": "calendar day of the arrival, 'YYYY-MM-DD' (str)",
    "day_type": "day type given by the source ('' = infer from the calendar)",
    "arrival_s": "when the contact starts waiting for staff, or reaches staff at once "
                 "(s from midnight of day)",
    "channel": "walk_in, phone or email",
    "outcome": "served, abandoned (left the queue), balked (left at once) or blocked "
               "(no line free)",
    "wait_s": "time queued (s): to service start if served, to leaving if abandoned; "
              "0 when balked, blocked or served at once",
    "service_start_s": "service start (s from midnight of day; NaN when not served)",
    "service_end_s": "service end (s from midnight of day; NaN when not served)",
    "staff_id": "who served ('' when not served)",
    "patron_id": "the customer ('' when unknown)",
    "priority": "priority class (int, 0 = regular)",
    "type": "contact type, e.g. a service line ('' when not given)",
}

DTYPES: dict[str, str] = {
    "line": "int64", "day": "object", "day_type": "object", "arrival_s": "float64",
    "channel": "object", "outcome": "object", "wait_s": "float64",
    "service_start_s": "float64", "service_end_s": "float64", "staff_id": "object",
    "patron_id": "object", "priority": "int64", "type": "object",
}


def empty_frame() -> pd.DataFrame:
    """A canonical log with no rows."""
    import pandas as pd

    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in DTYPES.items()})


def service_s(log: pd.DataFrame) -> pd.Series:
    """Service times (s) of the served contacts."""
    served = log[log["outcome"] == "served"]
    return served["service_end_s"] - served["service_start_s"]


def conforms(log: pd.DataFrame) -> list[str]:
    """What is wrong with ``log`` as a canonical log (empty when nothing): missing or extra
    columns, wrong dtypes, unknown channels or outcomes, negative times."""
    problems = []
    if list(log.columns) != list(COLUMNS):
        problems.append(f"columns {list(log.columns)} are not {list(COLUMNS)}")
        return problems
    for column, dtype in DTYPES.items():
        if str(log[column].dtype) != dtype:
            problems.append(f"{column} has dtype {log[column].dtype}, not {dtype}")
    if not log["channel"].isin(CHANNELS).all():
        problems.append("unknown channel")
    if not log["outcome"].isin(OUTCOMES).all():
        problems.append("unknown outcome")
    if (log["wait_s"] < 0).any() or (log["arrival_s"] < 0).any():
        problems.append("negative time")
    served = log["outcome"] == "served"
    if (log.loc[served, "service_end_s"] < log.loc[served, "service_start_s"]).any():
        problems.append("service ends before it starts")
    return problems
