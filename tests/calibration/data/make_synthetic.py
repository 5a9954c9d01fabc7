"""Make ``synthetic_contacts.csv``: a small, deterministic contact log in the documented
contacts format (three days, 09:00-13:00, walk-ins, calls and e-mails, three clerks) with
every outcome: served, abandoned (patience runs out), balked (a long line seen on
arrival), blocked (every phone line busy), and patrons who try again after abandoning.

One FIFO queue; each contact is served by the clerk free first, unless its patience runs
out before then (so the waits are exact). Times are whole seconds. Run from the
repository root to regenerate: ``python tests/calibration/data/make_synthetic.py``.
"""

from __future__ import annotations

import csv
import heapq
import io
import random
import sys
from dataclasses import dataclass
from pathlib import Path

SEED = 20240304
DAYS = ("2024-03-04", "2024-03-05", "2024-03-06")
OPEN_S, CLOSE_S = 9 * 3600, 13 * 3600
STAFF = ("ana", "ben", "chloe")
RATE_PER_HOUR = {"walk_in": 22.0, "phone": 14.0, "email": 3.0}
MEAN_SERVICE_S = {"walk_in": 240.0, "phone": 300.0, "email": 420.0}
MEAN_PATIENCE_S = {"walk_in": 420.0, "phone": 240.0, "email": float("inf")}
PHONE_LINES = 4
BALK_QUEUE = 4          # walk-ins seeing this many or more waiting may balk...
BALK_P = 0.5            # ...with this probability
RETRY_P = 0.7           # an abandoning patron tries again with this probability...
RETRY_S = (300, 1800)   # ...this many seconds later (uniform)
PATRONS = 120
COLUMNS = ("arrival", "channel", "outcome", "queue_entry", "queue_exit", "service_start",
           "service_end", "staff_id", "patron_id", "priority", "type")
OUT = Path(__file__).with_name("synthetic_contacts.csv")


@dataclass
class Contact:
    arrival: int
    channel: str
    patron: str
    ivr: int = 0                 # seconds in the phone menu before queueing
    outcome: str = ""
    queue_exit: int = 0
    start: int = 0
    end: int = 0
    staff: str = ""


def _arrivals(rng: random.Random) -> list[tuple[int, int, str, str]]:
    """(time s, order, channel, patron) of the first attempts, Poisson by channel."""
    out = []
    for channel, rate in RATE_PER_HOUR.items():
        t = float(OPEN_S)
        while True:
            t += rng.expovariate(rate / 3600.0)
            if t >= CLOSE_S:
                break
            patron = f"P{rng.randrange(PATRONS):03d}" if rng.random() < 0.85 else ""
            out.append((round(t), 0, channel, patron))
    return sorted(out)


def _in_line(done: list[Contact], t: int, channel: str | None) -> int:
    """How many contacts (of ``channel``, or any) wait at time ``t``; with a channel, those
    in service too (phone lines are held while served)."""
    if channel is None:
        return sum(c.arrival + c.ivr <= t < c.queue_exit for c in done if c.outcome in
                   ("served", "abandoned"))
    return sum(c.arrival <= t < max(c.queue_exit, c.end) for c in done
               if c.channel == channel and c.outcome in ("served", "abandoned"))


def _serve(c: Contact, free: dict[str, int], rng: random.Random) -> None:
    """Serve ``c`` by the clerk free first, or let it abandon if it cannot wait so long."""
    queued = c.arrival + c.ivr
    clerk = min(STAFF, key=lambda s: (free[s], s))
    wait = max(0, free[clerk] - queued)
    mean = MEAN_PATIENCE_S[c.channel]
    patience = rng.expovariate(1.0 / mean) if mean < float("inf") else mean
    if wait > patience:
        c.outcome, c.queue_exit = "abandoned", queued + max(1, round(patience))
        return
    c.outcome, c.queue_exit, c.start, c.staff = "served", queued + wait, queued + wait, clerk
    c.end = c.start + max(5, round(rng.expovariate(1.0 / MEAN_SERVICE_S[c.channel])))
    free[clerk] = c.end


def simulate_day(rng: random.Random) -> list[Contact]:
    """One day's contacts in arrival order."""
    pending = _arrivals(rng)
    heapq.heapify(pending)
    free = dict.fromkeys(STAFF, OPEN_S)
    done: list[Contact] = []
    while pending:
        t, retry, channel, patron = heapq.heappop(pending)
        c = Contact(t, channel, patron, ivr=rng.randint(8, 30) if channel == "phone" else 0)
        if channel == "phone" and _in_line(done, t, "phone") >= PHONE_LINES:
            c.outcome = "blocked"
        elif (channel == "walk_in" and _in_line(done, t, None) >= BALK_QUEUE
              and rng.random() < BALK_P):
            c.outcome = "balked"
        else:
            _serve(c, free, rng)
        done.append(c)
        if c.outcome == "abandoned" and patron and rng.random() < RETRY_P:
            again = c.queue_exit + rng.randint(*RETRY_S)
            if again < CLOSE_S:
                heapq.heappush(pending, (again, retry + 1, channel, patron))
    return done


def _row(day: str, c: Contact, rng: random.Random) -> list[str]:
    sep = "T" if c.channel == "email" else " "   # e-mails written with ISO timestamps

    def stamp(s: int) -> str:
        return f"{day}{sep}{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"

    served = c.outcome == "served"
    queued = c.outcome == "abandoned" or (served and (c.ivr > 0 or c.start > c.arrival))
    return [stamp(c.arrival), c.channel, c.outcome,
            stamp(c.arrival + c.ivr) if queued else "", stamp(c.queue_exit) if queued else "",
            stamp(c.start) if served else "", stamp(c.end) if served else "",
            c.staff, c.patron, "1" if rng.random() < 0.1 else "0",
            "loan" if rng.random() < 0.3 else "general"]


def make() -> str:
    """The CSV text of the synthetic log."""
    rng = random.Random(SEED)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for day in DAYS:
        for contact in simulate_day(rng):
            writer.writerow(_row(day, contact, rng))
    return buffer.getvalue()


if __name__ == "__main__":
    OUT.write_text(make(), encoding="utf-8")
    sys.stdout.write(f"wrote {OUT}\n")
