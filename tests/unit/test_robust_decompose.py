"""Shapley split of a bundle's effect into its fixes: efficiency (the values add up to the
bundle's effect), additive effects recovered exactly, interactions shared equally,
standard errors from per-replication differences (no simulation)."""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pytest

from sim.errors import UserInputError
from sim.robust.decompose import (
    shapley_split,
    shapley_split_replications,
    shapley_weights,
    subsets,
)

FIXES = ("greet", "hold_policy", "phones_away", "second_desk")
OWN = {"greet": -0.02, "hold_policy": -0.005, "phones_away": -0.011, "second_desk": -0.04}


def _additive(own: dict[str, float]) -> dict[frozenset[str], float]:
    return {s: sum(own[f] for f in s) for s in subsets(tuple(own))[1:]}


def test_additive_effects_are_recovered_exactly() -> None:
    split = shapley_split(_additive(OWN))
    assert split.fixes == tuple(sorted(FIXES))
    for fix, value in OWN.items():
        assert split.values[fix] == pytest.approx(value, abs=1e-15)
    assert split.total == pytest.approx(sum(OWN.values()))
    assert split.se is None and split.n_reps == 0


def test_an_interaction_is_split_equally_among_its_fixes() -> None:
    effects = _additive(OWN)
    for s in effects:  # greet and phones_away together cut a further 0.006
        if {"greet", "phones_away"} <= s:
            effects[s] += -0.006
    split = shapley_split(effects)
    assert split.values["greet"] == pytest.approx(OWN["greet"] - 0.003)
    assert split.values["phones_away"] == pytest.approx(OWN["phones_away"] - 0.003)
    assert split.values["second_desk"] == pytest.approx(OWN["second_desk"])
    assert sum(split.values.values()) == pytest.approx(split.total)


def test_values_always_add_up_to_the_bundle_and_match_the_definition() -> None:
    rng = np.random.default_rng(1)
    fixes = ("a", "b", "c", "d", "e")
    effects = {s: float(rng.normal()) for s in subsets(fixes)}
    split = shapley_split(effects)
    assert sum(split.values.values()) == pytest.approx(effects[frozenset(fixes)]
                                                       - effects[frozenset()])
    k = len(fixes)
    for fix in fixes:  # the textbook formula, subset by subset
        others = [f for f in fixes if f != fix]
        phi = sum(math.factorial(n) * math.factorial(k - n - 1) / math.factorial(k)
                  * (effects[frozenset(c) | {fix}] - effects[frozenset(c)])
                  for n in range(k) for c in combinations(others, n))
        assert split.values[fix] == pytest.approx(phi)
    order, weights = shapley_weights(fixes)
    assert len(order) == 32 and weights.shape == (5, 32)


def test_standard_errors_come_from_each_replications_split() -> None:
    rng = np.random.default_rng(2)
    reps = 40
    common = rng.normal(0.0, 0.01, reps)  # common random numbers: shared by every subset
    diffs = {s: sum(OWN[f] for f in s) + common * len(s) + rng.normal(0.0, 0.002, reps)
             for s in subsets(FIXES)[1:]}
    split = shapley_split_replications(diffs)
    means = shapley_split({s: float(np.mean(v)) for s, v in diffs.items()})
    assert split.values == pytest.approx(means.values)
    full = diffs[frozenset(FIXES)]
    assert split.total_se == pytest.approx(full.std(ddof=1) / math.sqrt(reps))
    assert sum(split.values.values()) == pytest.approx(split.total)
    assert split.se is not None and split.n_reps == reps
    for fix, value in OWN.items():  # each fix carries its share of the common noise
        assert abs(split.values[fix] - value) < 4 * split.se[fix]
        assert 0.005 / math.sqrt(reps) < split.se[fix] < 0.02 / math.sqrt(reps)


def test_incomplete_or_oversized_factorials_are_refused() -> None:
    effects = _additive(OWN)
    del effects[frozenset({"greet", "second_desk"})]
    with pytest.raises(UserInputError, match=r"missing 1: \{greet, second_desk\}"):
        shapley_split(effects)
    seven = {frozenset({f"fix{i}"}): 1.0 for i in range(7)}
    with pytest.raises(UserInputError, match="at most 6"):
        shapley_split(seven)
    with pytest.raises(UserInputError, match="not a single string"):
        shapley_split({"greet": 1.0})  # type: ignore[dict-item]
    with pytest.raises(UserInputError, match="at least 2"):
        shapley_split_replications({frozenset({"a"}): [1.0]})
    with pytest.raises(UserInputError, match="same number of replications"):
        shapley_split_replications({frozenset({"a"}): [1.0, 2.0],
                                    frozenset({"b"}): [1.0, 2.0, 3.0],
                                    frozenset({"a", "b"}): [1.0, 2.0]})
