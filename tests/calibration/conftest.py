"""Fixtures of the calibration tests: the synthetic contact log as a canonical frame, and
the real bank call log (skipped when it is not beside the repository)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim.calibration.adapters import read_log
from tests.helpers import REPO

DATA = Path(__file__).with_name("data")
SYNTHETIC = DATA / "synthetic_contacts.csv"
BANK_NAME = "anonymous-bank-1999-01.tsv"


def bank_candidates() -> list[Path]:
    """Where the real bank log may be: ``../shared/data/`` beside the repository, or beside
    the main checkout when the repository is a git worktree (its ``.git`` is a file)."""
    roots = [REPO]
    git = REPO / ".git"
    if git.is_file():  # "gitdir: <main>/.git/worktrees/<name>"
        gitdir = Path(git.read_text(encoding="utf-8").partition("gitdir:")[2].strip())
        if len(gitdir.parents) > 2:
            roots.append(gitdir.parents[2])
    return [root.parent / "shared" / "data" / BANK_NAME for root in roots]


@pytest.fixture(scope="session")
def synthetic_log() -> pd.DataFrame:
    """The canonical frame of ``data/synthetic_contacts.csv``."""
    return read_log(SYNTHETIC).frame


@pytest.fixture(scope="session")
def bank_path() -> Path:
    """The real January 1999 bank call log, or a skip when it is absent."""
    for path in bank_candidates():
        if path.is_file():
            return path
    pytest.skip(f"real data ../shared/data/{BANK_NAME} absent: skipping")
