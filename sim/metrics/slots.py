"""Time-of-day results: per time slot (the scenario's ``hours.slot_minutes`` grid, counted
from opening) and per channel, a replication's sufficient statistics, kept apart from the
metrics row (:class:`SlotRecorder`), and the per-slot metrics derived from them
(:func:`slot_metrics`).

A contact counts in the slot of its arrival; time-weighted quantities (queue length, busy
and present staff) are split exactly at slot boundaries. Warm-up is filtered exactly as the
:class:`~sim.metrics.accumulator.MetricsAccumulator` does (contacts arriving before
``warmup_s``, and time before it, are left out). In a multi-day run each day's window is
its open hours (from opening, or the end of warm-up on day 0, to the day's last event), so
nights never enter the time-weighted sums.

How the slots add up to the metrics row of the same replication (tests/unit/test_slots.py,
to 1e-9 relative): counts and money (``revenue``, ``lost_clv``, ``staff_cost``,
``fixed_cost``, ``net_value``; a contact's money in its arrival slot, pay in the slots the
staff were present in) sum; ``walkout_rate`` weighted by ``left`` (contacts that left:
arrivals less those still inside at a hard close);
``p_ack_within_target``, ``service_level`` and ``mean_wait_s`` by ``joined_left``;
``utilization`` by ``present_s`` (on-duty staff-seconds); ``mean_queue_length`` by
``observed_s``. The slots' ``observed_s`` sum to the row's ``observed_s``: in a multi-day
run both count open hours only (nights never enter the row's time-weighted metrics either).

The grid is bounded: a day's slots run on past closing (while the lines drain and the last
services end) until :data:`TAIL_S` (24 hours) after closing; everything later is one last
slot (:func:`last_slot`) that runs to the day's last event. A run whose last service ends
years after closing (a service time of 10¹⁷ s) thus keeps a few dozen slots, not 10¹³.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from sim.metrics.pay import Payroll
from sim.metrics.tallies import IN_SYSTEM, SERVED, ChannelTally, ratio
from sim.model.contact import CHANNELS, EMAIL, WALKOUTS, Contact, Outcome

DAY_S = 86400.0  # a day on the simulation clock (day ``d`` starts at ``d * DAY_S``)
TAIL_S = 86400.0  # slots of their own after closing; all later time is one last slot
ALL = "all"      # the channel (both) and the day (pooled over days) of totals
SUMS = ("arrivals", "left", "walkouts", "joined_left", "ack_within", "served_within", "wait_sum",
        "queue_area")  # per channel, as ``<channel>_<sum>`` in a replication's slot rows
STAFF_SUMS = ("observed_s", "busy_s", "present_s")  # per slot (staff-seconds, seconds)
MONEY_SUMS = ("revenue", "lost_clv", "staff_cost", "fixed_cost")  # per slot (money)
#: The metrics of slots.csv, in order (``utilization`` and money only for channel ``all``).
SLOT_METRICS = ("arrivals", "left", "walkouts", "walkout_rate", "p_ack_within_target",
                "service_level", "mean_wait_s", "mean_queue_length", "utilization",
                "joined_left", "observed_s", "present_s", *MONEY_SUMS, "net_value")


class SlotSeries:
    """Integral of a piecewise-constant quantity per slot of each day's grid; ``area`` is
    the current slot's running integral (flushed into ``areas`` when the slot is left).
    While paused (a night), ``boundary`` is -inf so that every change takes :meth:`update`."""

    __slots__ = ("area", "areas", "boundary", "day", "grid", "key", "last_t", "paused",
                 "value")

    def __init__(self, grid: SlotGrid, start_s: float) -> None:
        self.grid = grid
        self.areas: dict[tuple[int, int], float] = {}
        self.area = 0.0
        self.value = 0.0
        self.paused = False
        self.day = 0
        self.last_t = start_s
        self.key, self.boundary = grid.locate(0, start_s)

    def _flush(self) -> None:
        if self.area:
            self.areas[self.key] = self.areas.get(self.key, 0.0) + self.area
        self.area = 0.0

    def update(self, t: float, value: float, day: int) -> None:
        """The quantity becomes ``value`` at ``t`` (s), on day ``day``."""
        if self.paused:  # the first change after a night: the night is skipped
            self.paused = False
            self.day, self.last_t = day, max(t, self.grid.start_of((day, 0)))
            self.key, self.boundary = self.grid.locate(day, self.last_t)
        elif t > self.last_t:
            v = self.value
            while t > self.boundary:
                self.area += v * (self.boundary - self.last_t)
                self._flush()
                self.last_t = self.boundary
                self.key = (self.key[0], self.key[1] + 1)
                self.boundary = self.grid.end_of(self.key)
            self.area += v * (t - self.last_t)
            self.last_t = t
        self.value = value

    def close(self, t: float) -> None:
        """Extend the integral to ``t`` and pause until the next day's first change."""
        if not self.paused:
            self.update(t, self.value, self.day)
            self._flush()
        self.paused = True
        self.boundary = -math.inf


