"""Run the hardening harness and print its failures grouped by category and by kind of
problem: the to-do list of issue 12.

Usage (from the repository root)::

    python tests/hardening/report.py                 # the whole harness
    python tests/hardening/report.py -k config-values   # any pytest arguments

Each failing case's first message line is ``[category] case: kind: detail; kind: ...``
(see :func:`harness.judge`); this script runs pytest with a JUnit XML report and sorts
those lines.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
_LINE = re.compile(r"^(?:AssertionError: )?\[(?P<category>[^\]]+)\] (?P<rest>.*)$")
_KIND = re.compile(r"(?:^|; )([a-z][a-z -]*?):")


def failures(junit: Path) -> list[tuple[str, str, float]]:
    """(category, first message line, seconds) of every failing test in a JUnit report."""
    found = []
    for case in ET.parse(junit).iter("testcase"):
        failure = case.find("failure")
        if failure is None:
            failure = case.find("error")
        if failure is None:
            continue
        text = (failure.get("message") or "").strip().splitlines() or ["?"]
        match = _LINE.match(text[0])
        category = match["category"] if match else case.get("classname", "?").split(".")[-1]
        line = match["rest"] if match else f"{case.get('name')}: {text[0]}"
        if category == "fuzz":  # every failing example follows on its own lines
            line += " | " + " ".join(x.strip() for x in text[1:])
        found.append((category, line, float(case.get("time") or 0)))
    return found


def main(argv: list[str]) -> int:
    """Run pytest on the harness, then print the grouped failures; pytest's exit code."""
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "junit.xml"
        done = subprocess.run([sys.executable, "-m", "pytest", str(HERE), "-q", "--tb=no",
                               "-p", "no:cacheprovider", f"--junitxml={junit}", *argv],
                              check=False)
        found = failures(junit)
        total_s = sum(float(c.get("time") or 0) for c in ET.parse(junit).iter("testcase"))
    by_category: dict[str, list[str]] = defaultdict(list)
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    for category, line, _ in found:
        by_category[category].append(line)
        kinds[category].update(set(_KIND.findall(line.split(": ", 1)[-1])))
    print(f"\n{len(found)} failing, {total_s:.0f} s of test time\n")
    for category in sorted(by_category):
        counts = ", ".join(f"{k} {n}" for k, n in kinds[category].most_common())
        print(f"== {category}: {len(by_category[category])} failing ({counts})")
        for line in sorted(by_category[category]):
            print(f"  - {line if category == 'fuzz' else line[:300]}")
        print()
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
