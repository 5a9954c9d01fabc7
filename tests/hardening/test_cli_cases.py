"""The adversarial cases of issue 12, by category (the case lists are in ``cases_*.py``;
the contract each is held to is in ``harness.py``). A failing case says which rule it
broke: ``traceback``, ``hang``, ``silent no-op``, ``leftover``, ``multi-line error``,
``outside write``, ``accepted``, ``message``, ..."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.hardening import (
    cases_calibration,
    cases_callbacks,
    cases_cli,
    cases_commands,
    cases_config,
    cases_experiments,
    cases_retrials,
)
from tests.hardening.harness import Case, check_case

CASES: list[Case] = (cases_config.all_cases() + cases_cli.all_cases()
                     + cases_commands.all_cases() + cases_experiments.experiment_cases()
                     + cases_calibration.all_cases() + cases_retrials.retrial_cases()
                     + cases_retrials.theory_retrial_cases() + cases_callbacks.all_cases())


def test_case_ids_are_unique_and_there_are_enough() -> None:
    ids = Counter(c.id for c in CASES)
    assert not [i for i, n in ids.items() if n > 1], "duplicate case ids"
    assert len(CASES) >= 220


@pytest.mark.parametrize("case", CASES, ids=[f"{c.category}:{c.id}" for c in CASES])
def test_case(case: Case, tmp_path: Path) -> None:
    check_case(case, tmp_path)
