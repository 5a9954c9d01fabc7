"""Folder names made from a scenario's ``name`` stay one safe folder under ``results/``:
traversal, absolute paths, newlines, empty names, ``.``/``..``, very long names and unicode
all become a single plain folder name, and ``countersim run`` writes nothing elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli.main import main
from sim.results.store import SAFE_NAME_MAX, default_run_dir, safe_name
from tests.helpers import files_under

ODD_NAMES = [
    "../../etc/x", "/etc/passwd", "..", ".", "", "   ", "a\nb", "line\r\nbreak", "tab\tname",
    "x" * 1000, "a/../../b", "C:\\Windows\\x", ".hidden", "-rf", "nul\x00byte", "\u202eevil",
    "Café Zürich", "東京の店", "emoji 🙂 shop", "~/home", "$(touch pwned)",
]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_safe_name_is_one_plain_folder_name(name: str) -> None:
    made = safe_name(name)
    assert made and made not in (".", "..")
    assert "/" not in made and "\\" not in made and made.isprintable()
    assert not made.startswith((".", "-")) and not made.endswith((".", "-"))
    assert len(made) <= SAFE_NAME_MAX and len(made.encode("utf-8")) <= 255
    assert Path(made).name == made and len(Path(made).parts) == 1


@pytest.mark.parametrize(("name", "expected"), [
    ("baseline", "baseline"), ("staffing_policies", "staffing_policies"), ("v1.2", "v1.2"),
    ("../../etc/x", "etc-x"), ("/etc/passwd", "etc-passwd"), ("a\nb", "a-b"),
    ("", "unnamed"), (".", "unnamed"), ("..", "unnamed"), ("Café Zürich", "Café-Zürich"),
    ("東京の店", "東京の店"), ("a/../b", "a-b"),
])
def test_safe_name_examples(name: str, expected: str) -> None:
    assert safe_name(name) == expected


@pytest.mark.parametrize("name", ODD_NAMES)
def test_default_run_dir_stays_under_base(tmp_path: Path, name: str) -> None:
    base = tmp_path / "results"
    path = default_run_dir(base, name)
    assert path.parent.parent == base
    assert path.resolve().is_relative_to(base.resolve())


def test_default_run_dir_is_new_each_time(tmp_path: Path) -> None:
    first = default_run_dir(tmp_path, "../x")
    first.mkdir(parents=True)
    second = default_run_dir(tmp_path, "../x")
    assert second != first and second.parent == first.parent == tmp_path / "x"


@pytest.mark.parametrize("name", ["../../escaped", "ABSOLUTE", "two\nlines", "", "..", "."])
def test_run_with_an_odd_scenario_name_writes_only_under_results(
        work_dir: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The name ends up a folder under results/ (or, should the config checks refuse such
    a name, exit 2 with nothing written): never elsewhere."""
    if name == "ABSOLUTE":
        name = str(work_dir / "outside" / "x")
    inner = work_dir / "inner"
    inner.mkdir()
    config = inner / "odd.toml"
    escaped = name.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
    config.write_text(f'name = "{escaped}"\n[hours]\nopen = "09:00"\nclose = "09:30"\n'
                      "[demand.walk_in]\nrate_per_hour = 10\n[staff]\nboth = 1\n")
    code = main(["run", str(config), "--reps", "1"])
    err = capsys.readouterr().err
    written = files_under(work_dir) - {"inner", "inner/odd.toml"}
    if code == 2:
        assert written == set() and err.count("\n") == 1
        return
    assert code == 0, err
    assert written and all(w.split("/")[0] == "results" for w in written), written
    assert {w.split("/")[1] for w in written if "/" in w} == {safe_name(name)}
