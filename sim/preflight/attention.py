"""Divided attention before anything runs: whether a service interrupted by distractions
can end, and how long it takes.

During a service a staff member is distracted at the serving rate λ (episodes per second
of service: the kinds' ``serving_rate_per_hour`` × ``distractions.rate_multiplier`` / 3600,
after the staff rules, for an average member). An episode of length L serves
(1 − ``divided_attention_slowdown``)·L of the remaining work and then adds e·s of questions
asked again (s: the contact's requirement, e = ``repeat_rate`` × (``repeat_multiplier`` − 1)),
plus ``conduct.ask_s`` when the kind is taken with permission (:mod:`sim.model.staff_agent`).
Between episodes the work goes down one second a second. Per episode the remaining work
thus moves by e·s + a − P on average (a: the mean seconds asked, P: the mean work served
during an episode), against 1/λ served in between: once e·s + a ≥ 1/λ + P the remaining work
is a random walk that drifts upwards, and the service never ends (an expected length of
infinity). The threshold requirement is s* = (1/λ + P − a) / e.

:func:`check_attention` refuses a scenario in which the services of a channel can reach
s*: the channel's requirement at its 99.9% quantile (or its mean, if larger) × the slowest
temperament's service multiplier. :func:`plain_service_s` gives the
plain service time from which the resource guard (:mod:`sim.preflight.guard`) counts the
episodes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.config.schema import Scenario
from sim.config.sections import Channel
from sim.errors import UserInputError
from sim.model.behaviour import distraction_kinds, rule_marks
from sim.model.distributions import mean_of, quantile_of

PLAUSIBLE = 0.999  # the requirement quantile whose service must still be able to end
SERVED = ("walk_in", "phone")  # e-mails are answered without divided attention
WORDS = {"walk_in": "walk-in", "phone": "call"}


@dataclass(frozen=True)
class Attention:
    """Distractions during service, for an average staff member."""

    rate_s: float      # λ: episodes per second of service (all kinds)
    repeat: float      # e: questions asked again per episode, × the requirement
    ask_s: float       # a: mean seconds asking permission per episode
    progress_s: float  # P: mean seconds of work served during an episode

    @property
    def between_s(self) -> float:
        """Work served per episode, between episodes and during one (seconds, 1/λ + P)."""
        return 1.0 / self.rate_s + self.progress_s

    @property
    def threshold_s(self) -> float:
        """s*: the requirement (seconds) from which a service never ends; infinite if none
        does, 0 if every service grows (asking permission alone outgrows it)."""
        room = self.between_s - self.ask_s
        if room <= 0.0:
            return 0.0
        return room / self.repeat if self.repeat > 0.0 else math.inf

    def growth(self, requirement_s: float) -> float:
        """Mean change of the remaining work per second of plain service (negative: the
        service ends) for a contact of ``requirement_s``."""
        return self.rate_s * (self.repeat * requirement_s + self.ask_s - self.progress_s) - 1.0


def attention(scenario: Scenario) -> Attention | None:
    """The scenario's distractions during service; None if there are none."""
    kinds = distraction_kinds(scenario)
    rates = {name: k.serving_rate_per_hour / 3600.0 for name, k in kinds.items()}
    total = math.fsum(rates.values())
    if total <= 0.0:
        return None
    marks = rule_marks(scenario)
    d = scenario.distractions
    length = math.fsum(r * (mean_of(kinds[n].duration) + marks.extra_s.get(n, 0.0))
                       for n, r in rates.items()) / total
    asked = math.fsum(r for n, r in rates.items() if n in marks.with_permission) / total
    return Attention(total, d.repeat_rate * (d.repeat_multiplier - 1.0),
                     asked * scenario.conduct.ask_s,
                     length * (1.0 - d.divided_attention_slowdown))


def _multipliers(scenario: Scenario) -> tuple[float, float]:
    """The temperament mix's (largest, mean) service multiplier."""
    temper = scenario.temperament
    mix = {t: share for t, share in temper.mix.items() if share > 0.0}
    largest = max((temper.service[t] for t in mix), default=1.0)
    return largest, math.fsum(share * temper.service[t] for t, share in mix.items())


def longest_requirement(scenario: Scenario, channel: str) -> float:
    """A channel's longest plausible requirement (seconds): its service's
    :data:`PLAUSIBLE` quantile, or its mean if larger, × the largest temperament multiplier."""
    service = getattr(scenario.demand, channel).service
    largest, _ = _multipliers(scenario)
    return max(quantile_of(service, PLAUSIBLE), mean_of(service)) * largest


def amount(x: float) -> str:
    """Seconds as ``6.1e4`` from 10 000 on, else ``1,200`` (or ``0.5``)."""
    if x >= 1e4:
        mantissa, exponent = f"{x:.2g}".split("e")
        return f"{mantissa}e{int(exponent)}"
    return f"{x:,.0f}" if x >= 10 else f"{x:.2g}"


def check_attention(scenario: Scenario) -> None:
    """Refuse a scenario whose services could never end (see the module text): one line
    naming the key, the threshold and the requirement that reaches it."""
    att = attention(scenario)
    if att is None:
        return
    per_hour = f"{att.rate_s * 3600.0:.3g} an hour of service"
    if att.threshold_s == 0.0:
        raise UserInputError(
            f"conduct.ask_s = {scenario.conduct.ask_s:g}: services would never end: asking "
            f"permission for each personal call during a service ({per_hour}) takes longer "
            f"than is served between calls ({amount(att.between_s)} s); use a shorter "
            "conduct.ask_s, a lower conduct.permission_share or staff_rules.personal_phones "
            '= "on_quiet"')
    for channel in SERVED:
        demand: Channel = getattr(scenario.demand, channel)
        if not demand.is_open:
            continue
        longest = longest_requirement(scenario, channel)
        if longest < att.threshold_s:
            continue
        raise UserInputError(
            f"demand.{channel}.service: {WORDS[channel]} services would never end: each "
            f"distraction during a service ({per_hour}) adds {att.repeat:.3g} × the "
            "requirement in questions asked again (distractions.repeat_rate × "
            "(repeat_multiplier − 1)), more than is served between distractions for a "
            f"requirement of {amount(att.threshold_s)} s or more, which this service reaches "
            f"({amount(longest)} s: its 99.9% quantile × the slowest temperament's "
            f"multiplier {_multipliers(scenario)[0]:g}); use a shorter service, fewer "
            "distractions during service (distractions.kinds.*.serving_rate_per_hour, "
            "rate_multiplier), a lower distractions.repeat_rate, or distractions.enabled = "
            "false")


def plain_service_s(scenario: Scenario, att: Attention, channel: str) -> float:
    """Expected seconds of plain (undistracted) service of a channel's contact of mean
    requirement m (× the temperament mix's mean multiplier): m / (−growth(m)), the time in
    which λ × it episodes start; infinite if the service of the mean requirement grows."""
    _, mean_multiplier = _multipliers(scenario)
    mean = mean_of(getattr(scenario.demand, channel).service) * mean_multiplier
    shrink = -att.growth(mean)
    return mean / shrink if shrink > 0.0 else math.inf
