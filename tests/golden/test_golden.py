"""Golden files: every output of every golden case is bit-identical to the committed one.

A failure means a number moved. If that was meant, regenerate with
``.venv/bin/python tests/golden/regen.py CASE`` and say in the commit what moved it.
"""

from __future__ import annotations

import difflib

import pytest
from golden_cases import CASES, Case, produce

pytestmark = pytest.mark.golden


def test_at_least_forty_cases() -> None:
    """The suite pins at least 40 cases, each with its file."""
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)
    missing = [c.name for c in CASES if not c.path.exists()]
    assert not missing, f"golden files missing (run tests/golden/regen.py): {missing}"


@pytest.mark.parametrize("lean", [True, False], ids=["lean", "general"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_case(case: Case, lean: bool) -> None:
    """Simulating the case again gives the committed text, line for line — with plain
    clerks on the lean loop and with every clerk on the general loop (one service loop:
    the lean path is proven identical to it on every case)."""
    expected = case.path.read_text()
    actual = produce(case, lean=lean)
    if actual != expected:
        diff = difflib.unified_diff(expected.splitlines(), actual.splitlines(),
                                    "golden", "now", n=0, lineterm="")
        shown = "\n".join(list(diff)[:20])
        pytest.fail(f"{case.name}: output differs from {case.path.name}:\n{shown}")
