"""What each policy costs in staff (sim/results/staff_equivalent.py): the staff level where
a policy's walkout rate falls to best practice's, its range from the 95% bands, the staff
hours and cost interpolated there, and the report section, on hand-made summary rows."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from sim.results.staff_equivalent import HEADING, crossing, equivalents, interpolate, section
from sim.results.store import write_csv
from sim.study.definition import Study

# walkout rate (mean, ci_low, ci_high) by staff 3, 4, 5; paid hours 8.5/staff; cost 20/h
RATES = {"as_found": [(0.20, 0.18, 0.22), (0.10, 0.09, 0.11), (0.05, 0.04, 0.06)],
         "best_practice": [(0.12, 0.11, 0.13), (0.06, 0.05, 0.07), (0.03, 0.02, 0.04)],
         "great": [(0.01, 0.005, 0.02), (0.005, 0.0, 0.01), (0.0, 0.0, 0.0)]}


def rows() -> list[dict[str, str]]:
    """summary.csv rows of a sweep of 3-5 staff × three policies."""
    out = []
    for policy, by_staff in RATES.items():
        for staff, (mean, low, high) in zip((3, 4, 5), by_staff, strict=True):
            base = {"policy": policy, "staff": str(staff)}
            out.append({**base, "metric": "walkout_rate", "mean": str(mean),
                        "ci_low": str(low), "ci_high": str(high)})
            for metric, value in (("staff_hours", 8.5 * staff), ("staff_cost", 170.0 * staff)):
                out.append({**base, "metric": metric, "mean": str(value),
                            "ci_low": str(value), "ci_high": str(value)})
    return out


def test_crossing_and_interpolation() -> None:
    curve = [(3.0, 0.2), (4.0, 0.1), (5.0, 0.05)]
    assert crossing(curve, 0.06).staff == pytest.approx(4.8)
    assert crossing(curve, 0.25).text == "≤ 3" and crossing(curve, 0.01).text == "> 5"
    assert interpolate(curve, 4.5) == pytest.approx(0.075)


def test_as_found_needs_more_staff_to_match_best_practice_at_4() -> None:
    ref, found = equivalents(rows(), "best_practice", 4.0)
    assert ref["mean"] == 0.06 and ref["staff_cost"] == 680.0
    by = {e.policy: e for e in found}
    af = by["as_found"]
    assert af.staff.staff == pytest.approx(4.8)  # 0.10 → 0.05 over one staff: 0.06 at 4.8
    assert af.fewest.staff == pytest.approx(4 + (0.09 - 0.07) / (0.09 - 0.04))
    assert af.most.above and af.most.text == "> 5"  # its upper band never reaches 5%
    assert af.staff_hours == pytest.approx(8.5 * 4.8) and af.staff_cost == pytest.approx(816.0)
    assert by["best_practice"].staff.staff == pytest.approx(4.0)
    assert by["great"].staff.below
    text = section(rows(), "best_practice", 4.0)
    assert text.startswith(HEADING) and "| as_found | 4.8 |" in text and "+136 |" in text
    assert "| great | ≤ 3 |" in text and "- | - | - |" in text


def test_the_main_job_appends_the_section_once(tmp_path: Path) -> None:
    """experiments/staffing_policies.py adds the section to report.md, replacing an old one."""
    path = Path(__file__).resolve().parents[2] / "experiments" / "staffing_policies.py"
    spec = importlib.util.spec_from_file_location("staffing_policies_script", path)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    columns = ["policy", "staff", "metric", "mean", "ci_low", "ci_high"]
    write_csv(tmp_path / "summary.csv", rows(), columns)
    (tmp_path / "report.md").write_text("# Report\n\nbody\n", encoding="utf-8")
    study: Study = script.build(False)
    for _ in range(2):
        script.add_staff_costs(tmp_path, study)
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert text.startswith("# Report\n\nbody\n\n" + HEADING) and text.count(HEADING) == 1
