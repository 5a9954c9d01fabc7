"""The retrial metrics (family ``retrials``, declared in :mod:`sim.metrics.retrial_specs`):
first attempts against retries, per channel, from the contacts as they end."""

from __future__ import annotations

from sim.metrics.catalogue import CHANNELS, RETRIALS, split_column
from sim.metrics.tallies import IN_SYSTEM, ratio
from sim.model.contact import WALKOUTS, Contact


class RetrialTally:
    """Counts of first attempts and retries of one channel (or of all)."""

    __slots__ = ("after_close", "final", "first", "first_left", "first_out", "retries",
                 "retry_left", "retry_out")

    def __init__(self) -> None:
        self.first = 0          # first attempts that arrived
        self.first_left = 0     # ... and left (any outcome but still in the system)
        self.first_out = 0      # ... and walked out
        self.retries = 0
        self.retry_left = 0
        self.retry_out = 0
        self.final = 0          # walkouts not followed by a retry
        self.after_close = 0    # walkouts whose retry would have come after closing

    def add(self, c: Contact) -> None:
        """Count one contact that ended (walk-in or call)."""
        left = c.outcome is not IN_SYSTEM
        out = c.outcome in WALKOUTS
        if c.attempt:
            self.retries += 1
            self.retry_left += left
            self.retry_out += out
        else:
            self.first += 1
            self.first_left += left
            self.first_out += out
        self.final += out and not c.retried
        self.after_close += c.retry_after_close

    def metrics(self) -> dict[str, float]:
        """The family's columns, unsplit."""
        values = (float(self.retries), ratio(self.retries, self.first + self.retries),
                  ratio(self.first_out, self.first_left), ratio(self.retry_out, self.retry_left),
                  float(self.final), ratio(self.final, self.first), float(self.after_close))
        return dict(zip(RETRIALS, values, strict=True))


class RetrialTallies:
    """The retrial columns: totals and per channel."""

    def __init__(self) -> None:
        """Empty tallies."""
        self.total = RetrialTally()
        self.by_channel = {ch: RetrialTally() for ch in CHANNELS}

    def add(self, c: Contact) -> None:
        """Count one contact that ended (walk-in or call)."""
        self.total.add(c)
        self.by_channel[c.channel].add(c)

    def metrics(self) -> dict[str, float]:
        """Totals, then ``walk_in_*`` and ``phone_*``."""
        row = self.total.metrics()
        for ch, tally in self.by_channel.items():
            row.update({split_column(k, "channel", ch): v for k, v in tally.metrics().items()})
        return row
