"""Reproducibility: seeds, worker counts, common random numbers, interrupted runs.

(a) ``replications.csv`` is byte-identical for the same seed whatever ``--jobs`` is and
    however often the run is repeated; another seed gives other numbers.
(b) Common random numbers: scenarios that differ only in a policy see the same customers
    (arrival times, patience, service requirement, patron) contact for contact.
(c) Streams are independent: changing one channel's demand leaves the other's draws alone.
(d) An interrupted run exits 130 and leaves only complete, consistent files behind.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sim.config.loading import load_scenario
from sim.config.schema import Scenario
from sim.execution.runner import run_replication
from sim.results.store import format_value
from tests.helpers import BASELINE, CLI_TIMEOUT_S, ERLANG_A, cli_env, sim_command

Draw = tuple[object, ...]  # (channel, arrival_s, patience_s, service_s, patron_id)
DRAW_FIELDS = ("channel", "arrival_s", "patience_s", "service_s", "patron_id")


# ---------------------------------------------------------------------------- (a) seeds, jobs

RUNS = {
    "jobs1": ("--seed", "11", "--jobs", "1"),
    "jobs2": ("--seed", "11", "--jobs", "2"),
    "jobs1_again": ("--seed", "11", "--jobs", "1"),
    "other_seed": ("--seed", "12", "--jobs", "1"),
}


@pytest.fixture(scope="module")
def baseline_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The baseline with --reps 4 under each of RUNS (run side by side); name -> folder."""
    root = tmp_path_factory.mktemp("runs")
    procs: dict[str, subprocess.Popen[str]] = {}
    for name, options in RUNS.items():
        cmd = sim_command("run", str(BASELINE), "--reps", "4", "--out", str(root / name),
                          *options)
        procs[name] = subprocess.Popen(cmd, cwd=root, env=cli_env(), stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True)
    for name, proc in procs.items():
        _, err = proc.communicate(timeout=CLI_TIMEOUT_S)
        assert proc.returncode == 0, f"{name}: {err}"
    return {name: root / name for name in RUNS}


def test_jobs_do_not_change_replications(baseline_runs: dict[str, Path]) -> None:
    one = (baseline_runs["jobs1"] / "replications.csv").read_bytes()
    two = (baseline_runs["jobs2"] / "replications.csv").read_bytes()
    assert one == two
    assert one.count(b"\n") == 5  # header + 4 replications
    summary_one = (baseline_runs["jobs1"] / "summary.csv").read_bytes()
    assert summary_one == (baseline_runs["jobs2"] / "summary.csv").read_bytes()
    slots_one = (baseline_runs["jobs1"] / "slots.csv").read_bytes()
    assert slots_one == (baseline_runs["jobs2"] / "slots.csv").read_bytes()
    manifest = json.loads((baseline_runs["jobs2"] / "manifest.json").read_text())
    assert manifest["jobs"] == 2
    assert manifest["replications_done"] == [0, 1, 2, 3]


def test_same_seed_twice_is_byte_identical(baseline_runs: dict[str, Path]) -> None:
    for table in ("replications.csv", "summary.csv", "slots.csv"):
        first = (baseline_runs["jobs1"] / table).read_bytes()
        assert first == (baseline_runs["jobs1_again"] / table).read_bytes(), table


def test_other_seed_gives_other_numbers(baseline_runs: dict[str, Path]) -> None:
    def metric_rows(folder: Path) -> list[list[str]]:
        with (folder / "replications.csv").open(newline="") as fh:
            return [row[2:] for row in csv.reader(fh)][1:]  # without replication, seed

    same, other = metric_rows(baseline_runs["jobs1"]), metric_rows(baseline_runs["other_seed"])
    assert len(same) == len(other) == 4
    assert all(a != b for a, b in zip(same, other, strict=True))


