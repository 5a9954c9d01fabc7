"""``--cluster`` on a real Dask cluster: a scheduler and two single-threaded workers started
with the ``dask`` CLI on loopback, torn down afterwards (also on failure).

* a ``countersim sweep`` (two acknowledgment policies) and a ``countersim run`` on the
  cluster write byte-for-byte the tables of a local ``--jobs 1`` run;
* a worker SIGKILLed while it runs replications costs nothing: same rows, none lost or
  duplicated (this test kills worker ``w1``; it comes last, the others need one worker);
* an unreachable scheduler, a scheduler without workers and workers with another countersim
  version each stop with one ``error:`` line and exit code 2.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import types
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

distributed = pytest.importorskip("distributed")

import sim.execution.cluster  # noqa: E402  (after the importorskip above)
from sim.cli.main import main  # noqa: E402
from sim.config.loading import load_scenario  # noqa: E402
from sim.execution.cluster import ClusterError, DaskCluster  # noqa: E402
from sim.execution.runner import ReplicationResult, Task, run_task  # noqa: E402
from sim.study.parts import DB_FILE  # noqa: E402
from tests.helpers import BASELINE, CliRunner, cli_env  # noqa: E402

CONFIG = BASELINE
START_TIMEOUT_S = 30.0  # scheduler and workers up (generous: 2 shared cores)
STOP_TIMEOUT_S = 5.0
WORKERS = ("w0", "w1")
FACTOR = "acknowledgment.policy=finish_first,greet_first"
LOOPBACK_ANY_PORT = "127.0.0.1:0"  # the HTTP endpoints (health, metrics): loopback only


@dataclass
class Cluster:
    """The processes this module started and a client to watch them."""

    scheduler_file: Path
    address: str
    client: Any  # distributed.Client
    scheduler: subprocess.Popen[bytes]
    workers: dict[str, subprocess.Popen[bytes]]
    worker_addresses: dict[str, str]
    logs: Path

    def log_tail(self) -> str:
        """The end of every process log, for failure messages."""
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-2000:]}"
                         for p in sorted(self.logs.glob("*.log")))


def _dask(args: list[str], log: Path, cwd: Path) -> subprocess.Popen[bytes]:
    """``dask ARGS`` (with this interpreter), output to ``log``, in its own session so a
    Ctrl-C at the terminal reaches pytest only (teardown stops the process)."""
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "dask", *args], stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=cwd,
                                env=cli_env(), start_new_session=True)


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """Terminate, wait (bounded), kill: exactly the given processes."""
    for p in processes:
        if p.poll() is None:
            p.terminate()
    for p in processes:
        try:
            p.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            p.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):  # reported by the fixture
                p.wait(timeout=STOP_TIMEOUT_S)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """``dask scheduler`` on 127.0.0.1 (random port, scheduler file, no dashboard, HTTP
    endpoints on loopback) and two ``dask worker --nthreads 1 --no-nanny`` processes;
    stopped afterwards, even on failure."""
    root = tmp_path_factory.mktemp("dask")
    logs = root / "logs"
    logs.mkdir()
    scheduler_file = root / "scheduler.json"
    started: list[subprocess.Popen[bytes]] = []
    client = None
    try:
        scheduler = _dask(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                           "--dashboard-address", LOOPBACK_ANY_PORT, "--idle-timeout", "300s",
                           "--scheduler-file", str(scheduler_file)],
                          logs / "scheduler.log", root)
        started.append(scheduler)
        deadline = time.monotonic() + START_TIMEOUT_S
        while not scheduler_file.exists():
            assert scheduler.poll() is None, (logs / "scheduler.log").read_text()
            assert time.monotonic() < deadline, "scheduler did not write its file in time"
            time.sleep(0.05)
        workers = {}
        for name in WORKERS:
            workers[name] = _dask(
                ["worker", "--scheduler-file", str(scheduler_file), "--name", name,
                 "--nthreads", "1", "--no-nanny", "--host", "127.0.0.1", "--no-dashboard",
                 "--dashboard-address", LOOPBACK_ANY_PORT,
                 "--local-directory", str(root / name), "--death-timeout", "60s"],
                logs / f"{name}.log", root)
            started.append(workers[name])
        client = distributed.Client(scheduler_file=str(scheduler_file), timeout=START_TIMEOUT_S,
                                    set_as_default=False)
        while True:
            try:
                client.wait_for_workers(len(WORKERS), timeout=0.5)
                break
            except TimeoutError:
                dead = [p.args for p in started if p.poll() is not None]
                assert not dead, f"exited: {dead}"
                assert time.monotonic() < deadline, f"{len(WORKERS)} workers not up in time"
        info = client.scheduler_info(n_workers=-1)["workers"]
        addresses = {w["name"]: address for address, w in info.items()}
        yield Cluster(scheduler_file, client.scheduler.address, client, scheduler, workers,
                      addresses, logs)
    finally:
        if client is not None:
            client.close()
        _stop(started[1:])  # workers first, then the scheduler
        _stop(started[:1])
        alive = [p.args for p in started if p.poll() is None]
        assert not alive, f"still running after teardown: {alive}"


@pytest.fixture(autouse=True)
def _restore_sigterm() -> Iterator[None]:
    """``countersim run`` turns SIGTERM into KeyboardInterrupt; keep pytest's own handler."""
    handler = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, handler)


