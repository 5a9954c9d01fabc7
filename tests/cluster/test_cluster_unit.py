"""``sim.execution.cluster`` without a cluster: the missing extra, address and timeout parsing, task
keys, and the worker package probe (pickled by value, so it runs where ``sim`` is missing)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import sim
from sim.cli.main import main
from sim.errors import UserInputError
from sim.execution.backends import make_backend
from tests.helpers import BASELINE

EXTRA_MESSAGE = "--cluster needs the cluster extra: pip install 'countersim[cluster]'"


@pytest.fixture
def without_distributed(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if the ``cluster`` extra were not installed (restored afterwards)."""
    for name in ["distributed", *[m for m in sys.modules if m.startswith("distributed.")]]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delitem(sys.modules, "sim.execution.cluster", raising=False)


@pytest.mark.usefixtures("without_distributed")
def test_missing_extra_is_a_user_error() -> None:
    with pytest.raises(UserInputError) as error:
        make_backend(1, "tcp://127.0.0.1:8786")
    assert str(error.value) == EXTRA_MESSAGE


@pytest.mark.usefixtures("without_distributed")
def test_missing_extra_on_the_command_line(capsys: pytest.CaptureFixture[str],
                                           tmp_path: Path) -> None:
    code = main(["run", str(BASELINE), "--cluster", "tcp://127.0.0.1:8786",
                 "--out", str(tmp_path / "out")])
    assert (code, capsys.readouterr().err) == (2, f"error: {EXTRA_MESSAGE}\n")


@pytest.fixture
def cluster_module() -> object:
    pytest.importorskip("distributed")
    import sim.execution.cluster

    return sim.execution.cluster


def test_addresses_and_scheduler_files(cluster_module: object, tmp_path: Path) -> None:
    from sim.execution.cluster import ClusterError, scheduler_address

    assert scheduler_address("tcp://10.0.0.5:8786") == "tcp://10.0.0.5:8786"
    assert scheduler_address("node7:8786") == "node7:8786"
    good = tmp_path / "scheduler.json"
    good.write_text(json.dumps({"type": "Scheduler", "address": "tcp://10.0.0.5:41234"}))
    assert scheduler_address(str(good)) == "tcp://10.0.0.5:41234"
    (tmp_path / "empty.json").write_text("{}")
    (tmp_path / "broken.json").write_text("{")
    for bad, message in [("nosuch.json", "neither an address"),
                         (str(tmp_path / "empty.json"), "not a Dask scheduler file"),
                         (str(tmp_path / "broken.json"), "cannot read it as a Dask scheduler")]:
        with pytest.raises(ClusterError, match=message):
            scheduler_address(bad)


def test_timeout_from_the_environment(cluster_module: object,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from sim.execution.cluster import TIMEOUT_ENV, cluster_timeout

    monkeypatch.delenv(TIMEOUT_ENV, raising=False)
    assert cluster_timeout() == 10
    monkeypatch.setenv(TIMEOUT_ENV, "2.5")
    assert cluster_timeout() == 2.5
    for bad in ("0", "-1", "soon", "nan", "inf"):
        monkeypatch.setenv(TIMEOUT_ENV, bad)
        with pytest.raises(UserInputError, match=f"{TIMEOUT_ENV} = '{bad}': must be"):
            cluster_timeout()


def test_task_keys_are_unique_and_deterministic(cluster_module: object) -> None:
    from sim.config.loading import load_scenario
    from sim.execution.cluster import task_key
    from sim.execution.runner import Task, run_task

    base = load_scenario(BASELINE, [])
    other = load_scenario(BASELINE, ["staff=9"])
    tasks = [Task(s, seed, r) for s in (base, other) for seed in (1, 2) for r in range(3)]
    keys = [task_key(run_task, i, t) for i, t in enumerate(tasks)]
    assert len(set(keys)) == len(keys)
    assert keys == [task_key(run_task, i, t) for i, t in enumerate(tasks)]
    assert all(k.startswith("run_task-") for k in keys)
    # Same position, different scenario: different key (no mix-up between two runs).
    assert task_key(run_task, 0, Task(base, 1, 0)) != task_key(run_task, 0, Task(other, 1, 0))


def test_package_probe_runs_where_sim_is_missing(cluster_module: object) -> None:
    from distributed.protocol.pickle import dumps

    from sim.execution.cluster import _package_probe

    payload = dumps(_package_probe())  # type: ignore[no-untyped-call]
    code = ("import pickle, sys; sys.modules['sim'] = None; "
            "print(pickle.loads(sys.stdin.buffer.read())())")
    done = subprocess.run([sys.executable, "-c", code], input=payload, capture_output=True,
                          timeout=60, check=True)
    assert done.stdout.decode().startswith("(None, 'ModuleNotFoundError: import of sim halted")
    assert _package_probe()() == (sim.__version__, "")


class _FailedFuture:
    """Just enough of a ``distributed.Future`` whose ``result()`` raises ``error``."""

    key = "run_task-3-0123456789abcdef0123"

    def __init__(self, error: BaseException, status: str) -> None:
        self.error = error
        self.status = status

    def result(self) -> object:
        raise self.error


def test_lost_scheduler_and_killed_workers_are_one_line(cluster_module: object) -> None:
    from concurrent.futures import CancelledError

    from distributed import KilledWorker

    from sim.execution.cluster import ClusterError, DaskCluster

    backend = DaskCluster.__new__(DaskCluster)  # no connection needed for _result
    backend.address = "tcp://10.0.0.5:8786"
    cases = [(CancelledError("scheduler-connection-lost"), "cancelled",
              "lost the connection to the Dask scheduler at tcp://10.0.0.5:8786 during the run"),
             (OSError("Connection reset by peer"), "finished", "lost the connection"),
             (KilledWorker("run_task-3", None, 3), "error",  # type: ignore[arg-type]
              "task run_task-3-0123456789abcdef0123: every worker that ran it died")]
    for error, status, message in cases:
        with pytest.raises(ClusterError, match=message) as raised:
            backend._result(_FailedFuture(error, status))  # type: ignore[arg-type]
        assert "\n" not in str(raised.value)
    # An OSError raised by the task itself is the task's error, not a lost scheduler.
    with pytest.raises(OSError, match="disk full"):
        backend._result(_FailedFuture(OSError("disk full"), "error"))  # type: ignore[arg-type]


def test_batching_size_from_workers_and_replications() -> None:
    from sim.execution.batching import MAX_BATCH, batch_size, run_batch

    assert batch_size(10_000, 2) == MAX_BATCH == 50  # capped: fine progress and resume
    assert batch_size(10_000, 100) == 25  # 400 tasks: 4 per worker thread
    assert batch_size(800, 100) == 2
    assert batch_size(200, 100) == 1 and batch_size(5, 2) == 1 and batch_size(0, 2) == 1
    assert batch_size(3, 0) == 1
    for tasks in range(1, 400, 7):
        for slots in (1, 2, 7, 100):
            size = batch_size(tasks, slots)
            assert 1 <= size <= MAX_BATCH
            assert size == 1 or -(-tasks // size) >= 4 * slots  # ≥ 4 batches per thread
    assert run_batch(lambda x: x * x, [3, 1, 2]) == [9, 1, 4]
