"""Whether two ``countersim run`` folders can be compared replication by replication.

A paired comparison reads replication ``r`` of run B against replication ``r`` of run A:
the same customers (common random numbers) under two settings. That says something only
when the two runs are *related*: made with the same seed, from one scenario that differs
in the settings being compared and nothing else. Here that is judged from the resolved
scenarios the manifests hold:

* **identical**: the same folder, or the same scenario (:func:`fingerprint`, name and
  description aside) with the same seed: every paired difference is 0 by construction;
* **unrelated**: scenarios more than :data:`MAX_DIFFERENCES` settings apart
  (:func:`differences`; a distribution, a list such as ``staff.schedule``, counts as one
  setting): two different counters, not one counter under two settings;
* **related**: anything in between; the settings that differ are what is compared.

Pure: reads the manifests' dictionaries; nothing here prints or writes files.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

MAX_DIFFERENCES = 8
"""Most settings two related runs may differ in (a policy bundle changes four)."""

IGNORED = frozenset({"name", "description"})
"""Scenario keys that label a scenario without changing it."""


def settings(scenario: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """The scenario's settings by dotted key; a table is walked into, but a distribution
    (a table with ``dist``) and any list are one setting each."""
    found: dict[str, Any] = {}
    for key, value in scenario.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value and "dist" not in value:
            found.update(settings(value, f"{path}."))
        elif path not in IGNORED:
            found[path] = value
    return found


def fingerprint(scenario: Mapping[str, Any]) -> str:
    """A short hash of the scenario's settings (name and description aside): equal for two
    runs of the same scenario, whatever file or ``--set`` they came from."""
    text = json.dumps(settings(scenario), sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


ABSENT = "(absent)"


def differences(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """``(key, value in a, value in b)`` of every setting that differs, sorted by key."""
    sa, sb = settings(a), settings(b)
    return [(key, sa.get(key, ABSENT), sb.get(key, ABSENT)) for key in sorted(sa.keys() | sb.keys())
            if sa.get(key, ABSENT) != sb.get(key, ABSENT)]


def describe(found: list[tuple[str, Any, Any]], most: int = 4) -> str:
    """``acknowledgment.policy ('finish_first' → 'greet_first'), …`` for a message."""

    def show(value: Any) -> str:
        text = json.dumps(value, default=str) if not isinstance(value, str) else repr(value)
        return text if len(text) <= 30 else text[:27] + "..."

    shown = [f"{key} ({show(x)} → {show(y)})" for key, x, y in found[:most]]
    rest = len(found) - most
    return ", ".join(shown) + (f" and {rest} more" if rest > 0 else "")
