"""Warnings for legal but suspicious scenarios, found before anything is simulated.

Each is one line for ``stderr`` (``warning: ...``) and goes into the manifest; ``--strict``
makes them an error. What is checked (expected values, from the configured rates):

- no arrivals expected at all (every channel's rate, or profile, is 0);
- open hours in which a channel has arrivals but nobody on duty serves it (a schedule
  covering 09:00-10:00 while walk-ins come all day);
- offered load above the staff on duty in a stretch of the day: arrival rate × mean service
  requirement (× the temperament mix's mean service multiplier) above the staff who serve
  the channel (walk-ins: counter and pooled; calls: phone and pooled; both channels
  together: everyone). E-mails are left out (they wait for idle time) and so are
  distractions (they lower capacity further);
- a warm-up that discards more than half of the (first) day.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from sim.config.fields import clock_to_seconds
from sim.config.schema import Scenario
from sim.config.sections import Channel
from sim.model.demand import rates_per_s
from sim.model.distributions import mean_of

CHANNEL_ROLES = {"walk_in": ("counter", "both"), "phone": ("phone", "both")}
CHANNEL_WORDS = {"walk_in": "walk-ins", "phone": "calls", "email": "e-mails"}
MOST_OF_THE_DAY = 0.5  # a warm-up longer than this share of the opening hours is suspicious


@dataclass(frozen=True)
class ScenarioWarning:
    """One suspicious feature of a scenario: its kind (for grouping) and its text."""

    kind: str
    text: str


def clock(seconds: float) -> str:
    """Seconds after midnight as ``HH:MM`` (hours may pass 24)."""
    minutes = round(seconds / 60.0)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class Stretch:
    """A piece of the opening hours with constant rates and staff (seconds, per second)."""

    start_s: float
    end_s: float
    rates: dict[str, float]      # arrivals per second by channel
    staff: dict[str, int]        # on duty by role


def stretches(scenario: Scenario) -> list[Stretch]:
    """The opening hours cut wherever a profile slot or a shift starts or ends."""
    hours, staff = scenario.hours, scenario.staff
    cuts = {hours.open_s, hours.close_s}
    cuts.update(min(hours.open_s + i * hours.slot_s, hours.close_s)
                for i in range(hours.n_slots))
    for shift in staff.schedule:
        cuts.update((clock_to_seconds(shift.start), clock_to_seconds(shift.end)))
    rates = {ch: rates_per_s(scenario, getattr(scenario.demand, ch)) for ch in CHANNEL_ROLES}
    bounds = sorted(cuts)
    out = []
    for a, b in itertools.pairwise(bounds):
        slot = min(int((a - hours.open_s) // hours.slot_s), hours.n_slots - 1)
        out.append(Stretch(a, b, {ch: r[slot] for ch, r in rates.items()},
                           _on_duty(scenario, a)))
    return out


def _on_duty(scenario: Scenario, t: float) -> dict[str, int]:
    staff = scenario.staff
    if not staff.schedule:
        return {"counter": staff.counter, "phone": staff.phone, "both": staff.both}
    on = [s for s in staff.schedule
          if clock_to_seconds(s.start) <= t < clock_to_seconds(s.end)]
    return {role: sum(getattr(s, role) for s in on) for role in ("counter", "phone", "both")}


def _merged(pieces: list[Stretch]) -> list[tuple[float, float, list[Stretch]]]:
    """Runs of adjacent stretches as ``(start, end, stretches)``."""
    runs: list[tuple[float, float, list[Stretch]]] = []
    for p in pieces:
        if runs and runs[-1][1] == p.start_s:
            runs[-1] = (runs[-1][0], p.end_s, [*runs[-1][2], p])
        else:
            runs.append((p.start_s, p.end_s, [p]))
    return runs


def _when(runs: list[tuple[float, float, list[Stretch]]]) -> str:
    shown = ", ".join(f"{clock(a)}-{clock(b)}" for a, b, _ in runs[:3])
    return shown + (f" and {len(runs) - 3} more" if len(runs) > 3 else "")


def _unstaffed(scenario: Scenario, pieces: list[Stretch]) -> list[ScenarioWarning]:
    found = []
    for channel, roles in CHANNEL_ROLES.items():
        bare = [p for p in pieces
                if p.rates[channel] > 0 and not any(p.staff[r] for r in roles)]
        if not bare:
            continue
        expected = math.fsum(p.rates[channel] * (p.end_s - p.start_s) for p in bare)
        found.append(ScenarioWarning("unstaffed", (
            f"no staff who serve {CHANNEL_WORDS[channel]} ({' or '.join(roles)}) are on duty "
            f"{_when(_merged(bare))}, while about {expected:.0f} {CHANNEL_WORDS[channel]} "
            f"are expected then: they can only wait or walk out (check staff.schedule)")))
    return found


def _service_s(scenario: Scenario, channel: Channel) -> float:
    """Mean service requirement (s), times the temperament mix's mean service multiplier."""
    temper = scenario.temperament
    factor = math.fsum(share * temper.service[t] for t, share in temper.mix.items())
    return mean_of(channel.service) * factor


