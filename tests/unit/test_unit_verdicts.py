"""Practical differences, false-discovery-rate control of verdicts, and the columns that
make missing values visible (no simulation)."""

from __future__ import annotations

import math

import pytest

from sim.metrics.catalogue import CATALOGUE, DECLARED, PRACTICAL
from sim.results.comparisons import FDR, Comparison, adjust, compare, verdict
from sim.results.report import Folder, missing_notes, undefined_where, with_ci
from sim.results.statistics import Estimate
from sim.study.parts import Part
from sim.study.sweep import Factor, Level, build_grid
from sim.study.tables import FDR_COLUMNS, Tables, comparison_rows, summary_rows
from tests.helpers import BASELINE


def test_every_metric_has_a_range_and_a_smallest_difference() -> None:
    for m in CATALOGUE.values():
        low, high = m.bounds
        assert low < high and m.smallest_difference > 0.0, m.name
        assert (low < 0.0) == m.signed
    assert PRACTICAL["share"] == 0.005
    assert CATALOGUE["lost_clv_plain_top"].smallest_difference == 200.0  # splits inherit
    # signed: the fairness gaps and net value (revenue less costs may be negative)
    assert all(m.signed == (m.family == "fairness" or m.name == "net_value") for m in DECLARED)


def test_no_practical_difference_when_the_interval_is_inside_the_smallest() -> None:
    e = Estimate(0.001, 0.01, -0.002, 0.004, 30)
    assert verdict("x", "walkout_rate", e, "at staff=3", None, 0.005) == (
        "x makes no practical difference to walkouts (within ±0.5 points) at staff=3 with "
        "30 replications (0.1 points [-0.2, 0.4])")
    clear_but_tiny = Estimate(0.002, 0.001, 0.001, 0.003, 30)  # excludes 0, still negligible
    assert "no practical difference" in verdict("x", "walkout_rate", clear_but_tiny, "", None,
                                                0.005)


def _values(shift: float, noise: float, n: int = 30) -> tuple[dict[int, float], ...]:
    base = {r: 0.2 + 0.01 * (r % 5) for r in range(n)}
    return ({r: v + shift + noise * ((r * 7) % 3 - 1) for r, v in base.items()}, base)


def test_practically_zero_differences_have_no_reps_to_resolve() -> None:
    level, base = _values(0.0002, 0.001)
    c = compare("policy", "a", "b", {}, "walkout_rate", level, base)
    assert "no practical difference" in c.verdict and c.reps_to_resolve is None
    level, base = _values(0.0002, 0.03)  # wide: cannot be told apart, bounded effort
    c = compare("policy", "a", "b", {}, "walkout_rate", level, base)
    assert "cannot be told apart" in c.verdict
    assert c.reps_to_resolve is not None and c.reps_to_resolve < 2000


def _comparisons() -> list[Comparison]:
    found = []
    for i, shift in enumerate([0.05, 0.004, 0.003, 0.0, 0.0, 0.0, 0.0, 0.0]):
        level, base = _values(shift, 0.01 + 0.001 * i)
        found.append(compare("policy", "a", f"l{i}", {}, "walkout_rate", level, base))
    return found


def test_adjusted_verdicts_call_exactly_the_fdr_discoveries() -> None:
    raw = _comparisons()
    found = adjust(raw)
    called = [c for c in found if c.significant_fdr]
    assert 1 <= len(called) < sum(c.p_value <= 0.05 for c in raw)  # BH is stricter
    level = 1.0 - len(called) * FDR / len(found)
    for c in found:
        assert c.verdict_level == pytest.approx(level) and c.shown is not None
        assert c.p_adjusted >= c.p_value
        assert (c.shown.ci_low > 0.0 or c.shown.ci_high < 0.0) == bool(c.significant_fdr)
        assert c.diff == next(r.diff for r in raw if r.level == c.level)  # unadjusted kept
        assert ("cuts" in c.verdict or "raises" in c.verdict) == (
            bool(c.significant_fdr) and not c.negligible)
    rows = comparison_rows(found, ["policy"])
    assert set(FDR_COLUMNS) <= set(rows[0]) and rows[0]["ci_low"] == found[0].diff.ci_low


def test_nothing_called_uses_the_bonferroni_level_and_too_few_is_no_test() -> None:
    level, base = _values(0.0, 0.01)
    few = compare("policy", "a", "b", {}, "walkout_rate", {0: 0.1}, {0: 0.2})
    found = adjust([compare("policy", "a", "c", {}, "walkout_rate", level, base), few])
    assert found[0].verdict_level == pytest.approx(1.0 - FDR)  # one test, none called
    assert found[1].significant_fdr is None and math.isnan(found[1].p_adjusted)
    assert "too few" in found[1].verdict and found[1].reps_to_resolve is None


def _tables() -> Tables:
    factors = [Factor("policy", (Level("a"), Level("b")))]
    points = build_grid(BASELINE, [], factors)
    parts = {}
    for p in points:
        for r in range(4):
            phone = math.nan if r == 0 else 0.1 * r  # no phone call in replication 0
            parts[(p.index, r)] = Part(p.index, r, {"phone_walkout_rate": phone,
                                                    "walkout_rate": 0.0}, [], {})
    return Tables(points, factors, parts, seed=1)


def test_summary_rows_count_the_replications_behind_each_estimate() -> None:
    rows = {(r["scenario"], r["metric"]): r for r in summary_rows(_tables())}
    phone, total = rows[(0, "phone_walkout_rate")], rows[(0, "walkout_rate")]
    assert (phone["n"], phone["n_reps"], phone["ci_method"]) == (3, 4, "logit")
    assert (total["n"], total["n_reps"], total["ci_method"]) == (4, 4, "all 0 bound")
    assert total["ci_low"] == 0.0 and 0.0 < float(str(total["ci_high"])) < 1.0


def _folder(n: str, n_reps: str) -> Folder:
    manifest = {"factors": [{"name": "policy", "levels": ["a", "b"]}],
                "colour_factor": "policy", "focus": {"policy": "a"},
                "compared": ["phone_walkout_rate"]}
    summary = [{"policy": lv, "metric": "phone_walkout_rate", "mean": "0.2", "ci_low": "0.1",
                "ci_high": "0.3", "n": n, "n_reps": n_reps} for lv in ("a", "b")]
    return Folder(manifest, summary, [])


def test_the_report_says_when_and_why_a_headline_metric_has_fewer_replications() -> None:
    notes = missing_notes(_folder("27", "30"))
    assert len(notes) == 1 and "no phone call arrived" in notes[0]
    assert "a: 27 of 30, b: 27 of 30" in notes[0]
    assert with_ci(_folder("27", "30"), "phone_walkout_rate").endswith("(n=27)")
    assert missing_notes(_folder("30", "30")) == []
    assert undefined_where("mean_wait_s_plain") == "no plain-looking patron's contact ended"
    assert "empty denominator" in undefined_where("mean_wait_s")
