"""Unit tests of sweeps, paired comparisons and their tables (no simulation)."""

from __future__ import annotations

import math

import pytest

from sim.errors import UserInputError
from sim.results.comparisons import compare, paired, reps_for_half_width, verdict
from sim.results.statistics import Estimate
from sim.study.parts import Part
from sim.study.sweep import Factor, Level, build_grid, fingerprint, parse_factor, split_values
from sim.study.tables import Tables, comparisons, replication_rows, summary_rows
from tests.helpers import BASELINE


def test_split_values_keeps_lists_and_quoted_commas_whole() -> None:
    assert split_values("1,[2, 3],'a,b', {x=1, y=2}") == ["1", "[2, 3]", "'a,b'",
                                                         "{x=1, y=2}"]


def test_factor_over_a_key_and_the_staff_shorthand() -> None:
    f = parse_factor("acknowledgment.policy=finish_first,greet_first")
    assert f.labels == ["finish_first", "greet_first"]
    assert f.levels[1].overrides == ("acknowledgment.policy=greet_first",)
    staff = parse_factor("staff=3,5")
    assert staff.labels == ["3", "5"]
    assert "staff.schedule=[]" in staff.levels[0].overrides
    assert "staff.both=5" in staff.levels[1].overrides


@pytest.mark.parametrize("text", ["noequals", "key=", "a=1,,2", "a=1,1", "staff=0",
                                  "staff=2.5", ".x=1,2"])
def test_malformed_factors_are_refused(text: str) -> None:
    with pytest.raises(UserInputError):
        parse_factor(text)


def test_grid_is_every_combination_last_factor_fastest() -> None:
    points = build_grid(BASELINE, [], [parse_factor("staff=3,4"),
                                       parse_factor("discipline.policy=fifo,value_tier")])
    assert [p.labels for p in points] == [
        {"staff": "3", "discipline.policy": "fifo"},
        {"staff": "3", "discipline.policy": "value_tier"},
        {"staff": "4", "discipline.policy": "fifo"},
        {"staff": "4", "discipline.policy": "value_tier"}]
    assert points[3].scenario.staff.both == 4 and points[3].scenario.staff.schedule == []
    assert points[3].scenario.discipline.policy == "value_tier"


def test_a_bad_level_names_its_scenario() -> None:
    with pytest.raises(UserInputError, match=r"in the scenario .*greet_frst"):
        build_grid(BASELINE, [], [parse_factor("acknowledgment.policy=greet_frst")])


def test_repeated_factor_is_refused() -> None:
    with pytest.raises(UserInputError, match="more than once"):
        build_grid(BASELINE, [], [parse_factor("staff=3"), parse_factor("staff=4")])


def test_fingerprint_follows_the_resolved_scenarios_and_seed() -> None:
    a = build_grid(BASELINE, [], [parse_factor("staff=3,4")])
    same = build_grid(BASELINE, ["hours.serve_after_close=true"],  # the default already
                      [parse_factor("staff=3,4")])
    other = build_grid(BASELINE, [], [parse_factor("staff=3,5")])
    assert fingerprint(a, 1) == fingerprint(same, 1)
    assert fingerprint(a, 1) != fingerprint(a, 2)
    assert fingerprint(a, 1) != fingerprint(other, 1)


def test_paired_difference_uses_common_replications_only() -> None:
    d = paired({0: 3.0, 1: 5.0, 2: 9.0}, {0: 1.0, 1: 2.0, 3: 100.0})
    assert d.n == 2 and d.mean == pytest.approx(2.5)


def _est(mean: float, low: float, high: float, n: int = 20) -> Estimate:
    return Estimate(mean, 1.0, low, high, n)


def test_verdicts_in_plain_words() -> None:
    assert verdict("greet_first", "walkout_rate", _est(-0.031, -0.038, -0.024), "at staff=3") \
        == "greet_first cuts walkouts by 3.1 points [2.4, 3.8] at staff=3"
    assert verdict("x", "median_time_to_ack_s", _est(4.0, 1.0, 7.0)) == \
        "x raises time to acknowledge by 4.0 s [1.0, 7.0] (worse)"
    assert verdict("x", "revenue", _est(120.0, 50.0, 190.0)) == \
        "x raises revenue by 120 [50, 190]"
    assert verdict("x", "walkout_rate", _est(0.01, -0.01, 0.03), "", 40) == (
        "x cannot be told apart on walkouts with 20 replications (1.0 points [-1.0, 3.0]; "
        "about 40 would be needed to resolve it)")
    assert verdict("x", "time_to_ack_gap_appearance", _est(-4.0, -6.0, -2.0)).startswith(
        "x cuts the plain-minus-polished acknowledgment gap by 4.0 s [2.0, 6.0]")  # no judgement
    assert "too few" in verdict("x", "walkout_rate", Estimate(0.1, math.nan, math.nan,
                                                              math.nan, 1))


