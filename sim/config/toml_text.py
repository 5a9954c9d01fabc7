"""TOML text from plain data (the JSON form of a scenario): a small writer for the shapes a
scenario has, so ``countersim check`` can print a resolved scenario as the TOML a user
writes (the standard library reads TOML but does not write it, and the project does not
depend on ``tomli-w`` for this one use).

Shapes: tables (``[section]``, nested ``[section.sub]``), strings, booleans, integers,
floats (``inf`` and ``nan`` included), arrays (on one line; an array of tables one table
per line) and tables inside arrays or
marked *inline* (written ``{ key = value, ... }``, as distributions and schedules are in
the shipped configs). ``None`` has no TOML form: such a key is left out (the scenario's
default for an absent optional key). ``tomllib.loads(toml_text(data))`` gives ``data``
back, ``None`` values aside.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}


def key(name: str) -> str:
    """A TOML key: bare if it can be, else a quoted string."""
    return name if _BARE_KEY.match(name) else string(name)


def string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for c in text:
        if c in _ESCAPES:
            out.append(_ESCAPES[c])
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04X}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def value(item: Any) -> str:
    """A TOML value written on one line (tables inline)."""
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, float):
        if math.isnan(item):
            return "nan"
        return repr(item) if math.isfinite(item) else ("inf" if item > 0 else "-inf")
    if isinstance(item, str):
        return string(item)
    if isinstance(item, Mapping):
        pairs = [f"{key(k)} = {value(v)}" for k, v in item.items() if v is not None]
        return "{ " + ", ".join(pairs) + " }" if pairs else "{}"
    if isinstance(item, Sequence):
        return "[" + ", ".join(value(v) for v in item) + "]"
    raise TypeError(f"no TOML form for {type(item).__name__}: {item!r}")


def _entry(item: Any) -> str:
    """A key's value: an array of tables one table per line (as a schedule is written),
    anything else on one line."""
    if isinstance(item, Sequence) and not isinstance(item, str) and item \
            and any(isinstance(v, Mapping) for v in item):
        return "[\n" + "".join(f"  {value(v)},\n" for v in item) + "]"
    return value(item)


Inline = Callable[[tuple[str, ...], Mapping[str, Any]], bool]
"""Whether the table at a dotted path is written inline (``{ ... }``) in its parent."""


def toml_text(data: Mapping[str, Any], inline: Inline = lambda path, table: False) -> str:
    """``data`` as a TOML document: each table's own keys, then its sub-tables."""
    lines: list[str] = []
    _table(data, (), inline, lines)
    return "\n".join(lines).strip("\n") + "\n"


def _table(data: Mapping[str, Any], path: tuple[str, ...], inline: Inline,
           lines: list[str]) -> None:
    def nested(name: str, item: Any) -> bool:
        return isinstance(item, Mapping) and not inline((*path, name), item)

    own = [(k, v) for k, v in data.items() if v is not None and not nested(k, v)]
    subtables = [(k, v) for k, v in data.items() if nested(k, v)]
    if path and (own or not subtables):
        lines += ["", f"[{'.'.join(key(p) for p in path)}]"]
    lines += [f"{key(k)} = {_entry(v)}" for k, v in own]
    for name, table in subtables:
        _table(table, (*path, name), inline, lines)
