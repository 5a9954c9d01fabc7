"""Name -> class registries, one per policy family.

A policy is a small class registered under a name::

    @DISCIPLINES.register("fifo")
    class Fifo: ...

The config refers to policies by name; an unknown name is a clear error listing
the registered ones. The model never branches on policy names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar, cast

if TYPE_CHECKING:
    from sim.config.schema import Scenario

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
C = TypeVar("C")


class Factory(Protocol[T_co]):
    """A policy class: builds itself from the scenario's settings."""

    def from_scenario(self, scenario: Scenario) -> T_co:
        """A policy instance configured from ``scenario``."""
        ...


class Registry(Generic[T]):
    """Registered implementations of one policy family."""

    def __init__(self, family: str) -> None:
        self.family = family
        self._classes: dict[str, Factory[T]] = {}

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

    def build(self, name: str, scenario: Scenario) -> T:
        """An instance of the policy ``name`` configured from ``scenario``."""
        return self._classes[name].from_scenario(scenario)

    def __contains__(self, name: object) -> bool:
        return name in self._classes
