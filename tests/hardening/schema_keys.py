"""Every key path of the scenario schema, found by walking ``Scenario``'s pydantic fields.

A :class:`Key` is a dotted path and the kind of value it holds (``int``, ``float``,
``bool``, ``str``, ``clock``, ``literal``, ``list``, ``dist``, ``table``, ``dict``, ``any``).
Tables of named entries (``distractions.kinds``, ``temperament.mix``) list the entries the
defaults hold plus one new name; distribution tables list each distribution's own keys.
Nothing here is hard-coded: a field added to the schema is fuzzed too.
"""

from __future__ import annotations

import functools
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from sim.config.schema import Scenario

NEW_ENTRY = "fuzz_entry"


@dataclass(frozen=True)
class Key:
    """One key path and what it holds."""

    path: str
    kind: str
    choices: tuple[Any, ...] = ()  # literal values, or the valid ``dist`` names


def _strip(annotation: Any) -> Any:
    """``Annotated[X, ...]`` → X."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _union_members(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        return [_strip(a) for a in typing.get_args(annotation)]
    return [annotation]


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _defaults() -> dict[str, Any]:
    return Scenario().model_dump(mode="json")


def _default_at(path: str) -> Any:
    node: Any = _defaults()
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _walk(annotation: Any, path: str, out: list[Key]) -> None:
    annotation = _strip(annotation)
    members = [m for m in _union_members(annotation) if m is not type(None)]
    if len(members) > 1:
        models = [m for m in members if _is_model(m)]
        if models and len(models) == len(members) and all("dist" in m.model_fields
                                                           for m in models):
            names = tuple(typing.get_args(_strip(m.model_fields["dist"].annotation))[0]
                          for m in models)
            out.append(Key(path, "dist", names))
            for model in models:
                for name, field in model.model_fields.items():
                    if name != "dist":
                        _walk(field.annotation, f"{path}.{name}", out)
            return
        literal = [m for m in members if typing.get_origin(m) is typing.Literal]
        out.append(Key(path, "any", tuple(v for m in literal for v in typing.get_args(m))))
        for m in members:
            if typing.get_origin(m) is list:
                item = _strip(typing.get_args(m)[0])
                if _is_model(item):
                    for name, field in item.model_fields.items():
                        _walk(field.annotation, f"{path}.0.{name}", out)
        return
    annotation = members[0] if members else annotation
    if _is_model(annotation):
        out.append(Key(path, "table"))
        for name, field in annotation.model_fields.items():
            _walk(field.annotation, f"{path}.{name}" if path else name, out)
        return
    origin = typing.get_origin(annotation)
    if origin is dict:
        out.append(Key(path, "dict"))
        value = _strip(typing.get_args(annotation)[1])
        default = _default_at(path)
        entries = [*(default if isinstance(default, dict) else {}), NEW_ENTRY]
        for entry in entries:
            _walk(value, f"{path}.{entry}", out)
        return
    if origin is list:
        out.append(Key(path, "list"))
        item = _strip(typing.get_args(annotation)[0])
        if _is_model(item):
            for name, field in item.model_fields.items():
                _walk(field.annotation, f"{path}.0.{name}", out)
        return
    if origin is typing.Literal:
        out.append(Key(path, "literal", typing.get_args(annotation)))
        return
    kind = {bool: "bool", int: "int", float: "float", str: "str"}.get(annotation, "any")
    if kind == "str" and path.split(".")[-1] in ("open", "close", "start", "end"):
        kind = "clock"
    out.append(Key(path, kind))


@functools.cache
def schema_keys() -> tuple[Key, ...]:
    """Every key path of the schema (tables too), in schema order. Paths inside a list of
    tables use the index 0 (``staff.schedule.0.both``)."""
    out: list[Key] = []
    _walk(Scenario, "", out)
    seen: set[str] = set()
    unique = []
    for key in out:  # a key several distributions share (mean_s) once
        if key.path and key.path not in seen:
            seen.add(key.path)
            unique.append(key)
    return tuple(unique)


def default_at(path: str) -> Any:
    """The default value at ``path`` (None when the path has none)."""
    return _default_at(path)