def _load_ratio(p: Stretch, service: dict[str, float]) -> float:
    """The largest ratio of offered load (erlangs) to the staff who can carry it (a channel
    nobody serves is left out: it is warned about as unstaffed)."""
    serving = {ch: sum(p.staff[r] for r in roles) for ch, roles in CHANNEL_ROLES.items()}
    load = {ch: p.rates[ch] * service[ch] for ch in CHANNEL_ROLES if serving[ch]}
    checks = [(load[ch], serving[ch]) for ch in load]
    checks.append((sum(load.values()), sum(p.staff.values())))
    return max((work / staff if staff else 0.0) for work, staff in checks)


def _overloaded(scenario: Scenario, pieces: list[Stretch]) -> list[ScenarioWarning]:
    service = {ch: _service_s(scenario, getattr(scenario.demand, ch)) for ch in CHANNEL_ROLES}
    rated = [(p, _load_ratio(p, service)) for p in pieces]
    over = [p for p, ratio in rated if ratio > 1.0]
    if not over:
        return []
    worst = max(ratio for _, ratio in rated)
    return [ScenarioWarning("overloaded", (
        f"offered load exceeds the staff on duty {_when(_merged(over))} (utilisation up to "
        f"{worst:.2f}: arrival rate × mean service time above the staff who serve the "
        "channel): queues grow and customers walk out"))]


def _warmup(scenario: Scenario) -> list[ScenarioWarning]:
    open_s = scenario.hours.close_s - scenario.hours.open_s
    share = scenario.run.warmup_s / open_s
    if share <= MOST_OF_THE_DAY:
        return []
    return [ScenarioWarning("warmup", (
        f"run.warmup_s = {scenario.run.warmup_s:g} discards {share:.0%} of the first day's "
        f"{open_s / 3600:g} opening hours; its metrics rest on the last "
        f"{(open_s - scenario.run.warmup_s) / 3600:.2g} h only"))]


def scenario_warnings(scenario: Scenario, staffed: bool = True) -> list[ScenarioWarning]:
    """Every warning about ``scenario``; ``staffed=False`` leaves out those about its staff
    (for ``countersim staff``, which finds the staff itself)."""
    channels = ("walk_in", "phone", "email")
    if not any(getattr(scenario.demand, ch).is_open for ch in channels):
        return [ScenarioWarning("no_arrivals", (
            "no arrivals expected: demand.walk_in, demand.phone and demand.email all have "
            "rate_per_hour = 0 (or profiles of 0), so every count is 0; set e.g. "
            "demand.walk_in.rate_per_hour")), *_warmup(scenario)]
    found: list[ScenarioWarning] = []
    if staffed:
        pieces = stretches(scenario)
        found += _unstaffed(scenario, pieces) + _overloaded(scenario, pieces)
    return found + _warmup(scenario)
