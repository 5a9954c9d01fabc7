"""Acknowledgment policies: when a waiting walk-in is visibly registered by staff."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.policies.base import GESTURE, INTERRUPT, Response, StaffView
from sim.policies.registry import Registry

if TYPE_CHECKING:
    from sim.config.schema import Scenario
    from sim.policies.base import AcknowledgmentPolicy

ACKNOWLEDGMENT: Registry[AcknowledgmentPolicy] = Registry("acknowledgment")


@ACKNOWLEDGMENT.register("finish_first")
class FinishFirst:
    """Finish the current activity, then greet everyone waiting unseen.

    The customer is made to feel like an interruption (source guidance: the clerk finishing a chat).
    """

    greets_waiting_when_free = True
    responds_while_busy = False

    def __init__(self, notice_delay_s: float) -> None:
        self.notice_delay_s = notice_delay_s

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> FinishFirst:
        """The policy with the scenario's notice delay."""
        return cls(scenario.acknowledgment.notice_delay_s)

    def response(self, staff: StaffView) -> Response | None:
        """Never: the newcomer waits until the current activity ends."""
        return None


@ACKNOWLEDGMENT.register("greet_first")
class GreetFirst(FinishFirst):
    """Break off any interruptible activity (chat, personal call, paperwork, email) and greet
    within seconds; finish non-interruptible tasks (the pharmacist counting) first. A
    service under way is not broken off."""

    responds_while_busy = True

    def response(self, staff: StaffView) -> Response | None:
        """Break off a noticed, interruptible activity other than a service or greeting."""
        if staff.noticed and staff.interruptible and staff.activity not in ("serving", "greeting"):
            return INTERRUPT
        return None


@ACKNOWLEDGMENT.register("gesture_while_busy")
class GestureWhileBusy(FinishFirst):
    """Whatever they are doing, staff who notice a newcomer acknowledge them at once with a
    look and a gesture ("I'll be right with you"), then finish the activity."""

    responds_while_busy = True

    def response(self, staff: StaffView) -> Response | None:
        """A gesture whenever the newcomer is noticed."""
        return GESTURE if staff.noticed else None
