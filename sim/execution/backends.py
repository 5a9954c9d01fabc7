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
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol, TypeVar

from sim.errors import UserInputError, one_line
from sim.execution import interrupts

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


WAIT_S = 0.25  # how often the parent looks up from waiting on workers (for a signal)


def _worker_setup() -> None:
    """In each worker: ignore Ctrl-C and SIGTERM (they reach the whole process group; the
    parent decides what to save, then stops the workers with SIGKILL) and, on Linux, die with
    the parent even if it is killed outright."""
    for sig in interrupts.SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, interrupts.SIGNALS)
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
        """Run the tasks on the worker processes, yielding each result as it finishes.

        A signal never breaks off the pool's own code (it could leave a lock held and the
        shutdown hanging): while starting workers and waiting, it is only recorded, and
        raised as :class:`KeyboardInterrupt` between waits.
        """
        pending: set[Future[R]] = set()
        try:
            with interrupts.deferred():  # workers are forked here: they start signal-proof
                if self._pool is None:
                    self._pool = ProcessPoolExecutor(max_workers=self.jobs,
                                                     initializer=_worker_setup)
                pending = {self._pool.submit(fn, task) for task in tasks}
            while pending:
                with interrupts.deferred():
                    done, pending = wait(pending, timeout=WAIT_S, return_when=FIRST_COMPLETED)
                for fut in done:
                    yield self._result(fut)
        finally:
            for fut in pending:
                fut.cancel()
            self._abandoned = bool(pending)

    def _result(self, fut: Future[R]) -> R:
        try:
            return fut.result()
        except BrokenProcessPool as exc:
            self._abandoned = True
            interrupts.check()  # the workers died of the same signal as this process
            raise UserInputError(f"a worker process died ({one_line(str(exc))}): out of "
                                 "memory, or killed; try fewer --jobs") from exc

    def close(self) -> None:
        """Shut the pool down; after an interruption, stop the workers at once (SIGKILL)
        instead of waiting for replications whose results nobody will read."""
        if self._pool is None:
            return
        pool, self._pool = self._pool, None
        if self._abandoned:
            workers = getattr(pool, "_processes", None) or {}
            for process in list(workers.values()):
                with contextlib.suppress(OSError, ValueError, AttributeError):
                    process.kill()
        with interrupts.deferred(raising=False):  # a signal now is for the caller to see
            pool.shutdown(wait=True, cancel_futures=True)


def make_backend(jobs: int, cluster: str | None = None) -> Backend:
    """The backend for ``--jobs`` / ``--cluster``: a Dask cluster if an address or scheduler
    file is given, else local processes (or this process when ``jobs`` is 1)."""
    if cluster is not None and not cluster.strip():
        raise UserInputError(f"--cluster {cluster!r}: empty; give a Dask scheduler address "
                             "(tcp://HOST:8786) or its scheduler file, or leave --cluster out "
                             "to run on local processes")
    if cluster is not None:
        from sim.execution.cluster import (
            DaskCluster,  # optional extra: imported only when asked for
        )

        return DaskCluster(cluster)
    return LocalProcesses(jobs) if jobs > 1 else InProcess()
