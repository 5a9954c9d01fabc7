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


def test_section_says_where_the_bundle_change_comes_from(tmp_path: Path) -> None:
    (tmp_path / "report.md").write_text("# Report\n", encoding="utf-8")
    header = "bundle,baseline,world,metric,part,effect,se,low,high,share_of_total,reps\n"
    rows = [("greet_first", -0.019, -0.024, -0.014), ("hold_and_greet", 0.002, -0.001, 0.005),
            ("total", -0.031, -0.036, -0.026)]
    text = header + "".join(f"best_practice,as_found,default,walkout_rate,{p},{e},0.001,"
                            f"{lo},{hi},0.5,4\n" for p, e, lo, hi in rows)
    text += "best_practice,as_found,s0000,walkout_rate,total,-0.5,0.1,-0.6,-0.4,1.0,4\n"

    def main(argv: list[str]) -> int:
        assert argv[argv.index("--decompose") + 1] == "auto"
        fake_main(tmp_path)(argv)
        (tmp_path / "robustness" / "decomposition.csv").write_text(text, encoding="utf-8")
        return 0

    assert add_section(tmp_path, robust_command(Path("b.toml"), ["as_found", "best_practice"],
                                                4, 1, tmp_path / "robustness", False),
                       main) == 0
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert ("- walkouts: -3.1 points [-3.6, -2.6], of which greet_first -1.9 points "
            "[-2.4, -1.4], hold_and_greet 0.2 points [-0.1, 0.5].") in report
    assert "Where best_practice's change against as_found comes from" in report
    assert "-50.0 points" not in report  # sampled worlds stay in robustness/report.md
