"""Helpers shared by several test tiers: repository paths, running the real command line,
NaN-aware comparisons, scripted contacts and paired estimates.

Import as ``from tests.helpers import ...``: pytest puts the repository root on ``sys.path``
(``pythonpath = ["."]`` in pyproject.toml), and mypy resolves ``tests`` from the repository
root (``explicit_package_bases``). Fixtures that hold state (a working folder, a process)
live in ``tests/conftest.py``; everything here is a plain function or constant.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from sim.config.schema import Scenario
from sim.model.contact import EMAIL, PHONE, WALK_IN, Contact, Outcome
from sim.model.demand import ScheduledContact, ScheduledDistraction
from sim.model.records import ContactLog, Recorder, Tee
from sim.model.simulation import simulate
from sim.model.waiting_line import WaitingLine
from sim.results.statistics import Estimate, estimate

# ---------------------------------------------------------------------------- paths

REPO = Path(__file__).resolve().parents[1]
CONFIGS = REPO / "experiments" / "configs"
BASELINE = CONFIGS / "baseline.toml"
ERLANG_A = CONFIGS / "erlang_a.toml"

# ---------------------------------------------------------------------------- command line

CLI_TIMEOUT_S = 120.0  # a hang guard for one command, not a speed requirement


def cli_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for ``python -m sim`` (or an experiment script) run outside the
    repository: this process's environment with the repository first on ``PYTHONPATH``,
    plus ``extra``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env.update(extra or {})
    return env


def sim_command(*args: str) -> list[str]:
    """``python -m sim ARGS`` with this interpreter."""
    return [sys.executable, "-m", "sim", *args]


def run_cli(cwd: Path, *args: str, timeout: float = CLI_TIMEOUT_S,
            env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m sim ARGS`` in ``cwd`` (``env``: extra variables); never raises on a
    non-zero exit code, only on a hang (``timeout``)."""
    return subprocess.run(sim_command(*args), cwd=cwd, env=cli_env(env), capture_output=True,
                          text=True, timeout=timeout, check=False)


class CliRunner(Protocol):
    """``python -m sim ARGS`` in a fixed working folder (the ``cli`` fixture)."""

    def __call__(self, *args: str, timeout: float = CLI_TIMEOUT_S,
                 env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]: ...


def files_under(root: Path) -> set[str]:
    """Every file and folder under ``root`` (hidden ones too), relative to it."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


# ---------------------------------------------------------------------------- comparisons


def same(a: float, b: float, tol: float = 0.0) -> bool:
    """``a == b`` within ``tol`` (default: exactly), where NaN (an unset time) equals only
    NaN."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or abs(a - b) <= tol


def same_times(got: Sequence[float], want: Sequence[float], tol: float = 0.0) -> bool:
    """Element-wise :func:`same` of two equally long sequences."""
    return len(got) == len(want) and all(
        same(g, w, tol) for g, w in zip(got, want, strict=True))


# ---------------------------------------------------------------------------- scripted runs


def walk_in(arrival_s: float, **kw: Any) -> ScheduledContact:
    """A scheduled walk-in (``kw``: patience_s, service_s, ... of ``ScheduledContact``)."""
    return ScheduledContact(WALK_IN, float(arrival_s), **kw)


def call(arrival_s: float, **kw: Any) -> ScheduledContact:
    """A scheduled phone call."""
    return ScheduledContact(PHONE, float(arrival_s), **kw)


def email(arrival_s: float, work_s: float) -> ScheduledContact:
    """A scheduled email taking ``work_s`` of back-office work."""
    return ScheduledContact(EMAIL, float(arrival_s), service_s=float(work_s))


def episode(staff_id: int, start_s: float, kind: str, duration_s: float) -> ScheduledDistraction:
    """A scripted distraction episode of one staff member."""
    return ScheduledDistraction(staff_id, float(start_s), kind, float(duration_s))


def run_schedule(scenario: Scenario, schedule: list[ScheduledContact], *recorders: Recorder,
                 episodes: list[ScheduledDistraction] | None = None,
                 seed: int = 1) -> list[Contact]:
    """Simulate replication 0 of ``scenario`` on a hand-made ``schedule`` (and scripted
    ``episodes``), also feeding ``recorders``; the contacts in the order they were
    reported, each reported exactly once."""
    log = ContactLog()
    simulate(scenario, seed, 0, Tee(log, *recorders), schedule=schedule, distractions=episodes)
    assert len(log.contacts) == len(schedule), "every contact must be reported exactly once"
    return list(log.contacts)


def check_contact(c: Contact, arrival: float, ack: float, start: float, end: float,
                  outcome: Outcome, staff_id: int, tol: float = 0.0) -> None:
    """Exact (to ``tol``) arrival, acknowledgment, service start and end times, outcome and
    staff member of one contact."""
    got = (c.arrival_s, c.ack_s, c.start_s, c.end_s)
    want = (arrival, ack, start, end)
    assert same_times(got, want, tol), (
        f"contact {c.id}: times {got}, expected {want}; {c.as_record()}")
    assert c.outcome is outcome, f"contact {c.id}: {c.as_record()}"
    assert c.staff_id == staff_id, f"contact {c.id}: {c.as_record()}"


def contact(cid: int, channel: str = WALK_IN, arrival_s: float = 0.0,
            patience_s: float = math.inf, service_s: float = 60.0) -> Contact:
    """A hand-made contact ``cid`` of patron ``cid`` with the given times (seconds) and
    balking draw 1 (never balks), for parts tested without a simulation."""
    return Contact(cid, channel, cid, arrival_s, patience_s, service_s, 1.0)


def line_of(*contacts: Contact) -> WaitingLine:
    """A waiting line (tracking who has not been seen yet) holding ``contacts`` in order."""
    line = WaitingLine(track_unseen=True)
    for c in contacts:
        line.add(c)
    return line


# ---------------------------------------------------------------------------- statistics

Rows = Sequence[Mapping[str, float]]


def paired(a: Rows, b: Rows, metric: str) -> Estimate:
    """95 % interval of the per-replication difference ``b − a`` of ``metric`` (the rows
    of both runs in the same replication order: common random numbers)."""
    assert len(a) == len(b), f"{metric}: {len(a)} replications against {len(b)}"
    return estimate([float(y[metric]) - float(x[metric]) for x, y in zip(a, b, strict=True)])
