"""The plausible-range catalogue (``sim/config/ranges.py``): every numeric parameter of the
schema (its default distributions' parameters and its tables of named entries included)
has a range or a structural mark, no entry is stale, every default lies inside its range,
and the ends of every range, alone or together, load on the baseline."""

from __future__ import annotations

import functools
import math
import random
from typing import Any

import pytest

from sim.config.distributions import Lognormal
from sim.config.loading import load_scenario, load_with_conflicts, scenario_from_dict
from sim.config.ranges import (
    BASELINE,
    RANGES,
    Range,
    Structural,
    baseline_parameters,
    default_of,
    in_words,
    label_for,
    range_for,
    sample_value,
    to_override,
    to_overrides,
    varied_parameters,
)
from sim.config.ranges_behaviour import BEHAVIOUR_RANGES
from sim.config.ranges_demand import DEMAND_RANGES
from sim.config.ranges_labels import LABELS
from sim.config.ranges_patrons import PATRON_RANGES
from sim.config.ranges_retrials import RETRIAL_RANGES
from sim.config.ranges_virtual import VIRTUAL_QUEUE_RANGES
from sim.config.schema import Scenario
from sim.errors import UserInputError
from tests.hardening.schema_keys import NEW_ENTRY, schema_keys


def _lookup(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _nested(path: str, value: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    node = data
    parts = path.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value
    return data


@functools.cache
def _sources() -> tuple[dict[str, Any], ...]:
    """Where a distribution's default family is read: the baseline, the schema defaults,
    and the defaults of a named entry added to every table of entries."""
    added: dict[str, Any] = {}
    for key in schema_keys():
        if key.kind == "table" and key.path.endswith(f".{NEW_ENTRY}"):
            added.update(_nested(key.path, {}))
    return (load_scenario(BASELINE).model_dump(mode="json"),
            Scenario().model_dump(mode="json"),
            scenario_from_dict(added).model_dump(mode="json"))


def _default_family_keys(dist_path: str) -> set[str]:
    keys: set[str] = set()
    for source in _sources():
        table = _lookup(source, dist_path)
        if isinstance(table, dict):
            keys |= set(table) - {"dist"}
    return keys


def _accepts_a_number(path: str) -> bool:
    try:
        scenario_from_dict(_nested(path, 0.5))
    except UserInputError:
        return False
    return True


def _is_number_list(path: str) -> bool:
    return any(isinstance(v, list) and v and all(isinstance(x, int | float) for x in v)
               for v in (_lookup(source, path) for source in _sources()))


@functools.cache
def numeric_paths() -> tuple[str, ...]:
    """Every numeric key path of the schema: ints and floats, numbers in unions and lists,
    and the keys of each distribution's default family (not of the other families)."""
    keys = schema_keys()
    dists = {k.path for k in keys if k.kind == "dist"}
    found = []
    for key in keys:
        parent, _, name = key.path.rpartition(".")
        if parent in dists:
            numeric = name in _default_family_keys(parent)
        else:
            numeric = (key.kind in ("int", "float")
                       or (key.kind == "list" and _is_number_list(key.path))
                       or (key.kind == "any" and _accepts_a_number(key.path)))
        if numeric:
            found.append(key.path)
    return tuple(found)


def _matches(pattern: str, path: str) -> bool:
    want, have = pattern.split("."), path.split(".")
    return len(want) == len(have) and all(w in ("*", h) for w, h in zip(want, have, strict=True))


def test_the_schema_walk_finds_what_it_should() -> None:
    paths = set(numeric_paths())
    for path in ("demand.phone.patience.median_s", "demand.phone.patience.sigma",
                 "demand.phone.service.cv", "demand.phone.hold_patience.mean_s",
                 "distractions.kinds.personal_call.duration.sigma",
                 f"distractions.kinds.{NEW_ENTRY}.duration.mean_s",
                 f"loyalty.sensitivity.{NEW_ENTRY}", "temperament.mix.angry", "staff.bias",
                 "resolution.knowledge", "market.new_patrons_per_day", "demand.phone.lines",
                 "demand.walk_in.profile", "temperament.party_sizes", "balking.free_waiting",
                 "staff.schedule.0.both", "staff.traits.0.openness"):
        assert path in paths, path
    for path in ("demand.phone.patience.shape", "demand.phone.patience.mean_s",
                 "demand.walk_in.service.quantiles_s", "staff.traits", "staff.schedule",
                 "hours.open", "discipline.policy", "distractions.enabled"):
        assert path not in paths, path


def test_every_numeric_parameter_has_a_range_or_a_structural_mark() -> None:
    missing = [p for p in numeric_paths() if range_for(p) is None]
    assert not missing, f"no entry in sim/config/ranges.py RANGES for: {missing}"


def test_every_varied_parameter_has_a_label_in_words() -> None:
    ranged = [p for p in numeric_paths() if isinstance(range_for(p), Range)]
    unlabelled = [p for p in ranged if not label_for(p) or "{" in label_for(p)]
    assert not unlabelled, f"no label in sim/config/ranges_labels.py LABELS for: {unlabelled}"
    stale = [k for k in LABELS if not isinstance(RANGES.get(k), Range)]
    assert not stale, f"LABELS keys that are not a Range entry of RANGES: {stale}"
    assert in_words("demand.phone.hold_patience.mean_s") == (
        "how long callers tolerate hold [demand.phone.hold_patience.mean_s]")
    assert label_for(f"distractions.kinds.{NEW_ENTRY}.duration.mean_s") == (
        f"how long {NEW_ENTRY.replace('_', ' ')} last")
    assert label_for("demand.email.day_rate_cv") == "how much e-mail demand varies from day to day"
    assert in_words("hours.slot_minutes") == "hours.slot_minutes"  # structural: no label


def test_no_entry_is_stale() -> None:
    assert len(RANGES) == (len(DEMAND_RANGES) + len(BEHAVIOUR_RANGES) + len(PATRON_RANGES)
                           + len(RETRIAL_RANGES) + len(VIRTUAL_QUEUE_RANGES))
    stale = [key for key in RANGES if not any(_matches(key, p) for p in numeric_paths())]
    assert not stale, f"RANGES keys that name no numeric parameter of the schema: {stale}"


def test_every_entry_is_well_formed() -> None:
    for key, entry in RANGES.items():
        if isinstance(entry, Structural):
            assert entry.reason.strip(), key
            continue
        assert isinstance(entry, Range), key
        assert math.isfinite(entry.low) and math.isfinite(entry.high), key
        assert entry.low < entry.high, key
        assert entry.scale in ("uniform", "log"), key
        assert entry.scale != "log" or entry.low > 0, key
        assert entry.basis.strip(), key


def test_every_default_lies_within_its_range() -> None:
    checked = 0
    for path in numeric_paths():
        entry = range_for(path)
        if not isinstance(entry, Range) or _lookup(_sources()[0], path) is None:
            continue
        default = default_of(path)
        assert entry.low <= default <= entry.high, (path, default, entry)
        checked += 1
    assert checked == len(varied_parameters())


def test_defaults_are_the_baseline_else_the_schema() -> None:
    assert default_of("demand.walk_in.rate_per_hour") == 24.0  # baseline
    assert default_of("demand.phone.patience.sigma") == 1.88
    assert default_of("loyalty.bad_below") == 0.5  # schema default
    assert default_of("distractions.kinds.argument.patience_drain") == 2.0
    for absent in ("demand.phone.patience.shape", "temperament.mix", "no.such.key",
                   "distractions.kinds.my_kind.idle_rate_per_hour"):
        with pytest.raises(KeyError):
            default_of(absent)


def test_patterns_resolve_exact_keys_first() -> None:
    own = RANGES["distractions.kinds.argument.idle_rate_per_hour"]
    assert range_for("distractions.kinds.argument.idle_rate_per_hour") is own
    added = range_for("distractions.kinds.my_kind.idle_rate_per_hour")
    assert added is RANGES["distractions.kinds.*.idle_rate_per_hour"] and added is not own
    assert range_for("demand.email.day_rate_cv") is RANGES["demand.*.day_rate_cv"]
    assert range_for("staff.traits.3.openness") is RANGES["staff.traits.*.*"]
    assert range_for("demand.phone.patience.shape") is None
    assert range_for("nothing") is None


def test_varied_parameters_are_the_baseline_paths_with_a_range() -> None:
    varied = varied_parameters()
    assert len(varied) == len(set(varied))
    assert all("*" not in p for p in varied)
    expected = {p for p in numeric_paths()
                if isinstance(range_for(p), Range) and _lookup(_sources()[0], p) is not None
                and not isinstance(_lookup(_sources()[0], p), list)}
    assert set(varied) == expected
    assert set(varied) <= set(baseline_parameters())
    for path in ("distractions.kinds.argument.idle_rate_per_hour", "temperament.patience.angry",
                 "loyalty.sensitivity.frustrated", "demand.phone.hold_patience.mean_s"):
        assert path in varied
    for path in ("staff.both", "run.days", "temperament.mix.calm", "demand.phone.lines"):
        assert path not in varied


def test_fitted_parameters_range_over_their_confidence_intervals() -> None:
    fitted = {"demand.phone.service.mean_s": (183, 189), "demand.phone.service.cv": (1.19, 1.27),
              "demand.phone.patience.median_s": (332, 379),
              "demand.phone.patience.sigma": (1.83, 1.93)}
    for path, (low, high) in fitted.items():
        entry = RANGES[path]
        assert isinstance(entry, Range)
        assert (entry.low, entry.high) == (low, high), path
        assert "95%" in entry.basis and "bank" in entry.basis, path


def test_verdict_deciding_ranges_are_generous() -> None:
    hold = RANGES["demand.phone.hold_patience.mean_s"]
    assert isinstance(hold, Range) and (hold.low, hold.high, hold.scale) == (30, 600, "log")
    for path, factor in (("demand.email.rate_per_hour", 4), ("demand.email.service.mean_s", 4),
                         ("demand.walk_in.patience.sigma", 2.5), ("loyalty.bad_below", 2),
                         ("loyalty.churn_after_two_bad", 2.5), ("loyalty.wait_penalty", 3)):
        entry = RANGES[path]
        assert isinstance(entry, Range) and entry.high / entry.low >= factor, path


def test_sample_value_maps_the_unit_interval_onto_the_range() -> None:
    flat, wide = Range(2.0, 6.0, "uniform", "b"), Range(10.0, 1000.0, "log", "b")
    assert [sample_value(flat, u) for u in (0.0, 0.25, 1.0)] == [2.0, 3.0, 6.0]
    assert sample_value(wide, 0.0) == 10.0 and sample_value(wide, 1.0) == 1000.0
    assert sample_value(wide, 0.5) == pytest.approx(100.0)
    draws = [sample_value(wide, u / 10) for u in range(11)]
    assert draws == sorted(draws)
    for bad in (-0.1, 1.1, math.nan):
        with pytest.raises(ValueError):
            sample_value(flat, bad)


def test_to_override_gives_set_strings_the_loader_reads() -> None:
    assert to_override("balking.free_waiting", 3.6) == "balking.free_waiting=4"
    assert to_override("loyalty.bad_below", 0.3) == "loyalty.bad_below=0.3"
    assert (to_override("demand.phone.service.cv", 1.2)
            == 'demand.phone.service={ dist = "lognormal", mean_s = 186.0, cv = 1.2 }')
    both = to_overrides({"demand.phone.service.cv": 1.2, "demand.phone.service.mean_s": 185.0,
                         "temperament.mix.angry": 0.2, "temperament.mix.frustrated": 0.3})
    assert len(both) == 2
    scenario = load_scenario(BASELINE, both)
    service = scenario.demand.phone.service
    assert isinstance(service, Lognormal) and (service.mean_s, service.cv) == (185, 1.2)
    mix = scenario.temperament.mix
    assert (mix["angry"], mix["frustrated"], mix["needs_clarification"]) == (0.2, 0.3, 0.1)
    assert mix["calm"] == pytest.approx(0.4)
    with pytest.raises(ValueError, match="remainder"):
        to_override("temperament.mix.calm", 0.5)
    with pytest.raises(KeyError):
        to_override("demand.phone.nothing", 1.0)


def _conflicting(overrides: list[str]) -> set[str]:
    _, found = load_with_conflicts(BASELINE, overrides)  # validates before judging
    return {c.key for c in found}


@functools.cache
def _moot_in_baseline() -> dict[str, set[str]]:
    """Per varied parameter: the given keys the baseline refuses at its default value
    (keys that only a policy the baseline does not select reads)."""
    return {p: _conflicting([to_override(p, default_of(p))]) for p in varied_parameters()}


def _applied(path: str, value: float) -> float:
    table_value = _lookup(load_with_conflicts(BASELINE, [to_override(path, value)])[0]
                          .model_dump(mode="json"), path)
    assert isinstance(table_value, int | float)
    return float(table_value)


@pytest.mark.parametrize("path", varied_parameters())
def test_both_ends_of_each_range_load_on_the_baseline(path: str) -> None:
    entry = range_for(path)
    assert isinstance(entry, Range)
    moot = _moot_in_baseline()[path]
    for value in (entry.low, entry.high):
        override = to_override(path, value)
        if moot:  # read only under another policy: valid, and refused for that alone
            assert _conflicting([override]) == moot, override
        else:
            load_scenario(BASELINE, [override])
        is_int = isinstance(_lookup(_sources()[0], path), int)
        assert _applied(path, value) == pytest.approx(round(value) if is_int else value)


def test_ranges_hold_together() -> None:
    """All lows, all highs, each end against the other ends of all the rest, and random
    worlds load at once (cross-field rules such as the cumulative churn growing hold for
    every combination)."""
    moot = set().union(*_moot_in_baseline().values())
    rng = random.Random(14)
    varied = varied_parameters()
    worlds = [*({p: float(p == odd) if end else float(p != odd) for p in varied}
                for odd in [None, *varied] for end in (0, 1)),
              *({p: rng.random() for p in varied} for _ in range(20))]
    for world in worlds:
        values = {}
        for path, u in world.items():
            entry = range_for(path)
            assert isinstance(entry, Range)
            values[path] = sample_value(entry, u)
        scenario, found = load_with_conflicts(BASELINE, to_overrides(values))
        assert {c.key for c in found} <= moot
        loaded = scenario.model_dump(mode="json")
        for path, value in values.items():
            is_int = isinstance(_lookup(_sources()[0], path), int)
            assert _lookup(loaded, path) == pytest.approx(round(value) if is_int else value)
        assert sum(scenario.temperament.mix.values()) == pytest.approx(1.0)
