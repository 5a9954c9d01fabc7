"""From one contact's experience to satisfaction and the chance the patron never returns.

Pure functions of plain values and the ``[loyalty]`` config: testable on hand-built
records without SimPy.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from sim.config.sections import Loyalty


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


Scorer = Callable[[bool, float, bool, bool, bool, bool, bool, bool, str], tuple[float, bool, bool]]


def make_scorer(cfg: Loyalty) -> Scorer:
    """A fast satisfaction function over plain values (the model calls it per contact):
    ``(walked_out, wait_share, ignored, divided, overtaken, scrutinised, thanked, resolved,
    temperament) -> (satisfaction, bad, delighted)``."""
    w_out, w_wait, w_ign = cfg.walkout_penalty, cfg.wait_penalty, cfg.ignored_penalty
    w_div, w_over = cfg.divided_attention_penalty, cfg.overtaken_penalty
    w_scr, w_unres, bonus = cfg.scrutinised_penalty, cfg.unresolved_penalty, cfg.thanked_bonus
    sensitivity, bad_below, delighted_at = cfg.sensitivity, cfg.bad_below, cfg.delighted_at

    def score(walked_out: bool, wait_share: float, ignored: bool, divided: bool,
              overtaken: bool, scrutinised: bool, thanked: bool, resolved: bool,
              temperament: str) -> tuple[float, bool, bool]:
        # w_out·walked_out + w_wait·wait_share + w_ign·ignored + ... summed left to right;
        # a harm that did not happen adds exactly 0.0 (penalties are >= 0), so it is skipped.
        harm = w_out if walked_out else 0.0
        harm += w_wait * wait_share
        if ignored:
            harm += w_ign
        if divided:
            harm += w_div
        if overtaken:
            harm += w_over
        if scrutinised:
            harm += w_scr
        if not resolved:
            harm += w_unres
        harm *= sensitivity.get(temperament, 1.0)
        value = 1.0 - harm + bonus if thanked else 1.0 - harm
        value = value if value > 0.0 else 0.0  # max(0.0, value)
        value = value if value < 1.0 else 1.0  # min(1.0, value)
        bad = walked_out or value < bad_below
        return value, bad, not bad and value >= delighted_at

    return score


def wait_share(wait_s: float, patience_s: float) -> float:
    """The wait judged against the customer's own patience, capped at 1."""
    if patience_s == math.inf or patience_s <= 0.0:
        return 0.0
    return min(1.0, wait_s / patience_s)


def satisfaction(exp: Experience, cfg: Loyalty) -> Verdict:
    """1 minus the penalties for every harm (× the temperament's sensitivity), plus thanks."""
    value, bad, delighted = make_scorer(cfg)(
        exp.walked_out, wait_share(exp.wait_s, exp.patience_s), exp.ignored,
        exp.divided_attention, exp.overtaken, exp.scrutinised, exp.thanked, exp.resolved,
        exp.temperament)
    return Verdict(value, bad, delighted)


def churn_probability(bad_before: int, verdict: Verdict, unequal: bool, cfg: Loyalty) -> float:
    """P(the patron never returns) after this contact.

    Not bad: 0 (baseline attrition is applied per day elsewhere). The first bad experience:
    ``churn_after_one_bad``; each later one the conditional chance that makes the cumulative
    chance after two ``churn_after_two_bad``. Perceived unequal treatment multiplies it.
    """
    return churn_after_bad(bad_before, unequal, cfg) if verdict.bad else 0.0


def churn_after_bad(bad_before: int, unequal: bool, cfg: Loyalty) -> float:
    """P(never return) after a bad experience, the patron's ``bad_before + 1``-th:
    ``churn_after_one_bad`` for the first; for the second the conditional chance that makes
    the cumulative chance ``churn_after_two_bad``; ``churn_after_further_bad`` for each later
    one (0 by default: the cumulative chance stays at ``churn_after_two_bad``). Perceived
    unequal treatment multiplies it (capped at 1)."""
    p1, p2 = cfg.churn_after_one_bad, cfg.churn_after_two_bad
    if bad_before == 0:
        p = p1
    elif bad_before == 1:
        p = 1.0 - (1.0 - p2) / (1.0 - p1) if p1 < 1.0 else 1.0
    else:
        p = cfg.churn_after_further_bad
    if unequal:
        p *= cfg.unequal_multiplier
    return min(1.0, p)


def customer_lifetime_value(margin_per_year: float, retention: float, discount: float) -> float:
    """``CLV = m·r / (1 + i − r)``: the discounted margin of a patron who stays each year
    with probability ``retention`` (docs/model.md, "Experience, satisfaction and churn")."""
    return margin_per_year * retention / (1.0 + discount - retention)
