"""Output hygiene items of issue 12: what a successful command prints and writes.

* ``run``'s final "wrote ..." line names every file it wrote (``contacts.csv``,
  ``days.csv``);
* ``days.csv`` writes whole counts as integers (``5000``, not ``5000.0``);
* a resumed sweep's report reproduces with a command that works in a new folder (no
  ``--resume``);
* every command and option explains itself in ``--help`` (``check --help`` did not);
* ``check`` prints the resolved scenario as TOML, the language the user writes scenarios in
  (it printed 308 lines of JSON) — our reading of the issue's complaint.

(``compare`` saving its comparisons, the bare ``python -m sim`` usage line and ``plot``'s
exit code on a corrupt table are cases in ``cases_commands.py``.)
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import tomllib
from pathlib import Path

import pytest

from tests.hardening.configs import config, pooled_text
from tests.hardening.harness import Sandbox, cli_target, make_sandbox, run_forked


def _run(sandbox: Sandbox, *args: str) -> tuple[int | None, str, str]:
    out = run_forked(sandbox, cli_target(args), ["countersim", *args], timeout=60)
    assert not out.traceback, out.stderr
    return out.code, out.stdout, out.stderr


@pytest.fixture
def multi_day(tmp_path: Path) -> Sandbox:
    """A two-day run with --records, written to out/."""
    sandbox = make_sandbox(tmp_path)
    (sandbox.work / "c.toml").write_text(config({"run.days": 2}, pooled=True),
                                         encoding="utf-8")
    code, stdout, stderr = _run(sandbox, "run", "c.toml", "--reps", "2", "--records",
                                "--out", "out")
    assert code == 0, stderr
    (sandbox.cap / "run.stdout").write_text(stdout, encoding="utf-8")
    return sandbox


def test_wrote_line_names_every_file_written(multi_day: Sandbox) -> None:
    stdout = (multi_day.cap / "run.stdout").read_text(encoding="utf-8")
    wrote = next((line for line in stdout.splitlines() if line.startswith("wrote ")), "")
    assert wrote, "[hygiene] no 'wrote ...' line"
    written = sorted(p.name for p in (multi_day.work / "out").iterdir() if p.is_file())
    missing = [name for name in written if name not in wrote]
    assert not missing, f"[hygiene] the 'wrote' line omits {missing}: {wrote}"


def test_days_csv_writes_counts_as_integers(multi_day: Sandbox) -> None:
    text = (multi_day.work / "out" / "days.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows, "[hygiene] days.csv is empty"
    money = re.compile(r"revenue|clv|spend|rate|share|mean|value")
    floats = sorted({column for row in rows for column, cell in row.items()
                     if not money.search(column) and re.fullmatch(r"-?\d+\.0", cell or "")})
    assert not floats, f"[hygiene] days.csv writes whole counts as floats in {floats}"


def test_resumed_sweep_report_reproduces_without_resume(tmp_path: Path) -> None:
    sandbox = make_sandbox(tmp_path)
    (sandbox.work / "c.toml").write_text(pooled_text(), encoding="utf-8")
    args = ("sweep", "c.toml", "--reps", "1", "--no-figures", "--factor", "staff=1,2",
            "--out", "out")
    code, _, stderr = _run(sandbox, *args)
    assert code == 0, stderr
    code, _, stderr = _run(sandbox, *args, "--resume")
    assert code == 0, stderr
    report = (sandbox.work / "out" / "report.md").read_text(encoding="utf-8")
    line = next((x for x in report.splitlines() if "Reproduce" in x), "")
    assert line, "[hygiene] report.md has no Reproduce line"
    assert "--resume" not in line, f"[hygiene] the Reproduce line keeps --resume: {line}"


def _parsers() -> list[tuple[str, argparse.ArgumentParser]]:
    from sim.cli.experiment import parser as experiment_parser
    from sim.cli.main import build_parser

    found = [("countersim", build_parser()), ("experiment script", experiment_parser("", 1))]
    todo = list(found)
    while todo:
        name, p = todo.pop()
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub_name, sub in action.choices.items():
                    found.append((f"{name} {sub_name}", sub))
                    todo.append((f"{name} {sub_name}", sub))
    return found


@pytest.mark.parametrize("name,parser", _parsers(), ids=[n for n, _ in _parsers()])
def test_help_explains_the_command_and_every_option(name: str,
                                                    parser: argparse.ArgumentParser) -> None:
    problems = []
    if not (parser.description or "").strip() and name != "experiment script":
        problems.append("no description")
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
            continue
        if not (action.help or "").strip() or action.help == argparse.SUPPRESS:
            problems.append(f"{'/'.join(action.option_strings) or action.dest} has no help")
    assert not problems, f"[hygiene] {name} --help: {'; '.join(problems)}"


def test_check_prints_the_scenario_as_toml(tmp_path: Path) -> None:
    sandbox = make_sandbox(tmp_path)
    (sandbox.work / "c.toml").write_text(pooled_text(), encoding="utf-8")
    code, stdout, stderr = _run(sandbox, "check", "c.toml")
    assert code == 0, stderr
    try:
        resolved = tomllib.loads(stdout)
    except tomllib.TOMLDecodeError as exc:
        raise AssertionError(f"[hygiene] check prints {len(stdout.splitlines())} lines that are "
                             f"not TOML ({exc}); a TOML user cannot paste them") from None
    assert resolved.get("name") == "pooled"
