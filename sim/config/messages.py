"""Pydantic validation errors turned into one-line :class:`ConfigError` messages: the key
(without pydantic's internal union tags), the value, what is allowed and, where it helps, an
example of the right shape."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from sim.config.distributions import (
    Deterministic,
    Empirical,
    Exponential,
    Gamma,
    Infinite,
    Lognormal,
    LognormalMedian,
    Weibull,
)
from sim.config.limits import show_limit
from sim.config.schema import Scenario
from sim.errors import ConfigError

DISTRIBUTIONS: dict[str, type[BaseModel]] = {
    "exponential": Exponential, "lognormal": Lognormal, "lognormal_median": LognormalMedian,
    "weibull": Weibull, "gamma": Gamma, "empirical": Empirical,
    "deterministic": Deterministic, "infinite": Infinite}
DURATION_KEYS = ("service", "patience", "hold_patience", "duration", "delay")
_TYPE_TAG = re.compile(r"^(int|float|str|bool|none|constrained-\w+)$")

#: What a key allows, where the bare pydantic message would not say (key pattern → text).
HINTS: tuple[tuple[str, str], ...] = (
    (r"staff", "a table, e.g. [staff] both = 4 (on the command line, --set staff=4 means 4 "
     "pooled staff all day)"),
    (r"staff\.traits", "'random', 'average' or a list of tables, one per staff member, of "
     "Big Five z-scores from -5 to 5 (0 = average)"),
    (r"staff\.traits\.\d+\.\w+", "a z-score from -5 to 5 (0 = average)"),
    (r"staff\.bias(\.\d+)?", "a number from 0 to 1, or a list of them (one per staff member)"),
    (r"market\.new_patrons_per_day", "'balanced' or a number of patrons per day from 0 to "
     "10000000"),
    (r"demand\.phone\.lines", "a whole number from 1 to 1000000 (leave it out for unlimited)"),
    (r"staff\.schedule", 'a list of shifts, e.g. [{start = "09:00", end = "12:00", both = 3}]'),
    (r"demand\.\w+\.profile", "a list of multipliers from 0 to 100, one per slot ([] for flat)"),
    (r"distractions\.kinds", "a table of kinds, each a table of settings, e.g. "
     "{paperwork = {idle_rate_per_hour = 2}}"),
    (r"temperament\.(mix|patience|service)|loyalty\.sensitivity", "a table of numbers by "
     "temperament, e.g. {calm = 0.6, angry = 0.4}"),
    (r"[\w.]+\.quantiles_s", "2 to 1001 durations in seconds, at least 0 and "
     "non-decreasing: the quantiles at probabilities 0, 1/n, ..., 1"),
    (r"temperament\.party_sizes", "a list of probabilities of parties of 1, 2, ... adding up "
     "to 1, e.g. [0.8, 0.2]"),
)
_PLAIN = {
    "float_type": "must be a number", "int_type": "must be a whole number",
    "int_from_float": "must be a whole number", "bool_type": "must be true or false",
    "string_type": "must be a quoted string", "list_type": "must be a list [...]",
    "finite_number": "must be a finite number (not inf or nan)",
    "dict_type": "must be a table {...}",
}
_LENGTH = {"too_short": "at least", "too_long": "at most"}
_BOUNDS = {"greater_than_equal": ("ge", "at least"), "less_than_equal": ("le", "at most"),
           "greater_than": ("gt", "more than"), "less_than": ("lt", "less than")}


class Shown(str):
    """A value shown as is (not quoted) in an error message."""

    def __repr__(self) -> str:
        return str(self)


def _is_tag(part: int | str) -> bool:
    text = str(part)
    return ("[" in text or text in DISTRIBUTIONS or text.startswith("function-")
            or bool(_TYPE_TAG.match(text)))


def _format_loc(loc: tuple[int | str, ...]) -> str:
    """Dotted key from a pydantic error location, without union tags."""
    return ".".join(str(p) for p in loc if not _is_tag(p)) or "(top level)"


def _inner(annotation: Any) -> tuple[Any, bool]:
    """The config class an annotation holds (through unions, lists and tables of named
    entries), and whether the next key part is an index or an entry's name."""
    origin = getattr(annotation, "__origin__", None)
    if origin in (list, dict):
        return annotation.__args__[-1], True
    for member in getattr(annotation, "__args__", ()):
        if hasattr(member, "model_fields") or getattr(member, "__origin__", None) in (list, dict):
            return _inner(member) if not hasattr(member, "model_fields") else (member, False)
    return annotation, False


