"""Name -> class registries, one per policy family.

A policy is a small class registered under a name::

    @DISCIPLINES.register("fifo")
    class Fifo: ...

The config refers to policies by name; an unknown name is a clear error listing
the registered ones. The model never branches on policy names.

This module is a leaf: it imports nothing from ``sim``, so the config schema can check
policy names (through :func:`family`) while the policy modules import the schema. A
policy's ``from_scenario`` therefore takes the scenario loosely typed (``Any``): the
registry only passes it through; each policy class types it as ``Scenario``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar, cast

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
C = TypeVar("C")


class Factory(Protocol[T_co]):
    """A policy class: builds itself from the scenario's settings."""

    def from_scenario(self, scenario: Any) -> T_co:
        """A policy instance configured from ``scenario``."""
        ...


class Registry(Generic[T]):
    """Registered implementations of one policy family.

    Creating a registry makes it the one :func:`family` returns for its family name.
    """

    def __init__(self, family: str) -> None:
        self.family = family
        self._classes: dict[str, Factory[T]] = {}
        _FAMILIES[family] = self

    def register(self, name: str) -> Callable[[C], C]:
        """Class decorator: register ``cls`` under ``name``."""

        def decorate(cls: C) -> C:
            if name in self._classes:
                raise ValueError(f"{self.family} policy {name!r} registered twice")
            self._classes[name] = cast(Factory[T], cls)
            return cls

        return decorate

    def names(self) -> list[str]:
        """Registered names, sorted."""
        return sorted(self._classes)

    def get(self, name: str) -> Factory[T]:
        """The class registered as ``name`` (KeyError if none)."""
        return self._classes[name]

    def build(self, name: str, scenario: Any) -> T:
        """An instance of the policy ``name`` configured from ``scenario``."""
        return self._classes[name].from_scenario(scenario)

    def __contains__(self, name: object) -> bool:
        return name in self._classes


_FAMILIES: dict[str, Registry[Any]] = {}


def family(name: str) -> Registry[Any]:
    """The registry of the policy family ``name`` (e.g. ``"discipline"``).

    Raises ``KeyError`` naming the known families if no policy module created it yet
    (import :mod:`sim.config.loading`, which imports them all).
    """
    try:
        return _FAMILIES[name]
    except KeyError:
        known = ", ".join(sorted(_FAMILIES)) or "none (no policy module imported)"
        raise KeyError(f"no policy family {name!r}; known: {known}") from None
