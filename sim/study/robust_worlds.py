"""A robustness study as sweeps: each plausible world (values of the uncertain parameters,
drawn over their ranges) is a level of a ``world`` factor, each compared policy a level of
``policy``; every policy runs in every world with the same seed and replication numbers, so
its difference from the baseline is paired (common random numbers)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.loading import load_with_conflicts
from sim.config.ranges import Range, range_for, sample_value, to_override, to_overrides
from sim.errors import UserInputError
from sim.robust.design import Design
from sim.study.parts import Part
from sim.study.running import Sweep
from sim.study.sweep import Factor, Level, build_grid

WORLD, POLICY = "world", "policy"


@dataclass(frozen=True)
class World:
    """One plausible world: a value per varied parameter (in its own unit)."""

    name: str
    values: dict[str, float]

    def level(self) -> Level:
        """The world as a sweep level: one ``--set`` override per parameter."""
        return Level(self.name, tuple(to_overrides(self.values)))


def ranged(path: str) -> Range:
    """The plausible range of ``path`` (a :class:`UserInputError` if it has none)."""
    found = range_for(path)
    if not isinstance(found, Range):
        raise UserInputError(f"--params {path}: has no plausible range (see docs/parameters.md, "
                             "'Plausible ranges'); choose parameters listed there")
    return found


def worlds_of(design: Design, prefix: str, fixed: Mapping[str, float] | None = None,
              ) -> list[World]:
    """The design's points mapped onto the parameters' ranges (``fixed``: parameters held at
    a value in every world, e.g. those outside a Sobol stage's columns)."""
    worlds = []
    for i, row in enumerate(design.points):
        values = {name: sample_value(ranged(name), float(u))
                  for name, u in zip(design.names, row, strict=True)}
        worlds.append(World(f"{prefix}{i:04d}", {**(fixed or {}), **values}))
    return worlds


def read_by_some_policy(config: Path, overrides: Sequence[str], policies: Sequence[Level],
                        candidates: Sequence[str]) -> tuple[list[str], list[str]]:
    """The candidates some compared policy reads, and those none reads (a parameter that is
    inert in every compared scenario cannot change a verdict; varying it would be refused)."""
    inert_everywhere = None
    for policy in policies:
        _scenario, conflicts = load_with_conflicts(
            config, [*overrides, *policy.overrides,
                     *(to_override(p, sample_value(ranged(p), 0.5)) for p in candidates)])
        inert = {c.key for c in conflicts}
        inert_everywhere = inert if inert_everywhere is None else inert_everywhere & inert
    dropped = [p for p in candidates if any(p == k or p.startswith(k + ".")
                                            for k in inert_everywhere or set())]
    return [p for p in candidates if p not in dropped], dropped


def plan(config: Path, overrides: Sequence[str], worlds: Sequence[World],
         policies: Sequence[Level], seed: int, reps: int) -> Sweep:
    """The sweep of every policy in every world (worlds vary slowest)."""
    factors = [Factor(WORLD, tuple(w.level() for w in worlds)), Factor(POLICY, tuple(policies))]
    return Sweep(build_grid(config, overrides, factors), factors, seed, reps)


def paired_differences(sweep: Sweep, parts: Mapping[tuple[int, int], Part], baseline: str,
                       metrics: Sequence[str]) -> pd.DataFrame:
    """Per world, policy (other than ``baseline``) and metric: the mean paired difference
    (policy − baseline, same replications), its standard error and the replications used
    (a replication where either value is undefined is left out)."""
    index = {(p.labels[WORLD], p.labels[POLICY]): p.index for p in sweep.points}
    worlds = list(dict.fromkeys(w for w, _ in index))
    policies = [p for p in dict.fromkeys(q for _, q in index) if p != baseline]
    rows = []
    for world in worlds:
        base = index[(world, baseline)]
        for policy in policies:
            mine = index[(world, policy)]
            for metric in metrics:
                diffs = np.array([parts[(mine, r)].metrics.get(metric, np.nan)
                                  - parts[(base, r)].metrics.get(metric, np.nan)
                                  for r in range(sweep.reps)
                                  if (mine, r) in parts and (base, r) in parts], dtype=float)
                diffs = diffs[~np.isnan(diffs)]
                n = len(diffs)
                rows.append({"world": world, "policy": policy, "metric": metric, "n": n,
                             "difference": float(diffs.mean()) if n else np.nan,
                             "se": float(diffs.std(ddof=1) / np.sqrt(n)) if n > 1 else np.nan})
    return pd.DataFrame(rows)
