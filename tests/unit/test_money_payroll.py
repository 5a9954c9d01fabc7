"""The counter's costs: paid time, overtime, warm-up, the fixed cost and their split per
slot (sim/metrics/pay.py), exactly on hand-made spans and on a scripted day; and in whole
runs, the slots add up to the row and paid time is about present staff time."""

from __future__ import annotations

import math
from typing import Any

import pytest

from sim.config.loading import load_scenario, scenario_from_dict
from sim.execution.runner import metrics_recorder, run_replication
from sim.metrics.pay import Payroll
from sim.metrics.slots import ALL, SlotGrid, slot_metrics
from tests.helpers import BASELINE, run_schedule, walk_in

MONEY = ("revenue", "lost_clv", "staff_cost", "fixed_cost", "net_value")


def test_plain_then_overtime_and_the_warm_up_is_not_costed() -> None:
    """Member 0 (36/h = 0.01/s) is present [0, 150): 100 s plain, 50 s at ×2; member 1
    (72/h) [50, 80) and [90, 100). From a warm-up ending at 60, only later time is costed,
    but member 0's first 60 s still count towards its contracted 100 s."""
    pay = Payroll([36.0, 72.0], contracted_s=100.0, overtime_rate=2.0, start_s=60.0)
    for t, who, what in ((0.0, 0, "idle"), (10.0, 0, "serving"), (50.0, 1, "serving"),
                         (80.0, 1, "off"), (90.0, 1, "idle"), (100.0, 1, "off"),
                         (150.0, 0, "off")):
        pay.changed(t, who, what)
    pay.day_closed(0, 150.0)
    row = pay.metrics()
    assert row["staff_cost"] == pytest.approx(40 * 0.01 + 50 * 0.02 + 30 * 0.02, abs=1e-12)
    assert row["staff_hours"] == pytest.approx((90 + 30) / 3600.0, abs=1e-12)
    assert row["overtime_hours"] == pytest.approx(50 / 3600.0, abs=1e-12)
    assert row["fixed_cost"] == 0.0


def test_contracted_hours_start_again_each_day_and_fixed_cost_per_open_hour() -> None:
    """Open 0-100 s each day at 36 per open hour (0.01/s); a member present 0-150 s on
    days 0 and 1 is paid 100 s plain + 50 s at ×1.5 each day; split per 60-s slot."""
    day = 86400.0
    pay = Payroll([36.0], contracted_s=100.0, overtime_rate=1.5, fixed_per_hour=36.0,
                  hours=(0.0, 100.0), grid=SlotGrid(0.0, 60.0))
    for d in (0, 1):
        pay.changed(d * day, 0, "idle")
        pay.changed(d * day + 150.0, 0, "off")
        pay.day_closed(d, d * day + 150.0)
    row = pay.metrics()
    assert row["staff_cost"] == pytest.approx(2 * (1.0 + 0.75), abs=1e-12)
    assert row["overtime_hours"] == pytest.approx(100 / 3600.0, abs=1e-12)
    assert row["fixed_cost"] == pytest.approx(2 * 1.0, abs=1e-12)
    # slot 0: 60 s plain; slot 1: 40 s plain + 20 s overtime; slot 2: 30 s overtime
    for d in (0, 1):
        assert pay.slot_staff_cost[d, 0] == pytest.approx(0.6, abs=1e-12)
        assert pay.slot_staff_cost[d, 1] == pytest.approx(0.4 + 0.3, abs=1e-12)
        assert pay.slot_staff_cost[d, 2] == pytest.approx(0.45, abs=1e-12)
        assert pay.slot_fixed_cost[d, 0] == pytest.approx(0.6, abs=1e-12)
        assert pay.slot_fixed_cost[d, 1] == pytest.approx(0.4, abs=1e-12)
    assert math.fsum(pay.slot_staff_cost.values()) == pytest.approx(row["staff_cost"])


def test_a_scripted_day_pays_the_stay_after_closing_at_the_overtime_rate() -> None:
    """Open 00:00-01:00, serving after closing. Two counter clerks until 00:30, one after:
    member 0 is on duty all day and serves a walk-in arriving at 3500 s for 400 s, so it
    stays until 3900 s; member 1 leaves at 1800 s. At 36/h with 1 contracted hour a day
    and overtime ×2: 3600 s × 0.01 + 300 s × 0.02 + 1800 s × 0.01 = 60; fixed 7.2 an hour."""
    data: dict[str, Any] = {
        "hours": {"open": "00:00", "close": "01:00", "serve_after_close": True},
        "staff": {"schedule": [{"start": "00:00", "end": "00:30", "counter": 2},
                               {"start": "00:30", "end": "01:00", "counter": 1}]},
        "acknowledgment": {"policy": "finish_first", "notice_delay_s": 0.0},
        "distractions": {"enabled": False}, "traits": {"enabled": False},
        "money": {"staff_cost_per_hour": {"counter": 36.0}, "contracted_hours_per_day": 1.0,
                  "overtime_rate": 2.0, "fixed_cost_per_open_hour": 7.2},
    }
    scenario = scenario_from_dict(data)
    metrics = metrics_recorder(scenario)
    (served,) = run_schedule(scenario, [walk_in(3500.0, service_s=400.0)], metrics)
    assert served.end_s == 3900.0
    row = metrics.metrics()
    assert row["staff_cost"] == pytest.approx(60.0, abs=1e-9)
    assert row["staff_hours"] == pytest.approx(5700 / 3600, abs=1e-12)
    assert row["overtime_hours"] == pytest.approx(300 / 3600, abs=1e-12)
    assert row["fixed_cost"] == pytest.approx(7.2, abs=1e-9)
    assert row["revenue"] == pytest.approx(served.spend, abs=1e-9)
    assert row["net_value"] == pytest.approx(
        row["revenue"] - 60.0 - 7.2 - row["lost_clv"], abs=1e-9)


@pytest.mark.parametrize("overrides", [
    ["run.warmup_s=1800", "money.fixed_cost_per_open_hour=15",
     "money.contracted_hours_per_day=6", "money.staff_cost_per_hour.phone=30"],
    ["run.days=2", "email_replies.policy=form_letter", "demand.email.target_s=60",
     "email_replies.late_scale_s=60", "money.overtime_rate=2"],
], ids=["warmup", "two_days_conduct"])
def test_slots_add_up_to_the_row_and_paid_time_is_about_present_time(overrides: list[str]) -> None:
    """Per slot (channel all, pooled over days), the money sums to the row's (to 1e-9
    relative), and the paid hours are (within 0.1%) the present staff-seconds of the slots."""
    scenario = load_scenario(BASELINE, overrides)
    result = run_replication(scenario, 3, 0, keep_slots=True)
    row = result.metrics
    rows = [r for r in slot_metrics(result.slots) if r["channel"] == ALL and r["day"] == ALL]
    for name in MONEY:
        total = math.fsum(float(str(r[name])) for r in rows)
        assert total == pytest.approx(row[name], rel=1e-9, abs=1e-9), name
    # paid time is present time, plus the seconds a member whose shift ended spends finishing
    # an activity that is not a service (a distraction, say): the room no longer counts it
    present = math.fsum(float(str(r["present_s"])) for r in rows)
    paid = row["staff_hours"] * 3600.0
    assert present - 1e-6 <= paid <= present * 1.001
    assert row["overtime_hours"] > 0.0 and row["staff_cost"] > 20.0 * row["staff_hours"]
