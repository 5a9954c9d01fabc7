"""Regenerate the golden files (deliberate changes of numbers only).

    .venv/bin/python tests/golden/regen.py            # every case
    .venv/bin/python tests/golden/regen.py CASE ...   # only these cases

Say in the commit which change moved which numbers, and by how much.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, only this folder is on sys.path. golden_cases is imported from it, and
# it imports ``tests.helpers`` (and this checkout's ``sim``) from the repository root, put
# first.
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from golden_cases import CASES, GOLDEN, produce


def main(names: list[str]) -> int:
    """Write the golden file of every case named (all when none is)."""
    known = {case.name: case for case in CASES}
    unknown = [n for n in names if n not in known]
    if unknown:
        print(f"error: unknown golden case(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for case in (known[n] for n in names) if names else CASES:
        text = produce(case)
        changed = not case.path.exists() or case.path.read_text() != text
        case.path.write_text(text)
        print(f"{'changed' if changed else 'same   '} {case.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
