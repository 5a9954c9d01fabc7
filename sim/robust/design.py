"""Designs of plausible worlds: points in the unit cube ``[0, 1]^k``, one row per world.

Three kinds, each for the analysis that reads it:

* ``sobol``: Saltelli's scheme on a scrambled Sobol' sequence (``SALib.sample.sobol``,
  first-order and total indices only: ``n_base · (k + 2)`` rows, ``n_base`` a power of
  two), for :func:`sim.robust.indices.sobol_indices`.
* ``morris``: Morris trajectories on a ``levels``-level grid (``SALib.sample.morris``:
  ``trajectories · (k + 1)`` rows), for :func:`sim.robust.indices.morris_indices`.
* ``lhs``: a Latin hypercube of ``n`` rows (``SALib.sample.latin``), a sample of worlds
  for the shares of :mod:`sim.robust.verdicts` and the boundary of :mod:`sim.robust.flip`.

Every column is uniform on [0, 1]: coordinate ``u`` of parameter ``p`` is mapped to a value
by the caller (the parameter ranges' ``sample_value(range, u)``, uniform or log-uniform).
A design is a pure function of its arguments: the same seed gives the same points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from SALib.sample import latin
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from sim.errors import UserInputError

DesignKind = Literal["sobol", "morris", "lhs"]
MAX_PARAMETERS = 256  # the schema has about 120 varied parameters


@dataclass(frozen=True, eq=False)
class Design:
    """A set of plausible worlds: ``points[i, j]`` is world ``i``'s coordinate of parameter
    ``names[j]`` in [0, 1] (dimensionless: the share of the way through the parameter's
    range, on its scale). ``kind`` says which analysis the rows are laid out for;
    ``problem`` is the SALib problem dict (bounds [0, 1] for every parameter); ``size`` is
    the number the design was asked for (Sobol: base samples ``N``; Morris: trajectories;
    LHS: worlds); ``levels`` is the Morris grid's number of levels (0 for the others)."""

    names: tuple[str, ...]
    points: NDArray[np.float64]
    kind: DesignKind
    seed: int
    size: int
    levels: int = 0
    problem: dict[str, Any] = field(default_factory=dict)

    @property
    def n_worlds(self) -> int:
        """The number of worlds (rows) to simulate."""
        return int(self.points.shape[0])

    @property
    def k(self) -> int:
        """The number of parameters (columns)."""
        return len(self.names)

    def column(self, name: str) -> NDArray[np.float64]:
        """The unit-cube coordinates of parameter ``name`` over the worlds (read-only)."""
        if name not in self.names:
            raise UserInputError(f"parameter {name!r} is not in the design; it has "
                                 f"{', '.join(self.names)}")
        return self.points[:, self.names.index(name)]


def problem_of(names: Sequence[str]) -> dict[str, Any]:
    """The SALib problem dict of ``names`` over the unit cube."""
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def _checked_names(names: Sequence[str]) -> tuple[str, ...]:
    found = tuple(names)
    if isinstance(names, str) or not found:
        raise UserInputError(f"parameters = {names!r}: give a non-empty list of parameter "
                             "names")
    duplicates = sorted({n for n in found if found.count(n) > 1})
    if duplicates:
        raise UserInputError(f"parameters: {', '.join(duplicates)} appear more than once; "
                             "name each parameter once")
    if len(found) > MAX_PARAMETERS:
        raise UserInputError(f"parameters: {len(found)} given, at most {MAX_PARAMETERS}; "
                             "screen fewer parameters")
    return found


def _frozen(points: NDArray[Any]) -> NDArray[np.float64]:
    out = np.array(points, dtype=np.float64)
    out.setflags(write=False)
    return out


def _positive(name: str, value: int, least: int = 1) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < least:
        raise UserInputError(f"{name} = {value!r}: must be a whole number ≥ {least}")


def sobol_design(names: Sequence[str], n_base: int, seed: int) -> Design:
    """Saltelli's design for first-order and total Sobol' indices (no second order):
    ``n_base · (k + 2)`` worlds from a scrambled Sobol' sequence seeded with ``seed``.
    ``n_base`` must be a power of two (the sequence's balance properties hold for those);
    the bootstrap intervals of the indices narrow like ``1/√n_base``."""
    found = _checked_names(names)
    _positive("n_base", n_base, 2)
    if n_base & (n_base - 1):
        lower = 1 << (int(n_base).bit_length() - 1)
        raise UserInputError(f"n_base = {n_base}: must be a power of two (e.g. {lower} or "
                             f"{2 * lower}) for a Sobol' design")
    problem = problem_of(found)
    points = sobol_sample.sample(problem, int(n_base), calc_second_order=False,
                                 scramble=True, seed=int(seed))
    return Design(found, _frozen(points), "sobol", int(seed), int(n_base), 0, problem)


def morris_design(names: Sequence[str], trajectories: int, levels: int, seed: int) -> Design:
    """Morris elementary-effects design: ``trajectories`` random one-at-a-time paths on a
    ``levels``-level grid of the unit cube (``levels`` even, ≥ 4; the step is
    ``levels / (2 (levels − 1))``), ``trajectories · (k + 1)`` worlds, seeded with
    ``seed``."""
    found = _checked_names(names)
    _positive("trajectories", trajectories, 2)
    _positive("levels", levels, 4)
    if levels % 2:
        raise UserInputError(f"levels = {levels}: must be even (4, 6, 8 ...) for a Morris "
                             "design")
    problem = problem_of(found)
    points = morris_sample.sample(problem, int(trajectories), num_levels=int(levels),
                                  seed=int(seed))
    return Design(found, _frozen(points), "morris", int(seed), int(trajectories),
                  int(levels), problem)


def lhs_design(names: Sequence[str], n: int, seed: int) -> Design:
    """A Latin hypercube of ``n`` worlds seeded with ``seed``: each parameter's range is cut
    into ``n`` equal slices (on its scale) and every slice holds exactly one world."""
    found = _checked_names(names)
    _positive("n", n, 2)
    problem = problem_of(found)
    points = latin.sample(problem, int(n), seed=int(seed))
    return Design(found, _frozen(points), "lhs", int(seed), int(n), 0, problem)
