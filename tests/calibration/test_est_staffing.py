"""Staff on duty inferred from the log (sim.calibration.staffing): exact numbers on a
hand-made day, an M/M/c queue with a known number of agents per slot (busy when waiting
recovers it, distinct agents overstate it), the schedule, and the sweep's speed."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from sim.calibration.staffing import METHOD_TEXT, NO_WAITING, WAITING, StaffFit, infer_staff
from sim.errors import UserInputError
from tests.calibration.synth_demand_logs import days_from, frame, mmc_day

#: Agents on duty in the hourly slots from 08:00 (slot 8) to 17:00.
STAFF = [2, 3, 4, 5, 5, 4, 3, 4, 5, 3]


def _hand_made() -> pd.DataFrame:
    """One day, hourly slot 0 = [0, 3600): A serves [0, 1800), B [600, 2400), A again
    [3000, 4000) (into slot 1); one caller waits [900, 1200) and abandons."""
    return frame(
        day=["2024-01-01"] * 4,
        arrival_s=np.array([0.0, 600.0, 900.0, 3000.0]),
        outcome=["served", "served", "abandoned", "served"],
        wait_s=np.array([0.0, 0.0, 300.0, 0.0]),
        service_start_s=np.array([0.0, 600.0, np.nan, 3000.0]),
        service_end_s=np.array([1800.0, 2400.0, np.nan, 4000.0]),
        staff_id=["A", "B", "", "A"],
    )


def test_hand_made_day_gives_exact_numbers() -> None:
    log = _hand_made()
    fit = infer_staff(log, 60, {"2024-01-01": "weekday"})
    row = fit.by_day.set_index("slot").loc[0]
    assert row["busy_when_waiting"] == 2.0 and row["basis"] == WAITING
    assert row["max_busy"] == 2.0 and row["distinct_agents"] == 2.0
    assert row["waiting_share"] == pytest.approx(300 / 3600)
    assert row["mean_busy"] == pytest.approx((1800 + 1800 + 600) / 3600)
    assert list(fit.by_day["slot"]) == [0]  # the observed range: slots with arrivals
    assert fit.table["recommended"].tolist() == [2]


def test_a_slot_without_waiting_falls_back_to_max_busy() -> None:
    log = pd.concat([_hand_made(), frame(day=["2024-01-01"], arrival_s=np.array([3700.0]),
                                         outcome=["served"], service_start_s=[3700.0],
                                         service_end_s=[3800.0], staff_id=["B"])],
                    ignore_index=True)
    fit = infer_staff(log, 60, {"2024-01-01": "weekday"})
    row = fit.by_day.set_index("slot").loc[1]
    assert row["basis"] == NO_WAITING and row["waiting_share"] == 0.0
    assert row["busy_when_waiting"] == row["max_busy"] == 2.0  # A (until 4000) and B
    assert row["distinct_agents"] == 2.0
    assert any("nobody ever waited" in w for w in fit.warnings)


def test_services_past_midnight_count_on_the_next_day() -> None:
    log = frame(day=["2024-01-01", "2024-01-02"], arrival_s=np.array([86000.0, 600.0]),
                outcome=["served", "served"], service_start_s=np.array([86000.0, 600.0]),
                service_end_s=np.array([87400.0, 700.0]), staff_id=["A", "B"])
    fit = infer_staff(log, 60, {"2024-01-01": "weekday", "2024-01-02": "weekday"})
    next_day = fit.by_day.set_index(["day", "slot"]).loc[("2024-01-02", 0)]
    assert next_day["max_busy"] == 2.0 and next_day["distinct_agents"] == 2.0
    assert next_day["mean_busy"] == pytest.approx((1000 + 100) / 3600)


@pytest.fixture(scope="module")
def mmc_fit() -> StaffFit:
    rng = np.random.default_rng(21)
    days = days_from("2024-02-05", 8)
    log = pd.concat([mmc_day(rng, day, STAFF, load=0.95, mean_service_s=240.0)
                     for day in days], ignore_index=True)
    return infer_staff(log, 60, dict.fromkeys(days, "weekday"))


def test_busy_when_waiting_recovers_the_agents_on_duty(mmc_fit: StaffFit) -> None:
    table = mmc_fit.table.set_index("slot").loc[8:17]
    truth = pd.Series(STAFF, index=range(8, 18))
    assert (table["busy_when_waiting"] - truth).abs().max() <= 0.5, table
    assert (table["recommended"] == truth).all()
    assert (table["n_waiting_days"] == 8).all()
    assert (table["bww_ci_low"] <= table["busy_when_waiting"]).all()


def test_distinct_agents_overstate_and_max_busy_bounds(mmc_fit: StaffFit) -> None:
    table = mmc_fit.table.set_index("slot").loc[8:17]
    truth = pd.Series(STAFF, index=range(8, 18))
    assert (table["distinct_agents"] >= truth + 0.5).all(), table["distinct_agents"]
    assert (table["max_busy"] >= truth).all()
    assert (table["mean_busy"] < truth + 0.1).all()  # shifts that end overrun a little


def test_schedule_merges_equal_slots(mmc_fit: StaffFit) -> None:
    schedule = mmc_fit.schedule("weekday")
    assert schedule[0] == (8 * 3600, 9 * 3600, 2)
    assert (11 * 3600, 13 * 3600, 5) in schedule
    assert sum(end - start for start, end, _ in schedule) == 10 * 3600
    assert all(isinstance(v, int) for block in schedule for v in block)
    with pytest.raises(UserInputError, match="'friday'"):
        mmc_fit.schedule("friday")


def test_table_columns_and_method_text(mmc_fit: StaffFit) -> None:
    assert {"day_type", "slot", "start_s", "n_days", "distinct_agents", "busy_when_waiting",
            "max_busy", "bww_ci_low", "bww_ci_high", "bww_min", "bww_max", "recommended",
            "open"} <= set(mmc_fit.table.columns)
    assert list(mmc_fit.by_day.columns) == [
        "day", "day_type", "slot", "start_s", "arrivals", "distinct_agents",
        "busy_when_waiting", "max_busy", "mean_busy", "waiting_share", "basis"]
    assert "overstates" in METHOD_TEXT and "waiting" in METHOD_TEXT


def test_sweep_is_fast_on_a_month_of_contacts() -> None:
    rng = np.random.default_rng(22)
    days = days_from("2024-01-01", 29)
    n = 30_000
    arrival = rng.uniform(7 * 3600, 23 * 3600, n)
    wait = np.where(rng.random(n) < 0.5, rng.exponential(60.0, n), 0.0)
    start = arrival + wait
    log = frame(day=rng.choice(days, n), arrival_s=arrival, outcome=["served"] * n,
                wait_s=wait, service_start_s=start,
                service_end_s=start + rng.exponential(180.0, n),
                staff_id=rng.choice([f"S{k}" for k in range(30)], n))
    began = time.perf_counter()
    fit = infer_staff(log, 15, dict.fromkeys(days, "weekday"))
    assert time.perf_counter() - began < 2.0
    assert len(fit.by_day) == 29 * len(fit.table)


def test_a_log_without_services_is_a_user_error() -> None:
    log = frame(day=["2024-01-01"], arrival_s=np.array([3600.0]))
    with pytest.raises(UserInputError, match="no served contacts"):
        infer_staff(log, 60, {"2024-01-01": "weekday"})
