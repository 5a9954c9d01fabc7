"""Protocols the model calls. Policies see plain values and read-only views, never SimPy."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sim.contact import Contact


class BalkingPolicy(Protocol):
    """Chance that an arriving walk-in leaves at once."""

    def probability(self, waiting: int) -> float:
        """P(balk) for a walk-in who sees ``waiting`` customers visibly waiting."""
        ...


class QueueView(Protocol):
    """Read-only view of one waiting line, in arrival order."""

    def first(self) -> Contact | None:
        """The earliest-arrived contact still waiting."""
        ...

    def waiting(self) -> Sequence[Contact]:
        """Every contact still waiting, earliest first (O(n): for non-FIFO disciplines)."""
        ...


class DisciplinePolicy(Protocol):
    """Who, among those waiting on a channel, is served next."""

    def choose(self, line: QueueView) -> Contact | None:
        """The contact to serve next, or None if nobody is waiting."""
        ...


class PhoneHandlingPolicy(Protocol):
    """Which channel a pooled staff member serves next."""

    def order(self) -> tuple[str, ...]:
        """Channels in the order a free staff member looks at them."""
        ...


class AcknowledgmentPolicy(Protocol):
    """When a waiting walk-in is acknowledged (greeted), apart from service start."""

    def greets_waiting_when_free(self) -> bool:
        """True: a staff member who finishes an activity greets every walk-in waiting unseen."""
        ...

    def notice_delay_s(self) -> float:
        """Seconds an attentive, idle staff member takes to notice a new walk-in."""
        ...
