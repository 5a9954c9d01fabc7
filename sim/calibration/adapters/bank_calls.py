"""The bank calls that asked for an agent, checked against themselves and made canonical.

Every clock time is taken relative to midnight of the call's ``date``: a time more than
12 hours before the call entered the VRU is on the next day (+86,400 s), so a call that
arrives at 23:59:00 and is answered at 0:01:00 starts service at 86,460 s."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.calibration.adapters.clock import DAY_S, day_strings
from sim.calibration.adapters.parsed import Flags, canonical_frame

#: Clock slack (s): recorded durations and timestamps of one call may disagree this much.
SLACK_S = 3.0
NO_SERVER = "NO_SERVER"


def after_entry(values: dict[str, np.ndarray], field: str) -> np.ndarray:
    """``field``'s clock time in seconds from midnight of the call's date."""
    t = values[field]
    return np.asarray(np.where(t < values["vru_entry"] - DAY_S / 2, t + DAY_S, t))


def calls_frame(cells: dict[str, pd.Series], values: dict[str, np.ndarray],
                queued: np.ndarray, demand: np.ndarray, flags: Flags) -> pd.DataFrame:
    """The canonical frame of the rows in ``demand`` that pass every check."""
    served = (cells["outcome"] == "AGENT").to_numpy()
    server = cells["server"].to_numpy(dtype=object)
    t = {f: after_entry(values, f) for f in ("q_start", "q_exit", "ser_start")}
    begin = t["ser_start"]
    end = begin + np.mod(values["ser_exit"] - values["ser_start"], DAY_S)
    _check(values, t, end, queued & demand, served & demand, server, flags)
    keep = demand & flags.ok
    arrival = np.where(queued, t["q_start"], begin)
    patron = cells["customer_id"].to_numpy(dtype=object)
    n = int(keep.sum())
    return canonical_frame({
        "line": flags.lines[keep], "day": day_strings(values["day"][keep]),
        "day_type": np.full(n, "", dtype=object), "arrival_s": arrival[keep],
        "channel": np.full(n, "phone", dtype=object),
        "outcome": np.where(served, "served", "abandoned")[keep],
        "wait_s": np.where(queued, values["q_time"], 0.0)[keep],
        "service_start_s": np.where(served, begin, np.nan)[keep],
        "service_end_s": np.where(served, end, np.nan)[keep],
        "staff_id": np.where(served, server, "")[keep],
        "patron_id": np.where(patron == "0", "", patron)[keep],
        "priority": values["priority"][keep],
        "type": cells["type"].to_numpy(dtype=object)[keep]})


def _check(values: dict[str, np.ndarray], t: dict[str, np.ndarray], end: np.ndarray,
           queued: np.ndarray, served: np.ndarray, server: np.ndarray, flags: Flags) -> None:
    """Flag calls whose fields contradict each other (beyond :data:`SLACK_S`)."""
    no_times = (values["ser_start"] == 0) & (values["ser_exit"] == 0) & (values["ser_time"] == 0)
    flags.flag(served & no_times, "served without service times (ser_start, ser_exit 0:00:00)")
    flags.flag(served & (server == NO_SERVER), "served by NO_SERVER", server, "server")
    q_span = t["q_exit"] - t["q_start"]
    flags.flag(queued & (np.abs(q_span - values["q_time"]) > SLACK_S),
               "q_time disagrees with q_exit - q_start", q_span - values["q_time"], "diff_s")
    ser_span = end - t["ser_start"]
    flags.flag(served & (np.abs(ser_span - values["ser_time"]) > SLACK_S),
               "ser_time disagrees with ser_exit - ser_start", ser_span - values["ser_time"],
               "diff_s")
    early = t["ser_start"] - t["q_start"]
    flags.flag(served & queued & (early < 0), "service starts before the call queued",
               early, "ser_start - q_start")
    gap = t["ser_start"] - t["q_exit"]
    flags.flag(served & queued & (np.abs(gap) > SLACK_S),
               f"service start more than {SLACK_S:g} s from the queue exit", gap,
               "ser_start - q_exit")
