"""Morris and Sobol' indices on a synthetic verdict whose truth is known: the paired
difference ``0.5·(x2 − 0.5) + 2·(x3 − 0.3)`` plus replication noise, ``x1`` has no effect
(no simulation)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.errors import UserInputError
from sim.robust.design import lhs_design, morris_design, sobol_design
from sim.robust.indices import morris_indices, ranking, sobol_indices, top_parameters

NAMES = ["x1", "x2", "x3"]
NOISE = 0.1  # the standard error of each world's mean difference
# exact indices: Var(0.5 x2) = 0.25/12, Var(2 x3) = 4/12, no interactions
TOTAL_VAR = 0.25 / 12 + 4 / 12
TRUE_ST = {"x1": 0.0, "x2": 0.25 / 12 / TOTAL_VAR, "x3": 4 / 12 / TOTAL_VAR}


def _difference(points: np.ndarray, seed: int, noise: float = NOISE) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (0.5 * (points[:, 1] - 0.5) + 2.0 * (points[:, 2] - 0.3)
            + rng.normal(0.0, noise, len(points)))


def test_morris_ranks_the_parameters_and_flags_the_no_effect_one_as_noise() -> None:
    d = morris_design(NAMES, trajectories=60, levels=4, seed=1)
    m = morris_indices(d, _difference(d.points, 2), se=np.full(d.n_worlds, NOISE), seed=3)
    t = m.table
    assert top_parameters(m, 3) == ["x3", "x2", "x1"]
    assert t.loc["x3", "mu_star_low"] <= 2.0 <= t.loc["x3", "mu_star_high"]  # per range
    assert t.loc["x2", "mu_star_low"] <= 0.5 <= t.loc["x2", "mu_star_high"]
    # with noise every effect has the noise floor's size; x1 is not above it
    assert m.noise_floor == pytest.approx(np.sqrt(2 / np.pi) * np.sqrt(2) * NOISE / (2 / 3))
    assert t.loc["x1", "mu_star_low"] <= m.noise_floor
    r = ranking(morris=m, smallest=0.1)
    assert r["parameter"].tolist() == ["x3", "x2", "x1"]
    assert r["deciding"].tolist() == [True, True, False]


def test_sobol_indices_rank_correctly_and_the_no_effect_interval_contains_zero() -> None:
    d = sobol_design(NAMES, 1024, seed=1)
    s = sobol_indices(d, _difference(d.points, 2), se=np.full(d.n_worlds, NOISE), seed=3)
    t = s.table
    assert t["ST"].idxmax() == "x3" and t.loc["x3", "ST"] > t.loc["x2", "ST"] > t.loc["x1", "ST"]
    assert t.loc["x1", "ST_low"] <= 0.0 <= t.loc["x1", "ST_high"]
    assert t.loc["x1", "S1_low"] <= 0.0 <= t.loc["x1", "S1_high"]
    for name, true in TRUE_ST.items():
        assert t.loc[name, "ST_low"] <= true <= t.loc[name, "ST_high"], name
    assert s.noise_share == pytest.approx(NOISE**2 / (TOTAL_VAR + NOISE**2), rel=0.1)
    r = ranking(sobol=s)
    assert r["parameter"].tolist() == ["x3", "x2", "x1"]
    assert r["deciding"].tolist() == [True, True, False]


def test_without_the_noise_correction_noise_looks_like_an_effect() -> None:
    d = sobol_design(NAMES, 1024, seed=1)
    raw = sobol_indices(d, _difference(d.points, 2), seed=3).table
    assert raw.loc["x1", "ST_low"] > 0.0  # noise variance / output variance, about 0.027
    assert raw.loc["x1", "ST"] == pytest.approx(NOISE**2 / (TOTAL_VAR + NOISE**2), rel=0.15)


def test_noise_free_indices_are_exact_and_deterministic() -> None:
    d = sobol_design(NAMES, 256, seed=4)
    y = _difference(d.points, 0, noise=0.0)
    first, again = sobol_indices(d, y, seed=5), sobol_indices(d, y, seed=5)
    assert first.table.equals(again.table)
    assert first.table.loc["x1", "ST"] == 0.0 and first.noise_share == 0.0
    assert first.table.loc["x3", "ST"] == pytest.approx(TRUE_ST["x3"], abs=0.02)


def test_indices_refuse_the_wrong_design_or_missing_worlds() -> None:
    d = sobol_design(NAMES, 32, seed=1)
    y = _difference(d.points, 0)
    with pytest.raises(UserInputError, match="needs a morris design"):
        morris_indices(d, y)
    with pytest.raises(UserInputError, match="one per world"):
        sobol_indices(d, y[:-1])
    y[5] = np.nan
    with pytest.raises(UserInputError, match="NaN"):
        sobol_indices(d, y)
    with pytest.raises(UserInputError, match="needs a sobol design"):
        sobol_indices(lhs_design(NAMES, 10, 1), np.zeros(10))
