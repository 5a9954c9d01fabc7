"""The section "Plausible ranges (robustness study)" of docs/parameters.md is generated from
sim/config/ranges.py: it is up to date, a stale copy is caught, and every entry is shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.config.ranges import RANGES, Range
from sim.config.ranges_doc import COMMAND, HEADING, main, render, section_of, write_into

ROOT = Path(__file__).resolve().parents[2]


def test_docs_parameters_md_ranges_are_up_to_date() -> None:
    committed = ROOT / "docs" / "parameters.md"
    assert section_of(committed.read_text(encoding="utf-8")) == render(), \
        f"docs/parameters.md's plausible ranges are stale: {COMMAND}"
    assert main(["--check", str(committed)]) == 0


def test_ranges_check_fails_on_a_stale_file(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "parameters.md"
    stale.write_text("# Parameters\n\n" + render().replace("hold_patience", "hold_patiens")
                     + "\n## After\n", encoding="utf-8")
    assert main(["--check", str(stale)]) == 1
    assert "out of date" in capsys.readouterr().err
    assert main(["--write", str(stale)]) == 0
    assert main(["--check", str(stale)]) == 0
    text = stale.read_text(encoding="utf-8")
    assert text.startswith("# Parameters\n\n" + HEADING) and text.endswith("\n## After\n")
    missing = tmp_path / "other.md"
    missing.write_text("# Other\n", encoding="utf-8")
    assert main(["--check", str(missing)]) == 1
    assert write_into("# Other\n") == "# Other\n\n" + render()
    assert main(["--bad"]) == 2
    assert main(["--check"]) == 2


def test_every_entry_is_shown() -> None:
    text = render()
    for key, entry in RANGES.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{key}` |"))
        if isinstance(entry, Range):
            assert f"| {entry.low:g} |" in row and f"| {entry.scale} |" in row, key
    assert COMMAND in text
