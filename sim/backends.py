"""Where replications run: in this process, in local worker processes, or on a Dask cluster
(:mod:`sim.cluster`). One submit-and-collect loop for all of them; each task's random streams
depend only on its own (seed, replication), so results never depend on the backend."""

from __future__ import annotations

import signal
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
        for task in tasks:
            yield fn(task)

    def close(self) -> None:
        pass


def _ignore_sigint() -> None:
    # Ctrl-C goes to the whole process group; the parent decides what to save.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class LocalProcesses:
    """A pool of ``jobs`` local worker processes (nothing to start beforehand)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None

    def run_unordered(self, fn: Callable[[T], R], tasks: Sequence[T]) -> Iterator[R]:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, initializer=_ignore_sigint)
        pending: set[Future[R]] = {self._pool.submit(fn, task) for task in tasks}
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    yield fut.result()
        finally:
            for fut in pending:
                fut.cancel()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def make_backend(jobs: int, cluster: str | None = None) -> Backend:
    """The backend for ``--jobs`` / ``--cluster``: a Dask cluster if an address or scheduler
    file is given, else local processes (or this process when ``jobs`` is 1)."""
    if cluster:
        from sim.cluster import DaskCluster  # optional extra: imported only when asked for

        return DaskCluster(cluster)
    return LocalProcesses(jobs) if jobs > 1 else InProcess()
