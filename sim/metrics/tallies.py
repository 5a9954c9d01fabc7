"""The running tallies behind the replication metrics: time-weighted integrals, counts and
sums per channel, per patron group, for e-mail and per staff activity (memory does not grow
with run length)."""

from __future__ import annotations

import math
from collections import Counter

from sim.metrics.catalogue import NOT_DISTRACTED, activity_column, split_column
from sim.model.contact import EMAIL, WALKOUTS, Contact, Outcome

ACK_BIN_S = 1.0          # resolution of the time-to-acknowledge histogram (p90)


def censored_quantile(events: Counter[int], censored: Counter[int], q: float,
                      bin_s: float) -> float:
    """The ``q`` quantile (upper bin edge, seconds) of a time observed for some and
    right-censored for others (both as sparse histograms {bin: count}): the Kaplan-Meier
    estimate, censorings in a bin counted at risk for that bin's events. NaN if the
    estimate never reaches ``q`` (too many censored) or there is nothing to estimate.
    Without censoring it is the plain quantile: the first bin where the running count
    reaches ``q`` × the total."""
    at_risk = sum(events.values()) + sum(censored.values())
    survival = 1.0
    for i in sorted(events.keys() | censored.keys()):
        d = events.get(i, 0)
        if d:
            survival *= 1.0 - d / at_risk
            if 1.0 - survival >= q - 1e-12:
                return (i + 1) * bin_s
        at_risk -= d + censored.get(i, 0)
    return math.nan


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


NOT_JOINED = frozenset({Outcome.BALKED, Outcome.BLOCKED, Outcome.IN_SYSTEM})
# Module constants: reading ``Outcome.X`` is an enum-class lookup on every contact.
SERVED = Outcome.SERVED
BALKED = Outcome.BALKED
BLOCKED = Outcome.BLOCKED
IN_SYSTEM = Outcome.IN_SYSTEM


class ChannelTally:
    """Counts and sums for one channel."""

    __slots__ = ("ack_hist", "ack_n", "ack_sum", "ack_within", "censored_hist", "divided",
                 "during_scene",
                 "held", "ignored", "n", "outcomes", "people_out", "served_within", "wait_n",
                 "wait_positive", "wait_sum")

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
        self.ack_hist: Counter[int] = Counter()
        self.censored_hist: Counter[int] = Counter()  # left unacknowledged: time in line
        self.divided = 0         # served with divided attention (a personal call during service)
        self.during_scene = 0    # walked out while a visible scene (argument) went on
        self.ignored = 0         # saw staff visibly distracted and were not greeted within target
        self.held = 0            # calls that spent time on hold for a walk-in
        self.people_out = 0      # people lost with walkouts (a walk-in party leaves together)

    def add(self, c: Contact, target_s: float) -> None:
        """Count one finished contact."""
        self.n += 1
        outcome = c.outcome
        assert outcome is not None
        self.outcomes[outcome] += 1
        if outcome in WALKOUTS:
            self.people_out += c.party
            if c.during_scene:
                self.during_scene += 1
        if c.ignored:
            self.ignored += 1
        if c.held_s > 0.0:
            self.held += 1
        if outcome in NOT_JOINED:
            return
        if c.divided_attention:
            self.divided += 1
        arrival = c.arrival_s
        start = c.start_s
        wait = (start if start == start else c.end_s) - arrival  # Contact.wait_s, inlined
        self.wait_n += 1
        self.wait_sum += wait
        if wait > 0.0:
            self.wait_positive += 1
        ack = c.ack_s
        if ack == ack:  # acknowledged (not NaN)
            to_ack = ack - arrival
            self.ack_n += 1
            self.ack_sum += to_ack
            self.ack_hist[int(to_ack / ACK_BIN_S)] += 1
            if to_ack <= target_s:
                self.ack_within += 1
        else:  # left the line unacknowledged: censored at its leaving time
            self.censored_hist[int((c.end_s - arrival) / ACK_BIN_S)] += 1
        if outcome is SERVED and wait <= target_s:
            self.served_within += 1


def ratio(a: float, b: float) -> float:
    """``a / b``, NaN when ``b`` is zero (nothing to take a share or mean of)."""
    return a / b if b else math.nan


