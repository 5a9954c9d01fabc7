"""The patron population: attributes drawn once per patron from their own stream, and the
loyalty state that experiences change. Plain arrays, no SimPy."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from sim.config import Money, Patrons
from sim.experience import customer_lifetime_value


class PatronPool:
    """Every patron's appearance cue, spend per visit, value tier and bad experiences."""

    def __init__(self, plain: np.ndarray, spend: np.ndarray, top: np.ndarray) -> None:
        self.plain = plain.tolist()
        self.spend = spend.tolist()
        self.top = top.tolist()
        self.bad: dict[int, int] = {}  # patron -> bad experiences so far

    @classmethod
    def draw(cls, cfg: Patrons, rng: np.random.Generator) -> PatronPool:
        """Draw ``cfg.pool_size`` patrons. Looks and spend share a Gaussian copula with
        correlation ``appearance_spend_correlation`` (0: independent)."""
        n = cfg.pool_size
        spend_z = rng.standard_normal(n)
        other_z = rng.standard_normal(n)
        rho = cfg.appearance_spend_correlation
        polish = rho * spend_z + math.sqrt(1.0 - rho * rho) * other_z
        plain = polish < stats.norm.ppf(cfg.plain_share) if cfg.plain_share > 0 else np.zeros(
            n, dtype=bool)
        sigma = math.sqrt(math.log1p(cfg.spend_cv ** 2))
        spend = np.exp(math.log(cfg.spend_mean) - sigma * sigma / 2.0 + sigma * spend_z)
        cut = np.quantile(spend, 1.0 - cfg.top_tier_share) if cfg.top_tier_share > 0 else np.inf
        top = spend >= cut
        return cls(plain, spend, top)

    def __len__(self) -> int:
        return len(self.plain)

    def clv(self, patron: int, money: Money) -> float:
        """Lifetime value of ``patron``: margin per year from its spend, retention, discount."""
        margin = self.spend[patron] * money.visits_per_year * money.margin_share
        return customer_lifetime_value(margin, money.annual_retention, money.discount_rate)
