"""The command line imports only what a command needs: ``countersim --help``, every
``countersim COMMAND --help`` (and ``theory SUBCOMMAND --help``), a scenario the loader
refuses and a ``theory`` input refused before computing load none of the heavy libraries.
Checked on ``sys.modules`` in a fresh interpreter, not on wall time (which depends on the
machine). ``theory`` computing an answer needs numpy and scipy (the exact sums), but nothing
else heavy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import REPO, cli_env

HEAVY = ("numpy", "scipy", "pandas", "pydantic", "matplotlib", "simpy", "lifelines", "SALib",
         "dask", "distributed")

# Runs command lines one after another in one interpreter (exit codes caught) and prints,
# as JSON, each one's exit code, output and the heavy libraries imported so far: a library
# first listed after a command line was imported by it. Arguments (JSON): the list of argv
# lists, or ["--commands"] for the parser's command names instead; the libraries watched.
PROBE = """
import contextlib, io, json, sys
import sim.cli.main as cli
heavy = json.loads(sys.argv[2])
def loaded():
    return [h for h in heavy if h in sys.modules]
lines = json.loads(sys.argv[1])
if lines == ["--commands"]:
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    nested = next(a for a in sub.choices["theory"]._actions
                  if getattr(a, "choices", None) and a.dest != "help")
    print(json.dumps({"commands": sorted(sub.choices), "theory": sorted(nested.choices),
                      "loaded": loaded()}))
    raise SystemExit(0)
results = []
for argv in lines:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exc:
            code = exc.code
    results.append({"argv": argv, "code": code, "out": out.getvalue(), "err": err.getvalue(),
                    "loaded": loaded()})
print(json.dumps(results))
"""

Result = dict[str, Any]


def probe(lines: list[list[str]] | list[str]) -> Any:
    """What running the command lines in one fresh interpreter printed and imported."""
    argv = [sys.executable, "-c", PROBE, json.dumps(lines), json.dumps(HEAVY)]
    done = subprocess.run(argv, cwd=REPO, env=cli_env(None), capture_output=True, text=True,
                          timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def commands() -> Result:
    """The parser's commands and theory's subcommands (so a new command is checked too)."""
    found: Result = probe(["--commands"])
    return found


def test_cli_imports_parser_alone_loads_nothing_heavy(commands: Result) -> None:
    assert commands["loaded"] == []
    assert {"run", "sweep", "theory", "check"} <= set(commands["commands"])
    assert sorted(commands["theory"]) == ["erlang-a", "erlang-c", "retrial", "staff"]


def test_cli_imports_help_of_every_command_loads_nothing_heavy(commands: Result) -> None:
    lines = [["--help"]] + [[c, "--help"] for c in commands["commands"]]
    lines += [["theory", t, "--help"] for t in commands["theory"]]
    results: list[Result] = probe(lines)
    assert [r["argv"] for r in results] == lines
    for result in results:
        assert result["code"] == 0, result
        assert "usage: countersim" in result["out"], result["argv"]
        assert result["loaded"] == [], (result["argv"], result["loaded"])


def test_cli_imports_config_errors_load_only_the_schema(tmp_path: Path) -> None:
    config = "experiments/configs/baseline.toml"
    bad = "demand.walk_in.rate_per_hour=-1"
    results: list[Result] = probe([["run", str(tmp_path / "missing.toml")],
                                   ["run", config, "--set", bad, "--out", str(tmp_path / "o")],
                                   ["check", config, "--set", bad],
                                   ["sweep", config, "--factor", "staff=3,4", "--set", bad,
                                    "--out", str(tmp_path / "s")]])
    assert "missing.toml" in results[0]["err"]
    for result in results:
        assert result["code"] == 2, result
        assert result["err"].startswith("error: ") and result["err"].count("\n") == 1
        assert set(result["loaded"]) <= {"pydantic"}, result
    assert "demand.walk_in.rate_per_hour" in results[1]["err"]
    assert results[3]["err"] == results[1]["err"]  # sweep refuses it as run does
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_cli_imports_theory_loads_numpy_and_scipy_only_to_compute() -> None:
    common = ["--arrivals-per-hour", "100", "--mean-service-s", "120", "--target-s", "20"]
    refused, answered = probe([["theory", "erlang-c", *common, "--servers", "-1"],
                               ["theory", "erlang-c", *common, "--servers", "4"]])
    assert refused["code"] == 2 and "--servers" in refused["err"]
    assert refused["loaded"] == []
    assert answered["code"] == 0 and "P(wait > 0)" in answered["out"]
    assert answered["loaded"] == ["numpy", "scipy"]