def _model_at(loc: tuple[int | str, ...]) -> Any:
    """The config class at ``loc`` (a section, a list item, a table entry or a
    distribution), or None."""
    model: Any = Scenario
    skip = False  # the next part is a list index or the name of a table's entry
    for part in loc:
        if skip or str(part) in DISTRIBUTIONS:
            model = model if skip else DISTRIBUTIONS[str(part)]
            skip = False
            continue
        fields = getattr(model, "model_fields", None)
        if fields is None or part not in fields:
            return None
        model, skip = _inner(fields[part].annotation)
    return model if hasattr(model, "model_fields") and not skip else None


def _allowed_keys(loc: tuple[int | str, ...]) -> list[str]:
    parts = [p for p in loc[:-1] if not _is_tag(p) or str(p) in DISTRIBUTIONS]
    model = _model_at(tuple(parts))
    return sorted(model.model_fields) if model is not None else []


def _pick(errors: list[Any]) -> Any:
    """The most telling error about the first key that failed: the one that got deepest
    into its value (of a union, the member the value was meant for)."""
    first = _format_loc(tuple(errors[0]["loc"]))
    same = [e for e in errors if _format_loc(tuple(e["loc"])).startswith(first)]
    return max(same, key=lambda e: len([p for p in e["loc"] if not _is_tag(p)]))


def _hint(key: str) -> str | None:
    return next((text for pattern, text in HINTS if re.fullmatch(pattern, key)), None)


def _sub_key(key: str, value: Any, message: str) -> tuple[str, Any]:
    """A check of a whole table whose message starts with one of its keys ("close (...)
    must be after open"): the error is that key's."""
    match = re.match(r"(\w+)\b", message)
    if isinstance(value, dict) and match and match.group(1) in value:
        return f"{key}.{match.group(1)}", value[match.group(1)]
    return key, value


def _distribution_message(key: str, kind: str, value: Any) -> str | None:
    if key.rpartition(".")[2] not in DURATION_KEYS:
        return None
    names = ", ".join(n for n in DISTRIBUTIONS if n != "infinite" or "patience" in key)
    if kind in ("union_tag_invalid", "union_tag_not_found", "model_attributes_type",
                "dict_type", "model_type"):
        return (f"must be a table with dist = one of {names}, e.g. "
                '{dist = "exponential", mean_s = 60}')
    return None


def _message(err: Any, key: str, kind: str) -> str:
    message = str(err["msg"]).removeprefix("Value error, ")
    message = message[:1].lower() + message[1:]
    if kind in _BOUNDS:
        name, words = _BOUNDS[kind]
        bound = err.get("ctx", {}).get(name, "?")
        message = f"must be {words} {show_limit(bound) if isinstance(bound, float) else bound}"
    if kind in _LENGTH:
        ctx = err.get("ctx", {})
        bound = ctx.get("min_length" if kind == "too_short" else "max_length", "?")
        message = f"must hold {_LENGTH[kind]} {bound} values, not {ctx.get('actual_length')}"
    message = _PLAIN.get(kind, message)
    if kind in ("model_type", "model_attributes_type"):
        model = _model_at(tuple(p for p in err["loc"] if not _is_tag(p)))
        fields = list(model.model_fields) if model is not None else ["KEY"]
        message = (f"must be a table (keys: {', '.join(sorted(fields))}); set one key at a "
                   f"time, e.g. {key}.{fields[0]}=VALUE")
    hint = _hint(key)
    if hint is not None and _is_tag(err["loc"][-1]):  # the value fits no member of a union
        message = f"must be {hint}"
    elif hint is not None:
        message = f"{message}; allowed: {hint}"
    return message or "invalid"


def explain(err: Any, errors: list[Any] | None = None) -> ConfigError:
    """A pydantic error (``err``, or the most telling of ``errors``) as a one-line
    ConfigError naming the key, the value, what is allowed and the fix."""
    err = _pick(errors) if errors else err
    loc = tuple(err["loc"])
    key = _format_loc(loc)
    value = err.get("input")
    kind = err["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc)
        hint = f"allowed keys here: {', '.join(allowed)}" if allowed else "not a known key"
        return ConfigError(key, value, f"unknown key; {hint}")
    if kind == "missing":
        allowed = _allowed_keys(loc)
        return ConfigError(key, Shown("(missing)"), "this key is required" + (
            f" (keys here: {', '.join(allowed)})" if allowed else ""))
    dist = _distribution_message(key, kind, value)
    if dist is not None:
        shown = value.get("dist") if isinstance(value, dict) and "dist" in value else value
        return ConfigError(key, shown, dist)
    message = _message(err, key, kind)
    if kind == "value_error":
        key, value = _sub_key(key, value, message)
    return ConfigError(key, value, message)
