"""Reading scenarios: TOML files, ``--set key.path=value`` overrides, defaults, validation.

Importing this module imports every policy module, so all policy names are registered
before a scenario's policy names are checked.
"""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sim.config.checks import check_scenario
from sim.config.messages import explain
from sim.config.schema import Scenario
from sim.errors import ConfigError, UserInputError
from sim.policies import (  # noqa: F401  (importing them registers the policies)
    acknowledgment,
    balking,
    conduct,
    discipline,
    phone_handling,
    recovery,
    staff_rules,
)


def merge_onto(defaults: Any, given: Any, schema: Any) -> Any:
    """``given`` laid over ``defaults``, following the schema: a table of settings (a config
    object) or of named entries (``distractions.kinds``) merges key by key, so a file that
    sets one key keeps the table's other defaults. A plain mapping (``temperament.mix``), a
    distribution table (one with a ``dist`` key) and any other value replace the default."""
    if not isinstance(given, dict) or not isinstance(defaults, dict) or "dist" in given:
        return given
    fields = getattr(schema, "model_fields", None)
    entries = _entry_model(schema)
    if fields is None and entries is None:
        return given
    merged = dict(defaults)
    for key, value in given.items():
        if key not in defaults:
            merged[key] = value
        elif entries is not None:
            merged[key] = merge_onto(defaults[key], value, entries)
        elif fields is not None and key in fields:
            merged[key] = merge_onto(defaults[key], value, _model_of(fields[key].annotation))
        else:
            merged[key] = value
    return merged


def _model_of(annotation: Any) -> Any:
    """The config class (or table of entries) an annotation holds, else None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return annotation if _entry_model(annotation) is not None else None


def _entry_model(annotation: Any) -> Any:
    """For ``dict[str, SomeConfig]``: SomeConfig; else None."""
    args: tuple[Any, ...] = getattr(annotation, "__args__", ())
    if getattr(annotation, "__origin__", None) is dict and len(args) == 2:
        value = args[-1]
        if isinstance(value, type) and issubclass(value, BaseModel):
            return value
    return None


def default_data() -> dict[str, Any]:
    """Every default of a scenario, as a plain dict."""
    return Scenario().model_dump(mode="json")


def scenario_from_dict(data: dict[str, Any]) -> Scenario:
    """Validate a plain dict (as read from TOML, over the defaults) into a :class:`Scenario`."""
    try:
        scenario = Scenario.model_validate(merge_onto(default_data(), data, Scenario))
    except ValidationError as exc:
        raise explain(exc.errors()[0]) from None
    check_scenario(scenario)
    return scenario


def read_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file; a missing or malformed file is a user error."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise UserInputError(f"{path}: no such config file") from None
    except IsADirectoryError:
        raise UserInputError(f"{path}: is a directory, expected a .toml config file") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserInputError(f"{path}: not valid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise UserInputError(f"{path}: not a text file (expected UTF-8 TOML)") from None


def parse_override(text: str) -> tuple[list[str], Any]:
    """Split ``key.path=value``; the value is read as a TOML value, else as a plain string."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key or any(not part for part in key.split(".")):
        raise UserInputError(f"--set {text!r}: expected key.path=value, e.g. staff.both=3")
    raw = raw.strip()
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    return key.split("."), value


def apply_overrides(data: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Return a copy of ``data`` with each ``key.path=value`` applied (validated later)."""
    result = copy.deepcopy(data)
    for text in overrides:
        path, value = parse_override(text)
        node: Any = result
        for i, part in enumerate(path[:-1]):
            child = node.get(part) if isinstance(node, dict) else None
            if child is None:
                child = {}
                node[part] = child
            elif not isinstance(child, dict):
                raise ConfigError(".".join(path[: i + 1]), child,
                                  f"is a value, not a table, so {'.'.join(path)} cannot be set")
            node = child
        node[path[-1]] = value
    return result


def load_scenario(path: Path | str, overrides: list[str] | None = None) -> Scenario:
    """Load, override and validate a scenario file."""
    data = apply_overrides(read_toml(Path(path)), overrides or [])
    return scenario_from_dict(data)
