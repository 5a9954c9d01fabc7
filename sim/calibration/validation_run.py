"""What ``countersim validate`` needs besides the simulation: the real days to compare
with, measured like the simulated ones, and the files of the comparison."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
from matplotlib.figure import Figure

from sim.calibration.adapters import LogRead
from sim.calibration.assumptions import assumption_notes
from sim.calibration.daytypes import assign_day_types, commonest_type
from sim.calibration.observed import slot_sums
from sim.calibration.staffing import infer_staff
from sim.calibration.validate import compare
from sim.calibration.validate_report import profile_figure, report_text, slot_table
from sim.config.fields import clock_to_seconds
from sim.config.schema import Scenario
from sim.errors import UserInputError


@dataclass(frozen=True)
class Inputs:
    """The real days of one day type, measured per slot, and how the scenario is read."""

    day_type: str
    days: list[str]
    observed: pd.DataFrame           # slot sums of the real days
    slot_minutes: int
    open_slots: range                # slots from midnight the scenario is open
    target_s: float                  # service-level target wait (s)
    staff: dict[int, float]          # scenario staff on duty per slot
    notes: list[str] = field(default_factory=list)   # how to read it
    breaks: list[str] = field(default_factory=list)  # what the scenario does not represent


def scenario_staff(scenario: Scenario, slots: range, slot_s: float) -> dict[int, float]:
    """Staff on duty (all roles) at the start of each slot, from the scenario."""
    staff = scenario.staff
    if not staff.schedule:
        return {k: float(staff.counter + staff.phone + staff.both) for k in slots}
    out = {}
    for k in slots:
        t = k * slot_s
        out[k] = float(sum(s.counter + s.phone + s.both for s in staff.schedule
                           if clock_to_seconds(s.start) <= t < clock_to_seconds(s.end)))
    return out


def _open_slots(scenario: Scenario) -> range:
    hours = scenario.hours
    minutes = hours.slot_minutes
    if 86400 % hours.slot_s:
        raise UserInputError(
            f"validate: hours.slot_minutes = {minutes}: the comparison counts the log in "
            "slots from midnight, so they must divide a day (1440 minutes); use e.g. 15, 30 "
            "or 60 (as countersim fit writes them)")
    if hours.open_s % hours.slot_s:
        raise UserInputError(
            f"validate: hours.open = {hours.open} with hours.slot_minutes = {minutes}: the "
            f"comparison counts the log in {minutes}-minute slots from midnight, so the "
            "scenario must open at the start of one; move hours.open (and the staff "
            "schedule) to a slot boundary, as countersim fit writes them")
    if hours.close_s > 86400:
        raise UserInputError(
            f"validate: hours.close = {hours.close}: the comparison covers one day of the "
            "log; close by 24:00")
    return range(int(hours.open_s // hours.slot_s), math.ceil(hours.close_s / hours.slot_s))


def _pick_type(types: dict[str, str], wanted: str | None) -> str:
    if wanted is None:
        return commonest_type(types)
    if wanted not in set(types.values()):
        raise UserInputError(f"--day-type {wanted!r}: the log has no such days; give one of "
                             f"its day types: {', '.join(sorted(set(types.values())))}")
    return wanted


def observed_inputs(read: LogRead, scenario: Scenario, wanted: str | None) -> Inputs:
    """The log's days of the wanted (default: commonest) type, measured per slot."""
    if not any(getattr(scenario.demand, ch).is_open for ch in ("walk_in", "phone", "email")):
        raise UserInputError("validate: the scenario has no arrivals (every demand.*."
                             "rate_per_hour, or profile, is 0): nothing to compare with the "
                             "log; give it the log's arrival rates, as countersim fit writes "
                             "them")
    types = assign_day_types(read.frame)
    day_type = _pick_type(types, wanted)
    days = sorted(d for d, t in types.items() if t == day_type)
    log = read.frame[read.frame["day"].isin(days)]
    slots = _open_slots(scenario)
    minutes = scenario.hours.slot_minutes
    target = scenario.phone_handling.answer_target_s
    inferred = infer_staff(log, minutes, types).by_day
    staff = {(str(d), int(k)): float(v) for d, k, v in
             zip(inferred["day"], inferred["slot"], inferred["busy_when_waiting"], strict=True)}
    notes = [f"Real days: {len(days)} {day_type} days ({days[0]} to {days[-1]}).",
             "Observed utilisation divides the service time under way by the staff on duty "
             "inferred from the log (services under way while callers waited), so where "
             "callers wait it is close to 1 by construction; read it with that in mind.",
             f"Service level: share of contacts served within {target:g} s "
             "(phone_handling.answer_target_s of the scenario)."]
    if len(days) < 2:
        notes.append("A single real day: no day-to-day spread, the band is that day's value.")
    return Inputs(day_type, days, slot_sums(log, minutes, target, staff), minutes, slots,
                  target, scenario_staff(scenario, slots, minutes * 60.0), notes,
                  assumption_notes(log, inferred, slots))


def comparison_files(inputs: Inputs, simulated: LogRead, command: str,
                     ) -> tuple[dict[str, str | Figure], list[str]]:
    """The comparison's files by relative path, and its one-line verdicts."""
    log = simulated.frame
    staff = {(str(d), k): n for d in log["day"].unique() for k, n in inputs.staff.items()}
    sim = slot_sums(log, inputs.slot_minutes, inputs.target_s, staff)
    comparison = compare(inputs.observed, sim, inputs.open_slots)
    notes = [*inputs.notes, f"Simulated days: {log['day'].nunique()} replications."]
    files: dict[str, str | Figure] = {
        "validation_day.csv": comparison.day.to_csv(index=False),
        "validation_slots.csv": slot_table(comparison).to_csv(index=False),
        "figures/validation_profile.png": profile_figure(comparison, inputs.slot_minutes),
        "validation.md": report_text(comparison, f"{inputs.day_type} days", command, notes,
                                     inputs.breaks),
    }
    return files, comparison.verdicts
