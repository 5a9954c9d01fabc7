"""Run replications on a Dask distributed cluster (``--cluster ADDRESS``).

Start a scheduler and workers on any machines that can reach each other (every worker needs
the same countersim version installed), then pass the scheduler's address or its scheduler
file::

    dask scheduler --scheduler-file scheduler.json
    dask worker --scheduler-file scheduler.json --nthreads 1     # on every worker machine
    countersim run baseline.toml --reps 200 --cluster scheduler.json

Replications travel in batches (:func:`sim.execution.batching.batch_size`: about four
cluster tasks per worker thread, at most 50 replications each), so the scheduler's cost per
task stays small beside the work. A worker that dies mid-run costs nothing: the scheduler
hands its unfinished batches to the others, and every batch has its own key, so no result
is lost or returned twice.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import pickle
import re
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import CancelledError
from pathlib import Path
from typing import Any, TypeVar

from sim import __version__
from sim.errors import UserInputError, one_line
from sim.execution.batching import batch_size, run_batch

try:
    import distributed
    from distributed.comm.core import connect
    from distributed.security import Security
except ImportError as exc:  # the optional extra is not installed
    raise UserInputError(
        "--cluster needs the cluster extra: pip install 'countersim[cluster]'") from exc

T = TypeVar("T")
R = TypeVar("R")

TIMEOUT_ENV = "COUNTERSIM_CLUSTER_TIMEOUT"
DEFAULT_TIMEOUT_S = 10.0
RETRIES = 1
"""Extra attempts for a task that raised (a transient failure on one machine). A task whose
worker died is not retried by this: the scheduler reassigns it (up to
``distributed.scheduler.allowed-failures`` deaths) without counting it as an error."""

_ADDRESS = re.compile(r"^[a-z][a-z0-9+.-]*://|^[^/\\\s]+:\d+$")


class ClusterError(UserInputError):
    """The cluster cannot be used (unreachable, no workers, package missing on a worker).

    A :class:`UserInputError`, so the CLI prints one line and exits with code 2.
    """


def cluster_timeout() -> float:
    """Seconds to wait for the scheduler and for a first worker (env ``TIMEOUT_ENV``)."""
    text = os.environ.get(TIMEOUT_ENV, "").strip()
    if not text:
        return DEFAULT_TIMEOUT_S
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise UserInputError(f"{TIMEOUT_ENV} = {one_line(text)!r}: must be a number of seconds > 0")
    return value


def scheduler_address(cluster: str) -> str:
    """The scheduler address for ``--cluster``: the address itself (``tcp://host:port``,
    ``host:port``) or the ``address`` recorded in a scheduler file."""
    if _ADDRESS.search(cluster):
        return cluster
    path = Path(cluster)
    if not path.is_file():
        raise ClusterError(
            f"--cluster {one_line(cluster)}: neither an address (tcp://HOST:PORT) nor an existing "
            "scheduler file (written by: dask scheduler --scheduler-file FILE)")
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ClusterError(f"--cluster {one_line(cluster)}: cannot read it as a Dask scheduler "
                           f"file ({one_line(str(exc))})") from exc
    address = content.get("address") if isinstance(content, dict) else None
    if not isinstance(address, str) or not _ADDRESS.search(address):
        raise ClusterError(f"--cluster {one_line(cluster)}: not a Dask scheduler file (no "
                           "\"address\": \"tcp://HOST:PORT\")")
    return address


async def _probe_connection(address: str, timeout: float) -> None:
    args = Security().get_connection_args("client")  # type: ignore[no-untyped-call]
    comm = await connect(address, timeout=timeout, **args)  # type: ignore[no-untyped-call]
    await comm.close()


def _package_probe() -> Callable[[], tuple[str | None, str]]:
    """A function that reports the worker's countersim version, or why ``sim`` cannot be
    imported. Defined inside a function so it is pickled by value: a worker without the
    package can still run it."""

    def probe() -> tuple[str | None, str]:
        try:
            import sim
        except Exception as exc:
            return None, f"{type(exc).__name__}: {exc}"
        return str(getattr(sim, "__version__", "unknown")), ""

    return probe


def _quiet_distributed_logs() -> dict[logging.Logger, int]:
    """Raise distributed's client-side loggers to CRITICAL; returns their levels to restore.

    Failures reach the user as one :class:`ClusterError` line; distributed's own records (a
    reconnect traceback when the scheduler goes away) would bury it. Its config gives some
    loggers (``distributed.client``) their own level and handler, so each is set.
    """
    loggers = [logging.getLogger("distributed")] + [
        logger for name, logger in logging.root.manager.loggerDict.items()
        if name.startswith("distributed.") and isinstance(logger, logging.Logger)
        and logger.level != logging.NOTSET]
    levels = {logger: logger.level for logger in loggers}
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    return levels


def task_key(fn: Callable[..., object], index: int, task: object) -> str:
    """A key unique to this task: the function's name, the task's position and a digest of
    the function and the task. Deterministic, so the same task always has the same key."""
    digest = hashlib.sha256(f"{fn.__module__}.{fn.__qualname__}".encode())
    digest.update(pickle.dumps(task, protocol=pickle.HIGHEST_PROTOCOL))
    return f"{fn.__name__}-{index}-{digest.hexdigest()[:20]}"


class DaskCluster:
    """The :class:`sim.execution.backends.Backend` of a Dask distributed cluster.

    ``DaskCluster(address)`` connects (``address`` is ``tcp://host:port`` or a scheduler
    file), waits for at least one worker and checks that the workers have this version of
    countersim, each wait bounded by ``COUNTERSIM_CLUSTER_TIMEOUT`` seconds (default 10).
    """

    def __init__(self, address: str, timeout: float | None = None) -> None:
        self.timeout = cluster_timeout() if timeout is None else timeout
        self.batch: int | None = None  # replications per cluster task; None: batch_size()
        self.address = scheduler_address(address)
        shown = one_line(address if address == self.address else f"{address} ({self.address})")
        self._log_levels = _quiet_distributed_logs()
        self._client: distributed.Client | None = None
        try:
            self._client = self._connect(shown)
            self._wait_for_workers(shown)
            self._check_workers()
        except BaseException:
            self.close()
            raise

    @property
    def client(self) -> distributed.Client:
        """The connection to the scheduler."""
        if self._client is None:
            raise RuntimeError("DaskCluster is closed")
        return self._client

    def _connect(self, shown: str) -> distributed.Client:
        # A bare connection first: a Client that fails to connect lingers and stalls the
        # interpreter's exit for twice the timeout (Client.__del__ tries to close it).
        try:
            asyncio.run(_probe_connection(self.address, self.timeout))
        except ValueError as exc:  # unknown scheme, missing port
            raise ClusterError(f"--cluster {shown}: {one_line(str(exc))}") from exc
        except (OSError, TimeoutError) as exc:
            raise ClusterError(
                f"could not reach a Dask scheduler at {shown} within {self.timeout:g} s; start "
                "one with: dask scheduler --scheduler-file scheduler.json (then --cluster "
                "scheduler.json), or check the address") from exc
        try:
            return distributed.Client(  # type: ignore[no-untyped-call]
                self.address, timeout=self.timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"could not connect to the Dask scheduler at {shown} within "
                               f"{self.timeout:g} s ({one_line(str(exc))})") from exc

    def _wait_for_workers(self, shown: str) -> None:
        try:
            self.client.wait_for_workers(1, timeout=self.timeout)
        except (TimeoutError, OSError) as exc:
            raise ClusterError(f"no workers connected to {shown} after {self.timeout:g} s; "
                               f"start one with: dask worker {self.address}") from exc

    def _check_workers(self) -> None:
        """Every connected worker must import ``sim`` at this machine's version."""
        reports: dict[str, Any] = self.client.run(_package_probe(), on_error="return")
        for worker, report in sorted(reports.items()):
            if isinstance(report, BaseException):
                continue  # a worker leaving right now; the scheduler copes with it
            version, problem = report
            if version is None:
                raise ClusterError(
                    f"worker {worker} cannot import countersim ({one_line(problem)}); install "
                    f"countersim {__version__} on every worker machine: pip install "
                    f"'countersim[cluster]=={__version__}' (or pip install the project folder)")
            if version != __version__:
                raise ClusterError(
                    f"worker {worker} has countersim {one_line(version)}, this machine "
                    f"{__version__}; install the same version on every worker machine: pip "
                    f"install 'countersim[cluster]=={__version__}' (or the project folder)")

    def slots(self) -> int:
        """Worker threads connected now (each runs one task at a time)."""
        workers = self.client.scheduler_info(n_workers=-1)["workers"]
        return max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))

    def run_unordered(self, fn: Callable[[T], R], tasks: Sequence[T]) -> Iterator[R]:
        """Submit the tasks in batches (:func:`~sim.execution.batching.batch_size`, or
        ``self.batch`` if set), then yield each result as its batch finishes (any order).
        Closing the iterator early (or Ctrl-C while waiting) cancels the batches not yet
        returned."""
        size = self.batch or batch_size(len(tasks), self.slots())
        pending: dict[str, distributed.Future[list[R]]] = {}
        try:
            for index, start in enumerate(range(0, len(tasks), size)):
                batch = list(tasks[start:start + size])
                key = task_key(fn, index, batch)
                pending[key] = self.client.submit(run_batch, fn, batch, key=key, pure=False,
                                                  retries=RETRIES)
            finished = distributed.as_completed(  # type: ignore[no-untyped-call]
                list(pending.values()), loop=self.client.loop)
            for future in finished:
                results = self._result(future)
                del pending[future.key]
                future.release()
                yield from results
        finally:
            if pending:
                self.client.cancel(list(pending.values()))  # type: ignore[no-untyped-call]

    def _result(self, future: distributed.Future[R]) -> R:
        try:
            return future.result()
        except distributed.KilledWorker as exc:
            raise ClusterError(
                f"task {future.key}: every worker that ran it died (more than "
                "distributed.scheduler.allowed-failures); see the worker logs (out of memory?)"
            ) from exc
        except (CancelledError, OSError) as exc:
            if future.status == "error":  # the task itself raised it
                raise
            raise ClusterError(f"lost the connection to the Dask scheduler at {self.address} "
                               "during the run (scheduler stopped or network down)") from exc

    def close(self) -> None:
        """Close the connection to the scheduler (the cluster keeps running)."""
        if self._client is not None:
            self._client.close()  # type: ignore[no-untyped-call]
            self._client = None
        for logger, level in self._log_levels.items():
            logger.setLevel(level)
        self._log_levels = {}