def test_replications_needed_for_a_half_width() -> None:
    n = reps_for_half_width(std=1.0, half_width=0.1)
    assert n is not None
    assert 384 <= n <= 390  # (1.96 / 0.1)^2 ≈ 384, a little more for the t quantile
    assert reps_for_half_width(0.0, 0.1) is None


def test_compare_reports_means_and_replications_to_resolve() -> None:
    c = compare("policy", "a", "b", {"staff": "3"}, "walkout_rate",
                {r: 0.10 + 0.01 * (r % 3) for r in range(30)},
                {r: 0.12 + 0.01 * (r % 3) + 0.001 * (r % 2) for r in range(30)})
    assert c.diff.mean < 0 and c.diff.ci_high < 0
    assert c.verdict.startswith("b (vs a) cuts walkouts by 2.0 points [2.0, 2.1]")
    assert c.verdict.endswith("at staff=3")
    assert c.reps_to_resolve is not None and c.reps_to_resolve >= 2


def _tables() -> Tables:
    factors = [Factor("policy", (Level("a"), Level("b"))), Factor("staff", (Level("3"),
                                                                            Level("4")))]
    points = build_grid(BASELINE, [], factors)
    parts = {}
    for p in points:
        for r in range(4):
            value = 0.1 * (p.labels["policy"] == "b") + 0.01 * r + int(p.labels["staff"])
            parts[(p.index, r)] = Part(p.index, r, {"walkout_rate": value, "served": 10 + r},
                                       [], {})
    return Tables(points, factors, parts, seed=5)


def test_tables_pair_each_level_with_its_baseline_at_the_same_other_levels() -> None:
    found = comparisons(_tables(), {}, ["walkout_rate"])
    by = {(c.factor, c.level, tuple(c.context.items())): c for c in found}
    policy = by[("policy", "b", (("staff", "4"),))]
    assert policy.diff.mean == pytest.approx(0.1) and policy.diff.std == pytest.approx(0.0)
    staff = by[("staff", "4", (("policy", "a"),))]
    assert staff.baseline == "3" and staff.diff.mean == pytest.approx(1.0)
    assert len(found) == 4  # 2 policy contexts + 2 staff contexts


def test_rows_are_sorted_and_labelled() -> None:
    t = _tables()
    rows = replication_rows(t)
    assert [(r["scenario"], r["replication"]) for r in rows][:3] == [(0, 0), (0, 1), (0, 2)]
    assert rows[0]["policy"] == "a" and rows[0]["staff"] == "3" and rows[0]["seed"] == 5
    summary = summary_rows(t)
    assert {r["metric"] for r in summary} == {"walkout_rate", "served"}
    assert all(r["n"] == 4 for r in summary)


def test_level_names_and_unknown_metrics_in_words() -> None:
    from sim.results.comparisons import info, level_name

    assert level_name("staff", "4") == "staff=4"
    assert level_name("distractions.enabled", "false") == "distractions.enabled=false"
    assert level_name("policy", "greet_first") == "greet_first"
    assert info("walk_in_service_level").unit == "points"
    assert info("walk_in_service_level").lower_is_better is False
    assert info("email_mean_response_s").unit == "s"
    assert info("arrivals").lower_is_better is None


def test_a_key_belongs_to_one_factor_and_is_not_also_set() -> None:
    with pytest.raises(UserInputError, match="also sets"):
        build_grid(BASELINE, [], [parse_factor("staff=3,4"), parse_factor("staff.both=5,6")])
    with pytest.raises(UserInputError, match=r"--set staff\.both: factor staff"):
        build_grid(BASELINE, ["staff.both=3"], [parse_factor("staff=3,4")])
    with pytest.raises(UserInputError, match="--set acknowledgment"):
        build_grid(BASELINE, ["acknowledgment={policy='greet_first'}"],
                   [parse_factor("acknowledgment.policy=finish_first,greet_first")])
    with pytest.raises(UserInputError, match="repeated"):
        parse_factor("staff=3,03")


def test_metric_columns_are_the_union_over_scenarios() -> None:
    t = _tables()
    extra = Part(3, 9, {"walkout_rate": 0.5, "served": 1, "only_here": 2.0}, [], {})
    t = Tables(t.points, t.factors, {**t.parts, (3, 9): extra}, seed=5)
    assert t.metric_names() == ["walkout_rate", "served", "only_here"]
    assert math.isnan(t.values(0, "only_here")[0])
