"""Write failures: a disk that fills up part-way. Each case runs with a file-size limit
(``RLIMIT_FSIZE``, SIGXFSZ ignored), so a write past the limit fails with ``EFBIG`` ("File
too large") the way a full disk fails with ``ENOSPC``: at the first file, or after some
files are already written. The command must stop with one ``error:`` line that names the
path it could not write, and leave either nothing or a folder that can be resumed (one with
its ``manifest.json`` or a sweep's ``sweep.json``) — never tables without a manifest
(``replications.csv`` alone) or an empty folder. Permission errors cannot be tested this
way (the tests may run as root); an ``--out`` under a file (``ENOTDIR``) is among the
option cases."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.hardening.cases_commands import run_folder
from tests.hardening.cases_experiments import SMOKE
from tests.hardening.configs import pooled_text
from tests.hardening.harness import REFUSE, Case, Check, Outcome, Sandbox, check_case, error_lines

CATEGORY = "write-failures"


def names_path(word: str) -> Check:
    """The error line names a path containing the folder ``word``."""
    pattern = re.compile(rf"(^|[\s'\"/]){re.escape(word)}([/:'\"\s]|$)")

    def check(case: Case, out: Outcome, sandbox: Sandbox) -> list[str]:
        if out.code != 2:
            return []
        line = " ".join(error_lines(out.stderr)[1])
        return [] if pattern.search(line) else [
            f"message: a write error that does not name the path ({word}/...): {line[:200]}"]

    return check


def full(id: str, args: tuple[str, ...], fsize: int, folder: str = "out", **kw: Any) -> Case:
    """``args`` with writes limited to ``fsize`` bytes per file."""
    files = {"c.toml": pooled_text()}
    return Case(id, CATEGORY, args, files=files, expect=REFUSE, fsize=fsize, resumable=True,
                checks=(names_path(folder),), **kw)


RUN = ("run", "c.toml", "--reps", "1", "--out", "out")
CASES = [
    full("run_disk_full_at_the_first_file", RUN, 1000),
    full("run_disk_full_after_replications_csv", RUN, 7000,
         note="replications.csv left without manifest.json"),
    full("run_disk_full_at_the_manifest", ("run", "c.toml", "--reps", "1", "--out", "out",
                                           "--set", "description=" + "d" * 9000), 10500),
    full("run_disk_full_default_folder", ("run", "c.toml", "--reps", "1"), 1000, "results"),
    full("sweep_disk_full", ("sweep", "c.toml", "--reps", "1", "--no-figures", "--factor",
                             "staff=1,2", "--out", "out"), 2000),
    full("staff_disk_full", ("staff", "c.toml", "--reps", "10", "--max-iterations", "2",
                             "--target", "walkout_rate<=0.5", "--out", "out"), 500),
    full("plot_disk_full", ("plot", "runs/s"), 3000, "runs",
         setup=run_folder("runs/s", "sweep"), allowed=("runs",)),
    Case("experiment_disk_full", CATEGORY, SMOKE, program="acknowledgment.py", expect=REFUSE,
         fsize=2000, resumable=True, checks=(names_path("out"),)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_write_failure(case: Case, tmp_path: Path) -> None:
    check_case(case, tmp_path)
