"""Protocols the model calls. Policies see plain values and read-only views, never SimPy."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from sim.model.contact import Contact

if TYPE_CHECKING:
    from sim.config.sections import DistractionKind


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
    """Who, among those waiting on a channel, is served next — and how a staff member's
    bias (0 = none, 1 = full) colours treatment."""

    def choose(self, line: QueueView, bias: float, draw: Callable[[], float]) -> Contact | None:
        """The contact to serve next, or None if nobody is waiting. ``draw()`` gives
        Uniform(0, 1) values for policies that choose at random."""
        ...

    def ack_delay_factor(self, contact: Contact, bias: float) -> float:
        """How many times longer this staff member takes to greet ``contact`` (1 = no bias)."""
        ...

    def scrutinises(self, contact: Contact, bias: float, draw: Callable[[], float]) -> bool:
        """True if this staff member looks ``contact`` up and down while serving."""
        ...


class PhoneHandlingPolicy(Protocol):
    """Which channel a pooled staff member serves next, and what it does about a walk-in
    who arrives while it is on a call."""

    def order(self) -> tuple[str, ...]:
        """Channels in the order a free staff member looks at them."""
        ...

    def while_on_call(self) -> Response | None:
        """``HOLD_AND_GREET``, ``HOLD_AND_SERVE`` or None (the walk-in waits for the call)."""
        ...


# What a busy or distracted staff member does about a new arrival.
Response = str
INTERRUPT = "interrupt"            # break off the current activity, greet and serve
GESTURE = "gesture"                # acknowledge with a look and a gesture, carry on
HOLD_AND_GREET = "hold_and_greet"  # ask the caller to hold, greet the walk-in, resume
HOLD_AND_SERVE = "hold_and_serve"  # hold the caller while the walk-in is served


@dataclass(frozen=True)
class StaffView:
    """What an acknowledgment policy may know about a staff member at an arrival."""

    activity: str        # "idle", "serving", "greeting", "email" or a distraction kind
    interruptible: bool  # the current activity may be broken off
    noticed: bool        # the staff member has noticed the newcomer


class AcknowledgmentPolicy(Protocol):
    """When a waiting walk-in is acknowledged (greeted), apart from service start."""

    def greets_waiting_when_free(self) -> bool:
        """True: a staff member who finishes an activity greets every walk-in waiting unseen."""
        ...

    def notice_delay_s(self) -> float:
        """Seconds an attentive staff member takes to notice a new walk-in."""
        ...

    def response(self, staff: StaffView) -> Response | None:
        """What a staff member who is not idle does about a newcomer it noticed."""
        ...

    def responds_while_busy(self) -> bool:
        """False if :meth:`response` is always None (lets the model skip asking)."""
        ...


class StaffRule(Protocol):
    """A rule that changes the distraction kinds before the day starts."""

    def adjust(self, kinds: dict[str, DistractionKind]) -> dict[str, DistractionKind]:
        """The distraction kinds under this rule."""
        ...
