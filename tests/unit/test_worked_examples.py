"""The worked examples of ``docs/architecture.md`` run as written: a new acknowledgment
policy, a new discipline and a new distraction kind, each without touching the model."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "architecture.md"


def examples() -> list[str]:
    """The Python blocks of the doc's "Worked examples" section."""
    section = DOC.read_text(encoding="utf-8").split("## Worked examples", 1)[1]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


def test_the_doc_has_three_worked_examples() -> None:
    assert len(examples()) == 3


@pytest.mark.parametrize("index", range(3), ids=["acknowledgment", "discipline", "distraction"])
def test_worked_example_runs_as_written(index: int) -> None:
    """Each block runs in a fresh interpreter from the repository root; its own asserts
    check that the new policy or kind took effect."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    done = subprocess.run([sys.executable, "-c", examples()[index]], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
