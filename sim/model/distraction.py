"""One distraction kind as one staff member experiences it (rates after traits). No SimPy."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.config.sections import DistractionKind
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
