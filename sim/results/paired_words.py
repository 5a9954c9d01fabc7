"""Each level of a factor against the baseline, in words: the verdicts of ``comparisons.csv``
for a few chosen metrics, grouped by level (and by the levels of the other factors), as a
section of ``report.md``. Pure reading of tables: it never imports the model."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from sim.results.store import write_atomic

MARKER = "## Main numbers"  # the section goes just before it (after the headline)


def paired_lines(rows: list[dict[str, str]], factor: str, metrics: tuple[str, ...]
                 ) -> list[str]:
    """Markdown lines: for every combination of the other factors' levels (a heading when
    there are several), each level of ``factor`` with its verdicts on ``metrics``, in the
    order the rows and ``metrics`` give."""
    others = [c for c in rows[0] if c not in _COLUMNS and c != factor] if rows else []
    verdicts: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for row in rows:
        if row["factor"] == factor and row["metric"] in metrics:
            where = ", ".join(f"{o}={row[o]}" for o in others if row[o])
            verdicts[where][row["level"]][row["metric"]] = row["verdict"]
    lines: list[str] = []
    for where, levels in verdicts.items():
        if len(verdicts) > 1 or where:
            lines += [f"### {where}", ""]
        for level, by_metric in levels.items():
            lines.append(f"- **{level}**")
            lines += [f"  - {by_metric[m]}" for m in metrics if m in by_metric]
        lines.append("")
    return lines


_COLUMNS = frozenset({
    "factor", "baseline", "level", "metric", "baseline_mean", "level_mean", "diff", "ci_low",
    "ci_high", "n", "reps_to_resolve", "verdict", "p_value", "p_adjusted", "significant_fdr",
    "verdict_level", "verdict_ci_low", "verdict_ci_high", "smallest_difference"})


def add_paired_words(out: Path, factor: str, metrics: tuple[str, ...], title: str) -> list[str]:
    """Read ``comparisons.csv`` of the results folder ``out`` and put a section ``title``
    with each level of ``factor`` against its baseline on ``metrics`` (in words) into
    ``report.md``, before its main numbers; return the section's lines."""
    with (out / "comparisons.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    baseline = next((r["baseline"] for r in rows if r["factor"] == factor), "the baseline")
    section = [f"## {title}", "",
               f"Each level of `{factor}` against `{baseline}` with the same customers, paired "
               "by replication (common random numbers): the difference and its interval, "
               "called only where the false discovery rate allows (`comparisons.csv`).", "",
               *paired_lines(rows, factor, metrics)]
    report = out / "report.md"
    text = report.read_text(encoding="utf-8") if report.exists() else ""
    block = "\n".join(section) + "\n"
    text = text.replace(MARKER, block + MARKER, 1) if MARKER in text else text + "\n" + block
    write_atomic(report, text)
    return section
