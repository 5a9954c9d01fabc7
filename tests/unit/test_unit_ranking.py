"""The lever ranking: lifetime value saved per staff hour, paired by replication."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from sim.results.ranking import add_ranking, lever_values


def _rows() -> list[dict[str, str]]:
    rows = []
    base = {"0": (1000, 0), "1": (1200, 0), "2": (800, 0)}
    levers = {"as_found": base,
              "costly": {"0": (900, 3600), "1": (1050, 3600), "2": (680, 3600)},  # saves 123
              "free": {"0": (990, 0), "1": (1190, 0), "2": (790, 0)},             # saves 10
              "worse": {"0": (1100, 0), "1": (1300, 0), "2": (900, 0)}}
    for lever, reps in levers.items():
        for r, (clv, seconds) in reps.items():
            rows.append({"lever": lever, "replication": r, "lost_clv": str(clv),
                         "conduct_time_s": str(seconds) if lever != "free" else ""})
    return rows


def test_saved_per_staff_hour_is_paired_and_ranked() -> None:
    values = {v.lever: v for v in lever_values(_rows(), "lever", "as_found")}
    costly, free, worse = values["costly"], values["free"], values["worse"]
    assert costly.saved.mean == pytest.approx(370 / 3)
    assert costly.cost_h.mean == pytest.approx(1.0)
    assert costly.per_hour == pytest.approx(370 / 3) and costly.pays
    assert free.free and free.per_hour == math.inf and free.pays
    assert free.saved.ci_low == free.saved.ci_high == pytest.approx(10.0)  # the same each day
    assert not worse.pays
    assert [v.lever for v in lever_values(_rows(), "lever", "as_found")] == \
        ["free", "costly", "worse"]


def test_ranking_goes_to_the_top_of_the_report(tmp_path: Path) -> None:
    rows = _rows()
    with (tmp_path / "replications.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    (tmp_path / "report.md").write_text("# x\n\n## Headline\n\n- something\n")
    lines = add_ranking(tmp_path, "lever", "as_found")
    assert lines[0].startswith("1. free saves 10 [10, 10]") and "at no staff time" in lines[0]
    text = (tmp_path / "report.md").read_text()
    assert text.index("## Levers ranked") < text.index("## Headline")
    with (tmp_path / "ranking.csv").open() as f:
        assert [r["lever"] for r in csv.DictReader(f)] == ["free", "costly", "worse"]