def channel_metrics(tallies: list[ChannelTally], queue_area: float, observed_s: float,
                     ) -> dict[str, float]:
    """The contact metrics (catalogue family ``contacts``, unsplit names) over
    ``tallies``; ``queue_area`` in contact-seconds, ``observed_s`` in seconds."""

    def total(get: str) -> float:
        return float(sum(getattr(t, get) for t in tallies))

    def outcome(o: Outcome) -> int:
        return sum(t.outcomes[o] for t in tallies)

    arrivals = total("n")
    walkouts = sum(outcome(o) for o in WALKOUTS)
    left = arrivals - outcome(Outcome.IN_SYSTEM)  # still inside at a hard close: no outcome
    wait_n = total("wait_n")
    hist: Counter[int] = sum((t.ack_hist for t in tallies), Counter())
    censored: Counter[int] = sum((t.censored_hist for t in tallies), Counter())
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
        "walkout_rate": ratio(walkouts, left),
        "walkout_rate_of_arrivals": ratio(walkouts, arrivals),
        "mean_wait_s": ratio(total("wait_sum"), wait_n),
        "p_wait": ratio(total("wait_positive"), wait_n),
        "mean_time_to_ack_acknowledged_s": ratio(total("ack_sum"), total("ack_n")),
        "median_time_to_ack_s": censored_quantile(hist, censored, 0.5, ACK_BIN_S),
        "p90_time_to_ack_s": censored_quantile(hist, censored, 0.9, ACK_BIN_S),
        "p_ack_within_target": ratio(total("ack_within"), wait_n),
        "service_level": ratio(total("served_within"), wait_n),
        "mean_queue_length": ratio(queue_area, observed_s),
        "joined_left": wait_n,
        "divided_attention_services": total("divided"),
        "walkouts_during_scene": total("during_scene"),
        "ignored_while_distracted": total("ignored"),
        "held_for_walk_in": total("held"),
        "walkout_people": total("people_out"),
    }


class GroupTally:
    """Outcomes, treatment and money for one group of patrons (appearance or value tier)."""

    __slots__ = ("ack_n", "ack_sum", "arrivals", "churn", "lost_clv", "lost_revenue",
                 "revenue", "wait_n", "wait_sum", "walkouts")

    def __init__(self) -> None:
        self.arrivals = 0
        self.walkouts = 0
        self.ack_n = 0
        self.ack_sum = 0.0
        self.wait_n = 0
        self.wait_sum = 0.0
        self.churn = 0.0          # expected patrons lost (sum of P(never return))
        self.revenue = 0.0
        self.lost_revenue = 0.0
        self.lost_clv = 0.0

    def add(self, c: Contact, clv: float) -> None:
        """Count one contact that ended (not one still in the system)."""
        outcome = c.outcome
        self.add_values(outcome in WALKOUTS, outcome is SERVED, outcome not in NOT_JOINED,
                        c, clv)

    def add_values(self, walked_out: bool, served: bool, joined: bool, c: Contact,
                   clv: float) -> None:
        """Count one contact whose outcome class is already known (one contact counts in
        two or three groups; the caller classifies it once)."""
        self.arrivals += 1
        if walked_out:
            self.walkouts += 1
            self.lost_revenue += c.spend
        elif served:
            self.revenue += c.spend
        if joined:
            self.wait_n += 1
            start = c.start_s
            self.wait_sum += (start if start == start else c.end_s) - c.arrival_s
            ack = c.ack_s
            if ack == ack:
                self.ack_n += 1
                self.ack_sum += ack - c.arrival_s
        self.churn += c.churn_p
        self.lost_clv += c.churn_p * clv

    def metrics(self, group: str, split: str = "group") -> dict[str, float]:
        """The group's metrics, named by the catalogue's ``split`` (``group``: names ending
        ``_<group>``; ``walk_in_looks``: ``walk_in_<metric>_<group>``)."""
        values = {
            "arrivals": float(self.arrivals),
            "walkout_rate": ratio(self.walkouts, self.arrivals),
            "mean_time_to_ack_acknowledged_s": ratio(self.ack_sum, self.ack_n),
            "mean_wait_s": ratio(self.wait_sum, self.wait_n),
            "churn_per_contact": ratio(self.churn, self.arrivals),
            "churned_patrons": self.churn,
            "revenue": self.revenue,
            "lost_revenue": self.lost_revenue,
            "lost_clv": self.lost_clv,
        }
        return {split_column(base, split, group): v for base, v in values.items()}


