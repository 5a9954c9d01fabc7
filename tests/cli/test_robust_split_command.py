"""``countersim robust`` splitting a compared bundle's effect into its fixes: a tiny study
writes decomposition.csv (the parts add up to the whole), its figure and its paragraph,
and ``--resume`` gives the same table byte for byte; bad --decompose input is one line."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from tests.helpers import BASELINE, CliRunner

# a quiet day (a third of the arrivals) keeps the 32 combinations of fixes quick
TINY = ("--set", "staff=4", "--set", "demand.walk_in.rate_per_hour=8", "--set",
        "demand.phone.rate_per_hour=4", "--params", "demand.email.rate_per_hour", "--worlds", "4",
        "--reps", "2", "--top", "1", "--compare", "greet_first,best_practice")


@pytest.mark.slow
def test_bundle_split_is_written_and_resumes(cli: CliRunner, tmp_path: Path) -> None:
    done = cli("robust", str(BASELINE), *TINY, "--out", "r")
    assert done.returncode == 0, done.stderr
    out = tmp_path / "r"
    table = (out / "decomposition.csv").read_bytes()
    with (out / "decomposition.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    sums: dict[tuple[str, str], float] = defaultdict(float)
    totals = {}
    for row in rows:
        key = (row["world"], row["metric"])
        if row["part"] == "total":
            totals[key] = float(row["effect"])
        else:
            sums[key] += float(row["effect"])
    assert set(totals) == {("default", "walkout_rate"), ("default", "lost_clv")}
    for key, total in totals.items():
        assert sums[key] == pytest.approx(total, abs=1e-9)
    assert {r["part"] for r in rows} == {"hold_and_greet", "no_personal_calls",
                                         "equal_treatment", "apologise_and_calm",
                                         "thank_always", "total"}
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "## Where best_practice's gain comes from" in report and "All 32 combinations" in report
    assert (out / "figures" / "decompose_best_practice-walkout_rate.png").is_file()
    assert "how many e-mails come [`demand.email.rate_per_hour`] (μ*" in report
    again = cli("robust", str(BASELINE), *TINY, "--out", "r", "--resume")
    assert again.returncode == 0, again.stderr
    assert "decompose_best_practice stage" in again.stderr
    assert (out / "decomposition.csv").read_bytes() == table


@pytest.mark.parametrize(("args", "words"), [
    (["--decompose", "best_practice", "--decompose-reps", "1"], "--decompose-reps 1"),
    (["--decompose", "hold_and_greet"], "fewer than two settings"),
])
def test_bad_decompose_is_one_line(cli: CliRunner, tmp_path: Path, args: list[str],
                                   words: str) -> None:
    done = cli("robust", str(BASELINE), "--compare", "as_found,hold_and_greet,best_practice",
               *args, "--worlds", "4", "--reps", "2", "--out", "r")
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert done.returncode == 2 and len(errors) == 1, done.stderr
    assert words in errors[0] and "Traceback" not in done.stderr
    assert not (tmp_path / "r").exists()
