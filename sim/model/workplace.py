"""The declared interface between a staff member and its counter, both ways:
:class:`Workplace` is what :class:`~sim.model.staff_agent.StaffAgent` may ask of the
counter, :class:`Colleague` what the counter's parts may read of a staff member and ask of it.

The agent never reaches into the counter's parts and the counter never writes the agent's
fields: every exchange goes through these calls (or the agent's own methods)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sized
from dataclasses import dataclass
from typing import Protocol

import simpy

from sim.model.contact import Contact
from sim.model.distraction import Distraction
from sim.model.waiting_line import WaitingLine
from sim.policies.base import Response

# Why a sleeping staff member woke up.
NOTICED = "noticed"      # a new arrival: notice it first
SHIFT = "shift"          # a shift started: look at the lines at once
DISTRACT = "distract"    # the next idle distraction is due


@dataclass(frozen=True)
class ServiceSettings:
    """The counter's settings a staff member works by (times in seconds)."""

    close_s: float             # closing time: no distraction timers or e-mails after it
    notice_delay_s: float      # an attentive member notices a newcomer after this long
    greet_s: float             # a greeting during a hold takes this long
    slowdown: float            # share of service progress lost during divided attention
    repeat_extra: float        # extra service (× requirement) from questions asked again
    may_hold: bool             # calls may be held for walk-ins (phone-handling policy)
    interrupts_service: bool   # hand-made episodes may interrupt a service (exact tests)
    ask_s: float = 0.0         # asking the customer's permission to take a call


class Colleague(Protocol):
    """A staff member as the counter's parts see it: what they read, and what they ask."""

    id: int
    role: str
    bias: float                                # appearance bias strength, 0..1
    channels: tuple[str, ...]                  # the channels it serves
    serves_walk_ins: bool
    watched: tuple[tuple[WaitingLine, Callable[[Contact], None]], ...]  # (line, on_leave)
    choices: tuple[tuple[str, WaitingLine], ...]  # (channel, line), in policy order
    on_duty: bool
    sleeping: bool
    holdable: bool                             # on a call that may be put on hold now
    interruptible: bool
    activity: str
    episode: Distraction | None
    segment: int                               # changes with every change of activity
    notice_delay_s: float
    notice_factor: float                       # divides P(notice) while distracted
    serving: Contact | None

    sleep_token: int                           # numbers the member's idle spells

    def wake(self, reason: str) -> None:
        """End the member's idle spell for ``reason`` (e.g. a newcomer to notice)."""
        ...

    def update_presence(self) -> int:
        """Re-read whether the member is present (on duty, or finishing a contact after the
        shift ended): +1 if it just became present, -1 if it just left, else 0."""
        ...

    def interrupt(self, cause: object) -> None:
        """Interrupt the member's current activity with ``cause``."""
        ...

    def is_running(self) -> bool:
        """True once the member's process has started."""
        ...

    def take(self, contact: Contact, now: float) -> int:
        """Start serving ``contact`` at ``now`` (holding any call under way); returns the
        change in presence (+1 if the member just became present, else 0)."""
        ...

    def finish_contact(self) -> int:
        """The contact served is done (back to a held call, if any); returns the change in
        presence (-1 if the member, off duty, is now free, else 0)."""
        ...

    def drop_call(self, call: Contact) -> bool:
        """The held ``call`` hung up; True if the member was serving it (now serves nobody)."""
        ...

    def set_activity(self, activity: str, now: float, interruptible: bool = False,
                     episode: Distraction | None = None) -> None:
        """Switch activity at ``now`` (seconds)."""
        ...


class Workplace(Protocol):
    """The counter as a staff member sees it."""

    env: simpy.Environment

    def next_work(self, agent: Colleague, now: float) -> Contact | None:
        """Greet whoever waits unseen (per policy), then the next contact to serve, taken
        out of its line, or None."""
        ...

    def start_service(self, agent: Colleague, contact: Contact, now: float) -> None:
        """``agent`` starts serving ``contact`` at ``now``."""
        ...

    def end_service(self, agent: Colleague, contact: Contact, now: float) -> None:
        """``agent`` finished serving ``contact`` at ``now``: it leaves served."""
        ...

    def hold_due(self, agent: Colleague) -> Response | None:
        """The hold the phone-handling policy asks of ``agent`` (on a call) now, or None."""
        ...

    def hold_call(self, call: Contact) -> None:
        """The caller is put on hold now."""
        ...

    def resume_call(self, agent: Colleague, call: Contact) -> None:
        """Back to the held caller (or find they hung up)."""
        ...

    def take_walk_in(self, agent: Colleague) -> Contact | None:
        """The next walk-in for ``agent``, who holds a call to serve them, or None."""
        ...

    def acknowledge_walk_ins(self, agent: Colleague) -> None:
        """``agent`` greets every walk-in waiting unseen."""
        ...

    def email_pile(self) -> Sized:
        """The e-mail pile, to see whether any e-mail waits (read only; asked once, when
        the member is built)."""
        ...

    def next_email(self, agent: Colleague) -> Contact | None:
        """The oldest unanswered e-mail, during opening hours, or None."""
        ...

    def return_email(self, email: Contact) -> None:
        """A half-answered e-mail goes back on top of the pile."""
        ...

    def email_answered(self, email: Contact) -> None:
        """An e-mail has been answered now."""
        ...

    def distraction_started(self, agent: Colleague, d: Distraction) -> None:
        """``agent`` starts episode ``d`` (customers may see it)."""
        ...

    def distraction_ended(self, agent: Colleague, d: Distraction) -> None:
        """``agent``'s episode ``d`` is over."""
        ...

    def rest_queue(self, role: str) -> deque[tuple[Colleague, int]]:
        """Where an idle member of ``role`` registers (itself, its sleep token), so that an
        arrival may wake it; asked once, when the member is built."""
        ...

    def pass_on(self, agent: Colleague) -> None:
        """``agent`` was woken for work it can no longer take (its shift ended while it was
        noticing): wake a colleague for each line with someone waiting."""
        ...
