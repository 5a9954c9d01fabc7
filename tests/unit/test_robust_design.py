"""Designs of plausible worlds: shapes, the unit cube, determinism per seed, Latin
hypercube strata, Morris grid, and refused arguments (no simulation)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from sim.errors import UserInputError
from sim.robust.design import Design, lhs_design, morris_design, sobol_design

NAMES = ["patience_s", "service_cv", "arrival_rate"]


def test_sobol_design_has_saltelli_rows_in_the_unit_cube() -> None:
    d = sobol_design(NAMES, 64, seed=3)
    assert d.kind == "sobol" and d.n_worlds == 64 * (len(NAMES) + 2) and d.k == 3
    assert ((d.points >= 0) & (d.points <= 1)).all()
    assert d.problem["names"] == NAMES and d.problem["bounds"] == [[0.0, 1.0]] * 3
    # Saltelli layout: row AB_j equals A except in column j, which comes from B
    a, ab1, b = d.points[0], d.points[2], d.points[4]
    assert ab1[1] == b[1] and ab1[0] == a[0] and ab1[2] == a[2]


def test_morris_design_walks_a_grid_one_parameter_at_a_time() -> None:
    d = morris_design(NAMES, trajectories=10, levels=4, seed=3)
    assert d.kind == "morris" and d.n_worlds == 10 * (len(NAMES) + 1) and d.levels == 4
    assert set(np.round(np.unique(d.points), 9)) <= {0.0, round(1 / 3, 9), round(2 / 3, 9),
                                                     1.0}
    steps = np.diff(d.points.reshape(10, len(NAMES) + 1, len(NAMES)), axis=1)
    assert ((np.abs(steps) > 0).sum(axis=2) == 1).all()  # one coordinate moves per step
    assert np.allclose(np.abs(steps).sum(axis=2), 2 / 3)  # by Δ = p / (2 (p − 1))


def test_lhs_design_puts_one_world_in_each_slice_of_each_range() -> None:
    d = lhs_design(NAMES, 50, seed=3)
    assert d.kind == "lhs" and d.points.shape == (50, 3)
    for j in range(3):
        assert sorted(np.floor(d.points[:, j] * 50).astype(int)) == list(range(50))
    assert np.array_equal(d.column("service_cv"), d.points[:, 1])


@pytest.mark.parametrize("make", [lambda s: sobol_design(NAMES, 32, s),
                                  lambda s: morris_design(NAMES, 8, 6, s),
                                  lambda s: lhs_design(NAMES, 40, s)])
def test_designs_are_deterministic_per_seed(make: Callable[[int], Design]) -> None:
    first, again, other = make(11), make(11), make(12)
    assert np.array_equal(first.points, again.points)
    assert not np.array_equal(first.points, other.points)
    assert not first.points.flags.writeable


@pytest.mark.parametrize("make", [lambda: sobol_design(NAMES, 100, 1),
                                  lambda: sobol_design(NAMES, 1, 1),
                                  lambda: morris_design(NAMES, 10, 5, 1),
                                  lambda: morris_design(NAMES, 1, 4, 1),
                                  lambda: lhs_design(["a", "a"], 10, 1),
                                  lambda: lhs_design([], 10, 1),
                                  lambda: lhs_design("abc", 10, 1)])
def test_bad_design_arguments_are_refused_in_one_line(make: Callable[[], Design]) -> None:
    with pytest.raises(UserInputError) as err:
        make()
    assert "\n" not in str(err.value)


def test_unknown_parameter_column_is_refused() -> None:
    with pytest.raises(UserInputError, match="not in the design"):
        lhs_design(NAMES, 10, 1).column("staff")
