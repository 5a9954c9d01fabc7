"""Plausible ranges of every numeric parameter the model reads (the robustness study).

:data:`RANGES` maps a dotted key path, as written with ``--set``, to a :class:`Range` (an
uncertain quantity: low, high, uniform or log-uniform, and its basis) or to
:class:`Structural` (a choice, not varied, with the reason). A ``*`` stands for one path
segment, a named entry (``distractions.kinds.*.idle_rate_per_hour``): an exact key wins
over a pattern, and a pattern with fewer ``*`` over one with more. Distribution parameters
are those of each key's default distribution (``demand.phone.patience.median_s`` and
``.sigma``: the default is ``lognormal_median``).

A parameter's *default* is its value in ``experiments/configs/baseline.toml`` where the
baseline sets it, else the schema default (:func:`default_of`); it lies inside its range.
Ranges of fitted parameters are their 95% confidence intervals. The table in
``docs/parameters.md`` ("Plausible ranges") is generated from here by
:mod:`sim.config.ranges_doc`.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from sim.config.loading import load_scenario
from sim.config.range_types import Range, Scale, Structural
from sim.config.ranges_behaviour import BEHAVIOUR_RANGES
from sim.config.ranges_demand import DEMAND_RANGES
from sim.config.ranges_labels import ENTRY_WORDS, LABELS
from sim.config.ranges_patrons import PATRON_RANGES
from sim.config.ranges_retrials import RETRIAL_RANGES
from sim.config.ranges_virtual import VIRTUAL_QUEUE_RANGES
from sim.config.schema import Scenario
from sim.config.toml_text import value as toml_value

__all__ = ["BASELINE", "RANGES", "Range", "Scale", "Structural", "baseline_parameters",
           "default_of", "in_words", "key_for", "label_for", "range_for",
           "sample_value", "to_override", "to_overrides", "varied_parameters"]

BASELINE = Path(__file__).resolve().parents[2] / "experiments" / "configs" / "baseline.toml"
"""The scenario whose values are the defaults the ranges are centred on."""

RANGES: dict[str, Range | Structural] = {**DEMAND_RANGES, **BEHAVIOUR_RANGES, **PATRON_RANGES,
                                         **RETRIAL_RANGES, **VIRTUAL_QUEUE_RANGES}
"""Every numeric parameter's plausible range, or why it is structural."""

MIX, REMAINDER = "temperament.mix", "calm"
"""The shares of ``temperament.mix`` add up to 1: setting one share leaves the calm share
the remainder."""


def _matches(pattern: str, path: str) -> bool:
    want, have = pattern.split("."), path.split(".")
    return len(want) == len(have) and all(w in ("*", h) for w, h in zip(want, have, strict=True))


def key_for(path: str) -> str | None:
    """The key of :data:`RANGES` that covers a concrete key path: the path itself, else the
    most specific matching pattern (fewest ``*``; the first listed on a tie); None if none."""
    if path in RANGES:
        return path
    found = [key for key in RANGES if "*" in key and _matches(key, path)]
    return min(found, key=lambda key: key.count("*")) if found else None


def range_for(path: str) -> Range | Structural | None:
    """The entry of :data:`RANGES` for a concrete key path (see :func:`key_for`); None if
    no entry covers it."""
    key = key_for(path)
    return None if key is None else RANGES[key]


def label_for(path: str) -> str:
    """The parameter's label in words (:data:`sim.config.ranges_labels.LABELS`), a
    pattern's ``{}`` filled with the entry it stands for, e.g. "how long callers tolerate
    hold"; "" for a parameter without one (a structural one)."""
    key = key_for(path)
    label = LABELS.get(key, "") if key is not None else ""
    if key is None or "{}" not in label:
        return label
    entries = [have for want, have in zip(key.split("."), path.split("."), strict=True)
               if want == "*"]
    return label.format(*(ENTRY_WORDS.get(e, e.replace("_", " ")) for e in entries))


def in_words(path: str) -> str:
    """The parameter for a reader: its label with the key in brackets, e.g. "how long
    callers tolerate hold [demand.phone.hold_patience.mean_s]" (the key alone without a
    label)."""
    label = label_for(path)
    return f"{label} [{path}]" if label else path


@functools.cache
def _baseline() -> dict[str, Any]:
    return load_scenario(BASELINE).model_dump(mode="json")


def _at(data: Any, path: str) -> Any:
    node = data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(f"{path}: no such key in the baseline ({BASELINE.name})")
        node = node[part]
    return node


def default_of(path: str) -> float:
    """The baseline's value of the numeric parameter ``path`` (where the baseline does not
    set it, the schema default), in the parameter's unit. KeyError if the baseline has no
    number there (a path of another distribution family, a named entry it lacks)."""
    found: object = _at(_baseline(), path)
    if isinstance(found, bool) or not isinstance(found, int | float):
        raise KeyError(f"{path}: not a number in the baseline ({found!r})")
    return float(found)


