"""Progress of a long run: a bar with an ETA on a terminal, a periodic log line otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from tqdm import tqdm


def _clock(seconds: float) -> str:
    seconds = max(0, round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m{s:02d}s" if h else f"{m}m{s:02d}s"


class Progress:
    """Counts finished tasks out of ``total`` (``done`` of them already finished before)."""

    def __init__(self, total: int, done: int = 0, label: str = "replications",
                 stream: TextIO | None = None, every_s: float = 10.0) -> None:
        self.stream = stream or sys.stderr
        self.total, self.done, self.label = total, done, label
        self.every_s = every_s
        self._first = done  # finished before this process started: not used for the ETA
        self._started = time.monotonic()
        self._last_line = self._started
        self._bar: tqdm[None] | None = None
        if self.stream.isatty():
            self._bar = tqdm(total=total, initial=done, unit=" rep", desc=label,
                             file=self.stream, dynamic_ncols=True)

    def eta_s(self) -> float:
        """Seconds left at the rate of this process so far (inf before the first result)."""
        fresh = self.done - self._first
        if fresh <= 0:
            return float("inf")
        return (time.monotonic() - self._started) / fresh * (self.total - self.done)

    def line(self) -> str:
        """``done/total label, elapsed, ETA``."""
        eta = self.eta_s()
        return (f"{self.done}/{self.total} {self.label}, "
                f"{_clock(time.monotonic() - self._started)} elapsed, "
                f"ETA {_clock(eta) if eta != float('inf') else '?'}")

    def advance(self, n: int = 1) -> None:
        """``n`` more tasks finished."""
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
            return
        now = time.monotonic()
        if now - self._last_line >= self.every_s or self.done == self.total:
            self._last_line = now
            print(self.line(), file=self.stream, flush=True)

    def close(self) -> None:
        """End the bar (a terminal) or nothing (a log)."""
        if self._bar is not None:
            self._bar.close()
