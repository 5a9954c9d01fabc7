"""Named random streams: one independent generator per (root seed, replication, purpose).

Never a global seed. A purpose name (``"arrivals.walk_in"``, ``"patience.phone"``, ...)
always yields the same stream for the same seed and replication, whatever else the
scenario does, which is what makes common random numbers work.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import lru_cache

import numpy as np


@lru_cache(maxsize=256)  # the same few dozen names in every replication (day 0); bounded
def purpose_key(purpose: str) -> int:
    """A stable 64-bit integer for a purpose name (independent of Python's hash seed)."""
    return int.from_bytes(hashlib.sha256(purpose.encode("utf-8")).digest()[:8], "little")


def stream(seed: int, replication: int, purpose: str) -> np.random.Generator:
    """The generator for ``purpose`` in replication ``replication`` of root seed ``seed``."""
    sequence = np.random.SeedSequence(entropy=seed, spawn_key=(replication, purpose_key(purpose)))
    return np.random.Generator(np.random.PCG64(sequence))


StreamSource = Callable[[str], np.random.Generator]  # purpose -> its generator


class Streams:
    """All streams of one replication (or of one day of it), created on first use.

    ``suffix`` is appended to every purpose: day d > 0 of a multi-day run uses ``"@d"``,
    so day 0 is the single-day model exactly. Each day keeps its own cache, so memory does
    not grow with the number of days.
    """

    def __init__(self, seed: int, replication: int, suffix: str = "") -> None:
        self.seed = seed
        self.replication = replication
        self.suffix = suffix
        self._made: dict[str, np.random.Generator] = {}

    def __call__(self, purpose: str) -> np.random.Generator:
        """The generator for ``purpose``."""
        gen = self._made.get(purpose)
        if gen is None:
            gen = self._made[purpose] = stream(self.seed, self.replication,
                                               purpose + self.suffix)
        return gen

    def day(self, day: int) -> Streams:
        """The streams of day ``day`` of this replication (fresh cache)."""
        return Streams(self.seed, self.replication, f"@{day}" if day else "")
