"""One contact (a visit or a call) and its outcome. Plain data, no SimPy."""

from __future__ import annotations

import math
from enum import StrEnum


class Outcome(StrEnum):
    """How a contact ended."""

    SERVED = "served"
    BALKED = "balked"
    RENEGED_UNACKNOWLEDGED = "reneged_unacknowledged"
    RENEGED_ACKNOWLEDGED = "reneged_acknowledged"
    ABANDONED = "abandoned"
    BLOCKED = "blocked"
    IN_SYSTEM = "in_system"


WALKOUTS = frozenset(
    {Outcome.BALKED, Outcome.RENEGED_UNACKNOWLEDGED, Outcome.RENEGED_ACKNOWLEDGED,
     Outcome.ABANDONED, Outcome.BLOCKED}
)

WALK_IN = "walk_in"
PHONE = "phone"
CHANNELS = (WALK_IN, PHONE)


class Contact:
    """A customer's attempt to be served. Times are seconds of simulated time.

    Everything a policy could change the count of (patience, service requirement, the
    balking draw) is drawn at arrival, so scenarios that differ only in policy see the
    same customers.
    """

    __slots__ = (
        "ack_s", "arrival_s", "balk_draw", "channel", "deadline_s", "end_s", "id",
        "outcome", "patience_s", "patron_id", "service_s", "staff_id", "start_s", "waiting",
    )

    def __init__(self, cid: int, channel: str, patron_id: int, arrival_s: float,
                 patience_s: float, service_s: float, balk_draw: float) -> None:
        self.id = cid
        self.channel = channel
        self.patron_id = patron_id
        self.arrival_s = arrival_s
        self.patience_s = patience_s
        self.service_s = service_s
        self.balk_draw = balk_draw
        self.deadline_s = arrival_s + patience_s
        self.ack_s = math.nan
        self.start_s = math.nan
        self.end_s = math.nan
        self.outcome: Outcome | None = None
        self.staff_id = -1
        self.waiting = False

    @property
    def acknowledged(self) -> bool:
        """True once a staff member has greeted (walk-in) or answered (call) this contact."""
        return self.ack_s == self.ack_s  # not NaN

    def wait_s(self) -> float:
        """Time in the line: until service start, or until leaving it (seconds)."""
        left = self.start_s if self.start_s == self.start_s else self.end_s
        return left - self.arrival_s

    def as_record(self) -> dict[str, object]:
        """A flat row for contacts.csv."""
        return {
            "id": self.id, "channel": self.channel, "patron_id": self.patron_id,
            "arrival_s": self.arrival_s, "ack_s": self.ack_s, "start_s": self.start_s,
            "end_s": self.end_s, "outcome": self.outcome.value if self.outcome else "",
            "staff_id": self.staff_id, "patience_s": self.patience_s,
            "service_s": self.service_s,
        }
