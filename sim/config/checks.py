"""Cross-field checks of a validated scenario (what one field alone cannot tell)."""

from __future__ import annotations

import itertools

from sim.config.fields import clock_to_seconds
from sim.config.schema import Scenario
from sim.config.sections import Channel, EmailChannel, ShiftSlot
from sim.config.virtual_queue_sections import check_virtual_queue
from sim.errors import ConfigError


def check_scenario(scenario: Scenario) -> None:
    """Raise :class:`ConfigError` for the first inconsistency between fields of ``scenario``."""
    _check_profiles(scenario)
    _check_callbacks(scenario)
    _check_staffed(scenario)
    _check_schedule(scenario)
    _check_days(scenario)
    _check_sensitivity(scenario)


def _check_callbacks(scenario: Scenario) -> None:
    """Callbacks need calls and staff who take them (before the general staffing check, so
    the message names callbacks)."""
    staff = scenario.staff
    slots = staff.schedule or [ShiftSlot(start=scenario.hours.open, end=scenario.hours.close,
                                         phone=staff.phone, both=staff.both)]
    check_virtual_queue(scenario.callbacks, scenario.demand.phone.is_open,
                        max(s.phone + s.both for s in slots))


BUILT_IN_TEMPERAMENTS = ("calm", "frustrated", "angry", "needs_clarification")


def _check_sensitivity(scenario: Scenario) -> None:
    """Every temperament given a loyalty sensitivity is one customers can have (a typo
    would silently leave that temperament at 1)."""
    known = dict.fromkeys((*BUILT_IN_TEMPERAMENTS, *scenario.temperament.mix))
    for name, value in scenario.loyalty.sensitivity.items():
        if name not in known:
            raise ConfigError(f"loyalty.sensitivity.{name}", value,
                              f"not a temperament; use one of {', '.join(known)} (a new "
                              "temperament needs its share in temperament.mix)")


class StaffCounts(str):
    """A value shown to the user as is (not quoted) in an error message."""

    def __repr__(self) -> str:
        return str(self)


def _check_profiles(scenario: Scenario) -> None:
    n = scenario.hours.n_slots
    for name in ("walk_in", "phone", "email"):
        channel: Channel | EmailChannel = getattr(scenario.demand, name)
        if channel.profile and len(channel.profile) != n:
            raise ConfigError(
                f"demand.{name}.profile",
                StaffCounts(f"[{len(channel.profile)} values]"),
                f"needs one multiplier per {scenario.hours.slot_minutes}-minute slot from "
                f"{scenario.hours.open} to {scenario.hours.close}: {n} values (or [] for flat)",
            )


def _check_staffed(scenario: Scenario) -> None:
    staff = scenario.staff
    slots = staff.schedule or [ShiftSlot(start=scenario.hours.open, end=scenario.hours.close,
                                         counter=staff.counter, phone=staff.phone, both=staff.both)]
    roles = {"walk_in": ("counter", "both"), "phone": ("phone", "both")}
    for name, eligible in roles.items():
        channel: Channel = getattr(scenario.demand, name)
        if channel.is_open and not any(getattr(s, r) > 0 for s in slots for r in eligible):
            counts = ", ".join(f"{r}={max(getattr(s, r) for s in slots)}" for r in eligible)
            raise ConfigError(
                "staff", StaffCounts(counts),
                f"demand.{name} is open (rate_per_hour = {channel.rate_per_hour}), so at least "
                f"one staff member with role {' or '.join(eligible)} must be on duty",
            )
    if scenario.demand.email.is_open and not any(
            getattr(s, r) > 0 for s in slots for r in ("counter", "phone", "both")):
        raise ConfigError("staff", StaffCounts("no staff"),
                          "demand.email is open, so at least one staff member must be on duty")
    members = sum(max(getattr(s, r) for s in slots) for r in ("counter", "phone", "both"))
    for key, alternative in (("traits", "'random' or 'average'"), ("bias", "one number")):
        given = getattr(scenario.staff, key)
        if isinstance(given, list) and len(given) != members:
            raise ConfigError(f"staff.{key}", StaffCounts(f"[{len(given)} entries]"),
                              f"needs one entry per staff member ({members}: counter staff "
                              f"first, then phone, then both), or {alternative}")
    if scenario.run.warmup_s >= scenario.hours.close_s - scenario.hours.open_s:
        raise ConfigError("run.warmup_s", scenario.run.warmup_s,
                          "must be shorter than the opening hours")


def _check_schedule(scenario: Scenario) -> None:
    slots = scenario.staff.schedule
    order = sorted(range(len(slots)), key=lambda i: clock_to_seconds(slots[i].start))
    for a, b in itertools.pairwise(order):
        if clock_to_seconds(slots[b].start) < clock_to_seconds(slots[a].end):
            raise ConfigError(f"staff.schedule.{b}.start", slots[b].start,
                              f"overlaps slot {a} ({slots[a].start}-{slots[a].end}); "
                              "give each time of day once")
    for i, slot in enumerate(slots):
        for key in ("start", "end"):
            t = clock_to_seconds(getattr(slot, key))
            if not scenario.hours.open_s <= t <= scenario.hours.close_s:
                raise ConfigError(f"staff.schedule.{i}.{key}", getattr(slot, key),
                                  f"must lie within opening hours {scenario.hours.open}"
                                  f"–{scenario.hours.close}")


def _check_days(scenario: Scenario) -> None:
    """Day ``d`` of a multi-day run opens at ``d`` × 24 h + open: the days must not overlap."""
    hours = scenario.hours
    if scenario.run.days > 1 and hours.close_s - hours.open_s > 86400.0:
        latest = hours.open_s + 86400.0
        raise ConfigError("hours.close", hours.close,
                          f"a multi-day run (run.days = {scenario.run.days}) opens each day "
                          f"24 hours after the last, so close must be at most "
                          f"{int(latest // 3600):02d}:{int(latest % 3600 // 60):02d} "
                          f"(24 hours after open {hours.open}); or set run.days = 1")
