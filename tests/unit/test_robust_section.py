"""The main job's "How robust is this?" section: the small study's command, and its
headlines appended to report.md once (a rerun replaces the section)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sim.study.robust_section import DECIDING, HEADING, add_section, robust_command


def fake_main(folder: Path, code: int = 0) -> Callable[[list[str]], int]:
    def main(argv: list[str]) -> int:
        assert argv[0] == "robust" and "--params" in argv
        out = folder / "robustness"
        out.mkdir(exist_ok=True)
        (out / "verdicts.csv").write_text(
            "policy,metric,worlds,headline\n"
            'greet_first,walkout_rate,8,"greet_first beats as_found on walkouts in 88% '
            '[47, 100] of plausible worlds"\n', encoding="utf-8")
        return code
    return main


def test_command_names_the_deciding_assumptions(tmp_path: Path) -> None:
    command = robust_command(Path("b.toml"), ["as_found", "greet_first"], 4, 2,
                             tmp_path / "r", resume=True)
    assert command[command.index("--params") + 1] == ",".join(DECIDING)
    assert command[-1] == "--resume" and "staff=4" in command


def test_section_is_appended_once(tmp_path: Path) -> None:
    (tmp_path / "report.md").write_text("# Report\n\nbody\n", encoding="utf-8")
    for _ in range(2):
        assert add_section(tmp_path, ["robust", "--params", "x"], fake_main(tmp_path)) == 0
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert text.count(HEADING) == 1 and text.startswith("# Report\n\nbody\n\n" + HEADING)
    assert "in 88% [47, 100] of plausible worlds" in text and "8 independent worlds" in text


def test_a_failed_study_leaves_the_report_alone(tmp_path: Path) -> None:
    (tmp_path / "report.md").write_text("# Report\n", encoding="utf-8")
    assert add_section(tmp_path, ["robust", "--params", "x"], fake_main(tmp_path, 2)) == 2
    assert (tmp_path / "report.md").read_text(encoding="utf-8") == "# Report\n"
