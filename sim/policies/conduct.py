"""Conduct policies: how staff behave with the customer in front of them, and what it costs.

One registry per lever (``resolution``, ``angry_customers``, ``thanks``, ``names``,
``complaints``, ``email_replies``); the first name in each is the counter as found. Every
class is a pure function of config values and plain numbers (seconds, probabilities,
z-scores): testable without SimPy. Each declares a capability flag; with the flag False the
model never calls it, and the contact is exactly as before these levers existed.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Protocol

from sim.policies.registry import Registry

if TYPE_CHECKING:
    from sim.config.schema import Scenario

CALM = "calm"
UPSET = frozenset({"angry", "frustrated"})  # the customers an apology is for


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1.0 - 1e-9)
    return math.log(p / (1.0 - p))


# ---------------------------------------------------------------------------- resolution


class ResolutionPolicy(Protocol):
    """Whether a served contact resolves the matter.

    Capability flag ``by_clerk``: False if the chance drawn at arrival stands (then no hook
    is called); True: :meth:`knowledge` is called once per staff member when the day starts
    and :meth:`p_unresolved` at the end of every walk-in's and call's service.
    """

    by_clerk: bool

    def knowledge(self, member: int, conscientiousness: float) -> float:
        """Member ``member``'s (roster order) chance of resolving an ordinary matter with
        undivided attention, given its conscientiousness z-score."""
        ...

    def p_unresolved(self, knowledge: float, fit_z: float, calm: bool, divided: bool) -> float:
        """P(the matter stays unresolved) for a clerk of ``knowledge`` and temperament fit
        ``fit_z`` (a z-score), with a calm (or calmed) customer or not, after divided
        attention or not."""
        ...


RESOLUTION: Registry[ResolutionPolicy] = Registry("resolution")


@RESOLUTION.register("fixed")
class FixedResolution:
    """As found: a fixed chance (``patrons.resolve_probability``), drawn at arrival."""

    by_clerk = False

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> FixedResolution:
        """The policy (no settings)."""
        return cls()

    def knowledge(self, member: int, conscientiousness: float) -> float:
        """Not used (``by_clerk`` is False)."""
        return 1.0

    def p_unresolved(self, knowledge: float, fit_z: float, calm: bool, divided: bool) -> float:
        """Not used (``by_clerk`` is False)."""
        return 0.0


@RESOLUTION.register("clerk")
class ClerkResolution:
    """Know your product, truly listen, fit the customer: resolution depends on the clerk's
    knowledge, its attention and its temperament fit with an upset or unsure customer."""

    by_clerk = True

    def __init__(self, knowledge: float | list[float], per_z: float, divided: float,
                 fit_per_z: float) -> None:
        self.given = knowledge
        self.per_z = per_z
        self.divided = divided
        self.fit_per_z = fit_per_z

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> ClerkResolution:
        """The policy with the scenario's ``resolution`` settings."""
        r = scenario.resolution
        return cls(r.knowledge, r.knowledge_per_z, r.divided_multiplier, r.fit_per_z)

    def knowledge(self, member: int, conscientiousness: float) -> float:
        """The given knowledge (one, or the member's; the last value for members beyond
        the list), moved by ``knowledge_per_z`` × conscientiousness on the log-odds scale."""
        given = self.given
        k = given if isinstance(given, float) else given[min(member, len(given) - 1)]
        if self.per_z == 0.0 or k in (0.0, 1.0):
            return k
        return 1.0 / (1.0 + math.exp(-(_logit(k) + self.per_z * conscientiousness)))

    def p_unresolved(self, knowledge: float, fit_z: float, calm: bool, divided: bool) -> float:
        """``(1 − knowledge) × divided_multiplier [if divided] × exp(−fit_per_z · fit_z)
        [if not calm]``, capped at 1."""
        p = 1.0 - knowledge
        if divided:
            p *= self.divided
        if not calm:
            p *= math.exp(-self.fit_per_z * fit_z)
        return min(1.0, p)


# ---------------------------------------------------------------------------- angry customers


class AngryCustomersRule(Protocol):
    """What a clerk does with an upset customer. Capability flag ``acts``: False if never
    anything (no hook is called, no draw is made); True: :meth:`handle` is called at the
    start of every walk-in's and call's service."""

    acts: bool

    def handle(self, temperament: str, draw: float, composure: float) -> tuple[float, bool]:
        """(seconds of the clerk's time it takes, the customer calmed down), for a customer
        of ``temperament``, the contact's Uniform(0, 1) ``draw`` made at arrival, and the
        clerk's composure multiplier (below 1: steadier)."""
        ...


