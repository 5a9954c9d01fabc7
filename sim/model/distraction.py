"""One distraction kind as one staff member experiences it (rates after traits). No SimPy."""

from __future__ import annotations

from sim.config.sections import DistractionKind
from sim.model.distributions import Draw


class Distraction:
    """One distraction kind for one staff member: rates per second, durations, visibility."""

    __slots__ = ("duration", "idle_rate_s", "interruptible", "kind", "makes_scene", "name",
                 "serving_rate_s", "visible")

    def __init__(self, name: str, kind: DistractionKind, rate_factor: float,
                 duration: Draw) -> None:
        """``rate_factor``: the member's trait multiplier on the kind's rates per hour;
        ``duration()`` draws one episode's length (seconds)."""
        self.name = name
        self.kind = kind
        self.idle_rate_s = kind.idle_rate_per_hour * rate_factor / 3600.0
        self.serving_rate_s = kind.serving_rate_per_hour * rate_factor / 3600.0
        self.duration = duration
        self.visible = kind.visible            # customers can see it
        self.interruptible = kind.interruptible
        # A scene: arriving walk-ins balk more, or waiting ones lose patience faster.
        self.makes_scene = kind.balk_extra_probability > 0.0 or kind.patience_drain != 1.0
