"""One distraction kind as one staff member experiences it (rates after traits), and the
error of a service that distractions stretch without end. No SimPy."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.config.sections import DistractionKind
from sim.errors import UserInputError
from sim.model.contact import Contact
from sim.model.distributions import Draw


@dataclass(frozen=True)
class RuleMarks:
    """What the staff rules declare about distraction kinds (by kind name)."""

    with_permission: frozenset[str] = frozenset()        # asked for during a service
    stopped_for_customers: frozenset[str] = frozenset()  # broken off for a walk-in
    extra_s: dict[str, float] = field(default_factory=dict)  # seconds added per episode

    @property
    def any(self) -> bool:
        """True if any rule declares anything."""
        return bool(self.with_permission or self.stopped_for_customers or self.extra_s)


class Distraction:
    """One distraction kind for one staff member: rates per second, durations, visibility."""

    __slots__ = ("asks_permission", "duration", "idle_rate_s", "interruptible", "kind",
                 "makes_scene", "name", "serving_rate_s", "stops_for_customers", "visible")

    def __init__(self, name: str, kind: DistractionKind, rate_factor: float,
                 duration: Draw, marks: RuleMarks | None = None) -> None:
        """``rate_factor``: the member's trait multiplier on the kind's rates per hour;
        ``duration()`` draws one episode's length (seconds); ``marks``: what the staff rules
        declare about kinds (none: nothing)."""
        self.name = name
        self.kind = kind
        self.idle_rate_s = kind.idle_rate_per_hour * rate_factor / 3600.0
        self.serving_rate_s = kind.serving_rate_per_hour * rate_factor / 3600.0
        extra = marks.extra_s.get(name, 0.0) if marks is not None else 0.0
        self.duration = duration if not extra else (lambda: duration() + extra)
        # taken during a service only after asking the customer (staff rule)
        self.asks_permission = marks is not None and name in marks.with_permission
        # broken off for a walk-in the member notices, whatever the acknowledgment policy
        self.stops_for_customers = marks is not None and name in marks.stopped_for_customers
        self.visible = kind.visible            # customers can see it
        self.interruptible = kind.interruptible
        # A scene: arriving walk-ins balk more, or waiting ones lose patience faster.
        self.makes_scene = kind.balk_extra_probability > 0.0 or kind.patience_drain != 1.0


RUNAWAY = 100.0
"""A service whose work left passes this many times its own length (plus one episode's
additions) is growing without end: each distraction during it adds more questions asked
again than is served between distractions. The preflight refuses scenarios whose typical
services do this (:mod:`sim.preflight.attention`); this stops the rare one in a tail."""


class ServiceRunaway(UserInputError):
    """A service that distractions stretch without end (one line for the user; built by
    :func:`runaway`, a plain message so that SimPy and worker processes can copy it)."""


def runaway(contact: Contact, work: float, left: float, repeat: float) -> ServiceRunaway:
    """The error for ``contact``: ``work``, its service's own length, ``left``, the work left
    now (seconds); ``repeat``: the questions asked again per distraction, × the requirement."""
    channel = "call" if contact.channel == "phone" else contact.channel.replace("_", "-")
    return ServiceRunaway(
        f"a {channel} service would never end: distractions during it have "
        f"stretched it to {left:.3g} s of work left, over {RUNAWAY:g} times its own "
        f"{work:.3g} s (each adds {repeat:.3g} × its requirement of {contact.service_s:.3g} "
        "s in questions asked again, more than is served between distractions); use a "
        f"shorter demand.{contact.channel}.service, fewer distractions during service or "
        "a lower distractions.repeat_rate")
