"""Balking policies: whether an arriving walk-in joins the line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.policies.registry import Registry

if TYPE_CHECKING:
    from sim.config.schema import Scenario
    from sim.policies.base import BalkingPolicy

BALKING: Registry[BalkingPolicy] = Registry("balking")


@BALKING.register("queue_length")
class QueueLengthBalking:
    """``min(cap, slope · max(0, q − free))``: walk-ins react to the visible line.

    Lu et al. 2013: walk-ins respond to the visible queue length, not to service speed.
    """

    may_balk = True

    def __init__(self, free_waiting: int, per_extra_waiting: float, max_probability: float) -> None:
        self.free_waiting = free_waiting
        self.per_extra_waiting = per_extra_waiting
        self.max_probability = max_probability

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> QueueLengthBalking:
        """The policy with the scenario's balking settings."""
        b = scenario.balking
        return cls(b.free_waiting, b.per_extra_waiting, b.max_probability)

    def probability(self, waiting: int) -> float:
        """``min(max_probability, per_extra_waiting · max(0, waiting − free_waiting))``."""
        extra = waiting - self.free_waiting
        if extra <= 0:
            return 0.0
        return min(self.max_probability, self.per_extra_waiting * extra)


@BALKING.register("none")
class NoBalking:
    """Every walk-in joins, however long the line (validation mode)."""

    may_balk = False

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> NoBalking:
        """The policy (no settings)."""
        return cls()

    def probability(self, waiting: int) -> float:
        """Always 0: nobody balks."""
        return 0.0