def groups_of(c: Contact) -> tuple[str, ...]:
    """The patron groups a contact counts in."""
    return group_names(c.plain, c.top)


def group_names(plain: bool, top: bool) -> tuple[str, ...]:
    """The catalogue groups of a patron by appearance and value tier."""
    looks = "plain" if plain else "polished"
    tier = "top" if top else "regular"
    return (looks, tier, "plain_top") if plain and top else (looks, tier)


class EmailTally:
    """Emails answered and their response times (arrival to answer sent)."""

    __slots__ = ("answered", "arrivals", "response_sum", "unanswered", "within")

    def __init__(self) -> None:
        self.arrivals = 0
        self.answered = 0
        self.unanswered = 0
        self.response_sum = 0.0
        self.within = 0

    def add(self, c: Contact, target_s: float) -> None:
        """Count one email (answered, or still unanswered at the end)."""
        self.arrivals += 1
        if c.outcome is Outcome.SERVED:
            self.answered += 1
            response = c.end_s - c.arrival_s
            self.response_sum += response
            if response <= target_s:
                self.within += 1
        else:
            self.unanswered += 1

    def metrics(self) -> dict[str, float]:
        """Email metrics; the within-target share is over all emails received."""
        return {
            "email_arrivals": float(self.arrivals),
            "email_answered": float(self.answered),
            "email_unanswered_end": float(self.unanswered),
            "email_mean_response_s": ratio(self.response_sum, self.answered),
            "email_p_within_target": ratio(self.within, self.arrivals),
        }


class ActivityTimes:
    """Staff time per activity inside the observed window (seconds)."""

    def __init__(self, start_s: float, activities: tuple[str, ...]) -> None:
        self.start_s = start_s
        self.activities = activities
        self.seconds = dict.fromkeys(activities, 0.0)
        self._current: dict[int, tuple[float, str]] = {}

    def changed(self, t: float, staff_id: int, activity: str) -> None:
        """``staff_id`` does ``activity`` from ``t``."""
        previous = self._current.get(staff_id)
        if previous is not None:
            since, doing = previous
            start = self.start_s
            span = t - (since if since > start else start)
            if span > 0.0 and doing != "off":
                self.seconds[doing] = self.seconds.get(doing, 0.0) + span
        self._current[staff_id] = (t, activity)

    def close(self, t: float) -> None:
        """Count every open activity up to ``t``."""
        for staff_id, (_, doing) in list(self._current.items()):
            self.changed(t, staff_id, doing)

    def metrics(self) -> dict[str, float]:
        """Share of present staff time per activity, and the distracted share."""
        present = math.fsum(self.seconds.values())
        row = {activity_column(a): ratio(self.seconds.get(a, 0.0), present)
               for a in self.activities}
        distracted = math.fsum(v for a, v in self.seconds.items() if a not in NOT_DISTRACTED)
        row["distracted_fraction"] = ratio(distracted, present)
        return row




class ConductTally:
    """The conduct levers' cost and effects: staff time on conduct, unresolved services,
    complaints, and the loyalty lost after scored e-mail replies."""

    __slots__ = ("complaints", "email_churn", "email_lost_clv", "seconds", "unresolved")

    def __init__(self) -> None:
        self.seconds = 0.0
        self.unresolved = 0
        self.complaints = 0
        self.email_churn = 0.0
        self.email_lost_clv = 0.0

    def add(self, c: Contact, clv: float) -> None:
        """Count one contact that ended (any channel; ``clv``: its patron's lifetime value)."""
        self.seconds += c.conduct_s
        self.complaints += c.complained
        if c.channel == EMAIL:
            self.email_churn += c.churn_p
            self.email_lost_clv += c.churn_p * clv
        elif c.outcome is Outcome.SERVED and not c.resolved:
            self.unresolved += 1

    def metrics(self) -> dict[str, float]:
        """The conduct columns."""
        return {"conduct_time_s": self.seconds, "unresolved": float(self.unresolved),
                "complaints": float(self.complaints), "email_churned_patrons": self.email_churn}
