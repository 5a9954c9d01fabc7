#!/usr/bin/env python3
"""Speed and memory of ``countersim fit`` as a user runs it: whole processes, best of N.

Each repeat runs ``python -m sim fit LOG --out <temp>`` in a fresh process and measures its
wall time (``time.perf_counter`` around the subprocess) and peak resident memory (the
child's ``ru_maxrss`` from ``os.wait4``). Target (issue 14): the bank's January 1999 log in
under 15 s and under 500 MB on 2 cores.

Usage::

    python3 benchmarks/bench_fit.py [LOG] [--repeat 3]   # writes benchmarks/FIT_RESULTS.md
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
DEFAULT_LOG = ROOT.parent / "shared" / "data" / "anonymous-bank-1999-01.tsv"
TARGET_S, TARGET_MB = 15.0, 500.0


def one_run(log: Path) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MB) of one ``fit`` process."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "sim", "fit", str(log), "--out",
                                 str(Path(tmp) / "fit")], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise SystemExit(f"fit failed: {err}")
        return wall, usage.ru_maxrss / 1024.0  # ru_maxrss is in KiB on Linux


def main(argv: list[str] | None = None) -> int:
    """Run the repeats and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", type=Path, nargs="?", default=DEFAULT_LOG)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if not args.log.is_file():
        print(f"no log at {args.log}: give one (e.g. the bank's month) as the argument")
        return 2
    runs = [one_run(args.log) for _ in range(args.repeat)]
    wall, rss = min(r[0] for r in runs), max(r[1] for r in runs)
    lines = ["# countersim fit: speed and memory", "",
             f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.processor() or platform.machine()}"
             f", {os.cpu_count()} cores, Python {platform.python_version()}", "",
             f"Log: `{args.log.name}`; {args.repeat} whole-process runs of "
             "`python -m sim fit LOG`.", "",
             "| measure | best / worst | target | met |", "|---|---|---|---|",
             f"| wall time (s) | {wall:.2f} / {max(r[0] for r in runs):.2f} | < {TARGET_S:g} | "
             f"{'yes' if wall < TARGET_S else 'NO'} |",
             f"| peak RSS (MB) | {min(r[1] for r in runs):.0f} / {rss:.0f} | < {TARGET_MB:g} | "
             f"{'yes' if rss < TARGET_MB else 'NO'} |", ""]
    text = "\n".join(lines)
    (Path(__file__).parent / "FIT_RESULTS.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