def last_slot(open_s: float, close_s: float, slot_s: float) -> int:
    """Index of a day's last slot: the first that starts :data:`TAIL_S` or more after
    closing (``close_s``); it runs to the day's last event (seconds after midnight)."""
    return math.ceil((close_s - open_s + TAIL_S) / slot_s)


class SlotGrid:
    """The slots of each day: slot ``k`` of day ``d`` starts ``k * slot_s`` after opening;
    slot ``last`` (:func:`last_slot`; None: no last slot) has no end."""

    def __init__(self, open_s: float, slot_s: float, last: int | None = None) -> None:
        self.open_s = open_s
        self.slot_s = slot_s
        self.last = math.inf if last is None else last

    def start_of(self, key: tuple[int, int]) -> float:
        """Start (s, simulation clock) of slot ``key = (day, k)``."""
        return key[0] * DAY_S + self.open_s + key[1] * self.slot_s

    def end_of(self, key: tuple[int, int]) -> float:
        """End (s, simulation clock) of slot ``key`` (infinite for the last slot)."""
        if key[1] >= self.last:
            return math.inf
        return self.start_of((key[0], key[1] + 1))

    def _bounded(self, k: int) -> int:
        return k if k < self.last else int(self.last)

    def locate(self, day: int, t: float) -> tuple[tuple[int, int], float]:
        """The slot of day ``day`` holding ``t`` (a boundary belongs to the slot before it,
        so an interval ends in the slot it ends in) and that slot's end."""
        k = self._bounded(max(0, math.ceil((t - self.start_of((day, 0))) / self.slot_s) - 1))
        key = (day, k)
        return key, self.end_of(key)

    def slot_of_arrival(self, t: float) -> tuple[int, int]:
        """The (day, slot) a contact arriving at ``t`` counts in."""
        day = math.floor((t - self.open_s) / DAY_S)
        return day, self._bounded(math.floor((t - self.start_of((day, 0))) / self.slot_s))

    def split(self, day: int, start: float, end: float) -> dict[tuple[int, int], float]:
        """Seconds of ``[start, end]`` in each slot of day ``day``."""
        out: dict[tuple[int, int], float] = {}
        key, boundary = self.locate(day, start)
        t = start
        while end > t:
            upto = min(end, boundary)
            if upto > t:
                out[key] = out.get(key, 0.0) + (upto - t)
            t, key = upto, (day, key[1] + 1)
            boundary = self.end_of(key)
        return out


