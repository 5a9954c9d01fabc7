"""Settings that cannot take effect because of another setting: refused, never ignored.

A key the user gave (in the config file or with ``--set``) that the model would never read
— per-role counts while a shift schedule is set, the parameters of a policy that is not
selected, of a switched-off section or of a channel without arrivals — is an error naming
both keys and how to say what was meant. Defaults never trip a rule (only given keys count).

*The command line supersedes the file*: a switch given with ``--set`` makes moot the
file's settings it disables, so ``--set distractions.enabled=false`` on a file that tunes
distractions is fine; a key given in the same place as the switch (both in the file, or both
on the command line) or on the command line after a switch in the file is refused.
Positions: :data:`FILE` (0) the config file, :data:`COMMAND_LINE` (1) every override. The
rules are listed in ``docs/parameters.md`` ("Settings that exclude each other").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sim.config.schema import Scenario
from sim.errors import ConfigError

FILE = 0  # position of every key given in the config file
COMMAND_LINE = 1  # position of every key given with --set (or by a sweep's factor level)
DEFAULT = -1  # position of a key nobody gave


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted key → value of every leaf of nested tables (a list and a distribution table,
    one with a ``dist`` key, are leaves)."""
    if not isinstance(data, dict) or ("dist" in data and prefix):
        return {prefix: data} if prefix else {}
    leaves: dict[str, Any] = {}
    for key, value in data.items():
        leaves.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    if prefix and not data:
        leaves[prefix] = data  # an empty table given on purpose still counts as given
    return leaves


def _under(key: str, prefix: str) -> bool:
    return key == prefix or key.startswith(prefix + ".")


@dataclass
class Given:
    """Every key the user gave, with its value and the position of its last setting."""

    keys: dict[str, tuple[int, Any]]

    @classmethod
    def from_file(cls, data: dict[str, Any]) -> Given:
        """The keys of a config file (all at position 0)."""
        return cls({k: (FILE, v) for k, v in flatten(data).items()})

    def set(self, position: int, path: list[str], value: Any) -> None:
        """``--set path=value`` at ``position``: replaces every key at or under ``path``."""
        key = ".".join(path)
        self.keys = {k: v for k, v in self.keys.items() if not _under(k, key)}
        self.keys.update({k: (position, v) for k, v in flatten(value, key).items()})

    def position(self, key: str) -> int:
        """Where ``key`` (or anything under it) was last set; ``DEFAULT`` if never."""
        found = [pos for k, (pos, _) in self.keys.items() if _under(k, key)]
        return max(found, default=DEFAULT)

    def under(self, prefix: str) -> list[tuple[str, int, Any]]:
        """``(key, position, value)`` of the given keys at or under ``prefix``."""
        return [(k, pos, v) for k, (pos, v) in self.keys.items() if _under(k, prefix)]


@dataclass(frozen=True)
class Rule:
    """Keys (and the keys under them) that have no effect while ``why(scenario)`` says so.

    ``switch(scenario)`` is the key that makes them inert and ``why`` says how (None: they
    take effect); ``fix(key, value, scenario)`` says how to get what the user meant.
    """

    keys: tuple[str, ...]
    switch: Callable[[Scenario], str]
    why: Callable[[Scenario], str | None]
    fix: Callable[[str, Any, Scenario], str]
    spare: tuple[str, ...] = ()  # keys under ``keys`` that the rule leaves alone


@dataclass(frozen=True)
class Conflict:
    """A given key that cannot take effect, and the one-line error that says so."""

    key: str
    switch: str
    error: ConfigError


def conflicts(scenario: Scenario, given: Given, rules: tuple[Rule, ...]) -> list[Conflict]:
    """Every given key that a rule makes inert and that was set at or after its switch."""
    found: list[Conflict] = []
    seen: set[str] = set()
    for rule in rules:
        why = rule.why(scenario)
        if why is None:
            continue
        switch = rule.switch(scenario)
        since = given.position(switch)
        for prefix in rule.keys:
            for key, pos, value in given.under(prefix):
                if pos < since or key in seen or any(_under(key, s) for s in rule.spare):
                    continue
                seen.add(key)
                text = f"has no effect while {why}; {rule.fix(key, value, scenario)}"
                found.append(Conflict(key, switch, ConfigError(key, value, text)))
    return found



def common_conflict(per_scenario: list[list[Conflict]]) -> Conflict | None:
    """Of a sweep's scenarios: the first key that cannot take effect in *any* of them (a
    key inert in only some scenarios is a legitimate cell of a crossed design)."""
    if not per_scenario:
        return None
    for conflict in per_scenario[0]:
        if all(any(c.key == conflict.key for c in found) for found in per_scenario[1:]):
            return conflict
    return None
