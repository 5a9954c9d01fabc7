"""Time-of-day results: per-slot values aggregate exactly to the replication's metrics row
(count-weighted for per-contact metrics, time-weighted for utilisation and queue length),
time is split exactly at slot boundaries, nights never enter, and slots.csv is written."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

import pytest

from sim.cli.main import main
from sim.config.loading import load_scenario
from sim.execution.runner import ReplicationResult, run_replication
from sim.metrics.slots import (
    ALL,
    SlotGrid,
    SlotRecorder,
    SlotSeries,
    last_slot,
    slot_metrics,
)
from sim.results.store import read_csv
from sim.study.parts import PARTS, Part, load_parts, save_part
from sim.study.slot_tables import scenario_rows, slot_scenario
from tests.helpers import BASELINE

REL = 1e-9
PER_CONTACT = (("walkout_rate", "left"), ("p_ack_within_target", "joined_left"),
               ("service_level", "joined_left"), ("mean_wait_s", "joined_left"))
CHANNEL_PREFIX = ((ALL, ""), ("walk_in", "walk_in_"), ("phone", "phone_"))


def weighted(rows: Sequence[dict[str, object]], metric: str, weight: str) -> float:
    """Σ value × weight / Σ weight over the rows with a positive weight."""
    kept = [r for r in rows if float(str(r[weight])) > 0]
    total = math.fsum(float(str(r[weight])) for r in kept)
    return math.fsum(float(str(r[metric])) * float(str(r[weight])) for r in kept) / total


def close(a: float, b: float) -> bool:
    return abs(a - b) <= REL * max(abs(a), abs(b)) or (math.isnan(a) and math.isnan(b))


def assert_aggregates(result: ReplicationResult, day: str = ALL) -> None:
    """The pooled (or one day's, summed over days) slot values give the metrics row."""
    row, values = result.metrics, slot_metrics(result.slots)
    for channel, prefix in CHANNEL_PREFIX:
        rows = [r for r in values if r["channel"] == channel and r["day"] == day]
        for count in ("arrivals", "walkouts", "joined_left"):  # (left: arrivals - in_system_end)
            assert math.fsum(float(str(r[count])) for r in rows) == row[prefix + count]
        for metric, weight in PER_CONTACT:
            assert close(weighted(rows, metric, weight), row[prefix + metric]), (prefix, metric)
        # queue length: time-weighted over open hours, in the slots and in the row
        area = math.fsum(float(str(r["mean_queue_length"])) * float(str(r["observed_s"]))
                         for r in rows if float(str(r["observed_s"])) > 0)
        assert close(area, row[prefix + "mean_queue_length"] * row["observed_s"]), prefix
    everyone = [r for r in values if r["channel"] == ALL and r["day"] == day]
    assert close(weighted(everyone, "utilization", "present_s"), row["utilization"])


@pytest.mark.parametrize("overrides", [
    [], ["run.warmup_s=1800"], ["run.warmup_s=1000", "staff_rules.personal_phones=on_quiet"]])
def test_one_day_slots_aggregate_exactly(overrides: list[str]) -> None:
    scenario = load_scenario(BASELINE, overrides)
    for replication in (0, 1):
        result = run_replication(scenario, 42, replication, keep_slots=True)
        assert_aggregates(result)
        pooled = [r for r in slot_metrics(result.slots) if r["channel"] == ALL]
        observed = math.fsum(float(str(r["observed_s"])) for r in pooled)
        assert close(observed, result.metrics["observed_s"])  # one day: the same window
        assert close(weighted(pooled, "mean_queue_length", "observed_s"),
                     result.metrics["mean_queue_length"])


@pytest.mark.parametrize("drain", ["true", "false"])
def test_multi_day_slots_aggregate_exactly(drain: str) -> None:
    scenario = load_scenario(BASELINE, ["run.days=3", f"hours.serve_after_close={drain}"])
    result = run_replication(scenario, 7, 0, keep_slots=True)
    assert {int(r["day"]) for r in result.slots} == {0, 1, 2}
    assert_aggregates(result)
    values = slot_metrics(result.slots)
    assert {r["day"] for r in values} == {ALL, "0", "1", "2"}
    # each day's slots add up to the pooled slots
    for metric in ("arrivals", "walkouts", "observed_s", "present_s"):
        for k in {r["slot"] for r in values}:
            pooled = [r for r in values if r["day"] == ALL and r["slot"] == k
                      and r["channel"] == ALL]
            days = [r for r in values if r["day"] != ALL and r["slot"] == k
                    and r["channel"] == ALL]
            assert close(float(str(pooled[0][metric])),
                         math.fsum(float(str(r[metric])) for r in days))
    # nights never enter, in the slots or in the row: open hours only, the same window
    observed = math.fsum(float(str(r["observed_s"])) for r in values
                         if r["day"] == ALL and r["channel"] == ALL)
    assert observed < 3 * 12 * 3600
    assert close(observed, result.metrics["observed_s"])


def test_warm_up_is_left_out() -> None:
    scenario = load_scenario(BASELINE, ["run.warmup_s=3600"])
    result = run_replication(scenario, 1, 0, keep_slots=True)
    assert min(int(r["slot"]) for r in result.slots) == 2  # 09:00 and 09:30 are warm-up
    assert_aggregates(result)


def test_time_is_split_exactly_at_slot_boundaries() -> None:
    grid = SlotGrid(open_s=100.0, slot_s=10.0)
    series = SlotSeries(grid, start_s=105.0)  # warm-up ends mid-slot
    series.update(101.0, 9, 0)                # before warm-up: nothing counted
    series.update(107.0, 2, 0)                # 9 × 2 s in slot 0
    series.update(125.0, 1, 0)                # 2 × 3 s in slot 0, 2 × 10 in slot 1, 2 × 5 in 2
    series.close(130.0)                       # 1 × 5 in slot 2
    assert series.areas == {(0, 0): 18.0 + 6.0, (0, 1): 20.0, (0, 2): 15.0}
    series.update(86400.0 + 50.0, 4, 1)       # the night and the time before it are skipped
    series.update(86400.0 + 112.0, 0, 1)      # 4 × 10 s in day 1's slot 0, 4 × 2 in slot 1
    series.close(86400.0 + 200.0)
    assert series.areas[(1, 0)] == 40.0 and series.areas[(1, 1)] == 8.0
    assert grid.split(0, 105.0, 121.0) == {(0, 0): 5.0, (0, 1): 10.0, (0, 2): 1.0}
    assert grid.slot_of_arrival(110.0) == (0, 1)       # a boundary opens the next slot
    assert grid.slot_of_arrival(86400.0 + 99.0) == (0, 8639)  # before opening: day before


def test_the_grid_ends_24_hours_after_closing_in_one_last_slot() -> None:
    """A service that ends 10¹⁷ s after closing costs one slot past the 24 hours after
    closing, not 10¹³ (each step of the old grid was a loop turn and a row)."""
    assert last_slot(9 * 3600.0, 10 * 3600.0, 1800.0) == 50  # 10:00 + 24 h = slot 50, 34:00
    grid = SlotGrid(open_s=0.0, slot_s=10.0, last=3)
    assert grid.end_of((0, 2)) == 30.0 and grid.end_of((0, 3)) == math.inf
    assert grid.locate(0, 1e17) == ((0, 3), math.inf)
    assert grid.split(0, 25.0, 1e17) == {(0, 2): 5.0, (0, 3): 1e17 - 30.0}
    series = SlotSeries(grid, start_s=0.0)
    series.update(5.0, 1, 0)
    series.close(1e17)
    assert series.areas == {(0, 0): 5.0, (0, 1): 10.0, (0, 2): 10.0, (0, 3): 1e17 - 30.0}
    recorder = SlotRecorder(0.0, 60.0, 0.0, {"walk_in": 30.0, "phone": 20.0}, last=2)
    recorder.staff_changed(0.0, 1, 1)
    recorder.run_ended(1e17)
    rows = recorder.rows()
    assert [r["slot"] for r in rows] == [0.0, 1.0, 2.0]
    assert rows[-1]["observed_s"] == rows[-1]["busy_s"] == 1e17 - 120.0


def test_a_service_of_years_keeps_the_slot_table_small() -> None:
    """A run whose last service ends years after closing: a bounded table whose last
    slot (34:00, 24 h after the 10:00 close) ends where the longest replication ended."""
    scenario = load_scenario(BASELINE, [
        'hours.close="10:00"', "demand.walk_in.profile=[]", "demand.phone.profile=[]",
        'staff.schedule=[{start="09:00", end="10:00", both=2}]',
        'demand.walk_in.service={dist="deterministic", value_s=1e6}',
        "distractions.enabled=false"])
    results = [run_replication(scenario, 1, r, keep_slots=True) for r in (0, 1)]
    assert all(len(r.slots) == 51 for r in results)  # slots 0 ... 50 (34:00 onwards)
    rows = scenario_rows(slot_scenario({}, scenario, [r.slots for r in results]))
    last = {(r["start"], r["end"]) for r in rows if r["slot"] == 50}
    end = max(r.slots[-1]["observed_s"] for r in results) + 34 * 3600.0
    assert last == {("34:00", f"{round(end / 60) // 60:02d}:{round(end / 60) % 60:02d}")}
    assert end > 1e6


def test_recorder_without_events_has_no_rows() -> None:
    recorder = SlotRecorder(0.0, 60.0, 0.0, {"walk_in": 30.0, "phone": 20.0})
    assert recorder.rows() == []
    recorder.run_ended(150.0)
    assert [r["observed_s"] for r in recorder.rows()] == [60.0, 60.0, 30.0]


def test_parts_keep_slots_and_old_parts_still_read(tmp_path: Path) -> None:
    result = run_replication(load_scenario(BASELINE), 3, 0, keep_slots=True)
    part = Part.from_result(result)
    save_part(tmp_path, part, "fp")
    assert load_parts(tmp_path, "fp")[(0, 0)].slots == result.slots
    old = tmp_path / "old"  # a JSON part saved before slots.csv (and the database) existed
    (old / PARTS).mkdir(parents=True)
    data = {"sweep": "fp", "scenario": 0, "replication": 0, "metrics": result.metrics,
            "days": result.days, "ack_histograms": result.ack_histograms}
    (old / PARTS / "s0000-r00000.json").write_text(json.dumps(data))
    assert load_parts(old, "fp")[(0, 0)].slots == []


def test_run_writes_slots_csv(tmp_path: Path) -> None:
    out = tmp_path / "run"
    assert main(["run", str(BASELINE), "--reps", "3", "--out", str(out)]) == 0
    rows = read_csv(out / "slots.csv")
    assert list(rows[0]) == ["day", "slot", "start", "end", "channel", "metric", "mean", "std",
                             "ci_low", "ci_high", "n"]
    first = [r for r in rows if r["slot"] == "0"]
    assert {r["start"] for r in first} == {"09:00"} and {r["end"] for r in first} == {"09:30"}
    assert {r["channel"] for r in rows} == {"walk_in", "phone", ALL}
    assert {r["day"] for r in rows} == {ALL}
    util = [r for r in rows if r["metric"] == "utilization"]
    assert util and {r["channel"] for r in util} == {ALL}
    arrivals = [r for r in rows if r["metric"] == "arrivals" and r["channel"] == ALL]
    summary = {r["metric"]: r for r in read_csv(out / "summary.csv")}
    assert close(math.fsum(float(r["mean"]) for r in arrivals),
                 float(summary["arrivals"]["mean"]))


def test_slots_are_kept_only_when_asked_and_change_nothing_else() -> None:
    """Runs and sweeps ask for per-slot sums; a bare replication does not pay for them.
    Either way the metrics row is the same."""
    scenario = load_scenario(BASELINE)
    bare, kept = run_replication(scenario, 3, 1), run_replication(scenario, 3, 1, keep_slots=True)
    assert bare.slots == [] and kept.slots
    assert bare.metrics == kept.metrics
