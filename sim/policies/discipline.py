"""Queue disciplines (treatment policies): who is served next, and how bias colours it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sim.policies.base import IN_VIEW, C, Customer, DisciplinePolicy, QueueView
from sim.policies.registry import Registry

if TYPE_CHECKING:
    from sim.config.schema import Scenario

DISCIPLINES: Registry[DisciplinePolicy] = Registry("discipline")


@DISCIPLINES.register("fifo")
@DISCIPLINES.register("equal")
class Fifo:
    """First come, first served; looks change nothing (equal treatment)."""

    in_arrival_order = True
    may_delay_greetings = False
    may_scrutinise = False

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> Fifo:
        """The policy (no settings)."""
        return cls()

    def choose(self, line: QueueView[C], bias: float, draw: Callable[[], float]) -> C | None:
        """The first in line."""
        return line.first()

    def ack_delay_factor(self, contact: Customer, bias: float) -> float:
        """1: everyone is greeted at once."""
        return 1.0

    def scrutinises(self, contact: Customer, bias: float, draw: Callable[[], float]) -> bool:
        """Never."""
        return False


@DISCIPLINES.register("appearance_biased")
class AppearanceBiased(Fifo):
    """A biased clerk serves polished customers ahead of plain ones, greets plain ones later
    and looks them up and down (the shopper doubted for how she was dressed)."""

    in_arrival_order = False
    may_delay_greetings = True
    may_scrutinise = True

    def __init__(self, overtake_probability: float, plain_ack_multiplier: float) -> None:
        self.overtake_probability = overtake_probability
        self.plain_ack_multiplier = plain_ack_multiplier

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> AppearanceBiased:
        """The policy with the scenario's overtaking and greeting-delay settings."""
        d = scenario.discipline
        return cls(d.overtake_probability, d.plain_ack_multiplier)

    def choose(self, line: QueueView[C], bias: float, draw: Callable[[], float]) -> C | None:
        """A plain walk-in at the head of the line is overtaken by the first polished one
        with probability ``overtake_probability · bias``; callers are never judged by looks
        (nobody sees them)."""
        head = line.first()
        if head is None or head.channel != IN_VIEW or not head.plain or bias <= 0.0:
            return head  # looks act only on customers in view (walk-ins)
        if draw() >= self.overtake_probability * bias:
            return head
        polished = next((c for c in line.waiting() if not c.plain), None)
        return polished if polished is not None else head

    def ack_delay_factor(self, contact: Customer, bias: float) -> float:
        """``1 + (plain_ack_multiplier − 1) · bias`` for a plain walk-in, else 1."""
        if contact.plain and contact.channel == IN_VIEW:
            return 1.0 + (self.plain_ack_multiplier - 1.0) * bias
        return 1.0

    def scrutinises(self, contact: Customer, bias: float, draw: Callable[[], float]) -> bool:
        """A plain walk-in, with probability ``bias``."""
        return contact.plain and contact.channel == IN_VIEW and bias > 0.0 and draw() < bias


@DISCIPLINES.register("value_tier")
class ValueTier(Fifo):
    """A loyalty programme: known top-tier patrons are served first, in arrival order."""

    in_arrival_order = False

    def choose(self, line: QueueView[C], bias: float, draw: Callable[[], float]) -> C | None:
        """The first top-tier patron in line, else the first in line."""
        head = line.first()
        if head is None or head.top:
            return head
        top = next((c for c in line.waiting() if c.top), None)
        return top if top is not None else head


@DISCIPLINES.register("head_start")
class HeadStart(Fifo):
    """Priority customers get a virtual head start without being told: a top-tier patron
    stands in line as if they had arrived ``discipline.head_start_s`` earlier (a real call
    centre's routing rule: 1.5 minutes); among equals, arrival order."""

    in_arrival_order = False

    def __init__(self, head_start_s: float) -> None:
        self.head_start_s = head_start_s

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> HeadStart:
        """The policy with the scenario's ``discipline.head_start_s``."""
        return cls(scenario.discipline.head_start_s)

    def choose(self, line: QueueView[C], bias: float, draw: Callable[[], float]) -> C | None:
        """The customer with the earliest virtual arrival: arrival, minus the head start for
        a top-tier patron; the first of them in line on a tie."""
        head = line.first()
        if head is None or head.top:
            return head  # nobody in line can be virtually earlier than a top-tier head
        lead = self.head_start_s
        best, best_t = head, head.arrival_s
        for c in line.waiting():
            if c.arrival_s - lead >= best_t:
                break  # arrival order: nobody later can be virtually earlier
            if c.top and c.arrival_s - lead < best_t:
                best, best_t = c, c.arrival_s - lead
        return best
