"""The flip point of a verdict on synthetic worlds whose truth is known: a linear flip at
x3 = 0.3, the same after a log-uniform mapping (a flip at 60 s on 10-1000 s), the
marginalisation over the other parameters, and no flip when none exists (no simulation)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.errors import UserInputError
from sim.robust.design import lhs_design
from sim.robust.flip import boundary, crossings, local_linear

NAMES = ["x1", "x2", "x3"]
N_WORLDS = 400
NOISE = 0.1


def _worlds(seed: int = 3) -> np.ndarray:
    return np.asarray(lhs_design(NAMES, N_WORLDS, seed).points)


def _noise(seed: int = 4) -> np.ndarray:
    return np.random.default_rng(seed).normal(0.0, NOISE, N_WORLDS)


def _patience_s(u: float) -> float:
    """Log-uniform on 10-1000 s."""
    return float(10.0 * 100.0**u)


def test_linear_flip_is_recovered_within_ten_percent() -> None:
    p = _worlds()
    diff = 0.5 * (p[:, 1] - 0.5) + 2.0 * (p[:, 2] - 0.3) + _noise()
    b = boundary("x3", p[:, 2], diff, seed=5)
    assert b.flip is not None
    assert b.flip.value == pytest.approx(0.3, rel=0.10)
    assert b.flip.low <= 0.3 <= b.flip.high
    assert not (b.flip.low_open or b.flip.high_open) and b.flip.crossings == 1
    assert b.flip.share_crossing == 1.0
    inside = (b.band_low <= b.fitted) & (b.fitted <= b.band_high)
    assert inside.mean() > 0.95
    truth = 2.0 * (b.grid_u - 0.3)
    assert np.mean((b.band_low <= truth) & (truth <= b.band_high)) > 0.8


def test_log_uniform_flip_is_recovered_in_seconds() -> None:
    p = _worlds()
    patience = np.array([_patience_s(u) for u in p[:, 2]])
    diff = 0.5 * (p[:, 1] - 0.5) + 0.5 * (patience - 60.0) / 60.0 + _noise()
    b = boundary("patience_s", p[:, 2], diff, to_units=_patience_s, seed=5)
    assert b.flip is not None
    assert b.flip.value == pytest.approx(60.0, rel=0.10)
    assert b.flip.low <= 60.0 <= b.flip.high
    assert b.grid[0] == pytest.approx(10.0) and b.grid[-1] == pytest.approx(1000.0)
    assert np.allclose(np.sort(b.x), np.sort(patience))


def test_flip_is_marginal_over_the_other_parameters() -> None:
    p = _worlds()
    diff = 0.5 * p[:, 1] + 2.0 * (p[:, 2] - 0.3) + _noise()  # E[0.5·x2] = 0.25 moves it
    b = boundary("x3", p[:, 2], diff, n_boot=50, seed=5)
    assert b.flip is not None and b.flip.value == pytest.approx(0.175, rel=0.10)


def test_no_flip_when_the_difference_keeps_its_sign() -> None:
    p = _worlds()
    diff = 0.5 * (p[:, 1] - 0.5) + 2.0 * (p[:, 2] - 0.3) + _noise()
    assert boundary("x1", p[:, 0], diff, n_boot=100, seed=5).flip is None  # mean 0.4
    near_edge = boundary("x3", p[:, 2], diff + 0.595, n_boot=200, seed=5)  # flips at 0.0025
    assert near_edge.flip is not None and near_edge.flip.low_open
    assert near_edge.flip.low == 0.0 and near_edge.flip.share_crossing < 0.975


def test_local_linear_reproduces_a_line_and_finds_its_root() -> None:
    u = np.linspace(0, 1, 50)
    grid = np.linspace(0, 1, 11)
    fit = local_linear(u, 3.0 * u - 1.0, grid, span=0.3)
    assert np.allclose(fit, 3.0 * grid - 1.0)
    assert crossings(grid, fit) == pytest.approx([1 / 3])


def test_boundary_refuses_too_few_worlds_or_values_outside_the_cube() -> None:
    with pytest.raises(UserInputError, match="at least 10 worlds"):
        boundary("x", np.linspace(0, 1, 5), np.zeros(5))
    with pytest.raises(UserInputError, match="unit cube"):
        boundary("x", np.linspace(0, 2, 20), np.zeros(20))
    with pytest.raises(UserInputError, match="one of each"):
        boundary("x", np.linspace(0, 1, 20), np.zeros(19))
