"""The outcome book: how a contact ends at the counter. Its outcome is set, its experience
judged against the patron's loyalty, and the recorder told. :class:`DayBook` keeps what one
day did to the patrons (multi-day runs). No SimPy."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from sim.config.sections import Loyalty
from sim.model.contact import EMAIL, LATE, PHONE, WALK_IN, WALKOUTS, Contact, Outcome
from sim.model.experience import Scorer, churn_after_bad
from sim.model.patrons import PatronPool

if TYPE_CHECKING:
    from sim.model.counter.conduct import ConductJudge
    from sim.model.counter.retrials import RetrialDesk

# Outcomes as plain module constants: an enum member costs a metaclass lookup on every use.
SERVED, BALKED, BLOCKED, ABANDONED = (Outcome.SERVED, Outcome.BALKED, Outcome.BLOCKED,
                                      Outcome.ABANDONED)
RENEGED_ACKNOWLEDGED = Outcome.RENEGED_ACKNOWLEDGED
RENEGED_UNACKNOWLEDGED = Outcome.RENEGED_UNACKNOWLEDGED


class DayBook:
    """What one day did to the patrons: who may leave, who was delighted, who comes back."""

    def __init__(self) -> None:
        """An empty book for a new day."""
        self.stay: dict[int, float] = {}   # patron -> P(still a patron) after today's contacts
        self.bad: set[int] = set()         # patrons with a bad experience today
        self.delighted = 0
        self.contacts = 0
        self.walkouts = 0
        self.revenue = 0.0                 # money
        self.unresolved: dict[str, list[int]] = {WALK_IN: [], PHONE: []}

    def add(self, c: Contact, delighted: bool, walked_out: bool, served: bool) -> None:
        """Count one finished contact."""
        self.contacts += 1
        self.walkouts += walked_out
        self.delighted += delighted
        if served:
            self.revenue += c.spend
            if not c.resolved:
                self.unresolved[c.channel].append(c.patron_id)
        if c.churn_p > 0.0:
            self.stay[c.patron_id] = self.stay.get(c.patron_id, 1.0) * (1.0 - c.churn_p)
            self.bad.add(c.patron_id)

    def add_email(self, c: Contact) -> None:
        """Count a scored e-mail's loyalty outcome (not a visit: no contact, no revenue)."""
        if c.churn_p > 0.0:
            self.stay[c.patron_id] = self.stay.get(c.patron_id, 1.0) * (1.0 - c.churn_p)
            self.bad.add(c.patron_id)


class OutcomeBook:
    """Ends contacts: sets the outcome, judges the experience (when loyalty is on), tells
    the recorder, and keeps the day book of a multi-day run."""

    def __init__(self, contact_ended: Callable[[Contact], None], pool: PatronPool,
                 loyalty: Loyalty, score: Scorer, targets_s: dict[str, float],
                 keep_day_book: bool) -> None:
        """``contact_ended``: the recorder's hook; ``targets_s``: acknowledgment target per
        channel (seconds), for judging whether a customer who saw a distraction was ignored."""
        self._contact_ended = contact_ended
        self.pool = pool
        self.loyalty = loyalty
        self._judging = loyalty.enabled
        self._score = score
        self.targets_s = targets_s
        self.day: DayBook | None = DayBook() if keep_day_book else None
        self.judge: ConductJudge | None = None  # set by the counter when a conduct lever is on
        self.retrials: RetrialDesk | None = None  # set by the counter when retrials are on

    def ends(self, contact: Contact, outcome: Outcome, t: float) -> None:
        """``contact`` ends with ``outcome`` at time ``t`` (seconds)."""
        contact.outcome = outcome
        contact.end_s = t
        self.report(contact)

    def report(self, contact: Contact) -> None:
        """The contact is over (outcome and end set): its experience updates the patron's
        loyalty, then the recorder hears of it."""
        if contact.channel != EMAIL:
            if contact.saw_distraction and contact.outcome is not BALKED:
                contact.ignored = not (contact.acknowledged and contact.ack_s - contact.arrival_s
                                       <= self.targets_s[contact.channel])
            retried = self.retrials is not None and self.retrials.retries(contact)
            if self._judging:
                if retried:  # judged on the patron's last attempt of the day
                    if self.day is not None:
                        self.day.add(contact, False, True, False)
                else:
                    self._judge(contact)
        elif self.judge is not None:
            if contact.complained:
                return  # a complaint handled (back-office work), not a contact
            if self._judging and self.judge.emails_scored and contact.outcome is SERVED:
                self._judge_email(contact, self.judge)
        self._contact_ended(contact)

    def _judge(self, c: Contact) -> None:
        """The contact's experience (:mod:`sim.model.experience`) sets its satisfaction and
        P(never return), and counts against the patron's record."""
        outcome = c.outcome
        walked_out = outcome in WALKOUTS
        served = outcome is SERVED
        joined = outcome is not BALKED and outcome is not BLOCKED
        share = 0.0
        patience = c.patience_s
        if joined and patience != math.inf and patience > 0.0:  # else wait_share is 0
            start = c.start_s  # wait_share(c.wait_s(), patience), inlined
            share = min(1.0, ((start if start == start else c.end_s) - c.arrival_s) / patience)
        if c.attempt and self.retrials is not None:  # a retry: the day's attempts so far
            share = self.retrials.share(c, share)
        judge = self.judge
        felt_out = walked_out or c.callback == LATE  # a late callback: judged as a walkout
        if judge is None:
            value, bad, delighted = self._score(
                felt_out, share, c.ignored, c.divided_attention, c.overtaken, c.scrutinised,
                served and c.thanked, c.resolved or not served, c.temperament)
        else:
            value, bad, delighted = judge.score(c, felt_out, share, served)
        c.satisfaction = value
        if bad:
            before = self.pool.bad.get(c.patron_id, 0)
            c.churn_p = churn_after_bad(before, c.overtaken or c.scrutinised, self.loyalty)
            self.pool.bad[c.patron_id] = before + 1
            if judge is not None:
                judge.complaint(c)
        if self.day is not None:
            self.day.add(c, delighted, walked_out, served)

    def _judge_email(self, c: Contact, judge: ConductJudge) -> None:
        """A scored e-mail reply: its lateness against the target and whether it resolved
        the matter, judged like any contact (and a bad one may bring a complaint)."""
        c.satisfaction, bad, _ = judge.score(c, False, judge.email_share(c), True)
        if bad:
            before = self.pool.bad.get(c.patron_id, 0)
            c.churn_p = churn_after_bad(before, False, self.loyalty)
            self.pool.bad[c.patron_id] = before + 1
            judge.complaint(c)
        if self.day is not None:
            self.day.add_email(c)
