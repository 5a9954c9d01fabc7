"""Test files have unique basenames: pytest imports each by its basename, so two files of
the same name in different folders stop the whole suite at collection."""

from __future__ import annotations

from collections import Counter

from tests.helpers import REPO


def test_no_two_test_files_share_a_name() -> None:
    names = Counter(p.name for p in (REPO / "tests").rglob("test_*.py"))
    assert [n for n, k in names.items() if k > 1] == []
