"""The notebook API (``from sim import api``): the same numbers as the command line for the
same scenario, seed and replications; DataFrames for the tables; a temporary folder that
goes with its result; bad input refused as the commands refuse it; figures without files."""

from __future__ import annotations

import gc
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import api
from sim.api.calls import factor_texts, level_text, overrides_of
from sim.cli.main import main
from sim.errors import UserInputError
from tests.helpers import REPO

BASELINE = REPO / "experiments" / "configs" / "baseline.toml"


def test_api_run_gives_the_cli_numbers(tmp_path: Path) -> None:
    cli_out = tmp_path / "cli"
    assert main(["run", str(BASELINE), "--reps", "2", "--seed", "5", "--set", "staff=3",
                 "--out", str(cli_out)]) == 0
    result = api.run(BASELINE, reps=2, seed=5, set={"staff": 3}, out=tmp_path / "api")
    assert result.kind == "run" and not result.temporary
    for name in ("replications", "summary", "slots"):
        assert (cli_out / f"{name}.csv").read_bytes() == \
            (tmp_path / "api" / f"{name}.csv").read_bytes(), name
        pd.testing.assert_frame_equal(result.tables[name], pd.read_csv(cli_out / f"{name}.csv"))
    assert result.comparisons is None and result.days is None
    assert list(result.replications["replication"]) == [0, 1]
    walkouts = result.summary.set_index("metric").loc["walkout_rate"]
    assert 0.0 <= walkouts["ci_low"] <= walkouts["mean"] <= walkouts["ci_high"] <= 1.0
    assert result.manifest["command"].startswith("countersim run ")
    assert result.manifest["overrides"] == ["staff=3"]


def test_api_run_takes_a_dict_and_keeps_a_temporary_folder_with_its_result() -> None:
    data = tomllib.loads(BASELINE.read_text(encoding="utf-8"))
    from_dict = api.run(data, reps=1, seed=2, set=["staff=3"])
    from_path = api.run(BASELINE, reps=1, seed=2, set={"staff": 3})
    metrics = [c for c in from_path.replications.columns if c != "seed"]
    pd.testing.assert_frame_equal(from_dict.replications[metrics],
                                  from_path.replications[metrics])
    folder = from_dict.folder
    assert from_dict.temporary and (folder / "replications.csv").is_file()
    del from_dict
    gc.collect()
    assert not folder.exists()


def test_api_refuses_bad_input_as_the_cli_does_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(UserInputError, match=r"demand\.walk_in\.rate_per_hour"):
        api.run(BASELINE, reps=1, set={"demand.walk_in.rate_per_hour": -1}, out=out)
    with pytest.raises(UserInputError, match="no_such_policy"):
        api.sweep(BASELINE, {"acknowledgment.policy": ["finish_first", "no_such_policy"]},
                  reps=1, out=out)
    assert not out.exists()


def test_api_sweep_gives_the_cli_tables_and_figures_without_files(tmp_path: Path) -> None:
    cli_out = tmp_path / "cli"
    assert main(["sweep", str(BASELINE), "--factor", "staff=3,4", "--reps", "2", "--seed", "7",
                 "--out", str(cli_out), "--no-figures"]) == 0
    result = api.sweep(BASELINE, {"staff": [3, 4]}, reps=2, seed=7, out=tmp_path / "api")
    assert result.kind == "sweep"
    for name in ("replications", "summary", "comparisons", "scenarios", "slots"):
        pd.testing.assert_frame_equal(result.tables[name], pd.read_csv(cli_out / f"{name}.csv"))
    assert set(result.comparisons["metric"]) >= {"walkout_rate", "lost_clv"}  # type: ignore[index]
    figures = api.plot(result)
    assert "walkout_vs_staff" in figures and "slot_walkouts" in figures
    assert not (tmp_path / "api" / "figures").exists()
    line = figures["walkout_vs_staff"].axes[0].lines[0]
    means = result.summary[result.summary["metric"] == "walkout_rate"]
    assert np.asarray(line.get_xdata()).tolist() == [3.0, 4.0]
    assert np.asarray(line.get_ydata()).tolist() == pytest.approx(list(means["mean"]))
    saved = api.plot(result, names=["walkout_vs_staff"], save=True)
    assert list(saved) == ["walkout_vs_staff"]
    assert (tmp_path / "api" / "figures" / "walkout_vs_staff.png").is_file()
    with pytest.raises(UserInputError, match="no such figure"):
        api.plot(result, names=["nope"])


def test_api_settings_and_factors_become_command_line_text() -> None:
    assert overrides_of({"staff": 4, "acknowledgment.policy": "greet_first",
                         "demand.walk_in.rate_per_hour": 12.5, "patrons.enabled": False}) == [
        "staff=4", 'acknowledgment.policy="greet_first"',
        "demand.walk_in.rate_per_hour=12.5", "patrons.enabled=false"]
    assert overrides_of(None) == [] and overrides_of(["staff=2"]) == ["staff=2"]
    assert [level_text(v) for v in ("greet_first", "true", "a b", 3, 0.5, True)] == [
        "greet_first", '"true"', '"a b"', "3", "0.5", "true"]
    assert factor_texts({"staff": [3, 4], "discipline.policy": ["fifo", "top_first"]}) == [
        "staff=3,4", "discipline.policy=fifo,top_first"]
