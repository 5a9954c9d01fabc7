"""A waiting line with lazily checked patience deadlines.

Customers are not SimPy processes: each waiting contact has a deadline known at arrival
(arrival + patience, stretched when acknowledged). Instead of one timeout per customer,
the line keeps a heap of deadlines and expires them in time order whenever the model
looks at the line. The model calls :meth:`expire` before every change, so reneges are
processed in time order and time-weighted statistics stay exact.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Callable

from sim.model.contact import Contact


class WaitingLine:
    """Contacts waiting on one channel, in arrival order."""

    __slots__ = ("_deadlines", "_order", "_track_unseen", "_unseen", "count", "next_due")

    def __init__(self, track_unseen: bool = False) -> None:
        """``track_unseen``: remember who has not been acknowledged (walk-in lines)."""
        self._track_unseen = track_unseen
        self._order: deque[Contact] = deque()
        self._unseen: deque[Contact] = deque()
        self._deadlines: list[tuple[float, int, Contact]] = []
        self.count = 0
        # The earliest deadline in the heap (inf if none), perhaps of someone who has left:
        # ``expire(now)`` can only do something when ``next_due <= now``.
        self.next_due = math.inf

    def add(self, contact: Contact) -> None:
        """Put an arriving contact at the back of the line."""
        contact.waiting = True
        self._order.append(contact)
        if self._track_unseen:
            self._unseen.append(contact)
        deadline_s = contact.deadline_s
        if deadline_s != math.inf:
            heap = self._deadlines
            heapq.heappush(heap, (deadline_s, contact.id, contact))
            self.next_due = heap[0][0]
        self.count += 1

    def _push(self, deadline_s: float, contact: Contact) -> None:
        heap = self._deadlines
        heapq.heappush(heap, (deadline_s, contact.id, contact))
        self.next_due = heap[0][0]

    def expire(self, now: float, on_leave: Callable[[Contact], None]) -> None:
        """Remove, in deadline order, every contact whose patience ran out by ``now``.

        ``on_leave(contact)`` is called for each, with ``contact.end_s`` set to its deadline.
        """
        if self.next_due > now:
            return
        heap = self._deadlines
        while heap and heap[0][0] <= now:
            deadline, _, contact = heapq.heappop(heap)
            if contact.waiting and contact.deadline_s == deadline:
                contact.waiting = False
                contact.end_s = deadline
                self.count -= 1
                on_leave(contact)
        self.next_due = heap[0][0] if heap else math.inf

    def next_deadline(self) -> float:
        """Earliest pending deadline (inf if none); stale entries are dropped."""
        heap = self._deadlines
        while heap and not (heap[0][2].waiting and heap[0][2].deadline_s == heap[0][0]):
            heapq.heappop(heap)
        self.next_due = heap[0][0] if heap else math.inf
        return self.next_due

    def first(self) -> Contact | None:
        """The earliest-arrived contact still waiting, or None."""
        order = self._order
        while order and not order[0].waiting:
            order.popleft()
        return order[0] if order else None

    def pop_first(self) -> Contact | None:
        """The earliest-arrived contact still waiting, taken out of the line (first come,
        first served): :meth:`first` then :meth:`remove`."""
        order = self._order
        while order:
            contact = order.popleft()
            if contact.waiting:
                contact.waiting = False
                self.count -= 1
                return contact
        return None

    def waiting(self) -> list[Contact]:
        """All contacts still waiting, earliest first."""
        return [c for c in self._order if c.waiting]

    def remove(self, contact: Contact) -> None:
        """Take ``contact`` out of the line (it is about to be served)."""
        contact.waiting = False
        self.count -= 1

    def has_unseen(self) -> bool:
        """True if someone may be waiting unacknowledged (cheap check before take_unseen)."""
        return bool(self._unseen)

    def unseen(self) -> list[Contact]:
        """Waiting contacts nobody has acknowledged yet (left in place)."""
        return [c for c in self._unseen if c.waiting and c.ack_s != c.ack_s]  # ack_s NaN

    def take_unseen(self) -> list[Contact]:
        """Waiting contacts nobody has acknowledged yet (each returned once)."""
        unseen = self._unseen
        taken = [c for c in unseen if c.waiting and c.ack_s != c.ack_s]  # not acknowledged
        unseen.clear()
        return taken

    def keep_unseen(self, contacts: list[Contact]) -> None:
        """Put ``contacts`` (taken by :meth:`take_unseen`, not yet acknowledged) back among
        the unseen: someone may still greet them."""
        self._unseen.extend(contacts)

    def acknowledge_unseen(self, now: float, patience_multiplier: float) -> None:
        """Greet everyone waiting unseen, all at ``now`` (each once): their ``ack_s`` is set
        and their remaining patience stretched by ``patience_multiplier``."""
        unseen = self._unseen
        if not unseen:
            return
        stretch = patience_multiplier != 1.0
        for c in unseen:
            if c.waiting and c.ack_s != c.ack_s:  # not acknowledged yet (NaN)
                c.ack_s = now
                if stretch and c.deadline_s != math.inf:
                    self.set_deadline(c, now + (c.deadline_s - now) * patience_multiplier)
        unseen.clear()

    def set_deadline(self, contact: Contact, deadline_s: float) -> None:
        """Move a waiting contact's patience deadline (e.g. after acknowledgment)."""
        contact.deadline_s = deadline_s
        if deadline_s != math.inf:
            self._push(deadline_s, contact)

    def drain(self) -> list[Contact]:
        """Everyone still waiting (at the end of a run), earliest first."""
        left = self.waiting()
        for contact in left:
            contact.waiting = False
        self.count = 0
        return left
