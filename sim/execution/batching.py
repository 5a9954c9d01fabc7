"""Batches of replications for a cluster: how many replications one cluster task carries
(:func:`batch_size`), and what the task runs (:func:`run_batch`). Pure functions, importable
without the cluster extra."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

BATCHES_PER_SLOT = 4
"""Cluster tasks per worker thread a sweep aims for: enough that the last ones finish close
together (a slow machine holds back at most a quarter of its share), few enough that the
scheduler's cost per task (a few milliseconds: a round trip, bookkeeping, serialising the
result) is small beside the work in it."""

MAX_BATCH = 50
"""At most this many replications per cluster task, so that progress moves, a stopped sweep
loses at most one batch per worker thread, and a worker that dies costs little to redo."""


def batch_size(tasks: int, slots: int) -> int:
    """Replications per cluster task for ``tasks`` replications on ``slots`` worker threads:
    ``tasks // (slots * BATCHES_PER_SLOT)``, at least 1 and at most :data:`MAX_BATCH`.

    10,000 replications on 2 single-threaded workers: 50 per task (200 tasks); on 100
    workers: 25 per task (400 tasks, 4 per worker); 200 replications on 100 workers: 1. The
    batch size never changes a result: each replication's streams depend only on its own
    (seed, replication), whichever task it travels in."""
    if tasks <= 0 or slots <= 0:
        return 1
    return max(1, min(MAX_BATCH, tasks // (slots * BATCHES_PER_SLOT)))


def run_batch(fn: Callable[[T], R], tasks: Sequence[T]) -> list[R]:
    """``fn`` on each task of a batch, in order (what one cluster task runs)."""
    return [fn(task) for task in tasks]
