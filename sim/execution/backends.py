"""Where replications run: in this process, in local worker processes, or on a Dask cluster
(:mod:`sim.execution.cluster`). One submit-and-collect loop for all of them; each task's
random streams depend only on its own (seed, replication), so results never
depend on the backend."""

from __future__ import annotations

import contextlib
import ctypes
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Backend(Protocol):
    """Runs ``fn`` on every task and yields each result as it finishes (any order)."""

    def run_unordered(self, fn: Callable[[T], R], tasks: Sequence[T]) -> Iterator[R]:
        """Results of ``fn(task)``; closing the iterator early cancels unfinished tasks."""
        ...

    def close(self) -> None:
        """Release workers and connections."""
        ...


class InProcess:
    """Runs tasks one after another in this process (``--jobs 1``)."""

    def run_unordered(self, fn: Callable[[T], R], tasks: Sequence[T]) -> Iterator[R]:
        """Run each task here, in order, yielding each result."""
        for task in tasks:
            yield fn(task)

    def close(self) -> None:
        """Nothing to release."""
        pass


PR_SET_PDEATHSIG = 1  # Linux prctl option: a signal for this process when its parent dies


def _worker_setup() -> None:
    """In each worker: ignore Ctrl-C (it reaches the whole process group; the parent decides
    what to save) and, on Linux, die with the parent even if it is killed outright."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        # without libc by that name, workers exit when their work queue closes instead
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class LocalProcesses:
    """A pool of ``jobs`` local worker processes (nothing to start beforehand)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None
        self._abandoned = False  # stopped with tasks still running: do not wait for them

    def run_unordered(self, fn: Callable[[T], R], tasks: Sequence[T]) -> Iterator[R]:
        """Run the tasks on the worker processes, yielding each result as it finishes."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, initializer=_worker_setup)
        pending: set[Future[R]] = {self._pool.submit(fn, task) for task in tasks}
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    yield fut.result()
        finally:
            for fut in pending:
                fut.cancel()
            self._abandoned = bool(pending)

    def close(self) -> None:
        """Shut the pool down; after an interruption, stop the workers at once instead of
        waiting for replications whose results nobody will read."""
        if self._pool is None:
            return
        if self._abandoned:
            workers = getattr(self._pool, "_processes", None) or {}
            for process in list(workers.values()):
                process.terminate()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None


def make_backend(jobs: int, cluster: str | None = None) -> Backend:
    """The backend for ``--jobs`` / ``--cluster``: a Dask cluster if an address or scheduler
    file is given, else local processes (or this process when ``jobs`` is 1)."""
    if cluster:
        from sim.execution.cluster import (
            DaskCluster,  # optional extra: imported only when asked for
        )

        return DaskCluster(cluster)
    return LocalProcesses(jobs) if jobs > 1 else InProcess()
