"""Verdicts over plausible worlds on constructed paired differences: per-world classes from
the per-world intervals, Bonferroni levels, Clopper–Pearson shares over worlds, headlines
(no simulation)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim.errors import UserInputError
from sim.robust.verdicts import (
    HOLDS,
    REVERSES,
    UNCLEAR,
    Rule,
    classify,
    from_replications,
    from_summary,
    headline,
    robustness,
    rule_for,
    share_interval,
)

WALKOUTS = rule_for("walkout_rate")  # lower is better, smallest difference 0.005


def _worlds(means: list[float], sd: float, reps: int = 20, seed: int = 0) -> np.ndarray:
    """Worlds × replications of paired differences: each row its mean plus centred noise of
    exactly ``sd`` (so each world's interval is known)."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(size=(len(means), reps))
    noise = (noise - noise.mean(1, keepdims=True)) / noise.std(1, ddof=1, keepdims=True)
    return np.asarray(np.asarray(means)[:, None] + sd * noise, dtype=np.float64)


def test_rule_reads_the_catalogue() -> None:
    assert Rule("walkout_rate", "lower", 0.005, "walkouts") == WALKOUTS
    assert rule_for("service_level").better == "higher"
    with pytest.raises(UserInputError, match="no better direction"):
        rule_for("arrivals")
    with pytest.raises(UserInputError, match="not in the metric catalogue"):
        rule_for("walkout_rat")


def test_worlds_are_classified_by_their_interval_beyond_the_smallest_difference() -> None:
    # half-width of a 95% t interval over 20 reps with sd 0.01: 2.093 · 0.01 / √20 = 0.0047
    diffs = from_replications(_worlds([-0.03, 0.03, -0.008, 0.0, -0.0105, 0.0105], 0.01))
    assert list(classify(diffs, WALKOUTS)) == [HOLDS, REVERSES, UNCLEAR, UNCLEAR, HOLDS,
                                               REVERSES]
    higher = Rule("walkout_rate", "higher", 0.005)
    assert list(classify(diffs, higher))[:2] == [REVERSES, HOLDS]
    r = robustness("best_practice", "as_found", diffs, WALKOUTS)
    assert r.negligible.count == 1  # the world at 0 lies inside ± 0.005; -0.008 does not


def test_bonferroni_widens_every_world_interval() -> None:
    diffs = from_replications(_worlds([-0.0105], 0.01))
    assert classify(diffs, WALKOUTS, family_size=1)[0] == HOLDS
    assert classify(diffs, WALKOUTS, family_size=10)[0] == UNCLEAR  # t(0.9975, 19)·0.00224
    r = robustness("p", "b", diffs, WALKOUTS, family_size=10)
    assert r.level == pytest.approx(0.995)


def test_summary_input_matches_replications_and_nan_replications_are_left_out() -> None:
    values = _worlds([-0.03, 0.02], 0.01, reps=10)
    values[0, 3] = np.nan
    diffs = from_replications(values)
    assert diffs.n.tolist() == [9, 10]
    same = from_summary(diffs.mean, diffs.se, diffs.n)
    assert list(classify(same, WALKOUTS)) == list(classify(diffs, WALKOUTS))
    row = values[0][np.isfinite(values[0])]
    assert diffs.se[0] == pytest.approx(row.std(ddof=1) / 3.0)


def test_worlds_with_one_replication_cannot_be_told_apart_and_are_reported() -> None:
    diffs = from_summary([-0.5, -0.5], [0.01, 0.01], [1, 5])
    r = robustness("best_practice", "as_found", diffs, WALKOUTS)
    assert list(r.classes) == [UNCLEAR, HOLDS]
    assert any("fewer than 2 replications" in w for w in r.warnings)


def test_clopper_pearson_interval_matches_the_exact_binomial() -> None:
    for k, n in ((0, 10), (3, 10), (97, 100), (100, 100)):
        exact = stats.binomtest(k, n).proportion_ci(0.95, method="exact")
        assert share_interval(k, n, 0.95) == pytest.approx((exact.low, exact.high))
    assert share_interval(0, 10, 0.95)[1] == pytest.approx(1 - 0.025 ** (1 / 10))


def test_shares_over_worlds_cover_the_true_share() -> None:
    rng = np.random.default_rng(5)
    n_worlds = 300
    truth = rng.random(n_worlds) < 0.9  # 90% of plausible worlds: the policy cuts walkouts
    means = np.where(truth, -0.05, 0.05)
    r = robustness("best_practice", "as_found", from_replications(_worlds(list(means), 0.01)),
                   WALKOUTS)
    holds = r.shares[HOLDS]
    assert holds.count == truth.sum() and r.shares[REVERSES].count == (~truth).sum()
    assert holds.low <= 0.9 <= holds.high
    assert sum(s.count for s in r.shares.values()) == n_worlds


def test_headlines_say_the_share_with_its_interval() -> None:
    diffs = from_replications(_worlds([-0.05] * 97 + [0.05] * 3, 0.01))
    r = robustness("best_practice", "as_found", diffs, WALKOUTS)
    text = headline(r)
    assert text.startswith("best_practice beats as_found on walkouts in 97% [91, 99] of "
                           "plausible worlds (loses in 3% [1, 9]")
    flips = headline(r, parameter="how long callers tolerate hold", flip_at="95 s")
    assert "depends on how long callers tolerate hold (flips at about 95 s)" in flips
    worse = robustness("p", "b", from_replications(_worlds([0.05] * 10, 0.01)), WALKOUTS)
    assert headline(worse).startswith("p loses to b on walkouts in 100% [")
    none = robustness("p", "b", from_replications(_worlds([0.0] * 10, 0.01)), WALKOUTS)
    assert headline(none) == ("p cannot be told apart from b on walkouts in any of 10 "
                              "plausible worlds")


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(UserInputError, match="family_size"):
        robustness("p", "b", from_summary([0.1], [0.01], 5), WALKOUTS, family_size=0)
    with pytest.raises(UserInputError, match="worlds × replications"):
        from_replications([1.0, 2.0])
    with pytest.raises(UserInputError, match="standard errors"):
        from_summary([0.1, 0.2], [0.01], 5)