def test_replications_do_not_depend_on_each_other() -> None:
    """Replication r of a seed is the same whether or not others ran before it."""
    scenario = load_scenario(BASELINE)
    alone = run_replication(scenario, 11, 3).metrics
    run_replication(scenario, 11, 0)
    run_replication(scenario, 11, 2)
    assert run_replication(scenario, 11, 3).metrics == alone
    assert run_replication(scenario, 11, 2).metrics != alone


# ---------------------------------------------------------------------------- (b), (c) CRN


def draws(scenario: Scenario, seed: int,
          replication: int) -> tuple[list[Draw], list[tuple[object, ...]]]:
    """Per-contact (channel, arrival_s, patience_s, service_s, patron_id), sorted by
    (channel, arrival_s), and the matching outcomes."""
    contacts = run_replication(scenario, seed, replication, keep_contacts=True).contacts
    contacts = sorted(contacts, key=lambda c: (c["channel"], c["arrival_s"]))
    keys = [tuple(c[f] for f in DRAW_FIELDS) for c in contacts]
    return keys, [(c["outcome"], c["start_s"], c["end_s"]) for c in contacts]


def by_channel(keys: list[Draw], channel: str) -> list[Draw]:
    return [k for k in keys if k[0] == channel]


# A busy walk-in counter, so that balking, patience and phone priority all matter.
BUSY = ["demand.walk_in.rate_per_hour=120"]
POLICY_VARIANTS = {
    "walk_in_first": ["phone_handling.policy=walk_in_first"],
    "no_ack_patience_boost": ["acknowledgment.patience_multiplier=1.0"],
    "no_balking": ["balking.policy=none"],
    "all_three": ["phone_handling.policy=walk_in_first", "acknowledgment.patience_multiplier=1.0",
                  "balking.policy=none"],
}


@pytest.fixture(scope="module")
def busy_baseline() -> Scenario:
    scenario = load_scenario(BASELINE, BUSY)
    assert scenario.phone_handling.policy == "phone_first"
    assert scenario.acknowledgment.patience_multiplier == 1.5
    assert scenario.balking.policy == "queue_length"
    return scenario


@pytest.mark.parametrize("variant", list(POLICY_VARIANTS))
@pytest.mark.parametrize(("seed", "replication"), [(1, 0), (7, 3)])
def test_policies_see_the_same_customers(busy_baseline: Scenario, variant: str, seed: int,
                                         replication: int) -> None:
    other = load_scenario(BASELINE, BUSY + POLICY_VARIANTS[variant])
    base_keys, base_outcomes = draws(busy_baseline, seed, replication)
    keys, outcomes = draws(other, seed, replication)

    assert by_channel(keys, "walk_in") and by_channel(keys, "phone")
    assert keys == base_keys  # same arrivals, patience, service and patrons, exactly
    # ... and the policy really changed what happened to them (the test is not vacuous)
    assert outcomes != base_outcomes


def test_phone_demand_leaves_walk_in_draws_alone() -> None:
    base = load_scenario(BASELINE)
    more_calls = load_scenario(BASELINE, ["demand.phone.rate_per_hour=30"])
    base_keys, _ = draws(base, 1, 0)
    keys, _ = draws(more_calls, 1, 0)
    assert by_channel(keys, "walk_in") == by_channel(base_keys, "walk_in")
    assert len(by_channel(keys, "phone")) > len(by_channel(base_keys, "phone"))


def test_walk_in_demand_and_service_leave_phone_draws_alone() -> None:
    base = load_scenario(BASELINE)
    changed = load_scenario(BASELINE, ["demand.walk_in.rate_per_hour=40",
                                       "demand.walk_in.service.mean_s=300"])
    base_keys, _ = draws(base, 1, 0)
    keys, _ = draws(changed, 1, 0)
    assert by_channel(keys, "phone") == by_channel(base_keys, "phone")
    assert by_channel(keys, "walk_in") != by_channel(base_keys, "walk_in")


