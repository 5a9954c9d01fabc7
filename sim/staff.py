"""A staff member as a SimPy process: look for work, serve, or sleep until woken."""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import simpy

from sim.contact import Contact
from sim.roster import ROLE_CHANNELS, StaffMember

if TYPE_CHECKING:
    from sim.counter import Counter


class StaffAgent:
    """One staff member's state and process."""

    __slots__ = ("channels", "counter", "id", "member", "on_duty", "order", "role",
                 "present", "serving", "sleep_token", "sleeping", "wake_event")

    def __init__(self, member: StaffMember, counter: Counter,
                 policy_order: tuple[str, ...]) -> None:
        self.member = member
        self.id = member.id
        self.role = member.role
        self.counter = counter
        self.channels = ROLE_CHANNELS[member.role]
        self.order = tuple(ch for ch in policy_order if ch in self.channels)
        self.on_duty = False
        self.present = False
        self.sleeping = False
        self.sleep_token = 0
        self.wake_event: simpy.Event | None = None
        self.serving: Contact | None = None

    @property
    def serves_walk_ins(self) -> bool:
        """True if this member's role includes the counter."""
        return "walk_in" in self.channels

    def sleep(self) -> simpy.Event:
        """Become idle until :meth:`wake` (an arrival, or a shift start)."""
        self.sleeping = True
        self.sleep_token += 1
        self.wake_event = event = simpy.Event(self.counter.env)
        if self.on_duty:
            self.counter.became_idle(self)
        return event

    def wake(self, noticed_arrival: bool) -> None:
        """End the idle wait; ``noticed_arrival`` means a new walk-in or call needs noticing."""
        self.sleeping = False
        assert self.wake_event is not None
        self.wake_event.succeed(noticed_arrival)

    def process(self) -> Generator[simpy.Event, Any, None]:
        """Serve while on duty; finish the current contact when a shift ends."""
        counter = self.counter
        env = counter.env
        notice_delay = counter.notice_delay_s
        while True:
            if self.on_duty:
                contact = counter.next_work(self)
                if contact is not None:
                    counter.start_service(self, contact)
                    yield env.timeout(contact.service_s)
                    counter.end_service(self, contact)
                    continue
            noticed = yield self.sleep()
            if noticed and notice_delay > 0.0:
                yield env.timeout(notice_delay)
                if not self.on_duty:
                    counter.pass_on(self)