class SlotRecorder:
    """A :class:`~sim.model.records.Recorder` of per-slot sums (teed next to the metrics
    accumulator; never changes its row)."""

    def __init__(self, open_s: float, slot_s: float, warmup_s: float,
                 targets_s: dict[str, float], last: int | None = None,
                 money: tuple[float, bool, bool] = (0.0, False, False),
                 payroll: Payroll | None = None) -> None:
        """The grid from ``open_s`` in steps of ``slot_s`` up to slot ``last`` (None: no
        last slot); contacts and time before ``warmup_s`` are left out; ``targets_s``: the
        acknowledgment target per channel (seconds); ``money``: the metrics accumulator's
        lifetime value per unit of spend, whether it counts revenue and lifetime value (its
        ``by_group``) and scored e-mails' lifetime value (conduct on); ``payroll``: the
        accumulator's payroll, made with the same grid (None: no costs)."""
        self.grid = SlotGrid(open_s, slot_s, last)
        self.warmup_s = warmup_s
        self.targets_s = targets_s
        self.day = 0  # days ended so far (run_ended once per day)
        self.tallies: dict[tuple[int, int, str], ChannelTally] = {}
        self.queues = {ch: SlotSeries(self.grid, warmup_s) for ch in CHANNELS}
        self.busy = SlotSeries(self.grid, warmup_s)
        self.present = SlotSeries(self.grid, warmup_s)
        self.observed: dict[tuple[int, int], float] = {}
        self.clv_per_spend, self.by_group, self.email_clv = money
        self.money: dict[tuple[int, int], list[float]] = {}  # revenue, lost CLV per slot
        self.payroll = payroll

    def contact_ended(self, contact: Contact) -> None:
        """Count a walk-in or call that arrived after warm-up in its arrival slot."""
        channel = contact.channel
        if contact.arrival_s < self.warmup_s:
            return
        if channel == EMAIL:
            if self.email_clv:
                self._money(contact, False)
            return
        if self.by_group and contact.outcome is not IN_SYSTEM:
            self._money(contact, contact.outcome is SERVED)
        day, k = self.grid.slot_of_arrival(contact.arrival_s)
        tally = self.tallies.get((day, k, channel))
        if tally is None:
            tally = self.tallies[(day, k, channel)] = ChannelTally()
        tally.add(contact, self.targets_s[channel])

    def _money(self, contact: Contact, served: bool) -> None:
        """A contact's revenue (if ``served``) and expected lost lifetime value, in its
        arrival slot (as the accumulator counts them)."""
        sums = self.money.setdefault(self.grid.slot_of_arrival(contact.arrival_s), [0.0, 0.0])
        if served:
            sums[0] += contact.spend
        sums[1] += contact.churn_p * (contact.spend * self.clv_per_spend)

    def queue_changed(self, t: float, channel: str, waiting: int) -> None:
        """``waiting`` contacts wait on ``channel`` from ``t`` (s)."""
        s = self.queues[channel]
        if t <= s.boundary:  # SlotSeries.update inlined for a change inside the slot
            if t > s.last_t:
                s.area += s.value * (t - s.last_t)
                s.last_t = t
            s.value = waiting
        else:
            s.update(t, waiting, self.day)

    def staff_changed(self, t: float, busy: int, on_duty: int) -> None:
        """``busy`` of ``on_duty`` staff serve from ``t`` (s)."""
        for s, value in ((self.busy, busy), (self.present, on_duty)):
            if t <= s.boundary:  # as in queue_changed
                if t > s.last_t:
                    s.area += s.value * (t - s.last_t)
                    s.last_t = t
                s.value = value
            else:
                s.update(t, value, self.day)

    def activity_changed(self, t: float, staff_id: int, activity: str) -> None:
        """Not needed per slot."""

    def day_ended(self, row: dict[str, float]) -> None:
        """Not needed per slot."""

    def run_ended(self, t: float) -> None:
        """Close the day's window at ``t`` (s): from opening (or the end of warm-up)."""
        day = self.day
        start = self.warmup_s if day == 0 else self.grid.start_of((day, 0))
        end = max(t, start)
        for series in (*self.queues.values(), self.busy, self.present):
            series.close(end)
        for key, seconds in self.grid.split(day, start, end).items():
            self.observed[key] = self.observed.get(key, 0.0) + seconds
        self.day += 1

    def rows(self) -> list[dict[str, float]]:
        """One row of sums per (day, slot) that saw time or contacts, in order."""
        pay = self.payroll or Payroll(())
        keys = {*self.observed, *((d, k) for d, k, _ch in self.tallies), *self.money,
                *pay.slot_staff_cost, *pay.slot_fixed_cost}
        rows = []
        for day, k in sorted(keys):
            revenue, lost_clv = self.money.get((day, k), (0.0, 0.0))
            row = {"day": float(day), "slot": float(k),
                   "observed_s": self.observed.get((day, k), 0.0),
                   "busy_s": self.busy.areas.get((day, k), 0.0),
                   "present_s": self.present.areas.get((day, k), 0.0),
                   "revenue": revenue, "lost_clv": lost_clv,
                   "staff_cost": pay.slot_staff_cost.get((day, k), 0.0),
                   "fixed_cost": pay.slot_fixed_cost.get((day, k), 0.0)}
            for ch in CHANNELS:
                row.update(_channel_sums(ch, self.tallies.get((day, k, ch)),
                                         self.queues[ch].areas.get((day, k), 0.0)))
            rows.append(row)
        return rows


