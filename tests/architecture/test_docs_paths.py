"""The docs name only files and modules that exist: every ``sim/...`` path and every
``sim.<module>`` dotted name in ``README.md`` and ``docs/*.md`` resolves in the repository."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from tests.helpers import REPO

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
PATH = re.compile(r"\bsim/[\w/]*\w(?:\.py)?")
MODULE = re.compile(r"`(sim(?:\.\w+)+)")


@pytest.mark.parametrize("doc", DOCS, ids=[d.name for d in DOCS])
def test_every_path_named_exists(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    missing = sorted({p for p in PATH.findall(text) if not (REPO / p).exists()})
    assert not missing, f"{doc}: no such file or folder: {missing}"


@pytest.mark.parametrize("doc", DOCS, ids=[d.name for d in DOCS])
def test_every_module_named_exists(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    missing = sorted(name for name in set(MODULE.findall(text)) if not _names_a_module(name))
    assert not missing, f"{doc}: no such module: {missing}"


def _names_a_module(name: str) -> bool:
    """True if ``name``, or a prefix of it below ``sim`` (the rest an attribute), is a module."""
    parts = name.split(".")
    return any(_is_module(".".join(parts[:n])) for n in range(len(parts), 1, -1))


def test_the_checks_can_fail() -> None:
    assert not _names_a_module("sim.counter_plain._plain_clerk")
    assert _names_a_module("sim.theory.erlang_a_metrics")
    assert PATH.findall("see `sim/counter_plain.py`") == ["sim/counter_plain.py"]


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False
