"""The two stages of a robustness study and how many worlds each gets.

1. **Screening** (Morris): every varied parameter, ``r`` one-at-a-time trajectories on a
   4-level grid, ``r·(k + 1)`` worlds; it ranks the parameters by μ* for every verdict.
2. **Deciding** (Sobol, Saltelli's design): the few parameters that matter most, plus one
   group, ``others``, that carries every remaining parameter — its coordinate picks a row of
   a fixed Latin hypercube over them, so in every world *all* parameters vary and the
   indices are those of a grouped design. ``N·(m + 3)`` worlds for ``m`` top parameters.
   Its base rows (SALib's A and B: independent quasi-random plausible worlds) give the
   verdict shares; all its worlds give the flip points.

Half the requested worlds go to each stage (at least); the study runs at least as many
worlds as asked for.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim.config.ranges import sample_value
from sim.robust.design import Design, lhs_design, morris_design, sobol_design
from sim.study.robust_worlds import World, ranged, worlds_of

OTHERS = "others"          # the group of every parameter outside the Sobol stage's top ones
OTHERS_ROWS = 1024         # rows of the Latin hypercube the group's coordinate indexes
MORRIS_LEVELS = 4


@dataclass(frozen=True)
class Stage:
    """One stage: its design and the worlds it maps to."""

    name: str
    design: Design
    worlds: list[World]


def screening(params: Sequence[str], worlds: int, seed: int) -> Stage:
    """Morris trajectories over every parameter: at least ``worlds / 2`` worlds."""
    k = len(params)
    trajectories = max(2, math.ceil(worlds / 2 / (k + 1)))
    design = morris_design(list(params), trajectories, MORRIS_LEVELS, seed)
    return Stage("screen", design, worlds_of(design, "m"))


def base_size(worlds: int, columns: int) -> int:
    """The smallest power of two ``N`` with ``N·(columns + 2) ≥ worlds / 2`` (at least 4)."""
    need = max(4, math.ceil(worlds / 2 / (columns + 2)))
    return 1 << (need - 1).bit_length()


def deciding(params: Sequence[str], top: Sequence[str], worlds: int, seed: int) -> Stage:
    """Saltelli's design over ``top`` and the group of the other parameters."""
    others = [p for p in params if p not in top]
    names = [*top, OTHERS] if others else list(top)
    design = sobol_design(names, base_size(worlds, len(names)), seed + 1)
    table = lhs_design(others, OTHERS_ROWS, seed + 2) if others else None
    out = []
    for i, row in enumerate(design.points):
        values = {n: _value(n, float(u)) for n, u in zip(top, row, strict=False)}
        if table is not None:
            pick = table.points[min(OTHERS_ROWS - 1, int(row[-1] * OTHERS_ROWS))]
            values.update({n: _value(n, float(u)) for n, u in zip(others, pick, strict=True)})
        out.append(World(f"s{i:04d}", values))
    return Stage("sobol", design, out)


def _value(name: str, u: float) -> float:
    return sample_value(ranged(name), u)


def base_rows(design: Design) -> np.ndarray:
    """The rows of a Saltelli design (no second order) that are independent plausible
    worlds: SALib lays each base sample out as A, AB_1 … AB_D, B."""
    step = design.k + 2
    rows = np.arange(design.n_worlds)
    picked: np.ndarray = rows[(rows % step == 0) | (rows % step == step - 1)]
    return picked
