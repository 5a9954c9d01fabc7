"""Replication metrics accumulated online from the model's events (memory does not grow
with run length). Warm-up is a filter here and nowhere else: contacts arriving before
``warmup_s`` and time before it are left out."""

from __future__ import annotations

import math

from sim.contact import CHANNELS, WALKOUTS, Contact, Outcome


class TimeWeighted:
    """Integral of a piecewise-constant quantity over ``[start_s, end]``."""

    __slots__ = ("area", "last_t", "start_s", "value")

    def __init__(self, start_s: float) -> None:
        self.start_s = start_s
        self.last_t = start_s
        self.value = 0.0
        self.area = 0.0

    def update(self, t: float, value: float) -> None:
        """The quantity becomes ``value`` at time ``t`` (s); times must not decrease."""
        if t > self.last_t:
            self.area += self.value * (t - self.last_t)
            self.last_t = t
        self.value = value

    def close(self, t: float) -> None:
        """Extend the integral to ``t``."""
        self.update(t, self.value)


class ChannelTally:
    """Counts and sums for one channel."""

    __slots__ = ("ack_n", "ack_sum", "ack_within", "n", "outcomes", "served_within",
                 "wait_n", "wait_positive", "wait_sum")

    def __init__(self) -> None:
        self.n = 0
        self.outcomes = dict.fromkeys(Outcome, 0)
        self.wait_n = 0          # joiners who left the line (served or walked out)
        self.wait_sum = 0.0
        self.wait_positive = 0
        self.ack_n = 0
        self.ack_sum = 0.0
        self.ack_within = 0      # joiners acknowledged within target
        self.served_within = 0   # joiners whose service started within target

    def add(self, c: Contact, target_s: float) -> None:
        """Count one finished contact."""
        self.n += 1
        outcome = c.outcome
        assert outcome is not None
        self.outcomes[outcome] += 1
        if outcome in (Outcome.BALKED, Outcome.BLOCKED, Outcome.IN_SYSTEM):
            return
        wait = c.wait_s()
        self.wait_n += 1
        self.wait_sum += wait
        if wait > 0.0:
            self.wait_positive += 1
        if c.acknowledged:
            to_ack = c.ack_s - c.arrival_s
            self.ack_n += 1
            self.ack_sum += to_ack
            if to_ack <= target_s:
                self.ack_within += 1
        if outcome is Outcome.SERVED and wait <= target_s:
            self.served_within += 1


def _ratio(a: float, b: float) -> float:
    return a / b if b else math.nan


def _channel_metrics(tallies: list[ChannelTally], queue_area: float, observed_s: float,
                     ) -> dict[str, float]:
    def total(get: str) -> float:
        return float(sum(getattr(t, get) for t in tallies))

    def outcome(o: Outcome) -> int:
        return sum(t.outcomes[o] for t in tallies)

    arrivals = total("n")
    walkouts = sum(outcome(o) for o in WALKOUTS)
    wait_n = total("wait_n")
    return {
        "arrivals": arrivals,
        "served": outcome(Outcome.SERVED),
        "balked": outcome(Outcome.BALKED),
        "reneged_unacknowledged": outcome(Outcome.RENEGED_UNACKNOWLEDGED),
        "reneged_acknowledged": outcome(Outcome.RENEGED_ACKNOWLEDGED),
        "abandoned": outcome(Outcome.ABANDONED),
        "blocked": outcome(Outcome.BLOCKED),
        "walkouts": walkouts,
        "in_system_end": outcome(Outcome.IN_SYSTEM),
        "walkout_rate": _ratio(walkouts, arrivals),
        "mean_wait_s": _ratio(total("wait_sum"), wait_n),
        "p_wait": _ratio(total("wait_positive"), wait_n),
        "mean_time_to_ack_s": _ratio(total("ack_sum"), total("ack_n")),
        "p_ack_within_target": _ratio(total("ack_within"), wait_n),
        "service_level": _ratio(total("served_within"), wait_n),
        "mean_queue_length": _ratio(queue_area, observed_s),
        "joined_left": wait_n,
    }


class MetricsAccumulator:
    """A :class:`~sim.records.Recorder` that turns events into one row of metrics."""

    def __init__(self, warmup_s: float, targets_s: dict[str, float]) -> None:
        self.warmup_s = warmup_s
        self.targets_s = targets_s
        self.tallies = {ch: ChannelTally() for ch in CHANNELS}
        self.queues = {ch: TimeWeighted(warmup_s) for ch in CHANNELS}
        self.busy = TimeWeighted(warmup_s)
        self.on_duty = TimeWeighted(warmup_s)
        self.end_s = math.inf  # until run_ended
        self.queue_time_s = 0.0

    def contact_ended(self, contact: Contact) -> None:
        self._add_queue_time(contact)
        if contact.arrival_s >= self.warmup_s:
            self.tallies[contact.channel].add(contact, self.targets_s[contact.channel])

    def _add_queue_time(self, c: Contact) -> None:
        """Customer-seconds waited inside the observed window (sample-path Little's law:
        their sum equals the integral of the queue length over the window)."""
        if c.outcome in (Outcome.BALKED, Outcome.BLOCKED):
            return
        if c.start_s == c.start_s:
            left = c.start_s
        elif c.end_s == c.end_s:
            left = c.end_s
        else:  # still waiting when the run ended
            left = self.end_s
        overlap = min(left, self.end_s) - max(c.arrival_s, self.warmup_s)
        if overlap > 0.0:
            self.queue_time_s += overlap

    def queue_changed(self, t: float, channel: str, waiting: int) -> None:
        self.queues[channel].update(t, waiting)

    def staff_changed(self, t: float, busy: int, on_duty: int) -> None:
        self.busy.update(t, busy)
        self.on_duty.update(t, on_duty)

    def run_ended(self, t: float) -> None:
        self.end_s = max(t, self.warmup_s)
        for tw in (*self.queues.values(), self.busy, self.on_duty):
            tw.close(self.end_s)

    def metrics(self) -> dict[str, float]:
        """Canonical metrics: totals over channels, then ``walk_in_*`` and ``phone_*``."""
        observed = self.end_s - self.warmup_s
        row = _channel_metrics(list(self.tallies.values()),
                               sum(q.area for q in self.queues.values()), observed)
        row["utilization"] = _ratio(self.busy.area, self.on_duty.area)
        row["observed_s"] = observed
        row["queue_time_s"] = self.queue_time_s
        for ch in CHANNELS:
            per = _channel_metrics([self.tallies[ch]], self.queues[ch].area, observed)
            row.update({f"{ch}_{k}": v for k, v in per.items()})
        return row