def _channel_sums(channel: str, tally: ChannelTally | None, queue_area: float,
                  ) -> dict[str, float]:
    t = tally or ChannelTally()
    walkouts = sum(t.outcomes[o] for o in WALKOUTS)
    left = t.n - t.outcomes[Outcome.IN_SYSTEM]
    values = (t.n, left, walkouts, t.wait_n, t.ack_within, t.served_within, t.wait_sum,
              queue_area)
    return {f"{channel}_{name}": float(v) for name, v in zip(SUMS, values, strict=True)}


def slot_metrics(rows: Sequence[dict[str, float]], pooled_only: bool = False,
                 ) -> list[dict[str, object]]:
    """Per-slot metrics of one replication from its slot rows: for each day (and ``all``,
    pooled over days, slot by slot; only ``all`` for a one-day run or ``pooled_only``),
    slot and channel (``walk_in``, ``phone``, ``all``), the values of
    :data:`SLOT_METRICS` (``utilization`` only for channel ``all``)."""
    days = sorted({int(r["day"]) for r in rows})
    groups: dict[tuple[str, int], list[dict[str, float]]] = {}
    for r in rows:
        groups.setdefault((ALL, int(r["slot"])), []).append(r)
        if len(days) > 1 and not pooled_only:
            groups.setdefault((str(int(r["day"])), int(r["slot"])), []).append(r)
    out: list[dict[str, object]] = []
    order = {ALL: -1, **{str(d): d for d in days}}
    for (day, k), members in sorted(groups.items(), key=lambda g: (order[g[0][0]], g[0][1])):
        for ch in (*CHANNELS, ALL):
            chans = CHANNELS if ch == ALL else (ch,)
            values = _derived({s: math.fsum(m[f"{c}_{s}"] for m in members for c in chans)
                               for s in SUMS},
                              {s: math.fsum(m.get(s, 0.0) for m in members)
                               for s in (*STAFF_SUMS, *MONEY_SUMS)},
                              ch == ALL)
            out.append({"day": day, "slot": k, "channel": ch, **values})
    return out


def _derived(s: dict[str, float], staff: dict[str, float], with_staff: bool,
             ) -> dict[str, float]:
    """The slot metrics from summed counts (definitions as in the metrics row)."""
    values = {
        "arrivals": s["arrivals"], "left": s["left"], "walkouts": s["walkouts"],
        "walkout_rate": ratio(s["walkouts"], s["left"]),
        "p_ack_within_target": ratio(s["ack_within"], s["joined_left"]),
        "service_level": ratio(s["served_within"], s["joined_left"]),
        "mean_wait_s": ratio(s["wait_sum"], s["joined_left"]),
        "mean_queue_length": ratio(s["queue_area"], staff["observed_s"]),
        "joined_left": s["joined_left"], "observed_s": staff["observed_s"],
    }
    if with_staff:
        values["utilization"] = ratio(staff["busy_s"], staff["present_s"])
        values["present_s"] = staff["present_s"]
        values.update({m: staff[m] for m in MONEY_SUMS})
        values["net_value"] = (staff["revenue"] - staff["staff_cost"] - staff["fixed_cost"]
                               - staff["lost_clv"])
    return {m: values[m] for m in SLOT_METRICS if m in values}


def clock(seconds: float) -> str:
    """Seconds after midnight as ``HH:MM`` (hours may pass 24)."""
    minutes = round(seconds / 60.0)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
