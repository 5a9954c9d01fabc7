"""The metric catalogue: it names exactly the columns the accumulator reports, its helpers,
its readers (verdicts, staffing targets, the --metric check) and the generated
docs/metrics.md."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sim.config.loading import load_scenario
from sim.config.schema import Scenario
from sim.errors import UserInputError
from sim.execution.runner import run_replication
from sim.metrics import catalogue as cat
from sim.metrics.doc import main as doc_main
from sim.metrics.doc import render
from sim.model.behaviour import distraction_kinds
from sim.model.contact import CHANNELS, Outcome
from sim.model.counter.conduct import conduct_active
from sim.model.counter.retrials import retrials_active
from sim.results.comparisons import info
from sim.staffing.targets import METRICS, target_spec
from sim.study.definition import Study
from sim.study.pipeline import check_metrics
from sim.study.sweep import Point, build_grid

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = ROOT / "experiments" / "configs"
BASELINE_2_DAYS = (CONFIGS / "baseline.toml", ("run.days=2",))
ERLANG_A_SHORT = (CONFIGS / "erlang_a.toml", ("demand.walk_in.rate_per_hour=60",))
BASELINE_CONDUCT = (CONFIGS / "baseline.toml", ('complaints.policy="recover"',))
BASELINE_RETRIALS = (CONFIGS / "baseline.toml", ("retrials.enabled=true",))


def _reported(config: Path, overrides: tuple[str, ...]) -> tuple[Scenario, set[str]]:
    scenario = load_scenario(config, list(overrides))
    return scenario, set(run_replication(scenario, 1, 0).metrics)


@pytest.fixture(scope="module")
def runs() -> list[tuple[Scenario, set[str]]]:
    """Columns reported by a two-day baseline run, a one-day validation run, a one-day
    run with a conduct lever on and one with retrials on."""
    return [_reported(*BASELINE_2_DAYS), _reported(*ERLANG_A_SHORT),
            _reported(*BASELINE_CONDUCT), _reported(*BASELINE_RETRIALS)]


def test_catalogue_names_exactly_the_reported_columns(
        runs: list[tuple[Scenario, set[str]]]) -> None:
    for scenario, reported in runs:
        expected = cat.names(tuple(distraction_kinds(scenario)), scenario.run.days > 1,
                             conduct_active(scenario), retrials_active(scenario))
        assert len(expected) == len(set(expected))
        assert reported == set(expected)
        assert all(cat.is_known(name) for name in reported)


def test_every_declared_metric_and_split_is_reported_somewhere(
        runs: list[tuple[Scenario, set[str]]]) -> None:
    reported = set().union(*(names for _, names in runs))
    assert runs[0][0].run.days > 1 and runs[1][0].run.days == 1
    assert set(cat.names(conduct=True, retrials=True)) <= reported  # every family
    for declared in cat.DECLARED:
        assert {m.name for m in cat.expand(declared)} <= reported, declared.name


def test_canonical_tuples_match_the_model() -> None:
    assert cat.CHANNELS == CHANNELS
    for outcome in Outcome:
        name = "in_system_end" if outcome is Outcome.IN_SYSTEM else outcome.value
        assert cat.metric(name).family == "contacts"


def test_expanded_columns_know_their_base_split_and_part() -> None:
    m = cat.metric("walk_in_walkout_rate")
    assert (m.base, m.split, m.part, m.kind, m.better) == ("walkout_rate", "channel",
                                                           "walk_in", "share", "lower")
    g = cat.metric("churn_per_contact_plain_top")
    assert (g.base, g.split, g.part, g.unit) == ("churn_per_contact", "group", "plain_top",
                                                 "patrons per contact")
    assert "churn_per_contact" not in cat.CATALOGUE  # reported only split
    assert cat.declared("churn_per_contact").splits == ("group",)
    assert cat.split_column("mean_wait_s", "group", "top") == "mean_wait_s_top"
    assert cat.activity_column("paperwork") == "staff_time_paperwork"


def test_activities_are_open_to_any_distraction_kind() -> None:
    assert cat.is_known("staff_time_my_own_kind")
    assert cat.activity_of("staff_time_my_own_kind") == "my_own_kind"
    assert cat.activity_of("walkout_rate") is None
    assert cat.metric("staff_time_my_own_kind").split == "activity"
    assert "staff_time_my_own_kind" in cat.names(("my_own_kind",))
    assert "staff_time_my_own_kind" not in cat.names()
    assert cat.names(("idle",)) == cat.names()  # a base activity is not repeated


def test_lookups_and_close_matches() -> None:
    assert cat.better_direction("service_level") == "higher"
    assert cat.better_direction("arrivals") is None
    assert cat.better_direction("lost_clv_plain") == "lower"
    assert not cat.is_known("walkout_rat")
    assert cat.close_matches("walkout_rat")[0] == "walkout_rate"
    with pytest.raises(KeyError, match="did you mean"):
        cat.metric("walkout_rat")
    with pytest.raises(KeyError):
        cat.declared("nope")
    assert set(cat.MULTI_DAY) == set(cat.names()) - set(cat.names(multi_day=False))


def test_every_metric_is_documented() -> None:
    for m in cat.CATALOGUE.values():
        assert m.description.strip() and m.unit.strip() and m.family in cat.FAMILIES
        assert m.better in ("higher", "lower", None)
    assert {m.family for m in cat.DECLARED} == set(cat.FAMILIES)
    assert all(gap in cat.CATALOGUE and "group" in cat.declared(of).splits
               for of, gap in cat.GAPS)


# The words, unit and direction of the metrics the shipped experiments compare (verdicts
# and report.md are byte-identical with the catalogue).
PINNED = {
    "walkout_rate": ("walkouts", "points", True),
    "walk_in_walkout_rate": ("walk-in walkouts", "points", True),
    "phone_walkout_rate": ("phone walkouts (hang-ups)", "points", True),
    "median_time_to_ack_s": ("time to acknowledge", "s", True),
    "walk_in_median_time_to_ack_s": ("walk-in time to acknowledge", "s", True),
    "mean_time_to_ack_acknowledged_s": ("time to acknowledge (acknowledged only)", "s", True),
    "walk_in_mean_time_to_ack_acknowledged_s": (
        "walk-in time to acknowledge (acknowledged only)", "s", True),
    "p_ack_within_target": ("customers acknowledged within target", "points", False),
    "churned_patrons": ("patrons lost for good", "", True),
    "lost_clv": ("lost customer lifetime value", "money", True),
    "lost_clv_plain_top": ("lost lifetime value of plain-looking top spenders", "money", True),
    "lost_revenue": ("revenue lost to walkouts", "money", True),
    "revenue": ("revenue", "money", False),
    "active_patrons_end": ("active patrons at the end", "", False),
    "walkout_rate_gap_appearance": ("the plain-minus-polished walkout gap", "points", None),
    "time_to_ack_gap_appearance": ("the plain-minus-polished acknowledgment gap", "s", None),
    "churn_gap_appearance": ("the plain-minus-polished churn gap", "points", None),
    "utilization": ("staff utilisation", "points", None),
    "email_mean_response_s": ("email mean response s", "s", True),
}


@pytest.mark.parametrize("name", sorted(PINNED))
def test_verdict_words_come_from_the_catalogue(name: str) -> None:
    m = info(name)
    assert (m.words, m.unit, m.lower_is_better) == PINNED[name]


def test_verdict_direction_follows_the_catalogue() -> None:
    for name, m in cat.CATALOGUE.items():
        expected = None if m.better is None else m.better == "lower"
        assert info(name).lower_is_better is expected, name
    assert info("not_a_metric") == type(info("walkout_rate"))("not a metric", "", None)


def test_staffing_targets_take_the_better_direction() -> None:
    for name, spec in METRICS.items():
        assert spec.op == ("<=" if cat.better_direction(name) == "lower" else ">=")
        assert spec.unit == ("s" if cat.metric(name).kind == "seconds" else "share")
    for name in ("arrivals", "utilization", "revenue"):
        with pytest.raises(ValueError):
            target_spec(name)


def _study(compared: tuple[str, ...], *overrides: str) -> tuple[Study, list[Point]]:
    config = CONFIGS / "baseline.toml"
    study = Study("t", "?", config, [], overrides=overrides, compared=compared)
    return study, build_grid(config, list(overrides), [])


def test_metric_check_reads_the_catalogue() -> None:
    study, points = _study(("walkout_rate", "staff_time_personal_call"))
    check_metrics(study, points)
    study, points = _study(("walkout_rat",))
    with pytest.raises(UserInputError, match="did you mean walkout_rate"):
        check_metrics(study, points)
    study, points = _study(("new_patrons",))
    with pytest.raises(UserInputError, match="only multi-day runs report it"):
        check_metrics(study, points)
    study, points = _study(("new_patrons",), "run.days=3")
    check_metrics(study, points)
    study, points = _study(("staff_time_personal_call",), "distractions.enabled=false")
    with pytest.raises(UserInputError, match="not a metric the model reports"):
        check_metrics(study, points)


def test_catalogue_plots_and_results_do_not_import_the_model() -> None:
    code = ("import sys, sim.metrics.catalogue, sim.metrics.doc, sim.results.comparisons, "
            "sim.plots.policy; print(sorted(m for m in sys.modules if m.startswith("
            "('sim.model', 'sim.config'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"


def test_docs_metrics_md_is_up_to_date() -> None:
    committed = ROOT / "docs" / "metrics.md"
    assert committed.read_text(encoding="utf-8") == render(), \
        "docs/metrics.md is stale: python -m sim.metrics.doc > docs/metrics.md"
    assert doc_main(["--check", str(committed)]) == 0


def test_doc_check_fails_on_a_stale_file(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "metrics.md"
    stale.write_text(render().replace("walkout_rate", "walkout_ratio"), encoding="utf-8")
    assert doc_main(["--check", str(stale)]) == 1
    assert "out of date" in capsys.readouterr().err
    assert doc_main(["--bad"]) == 2
    for declared in cat.DECLARED:
        assert f"`{declared.name}" in render()
