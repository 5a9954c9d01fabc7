"""From one contact's experience to satisfaction and the chance the patron never returns.

Pure functions of plain values and the ``[loyalty]`` config: testable on hand-built
records without SimPy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.config import Loyalty


@dataclass(slots=True)
class Experience:
    """What happened to a customer on one contact, as they perceived it."""

    walked_out: bool = False
    wait_s: float = 0.0
    patience_s: float = math.inf  # the customer's own patience: waits are judged against it
    ignored: bool = False         # saw staff visibly distracted and was not greeted in time
    divided_attention: bool = False
    overtaken: bool = False       # a later arrival was served first
    scrutinised: bool = False     # looked up and down (appearance bias)
    thanked: bool = False
    resolved: bool = True
    temperament: str = "calm"

    @property
    def unequal(self) -> bool:
        """Perceived unequal treatment: overtaken or scrutinised."""
        return self.overtaken or self.scrutinised


@dataclass(frozen=True)
class Verdict:
    """Satisfaction in [0, 1] and its reading."""

    satisfaction: float
    bad: bool
    delighted: bool


def satisfaction(exp: Experience, cfg: Loyalty) -> Verdict:
    """1 minus the penalties for every harm (× the temperament's sensitivity), plus thanks."""
    wait_share = 0.0 if exp.patience_s == math.inf or exp.patience_s <= 0 else min(
        1.0, exp.wait_s / exp.patience_s)
    harm = (cfg.walkout_penalty * exp.walked_out
            + cfg.wait_penalty * wait_share
            + cfg.ignored_penalty * exp.ignored
            + cfg.divided_attention_penalty * exp.divided_attention
            + cfg.overtaken_penalty * exp.overtaken
            + cfg.scrutinised_penalty * exp.scrutinised
            + cfg.unresolved_penalty * (not exp.resolved))
    harm *= cfg.sensitivity.get(exp.temperament, 1.0)
    score = min(1.0, max(0.0, 1.0 - harm + cfg.thanked_bonus * exp.thanked))
    bad = exp.walked_out or score < cfg.bad_below
    return Verdict(score, bad, not bad and score >= cfg.delighted_at)


def churn_probability(bad_before: int, verdict: Verdict, unequal: bool, cfg: Loyalty) -> float:
    """P(the patron never returns) after this contact.

    Not bad: 0 (baseline attrition is applied per day elsewhere). The first bad experience:
    ``churn_after_one_bad``; each later one the conditional chance that makes the cumulative
    chance after two ``churn_after_two_bad``. Perceived unequal treatment multiplies it.
    """
    if not verdict.bad:
        return 0.0
    p1, p2 = cfg.churn_after_one_bad, cfg.churn_after_two_bad
    p = p1 if bad_before == 0 else (1.0 - (1.0 - p2) / (1.0 - p1) if p1 < 1.0 else 1.0)
    if unequal:
        p *= cfg.unequal_multiplier
    return min(1.0, p)


def customer_lifetime_value(margin_per_year: float, retention: float, discount: float) -> float:
    """``CLV = m·r / (1 + i − r)``: the discounted margin of a patron who stays each year with
    probability ``retention`` (DESIGN.md §2.5)."""
    return margin_per_year * retention / (1.0 + discount - retention)
