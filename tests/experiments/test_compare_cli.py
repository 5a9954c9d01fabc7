"""``countersim compare``: two runs with the same seed, paired by replication."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli.main import main
from tests.helpers import BASELINE


def _run(out: Path, *extra: str) -> Path:
    assert main(["run", str(BASELINE), "--reps", "8", "--out", str(out), *extra]) == 0
    return out


def test_paired_verdicts_for_two_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = _run(tmp_path / "finish")
    b = _run(tmp_path / "greet", "--set", "acknowledgment.policy=greet_first")
    capsys.readouterr()
    assert main(["compare", str(a), str(b), "--metric", "p_ack_within_target"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 3 and out[0].startswith("greet differs from finish in acknowledgment")
    assert out[2] == f"wrote {a / 'comparisons-vs-greet.csv'} (1 comparison, 8 paired replications)"
    out = out[1:]
    assert out[0].startswith("greet (vs finish) raises customers acknowledged within target by ")
    assert "8 paired replications" in out[0]
    # a run against itself is refused, and with --force every paired difference is zero
    assert main(["compare", str(a), str(a), "--metric", "walkout_rate"]) == 2
    assert "the same run folder" in capsys.readouterr().err
    assert main(["compare", str(a), str(a), "--metric", "walkout_rate", "--force"]) == 0
    same = capsys.readouterr().out
    assert ("makes no practical difference to walkouts (within ±0.5 points) with 8 "
            "replications (0.0 points [0.0, 0.0])") in same


def test_compare_refuses_unpaired_or_unknown(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    a = _run(tmp_path / "a")
    b = _run(tmp_path / "b", "--seed", "2")
    capsys.readouterr()
    assert main(["compare", str(a), str(b)]) == 2
    assert "seeds differ" in capsys.readouterr().err
    assert main(["compare", str(a), str(a), "--metric", "nope"]) == 2
    assert main(["compare", str(a), str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("error:") for line in err)
