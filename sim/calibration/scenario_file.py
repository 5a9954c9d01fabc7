"""The scenario a fit writes: TOML that ``countersim run`` accepts unchanged, with every
fitted value's interval and basis in a comment beside it.

The fitted counter runs in validation mode (no distractions, traits, loyalty scoring or
temperaments: a log cannot tell them apart from service and patience, which already contain
them), with the fitted arrivals, service, patience and staffing.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sim.calibration.markdown import clock
from sim.config.exclusion_rules import find_conflicts
from sim.config.exclusions import Given
from sim.config.loading import scenario_from_dict
from sim.config.toml_text import string, value
from sim.errors import UserInputError

ROLE_OF = {frozenset({"phone"}): "phone", frozenset({"walk_in"}): "counter"}


@dataclass(frozen=True)
class ChannelPlan:
    """One channel's fitted demand."""

    channel: str                          # walk_in, phone or email
    rate_per_hour: float                  # mean rate over the open slots (per hour)
    profile: list[float]                  # multiplier per slot, from opening
    day_rate_cv: float | None = None      # day-level rate factor's CV (None: Poisson adequate)
    service: dict[str, Any] | None = None  # distribution (None: the default is kept)
    patience: dict[str, Any] | None = None
    notes: dict[str, str] = field(default_factory=dict)  # key -> comment (basis, interval)


@dataclass(frozen=True)
class ScenarioPlan:
    """Everything the scenario file says."""

    name: str
    description: str
    slot_minutes: int
    open_s: int                           # opening, s from midnight (a whole slot)
    close_s: int                          # closing, s from midnight (≤ 86,400)
    channels: list[ChannelPlan]
    schedule: list[tuple[int, int, int]]  # (start s, end s, staff on duty)
    header: list[str] = field(default_factory=list)  # comment lines at the top
    schedule_note: str = ""


def staff_role(channels: Sequence[str]) -> str:
    """The staff role that serves these channels: ``phone``, ``counter`` or pooled ``both``."""
    return ROLE_OF.get(frozenset(c for c in channels if c != "email"), "both")


def _comment(text: str) -> str:
    return f"   # {text}" if text else ""


def _channel_lines(plan: ChannelPlan) -> list[str]:
    notes = plan.notes
    lines = [f"[demand.{plan.channel}]",
             f"rate_per_hour = {value(round(plan.rate_per_hour, 3))}"
             + _comment(notes.get("rate_per_hour", "")),
             "profile = " + value([round(p, 4) for p in plan.profile])
             + _comment(notes.get("profile", ""))]
    if plan.day_rate_cv is not None:
        lines.append(f"day_rate_cv = {value(round(plan.day_rate_cv, 4))}"
                     + _comment(notes.get("day_rate_cv", "")))
    for key in ("service", "patience"):
        spec = getattr(plan, key)
        if spec is not None:
            lines.append(f"{key} = {_inline(spec)}" + _comment(notes.get(key, "")))
        elif notes.get(key):
            lines.append(f"# {key}: {notes[key]}")
    return [*lines, ""]


def _inline(spec: dict[str, Any]) -> str:
    items = ", ".join(f"{k} = {value(v)}" for k, v in spec.items())
    return "{ " + items + " }"


def _schedule_lines(plan: ScenarioPlan) -> list[str]:
    role = staff_role([c.channel for c in plan.channels])
    rows = [f'  {{ start = "{clock(a)}", end = "{clock(b)}", {role} = {n} }},'
            for a, b, n in plan.schedule]
    note = [f"# {plan.schedule_note}"] if plan.schedule_note else []
    return ["[staff]", *note, "schedule = [", *rows, "]", ""]


FIXED_SECTIONS = """[acknowledgment]
notice_delay_s = 0           # staff free: a contact is answered at once, as in the log

[distractions]
enabled = false              # a log cannot separate distractions from service and patience

[traits]
enabled = false

[loyalty]
enabled = false

[temperament]
mix = { calm = 1.0 }         # fitted patience and service already hold the customers' mix
party_sizes = [1.0]

[run]
warmup_s = 0                 # a real day starts empty: measure all of it
"""


def scenario_text(plan: ScenarioPlan) -> str:
    """The scenario as TOML with comments; raises if ``countersim run`` would refuse it."""
    lines = [f"# {h}" if h else "#" for h in plan.header]
    lines += [f"name = {string(plan.name)}", f"description = {string(plan.description)}", "",
              "[hours]", f'open = "{clock(plan.open_s)}"', f'close = "{clock(plan.close_s)}"',
              f"slot_minutes = {plan.slot_minutes}",
              "serve_after_close = true     # callers queued at closing are still answered", ""]
    for channel in plan.channels:
        lines += _channel_lines(channel)
    lines += _schedule_lines(plan)
    text = "\n".join(lines) + "\n" + FIXED_SECTIONS
    check_loads(text)
    return text


def check_loads(text: str) -> None:
    """Raise :class:`UserInputError` if ``text`` is not a scenario ``countersim run`` takes."""
    try:
        data = tomllib.loads(text)
        conflicts = find_conflicts(scenario_from_dict(data), Given.from_file(data))
        if conflicts:
            raise conflicts[0].error
    except (UserInputError, tomllib.TOMLDecodeError) as exc:
        raise UserInputError(f"fit: the fitted scenario is not valid ({exc}); this is a bug "
                             "in countersim fit: please report it with the log's first lines"
                             ) from exc