def sweep(out: Path, *args: str) -> int:
    """``countersim sweep CONFIG --factor POLICIES ARGS --out OUT``, in this process."""
    return main(["sweep", str(CONFIG), "--factor", FACTOR, "--no-figures", *args,
                 "--out", str(out)])


def saved(folder: Path) -> list[tuple[object, ...]]:
    """The saved replications of a folder's database, in key order (the file itself differs
    with the order results arrived in)."""
    with contextlib.closing(sqlite3.connect(folder / DB_FILE)) as db:
        return db.execute("SELECT scenario, replication, sweep, result, contacts FROM "
                          "replications ORDER BY scenario, replication").fetchall()


def assert_same_results(local: Path, remote: Path) -> None:
    """Every table identical, byte for byte, and every saved replication (only the manifest
    and the report, which record the command, folder and wall time, may differ)."""
    def files(root: Path) -> set[Path]:
        return {p.relative_to(root) for p in root.rglob("*")
                if p.is_file() and p.name not in {"manifest.json", "report.md", DB_FILE}}

    assert files(remote) == files(local)
    assert Path("replications.csv") in files(local)
    for name in sorted(files(local)):
        assert (remote / name).read_bytes() == (local / name).read_bytes(), name
    assert saved(remote) == saved(local) != []


def test_cluster_results_match_a_local_run(cluster: Cluster, tmp_path: Path) -> None:
    args = ("--reps", "6", "--seed", "3")
    assert sweep(tmp_path / "local", *args, "--jobs", "1") == 0
    assert sweep(tmp_path / "cluster", *args, "--cluster", str(cluster.scheduler_file)) == 0, \
        cluster.log_tail()
    assert_same_results(tmp_path / "local", tmp_path / "cluster")
    # ``run`` too, given the scheduler's address instead of its file.
    for out, where in [("run_local", ("--jobs", "1")),
                       ("run_cluster", ("--cluster", cluster.address))]:
        assert main(["run", str(CONFIG), *args, *where, "--out", str(tmp_path / out)]) == 0
    assert_same_results(tmp_path / "run_local", tmp_path / "run_cluster")


