"""The virtual queue's metrics: callbacks offered, accepted and how they ended, customers told
their expected wait, and the mean satisfaction of the contacts judged.

:class:`VirtualQueueTally` counts the columns declared in
:mod:`sim.metrics.catalogue_virtual` from finished contacts (the :mod:`sim.model.contact`
fields ``callback`` and ``announced``, set by :mod:`sim.model.counter.callbacks`).
"""

from __future__ import annotations

import math

from sim.model.contact import DECLINED, LATE, LEFT, NOT_MADE, ON_TIME, Contact


class VirtualQueueTally:
    """Counts of callbacks and announcements, and the satisfaction sum."""

    __slots__ = ("announced", "counts", "left", "sat_n", "sat_sum")

    def __init__(self) -> None:
        """Empty tallies."""
        self.counts = {DECLINED: 0, ON_TIME: 0, LATE: 0, NOT_MADE: 0}
        self.announced = 0
        self.left = 0
        self.sat_n = 0
        self.sat_sum = 0.0

    def add(self, c: Contact) -> None:
        """Count one finished walk-in or call (or one still in the system at the end)."""
        s = c.satisfaction
        if s == s:  # judged (not NaN)
            self.sat_n += 1
            self.sat_sum += s
        if c.callback in self.counts:
            self.counts[c.callback] += 1
        if c.announced:
            self.announced += 1
            self.left += c.announced == LEFT

    def metrics(self) -> dict[str, float]:
        """The family's columns."""
        n = self.counts
        accepted = n[ON_TIME] + n[LATE] + n[NOT_MADE]
        return {
            "callbacks_offered": float(accepted + n[DECLINED]),
            "callbacks_accepted": float(accepted),
            "callbacks_on_time": float(n[ON_TIME]),
            "callbacks_late": float(n[LATE]),
            "callbacks_abandoned": float(n[NOT_MADE]),
            "announced": float(self.announced),
            "left_on_announcement": float(self.left),
            "mean_satisfaction": self.sat_sum / self.sat_n if self.sat_n else math.nan,
        }
