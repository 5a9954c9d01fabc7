"""``countersim check`` prints the resolved scenario as TOML that loads back to the same
scenario; ``--json`` keeps the JSON form; ``check --help`` says what it does, its options
and an example."""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path

import pytest

from sim.cli.check import scenario_toml
from sim.cli.main import main
from sim.config.loading import load_scenario, scenario_from_dict
from sim.config.toml_text import string, toml_text
from tests.helpers import BASELINE, CONFIGS, CliRunner, files_under

ODD_OVERRIDES = [
    'description="a \\"quoted\\" text\\nwith a newline, a tab\\t, a DEL \\u007f, é and 🙂"',
    "distractions.kinds.smoke_break={idle_rate_per_hour=0.5, visible=true, "
    'duration={dist="deterministic", value_s=300}}',
    "staff.traits=[{}, {conscientiousness=1.0}, {}]",
    "discipline.policy=\"appearance_biased\"",
    "staff.bias=[1, 0, 0.5]",
    "staff.schedule=[]",
    "staff.both=3",
    "demand.walk_in.patience={dist=\"infinite\"}",
    "run.days=3",
]


@pytest.mark.parametrize("config", sorted(CONFIGS.glob("*.toml")), ids=lambda p: p.name)
def test_shipped_configs_round_trip(config: Path, tmp_path: Path) -> None:
    scenario = load_scenario(config)
    text = scenario_toml(scenario)
    assert scenario_from_dict(tomllib.loads(text)) == scenario
    printed = tmp_path / "resolved.toml"
    printed.write_text(text, encoding="utf-8")
    assert load_scenario(printed) == scenario


def test_odd_values_round_trip(tmp_path: Path) -> None:
    scenario = load_scenario(BASELINE, ODD_OVERRIDES)
    printed = tmp_path / "resolved.toml"
    printed.write_text(scenario_toml(scenario), encoding="utf-8")
    again = load_scenario(printed)
    assert again == scenario
    assert again.description.endswith("é and 🙂") and "\n" in again.description
    assert isinstance(again.staff.bias, list) and len(again.staff.bias) == 3


def test_check_prints_toml_not_json(tmp_path: Path, cli: CliRunner) -> None:
    done = cli("check", str(BASELINE), "--set", "demand.walk_in.rate_per_hour=30")
    assert done.returncode == 0, done.stderr
    parsed = tomllib.loads(done.stdout)
    assert parsed["demand"]["walk_in"]["rate_per_hour"] == 30.0
    assert parsed["name"] == "baseline" and "both" not in parsed["staff"]  # the schedule rules
    assert '\nservice = { dist = "lognormal", mean_s = 240.0, cv = 0.8 }\n' in done.stdout
    assert "\n[demand.walk_in]\n" in done.stdout and not done.stdout.lstrip().startswith("{")
    assert len(done.stdout.splitlines()) < 250
    (tmp_path / "resolved.toml").write_text(done.stdout, encoding="utf-8")
    assert load_scenario(tmp_path / "resolved.toml") == load_scenario(
        BASELINE, ["demand.walk_in.rate_per_hour=30"])
    assert files_under(tmp_path) == {"resolved.toml"}  # check itself wrote nothing


def test_json_option_keeps_the_json_form(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(BASELINE), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == load_scenario(BASELINE).model_dump(mode="json")


def test_bad_config_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[hours]\nslot_minutes = -5\n")
    assert main(["check", str(bad)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "hours.slot_minutes" in err


def test_help_explains_options_and_an_example(cli: CliRunner) -> None:
    done = cli("check", "--help")
    assert done.returncode == 0
    text = done.stdout
    assert "Validate a scenario file" in text and "without simulating or writing" in text
    assert "loads back to the same scenario" in text
    for option in ("CONFIG", "--set KEY=VALUE", "--json"):
        assert option in text
    assert "examples:" in text and "countersim check experiments/configs/baseline.toml" in text


# ------------------------------------------------------------------------------ the writer


def test_strings_escape_what_toml_requires() -> None:
    text = 'q"b\\n\n\t\x00\x7f é 🙂'
    assert tomllib.loads(f"v = {string(text)}")["v"] == text
    assert string("\x7f") == '"\\u007F"'


def test_writer_round_trips_plain_data() -> None:
    data = {"a": 1, "b": -2.5e-7, "c": math.inf, "d": "x", "e": True, "f": [1, 2],
            "empty": {}, "t": {"inner": {"k": [{"x": 1}, {"y": "z"}]}, "s": "w"},
            "odd key": {"n": 1}, "none": None}
    parsed = tomllib.loads(toml_text(data))
    assert parsed == {k: v for k, v in data.items() if k != "none"}
    assert math.isnan(tomllib.loads(toml_text({"n": math.nan}))["n"])


def test_inline_tables_on_request() -> None:
    text = toml_text({"s": {"service": {"dist": "exponential", "mean_s": 1.0}}},
                     lambda path, table: "dist" in table)
    assert text == '[s]\nservice = { dist = "exponential", mean_s = 1.0 }\n'
