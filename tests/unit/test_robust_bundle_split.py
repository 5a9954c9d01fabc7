"""A bundle's effect split into its fixes in a robustness study (no simulation): the fixes
of a bundle against a baseline, every combination as a level, --decompose's choices, the
split from a combinations' sweep with common random numbers (known additive effects and
an interaction recovered), and its table and words."""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import cast

import numpy as np
import pytest

from sim.errors import UserInputError
from sim.study.bundles import as_found, best_practice, bundle, staffing_bundles
from sim.study.parts import Part
from sim.study.robust_decompose import (
    DEFAULT_WORLD,
    NONE,
    combinations_of,
    decompose,
    fixes_of,
    to_decompose,
)
from sim.study.robust_decompose_report import (
    TOTAL,
    decomposition_figures,
    decomposition_table,
    decomposition_words,
)
from sim.study.robust_worlds import POLICY, WORLD, World
from sim.study.running import Sweep

OWN = {"greet_first": -0.02, "hold_and_greet": 0.004, "no_personal_calls": -0.006}
TOGETHER = -0.003  # greet_first and hold_and_greet together: a further cut
SMALL = bundle("small", {"acknowledgment.policy": "greet_first",
                         "phone_handling.policy": "hold_and_greet",
                         "staff_rules.personal_phones": "on_quiet"})


def test_best_practice_is_six_named_fixes_against_as_found() -> None:
    fixes = fixes_of(best_practice(), as_found())
    assert list(fixes) == ["greet_first", "hold_and_greet", "no_personal_calls",
                           "equal_treatment", "apologise_and_calm", "thank_always"]
    assert fixes["greet_first"] == 'acknowledgment.policy="greet_first"'
    combos = combinations_of(best_practice(), as_found())
    assert len(combos) == 64 and combos[0][1].label == NONE
    assert sorted(combos[0][1].overrides) == sorted(as_found().overrides)
    assert sorted(combos[-1][1].overrides) == sorted(best_practice().overrides)
    assert len({level.label for _, level in combos}) == 64


def test_decompose_option_chooses_composite_bundles() -> None:
    levels = staffing_bundles()
    assert to_decompose(["auto"], levels) == ("best_practice",)
    assert to_decompose(["none"], levels) == ()
    assert to_decompose(["auto"], levels[:3]) == ()
    with pytest.raises(UserInputError, match="fewer than two settings"):
        to_decompose(["greet_first"], levels)
    with pytest.raises(UserInputError, match="not a compared policy"):
        to_decompose(["as_found"], levels)


def _value(fixes: frozenset[str], world: float, noise: float) -> float:
    together = TOGETHER if {"greet_first", "hold_and_greet"} <= fixes else 0.0
    return 0.2 + world + noise + sum(OWN[f] for f in fixes) + together


def _sweep(worlds: list[World], reps: int) -> tuple[Sweep, dict[tuple[int, int], Part]]:
    """A fake combinations' sweep: the metric is additive in the fixes plus one interaction
    plus replication noise shared by every combination (common random numbers)."""
    combos = combinations_of(SMALL, as_found())
    rng = np.random.default_rng(3)
    noise = rng.normal(0.0, 0.01, reps)
    points: list[SimpleNamespace] = []
    parts: dict[tuple[int, int], Part] = {}
    for w, world in enumerate(worlds):
        for fixes, level in combos:
            index = len(points)
            points.append(SimpleNamespace(index=index, labels={WORLD: world.name,
                                                               POLICY: level.label}))
            for r in range(reps):
                value = _value(fixes, 0.01 * w, float(noise[r]))
                if r == 1 and fixes == {"no_personal_calls"}:
                    value = math.nan  # undefined once: replication 1 left out everywhere
                parts[(index, r)] = Part(index, r, {"walkout_rate": value}, [], {})
    return cast(Sweep, SimpleNamespace(points=points, reps=reps)), parts


def test_split_recovers_additive_effects_and_shares_the_interaction() -> None:
    worlds = [DEFAULT_WORLD, World("s0000", {"x": 1.0})]
    sweep, parts = _sweep(worlds, reps=5)
    d = decompose(SMALL, as_found(), sweep, parts, worlds, ["walkout_rate"])
    for world in worlds:
        s = d.splits[(world.name, "walkout_rate")]
        assert s is not None and s.n_reps == 4
        assert s.values["greet_first"] == pytest.approx(OWN["greet_first"] + TOGETHER / 2)
        assert s.values["hold_and_greet"] == pytest.approx(OWN["hold_and_greet"] + TOGETHER / 2)
        assert s.values["no_personal_calls"] == pytest.approx(OWN["no_personal_calls"])
        assert s.total == pytest.approx(sum(OWN.values()) + TOGETHER)
        low, high = s.interval("greet_first")
        assert low <= s.values["greet_first"] <= high and high - low < 1e-9


def test_table_words_and_figure() -> None:
    worlds = [DEFAULT_WORLD, World("s0000", {"x": 1.0})]
    sweep, parts = _sweep(worlds, reps=5)
    d = decompose(SMALL, as_found(), sweep, parts, worlds, ["walkout_rate"])
    table = decomposition_table([d])
    assert len(table) == 2 * 4 and set(table["part"]) == {*OWN, TOTAL}
    default = table[table["world"] == "default"].set_index("part")
    assert default.loc[list(OWN), "effect"].sum() == pytest.approx(default.loc[TOTAL, "effect"])
    assert default.loc[list(OWN), "share_of_total"].sum() == pytest.approx(1.0)
    text = "\n".join(decomposition_words(d))
    assert "small cuts walkouts by 2.5 points" in text
    assert "; of that, greet_first 2.1 points [2.1, 2.1] (86%), no_personal_calls" in text
    assert "hold_and_greet -0.2 points [-0.3, -0.2] (-10%, against it)" in text
    assert "In 1 sampled plausible world the whole change" in text and "All 8 combinations" in text
    figures = decomposition_figures([d])
    assert list(figures) == ["figures/decompose_small-walkout_rate.png"]


def test_too_few_replications_give_no_split() -> None:
    sweep, parts = _sweep([DEFAULT_WORLD], reps=2)
    d = decompose(SMALL, as_found(), sweep, parts, [DEFAULT_WORLD], ["walkout_rate"])
    assert d.splits[("default", "walkout_rate")] is None
    assert decomposition_table([d]).empty
    assert "too few replications" in "\n".join(decomposition_words(d))

