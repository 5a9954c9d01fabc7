"""``countersim compare`` refuses what it cannot pair honestly and saves what it finds:
the same run twice and unrelated scenarios are refused unless ``--force``, unequal
replication counts are paired on the common ones with a warning, and the comparisons are
written to a CSV (``--out``, default inside run A) whose path is printed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sim.cli.compare import COLUMNS
from sim.cli.main import main
from sim.results.run_pairs import MAX_DIFFERENCES, differences, fingerprint, settings
from sim.results.store import read_csv
from tests.helpers import BASELINE, ERLANG_A, files_under


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run folders: a (5 reps), b (3 reps, personal phones on quiet), a2 (a again), e (the
    Erlang-A validation queue)."""
    root = tmp_path_factory.mktemp("runs")
    made = {"a": (BASELINE, "5", []), "a2": (BASELINE, "5", []),
            "b": (BASELINE, "3", ["staff_rules.personal_phones=on_quiet"]),
            "e": (ERLANG_A, "3", ['hours.close="02:00"'])}
    for name, (config, reps, extra) in made.items():
        sets = [x for s in extra for x in ("--set", s)]
        assert main(["run", str(config), "--reps", reps, "--out", str(root / name), *sets]) == 0
    return root


@pytest.fixture
def copies(runs: Path, tmp_path: Path) -> Path:
    """Fresh copies of the run folders (a test may write into them)."""
    for name in ("a", "a2", "b", "e"):
        shutil.copytree(runs / name, tmp_path / name)
    return tmp_path


def one_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: "), err
    return err


@pytest.mark.parametrize(("b", "expected"), [
    ("a", "are the same run folder: every paired difference would be 0"),
    ("a2", "ran the same scenario (fingerprint "),
    ("e", "are unrelated runs: their scenarios (fingerprints "),
])
def test_identical_and_unrelated_runs_are_refused(copies: Path, b: str, expected: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    before = files_under(copies)
    capsys.readouterr()
    assert main(["compare", str(copies / "a"), str(copies / b)]) == 2
    err = one_error(capsys)
    assert expected in err and "(or add --force to compare anyway)" in err
    assert files_under(copies) == before


def test_unrelated_message_names_the_settings_and_the_limit(
        copies: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    main(["compare", str(copies / "a"), str(copies / "e")])
    err = one_error(capsys)
    assert f"at most {MAX_DIFFERENCES} may differ" in err
    assert "balking.policy ('queue_length' → 'none')" in err and "more)" in err


def test_force_compares_anyway_with_a_warning(copies: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["compare", str(copies / "a"), str(copies / "a2"), "--force",
                 "--metric", "walkout_rate"]) == 0
    out, err = capsys.readouterr()
    assert "warning:" in err and "compared anyway (--force)" in err
    assert "no practical difference" in out
    assert (copies / "a" / "comparisons-vs-a2.csv").is_file()


def test_unequal_replications_warn_and_say_how_many_pairs(
        copies: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["compare", str(copies / "a"), str(copies / "b"),
                 "--metric", "walkout_rate", "--metric", "p_ack_within_target"]) == 0
    out, err = capsys.readouterr()
    assert "has 5 replications (0-4)" in err and "has 3 (0-2)" in err
    assert "only the 3 both have are paired" in err
    lines = out.strip().splitlines()
    assert lines[0] == "b differs from a in staff_rules.personal_phones ('allowed' → 'on_quiet')"
    written = copies / "a" / "comparisons-vs-b.csv"
    assert lines[-1] == f"wrote {written} (2 comparisons, 3 paired replications)"
    rows = read_csv(written)
    assert [r["metric"] for r in rows] == ["walkout_rate", "p_ack_within_target"]
    assert list(rows[0]) == COLUMNS
    assert all(r["n"] == "3" and r["verdict"] in out for r in rows)


def test_out_file_is_written_replaced_only_if_ours(copies: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = copies / "reports" / "ab.csv"
    args = ["compare", str(copies / "a"), str(copies / "b"), "--metric", "walkout_rate"]
    assert main([*args, "--out", str(out)]) == 0
    assert main([*args, "--out", str(out)]) == 0           # its own file: replaced
    assert read_csv(out)[0]["baseline_run"] == str(copies / "a")
    capsys.readouterr()
    data = copies / "a" / "replications.csv"
    before = data.read_text()
    assert main([*args, "--out", str(data)]) == 2          # not ours: refused
    assert "was not written by countersim compare; choose a new file name" in one_error(capsys)
    assert data.read_text() == before
    assert main([*args, "--out", str(copies / "reports")]) == 2
    assert "is a folder; give a file name" in one_error(capsys)


@pytest.mark.parametrize(("damage", "expected"), [
    ("replication,seed,walkout_rate\nx,1,0.1\n", "line 2: replication = 'x'"),
    ("replication,seed,walkout_rate\n0,1,lots\n", "walkout_rate = 'lots' in replication 0"),
])
def test_damaged_replications_are_one_line(copies: Path, damage: str, expected: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    (copies / "b" / "replications.csv").write_text(damage)
    capsys.readouterr()
    assert main(["compare", str(copies / "a"), str(copies / "b"),
                 "--metric", "walkout_rate"]) == 2
    err = one_error(capsys)
    assert expected in err and "damaged" in err


def test_settings_and_fingerprint_ignore_labels() -> None:
    a = {"name": "x", "description": "d", "staff": {"both": 3, "schedule": [{"both": 1}]},
         "demand": {"walk_in": {"service": {"dist": "exponential", "mean_s": 240.0}}}}
    b = {**a, "name": "y", "description": "other", "staff": {"both": 4, "schedule": []}}
    assert set(settings(a)) == {"staff.both", "staff.schedule", "demand.walk_in.service"}
    assert fingerprint(a) == fingerprint({**a, "name": "renamed"}) != fingerprint(b)
    assert differences(a, b) == [("staff.both", 3, 4), ("staff.schedule", [{"both": 1}], [])]


def test_incomplete_run_is_named_in_a_warning(copies: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    manifest = copies / "b" / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"complete": true', '"complete": false'))
    capsys.readouterr()
    assert main(["compare", str(copies / "a"), str(copies / "b"),
                 "--metric", "walkout_rate"]) == 0
    assert f"warning: {copies / 'b'} is an incomplete run (stopped early: 3 of 3" in \
        capsys.readouterr().err
