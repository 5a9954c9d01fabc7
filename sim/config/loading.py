"""Reading scenarios: TOML files, ``--set key.path=value`` overrides, defaults, validation.

Importing this module imports every policy module, so all policy names are registered
before a scenario's policy names are checked.
"""

from __future__ import annotations

import copy
import stat
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sim.config.checks import check_scenario
from sim.config.exclusion_rules import find_conflicts
from sim.config.exclusions import COMMAND_LINE, Conflict, Given
from sim.config.limits import MAX_STAFF
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
        raise explain(exc.errors()[0], exc.errors()) from None
    check_scenario(scenario)
    return scenario


BOM = "\ufeff"
EXAMPLE = "experiments/configs/baseline.toml"


def read_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file (a UTF-8 byte-order mark is skipped); a missing, unreadable or
    malformed file is a user error."""
    try:
        text = _read_text_file(path).removeprefix(BOM)
        return tomllib.loads(text)
    except RecursionError:
        raise UserInputError(f"{path}: not a config: tables or lists nested too deeply to "
                             "read; a scenario nests at most a few levels") from None
    except FileNotFoundError:
        raise UserInputError(f"{path}: no such config file") from None
    except IsADirectoryError:
        raise UserInputError(f"{path}: is a directory, expected a .toml config file") from None
    except NotADirectoryError:
        raise UserInputError(f"{path}: cannot read the config: a part of the path is a file, "
                             "not a folder; give the path of a .toml file") from None
    except PermissionError:
        raise UserInputError(f"{path}: cannot read the config: permission denied") from None
    except OSError as exc:
        raise UserInputError(f"{path}: cannot read the config: "
                             f"{exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserInputError(f"{path}: not valid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise UserInputError(f"{path}: not a text file (expected UTF-8 TOML)") from None


MAX_CONFIG_BYTES = 1_000_000  # a scenario file is a few kilobytes


def _read_text_file(path: Path) -> str:
    """The text of a file of at most :data:`MAX_CONFIG_BYTES` (a pipe would block and a
    device such as ``/dev/zero`` or a huge file would fill memory: refused; ``/dev/null``
    reads as empty)."""
    mode = path.stat().st_mode  # before opening: opening a pipe waits for a writer
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        raise UserInputError(f"{path}: a pipe or socket, not a file (reading it could wait "
                             "forever); give the path of a .toml config file")
    with path.open("rb") as fh:
        data = fh.read(MAX_CONFIG_BYTES + 1)
    if len(data) > MAX_CONFIG_BYTES:
        raise UserInputError(f"{path}: larger than {MAX_CONFIG_BYTES:,} bytes, too large for "
                             "a scenario file (a few kilobytes); give the .toml config file")
    return data.decode("utf-8")


def read_config(path: Path) -> dict[str, Any]:
    """:func:`read_toml`, refusing a file without a single setting (an empty file or
    ``/dev/null`` would silently run a default scenario nobody arrives in)."""
    data = read_toml(path)
    if not data:
        raise UserInputError(
            f"{path}: empty config (no settings); a scenario needs at least its arrivals and "
            "staff, e.g. [demand.walk_in] rate_per_hour = 20 and [staff] both = 2; start "
            f"from a copy of {EXAMPLE}")
    return data


def _toml_value(key: str, raw: str, option: str = "--set") -> Any:
    """``raw`` read as a TOML value; a bare word is a string; a broken table, list or quoted
    string is an error (it was meant as TOML) naming ``option`` (``--set``, ``--factor``)."""
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except RecursionError:
        raise UserInputError(f"{option} {key}: value nested too deeply; a setting nests at "
                             "most a few tables or lists") from None
    except tomllib.TOMLDecodeError as exc:
        if raw[:1] in ("{", "[", '"', "'"):
            reason = str(exc).split(" (at ")[0]
            raise UserInputError(
                f"{option} {key}={raw}: malformed TOML value ({reason}); close every brace, "
                f"bracket and quote, e.g. {option} 'demand.walk_in.service={{dist="
                "\"exponential\", mean_s=300}' (quote the whole argument for the "
                "shell)") from None
        return raw


def parse_override(text: str, option: str = "--set") -> tuple[list[str], Any]:
    """Split ``key.path=value``; the value is read as a TOML value, else as a plain string.
    Errors name ``option``: ``--set``, or ``--factor`` for a sweep's levels."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key or any(not part for part in key.split(".")):
        raise UserInputError(f"{option} {text!r}: expected key.path=value, e.g. staff.both=3")
    return key.split("."), _toml_value(key, raw.strip(), option)


def staff_shorthand(value: Any) -> list[tuple[list[str], Any]]:
    """``staff=N``: N pooled staff all day (no schedule), as ``--factor staff=N`` means."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_STAFF:
        raise ConfigError(
            "staff", value, f"staff=N is shorthand for N pooled staff all day (no schedule), "
            f"N a whole number from 1 to {MAX_STAFF}; for other staffing set staff.both, "
            "staff.counter, staff.phone or staff.schedule")
    return [(["staff", "schedule"], []), (["staff", "counter"], 0), (["staff", "phone"], 0),
            (["staff", "both"], value)]


def expand_override(text: str) -> list[tuple[list[str], Any]]:
    """The settings one ``--set`` makes: itself, or what a shorthand stands for."""
    path, value = parse_override(text)
    if path == ["staff"] and not isinstance(value, dict):
        return staff_shorthand(value)
    return [(path, value)]


def _set(data: dict[str, Any], path: list[str], value: Any) -> None:
    node: Any = data
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


def apply_overrides(data: dict[str, Any], overrides: list[str],
                    given: Given | None = None) -> dict[str, Any]:
    """Return a copy of ``data`` with each ``key.path=value`` applied (validated later);
    ``given`` (if any) learns which keys the command line set."""
    result = copy.deepcopy(data)
    for text in overrides:
        for path, value in expand_override(text):
            _set(result, path, value)
            if given is not None:
                given.set(COMMAND_LINE, path, value)
    return result


def load_with_conflicts(path: Path | str, overrides: list[str] | None = None,
                        ) -> tuple[Scenario, list[Conflict]]:
    """Load, override and validate a scenario file; also every given key that cannot take
    effect (:mod:`sim.config.exclusions`), for the caller to refuse."""
    data = read_config(Path(path))
    given = Given.from_file(data)
    scenario = scenario_from_dict(apply_overrides(data, overrides or [], given))
    return scenario, find_conflicts(scenario, given)


def load_scenario(path: Path | str, overrides: list[str] | None = None) -> Scenario:
    """Load, override and validate a scenario file; a given key that cannot take effect is
    refused."""
    scenario, conflicts = load_with_conflicts(path, overrides)
    if conflicts:
        raise conflicts[0].error
    return scenario
