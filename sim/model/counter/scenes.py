"""Distractions as customers see them: how many staff are visibly distracted, and the scenes
(visible episodes such as an argument) that make arriving walk-ins balk more and waiting
ones lose patience faster while they last. Pure bookkeeping, no SimPy."""

from __future__ import annotations

from sim.model.distraction import Distraction


class Scenes:
    """What customers at the counter see of the staff's distractions right now."""

    def __init__(self) -> None:
        """Nobody distracted, no scene."""
        self.visibly_distracted = 0         # staff members in a visible episode
        self.active: list[Distraction] = []  # episodes that make a scene
        self.balk_extra = 0.0                # added to an arriving walk-in's P(balk)
        self.drain = 1.0                     # waiting walk-ins lose patience × this fast

    def started(self, d: Distraction) -> bool:
        """Episode ``d`` starts; True if it changes the scene (call :meth:`set_scene`)."""
        if d.visible:
            self.visibly_distracted += 1
        return d.makes_scene

    def ended(self, d: Distraction) -> bool:
        """Episode ``d`` ends; True if it was part of the scene (call :meth:`set_scene`)."""
        if d.visible:
            self.visibly_distracted -= 1
        return bool(self.active) and d in self.active

    def with_episode(self, d: Distraction, starting: bool) -> list[Distraction]:
        """The scene's episodes once ``d`` starts (or ends)."""
        if starting:
            return [*self.active, d]
        rest = list(self.active)
        rest.remove(d)
        return rest

    def set_scene(self, scenes: list[Distraction]) -> float:
        """Make ``scenes`` the scene; returns the factor by which waiting walk-ins' remaining
        patience is to be rescaled (1.0: unchanged)."""
        drain = max((s.kind.patience_drain for s in scenes), default=1.0)
        factor = self.drain / drain if drain != self.drain else 1.0
        self.active = scenes
        self.drain = drain
        self.balk_extra = max((s.kind.balk_extra_probability for s in scenes), default=0.0)
        return factor
