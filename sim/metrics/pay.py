"""The counter's costs: paid staff time (with overtime) and the fixed cost of open hours,
in total and per time slot. Fed by the staff's activities; changes no other metric.

Definitions (money in the scenario's currency unit; times in seconds on the clock):

* A member's **paid time** is its time present: from the first activity that is not
  ``off`` to the next ``off`` (on duty, or finishing a service after its shift or after
  closing; staff on duty at closing stay, and are paid, until the day's last event).
* In each day, a member's first ``contracted_s`` seconds of paid time cost its role's wage
  per hour; every later second costs the wage × ``overtime_rate``. Hours before the end of
  warm-up count towards the contracted hours but are not costed (as every metric, cost is
  measured after warm-up).
* The **fixed cost** is ``fixed_per_hour`` for every hour the counter is open (opening to
  closing; from the end of warm-up on day 0), whatever the staffing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

DAY_S = 86400.0
OFF = "off"
Key = tuple[int, int]  # (day, slot)


class Grid(Protocol):
    """What the payroll needs of the slot grid (:class:`~sim.metrics.slots.SlotGrid`)."""

    def split(self, day: int, start: float, end: float) -> dict[Key, float]:
        """Seconds of ``[start, end]`` in each slot of day ``day``."""
        ...


class Payroll:
    """Paid staff time, its cost and the fixed cost, in total and per slot if given a grid."""

    def __init__(self, wages_per_hour: Sequence[float], contracted_s: float = math.inf,
                 overtime_rate: float = 1.0, fixed_per_hour: float = 0.0,
                 start_s: float = 0.0, hours: tuple[float, float] = (0.0, 0.0),
                 grid: Grid | None = None) -> None:
        """``wages_per_hour``: each member's (by id) cost per paid hour (money);
        ``contracted_s``: seconds a day at the plain wage; ``overtime_rate``: the multiplier
        after them (≥ 1); ``fixed_per_hour``: money per open hour; ``start_s``: the end of
        warm-up (clock, s); ``hours``: opening and closing (s after midnight); ``grid``:
        split costs per slot (None: totals only)."""
        self.wages_s = [w / 3600.0 for w in wages_per_hour]
        self.contracted_s = contracted_s
        self.overtime_rate = overtime_rate
        self.fixed_s = fixed_per_hour / 3600.0
        self.start_s = start_s
        self.open_s, self.close_s = hours
        self.grid = grid
        self.since: dict[int, float] = {}       # member → start of its present span
        self.worked: dict[Key, float] = {}      # (member, day) → paid seconds so far
        self.staff_cost = self.paid_s = self.overtime_s = self.fixed_cost = 0.0
        self.slot_staff_cost: dict[Key, float] = {}
        self.slot_fixed_cost: dict[Key, float] = {}

    def changed(self, t: float, staff_id: int, activity: str) -> None:
        """``staff_id`` does ``activity`` from ``t`` (s): a present span starts or ends."""
        if activity == OFF:
            since = self.since.pop(staff_id, None)
            if since is not None:
                self.book(staff_id, since, t)
        elif staff_id not in self.since:
            self.since[staff_id] = t

    def day_closed(self, day: int, t: float) -> None:
        """Day ``day``'s window closes at ``t`` (s): pay every open span up to ``t`` (a
        span still open goes on from ``t``), and add the day's fixed cost."""
        for staff_id, since in list(self.since.items()):
            self.book(staff_id, since, t)
            self.since[staff_id] = t
        if self.fixed_s:
            start = max(day * DAY_S + self.open_s, self.start_s)
            end = day * DAY_S + self.close_s
            if end > start:
                self.fixed_cost += self.fixed_s * (end - start)
                if self.grid is not None:
                    for key, seconds in self.grid.split(day, start, end).items():
                        self.slot_fixed_cost[key] = (self.slot_fixed_cost.get(key, 0.0)
                                                     + self.fixed_s * seconds)

    def book(self, staff_id: int, a: float, b: float) -> None:
        """Pay ``staff_id``'s present span ``[a, b)``: plain up to its contracted time of the
        day, overtime after; only the part after warm-up is costed."""
        if b <= a:
            return
        day = math.floor((a - self.open_s) / DAY_S)
        done = self.worked.get((staff_id, day), 0.0)
        self.worked[staff_id, day] = done + (b - a)
        plain_end = a + max(0.0, self.contracted_s - done)
        wage = self.wages_s[staff_id] if staff_id < len(self.wages_s) else 0.0
        for lo, hi, rate in ((a, min(b, plain_end), 1.0),
                             (max(a, plain_end), b, self.overtime_rate)):
            lo = max(lo, self.start_s)
            if hi <= lo:
                continue
            self.paid_s += hi - lo
            if rate != 1.0:
                self.overtime_s += hi - lo
            self.staff_cost += wage * rate * (hi - lo)
            if self.grid is not None:
                for key, seconds in self.grid.split(day, lo, hi).items():
                    self.slot_staff_cost[key] = (self.slot_staff_cost.get(key, 0.0)
                                                 + wage * rate * seconds)

    def metrics(self) -> dict[str, float]:
        """``staff_cost`` and ``fixed_cost`` (money), ``staff_hours`` and ``overtime_hours``
        (paid hours after warm-up)."""
        return {"staff_cost": self.staff_cost, "fixed_cost": self.fixed_cost,
                "staff_hours": self.paid_s / 3600.0, "overtime_hours": self.overtime_s / 3600.0}
