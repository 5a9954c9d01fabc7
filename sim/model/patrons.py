"""The patron population: attributes drawn once per patron from their own stream, and the
loyalty state that experiences change. Plain arrays, no SimPy."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache

import numpy as np
from scipy import special

from sim.config.sections import Patrons


class PatronPool:
    """Every patron's appearance cue, spend per visit, value tier and bad experiences."""

    def __init__(self, plain: np.ndarray, spend: np.ndarray, top: np.ndarray,
                 top_cut: float) -> None:
        self._set(plain, spend, top, top_cut)
        self._pending: tuple[Patrons, Callable[[], np.random.Generator]] | None = None
        self.bad: dict[int, int] = {}         # patron -> bad experiences so far
        self.visits: dict[int, int] = {}      # patron -> services so far (counted only when
        #                                       staff recognise regulars: conduct.names)
        self.active: list[int] = list(range(len(self._plain)))  # patrons who still come

    def _set(self, plain: np.ndarray, spend: np.ndarray, top: np.ndarray,
             top_cut: float) -> None:
        self._plain: list[bool] = plain.tolist()
        self._spend: list[float] = spend.tolist()
        self._top: list[bool] = top.tolist()
        self._top_cut = top_cut               # spend per visit that makes a patron top tier

    @classmethod
    def draw(cls, cfg: Patrons, rng: np.random.Generator) -> PatronPool:
        """Draw ``cfg.pool_size`` patrons. Looks and spend share a Gaussian copula with
        correlation ``appearance_spend_correlation`` (0: independent)."""
        plain, spend = _attributes(cfg, rng, cfg.pool_size)
        cut = float(np.quantile(spend, 1.0 - cfg.top_tier_share)) if cfg.top_tier_share > 0 \
            else math.inf
        return cls(plain, spend, spend >= cut, cut)

    @classmethod
    def lazy(cls, cfg: Patrons, rng: Callable[[], np.random.Generator]) -> PatronPool:
        """:meth:`draw`, done the first time an attribute is read (``rng()``: the pool's own
        stream, used for nothing else): a run that never reads looks or spend (loyalty off,
        every customer alike) skips the draw, and any other gets the same patrons."""
        pool = cls.__new__(cls)
        pool._pending = (cfg, rng)
        pool.bad, pool.visits = {}, {}
        pool.active = list(range(cfg.pool_size))
        return pool

    def _realise(self) -> None:
        if self._pending is not None:
            cfg, rng = self._pending
            self._pending = None
            drawn = PatronPool.draw(cfg, rng())
            self._plain, self._spend, self._top = drawn._plain, drawn._spend, drawn._top
            self._top_cut = drawn._top_cut

    @property
    def plain(self) -> list[bool]:
        """Appearance cue per patron (True: plain, else polished)."""
        self._realise()
        return self._plain

    @property
    def spend(self) -> list[float]:
        """Spend per visit per patron (money)."""
        self._realise()
        return self._spend

    @property
    def top(self) -> list[bool]:
        """True for a top-tier spender."""
        self._realise()
        return self._top

    @property
    def top_cut(self) -> float:
        """The spend per visit that makes a patron top tier (money)."""
        self._realise()
        return self._top_cut

    def add(self, cfg: Patrons, rng: np.random.Generator, n: int) -> None:
        """``n`` new patrons join (same attribute distributions; tier by today's cut)."""
        if n <= 0:
            return
        plain, spend = _attributes(cfg, rng, n)
        first = len(self)
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
