"""The waiting lines of one counter: walk-ins at the counter, calls ringing (up to the number
of phone lines), callers on hold, and the e-mail pile. Patience deadlines are checked lazily
(:mod:`sim.model.waiting_line`); whoever runs out of patience is ended through the outcome
book. No SimPy: times are passed in (seconds)."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable

from sim.model.contact import PHONE, WALK_IN, Contact
from sim.model.counter.outcomes import (
    ABANDONED,
    RENEGED_ACKNOWLEDGED,
    RENEGED_UNACKNOWLEDGED,
    OutcomeBook,
)
from sim.model.counter.scenes import Scenes
from sim.model.waiting_line import WaitingLine


class Lines:
    """Who waits, on which channel, until when."""

    def __init__(self, book: OutcomeBook, scenes: Scenes,
                 queue_changed: Callable[[float, str, int], None], phone_lines: int | None,
                 carried_emails: list[Contact] | None = None) -> None:
        """``phone_lines``: calls in the system at most (ringing, held or in service; None
        for no limit); ``carried_emails``: e-mails left unanswered yesterday."""
        self.book = book
        self._scenes = scenes
        self._queue_changed = queue_changed
        self.phone_lines = phone_lines or math.inf
        self.phone_in_system = 0
        self.walk_ins = WaitingLine(track_unseen=True)
        self.calls = WaitingLine()
        self.by_channel = {WALK_IN: self.walk_ins, PHONE: self.calls}
        self.on_leave: dict[str, Callable[[Contact], None]] = {
            WALK_IN: self.walk_in_leaves, PHONE: self.call_leaves}
        self.held: list[Contact] = []
        self.emails: deque[Contact] = deque(carried_emails or [])

    # ------------------------------------------------------------------ leaving

    def walk_in_leaves(self, contact: Contact) -> None:
        """A waiting walk-in ran out of patience (``contact.end_s`` is its deadline)."""
        self._queue_changed(contact.end_s, WALK_IN, self.walk_ins.count)
        contact.outcome = (RENEGED_ACKNOWLEDGED if contact.ack_s == contact.ack_s  # not NaN
                           else RENEGED_UNACKNOWLEDGED)
        contact.during_scene = bool(self._scenes.active)
        self.book.report(contact)

    def call_leaves(self, contact: Contact) -> None:
        """A ringing caller hung up (``contact.end_s`` is its deadline)."""
        self.phone_in_system -= 1
        self._queue_changed(contact.end_s, PHONE, self.calls.count)
        contact.outcome = ABANDONED
        self.book.report(contact)

    def expire_walk_ins(self, now: float) -> None:
        """Walk-ins whose patience ran out by ``now`` leave, in deadline order."""
        self.walk_ins.expire(now, self.walk_in_leaves)

    def rescale_walk_in_patience(self, now: float, factor: float) -> None:
        """Every waiting walk-in's remaining patience × ``factor`` (a scene began or ended)."""
        line = self.walk_ins
        for contact in line.waiting():
            if contact.deadline_s != math.inf:
                line.set_deadline(contact, now + (contact.deadline_s - now) * factor)

    # ------------------------------------------------------------------ holds

    def hold(self, call: Contact, now: float) -> None:
        """The caller is asked to hold; they hang up when their hold patience is spent.
        Hold patience is one budget per call: earlier holds (``held_s``) have used part of
        it."""
        call.hold_since_s = now
        call.hold_deadline_s = now + max(0.0, call.hold_patience_s - call.held_s)
        self.held.append(call)

    def expire_held(self, now: float) -> None:
        """Held callers whose hold patience ran out by ``now`` hang up."""
        for call in [c for c in self.held if c.hold_deadline_s <= now]:
            self.held.remove(call)
            call.held_s += call.hold_deadline_s - call.hold_since_s
            self.phone_in_system -= 1
            self.book.ends(call, ABANDONED, call.hold_deadline_s)

    def unhold(self, call: Contact, now: float) -> bool:
        """Back to a held caller at ``now``: True if they are still there."""
        self.expire_held(now)
        if call.outcome is not None:
            return False
        self.held.remove(call)
        call.held_s += now - call.hold_since_s
        return True

    # ------------------------------------------------------------------ e-mail

    def next_email(self, now: float, close_s: float) -> Contact | None:
        """The oldest unanswered e-mail, during opening hours only (before ``close_s``)."""
        if self.emails and now < close_s:
            return self.emails.popleft()
        return None

    def return_email(self, email: Contact) -> None:
        """An e-mail put aside half-answered goes back on top of the pile."""
        self.emails.appendleft(email)

    # ------------------------------------------------------------------ end of day

    def close(self, now: float, drain: bool) -> float:
        """Expire the lines at the end of the day: with ``drain``, everyone still waiting
        leaves at their deadline; returns the time the last one left (at least ``now``)."""
        end = now
        for channel, line in self.by_channel.items():
            until = line.next_deadline() if drain else end
            while drain and until != math.inf:
                line.expire(until, self.on_leave[channel])
                end = max(end, until)
                until = line.next_deadline()
            line.expire(end, self.on_leave[channel])
        self.expire_held(end)
        return end

    def remaining(self) -> list[Contact]:
        """Everyone still waiting or on hold (the lines are emptied)."""
        return [c for line in self.by_channel.values() for c in line.drain()] + self.held
