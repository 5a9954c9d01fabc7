"""The patron population: attributes drawn once per patron from their own stream, and the
loyalty state that experiences change. Plain arrays, no SimPy."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy import special

from sim.config.sections import Patrons


class PatronPool:
    """Every patron's appearance cue, spend per visit, value tier and bad experiences."""

    def __init__(self, plain: np.ndarray, spend: np.ndarray, top: np.ndarray,
                 top_cut: float) -> None:
        self.plain: list[bool] = plain.tolist()
        self.spend: list[float] = spend.tolist()
        self.top: list[bool] = top.tolist()
        self.top_cut = top_cut                # spend per visit that makes a patron top tier
        self.bad: dict[int, int] = {}         # patron -> bad experiences so far
        self.visits: dict[int, int] = {}      # patron -> services so far (counted only when
        #                                       staff recognise regulars: conduct.names)
        self.active: list[int] = list(range(len(self.plain)))  # patrons who still come

    @classmethod
    def draw(cls, cfg: Patrons, rng: np.random.Generator) -> PatronPool:
        """Draw ``cfg.pool_size`` patrons. Looks and spend share a Gaussian copula with
        correlation ``appearance_spend_correlation`` (0: independent)."""
        plain, spend = _attributes(cfg, rng, cfg.pool_size)
        cut = float(np.quantile(spend, 1.0 - cfg.top_tier_share)) if cfg.top_tier_share > 0 \
            else math.inf
        return cls(plain, spend, spend >= cut, cut)

    def add(self, cfg: Patrons, rng: np.random.Generator, n: int) -> None:
        """``n`` new patrons join (same attribute distributions; tier by today's cut)."""
        if n <= 0:
            return
        plain, spend = _attributes(cfg, rng, n)
        first = len(self.plain)
        self.plain.extend(plain.tolist())
        self.spend.extend(spend.tolist())
        self.top.extend((spend >= self.top_cut).tolist())
        self.active.extend(range(first, first + n))

    def remove(self, gone: set[int]) -> None:
        """Patrons who will never come back."""
        if gone:
            self.active = [p for p in self.active if p not in gone]
            for patron in gone:
                self.bad.pop(patron, None)
                self.visits.pop(patron, None)

    def __len__(self) -> int:
        return len(self.plain)


def _attributes(cfg: Patrons, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Appearance (True = plain) and spend per visit for ``n`` patrons."""
    spend_z = rng.standard_normal(n)
    other_z = rng.standard_normal(n)
    rho = cfg.appearance_spend_correlation
    polish = rho * spend_z + math.sqrt(1.0 - rho * rho) * other_z
    plain = (polish < _plain_cut(cfg.plain_share) if cfg.plain_share > 0
             else np.zeros(n, dtype=bool))
    sigma = math.sqrt(math.log1p(cfg.spend_cv ** 2))
    spend = np.exp(math.log(cfg.spend_mean) - sigma * sigma / 2.0 + sigma * spend_z)
    return plain, spend


@lru_cache(maxsize=64)
def _plain_cut(plain_share: float) -> float:
    """The polish score below which a patron looks plain: the standard normal quantile
    (``scipy.special.ndtri``, which ``scipy.stats.norm.ppf`` computes too, bit for bit,
    without importing ``scipy.stats`` for one call; cached, as any call is slow)."""
    return float(special.ndtri(plain_share))
