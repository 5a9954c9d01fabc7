"""Time-of-day figures and their report captions: drawn from slots.csv (synthetic and from
a real ``countersim run``), readable PNGs, captions computed from the table."""

from __future__ import annotations

import json
import math
from pathlib import Path

from sim.cli.main import main
from sim.plots.data import load_results
from sim.plots.figures import draw, draw_all
from sim.results.slot_captions import (
    caption_slot_service_level,
    caption_slot_walkouts,
    slot_means,
)
from sim.results.store import read_csv
from tests.helpers import BASELINE
from tests.plots.conftest import build
from tests.plots.test_plots import assert_real_image

SLOT_FIGURES = ["slot_walkouts", "slot_service_level"]


def test_slot_figures_from_a_synthetic_sweep(tmp_path: Path) -> None:
    run_dir = build(tmp_path / "run")
    written = draw(load_results(run_dir), SLOT_FIGURES)
    assert [p.stem for p in written] == SLOT_FIGURES
    for path in written:
        assert_real_image(path)


def test_slot_figures_from_a_real_run(tmp_path: Path) -> None:
    out = tmp_path / "run"
    assert main(["run", str(BASELINE), "--reps", "3", "--out", str(out)]) == 0
    written = {p.stem: p for p in draw_all(out)}
    for name in SLOT_FIGURES:
        assert_real_image(written[name])


def test_captions_name_the_worst_slot(tmp_path: Path) -> None:
    run_dir = build(tmp_path / "run")
    slots = read_csv(run_dir / "slots.csv")
    manifest = {"focus": {"policy": "finish_first", "staff": "3"}}
    levels = ["finish_first", "greet_first"]
    means = slot_means(slots, {"policy": "finish_first", "staff": "3"}, "walkout_rate")
    assert len(means) == 16  # the drain slot has no arrivals: left out
    span, worst = max(means, key=lambda m: m[1])
    text = caption_slot_walkouts(manifest, slots, "policy", levels, " at staff=3")
    assert f"The worst slot is {span} for finish_first: {worst * 100:.0f}% walk out" in text
    assert "greet_first" in text and "at staff=3" in text
    service = caption_slot_service_level(manifest, slots, "policy", levels, "")
    low = min(slot_means(slots, {"policy": "greet_first", "staff": "3"}, "service_level"),
              key=lambda m: m[1])
    assert f"greet_first from {low[1] * 100:.0f}% ({low[0]})" in service
    assert caption_slot_walkouts(manifest, [], "policy", levels, "") == ""


def test_sweep_report_embeds_the_slot_figures(tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    assert main(["sweep", str(BASELINE), "--factor", "staff=3,4", "--factor",
                 "acknowledgment.policy=finish_first,greet_first", "--reps", "2",
                 "--out", str(out)]) == 0
    report = (out / "report.md").read_text(encoding="utf-8")
    for name in SLOT_FIGURES:
        assert f"![{name}](figures/{name}.png)" in report
        assert_real_image(out / "figures" / f"{name}.png")
    assert "The worst slot is " in report
    rows = read_csv(out / "slots.csv")
    assert {r["staff"] for r in rows} == {"3", "4"}
    assert all(int(r["n"]) <= 2 for r in rows)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["complete"] and not math.isnan(float(rows[0]["mean"]))
