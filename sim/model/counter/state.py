"""The state one counter's parts share: typed declarations only.

:class:`~sim.model.counter.counter.Counter` is assembled from parts, one module each
(arrivals, noticing, serving, holds, scenes, email, outcomes, the lean plain path).
Every part works on the same counter state, declared here once; the counter sets it up.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

import simpy

from sim.config.sections import Loyalty
from sim.model.contact import Contact
from sim.model.distributions import Draw
from sim.model.experience import Scorer
from sim.model.patrons import PatronPool
from sim.model.records import Recorder
from sim.model.roster import StaffMember
from sim.model.staff_agent import Distraction, StaffAgent
from sim.model.waiting_line import WaitingLine
from sim.policies.base import (
    AcknowledgmentPolicy,
    BalkingPolicy,
    DisciplinePolicy,
    PhoneHandlingPolicy,
)

if TYPE_CHECKING:
    from sim.model.counter.outcomes import DayBook


class CounterState:
    """One counter's state for one replication (declarations; no behaviour)."""

    env: simpy.Environment
    recorder: Recorder
    _queue_changed: Callable[[float, str, int], None]   # recorder methods, bound once
    _staff_changed: Callable[[float, int, int], None]
    _contact_ended: Callable[[Contact], None]
    pool: PatronPool
    day: DayBook | None                  # multi-day runs: what today did to the patrons
    loyalty: Loyalty
    _judging: bool
    _score: Scorer
    targets_s: dict[str, float]          # acknowledgment target per channel
    close_s: float
    # policies
    balking: BalkingPolicy
    discipline: DisciplinePolicy
    acknowledgment: AcknowledgmentPolicy
    phone_policy: PhoneHandlingPolicy
    notice_delay_s: float
    greets_when_free: bool
    ack_multiplier: float
    greet_s: float
    may_hold: bool                       # calls may be held for walk-ins
    _busy_may_respond: bool
    interrupts_service: bool             # hand-made episodes may interrupt a service
    _acks_may_lag: bool                  # the discipline may greet some walk-ins late
    _in_order: bool                      # the discipline is first come, first served
    # distractions
    slowdown: float
    repeat_extra: float
    visibly_distracted: int
    scenes: list[Distraction]            # visible episodes that change the scene
    scene_balk: float
    scene_drain: float
    # lines and work
    phone_lines: float
    phone_in_system: int
    walk_ins: WaitingLine
    calls: WaitingLine
    lines: dict[str, WaitingLine]
    _leave: dict[str, Callable[[Contact], None]]
    emails: deque[Contact]
    held: list[Contact]
    # staff
    busy: int
    on_duty: int
    idle: dict[str, deque[tuple[StaffAgent, int]]]
    _idle_for: dict[str, tuple[deque[tuple[StaffAgent, int]], ...]]
    members: list[StaffMember]
    staff: list[StaffAgent]
    # random draws
    noticing: Draw
    policy_draws: Draw
    _next_id: int