def test_early_stop_cancels_the_rest(cluster: Cluster) -> None:
    def slow_square(x: int) -> int:  # local, so pickled by value (workers cannot import tests)
        time.sleep(0.05)
        return x * x

    backend = DaskCluster(str(cluster.scheduler_file))
    try:
        results = backend.run_unordered(slow_square, list(range(20)))
        assert isinstance(results, types.GeneratorType)
        first = next(results)
        results.close()  # what a Ctrl-C in the consumer does
        assert first in {i * i for i in range(20)}
        deadline = time.monotonic() + 10
        while any("slow_square" in str(k) for k in _scheduler_keys(cluster)):
            assert time.monotonic() < deadline, "cancelled tasks still on the scheduler"
            time.sleep(0.05)
    finally:
        backend.close()


def test_batching_never_changes_a_result(cluster: Cluster) -> None:
    """The same 11 replications (two scenarios) one per task, 3 per task, all in one task
    and the automatic size: bit for bit the results of this process alone."""
    scenarios = [load_scenario(CONFIG, [f"staff={n}"]) for n in (3, 4)]
    tasks = [Task(scenarios[i % 2], 5, r, i % 2, keep_slots=True)
             for i, r in enumerate(range(11))]
    here = sorted(pickle.dumps(run_task(t)) for t in tasks)
    backend = DaskCluster(str(cluster.scheduler_file))
    try:
        for batch in (1, 3, 11, None):
            backend.batch = batch
            there = sorted(pickle.dumps(r) for r in backend.run_unordered(run_task, tasks))
            assert there == here, batch
    finally:
        backend.close()


def _scheduler_keys(cluster: Cluster) -> list[object]:
    def keys(dask_scheduler: Any) -> list[object]:
        return list(dask_scheduler.tasks)

    result: list[object] = cluster.client.run_on_scheduler(keys)
    return result


