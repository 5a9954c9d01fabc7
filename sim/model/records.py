"""What the model reports as it runs. The model calls a :class:`Recorder`; it never computes
statistics itself. :class:`ContactLog` keeps every contact (only when asked for)."""

from __future__ import annotations

import math
from typing import Protocol

from sim.model.contact import Contact


class Recorder(Protocol):
    """Receives the model's events, in simulated time order per channel."""

    def contact_ended(self, contact: Contact) -> None:
        """A contact left (served, walked out) or was still in the system at the end."""
        ...

    def queue_changed(self, t: float, channel: str, waiting: int) -> None:
        """From time ``t`` (s), ``waiting`` contacts wait on ``channel``."""
        ...

    def staff_changed(self, t: float, busy: int, on_duty: int) -> None:
        """From time ``t`` (s), ``busy`` staff are serving out of ``on_duty`` on duty."""
        ...

    def activity_changed(self, t: float, staff_id: int, activity: str) -> None:
        """From time ``t`` (s), staff member ``staff_id`` does ``activity``."""
        ...

    def run_ended(self, t: float) -> None:
        """The run (or, in a multi-day run, the day) stopped at time ``t`` (s)."""
        ...

    def day_ended(self, row: dict[str, float]) -> None:
        """A day of a multi-day run is over: its patrons, contacts, churn and revenue."""
        ...


class NullRecorder:
    """Ignores everything; subclass it to record only some events."""

    def contact_ended(self, contact: Contact) -> None:
        """Ignore the contact."""
        pass

    def queue_changed(self, t: float, channel: str, waiting: int) -> None:
        """Ignore the change."""
        pass

    def staff_changed(self, t: float, busy: int, on_duty: int) -> None:
        """Ignore the change."""
        pass

    def activity_changed(self, t: float, staff_id: int, activity: str) -> None:
        """Ignore the change."""
        pass

    def run_ended(self, t: float) -> None:
        """Ignore the end."""
        pass

    def day_ended(self, row: dict[str, float]) -> None:
        """Ignore the day's row."""
        pass


class ContactLog(NullRecorder):
    """Keeps one record per contact (memory grows with run length: ask for it explicitly)."""

    def __init__(self) -> None:
        self._contacts: list[Contact] = []

    @property
    def contacts(self) -> list[Contact]:
        """Every contact reported so far, in contact-id order."""
        self._contacts.sort(key=lambda c: c.id)
        return self._contacts

    def contact_ended(self, contact: Contact) -> None:
        """Keep the contact."""
        self._contacts.append(contact)

    def rows(self) -> list[dict[str, object]]:
        """Records in contact-id order."""
        return [c.as_record() for c in self.contacts]


class EventLog(NullRecorder):
    """Keeps queue-length and staff-count changes as reported (exact tests, timelines)."""

    def __init__(self) -> None:
        self.queue: dict[str, list[tuple[float, int]]] = {"walk_in": [], "phone": []}
        self.staff: list[tuple[float, int, int]] = []
        self.end_s = math.nan

    def queue_changed(self, t: float, channel: str, waiting: int) -> None:
        """Keep (t, waiting) for the channel."""
        self.queue[channel].append((t, waiting))

    def staff_changed(self, t: float, busy: int, on_duty: int) -> None:
        """Keep (t, busy, on duty)."""
        self.staff.append((t, busy, on_duty))

    def run_ended(self, t: float) -> None:
        """Keep the end time (s)."""
        self.end_s = t


class ActivityLog(NullRecorder):
    """Keeps every staff activity interval (for timelines; grows with run length)."""

    def __init__(self) -> None:
        self._open: dict[int, tuple[float, str]] = {}
        self.intervals: list[tuple[int, float, float, str]] = []

    def activity_changed(self, t: float, staff_id: int, activity: str) -> None:
        """Close the member's open interval (if it lasted) and open a new one."""
        started = self._open.get(staff_id)
        if started is not None and t > started[0]:
            self.intervals.append((staff_id, started[0], t, started[1]))
        self._open[staff_id] = (t, activity)

    def run_ended(self, t: float) -> None:
        """Close every open interval at ``t`` (s)."""
        for staff_id, (start, activity) in sorted(self._open.items()):
            if t > start:
                self.intervals.append((staff_id, start, t, activity))
        self._open.clear()

    def rows(self) -> list[dict[str, object]]:
        """One row per interval: staff id, start and end (s), activity."""
        return [{"staff_id": i, "start_s": a, "end_s": b, "activity": act}
                for i, a, b, act in sorted(self.intervals)]


class Tee:
    """Forwards every event to several recorders."""

    def __init__(self, *recorders: Recorder) -> None:
        self.recorders = recorders

    def contact_ended(self, contact: Contact) -> None:
        """Forward to every recorder."""
        for r in self.recorders:
            r.contact_ended(contact)

    def queue_changed(self, t: float, channel: str, waiting: int) -> None:
        """Forward to every recorder."""
        for r in self.recorders:
            r.queue_changed(t, channel, waiting)

    def staff_changed(self, t: float, busy: int, on_duty: int) -> None:
        """Forward to every recorder."""
        for r in self.recorders:
            r.staff_changed(t, busy, on_duty)

    def activity_changed(self, t: float, staff_id: int, activity: str) -> None:
        """Forward to every recorder."""
        for r in self.recorders:
            r.activity_changed(t, staff_id, activity)

    def day_ended(self, row: dict[str, float]) -> None:
        """Forward to every recorder."""
        for r in self.recorders:
            r.day_ended(row)

    def run_ended(self, t: float) -> None:
        """Forward to every recorder."""
        for r in self.recorders:
            r.run_ended(t)
