"""The patron pool drawn lazily (sim/model/patrons.py ``PatronPool.lazy``): the same patrons
as drawing at once, and no draw at all while nobody reads looks or spend."""

from __future__ import annotations

import numpy as np

from sim.config.sections import Patrons
from sim.model.patrons import PatronPool


def test_perf_lazy_pool_is_the_drawn_pool() -> None:
    cfg = Patrons(pool_size=300, appearance_spend_correlation=0.4)
    eager = PatronPool.draw(cfg, np.random.default_rng(7))
    calls: list[int] = []

    def rng() -> np.random.Generator:
        calls.append(1)
        return np.random.default_rng(7)

    lazy = PatronPool.lazy(cfg, rng)
    assert lazy.active == list(range(300)) and not calls  # whose contact: no draw needed
    assert (lazy.plain, lazy.spend, lazy.top, lazy.top_cut) == (
        eager.plain, eager.spend, eager.top, eager.top_cut)
    assert len(calls) == 1 and len(lazy) == 300
    lazy.add(cfg, np.random.default_rng(8), 5)
    eager.add(cfg, np.random.default_rng(8), 5)
    assert (lazy.plain, lazy.spend, lazy.top, lazy.active) == (
        eager.plain, eager.spend, eager.top, eager.active)
    assert len(calls) == 1


def test_perf_lazy_pool_grows_before_any_read() -> None:
    cfg = Patrons(pool_size=50)
    lazy = PatronPool.lazy(cfg, lambda: np.random.default_rng(3))
    lazy.add(cfg, np.random.default_rng(4), 2)  # new patrons need today's cut: drawn first
    eager = PatronPool.draw(cfg, np.random.default_rng(3))
    eager.add(cfg, np.random.default_rng(4), 2)
    assert (lazy.spend, lazy.top, lazy.active) == (eager.spend, eager.top, eager.active)
