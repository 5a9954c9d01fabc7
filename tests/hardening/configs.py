"""Small scenarios for the hardening harness and a TOML writer for generated ones.

``SMALL`` is ``experiments/configs/baseline.toml`` cut to one hour (09:00-10:00): the same
behaviours, distractions and pooled staff *on a schedule* (so ``staff.both`` cannot take
effect, as in the shipped baseline), two profile slots. ``POOLED`` is the same hour with
two pooled staff all day and no schedule. One replication of either takes a few
hundredths of a second.
"""

from __future__ import annotations

import copy
import functools
import math
import re
import tomllib
from collections.abc import Mapping
from typing import Any

from tests.hardening.harness import baseline_text
from tests.helpers import BASELINE

_CUTS = (
    ('close = "17:00"', 'close = "10:00"'),
    ("profile = [0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.4, 1.5, 1.4, 1.1, 0.9, 0.9, 1.0, 1.1, 1.0, 0.6]",
     "profile = [0.9, 1.1]"),
    ("profile = [0.8, 1.3, 1.4, 1.2, 1.0, 0.9, 0.8, 0.8, 0.9, 1.0, 1.1, 1.0, 0.9, 1.0, 1.0, 0.9]",
     "profile = [1.2, 0.8]"),
    ('  { start = "09:00", end = "11:00", both = 3 },\n'
     '  { start = "11:00", end = "14:00", both = 5 },\n'
     '  { start = "14:00", end = "17:00", both = 4 },\n',
     '  { start = "09:00", end = "09:30", both = 2 },\n'
     '  { start = "09:30", end = "10:00", both = 3 },\n'),
    ('name = "baseline"', 'name = "small"'),
)


@functools.cache
def erlang_text() -> str:
    """``experiments/configs/erlang_a.toml`` (validation mode) cut to two hours
    (one of warm-up): a
    scenario unrelated to ``SMALL`` (many settings differ)."""
    text = (BASELINE.parent / "erlang_a.toml").read_text(encoding="utf-8")
    assert text.count('close = "24:00"') == 1, "erlang_a.toml changed shape"
    return text.replace('close = "24:00"', 'close = "02:00"')


@functools.cache
def small_text() -> str:
    """The shipped baseline cut to one hour, staff on a schedule (name ``small``)."""
    text = baseline_text()
    for old, new in _CUTS:
        assert text.count(old) == 1, f"baseline.toml changed shape: {old!r} not found once"
        text = text.replace(old, new)
    return text


@functools.cache
def pooled_text() -> str:
    """``SMALL`` with two pooled staff all day instead of the schedule (name ``pooled``)."""
    return toml_dumps(merged({"name": "pooled"}, drop=("staff.schedule",),
                             extra={"staff": {"both": 2}}))


def small_dict() -> dict[str, Any]:
    """``SMALL`` as a dict (a fresh copy)."""
    return tomllib.loads(small_text())


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    node = data
    parts = path.split(".")
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[parts[-1]] = value


def merged(patch: Mapping[str, Any] | None = None, drop: tuple[str, ...] = (),
           extra: Mapping[str, Any] | None = None, base: dict[str, Any] | None = None,
           ) -> dict[str, Any]:
    """``SMALL`` (or ``base``) with dotted ``patch`` keys set, ``drop`` keys removed and the
    nested ``extra`` tables merged in."""
    data = copy.deepcopy(base) if base is not None else small_dict()
    for path in drop:
        node: Any = data
        parts = path.split(".")
        for part in parts[:-1]:
            node = node.get(part, {})
        node.pop(parts[-1], None)
    for path, value in (patch or {}).items():
        _set(data, path, value)

    def deep(into: dict[str, Any], more: Mapping[str, Any]) -> None:
        for k, v in more.items():
            if isinstance(v, Mapping) and isinstance(into.get(k), dict):
                deep(into[k], v)
            else:
                into[k] = copy.deepcopy(v)

    deep(data, extra or {})
    return data


def config(patch: Mapping[str, Any] | None = None, drop: tuple[str, ...] = (),
           extra: Mapping[str, Any] | None = None, pooled: bool = False) -> str:
    """TOML text of ``SMALL`` (or ``POOLED``) changed as :func:`merged` says."""
    base = tomllib.loads(pooled_text()) if pooled else None
    return toml_dumps(merged(patch, drop, extra, base))


# ---------------------------------------------------------------------------- TOML writer

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def toml_string(text: str) -> str:
    """A TOML basic string (control characters and DEL escaped)."""
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def toml_key(key: str) -> str:
    """A bare key where allowed, else a quoted one."""
    return key if _BARE.match(key) else toml_string(key)


def toml_value(value: Any) -> str:
    """Any JSON-like value as an inline TOML value (floats may be nan or ±inf)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{toml_key(str(k))} = {toml_value(v)}"
                               for k, v in value.items()) + "}"
    raise TypeError(f"no TOML for {value!r}")


def toml_dumps(data: Mapping[str, Any]) -> str:
    """A TOML document: one ``key = value`` line per top-level key (tables inline)."""
    return "".join(f"{toml_key(str(k))} = {toml_value(v)}\n" for k, v in data.items())
