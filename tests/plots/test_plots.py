"""Figures drawn from synthetic result tables: every figure present, readable and not blank;
optional tables absent → their figures skipped; bad folders → one error line, exit 2."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.image import imread

from sim.cli.main import main
from sim.metrics.catalogue import declared, is_known
from sim.plots.data import (
    conditions,
    find_scenario,
    fixed_levels,
    load_results,
    middle_x,
    policies,
)
from sim.plots.figures import FIGURES, draw_all
from sim.plots.policy import CHURN_PANELS, FAIRNESS_PANELS
from sim.plots.series import ecdf_points, quantile_edge, share_within
from sim.plots.style import activity_colour, clock
from sim.plots.timeline import contact_segments
from sim.results.store import read_csv, write_csv

ALL = set(FIGURES)
OPTIONAL_ONLY = {"ack_ecdf", "active_patrons", "timeline", "slot_walkouts",
                 "slot_service_level"}


def assert_real_image(path: Path) -> None:
    """A readable PNG of a sensible size with visible content."""
    assert path.stat().st_size > 8_000, path
    pixels = np.asarray(imread(path))
    height, width = pixels.shape[:2]
    assert width >= 600 and height >= 400, (path, width, height)
    rgb = pixels[..., :3].reshape(-1, 3)
    assert float(rgb.std()) > 0.05, path
    assert len(np.unique(np.round(rgb * 255).astype(int), axis=0)) > 50, path


@pytest.fixture(scope="module")
def drawn(full_run: Path) -> list[Path]:
    return draw_all(full_run)


def test_every_figure_is_written(drawn: list[Path], full_run: Path) -> None:
    assert {p.stem for p in drawn} == ALL
    assert all(p.parent == full_run / "figures" for p in drawn)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_is_a_real_image(drawn: list[Path], full_run: Path, name: str) -> None:
    assert_real_image(full_run / "figures" / f"{name}.png")


def test_no_temporary_files_left(drawn: list[Path], full_run: Path) -> None:
    assert sorted(p.name for p in (full_run / "figures").iterdir()) == sorted(
        f"{n}.png" for n in FIGURES)


def test_cli_redraws_through_latest_link(make_results: Callable[..., Path], tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    run_dir = make_results("greeting_policy/20240101-120000", optional=False)
    latest = tmp_path / "greeting_policy" / "latest"
    latest.symlink_to(run_dir.name)
    assert main(["plot", str(latest)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert {Path(line).stem for line in out} == ALL - OPTIONAL_ONLY
    assert all(Path(line).is_file() and Path(line).parent == run_dir.resolve() / "figures"
               for line in out)


def test_optional_tables_absent_are_skipped(make_results: Callable[..., Path]) -> None:
    written = draw_all(make_results(optional=False))
    assert {p.stem for p in written} == ALL - OPTIONAL_ONLY


def test_without_x_factor(make_results: Callable[..., Path]) -> None:
    run_dir = make_results(optional=False, x_factor=None, colour_factor=None)
    res = load_results(run_dir)
    assert res.x is None and res.colour is not None and res.colour.name == "policy"
    assert {p.stem for p in draw_all(run_dir)} == ALL - OPTIONAL_ONLY - {"walkout_vs_staff"}


def test_single_run_folder(tmp_path: Path) -> None:
    """A plain ``countersim run`` folder: no factors, no scenario column."""
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "manifest.json").write_text(json.dumps({"seed": 1}))
    lines = ["replication,seed,walkout_rate,churned_patrons,lost_clv,staff_time_idle,"
             "staff_time_serving,walkout_rate_plain,walkout_rate_polished"]
    lines += [f"{r},1,0.{r + 1},{r + 3}.5,{r + 1}00.0,0.4,0.6,0.2,0.1" for r in range(3)]
    (run_dir / "replications.csv").write_text("\n".join(lines) + "\n")
    written = {p.stem for p in draw_all(run_dir)}
    assert written == {"churn_and_clv", "fairness_gaps", "staff_time"}


def test_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope"
    assert main(["plot", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(missing) in err and "no such results folder" in err


@pytest.mark.parametrize("keep", ["manifest.json", "replications.csv", None])
def test_missing_required_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               keep: str | None) -> None:
    (tmp_path / "run").mkdir()
    if keep is not None:
        (tmp_path / "run" / keep).write_text("{}\n")
    assert main(["plot", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(tmp_path / "run") in err
    for name in {"manifest.json", "replications.csv"} - {keep}:
        assert "missing" in err and name in err
    assert not (tmp_path / "run" / "figures").exists()


def test_not_a_folder_and_bad_manifest(make_results: Callable[..., Path], tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "file.txt"
    file.write_text("x")
    assert main(["plot", str(file)]) == 2
    run_dir = make_results(optional=False)
    (run_dir / "manifest.json").write_text("{not json")
    assert main(["plot", str(run_dir)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "not a folder" in err[0] and "not valid JSON" in err[1]


def test_scenario_choice(make_results: Callable[..., Path]) -> None:
    res = load_results(make_results(optional=False))
    assert [(p.label, p.colour) for p in policies(res)] == [
        ("finish_first", "#1f77b4"), ("greet_first", "#ff7f0e")]
    assert middle_x(res) == "3"
    fixed = fixed_levels(res, "4")
    assert fixed == {"staff": "4"}
    assert find_scenario(res, policies(res)[1], fixed) == "5"


def test_single_replication_draws_without_intervals(make_results: Callable[..., Path]) -> None:
    run_dir = make_results()
    for name in ("replications", "days"):
        rows = [r for r in read_csv(run_dir / f"{name}.csv") if r["replication"] == "0"]
        write_csv(run_dir / f"{name}.csv", rows, list(rows[0]))
    assert {p.stem for p in draw_all(run_dir)} == ALL


def test_other_factors_held_at_baseline(make_results: Callable[..., Path]) -> None:
    factors = [{"name": "policy", "levels": ["a", "b"]}, {"name": "staff", "levels": ["3", "1"]},
               {"name": "discipline", "levels": ["fifo", "appearance_biased"]}]
    res = load_results(make_results(optional=False, factors=factors, colour_factor=None,
                                    baseline={"discipline": "appearance_biased"}, timeline=None))
    assert res.colour is not None and res.colour.name == "policy"
    assert res.x is not None and res.x.levels == ("1", "3")
    assert middle_x(res) == "3" and res.timeline_label == ""
    assert fixed_levels(res, None) == {"discipline": "appearance_biased"}
    assert conditions(res, fixed_levels(res, "1")) == "staff = 1, discipline = appearance_biased"
    focused = load_results(make_results("focus", optional=False, factors=factors,
                                        focus={"staff": "1", "discipline": "fifo"}))
    assert middle_x(focused) == "1" and fixed_levels(focused, None) == {"discipline": "fifo"}


def test_ecdf_points() -> None:
    frame = pd.DataFrame({"bin_s": [0.0, 5.0, 9.0, 3.0], "count": [2.0, 1.0, 1.0, math.nan]})
    edges, shares = ecdf_points(frame)
    assert edges == [0.0, 1.0, 6.0, 10.0] and shares == [0.0, 0.5, 0.75, 1.0]
    assert share_within(edges, shares, 5.9) == 0.5
    assert quantile_edge(edges, shares, 0.99) == 10.0
    assert ecdf_points(pd.DataFrame()) == ([], [])
    assert ecdf_points(frame.iloc[:0]) == ([], [])


def test_contact_segments() -> None:
    nan = "nan"
    served = {"channel": "phone", "arrival_s": "10", "ack_s": "15", "start_s": "20",
              "end_s": "50", "outcome": "served"}
    assert contact_segments(served, 1.0, 99.0) == {
        "wait": [((10.0, 1.0), (15.0, 1.0))], "acked": [((15.0, 1.0), (20.0, 1.0))],
        "service_phone": [((20.0, 1.0), (50.0, 1.0))]}
    left = {**served, "ack_s": nan, "start_s": nan, "end_s": "40", "outcome": "balked"}
    assert contact_segments(left, 0.0, 99.0) == {"wait": [((10.0, 0.0), (40.0, 0.0))]}
    waiting = {**left, "end_s": nan, "outcome": "in_system"}
    assert contact_segments(waiting, 0.0, 99.0) == {"wait": [((10.0, 0.0), (99.0, 0.0))]}


def test_style_helpers() -> None:
    assert clock(9 * 3600 + 30 * 60) == "09:30" and clock(25 * 3600) == "25:00"
    assert activity_colour("serving") != activity_colour("idle")
    assert activity_colour("new_kind") == activity_colour("new_kind")
    assert not math.isnan(float(int(activity_colour("idle")[1:], 16)))


def test_figures_draw_catalogue_metrics(full_run: Path) -> None:
    """The synthetic tables hold catalogue columns; panels take their labels from it."""
    header = (full_run / "replications.csv").read_text(encoding="utf-8").splitlines()[0]
    columns = set(header.split(",")) - {"scenario", "replication", "seed", "policy", "staff"}
    assert columns and all(is_known(name) for name in columns), columns
    assert declared(FAIRNESS_PANELS[0]).label == "walkout rate (% of arrivals)"
    assert [declared(m).kind for m in FAIRNESS_PANELS] == ["share", "seconds", "share"]
    assert [declared(m).label for m, _ in CHURN_PANELS] == [
        "patrons lost (expected or realised)", "lost CLV (money units)"]