def test_workers_with_another_version_are_refused(
        cluster: Cluster, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    monkeypatch.setattr(sim.execution.cluster, "__version__", "9.9.9")
    code = main(["run", str(CONFIG), "--reps", "2", "--cluster", cluster.address,
                 "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: worker tcp://127.0.0.1:"), err
    assert f"has countersim {sim.__version__}, this machine 9.9.9" in err
    assert "pip install 'countersim[cluster]==9.9.9'" in err
    assert not (tmp_path / "out").exists()


def test_workers_without_the_package_are_refused(cluster: Cluster,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def probe() -> Callable[[], tuple[str | None, str]]:
        return lambda: (None, "ModuleNotFoundError: No module named 'sim'")

    monkeypatch.setattr(sim.execution.cluster, "_package_probe", probe)
    with pytest.raises(ClusterError, match=r"cannot import countersim \(ModuleNotFoundError.*"
                       r"on every worker machine: pip install 'countersim\[cluster\]"):
        DaskCluster(cluster.address)


def test_scheduler_without_workers(capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COUNTERSIM_CLUSTER_TIMEOUT", "1")
    waits: list[float | None] = []
    wait_for_workers = distributed.Client.wait_for_workers

    def recorded_wait(self: Any, n_workers: int, timeout: float | None = None) -> None:
        waits.append(timeout)
        wait_for_workers(self, n_workers, timeout=timeout)

    monkeypatch.setattr(distributed.Client, "wait_for_workers", recorded_wait)
    with distributed.LocalCluster(n_workers=0, processes=False, protocol="tcp://",
                                   host="127.0.0.1",
                                   dashboard_address=LOOPBACK_ANY_PORT) as empty:
        code = main(["run", str(CONFIG), "--cluster", empty.scheduler_address,
                     "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    # One wait for workers, bounded by the 1 s asked for (not the default 10 s).
    assert waits == [1.0]
    assert err == (f"error: no workers connected to {empty.scheduler_address} after 1 s; "
                   f"start one with: dask worker {empty.scheduler_address}\n")


def _unused_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_unreachable_scheduler_is_one_line(tmp_path: Path, cli: CliRunner) -> None:
    port = _unused_port()
    # timeout: only a guard against a hang; how the 2 s are kept is checked in-process below.
    done = cli("run", str(CONFIG), "--cluster", f"tcp://127.0.0.1:{port}",
               "--out", str(tmp_path / "out"), env={"COUNTERSIM_CLUSTER_TIMEOUT": "2"},
               timeout=60)
    assert done.returncode == 2, done.stderr
    assert done.stderr == (f"error: could not reach a Dask scheduler at tcp://127.0.0.1:{port} "
                           "within 2 s; start one with: dask scheduler --scheduler-file "
                           "scheduler.json (then --cluster scheduler.json), or check the "
                           "address\n")
    assert done.stdout == ""
    # A Client left half-connected would print "Exception ignored ..." at exit (stderr is
    # checked whole above) and stall the exit; see the next test for why none is left.
    assert list(tmp_path.iterdir()) == []


def test_unreachable_scheduler_is_probed_within_the_timeout_without_a_client(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The reachability probe is a bare connection bounded by COUNTERSIM_CLUSTER_TIMEOUT;
    no ``distributed.Client`` is made for an unreachable scheduler (one that fails to
    connect lingers and stalls the interpreter's exit for twice the timeout)."""
    monkeypatch.setenv("COUNTERSIM_CLUSTER_TIMEOUT", "2")
    probes: list[float] = []
    probe = sim.execution.cluster._probe_connection

    async def recorded_probe(address: str, timeout: float) -> None:
        probes.append(timeout)
        await probe(address, timeout)

    def no_client(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a Client was made for an unreachable scheduler: {args}")

    monkeypatch.setattr(sim.execution.cluster, "_probe_connection", recorded_probe)
    monkeypatch.setattr(distributed, "Client", no_client)
    port = _unused_port()
    with pytest.raises(ClusterError, match=r"could not reach a Dask scheduler at "
                       rf"tcp://127\.0\.0\.1:{port} within 2 s"):
        DaskCluster(f"tcp://127.0.0.1:{port}")
    assert probes == [2.0]


@pytest.mark.slow
def test_worker_killed_mid_run_loses_nothing(cluster: Cluster, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGKILL worker w1 while it runs replications, after the first result arrived."""
    args = ("--reps", "8", "--set", "run.days=5")
    assert sweep(tmp_path / "local", *args, "--jobs", "1") == 0
    victim = cluster.workers["w1"]
    victim_address = cluster.worker_addresses["w1"]
    killed: dict[str, object] = {}
    returned: list[tuple[int, int]] = []
    run_unordered = DaskCluster.run_unordered

    def kill_victim_when_busy() -> None:
        deadline = time.monotonic() + 20
        while True:
            busy = cluster.client.processing(workers=[victim_address]).get(victim_address)
            if busy:
                os.kill(victim.pid, signal.SIGKILL)
                victim.wait(timeout=STOP_TIMEOUT_S)
                killed["running"] = list(busy)
                return
            assert time.monotonic() < deadline, "w1 never got a task after the first result"
            time.sleep(0.005)

    def run_and_kill(self: DaskCluster, fn: Callable[[Task], ReplicationResult],
                     tasks: Sequence[Task]) -> Iterator[ReplicationResult]:
        killed["tasks"] = len(tasks)
        for result in run_unordered(self, fn, tasks):
            returned.append((result.scenario_index, result.replication))
            if len(returned) == 1:
                kill_victim_when_busy()
            yield result

    monkeypatch.setattr(DaskCluster, "run_unordered", run_and_kill)
    code = sweep(tmp_path / "cluster", *args, "--cluster", str(cluster.scheduler_file))
    assert code == 0, cluster.log_tail()
    assert killed["running"] and victim.returncode == -signal.SIGKILL, killed
    # Every task returned exactly once (the sweep keys results by task, so check here) ...
    assert sorted(returned) == [(s, r) for s in range(2) for r in range(8)], returned
    assert killed["tasks"] == len(returned)
    # ... with the same results as this machine alone.
    assert_same_results(tmp_path / "local", tmp_path / "cluster")
