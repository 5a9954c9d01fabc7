"""Phone-handling policies: a pooled staff member with a ringing call and a waiting walk-in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.policies.registry import Registry

if TYPE_CHECKING:
    from sim.config import Scenario
    from sim.policies.base import PhoneHandlingPolicy

PHONE_HANDLING: Registry[PhoneHandlingPolicy] = Registry("phone_handling")


@PHONE_HANDLING.register("phone_first")
class PhoneFirst:
    """Answer the ringing phone; the walk-in waits until the call ends."""

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> PhoneFirst:
        return cls()

    def order(self) -> tuple[str, ...]:
        return ("phone", "walk_in")


@PHONE_HANDLING.register("walk_in_first")
class WalkInFirst:
    """Serve the person in front of you; the phone rings on."""

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> WalkInFirst:
        return cls()

    def order(self) -> tuple[str, ...]:
        return ("walk_in", "phone")
