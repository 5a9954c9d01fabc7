"""A sweep: a base scenario, factors whose levels override config keys, and the grid of
scenarios they span. Every scenario runs the same replication numbers with the same root
seed, so the customers are the same across scenarios (common random numbers)."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sim import __version__
from sim.config.exclusions import Conflict, common_conflict
from sim.config.loading import expand_override, load_with_conflicts, parse_override
from sim.config.schema import Scenario
from sim.errors import UserInputError

STAFF_SHORTHAND = "staff"  # --factor staff=3,4,5: that many pooled staff all day (no schedule)


@dataclass(frozen=True)
class Level:
    """One level of a factor: a label and the config overrides (``key=value``) it applies."""

    label: str
    overrides: tuple[str, ...] = ()


@dataclass(frozen=True)
class Factor:
    """A named factor with its levels (the first level is the default baseline)."""

    name: str
    levels: tuple[Level, ...]

    @property
    def labels(self) -> list[str]:
        """Level labels in order."""
        return [level.label for level in self.levels]


@dataclass(frozen=True)
class Point:
    """One scenario of the grid: its index, level labels per factor and resolved config."""

    index: int
    labels: dict[str, str]
    overrides: tuple[str, ...]
    scenario: Scenario


def staff_level(count: int) -> Level:
    """A level with ``count`` pooled staff on duty all day (any schedule is dropped)."""
    return Level(str(count), ("staff.schedule=[]", "staff.counter=0", "staff.phone=0",
                              f"staff.both={count}"))


def split_values(text: str) -> list[str]:
    """Split ``a,b,[1,2]`` on commas outside brackets and quotes."""
    values: list[str] = []
    current: list[str] = []
    depth, quote = 0, ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            values.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    values.append("".join(current).strip())
    return values


def parse_factor(text: str) -> Factor:
    """``key=v1,v2,...`` → a factor over one config key (``staff=3,4`` is pooled staff)."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    values = split_values(raw) if sep else []
    if not key or not values or any(not v for v in values):
        raise UserInputError(f"--factor {text!r}: expected key=value1,value2,... "
                             "e.g. --factor acknowledgment.policy=finish_first,greet_first")
    if len(set(values)) != len(values):
        raise UserInputError(f"--factor {text!r}: a level is repeated")
    if key == STAFF_SHORTHAND:
        counts = []
        for v in values:
            if not v.isdigit() or int(v) < 1:
                raise UserInputError(f"--factor {text!r}: staff levels must be whole numbers "
                                     f"≥ 1, got {v!r}")
            counts.append(int(v))
        if len(set(counts)) != len(counts):
            raise UserInputError(f"--factor {text!r}: a staff count is repeated")
        return Factor(key, tuple(staff_level(c) for c in counts))
    for value in values:  # key and value syntax, named as the factor's
        parse_override(f"{key}={value}", option="--factor")
    return Factor(key, tuple(Level(v, (f"{key}={v}",)) for v in values))


def check_factors(factors: Sequence[Factor]) -> None:
    """Factor names must be unique and every factor needs at least one level."""
    names = [f.name for f in factors]
    for name in names:
        if names.count(name) > 1:
            raise UserInputError(f"--factor {name}: given more than once; list all its levels "
                                 "in one --factor")
    for f in factors:
        if not f.levels:
            raise UserInputError(f"factor {f.name}: has no levels")


def override_key(text: str) -> str:
    """The dotted key of a ``key=value`` override."""
    return text.partition("=")[0].strip()


def _overlap(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def check_overlaps(base_overrides: Sequence[str], factors: Sequence[Factor]) -> None:
    """A key may be set by one factor only, and not also by ``--set``: the level would win
    silently."""
    owners: dict[str, str] = {}
    for f in factors:
        keys = {override_key(o) for level in f.levels for o in level.overrides}
        for key in keys:
            clash = next((k for k, owner in owners.items() if _overlap(key, k)), None)
            if clash is not None:
                raise UserInputError(f"--factor {f.name}: sets {key}, which factor "
                                     f"{owners[clash]} also sets ({clash}); one key, one factor")
        owners.update(dict.fromkeys(keys, f.name))
    for text in base_overrides:
        key = override_key(text)
        expanded = [".".join(path) for path, _value in expand_override(text)]  # staff=N
        clash = next((k for k in owners if any(_overlap(e, k) for e in expanded)), None)
        if clash is not None:
            raise UserInputError(f"--set {key}: factor {owners[clash]} sets {clash} in every "
                                 "scenario, which would override it; drop the --set or the factor")


def build_grid(config: Path, base_overrides: Sequence[str],
               factors: Sequence[Factor]) -> list[Point]:
    """Every combination of levels (the last factor varies fastest), validated up front so a
    bad level fails before any simulation."""
    check_factors(factors)
    check_overlaps(base_overrides, factors)
    points, inert = [], []
    for index, combo in enumerate(itertools.product(*(f.levels for f in factors))):
        overrides = tuple(base_overrides) + tuple(o for level in combo for o in level.overrides)
        labels = {f.name: level.label for f, level in zip(factors, combo, strict=True)}
        try:
            scenario, found = load_with_conflicts(config, list(overrides))
        except UserInputError as exc:
            load_with_conflicts(config, list(base_overrides))  # the config: its own message
            where = ", ".join(f"{k}={v}" for k, v in labels.items())
            message = f"{exc} (in the scenario {where})" if where else str(exc)
            raise UserInputError(message) from None
        points.append(Point(index, labels, overrides, scenario))
        inert.append(found)
    _refuse_inert(common_conflict(inert), len(points))
    return points


def _refuse_inert(conflict: Conflict | None, scenarios: int) -> None:
    """A key that takes effect in no scenario of the grid is an error (never a no-op)."""
    if conflict is not None:
        where = " (in every scenario of the sweep)" if scenarios > 1 else ""
        raise UserInputError(f"{conflict.error}{where}")


def fingerprint(points: Sequence[Point], seed: int) -> str:
    """A hash of the resolved scenarios, the seed and the package version: a resumed sweep
    must match it, and so must every saved replication it reuses."""
    payload = json.dumps({"seed": seed, "version": __version__, "scenarios": [
        {"labels": p.labels, "scenario": p.scenario.model_dump(mode="json")} for p in points]},
        sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]
