"""The notebook example (``examples/notebook.py``) runs top to bottom as a script, in a fresh
interpreter from the repository folder, prints its tables and writes nothing there."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import REPO, cli_env, files_under


def test_api_notebook_example_runs_as_a_script() -> None:
    before = files_under(REPO / "results") if (REPO / "results").exists() else set()
    done = subprocess.run([sys.executable, "examples/notebook.py"], cwd=REPO, env=cli_env(None),
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    for shown in ("walkout_rate", "utilization", "acknowledgment.policy", "walkout_vs_staff"):
        assert shown in done.stdout, shown
    assert "Traceback" not in done.stderr
    after = files_under(REPO / "results") if (REPO / "results").exists() else set()
    assert after == before
