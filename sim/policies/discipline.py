"""Queue disciplines: who is served next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.policies.registry import Registry

if TYPE_CHECKING:
    from sim.config import Scenario
    from sim.contact import Contact
    from sim.policies.base import DisciplinePolicy, QueueView

DISCIPLINES: Registry[DisciplinePolicy] = Registry("discipline")


@DISCIPLINES.register("fifo")
class Fifo:
    """First come, first served."""

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> Fifo:
        return cls()

    def choose(self, line: QueueView) -> Contact | None:
        return line.first()