ANGRY_CUSTOMERS: Registry[AngryCustomersRule] = Registry("angry_customers")


@ANGRY_CUSTOMERS.register("as_found")
class AsFoundWithAnger:
    """As found: angry customers only take longer (their temperament's service multiplier)."""

    acts = False

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> AsFoundWithAnger:
        """The rule (no settings)."""
        return cls()

    def handle(self, temperament: str, draw: float, composure: float) -> tuple[float, bool]:
        """Nothing."""
        return 0.0, False


@ANGRY_CUSTOMERS.register("apologise_and_calm")
class ApologiseAndCalm:
    """Never argue; empathise and apologise: ``apology_s`` with every angry or frustrated
    customer, who calms down with probability ``calm_probability`` ÷ the clerk's composure
    multiplier (capped at 1)."""

    acts = True

    def __init__(self, apology_s: float, calm_probability: float) -> None:
        self.apology_s = apology_s
        self.calm_probability = calm_probability

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> ApologiseAndCalm:
        """The rule with the scenario's apology time and chance of calming."""
        c = scenario.conduct
        return cls(c.apology_s, c.calm_probability)

    def handle(self, temperament: str, draw: float, composure: float) -> tuple[float, bool]:
        """``(apology_s, draw < calm_probability / composure)`` for an upset customer."""
        if temperament not in UPSET:
            return 0.0, False
        return self.apology_s, draw < min(1.0, self.calm_probability / composure)


# ---------------------------------------------------------------------------- thanks, names


class ThanksRule(Protocol):
    """Whether a served customer is thanked. Flag ``always``: False keeps the thanks drawn
    at arrival (no hook is called); True: :meth:`thank_s` is spent on every served walk-in
    and call, who is thanked."""

    always: bool

    def thank_s(self) -> float:
        """Seconds of the clerk's time a thank-you takes."""
        ...


THANKS: Registry[ThanksRule] = Registry("thanks")


@THANKS.register("by_chance")
class ThanksByChance:
    """As found: thanked by chance (``patrons.thank_probability``), at no time cost."""

    always = False

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> ThanksByChance:
        """The rule (no settings)."""
        return cls()

    def thank_s(self) -> float:
        """Not used."""
        return 0.0


@THANKS.register("always")
class ThanksAlways:
    """Thank every customer for their patronage (``conduct.thank_s`` each)."""

    always = True

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> ThanksAlways:
        """The rule with the scenario's ``conduct.thank_s``."""
        return cls(scenario.conduct.thank_s)

    def thank_s(self) -> float:
        """``conduct.thank_s``."""
        return self.seconds


class NamesRule(Protocol):
    """Whether staff recognise a patron and use their name. Flag ``recognises``: False:
    never (visits are not even counted); True: :meth:`by_name` is called at the start of
    every walk-in's and call's service with the patron's earlier services."""

    recognises: bool

    def by_name(self, visits: int) -> tuple[bool, float]:
        """(addressed by name, seconds it takes) for a patron served ``visits`` times before."""
        ...


NAMES: Registry[NamesRule] = Registry("names")


@NAMES.register("unused")
class NamesUnused:
    """As found: nobody is recognised."""

    recognises = False

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> NamesUnused:
        """The rule (no settings)."""
        return cls()

    def by_name(self, visits: int) -> tuple[bool, float]:
        """Never."""
        return False, 0.0


@NAMES.register("regulars")
class NamesForRegulars:
    """Know your customers: a patron served ``regular_after_visits`` times before is
    recognised and addressed by name (``name_s``)."""

    recognises = True

    def __init__(self, after: int, seconds: float) -> None:
        self.after = after
        self.seconds = seconds

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> NamesForRegulars:
        """The rule with the scenario's threshold and time."""
        c = scenario.conduct
        return cls(c.regular_after_visits, c.name_s)

    def by_name(self, visits: int) -> tuple[bool, float]:
        """``(True, name_s)`` for a regular, else ``(False, 0)``."""
        return (True, self.seconds) if visits >= self.after else (False, 0.0)
