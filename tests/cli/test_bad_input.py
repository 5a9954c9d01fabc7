"""Bad input at the command line: one ``error:`` line, exit code 2, no traceback, no files.

Every case runs the real CLI (``python -m sim run ...``) in a subprocess whose working
directory is the test's ``tmp_path``, so a default ``results/`` folder would land there
too; afterwards ``tmp_path`` must hold nothing but the config file the test wrote.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.helpers import CliRunner, files_under

CONFIG = "config.toml"

# A small valid scenario: the --set cases override it; ``staff.both`` is given explicitly
# so that ``--set staff.both.x=1`` tries to reach inside a scalar that is in the file.
GOOD = """\
name = "good"

[hours]
open = "09:00"
close = "11:00"
slot_minutes = 30

[demand.walk_in]
rate_per_hour = 20
profile = [1.0, 1.0, 1.5, 0.5]

[demand.phone]
rate_per_hour = 6

[staff]
both = 2
"""


@dataclass(frozen=True)
class Case:
    """One bad input: the config text (None: no file), extra options, what the line names."""

    config: str | None
    extra: tuple[str, ...] = ()
    expect: tuple[str, ...] = field(default=())  # substrings: the key, the value, hints
    config_arg: str = CONFIG


CASES: dict[str, Case] = {
    # ------------------------------------------------------------------ config file
    "unknown_top_level_key": Case(
        'name = "x"\ncolour = "red"\n',
        expect=("colour", "red", "unknown key"),
    ),
    "unknown_nested_key_typo": Case(
        "[demand.walk_in]\nrate_per_hr = 5\n",
        expect=("demand.walk_in.rate_per_hr", "5", "rate_per_hour"),
    ),
    "negative_rate": Case(
        "[demand.walk_in]\nrate_per_hour = -5\n",
        expect=("demand.walk_in.rate_per_hour", "-5"),
    ),
    "string_where_number_expected": Case(
        '[demand.walk_in]\nrate_per_hour = "lots"\n',
        expect=("demand.walk_in.rate_per_hour", "lots"),
    ),
    "bool_where_integer_expected": Case(
        "[staff]\nboth = true\n",
        expect=("staff.both", "True"),
    ),
    "probability_above_one": Case(
        "[balking]\nper_extra_waiting = 1.5\n",
        expect=("balking.per_extra_waiting", "1.5"),
    ),
    "zero_staff_on_open_channel": Case(
        "[demand.walk_in]\nrate_per_hour = 10\n[demand.phone]\nrate_per_hour = 0\n"
        "[staff]\ncounter = 0\nboth = 0\n",
        expect=("staff", "walk_in", "counter", "both"),
    ),
    "unknown_policy": Case(
        '[discipline]\npolicy = "vip"\n',
        expect=("discipline.policy", "vip", "fifo"),
    ),
    "malformed_toml": Case(
        '[hours\nopen = "09:00"\n',
        expect=(CONFIG, "TOML"),
    ),
    "missing_config_file": Case(
        None,
        expect=("no_such_config.toml",),
        config_arg="no_such_config.toml",
    ),
    "wrong_profile_length": Case(
        "[demand.walk_in]\nrate_per_hour = 10\nprofile = [1.0, 1.0, 1.0]\n",
        expect=("demand.walk_in.profile", "3", "16"),
    ),
    "bad_clock": Case(
        '[hours]\nopen = "25:99"\n',
        expect=("hours.open", "25:99"),
    ),
    "close_before_open": Case(
        '[hours]\nopen = "17:00"\nclose = "09:00"\n',
        expect=("hours", "close", "09:00", "17:00"),
    ),
    "unknown_dist": Case(
        '[demand.walk_in]\nservice = { dist = "pareto", mean_s = 100 }\n',
        expect=("demand.walk_in.service", "pareto", "lognormal"),
    ),
    "lognormal_missing_cv": Case(
        '[demand.walk_in]\nservice = { dist = "lognormal", mean_s = 100 }\n',
        expect=("demand.walk_in.service.cv", "missing"),
    ),
    "negative_patience_mean": Case(
        '[demand.phone]\npatience = { dist = "exponential", mean_s = -30 }\n',
        expect=("demand.phone.patience.mean_s", "-30"),
    ),
    # The second and third slots overlap (11:00-14:00 and 13:00-17:00): the line has to
    # show the offending slot, not an 80-character prefix of the whole [staff] table.
    "overlapping_schedule_slots": Case(
        "[staff]\nschedule = [\n"
        '  { start = "09:00", end = "11:00", both = 2 },\n'
        '  { start = "11:00", end = "14:00", both = 3 },\n'
        '  { start = "13:00", end = "17:00", both = 2 },\n'
        "]\n",
        expect=("staff", "schedule", "13:00", "overlap"),
    ),
    # A quoted TOML key may contain a newline; the error must still be one line.
    "newline_in_unknown_key": Case(
        '"colour\\nred" = 1\n',
        expect=("colour", "unknown key"),
    ),
    # ------------------------------------------------------------------ --set overrides
    "set_unknown_key": Case(
        GOOD, ("--set", "demand.walk_in.rate_per_hr=5"),
        expect=("demand.walk_in.rate_per_hr", "5"),
    ),
    "set_wrong_type": Case(
        GOOD, ("--set", "staff.both=three"),
        expect=("staff.both", "three"),
    ),
    "set_without_equals": Case(
        GOOD, ("--set", "staff.both"),
        expect=("--set", "staff.both", "key.path=value"),
    ),
    "set_negative_value": Case(
        GOOD, ("--set", "demand.phone.rate_per_hour=-1"),
        expect=("demand.phone.rate_per_hour", "-1"),
    ),
    "set_infinite_rate": Case(
        GOOD, ("--set", "demand.walk_in.rate_per_hour=inf"),
        expect=("demand.walk_in.rate_per_hour", "inf"),
    ),
    "set_sub_key_of_scalar": Case(
        GOOD, ("--set", "staff.both.x=1"),
        expect=("staff.both", "staff.both.x"),
    ),
    # ------------------------------------------------------------------ options
    "reps_zero": Case(GOOD, ("--reps", "0"), expect=("--reps", "0")),
    "reps_not_a_number": Case(GOOD, ("--reps", "many"), expect=("--reps", "many")),
    "jobs_negative": Case(GOOD, ("--jobs", "-1"), expect=("--jobs", "-1")),
    "seed_negative": Case(GOOD, ("--seed", "-3"), expect=("--seed", "-3")),
}


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_bad_input_is_one_error_line_exit_2_and_no_files(tmp_path: Path, cli: CliRunner,
                                                         case: Case) -> None:
    if case.config is not None:
        (tmp_path / CONFIG).write_text(case.config, encoding="utf-8")
    before = files_under(tmp_path)

    proc = cli("run", case.config_arg, "--reps", "2",
                   "--out", str(tmp_path / "out"), *case.extra)

    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, f"expected exactly one stderr line, got {lines!r}"
    line = lines[0]
    assert line.strip(), "the error line is empty"
    assert line.startswith("error:"), line
    for text in case.expect:
        assert text in line, f"{text!r} not named in {line!r}"
    assert proc.stdout == ""
    assert files_under(tmp_path) == before, "bad input must not create files or folders"


def test_check_on_good_config_prints_json(tmp_path: Path, cli: CliRunner) -> None:
    (tmp_path / CONFIG).write_text(GOOD, encoding="utf-8")

    proc = cli("check", CONFIG, "--set", "staff.both=3", "--json")

    assert proc.returncode == 0, proc.stderr
    resolved = json.loads(proc.stdout)
    assert resolved["name"] == "good"
    assert resolved["staff"]["both"] == 3
    assert resolved["demand"]["walk_in"]["profile"] == [1.0, 1.0, 1.5, 0.5]
    # defaults are filled in
    assert resolved["discipline"]["policy"] == "fifo"
    assert resolved["demand"]["phone"]["service"]["dist"] == "lognormal"
    assert files_under(tmp_path) == {CONFIG}


def test_good_run_writes_tables_and_manifest(tmp_path: Path, cli: CliRunner) -> None:
    (tmp_path / CONFIG).write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"

    proc = cli("run", CONFIG, "--reps", "2", "--seed", "5", "--out", str(out))

    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    # everything went to --out: no default results/ folder appeared
    assert {p.split("/")[0] for p in files_under(tmp_path)} == {CONFIG, "out"}
    assert sorted(p.name for p in out.iterdir()) == [
        "manifest.json", "replications.csv", "results.db", "run.json", "slots.csv",
        "summary.csv"]

    with (out / "replications.csv").open(newline="", encoding="utf-8") as fh:
        reps = list(csv.reader(fh))
    header, rows = reps[0], reps[1:]
    assert header[:2] == ["replication", "seed"]
    assert [r[0] for r in rows] == ["0", "1"]
    assert all(r[1] == "5" for r in rows)
    assert all(len(r) == len(header) and all(cell != "" for cell in r) for r in rows)

    with (out / "summary.csv").open(newline="", encoding="utf-8") as fh:
        summary = list(csv.DictReader(fh))
    assert {s["metric"] for s in summary} == set(header[2:])
    assert all(s["n"] == "2" for s in summary if s["metric"] == "arrivals")

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"] is True
    assert manifest["seed"] == 5
    assert manifest["scenario"]["name"] == "good"
    assert manifest["scenario"]["staff"]["both"] == 2
    assert manifest["replications_done"] == [0, 1]
    assert isinstance(manifest["versions"], dict) and manifest["versions"]["python"]
    assert {"simpy", "numpy", "pydantic"} <= set(manifest["versions"])
    assert isinstance(manifest["git_commit"], str) and manifest["git_commit"]
    assert isinstance(manifest["wall_time_s"], int | float) and manifest["wall_time_s"] >= 0
    assert not [p for p in files_under(out) if p.endswith(".tmp")]
