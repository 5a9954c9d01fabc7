"""Synthetic results folders: 2 policies × 3 staff levels × 3 replications, with every table."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, cast

import pytest

from sim.metrics.catalogue import GROUPS
from sim.results.statistics import summarize
from sim.results.store import write_csv

POLICIES = ("finish_first", "greet_first")
STAFF = ("2", "3", "4")
REPS = 3
ACTIVITIES = ("idle", "serving", "serving_distracted", "greeting", "email", "personal_call",
              "coworker_chat", "paperwork")
OPEN_S, CLOSE_S = 9 * 3600.0, 17 * 3600.0

Row = dict[str, object]


def manifest(**changes: Any) -> dict[str, Any]:
    """The manifest of the synthetic experiment, with ``changes`` applied."""
    fields: dict[str, Any] = {
        "experiment": "greeting_policy",
        "factors": [{"name": "policy", "levels": list(POLICIES)},
                    {"name": "staff", "levels": list(STAFF)}],
        "colour_factor": "policy", "x_factor": "staff",
        "baseline": {"policy": "finish_first", "staff": "3"},
        "ack_target_s": 30, "timeline": {"scenario": 3, "label": "greet_first, staff = 3"},
    }
    fields.update(changes)
    return fields


def scenarios() -> list[Row]:
    """One row per policy × staff level."""
    return [{"scenario": i, "policy": p, "staff": s, "overrides": "{}"}
            for i, (p, s) in enumerate((p, s) for p in POLICIES for s in STAFF)]


def metrics(rng: random.Random, greet: bool, staff: int) -> Row:
    """Plausible metric values of one replication."""
    load = 1.0 / staff * (0.6 if greet else 1.0)
    walkout = max(0.0, 0.25 * load + rng.gauss(0, 0.01))
    shares = [rng.uniform(0.05, 1.0) for _ in ACTIVITIES]
    row: Row = {"walkout_rate": walkout,
                "mean_time_to_ack_acknowledged_s": 120 * load + rng.random(),
                "p_ack_within_target": 1 - load, "churned_patrons": 40 * load + rng.random(),
                "lost_clv": 9000 * load + 100 * rng.random(), "revenue": 5000.0,
                "lost_revenue": 300 * load, "distracted_fraction": 0.1 + 0.01 * rng.random()}
    total = sum(shares)
    row.update({f"staff_time_{a}": s / total for a, s in zip(ACTIVITIES, shares, strict=True)})
    for i, g in enumerate(GROUPS):
        bias = 1.0 + 0.3 * ("plain" in g) + 0.05 * i
        row.update({f"walkout_rate_{g}": walkout * bias, f"mean_wait_s_{g}": 60 * bias,
                    f"mean_time_to_ack_acknowledged_s_{g}": 100 * load * bias,
                    f"churn_per_contact_{g}": 0.02 * bias * load + 0.001 * rng.random(),
                    f"churned_patrons_{g}": 5 * bias, f"lost_clv_{g}": 900 * bias,
                    f"revenue_{g}": 1000.0})
    row.update({"walkout_rate_gap_appearance": 0.01, "time_to_ack_gap_appearance": float("nan"),
                "wait_gap_appearance": 5.0, "churn_gap_appearance": 0.002})
    return row


def replications(rng: random.Random) -> list[Row]:
    """Three replications of every scenario."""
    return [{"scenario": s["scenario"], "policy": s["policy"], "staff": s["staff"],
             "replication": r, "seed": 1,
             **metrics(rng, s["policy"] == "greet_first", int(str(s["staff"])))}
            for s in scenarios() for r in range(REPS)]


def ack_times(rng: random.Random) -> list[Row]:
    """Binned time to acknowledgment per scenario and channel (1 s bins)."""
    rows: list[Row] = []
    for s in scenarios():
        mean = 80.0 / int(str(s["staff"])) * (0.5 if s["policy"] == "greet_first" else 1.0)
        for channel in ("walk_in", "phone"):
            counts: dict[int, int] = {}
            for _ in range(400):
                b = int(rng.expovariate(1.0 / mean))
                counts[b] = counts.get(b, 0) + 1
            rows += [{"scenario": s["scenario"], "policy": s["policy"], "staff": s["staff"],
                      "channel": channel, "bin_s": b, "count": c}
                     for b, c in sorted(counts.items())]
    return rows


def days(rng: random.Random) -> list[Row]:
    """Ten days per replication with a slowly shrinking pool."""
    rows: list[Row] = []
    for s in scenarios():
        for rep in range(REPS):
            active = 5000.0
            for day in range(10):
                churned = float(rng.randint(5, 40))
                rows.append({"scenario": s["scenario"], "policy": s["policy"],
                             "staff": s["staff"], "replication": rep, "day": float(day),
                             "active_start": active, "active_end": active - churned + 10,
                             "new_patrons": 10.0, "churned": churned, "churned_after_bad": 3.0,
                             "contacts": 300.0, "walkouts": 20.0, "revenue": 5000.0,
                             "delighted": 40.0, "expected_churn_today": churned})
                active = active - churned + 10
    return rows


def timeline_staff(rng: random.Random) -> list[Row]:
    """Three clerks switching activity every few minutes through the day."""
    rows: list[Row] = []
    for staff_id in range(3):
        t = OPEN_S
        while t < CLOSE_S:
            end = min(CLOSE_S, t + rng.uniform(60, 900))
            rows.append({"staff_id": staff_id, "start_s": t, "end_s": end,
                         "activity": rng.choice(ACTIVITIES)})
            t = end
        rows.append({"staff_id": staff_id, "start_s": CLOSE_S, "end_s": CLOSE_S + 600,
                     "activity": "off"})
    return rows


def timeline_contacts(rng: random.Random) -> list[Row]:
    """Eighty customers: most served, some walking out before or after acknowledgment."""
    rows: list[Row] = []
    nan = float("nan")
    for i in range(80):
        arrival = rng.uniform(OPEN_S, CLOSE_S - 600)
        ack = arrival + rng.expovariate(1 / 40)
        start = ack + rng.expovariate(1 / 60)
        end = start + rng.expovariate(1 / 240)
        outcome = rng.choice(("served",) * 6 + ("reneged_unacknowledged", "balked",
                                                "reneged_acknowledged", "in_system"))
        if outcome == "balked":
            ack, start, end = nan, nan, arrival
        elif outcome == "reneged_unacknowledged":
            ack, start, end = nan, nan, arrival + 200
        elif outcome == "reneged_acknowledged":
            start, end = nan, ack + 100
        elif outcome == "in_system":
            end = nan
        rows.append({"id": i, "channel": rng.choice(("walk_in", "phone")), "arrival_s": arrival,
                     "ack_s": ack, "start_s": start, "end_s": end, "outcome": outcome,
                     "staff_id": rng.randint(0, 2) if math.isfinite(start) else ""})
    return rows


def slots(rng: random.Random) -> list[Row]:
    """slots.csv rows: 16 half-hour slots (and one drain slot after closing, without
    arrivals) per scenario, walkout rate and service level, pooled day, both channels."""
    rows: list[Row] = []
    for s in scenarios():
        load = 1.0 / int(str(s["staff"])) * (0.6 if s["policy"] == "greet_first" else 1.0)
        for k in range(17):
            start = OPEN_S + k * 1800.0
            peak = 1.0 + math.sin(k / 16 * math.pi)
            for metric, mean in (("walkout_rate", 0.3 * load * peak),
                                 ("service_level", 1.0 - 0.5 * load * peak)):
                value = mean + rng.gauss(0, 0.005) if k < 16 else float("nan")
                rows.append({"scenario": s["scenario"], "policy": s["policy"],
                             "staff": s["staff"], "day": "all", "slot": k,
                             "start": f"{int(start // 3600):02d}:{int(start % 3600 // 60):02d}",
                             "end": f"{int((start + 1800) // 3600):02d}:"
                                    f"{int((start + 1800) % 3600 // 60):02d}",
                             "channel": "all", "metric": metric, "mean": value, "std": 0.01,
                             "ci_low": value - 0.02, "ci_high": value + 0.02, "n": REPS})
    return rows


def write_table(folder: Path, name: str, rows: list[Row]) -> None:
    """Write ``rows`` as ``folder/name.csv`` (columns in first-row order)."""
    write_csv(folder / f"{name}.csv", rows, list(rows[0]))


def build(folder: Path, optional: bool = True, **manifest_changes: Any) -> Path:
    """A complete synthetic results folder (``optional=False``: required tables only)."""
    rng = random.Random(7)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").write_text(json.dumps(manifest(**manifest_changes)))
    reps = replications(rng)
    write_table(folder, "replications", reps)
    write_table(folder, "scenarios", scenarios())
    names = [k for k in reps[0] if k not in {"scenario", "policy", "staff", "replication", "seed"}]
    numbers = cast("list[Mapping[str, float]]", reps)
    summary = [{"scenario": s["scenario"], "policy": s["policy"], "staff": s["staff"],
                "metric": m, **vars(e)} for s in scenarios()
               for m, e in summarize([r for r in numbers if r["scenario"] == s["scenario"]],
                                     names).items()]
    write_table(folder, "summary", summary)
    if optional:
        write_table(folder, "ack_times", ack_times(rng))
        write_table(folder, "days", days(rng))
        write_table(folder, "timeline_staff", timeline_staff(rng))
        write_table(folder, "timeline_contacts", timeline_contacts(rng))
        write_table(folder, "slots", slots(rng))
    return folder


@pytest.fixture
def make_results(tmp_path: Path) -> Callable[..., Path]:
    """Build a synthetic results folder under ``tmp_path``."""

    def make(name: str = "run", optional: bool = True, **changes: Any) -> Path:
        return build(tmp_path / name, optional, **changes)

    return make


@pytest.fixture(scope="module")
def full_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One complete folder shared by a module's tests (drawn once)."""
    return build(tmp_path_factory.mktemp("plots") / "run")