def _numeric_leaves(node: Any, prefix: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        for key, item in node.items():
            yield from _numeric_leaves(item, f"{prefix}.{key}" if prefix else key)
    elif isinstance(node, int | float) and not isinstance(node, bool):
        yield prefix


def baseline_parameters() -> list[str]:
    """Every concrete numeric key path of the baseline, in schema order (values inside lists,
    such as profiles, are not single parameters and are left out)."""
    return list(_numeric_leaves(_baseline()))


def varied_parameters() -> list[str]:
    """The concrete key paths of the baseline that have a :class:`Range` (patterns expanded
    over the baseline's named entries), in schema order. Some are read only under a policy
    the baseline does not select (``demand.phone.hold_patience`` under ``hold_and_greet``);
    set alone on the baseline they are refused as having no effect."""
    return [p for p in baseline_parameters() if isinstance(range_for(p), Range)]


def sample_value(rng: Range, u: float) -> float:
    """The value at quantile ``u`` (0 to 1) of ``rng``: ``low + u·(high − low)``, or for a
    log scale ``low·(high/low)^u``; exactly ``low`` at 0 and ``high`` at 1, and within
    ``[low, high]`` in between despite rounding."""
    if not 0.0 <= u <= 1.0:
        raise ValueError(f"u must lie in [0, 1], got {u!r}")
    if u == 1.0:
        return rng.high
    x: float
    if rng.scale == "log":
        x = rng.low * (rng.high / rng.low) ** u
    else:
        x = rng.low + u * (rng.high - rng.low)
    return min(max(x, rng.low), rng.high)


def _members(annotation: Any) -> list[Any]:
    """The types an annotation allows (``Annotated`` stripped, ``None`` left out)."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [m for a in typing.get_args(annotation) for m in _members(a)
                if m is not type(None)]
    return [annotation]


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _child(annotation: Any, part: str, path: str) -> Any:
    for member in _members(annotation):
        if _is_model(member) and part in member.model_fields:
            return member.model_fields[part].annotation
        if typing.get_origin(member) is dict:
            return typing.get_args(member)[1]
    raise KeyError(f"{path}: no key {part!r} in the schema")


def _replaced_whole(annotation: Any) -> bool:
    """A distribution table or a plain mapping (``temperament.mix``): a value given for it
    replaces the default whole, so one of its keys is set by giving all of them."""
    members = _members(annotation)
    if all(_is_model(m) and "dist" in m.model_fields for m in members):
        return True
    return any(typing.get_origin(m) is dict
               and not any(_is_model(v) for v in _members(typing.get_args(m)[1]))
               for m in members)


def _shape(path: str) -> tuple[str | None, str, bool]:
    """``(table, key, is_int)``: the table replaced whole that holds ``path`` (None if
    ``path`` can be set on its own), ``path``'s key inside it, and whether it is an integer
    field."""
    parts = path.split(".")
    annotation: Any = Scenario
    table: str | None = None
    for i, part in enumerate(parts):
        annotation = _child(annotation, part, path)
        if table is None and i < len(parts) - 1 and _replaced_whole(annotation):
            table = ".".join(parts[: i + 1])
    members = _members(annotation)
    is_int = int in members and float not in members
    return table, path.removeprefix(f"{table}.") if table else path, is_int


def _fill_remainder(mix: dict[str, Any], given: Mapping[str, float]) -> None:
    if REMAINDER in given or REMAINDER not in mix:
        raise ValueError(f"{MIX}.{REMAINDER} is the remainder of the other shares: set "
                         "the others")
    rest = sum(share for name, share in mix.items() if name != REMAINDER)
    if rest > 1.0:
        raise ValueError(f"{MIX}: the shares other than {REMAINDER} add up to {rest:g} > 1")
    mix[REMAINDER] = 1.0 - rest


def to_overrides(values: Mapping[str, float]) -> list[str]:
    """``--set`` strings giving each key path its value (integer fields rounded). Keys of a
    distribution table or a plain mapping are given with the whole table, the baseline's
    other keys kept (one string per table); a share of ``temperament.mix`` leaves the calm
    share the remainder."""
    out: list[str] = []
    tables: dict[str, dict[str, Any]] = {}
    for path, value in values.items():
        table, key, is_int = _shape(path)
        number: int | float = round(value) if is_int else float(value)
        if table is None:
            out.append(f"{path}={toml_value(number)}")
            continue
        if table not in tables:
            tables[table] = dict(_at(_baseline(), table))
        tables[table][key] = number
    for table, content in tables.items():
        if table == MIX:
            _fill_remainder(content, {p.removeprefix(f"{MIX}."): v for p, v in values.items()
                                      if p.startswith(f"{MIX}.")})
        out.append(f"{table}={toml_value(content)}")
    return out


def to_override(path: str, value: float) -> str:
    """The ``--set`` string giving ``path`` the value ``value`` (see :func:`to_overrides`)."""
    return to_overrides({path: value})[0]
