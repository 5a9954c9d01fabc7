"""Protocols the model calls: each policy family's contract. Policies see plain values and
read-only views, never SimPy, and never import the model.

Every protocol states when the model calls each hook, and declares *capability flags*
(class attributes) that let the model skip hooks that cannot matter. A policy that sets a
flag wrongly is wrong; a policy that sets it honestly works without touching the model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from sim.config.sections import DistractionKind


class Customer(Protocol):
    """What a policy may read of a waiting customer (times in seconds)."""

    @property
    def channel(self) -> str:
        """"walk_in" or "phone"."""
        ...

    @property
    def arrival_s(self) -> float:
        """When the customer arrived."""
        ...

    @property
    def plain(self) -> bool:
        """The patron looks plain (else polished): the cue staff see."""
        ...

    @property
    def top(self) -> bool:
        """The patron is a top-tier spender (known to a loyalty programme)."""
        ...


IN_VIEW = "walk_in"  # the channel whose customers staff can see (looks act only on them)

C = TypeVar("C", bound=Customer)
C_co = TypeVar("C_co", bound=Customer, covariant=True)


class BalkingPolicy(Protocol):
    """Chance that an arriving walk-in leaves at once.

    Capability flag: ``may_balk`` — False if :meth:`probability` is always 0; then it is
    never called (a scene can still make walk-ins balk).
    """

    may_balk: bool

    def probability(self, waiting: int) -> float:
        """P(balk) for a walk-in who sees ``waiting`` customers visibly waiting. Called, if
        ``may_balk``, for every walk-in arrival (a scene may add to it)."""
        ...


class QueueView(Protocol[C_co]):
    """Read-only view of one waiting line, in arrival order."""

    def first(self) -> C_co | None:
        """The earliest-arrived customer still waiting."""
        ...

    def waiting(self) -> Sequence[C_co]:
        """Every customer still waiting, earliest first (O(n): for non-FIFO disciplines)."""
        ...


class DisciplinePolicy(Protocol):
    """Who, among those waiting on a channel, is served next — and how a staff member's
    bias (0 = none, 1 = full, per member) colours treatment.

    Capability flags (class attributes):

    - ``in_arrival_order``: True only if :meth:`choose` always returns the line's first
      customer, :meth:`ack_delay_factor` is always 1 and :meth:`scrutinises` always False;
      the model then takes the head of the line without asking (the fast path).
    - ``may_delay_greetings``: False if :meth:`ack_delay_factor` is always 1; then it is
      never called. True: it is called for every walk-in greeted while waiting.
    - ``may_scrutinise``: False if :meth:`scrutinises` is always False; then it is never
      called. True: it is called at the start of every walk-in's service.
    """

    in_arrival_order: bool
    may_delay_greetings: bool
    may_scrutinise: bool

    def choose(self, line: QueueView[C], bias: float, draw: Callable[[], float]) -> C | None:
        """The customer to serve next, or None if nobody is waiting. Called whenever a
        free staff member (of ``bias``) looks at a line with someone waiting, unless
        ``in_arrival_order``. ``draw()`` gives Uniform(0, 1) values for policies that
        choose at random (a shared stream: draw only when needed)."""
        ...

    def ack_delay_factor(self, customer: Customer, bias: float) -> float:
        """How many times longer (from arrival) a staff member of ``bias`` takes to greet
        ``customer`` (1 = at once). Called, if ``may_delay_greetings``, for each walk-in
        waiting unseen when a staff member greets the line."""
        ...

    def scrutinises(self, customer: Customer, bias: float, draw: Callable[[], float]) -> bool:
        """True if a staff member of ``bias`` looks ``customer`` up and down while serving.
        Called, if ``may_scrutinise``, when a walk-in's service starts."""
        ...


class PhoneHandlingPolicy(Protocol):
    """Which channel a pooled staff member serves next, and what it does about a walk-in
    who arrives while it is on a call."""

    def order(self) -> tuple[str, ...]:
        """Channels in the order a free staff member looks at them. Called once per staff
        member when the day starts."""
        ...

    def while_on_call(self) -> Response | None:
        """``HOLD_AND_GREET``, ``HOLD_AND_SERVE`` or None (the walk-in waits for the call).
        Called when the day starts (None: calls are never held) and whenever a walk-in
        arrives or waits while a pooled member is on a call."""
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
    """When a waiting walk-in is acknowledged (greeted), apart from service start.

    Settings and capability flags (attributes):

    - ``greets_waiting_when_free``: a staff member who looks for work greets every walk-in
      waiting unseen.
    - ``notice_delay_s``: seconds an attentive idle staff member takes to notice a newcomer.
    - ``responds_while_busy``: False if :meth:`response` always returns None; then it is
      never called.
    """

    greets_waiting_when_free: bool
    notice_delay_s: float
    responds_while_busy: bool

    def response(self, staff: StaffView) -> Response | None:
        """What a staff member who is not idle does about a newcomer. Called, if
        ``responds_while_busy``, when a contact arrives and nobody is idle: once for each
        on-duty member serving the channel; the promptest responder acts after its notice
        delay (a GESTURE is ignored for a call)."""
        ...


class StaffRule(Protocol):
    """A rule that changes the distraction kinds before the day starts.

    Declared sets (read once, when the day starts): ``with_permission`` — kinds that, during
    a service, are taken only after asking the customer; ``stopped_for_customers`` — kinds
    a clerk breaks off for a walk-in it notices, whatever the acknowledgment policy;
    ``extra_s`` — seconds added to each episode of a kind.
    """

    with_permission: frozenset[str]
    stopped_for_customers: frozenset[str]
    extra_s: dict[str, float]

    def adjust(self, kinds: dict[str, DistractionKind]) -> dict[str, DistractionKind]:
        """The distraction kinds under this rule."""
        ...
