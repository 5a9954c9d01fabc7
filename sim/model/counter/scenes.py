"""Distractions as customers see them: visible episodes, and scenes that make walk-ins
balk more and lose patience faster while they last."""

from __future__ import annotations

import math

from sim.model.contact import WALK_IN
from sim.model.counter.outcomes import ContactOutcomes
from sim.model.staff_agent import Distraction, StaffAgent


class Scenes(ContactOutcomes):
    """Visible distractions and the scenes they make."""

    def distraction_started(self, agent: StaffAgent, d: Distraction) -> None:
        """A visible episode is seen by customers; a scene changes balking and patience."""
        if d.visible:
            self.visibly_distracted += 1
        if d.makes_scene:
            self._set_scene([*self.scenes, d])

    def distraction_ended(self, agent: StaffAgent, d: Distraction) -> None:
        """The episode is over."""
        if d.visible:
            self.visibly_distracted -= 1
        if self.scenes and d in self.scenes:
            rest = list(self.scenes)
            rest.remove(d)
            self._set_scene(rest)

    def _set_scene(self, scenes: list[Distraction]) -> None:
        """While a scene lasts, waiting walk-ins lose patience ``patience_drain`` times as
        fast: deadlines are rescaled at its start and end (lazily checked as before)."""
        now = self.env.now
        line = self.lines[WALK_IN]
        line.expire(now, self._walk_in_leaves)
        drain = max((s.kind.patience_drain for s in scenes), default=1.0)
        if drain != self.scene_drain:
            factor = self.scene_drain / drain
            for contact in line.waiting():
                if contact.deadline_s != math.inf:
                    line.set_deadline(contact, now + (contact.deadline_s - now) * factor)
        self.scenes = scenes
        self.scene_drain = drain
        self.scene_balk = max((s.kind.balk_extra_probability for s in scenes), default=0.0)
