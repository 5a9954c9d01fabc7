"""Phone-handling policies: a pooled staff member with a ringing call and a waiting walk-in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.policies.base import HOLD_AND_GREET, HOLD_AND_SERVE, Response
from sim.policies.registry import Registry

if TYPE_CHECKING:
    from sim.config.schema import Scenario
    from sim.policies.base import PhoneHandlingPolicy

PHONE_HANDLING: Registry[PhoneHandlingPolicy] = Registry("phone_handling")


@PHONE_HANDLING.register("phone_first")
class PhoneFirst:
    """Answer the ringing phone; the walk-in waits until the call ends."""

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> PhoneFirst:
        """The policy (no settings)."""
        return cls()

    def order(self) -> tuple[str, ...]:
        """Phone first, then the counter."""
        return ("phone", "walk_in")

    def while_on_call(self) -> Response | None:
        """None: the walk-in waits until the call ends."""
        return None


@PHONE_HANDLING.register("hold_and_greet")
class HoldAndGreet(PhoneFirst):
    """Politely ask the caller to hold, tell the walk-in you'll be with them shortly, return
    to the caller (source guidance: the sales clerk on the phone when a customer walks up)."""

    def while_on_call(self) -> Response | None:
        """Hold the caller to greet the walk-in."""
        return HOLD_AND_GREET


@PHONE_HANDLING.register("walk_in_first")
class WalkInFirst:
    """Serve the person in front of you; the phone rings on."""

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> WalkInFirst:
        """The policy (no settings)."""
        return cls()

    def order(self) -> tuple[str, ...]:
        """The counter first, then the phone."""
        return ("walk_in", "phone")

    def while_on_call(self) -> Response | None:
        """Hold the caller to serve the walk-in."""
        return HOLD_AND_SERVE
