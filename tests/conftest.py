"""Fixtures shared by every test tier. Plain helper functions and constants are in
``tests/helpers.py``; tier-specific fixtures stay in that tier's ``conftest.py``."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest

from tests.helpers import CLI_TIMEOUT_S, CliRunner, run_cli


@pytest.fixture
def work_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder that is also the working directory, so that anything written to a
    default location (``results/``) lands in it and can be seen."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def cli(tmp_path: Path) -> CliRunner:
    """Run the real command line, ``python -m sim ARGS``, in a subprocess whose working
    folder is ``tmp_path``."""

    def run(*args: str, timeout: float = CLI_TIMEOUT_S,
            env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return run_cli(tmp_path, *args, timeout=timeout, env=env)

    return run
