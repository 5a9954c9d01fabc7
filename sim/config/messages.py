"""Pydantic validation errors turned into one-line :class:`ConfigError` messages."""

from __future__ import annotations

from typing import Any

from sim.config.schema import Scenario
from sim.errors import ConfigError


def _format_loc(loc: tuple[int | str, ...]) -> str:
    """Dotted key from a pydantic error location, without union tags."""
    tags = {"exponential", "lognormal", "lognormal_median", "deterministic", "infinite"}
    parts = [str(p) for p in loc if str(p) not in tags and not str(p).startswith("function-")]
    return ".".join(parts) or "(top level)"


def _allowed_keys(loc: tuple[int | str, ...]) -> list[str]:
    model: Any = Scenario
    parts = list(loc[:-1])
    while parts:
        part = parts.pop(0)
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return []
        model = field.annotation
        if getattr(model, "__origin__", None) is dict and parts:
            model = model.__args__[1]  # a table of named entries: skip the entry's name
            parts.pop(0)
        args = getattr(model, "__args__", ())
        model = next((a for a in args if hasattr(a, "model_fields")), model)
        if not hasattr(model, "model_fields"):
            return []
    return sorted(model.model_fields)


def explain(err: Any) -> ConfigError:
    """The first error of a pydantic ``ValidationError`` (``err``) as a one-line ConfigError."""
    loc = tuple(err["loc"])
    key = _format_loc(loc)
    value = err.get("input")
    kind = err["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc)
        hint = f"allowed keys here: {', '.join(allowed)}" if allowed else "not a known key"
        return ConfigError(key, value, f"unknown key; {hint}")
    if kind == "missing":
        return ConfigError(key, "(missing)", "this key is required")
    message = str(err["msg"]).removeprefix("Value error, ")
    if kind == "union_tag_invalid":
        message = ("dist must be one of exponential, lognormal, lognormal_median, "
                   "deterministic" + (", infinite" if "patience" in key else ""))
        value = err.get("input", {}).get("dist") if isinstance(err.get("input"), dict) else value
    if kind == "union_tag_not_found":
        message = "needs a 'dist' key (exponential, lognormal, lognormal_median, deterministic)"
    return ConfigError(key, value, message[0].lower() + message[1:] if message else "invalid")
