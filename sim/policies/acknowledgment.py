"""Acknowledgment policies: when a waiting walk-in is visibly registered by staff."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.policies.registry import Registry

if TYPE_CHECKING:
    from sim.config import Scenario
    from sim.policies.base import AcknowledgmentPolicy

ACKNOWLEDGMENT: Registry[AcknowledgmentPolicy] = Registry("acknowledgment")


@ACKNOWLEDGMENT.register("finish_first")
class FinishFirst:
    """Finish the current activity, then greet everyone waiting unseen.

    The customer is made to feel like an interruption (seeds: the clerk finishing a chat).
    """

    def __init__(self, notice_delay_s: float) -> None:
        self._notice_delay_s = notice_delay_s

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> FinishFirst:
        return cls(scenario.acknowledgment.notice_delay_s)

    def greets_waiting_when_free(self) -> bool:
        return True

    def notice_delay_s(self) -> float:
        return self._notice_delay_s
