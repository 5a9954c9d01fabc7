"""Staff per slot as a schedule: the Erlang-A starting counts, and the scenario schedule
(and pasteable TOML) a list of counts becomes.

Each slot starts from the fewest servers for which Erlang-A meets the targets it can
express (:func:`initial_staff`); slots lying wholly inside the warm-up get the staff of the
first measured slot (:func:`fill_warmup`).

Schedules use pooled staff (role ``both``) only. A scenario whose ``staff.traits`` or
``staff.bias`` is a list (one entry per staff member) cannot follow a changing number of
staff and is refused (:func:`check_searchable`), as is a multi-day run.

Pure: nothing here prints or writes files.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from sim.config.loading import scenario_from_dict
from sim.config.schema import Scenario
from sim.config.sections import Channel, ShiftSlot
from sim.errors import UserInputError
from sim.model.distributions import mean_of
from sim.staffing.slots import Slot, clock_text
from sim.staffing.targets import Target
from sim.theory import erlang_a_metrics, min_servers_erlang_a

# ------------------------------------------------------------------------------ Erlang-A start


def mean_rate_per_s(channel: Channel, scenario: Scenario, start_s: float, end_s: float,
                    ) -> float:
    """Mean arrival rate (per second) of ``channel`` over ``[start_s, end_s)``: the
    configured rate times the profile averaged over the slot."""
    if not channel.is_open:
        return 0.0
    if not channel.profile:
        return channel.rate_per_hour / 3600.0
    hours = scenario.hours
    weighted = 0.0
    for k, multiplier in enumerate(channel.profile):
        a = hours.open_s + k * hours.slot_s
        overlap = min(end_s, a + hours.slot_s, hours.close_s) - max(start_s, a)
        weighted += multiplier * max(overlap, 0.0)
    return channel.rate_per_hour / 3600.0 * weighted / (end_s - start_s)


def erlang_a_rates(scenario: Scenario, slot: Slot) -> tuple[float, float, float]:
    """``(lambda, mu, theta)`` per second for a slot: total walk-in and phone arrival rate,
    1 / the rate-weighted mean service time and 1 / the rate-weighted mean patience (0 when
    any patience is infinite)."""
    channels = (scenario.demand.walk_in, scenario.demand.phone)
    rates = [mean_rate_per_s(c, scenario, slot.start_s, slot.end_s) for c in channels]
    lam = math.fsum(rates)
    if lam == 0.0:
        return 0.0, 1.0, 0.0
    service = math.fsum(r * mean_of(c.service) for r, c in zip(rates, channels, strict=True))
    patience = math.fsum(r * mean_of(c.patience) for r, c in zip(rates, channels, strict=True)
                         if r > 0)
    return lam, lam / service, (lam / patience if math.isfinite(patience) else 0.0)


def erlang_a_staff(lam: float, mu: float, theta: float, targets: Sequence[Target],
                   target_wait_s: float) -> int:
    """Fewest servers for which Erlang-A meets the targets it can express (rates per
    second): walkout_rate as P(abandon), service_level and p_ack_within_target as the
    service level within ``target_wait_s``, mean waits as E[W]. 0 when nobody arrives."""
    if lam == 0.0:
        return 0
    by_metric = {t.metric: t.value for t in targets}
    levels = [by_metric[m] for m in ("service_level", "p_ack_within_target") if m in by_metric]
    waits = [by_metric[m] for m in ("mean_wait_s", "mean_time_to_ack_acknowledged_s")
             if m in by_metric]
    cap = math.ceil(4.0 * lam / mu) + 50
    n = max(1, math.floor(lam / mu) + 1) if theta == 0.0 else 1
    if "walkout_rate" in by_metric or levels:
        try:
            n = min_servers_erlang_a(lam, mu, theta, target_wait_s,
                                     max_p_abandon=by_metric.get("walkout_rate"),
                                     min_service_level=max(levels) if levels else None,
                                     max_servers=cap)
        except ValueError:
            return cap
    while waits and n < cap and erlang_a_metrics(lam, mu, theta, n, 1.0).mean_wait > min(waits):
        n += 1
    return n


def initial_staff(scenario: Scenario, slots: Sequence[Slot], targets: Sequence[Target],
                  ) -> list[int]:
    """The Erlang-A estimate for every slot (warm-up slots copy the first measured one)."""
    wait_s = scenario.acknowledgment.target_s
    staff = [erlang_a_staff(*erlang_a_rates(scenario, s), targets, wait_s) for s in slots]
    return fill_warmup(slots, staff)


def fill_warmup(slots: Sequence[Slot], staff: Sequence[int]) -> list[int]:
    """``staff`` with every unmeasured (warm-up) slot set to the first measured slot's."""
    first = next(i for i, s in enumerate(slots) if s.measured)
    return [n if s.measured else staff[first] for s, n in zip(slots, staff, strict=True)]


# ------------------------------------------------------------------------------ schedules


def check_searchable(scenario: Scenario) -> None:
    """Refuse scenarios the search cannot re-staff (raises :class:`UserInputError`)."""
    for key, alternative, example in (("traits", "'random' or 'average'", '"average"'),
                                      ("bias", "one number", "1.0")):
        if isinstance(getattr(scenario.staff, key), list):
            raise UserInputError(
                f"staff.{key} is a list (one entry per staff member), which cannot follow a "
                f"schedule whose staff numbers the search changes; set it to {alternative}, "
                f"e.g. --set 'staff.{key}={example}'")
    if scenario.run.days > 1:
        raise UserInputError(f"run.days = {scenario.run.days}: staffing searches one day; "
                             "use --set run.days=1")


def schedule_blocks(slots: Sequence[Slot], staff: Sequence[int]) -> list[ShiftSlot]:
    """Pooled-staff blocks: adjacent slots with the same count merged."""
    blocks: list[ShiftSlot] = []
    for slot, n in zip(slots, staff, strict=True):
        if blocks and blocks[-1].both == n:
            blocks[-1] = ShiftSlot(start=blocks[-1].start, end=clock_text(slot.end_s), both=n)
        else:
            blocks.append(ShiftSlot(start=clock_text(slot.start_s), end=clock_text(slot.end_s),
                                    both=n))
    return blocks


def with_schedule(scenario: Scenario, blocks: Sequence[ShiftSlot]) -> Scenario:
    """``scenario`` staffed by ``blocks`` (counter, phone and all-day counts set to 0)."""
    data = scenario.model_dump(mode="json")
    data["staff"].update(counter=0, phone=0, both=0,
                         schedule=[b.model_dump(mode="json") for b in blocks])
    return scenario_from_dict(data)


def schedule_toml(blocks: Sequence[ShiftSlot], comment: str = "") -> str:
    """A ``[staff]`` table with the schedule, ready to paste into a scenario file."""
    lines = [f"# {comment}"] if comment else []
    lines += ["[staff]", "schedule = ["]
    lines += [f'  {{ start = "{b.start}", end = "{b.end}", counter = {b.counter}, '
              f"phone = {b.phone}, both = {b.both} }}," for b in blocks]
    lines.append("]")
    return "\n".join(lines) + "\n"
