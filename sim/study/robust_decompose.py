"""Split a bundle's effect into its single fixes (Shapley values) in a robustness study.

A bundle (e.g. ``best_practice``) differs from the baseline in several settings; each
differing setting is one *fix* (named after the single fix or conduct lever that makes it,
``sim.study.bundles``). Every combination of the fixes (``2^k`` scenarios, the baseline and
the bundle among them) runs with the same seed and replication numbers (common random
numbers) at the default world (every assumed parameter as the scenario sets it) and, optionally, in
a few sampled plausible worlds; :mod:`sim.robust.decompose` turns each replication's paired
differences into Shapley values with t intervals over replications. Each bundle's
combinations are one resumable sweep (``OUT/decompose_<bundle>/``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from sim.errors import UserInputError
from sim.robust.decompose import MAX_FIXES, ShapleySplit, shapley_split_replications
from sim.study.bundles import CONDUCT_LEVERS, FIXES
from sim.study.parts import Part
from sim.study.robust_worlds import POLICY, WORLD, World
from sim.study.running import Sweep
from sim.study.sweep import Level, override_key

DEFAULT_WORLD = World("default", {})  # every assumed parameter as the scenario sets it
NONE = "none"                           # the empty combination: the baseline itself


@dataclass(frozen=True)
class Decomposition:
    """A bundle's effect against the baseline split into its fixes, per world and metric
    (``splits[(world, metric)]``: metric units; ``None`` when fewer than two replications
    gave the metric in every combination)."""

    bundle: str
    baseline: str
    fixes: tuple[str, ...]
    worlds: tuple[World, ...]
    metrics: tuple[str, ...]
    splits: dict[tuple[str, str], ShapleySplit | None]
    reps: int


def _settings(level: Level) -> dict[str, str]:
    return {override_key(o): o for o in level.overrides}


def _fix_names() -> dict[str, str]:
    """Override text (``key="value"``) → the name of the single fix that makes it."""
    named = {**FIXES, **CONDUCT_LEVERS}
    return {f'{key}="{value}"': name for name, change in named.items() if len(change) == 1
            for key, value in change.items()}


def fixes_of(bundle: Level, baseline: Level) -> dict[str, str]:
    """The bundle's fixes relative to the baseline: fix name → its override, in the
    bundle's order (a setting without a named fix is named by its override)."""
    mine, base = _settings(bundle), _settings(baseline)
    unset = [k for k in base if k not in mine]
    if unset:
        raise UserInputError(f"--decompose {bundle.label}: it leaves {', '.join(unset)} to "
                             f"the config while {baseline.label} sets it; a bundle must set "
                             "every setting of the baseline")
    names = _fix_names()
    return {names.get(text, text): text for key, text in mine.items() if base.get(key) != text}


def is_composite(bundle: Level, baseline: Level) -> bool:
    """Whether the bundle is made of two or more fixes relative to the baseline."""
    return len(fixes_of(bundle, baseline)) >= 2


def combinations_of(bundle: Level, baseline: Level) -> list[tuple[frozenset[str], Level]]:
    """Every combination of the bundle's fixes as a level (the baseline's settings with
    the combination's fixes applied), the empty one (labelled ``none``) first."""
    fixes = fixes_of(bundle, baseline)
    if len(fixes) > MAX_FIXES:
        raise UserInputError(f"--decompose {bundle.label}: {len(fixes)} fixes against "
                             f"{baseline.label}; at most {MAX_FIXES} (2^{MAX_FIXES} "
                             "combinations); compare it against a closer baseline")
    out = []
    for size in range(len(fixes) + 1):
        for chosen in combinations(fixes, size):
            settings = {**_settings(baseline),
                        **{override_key(fixes[f]): fixes[f] for f in chosen}}
            label = "+".join(chosen) or NONE
            out.append((frozenset(chosen), Level(label, tuple(settings.values()))))
    return out


def _diffs(sweep: Sweep, parts: Mapping[tuple[int, int], Part], world: str, metric: str,
           combos: Sequence[tuple[frozenset[str], Level]]) -> dict[frozenset[str], np.ndarray]:
    """Per combination: its per-replication paired difference from the baseline, over the
    replications where every combination (and the baseline) gave the metric."""
    index = {(p.labels[WORLD], p.labels[POLICY]): p.index for p in sweep.points}
    values = np.array([[parts[(index[(world, level.label)], r)].metrics.get(metric, np.nan)
                        if (index[(world, level.label)], r) in parts else np.nan
                        for r in range(sweep.reps)] for _, level in combos], dtype=float)
    values = values[:, np.isfinite(values).all(axis=0)]
    return {fixes: values[i] - values[0] for i, (fixes, _) in enumerate(combos) if fixes}


def decompose(bundle: Level, baseline: Level, sweep: Sweep,
              parts: Mapping[tuple[int, int], Part], worlds: Sequence[World],
              metrics: Sequence[str]) -> Decomposition:
    """The Shapley split of every world and metric from the combinations' sweep."""
    combos = combinations_of(bundle, baseline)
    splits: dict[tuple[str, str], ShapleySplit | None] = {}
    for world in worlds:
        for metric in metrics:
            diffs = _diffs(sweep, parts, world.name, metric, combos)
            enough = next(iter(diffs.values())).size >= 2
            splits[(world.name, metric)] = shapley_split_replications(diffs) if enough \
                else None
    fixes = tuple(fixes_of(bundle, baseline))
    return Decomposition(bundle.label, baseline.label, fixes, tuple(worlds), tuple(metrics),
                         splits, sweep.reps)


def to_decompose(wanted: Sequence[str], policies: Sequence[Level]) -> tuple[str, ...]:
    """The bundles ``--decompose`` names (``auto``: every compared bundle made of two or
    more fixes relative to the baseline, the first policy; ``none``: none), each checked."""
    baseline, others = policies[0], {p.label: p for p in policies[1:]}
    if list(wanted) == ["none"]:
        return ()
    if list(wanted) == ["auto"]:
        return tuple(name for name, p in others.items() if is_composite(p, baseline))
    for name in wanted:
        if name not in others:
            raise UserInputError(f"--decompose {name}: not a compared policy other than the "
                                 f"baseline ({', '.join(others) or 'none'}); name one of "
                                 "them, auto or none")
        if not is_composite(others[name], baseline):
            raise UserInputError(f"--decompose {name}: it differs from {baseline.label} in "
                                 "fewer than two settings, so there is nothing to split; "
                                 "name a bundle of fixes such as best_practice")
        combinations_of(others[name], baseline)  # at most MAX_FIXES fixes
    return tuple(dict.fromkeys(wanted))
