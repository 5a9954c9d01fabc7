"""The staff room: who is idle (and which idle member an arrival wakes), and how many staff
are busy and present (reported to the recorder). No SimPy: the members wake themselves."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from sim.model.contact import EMAIL, PHONE, WALK_IN
from sim.model.roster import ROLES
from sim.model.workplace import NOTICED, Colleague

# Which idle staff to wake for an arrival: specialists first, then pooled staff.
WAKE_ORDER = {WALK_IN: ("counter", "both"), PHONE: ("phone", "both"),
              EMAIL: ("counter", "phone", "both")}


class StaffRoom:
    """Idle staff by role, and the counts of staff busy and present."""

    def __init__(self, staff_changed: Callable[[float, int, int], None]) -> None:
        """``staff_changed(t, busy, present)``: the recorder's hook."""
        self._staff_changed = staff_changed
        self.idle: dict[str, deque[tuple[Colleague, int]]] = {r: deque() for r in ROLES}
        self._idle_for = {ch: tuple(self.idle[r] for r in roles)
                          for ch, roles in WAKE_ORDER.items()}
        self.busy = 0
        self.on_duty = 0  # present: on duty, or finishing a contact after the shift

    def rest_queue(self, role: str) -> deque[tuple[Colleague, int]]:
        """Where an idle member of ``role`` registers (itself, its sleep token)."""
        return self.idle[role]

    def wake_idle(self, channel: str) -> bool:
        """Wake the first idle member who serves ``channel`` (by :data:`WAKE_ORDER`); True if
        one was woken."""
        for idle in self._idle_for[channel]:
            while idle:
                member, token = idle.popleft()
                if member.sleeping and member.on_duty and member.sleep_token == token:
                    member.wake(NOTICED)
                    return True
        return False

    def report(self, now: float) -> None:
        """Tell the recorder how many are busy and present from ``now``."""
        self._staff_changed(now, self.busy, self.on_duty)

    def count_present(self, member: Colleague, now: float) -> None:
        """Staff present = on duty, or still finishing a contact after the shift ended
        (overtime counts as working time, so utilisation stays within [0, 1])."""
        self.on_duty += member.update_presence()
        self._staff_changed(now, self.busy, self.on_duty)
