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
EMAIL = "email"
CHANNELS = (WALK_IN, PHONE)  # customers who can walk out; emails are back-office work

# Contact.callback: what became of a callback offer (sim/model/counter/callbacks.py)
DECLINED, REQUESTED, ON_TIME = "declined", "requested", "on_time"
LATE, NOT_MADE = "late", "not_made"
# Contact.announced: told the expected wait on joining, and stayed or left at once
TOLD, LEFT = "told", "left"


class Contact:
    """A customer's attempt to be served. Times are seconds of simulated time.

    Everything a policy could change the count of (patience, service requirement, the
    balking draw) is drawn at arrival, so scenarios that differ only in policy see the
    same customers.
    """

    __slots__ = (
        "ack_s",
        "announced",
        "arrival_s",
        "attempt",
        "balk_draw",
        "callback",
        "callback_due_s",
        "callback_s",
        "calm_draw",
        "calmed",
        "channel",
        "churn_p",
        "complain_draw",
        "complained",
        "conduct_s",
        "deadline_s",
        "divided_attention",
        "during_scene",
        "end_s",
        "held_s",
        "hold_deadline_s",
        "hold_patience_s",
        "hold_since_s",
        "id",
        "ignored",
        "named",
        "outcome",
        "overtaken",
        "party",
        "patience_s",
        "patron_id",
        "permission",
        "plain",
        "prior_wait_s",
        "resolve_draw",
        "resolved",
        "retried",
        "retry_after_close",
        "satisfaction",
        "saw_distraction",
        "scrutinised",
        "service_s",
        "spend",
        "staff_id",
        "start_s",
        "temperament",
        "thanked",
        "top",
        "waiting",
        "work_left_s",
    )

    def __init__(self, cid: int, channel: str, patron_id: int, arrival_s: float,
                 patience_s: float, service_s: float, balk_draw: float,
                 hold_patience_s: float = math.inf) -> None:
        self.id, self.channel, self.patron_id = cid, channel, patron_id
        self.arrival_s = arrival_s
        self.patience_s = patience_s
        self.service_s = service_s
        self.balk_draw = balk_draw
        self.deadline_s = arrival_s + patience_s
        self.ack_s = self.start_s = self.end_s = math.nan  # greeted, served from, left at
        self.outcome: Outcome | None = None
        self.staff_id = -1
        self.waiting = False
        self.hold_patience_s = hold_patience_s
        self.hold_since_s, self.hold_deadline_s, self.held_s = math.nan, math.inf, 0.0
        self.work_left_s = service_s
        self.divided_attention = False  # staff took a personal call during the service
        self.saw_distraction = False    # arrived while a staff member was visibly distracted
        self.ignored = False            # ... waited, and was not greeted within the target
        self.during_scene = False       # walked out while a visible scene (argument) went on
        self.plain = False              # the patron's appearance cue (else polished)
        self.top = False                # the patron is a top-tier spender
        self.spend = 0.0                # the patron's spend per visit (money)
        self.resolved = True            # if served, the matter is resolved (drawn at arrival)
        self.thanked = False            # if served, staff thank the customer (drawn at arrival)
        self.overtaken = False          # someone who came later was served first
        self.scrutinised = False        # looked up and down by a biased clerk
        self.satisfaction = math.nan    # from the experience, when the contact ends
        self.churn_p = 0.0              # P(the patron never returns) after this contact
        self.temperament = "calm"       # drawn at arrival
        self.party = 1                  # people who came together (walk-ins)
        # conduct levers (sim/policies/conduct.py): all unused while the levers are off
        self.resolve_draw = 0.0         # Uniform(0, 1) at arrival: resolved if below P(resolve)
        self.calm_draw = 1.0            # Uniform(0, 1) at arrival: an apology calms if below
        self.complain_draw = 1.0        # Uniform(0, 1) at arrival: complains if below
        self.conduct_s = 0.0            # staff seconds spent on conduct (apology, thanks, ...)
        self.calmed = False             # an upset customer calmed by an apology
        self.named = False              # recognised and addressed by name
        self.permission = False         # a personal call during service, taken with permission
        self.complained = False         # complained after a bad experience
        # retrials (sim/model/counter/retrials.py), unused while off: attempt 0 is a first
        # attempt, k the patron's k-th retry today after ``prior_wait_s`` seconds waited on
        self.attempt, self.prior_wait_s = 0, 0.0  # the earlier ones; walked out and tries
        self.retried = self.retry_after_close = False  # again today / only after closing
        # the virtual queue (unused while off): the callback's state, deadline and time made
        self.callback, self.callback_due_s, self.callback_s = "", math.inf, math.nan
        self.announced = ""             # "", TOLD or LEFT (told the expected wait on joining)

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
            "service_s": self.service_s, "held_s": self.held_s,
            "divided_attention": self.divided_attention,
            "saw_distraction": self.saw_distraction, "ignored": self.ignored,
            "during_scene": self.during_scene,
            "plain": self.plain, "top": self.top, "spend": self.spend,
            "overtaken": self.overtaken, "scrutinised": self.scrutinised,
            "satisfaction": self.satisfaction, "churn_p": self.churn_p,
            "temperament": self.temperament, "party": self.party,
            "callback": self.callback, "callback_s": self.callback_s,
            "announced": self.announced,
        }
