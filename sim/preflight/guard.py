"""The resource guard: estimate a command's work and memory before anything runs, and refuse
what would take hours, exhaust memory or fork more processes than there are cores, unless
``--force`` says the user means it.

Estimates (expected values from the configured rates; calibrated on the baseline weekday
on a 2-core machine, see ``README.md``, "Warnings, --strict and the resource guard"):

- contacts: Σ channels of rate × profile × opening hours, × days, × replications, ×
  scenarios (× schedules tried, for ``countersim staff``);
- distraction episodes during service (divided attention): per channel, contacts × the
  episodes per second of service × the plain service time of the mean requirement
  (:func:`sim.preflight.attention.plain_service_s`; every contact counted as served);
- CPU time: :data:`S_PER_CONTACT` per contact + :data:`S_PER_EPISODE` per episode during
  service + :data:`S_PER_REPLICATION` per replication + :data:`S_PER_PATRON` per patron
  drawn per replication (+ :data:`S_PER_SLOT` per time slot of each day); wall time divides
  it by the workers;
- memory: each worker process :data:`BYTES_PER_PROCESS` + :data:`BYTES_PER_DAY_CONTACT` per
  contact of its busiest day + :data:`BYTES_PER_PATRON` per patron; the main process keeps
  :data:`BYTES_PER_RESULT` + :data:`BYTES_PER_SLOT` per slot of each day per finished
  replication and, with ``--records`` (or in ``countersim staff``),
  :data:`BYTES_PER_RECORD` per contact.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass

from sim.config.schema import Scenario
from sim.errors import UserInputError
from sim.model.demand import expected_daily
from sim.model.distributions import mean_of
from sim.preflight.attention import SERVED, amount, attention, plain_service_s

# Measured (CPU time, one core of a 2-core AMD EPYC; see README.md): the baseline weekday
# 28 µs per contact beyond a replication's setup (30 µs at ten times its volume), validation
# mode 13 µs; a replication's setup 5.2 ms (0.5 ms of it the 5000 patrons); 0.11 µs per
# patron drawn; a run's process 107 MB; 375-490 B more per contact of a day (a day of
# 800 000 contacts: 497 MB); a finished replication 30 KB + 2.1 KB per time slot of each day
# (the baseline's 16 slots: 63 KB), 35 µs per slot; a --records row 1.2 KB; an episode of
# divided attention 4.8-5.1 µs (a one-hour day with 2 and 6 500 to 2.1 million of them).
S_PER_CONTACT = 40e-6          # rounded up from 28-30 µs: estimates err on the long side
S_PER_EPISODE = 6e-6           # a distraction during service, rounded up from 5 µs
S_PER_REPLICATION = 5e-3       # a replication's setup and metrics row, beyond its contacts
S_PER_PATRON = 0.2e-6          # drawing the patron pool, per patron and replication
BYTES_PER_PROCESS = 120e6      # a worker's interpreter, numpy, scipy, simpy
BYTES_PER_DAY_CONTACT = 600.0  # memory a replication holds per contact of its busiest day
BYTES_PER_PATRON = 100.0
BYTES_PER_RESULT = 32e3        # one finished replication's metrics ...
BYTES_PER_SLOT = 2.2e3         # ... and its sums per time slot of each day
S_PER_SLOT = 40e-6             # a replication's work per time slot of each day
BYTES_PER_RECORD = 1.3e3       # one contact row (--records, countersim staff)

MAX_CONTACTS = 2e8                  # in all, per command (about 1.1 h on 2 cores)
MAX_CONTACTS_PER_REPLICATION = 1e7  # one replication cannot be split between processes
# episodes during service: the same CPU time as the contacts' limits
MAX_EPISODES = MAX_CONTACTS * S_PER_CONTACT / S_PER_EPISODE
MAX_EPISODES_PER_REPLICATION = MAX_CONTACTS_PER_REPLICATION * S_PER_CONTACT / S_PER_EPISODE
MEMORY_SHARE = 0.5                  # of the machine's physical memory


def cpu_count() -> int:
    """CPU cores this process may use (its affinity mask where the system has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def memory_limit() -> float:
    """Bytes a command may plan to use: :data:`MEMORY_SHARE` of physical memory (8 GB
    where the system does not say)."""
    try:
        total = float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        total = 16e9
    return MEMORY_SHARE * total


def _returns(scenario: Scenario) -> float:
    """Contacts per first contact: the unresolved come back on top in a multi-day run."""
    if scenario.run.days > 1 and not scenario.demand.rates_include_repeats:
        return 2.0 - scenario.patrons.resolve_probability
    return 1.0


def contacts_per_replication(scenario: Scenario) -> tuple[float, float]:
    """Expected contacts of one replication, and of its busiest day."""
    day = math.fsum(expected_daily(scenario, ch) for ch in ("walk_in", "phone", "email"))
    returns = _returns(scenario)
    return day * returns * scenario.run.days, day * returns


def episodes_per_replication(scenario: Scenario) -> tuple[float, str]:
    """Expected distraction episodes during service in one replication, and the service
    key (with its mean) of the channel with the most."""
    att = attention(scenario)
    if att is None:
        return 0.0, ""
    per = {ch: expected_daily(scenario, ch) * _returns(scenario) * scenario.run.days
           * att.rate_s * plain_service_s(scenario, att, ch)
           for ch in SERVED if getattr(scenario.demand, ch).is_open}
    if not per:
        return 0.0, ""
    most = max(per, key=lambda ch: per[ch])
    mean = mean_of(getattr(scenario.demand, most).service)
    return math.fsum(per.values()), f"demand.{most}.service: mean {amount(mean)} s"


@dataclass(frozen=True)
class Workload:
    """What a command would simulate, and what it would cost."""

    contacts: float       # expected contacts in all
    replications: int     # replications in all
    largest: float        # expected contacts of the largest replication
    cpu_s: float          # CPU seconds on one core like the calibration machine's
    memory_bytes: float   # peak, main process plus local workers
    workers: int          # local worker processes (0 on a cluster)
    episodes: float = 0.0       # expected distraction episodes during service, in all
    most_episodes: float = 0.0  # ... in the replication with the most
    episodes_from: str = ""     # the service key behind them (and its mean)

    @property
    def wall_s(self) -> float:
        """Wall-clock seconds with the local workers (CPU time on a cluster)."""
        return self.cpu_s / max(1, min(self.workers, cpu_count()))


def estimate(scenarios: Sequence[Scenario], reps: int, workers: int, records: bool = False,
             rounds: int = 1) -> Workload:
    """The workload of ``reps`` replications of each scenario, ``rounds`` times (schedules
    tried), on ``workers`` local processes (0: a cluster); ``records`` keeps every contact."""
    per = [contacts_per_replication(s) for s in scenarios]
    episodes = [episodes_per_replication(s) for s in scenarios]
    pool = max((s.patrons.pool_size for s in scenarios), default=0)
    slots = math.fsum(s.hours.n_slots * s.run.days for s in scenarios)  # per replication
    contacts = math.fsum(c for c, _ in per) * reps * rounds
    n = len(scenarios) * reps * rounds
    largest = max((c for c, _ in per), default=0.0)
    busiest = max((d for _, d in per), default=0.0)
    all_episodes = math.fsum(e for e, _ in episodes) * reps * rounds
    most_episodes, episodes_from = max(episodes, default=(0.0, ""))
    cpu = (contacts * S_PER_CONTACT + n * (S_PER_REPLICATION + pool * S_PER_PATRON)
           + slots * reps * rounds * S_PER_SLOT + all_episodes * S_PER_EPISODE)
    most_slots = max((s.hours.n_slots * s.run.days for s in scenarios), default=0)
    worker = (BYTES_PER_PROCESS + busiest * BYTES_PER_DAY_CONTACT + pool * BYTES_PER_PATRON
              + most_slots * BYTES_PER_SLOT)
    main = BYTES_PER_PROCESS + reps * (len(scenarios) * BYTES_PER_RESULT + slots * BYTES_PER_SLOT)
    if records:
        main += largest * reps * (len(scenarios) if rounds == 1 else 1) * BYTES_PER_RECORD
    if workers == 1:  # in this process: the main process is the worker
        worker -= BYTES_PER_PROCESS
    return Workload(contacts, n, largest, cpu, main + workers * worker, workers,
                    all_episodes, most_episodes, episodes_from)


def _amount(x: float) -> str:
    """``3.2e9`` for large numbers, ``12,345`` or ``2.5`` for smaller ones."""
    if x >= 1e6:
        mantissa, exponent = f"{x:.1e}".split("e")
        return f"{mantissa.removesuffix('.0')}e{int(exponent)}"
    return f"{x:,.0f}" if x >= 10 else f"{x:.2g}"


def duration(seconds: float) -> str:
    """A rough duration: ``40 s``, ``12 min``, ``3.5 h``, ``9 days``, ``2e3 years``."""
    for unit, length in (("years", 365 * 86400.0), ("days", 86400.0), ("h", 3600.0),
                         ("min", 60.0)):
        if seconds >= 2 * length or (unit == "h" and seconds >= length):
            return f"{_amount(seconds / length)} {unit}"
    return f"{seconds:.0f} s"


def size(n_bytes: float) -> str:
    """``512 MB``, ``3.1 GB``, ``6.3e4 GB``."""
    gb = n_bytes / 1e9
    return f"{n_bytes / 1e6:.0f} MB" if gb < 1 else f"{_amount(gb)} GB"


def _where(w: Workload) -> str:
    if w.workers == 0:
        return "of CPU time on the cluster"
    return f"on {min(w.workers, cpu_count())} core{'s' if min(w.workers, cpu_count()) > 1 else ''}"


def _episodes_over(w: Workload) -> list[str]:
    """The episode limits the workload passes."""
    over = []
    if w.episodes > MAX_EPISODES:
        over.append(f"{_amount(MAX_EPISODES)} distractions during service per command")
    if w.most_episodes > MAX_EPISODES_PER_REPLICATION:
        over.append(f"{_amount(MAX_EPISODES_PER_REPLICATION)} distractions during service "
                    "per replication")
    return over


def check_workload(w: Workload, force: bool) -> None:
    """Refuse a workload beyond :data:`MAX_CONTACTS`, :data:`MAX_CONTACTS_PER_REPLICATION`,
    the memory limit, :data:`MAX_EPISODES` or :data:`MAX_EPISODES_PER_REPLICATION`, unless
    ``force``; the message carries the estimate (for the episodes alone, it names the
    service and the keys of their rate)."""
    over = []
    if w.contacts > MAX_CONTACTS:
        over.append(f"{_amount(MAX_CONTACTS)} contacts per command")
    if w.largest > MAX_CONTACTS_PER_REPLICATION:
        over.append(f"{_amount(MAX_CONTACTS_PER_REPLICATION)} contacts per replication")
    if w.memory_bytes > memory_limit():
        over.append(f"{size(memory_limit())} of memory (half of this machine's)")
    episodes = _episodes_over(w)
    if force or not (over or episodes):
        return
    if not over:
        raise UserInputError(
            f"too large: about {_amount(w.episodes)} distractions during service in "
            f"{_amount(w.replications)} replications (the largest "
            f"{_amount(w.most_episodes)}), ~{duration(w.wall_s)} {_where(w)}: long services "
            f"({w.episodes_from}) with frequent distractions during them "
            "(distractions.kinds.*.serving_rate_per_hour × distractions.rate_multiplier); "
            f"limits: {', '.join(episodes)}; use a shorter service, fewer distractions during "
            "service or fewer --reps, or add --force to run anyway")
    raise UserInputError(
        f"too large: about {_amount(w.contacts)} contacts in {_amount(w.replications)} "
        f"replications (the largest {_amount(w.largest)}), ~{duration(w.wall_s)} {_where(w)}, "
        f"~{size(w.memory_bytes)} of memory; limits: {', '.join(over + episodes)}; use fewer "
        "--reps, scenarios, days or a lower rate, or add --force to run anyway")


def worker_count(jobs: int, tasks: int, cluster: bool, force: bool) -> int:
    """Local worker processes to start: ``--jobs`` (refused above the CPU count unless
    ``force``), never more than there are tasks; 0 on a cluster."""
    if cluster:
        return 0
    cores = cpu_count()
    if jobs > cores and not force:
        raise UserInputError(
            f"--jobs {jobs}: more worker processes than the {cores} CPU core"
            f"{'s' if cores > 1 else ''} this process may use (each would only wait for a "
            f"core and cost memory); use --jobs {cores} or fewer, or add --force")
    return max(1, min(jobs, tasks))
