"""``countersim robust --cluster`` on a real Dask cluster: a loopback ``LocalCluster`` (two
single-threaded worker processes, torn down afterwards) runs a tiny robustness study whose
tables are byte for byte those of the same study on this process (``--jobs 1``)."""

from __future__ import annotations

import os
import signal
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from sim.cli.main import main  # noqa: E402  (after the importorskip above)
from sim.study.parts import DB_FILE  # noqa: E402
from tests.helpers import BASELINE, REPO  # noqa: E402

# a quiet day (a third of the arrivals) keeps the study quick
TINY = ["robust", str(BASELINE), "--compare", "as_found,hold_and_greet", "--set", "staff=4",
        "--set", "demand.walk_in.rate_per_hour=8", "--set", "demand.phone.rate_per_hour=4",
        "--params", "demand.phone.hold_patience.mean_s", "--worlds", "4", "--reps", "2",
        "--top", "1", "--seed", "5", "--decompose", "none"]
TABLES = ("verdicts.csv", "morris.csv", "sobol.csv", "worlds.csv")


@pytest.fixture
def address(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A scheduler on 127.0.0.1 (random port, no dashboard) with two worker processes that
    import this checkout's ``sim``; closed afterwards, even on failure."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", scheduler_port=0,
                                  dashboard_address="127.0.0.1:0", silence_logs=40) as cluster:
        yield str(cluster.scheduler_address)


@pytest.fixture(autouse=True)
def _restore_sigterm() -> Iterator[None]:
    """The command line turns SIGTERM into KeyboardInterrupt; keep pytest's own handler."""
    handler = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, handler)


@pytest.mark.slow
def test_robust_on_a_cluster_writes_the_tables_of_a_local_run(address: str,
                                                               tmp_path: Path) -> None:
    assert main([*TINY, "--jobs", "1", "--out", str(tmp_path / "local")]) == 0
    assert main([*TINY, "--cluster", address, "--out", str(tmp_path / "cluster")]) == 0
    for name in TABLES:
        local = (tmp_path / "local" / name).read_bytes()
        assert (tmp_path / "cluster" / name).read_bytes() == local, name
    saved = _saved_replications(tmp_path / "local")
    assert len(saved) == (4 + 12) * 2 * 2  # screening and Sobol worlds × policies × reps
    assert _saved_replications(tmp_path / "cluster") == saved


def _saved_replications(root: Path) -> dict[tuple[str, int, int], str]:
    """Every replication saved in the study's results databases: (stage folder, scenario,
    replication) → the saved result, as text."""
    saved: dict[tuple[str, int, int], str] = {}
    for db in sorted(root.rglob(DB_FILE)):
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            for scenario, replication, result in conn.execute(
                    "SELECT scenario, replication, result FROM replications"):
                saved[(str(db.parent.relative_to(root)), int(scenario), int(replication))] = \
                    str(result)
        finally:
            conn.close()
    return saved