def test_walk_in_service_mean_changes_only_service_draws() -> None:
    base = load_scenario(BASELINE)
    slower = load_scenario(BASELINE, ["demand.walk_in.service.mean_s=300"])
    base_walk_ins = by_channel(draws(base, 1, 0)[0], "walk_in")
    walk_ins = by_channel(draws(slower, 1, 0)[0], "walk_in")
    assert [(k[1], k[2], k[4]) for k in walk_ins] == [(k[1], k[2], k[4]) for k in base_walk_ins]
    assert all(k[3] != b[3] for k, b in zip(walk_ins, base_walk_ins, strict=True))


# ---------------------------------------------------------------------------- (d) interrupts


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of ``pid`` from /proc (None where there is no /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


WAIT_GUARD_S = 120.0  # only against a hang: the waits below end on events, not on time


def _wait_until_simulating(proc: subprocess.Popen[str], out: Path) -> None:
    """Until the run is in its replication loop, so the signal lands there and not in the
    imports: the output folder exists (the run makes it after its imports and the config,
    two statements before the loop), and the process has since spent 0.3 s of CPU (where
    /proc shows it; else 1 s passes). A loaded machine makes this slower, never wrong."""
    guard = time.monotonic() + WAIT_GUARD_S

    def still_running() -> None:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < guard, "the run never reached its replication loop"
        time.sleep(0.05)

    while not out.is_dir():
        still_running()
    start = _cpu_seconds(proc.pid)
    if start is None:
        time.sleep(1.0)
        return
    while (cpu := _cpu_seconds(proc.pid)) is not None and cpu - start < 0.3:
        still_running()


def _default_sigint() -> None:
    # A test runner started in the background may ignore SIGINT, and children inherit that.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def interrupted(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[int, str, Path]]:
    out = tmp_path / "out"
    cmd = sim_command("run", str(ERLANG_A), "--reps", "200", "--jobs", "1", "--out", str(out),
                      "--set", 'hours.close="48:00"')
    proc = subprocess.Popen(cmd, cwd=tmp_path, env=cli_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=_default_sigint)
    try:
        _wait_until_simulating(proc, out)
        proc.send_signal(request.param)
        _, err = proc.communicate(timeout=60)
        yield proc.returncode, err, out
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


@pytest.mark.parametrize("interrupted", [signal.SIGINT, signal.SIGTERM], indirect=True,
                         ids=["SIGINT", "SIGTERM"])
def test_interrupted_run_keeps_complete_results(interrupted: tuple[int, str, Path]) -> None:
    code, err, out = interrupted
    assert code == 130, err
    assert "Traceback" not in err
    # one clean line either way: some replications saved, or none finished yet
    assert "interrupted" in err or "stopped before any replication finished" in err, err
    assert len(err.strip().splitlines()) == 1, err
    if out.exists():
        assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")], list(out.iterdir())
    table = out / "replications.csv"
    if not table.exists():
        assert not (out / "manifest.json").exists()
        return

    with table.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, rows = rows[0], rows[1:]
    assert header[:3] == ["replication", "seed", "arrivals"]
    assert rows, "replications.csv without replications"
    for row in rows:
        assert len(row) == len(header), row
        assert all(cell != "" for cell in row), row
    done = [int(r[0]) for r in rows]
    assert done == list(range(len(rows)))  # one worker: replications finish in order
    assert len(done) < 200

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"] is False
    assert manifest["replications_requested"] == 200
    assert manifest["replications_done"] == done
    with (out / "summary.csv").open(newline="", encoding="utf-8") as fh:
        summary = list(csv.DictReader(fh))
    assert {s["metric"] for s in summary} == set(header[2:])
    assert all(s["n"] == str(len(done)) for s in summary if s["metric"] == "arrivals")

    # the saved rows are the real results: replication 0 recomputed in-process
    scenario = load_scenario(ERLANG_A, ['hours.close="48:00"'])
    expected = run_replication(scenario, 1, 0).metrics
    saved = dict(zip(header, rows[0], strict=True))
    assert {k: saved[k] for k in expected} == {k: format_value(v) for k, v in expected.items()}
