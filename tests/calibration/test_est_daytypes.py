"""Day types inferred from the calendar as the log shows it (sim.calibration.daytypes):
European and Israeli working weeks, given types, stray calls, the report table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.calibration.daytypes import assign_day_types, day_type_table, infer_weekday_types
from sim.errors import UserInputError
from tests.calibration.synth_demand_logs import calendar_log, days_from, frame

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def _types_by_weekday(types: dict[str, str]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for day, name in types.items():
        found.setdefault(pd.Timestamp(day).weekday(), set()).add(name)
    return found


def test_monday_to_friday_week_with_a_lighter_friday() -> None:
    rng = np.random.default_rng(1)
    hours = {d: (8.0, 18.0, 1000.0) for d in (MON, TUE, WED, THU)} | {FRI: (8.0, 18.0, 500.0)}
    log = calendar_log(rng, days_from("2024-01-01", 28), hours)
    found = _types_by_weekday(assign_day_types(log))
    assert found == {MON: {"weekday"}, TUE: {"weekday"}, WED: {"weekday"},
                     THU: {"weekday"}, FRI: {"friday"}}


def test_sunday_to_thursday_week_with_short_friday_and_saturday_evening() -> None:
    rng = np.random.default_rng(2)
    hours = ({d: (7.0, 24.0, 1000.0) for d in (SUN, MON, TUE, WED, THU)}
             | {FRI: (7.0, 14.0, 300.0), SAT: (19.0, 24.0, 150.0)})
    log = calendar_log(rng, days_from("2024-01-07", 28), hours)
    found = _types_by_weekday(assign_day_types(log))
    assert found == {SUN: {"weekday"}, MON: {"weekday"}, TUE: {"weekday"},
                     WED: {"weekday"}, THU: {"weekday"}, FRI: {"friday"},
                     SAT: {"saturday"}}


def test_a_shorter_day_of_similar_volume_is_its_own_type() -> None:
    rng = np.random.default_rng(3)
    hours = {d: (8.0, 18.0, 800.0) for d in (MON, TUE, WED, THU)} | {FRI: (8.0, 14.0, 700.0)}
    types = assign_day_types(calendar_log(rng, days_from("2024-01-01", 14), hours))
    assert _types_by_weekday(types)[FRI] == {"friday"}
    assert _types_by_weekday(types)[MON] == {"weekday"}


def test_similar_volume_within_35_percent_merges() -> None:
    rng = np.random.default_rng(4)
    hours = {d: (8.0, 18.0, 1000.0) for d in (MON, TUE, WED, THU)} | {FRI: (8.0, 18.0, 750.0)}
    types = assign_day_types(calendar_log(rng, days_from("2024-01-01", 14), hours))
    assert set(types.values()) == {"weekday"}


def test_stray_calls_after_midnight_do_not_split_a_weekday() -> None:
    rng = np.random.default_rng(5)
    hours = {d: (7.0, 24.0, 1000.0) for d in (SUN, MON, TUE, WED, THU)}
    log = calendar_log(rng, days_from("2024-01-07", 28), hours)
    wednesdays = sorted(d for d in set(log["day"]) if pd.Timestamp(d).weekday() == WED)
    strays = frame(day=wednesdays[:3], arrival_s=np.array([60.0, 120.0, 30.0]))
    types = assign_day_types(pd.concat([log, strays], ignore_index=True))
    assert set(types.values()) == {"weekday"}


def test_given_day_types_are_kept_and_only_the_rest_inferred() -> None:
    rng = np.random.default_rng(6)
    hours = {d: (8.0, 18.0, 400.0) for d in (MON, TUE, WED, THU)} | {FRI: (8.0, 12.0, 100.0)}
    log = calendar_log(rng, days_from("2024-01-01", 14), hours)
    holiday = "2024-01-03"
    log.loc[log["day"] == holiday, "day_type"] = "holiday"
    types = assign_day_types(log)
    assert types[holiday] == "holiday"
    assert types["2024-01-04"] == "weekday" and types["2024-01-05"] == "friday"
    table = day_type_table(log)
    assert table.loc[table["day"] == holiday, "given"].item()
    assert table["given"].sum() == 1


def test_one_weekday_alone_is_named_after_it() -> None:
    rng = np.random.default_rng(7)
    log = calendar_log(rng, days_from("2024-01-01", 21), {MON: (8.0, 18.0, 100.0)})
    assert set(assign_day_types(log).values()) == {"monday"}


def test_every_weekday_different_gives_one_type_each() -> None:
    days = pd.DataFrame({"weekday": [MON, TUE, WED], "contacts": [100.0, 300.0, 900.0],
                         "span_h": [10.0, 10.0, 10.0]})
    assert infer_weekday_types(days) == {MON: "monday", TUE: "tuesday", WED: "wednesday"}


def test_day_type_table_lists_every_day() -> None:
    rng = np.random.default_rng(8)
    hours = {d: (8.0, 18.0, 200.0) for d in (MON, TUE, WED, THU, FRI)}
    log = calendar_log(rng, days_from("2024-01-01", 7), hours)
    table = day_type_table(log)
    assert list(table.columns) == ["day", "weekday", "type", "contacts", "first_arrival_s",
                                   "last_arrival_s", "span_h", "given"]
    assert list(table["weekday"]) == ["monday", "tuesday", "wednesday", "thursday", "friday"]
    assert table["contacts"].sum() == len(log)
    first = log.groupby("day")["arrival_s"].min().to_numpy()
    assert np.allclose(table["first_arrival_s"], first)
    assert table["span_h"].between(9.0, 10.0).all()


def test_a_day_that_is_not_a_date_is_a_user_error() -> None:
    log = frame(day=["2024-13-01"], arrival_s=np.array([3600.0]))
    with pytest.raises(UserInputError, match="2024-13-01"):
        assign_day_types(log)


def test_empty_log_has_no_types() -> None:
    assert assign_day_types(frame(day=[], arrival_s=np.zeros(0))) == {}
