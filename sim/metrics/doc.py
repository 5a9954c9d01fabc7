"""``docs/metrics.md``, generated from :mod:`sim.metrics.catalogue`.

Regenerate after changing the catalogue::

    python -m sim.metrics.doc > docs/metrics.md

``--check FILE`` exits 1 (and says so) when ``FILE`` differs from what would be generated.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from pathlib import Path

from sim.metrics.catalogue import DECLARED, FAMILIES, SPLITS, Metric, names

COMMAND = "python -m sim.metrics.doc > docs/metrics.md"
_SHOWN_KIND = {"count": "count", "mean": "time-average", "share": "share, shown as %",
               "seconds": "seconds", "money": "money"}


def _name_cell(m: Metric) -> str:
    if m.total:
        return f"`{m.name}`"
    split = SPLITS[m.splits[0]]
    return f"`{split.column(m.name, '<' + split.name + '>')}`"


def _splits_cell(m: Metric) -> str:
    forms = [f"{s} (`{SPLITS[s].column(m.name, '<' + s + '>')}`)" for s in m.splits]
    return ", ".join(forms) if forms else "-"


def _range_cell(m: Metric) -> str:
    low, high = m.bounds
    if math.isinf(high):
        return "any sign" if math.isinf(low) else "≥ 0"
    return f"[{low:g}, {high:g}]"


def _practical_cell(m: Metric) -> str:
    d = m.smallest_difference
    return f"{d * 100:g} points" if m.kind == "share" else f"{d:g} {m.unit}"


def _row(m: Metric) -> str:
    cells = (_name_cell(m), m.unit, _SHOWN_KIND[m.kind], m.better or "-", _range_cell(m),
             _practical_cell(m), m.description.replace("|", "\\|"), _splits_cell(m))
    return "| " + " | ".join(cells) + " |"


def _splits_section() -> list[str]:
    lines = ["## Splits", "", "| Split | Parts | Column | Meaning |", "|---|---|---|---|"]
    for s in SPLITS.values():
        parts = ", ".join(f"`{p}`" for p in s.parts) + (", ..." if s.name == "activity" else "")
        lines.append(f"| {s.name} | {parts} | `{s.column('<metric>', '<part>')}` | "
                     f"{s.description} |")
    return [*lines, ""]


def render() -> str:
    """The whole of ``docs/metrics.md``."""
    lines = ["# Metrics", "",
             f"<!-- Generated from sim/metrics/catalogue.py by `{COMMAND}`; "
             "do not edit by hand. -->", "",
             "Every column of `replications.csv` (and of `countersim run`'s metrics) is "
             "declared once in `sim/metrics/catalogue.py`: its unit, the direction that is "
             "better (`-`: neither), what it means and how it is split. Comparisons, "
             "verdicts, figures, staffing targets and the `--metric` check read it.", "",
             "*Range* is what a value can be: `summary.csv` keeps every interval inside it "
             "(shares: a logit interval; other non-negative values: the t interval clipped "
             "at 0). *Smallest difference* is the smallest difference that matters: a "
             "comparison whose paired interval lies inside ± it is reported as no practical "
             "difference (a share's points are hundredths of the 0-1 share).", "",
             f"A one-day run without distractions reports {len(names(multi_day=False))} "
             "columns; each distraction kind in force adds a `staff_time_<kind>` column, "
             f"and a multi-day run adds {len(names()) - len(names(multi_day=False))}.", "",
             *_splits_section()]
    for family in FAMILIES.values():
        lines += [f"## {family.title}", "", family.note, "",
                  "| Name | Unit | Kind | Better | Range | Smallest difference | Description "
                  "| Splits |",
                  "|---|---|---|---|---|---|---|---|",
                  *(_row(m) for m in DECLARED if m.family == family.key), ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the document, or with ``--check FILE`` compare it with ``FILE`` (exit 1 if
    stale)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--check"] and len(args) == 2:
        if Path(args[1]).read_text(encoding="utf-8") != render():
            print(f"{args[1]} is out of date; regenerate it with: {COMMAND}", file=sys.stderr)
            return 1
        return 0
    if args:
        print("usage: python -m sim.metrics.doc [--check FILE]", file=sys.stderr)
        return 2
    sys.stdout.write(render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
