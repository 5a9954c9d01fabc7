#!/usr/bin/env python3
"""Wall time and peak memory of the main job's full robustness study as a user runs it:
``python experiments/robustness.py --jobs 2`` (six policies at 4 staff, at least 256
plausible worlds, 20 replications each), one whole process. Target (issue 15): under 20
minutes on 2 cores.

Usage::

    python3 benchmarks/bench_robust.py [--worlds 256] [--reps 20]   # -> ROBUST_RESULTS.md
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_MIN = 20.0


def main(argv: list[str] | None = None) -> int:
    """Run the study once and write the report."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--worlds", type=int, default=256)
    parser.add_argument("--reps", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "experiments" / "robustness.py"), "--jobs", "2",
             "--worlds", str(args.worlds), "--reps", str(args.reps), "--out",
             str(Path(tmp) / "robust")], env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        print("the study failed")
        return 1
    minutes = wall / 60
    text = "\n".join([
        "# The main job's robustness study: wall time", "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}", "",
        f"`python experiments/robustness.py --jobs 2 --worlds {args.worlds} --reps {args.reps}`, "
        "one whole process.", "",
        "| measure | value | target | met |", "|---|---|---|---|",
        f"| wall time (min) | {minutes:.1f} | < {TARGET_MIN:g} | "
        f"{'yes' if minutes < TARGET_MIN else 'NO'} |",
        f"| peak RSS of the main process (MB) | {usage.ru_maxrss / 1024:.0f} | – | – |", ""])
    (Path(__file__).parent / "ROBUST_RESULTS.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
