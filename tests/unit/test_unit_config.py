"""Config: clock parsing, dotted overrides, validation messages and derived values."""

from __future__ import annotations

from typing import Any

import pytest

from sim.config.fields import clock_to_seconds
from sim.config.loading import apply_overrides, parse_override, scenario_from_dict
from sim.errors import ConfigError, UserInputError


@pytest.mark.parametrize(("text", "seconds"), [
    ("00:00", 0.0), ("09:30", 34200.0), ("9:05", 32700.0), ("17:00", 61200.0),
    ("24:00", 86400.0), ("72:00", 259200.0), ("100:59", 363540.0),
])
def test_clock_to_seconds(text: str, seconds: float) -> None:
    assert clock_to_seconds(text) == seconds


@pytest.mark.parametrize("text", ["", "9", "0930", "09:60", "09:5", "-1:00", "1.5:00",
                                  "09:30:00", "9h30", " 09:30", "ab:cd", "09:"])
def test_clock_to_seconds_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        clock_to_seconds(text)


@pytest.mark.parametrize(("text", "path", "value"), [
    ("staff.both=3", ["staff", "both"], 3),
    ("  staff.both = 3 ", ["staff", "both"], 3),
    ("run.warmup_s=1e3", ["run", "warmup_s"], 1000.0),
    ("hours.serve_after_close=false", ["hours", "serve_after_close"], False),
    ("phone_handling.policy=walk_in_first", ["phone_handling", "policy"], "walk_in_first"),
    ('name="a b"', ["name"], "a b"),
    ("name=a=b", ["name"], "a=b"),
    ("hours.open=09:00", ["hours", "open"], "09:00"),
    ("demand.walk_in.profile=[1, 0.5]", ["demand", "walk_in", "profile"], [1, 0.5]),
    ("description=", ["description"], ""),
])
def test_parse_override(text: str, path: list[str], value: Any) -> None:
    got_path, got_value = parse_override(text)
    assert got_path == path
    assert got_value == value
    assert type(got_value) is type(value)


@pytest.mark.parametrize("text", ["staff.both", "=3", "staff..both=3", ".x=1", "x.=1", ""])
def test_parse_override_rejects(text: str) -> None:
    with pytest.raises(UserInputError):
        parse_override(text)


def test_apply_overrides_creates_tables_and_does_not_mutate() -> None:
    data: dict[str, Any] = {"staff": {"both": 2}}
    out = apply_overrides(data, ["staff.both=3", "demand.phone.lines=4"])
    assert out == {"staff": {"both": 3}, "demand": {"phone": {"lines": 4}}}
    assert data == {"staff": {"both": 2}}


def test_apply_overrides_cannot_descend_into_a_value() -> None:
    with pytest.raises(ConfigError) as err:
        apply_overrides({"staff": {"both": 2}}, ["staff.both.x=1"])
    assert err.value.key == "staff.both"


def test_defaults_and_derived_hours() -> None:
    sc = scenario_from_dict({})
    assert sc.hours.open_s == 9 * 3600.0 and sc.hours.close_s == 17 * 3600.0
    assert sc.hours.slot_s == 1800.0 and sc.hours.n_slots == 16
    partial = scenario_from_dict({"hours": {"open": "09:00", "close": "10:10",
                                            "slot_minutes": 30}})
    assert partial.hours.n_slots == 3
    assert sc.demand.phone.lines is None


@pytest.mark.parametrize(("data", "key"), [
    ({"hours": {"open": "10:00", "close": "09:00"}}, "hours"),
    ({"hours": {"open": "9am"}}, "hours.open"),
    ({"staff": {"boh": 1}}, "staff.boh"),
    ({"staff": {"both": -1}}, "staff.both"),
    ({"demand": {"walk_in": {"rate_per_hour": 10, "profile": [1.0, 1.0]}}},
     "demand.walk_in.profile"),
    ({"demand": {"phone": {"rate_per_hour": 5}}, "staff": {"counter": 1, "both": 0}}, "staff"),
    ({"staff": {"schedule": [{"start": "09:00", "end": "12:00", "both": 1},
                             {"start": "11:00", "end": "13:00", "both": 1}]}}, "staff.schedule"),
    ({"staff": {"schedule": [{"start": "08:00", "end": "12:00", "both": 1}]}},
     "staff.schedule.0.start"),
    ({"acknowledgment": {"patience_multiplier": 0.5}}, "acknowledgment.patience_multiplier"),
    ({"demand": {"walk_in": {"service": {"dist": "pareto", "mean_s": 1}}}},
     "demand.walk_in.service"),
    ({"run": {"warmup_s": 8 * 3600.0}}, "run.warmup_s"),
])
def test_invalid_configs_name_the_key(data: dict[str, Any], key: str) -> None:
    with pytest.raises(ConfigError) as err:
        scenario_from_dict(data)
    # the key, or a more precise key below it (e.g. staff.schedule.1.start)
    assert err.value.key == key or err.value.key.startswith(key + "."), str(err.value)


def test_unknown_key_lists_allowed_keys() -> None:
    with pytest.raises(ConfigError) as err:
        scenario_from_dict({"hours": {"opne": "09:00"}})
    assert "allowed keys here" in str(err.value) and "open" in str(err.value)


def test_scenario_is_frozen() -> None:
    sc = scenario_from_dict({})
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen-instance error
        sc.staff.both = 5  # type: ignore[misc]
