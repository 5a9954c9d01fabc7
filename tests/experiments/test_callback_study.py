"""The callbacks-and-retrials study: its arms (one line each, the first the baseline), the
scenarios they make, and the report section that states each arm's paired differences in
words. Its smoke run is in ``test_experiment_smoke.py`` (every script)."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from sim.config.loading import load_scenario
from sim.results.paired_words import MARKER, add_paired_words
from tests.helpers import REPO


@pytest.fixture(scope="module")
def script() -> ModuleType:
    """``experiments/callbacks_and_retrials.py`` as a module (not run)."""
    path = REPO / "experiments" / "callbacks_and_retrials.py"
    spec = importlib.util.spec_from_file_location("callbacks_and_retrials", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_callback_study_arms_and_scenarios(script: ModuleType,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    study = script.build(False)
    arm, volume = study.factors
    labels = [level.label for level in arm.levels]
    assert labels[0] == "no_callbacks" and len(labels) == len(script.ARMS) == 8
    assert [level.label for level in volume.levels] == ["12", "24"]
    assert [level.label for level in script.build(True).factors[0].levels] == list(
        script.SMOKE_ARMS)
    config = study.config
    on = {label: load_scenario(config, list(level.overrides)) for label, level in
          zip(labels, arm.levels, strict=True)}
    assert not on["no_callbacks"].callbacks.enabled
    assert not on["no_callbacks"].announcements.enabled
    assert [on[f"callbacks_{t}s"].callbacks.threshold_s for t in (30, 60, 120)] == [30, 60, 120]
    assert on["announcements"].announcements.enabled and not on["announcements"].callbacks.enabled
    assert on["retrials"].retrials.enabled and not on["no_callbacks"].retrials.enabled
    both = on["retrials_callbacks_60s"]
    assert both.retrials.enabled and both.callbacks.enabled and both.callbacks.threshold_s == 60
    # one more arm is one more line of ARMS
    monkeypatch.setattr(script, "ARMS", (*script.ARMS, ("told_only", (script.ANNOUNCE,))))
    assert [level.label for level in script.build(False).factors[0].levels][-1] == "told_only"


def test_callback_paired_words_section(tmp_path: Path) -> None:
    """Each level's verdicts on the chosen metrics, grouped by the other factor's level, go
    into report.md before the main numbers; metrics not asked for are left out."""
    columns = ["factor", "baseline", "level", "arm", "calls", "metric", "verdict"]
    rows = [("arm", "none", lvl, "", calls, metric, f"{lvl} {metric} at {calls}")
            for calls in ("12", "24") for lvl in ("a", "b")
            for metric in ("walkouts", "lost_clv", "served")]
    with (tmp_path / "comparisons.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        writer.writerows(rows)
    (tmp_path / "report.md").write_text(f"# x\n\n## Headline\n\n- h\n\n{MARKER} at calls=12\n",
                                        encoding="utf-8")
    add_paired_words(tmp_path, "arm", ("lost_clv", "walkouts"), "In words")
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    section = text.split("## In words", 1)[1].split(MARKER, 1)[0]
    assert text.index("## Headline") < text.index("## In words") < text.index(MARKER)
    assert "`none`" in section and "served" not in section
    assert section.index("### calls=12") < section.index("### calls=24")
    at_12 = section.split("### calls=24")[0]
    assert at_12.index("- **a**") < at_12.index("  - a lost_clv at 12") \
        < at_12.index("  - a walkouts at 12") < at_12.index("- **b**")
