"""Replication metrics accumulated online from the model's events (memory does not grow
with run length). Warm-up is a filter here and nowhere else: contacts arriving before
``warmup_s`` and time before it are left out."""

from __future__ import annotations

import math
from collections.abc import Callable

from sim.metrics.catalogue import BASE_ACTIVITIES, GAPS, GROUPS, split_column
from sim.metrics.pay import Payroll
from sim.metrics.retrial_tally import RetrialTallies
from sim.metrics.tallies import (
    BALKED,
    BLOCKED,
    IN_SYSTEM,
    NOT_JOINED,
    SERVED,
    ActivityTimes,
    ChannelTally,
    ConductTally,
    EmailTally,
    GroupTally,
    TimeWeighted,
    channel_metrics,
    group_names,
    ratio,
)
from sim.metrics.virtual_queue import VirtualQueueTally
from sim.model.contact import CHANNELS, EMAIL, WALKOUTS, Contact

DAY_S = 86400.0  # day d of a multi-day run starts at d * DAY_S on the simulation clock

class MetricsAccumulator:
    """A :class:`~sim.model.records.Recorder` that turns events into one row of metrics."""

    def __init__(self, warmup_s: float, targets_s: dict[str, float],
                 distraction_kinds: tuple[str, ...] = (), clv_per_spend: float = 0.0,
                 by_group: bool = True, open_s: float = 0.0, conduct: bool = False,
                 payroll: Payroll | None = None, retrials: bool = False) -> None:
        """``warmup_s``: the end of warm-up on the clock (day 0's window starts there);
        ``open_s``: opening time (s after midnight): each later day's window starts at it,
        so a multi-day run's time-weighted metrics are per open hour, nights left out;
        ``conduct``: a conduct lever is on (report the conduct columns); ``payroll``: the
        staff's pay and the fixed cost (None: nobody is paid, nothing costs); ``retrials``:
        customers may try again (report the retrial columns)."""
        self.warmup_s = warmup_s
        self.open_s = open_s
        self.observed_s = 0.0  # the closed days' windows (s)
        self.clv_per_spend = clv_per_spend  # CLV of a patron per unit of spend per visit
        self.days: list[dict[str, float]] = []  # one small row per day of a multi-day run
        self.realised_churn = 0.0
        self.groups = {g: GroupTally() for g in GROUPS}
        # appearance within each channel: looks can act only on customers in view
        self.channel_looks = {(ch, plain): GroupTally() for ch in CHANNELS
                              for plain in (False, True)}
        self._tallies_of = {(p, t): tuple(self.groups[g] for g in group_names(p, t))
                            for p in (False, True) for t in (False, True)}  # groups_of, once
        self.by_group = by_group  # split by appearance and tier (off: columns stay, empty)
        self.targets_s = targets_s
        self.tallies = {ch: ChannelTally() for ch in CHANNELS}
        self.email = EmailTally()
        self.activities = ActivityTimes(warmup_s, BASE_ACTIVITIES + distraction_kinds)
        self.payroll = Payroll(()) if payroll is None else payroll
        # The Recorder's activity_changed, made once: it runs at every change of activity.
        times, since, book = self.activities.changed, self.payroll.since, self.payroll.book

        def activity_changed(t: float, staff_id: int, activity: str) -> None:
            times(t, staff_id, activity)
            if activity == "off":  # Payroll.changed, inlined
                start = since.pop(staff_id, None)
                if start is not None:
                    book(staff_id, start, t)
            elif staff_id not in since:
                since[staff_id] = t

        self.activity_changed: Callable[[float, int, str], None] = activity_changed
        self.queues = {ch: TimeWeighted(warmup_s) for ch in CHANNELS}
        self.busy = TimeWeighted(warmup_s)
        self.on_duty = TimeWeighted(warmup_s)
        self.end_s = math.inf  # until run_ended
        self.queue_time_s = 0.0
        self.conduct = ConductTally() if conduct else None
        self.retrials = RetrialTallies() if retrials else None
        self.virtual = VirtualQueueTally()

    def ack_histograms(self) -> dict[str, dict[int, int]]:
        """Time to acknowledge per channel: {bin: count}, bin ``i`` is ``[i, i+1) * ACK_BIN_S``
        seconds (contacts acknowledged after warm-up)."""
        return {ch: dict(sorted(t.ack_hist.items())) for ch, t in self.tallies.items()}

    def contact_ended(self, contact: Contact) -> None:
        """Count a contact that ended (or is still in the system at the end of the run)."""
        if self.conduct is not None and contact.arrival_s >= self.warmup_s:
            self.conduct.add(contact, contact.spend * self.clv_per_spend)
        if contact.channel == EMAIL:
            if contact.arrival_s >= self.warmup_s:
                self.email.add(contact, self.targets_s[EMAIL])
            return
        outcome = contact.outcome
        if outcome is not BALKED and outcome is not BLOCKED:
            self._add_queue_time(contact)
        if contact.arrival_s >= self.warmup_s:
            channel = contact.channel
            self.tallies[channel].add(contact, self.targets_s[channel])
            if self.retrials is not None:
                self.retrials.add(contact)
            self.virtual.add(contact)
            if self.by_group and outcome is not IN_SYSTEM:
                clv = contact.spend * self.clv_per_spend
                walked_out, served = outcome in WALKOUTS, outcome is SERVED
                joined = outcome not in NOT_JOINED
                for tally in self._tallies_of[contact.plain, contact.top]:
                    tally.add_values(walked_out, served, joined, contact, clv)
                self.channel_looks[channel, contact.plain].add_values(
                    walked_out, served, joined, contact, clv)

    def _add_queue_time(self, c: Contact) -> None:
        """Customer-seconds waited inside the observed window (sample-path Little's law:
        their sum equals the integral of the queue length over the window); not called for
        contacts that never joined (balked, blocked)."""
        start, end_s = c.start_s, self.end_s
        if start == start:
            left = start
        elif c.end_s == c.end_s:
            left = c.end_s
        else:  # still waiting when the run ended
            left = end_s
        arrival, warmup = c.arrival_s, self.warmup_s
        overlap = (left if left < end_s else end_s) - (arrival if arrival > warmup else warmup)
        if overlap > 0.0:
            self.queue_time_s += overlap

    def queue_changed(self, t: float, channel: str, waiting: int) -> None:
        """``waiting`` contacts wait on ``channel`` from time ``t`` (s)."""
        tw = self.queues[channel]  # TimeWeighted.update, inlined: this runs at every join
        if t > tw.last_t:
            tw.area += tw.value * (t - tw.last_t)
            tw.last_t = t
        tw.value = waiting

    def staff_changed(self, t: float, busy: int, on_duty: int) -> None:
        """``busy`` of ``on_duty`` staff serve from time ``t`` (s)."""
        # TimeWeighted.update twice, inlined: this runs at every start and end of service
        tw = self.busy
        if t > tw.last_t:
            tw.area += tw.value * (t - tw.last_t)
            tw.last_t = t
        tw.value = busy
        tw = self.on_duty
        if t > tw.last_t:
            tw.area += tw.value * (t - tw.last_t)
            tw.last_t = t
        tw.value = on_duty

    def day_ended(self, row: dict[str, float]) -> None:
        """Keep one day's row of a multi-day run (patrons, churn, money)."""
        self.days.append(dict(row))
        self.realised_churn += row["churned"]

    def run_ended(self, t: float) -> None:
        """Close the observed window at ``t`` (s; never before the end of warm-up). In a
        multi-day run this ends each day: the day's window (from its opening, or the end of
        warm-up on day 0) counts towards the observed time; the night does not."""
        day = len(self.days)  # day_ended follows run_ended: the days closed before this one
        start = self.warmup_s if day == 0 else day * DAY_S + self.open_s
        self.observed_s += max(0.0, t - start)
        self.end_s = max(t, self.warmup_s)
        self.payroll.day_closed(day, self.end_s)
        for tw in (*self.queues.values(), self.busy, self.on_duty):
            tw.close(self.end_s)
        self.activities.close(self.end_s)

    def metrics(self) -> dict[str, float]:
        """Canonical metrics: totals over channels, then ``walk_in_*`` and ``phone_*``."""
        observed = self.observed_s
        row = channel_metrics(list(self.tallies.values()),
                               sum(q.area for q in self.queues.values()), observed)
        row["utilization"] = ratio(self.busy.area, self.on_duty.area)
        row["observed_s"] = observed
        row["queue_time_s"] = self.queue_time_s
        row.update(self.activities.metrics())
        for ch in CHANNELS:
            per = channel_metrics([self.tallies[ch]], self.queues[ch].area, observed)
            row.update({split_column(k, "channel", ch): v for k, v in per.items()})
        row.update(self.email.metrics())
        row.update(self._money_and_fairness())
        row.update(self.virtual.metrics())
        if self.conduct is not None:
            row.update(self.conduct.metrics())
            row["churned_patrons"] += self.conduct.email_churn
            row["lost_clv"] += self.conduct.email_lost_clv
        if self.retrials is not None:
            row.update(self.retrials.metrics())
        if self.days:  # multi-day: churn is realised, and the pool's path is summarised
            row["churned_patrons"] = self.realised_churn
            row["active_patrons_start"] = self.days[0]["active_start"]
            row["active_patrons_end"] = self.days[-1]["active_end"]
            row["new_patrons"] = math.fsum(d["new_patrons"] for d in self.days)
        row.update(self.payroll.metrics())
        row["net_value"] = (row["revenue"] - row["staff_cost"] - row["fixed_cost"]
                            - row["lost_clv"])
        return row

    def _money_and_fairness(self) -> dict[str, float]:
        """Totals, per-group metrics, and the fairness gaps (plain minus polished)."""
        looks = (self.groups["plain"], self.groups["polished"])
        row = {
            "churned_patrons": math.fsum(g.churn for g in looks),
            "lost_clv": math.fsum(g.lost_clv for g in looks),
            "revenue": math.fsum(g.revenue for g in looks),
            "lost_revenue": math.fsum(g.lost_revenue for g in looks),
        }
        for name, tally in self.groups.items():
            row.update(tally.metrics(name))
        for (channel, plain), tally in self.channel_looks.items():
            row.update(tally.metrics("plain" if plain else "polished", f"{channel}_looks"))
        for metric, gap in GAPS:
            row[gap] = (row[split_column(metric, "group", "plain")]
                        - row[split_column(metric, "group", "polished")])
            for channel in CHANNELS:
                seen = f"{channel}_looks"
                row[split_column(gap, "channel", channel)] = (
                    row[split_column(metric, seen, "plain")]
                    - row[split_column(metric, seen, "polished")])
        return row
