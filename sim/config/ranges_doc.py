"""The section "Plausible ranges (robustness study)" of ``docs/parameters.md``, generated
from :data:`sim.config.ranges.RANGES`.

Regenerate after changing the catalogue (the section is replaced in place, or appended)::

    python -m sim.config.ranges_doc --write docs/parameters.md

``--check FILE`` exits 1 (and says so) when ``FILE``'s section differs from what would be
generated; without options the section is printed.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from sim.config.ranges import (
    RANGES,
    Range,
    Structural,
    baseline_parameters,
    default_of,
    key_for,
    range_for,
    varied_parameters,
)
from sim.config.ranges_labels import LABELS

COMMAND = "python -m sim.config.ranges_doc --write docs/parameters.md"
HEADING = "## Plausible ranges (robustness study)"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _defaults(key: str) -> str:
    """The baseline's values of the parameters ``key`` stands for (a pattern: every
    baseline entry it resolves; "—" when none, an entry a scenario may add)."""
    paths = [p for p in baseline_parameters() if key_for(p) == key]
    values = list(dict.fromkeys(f"{default_of(p):g}" for p in paths))
    return ", ".join(values) if values else "—"


def _ranged_rows() -> list[str]:
    rows = ["| key | in words | low | default | high | scale | basis |",
            "|---|---|---|---|---|---|---|"]
    for key, entry in RANGES.items():
        if isinstance(entry, Range):
            words = LABELS.get(key, "").replace("{}", "(entry)")
            rows.append(f"| `{key}` | {_cell(words)} | {entry.low:g} | {_defaults(key)} | "
                        f"{entry.high:g} | {entry.scale} | {_cell(entry.basis)} |")
    return rows


def _structural_rows() -> list[str]:
    rows = ["| key | default | why it is not varied |", "|---|---|---|"]
    for key, entry in RANGES.items():
        if isinstance(entry, Structural):
            rows.append(f"| `{key}` | {_defaults(key)} | {_cell(entry.reason)} |")
    return rows


def render() -> str:
    """The section, from its heading to its last table row (and a newline)."""
    varied = len(varied_parameters())
    fixed = sum(isinstance(range_for(p), Structural) for p in baseline_parameters())
    intro = (
        "The robustness study samples plausible worlds: every uncertain parameter drawn "
        "between its low and high end, uniformly or log-uniformly (`log`: for quantities "
        "known to a factor, \"half to double\"). *Default* is the value in "
        "`experiments/configs/baseline.toml`, else the schema default; it always lies inside "
        "the range. Ranges of fitted parameters are their 95% confidence intervals. A `*` "
        "stands for a named entry (a distraction kind, a temperament, a shift, a staff "
        "member); a key's own row wins over a pattern, which then covers the entries a "
        "scenario adds. Distribution parameters are those of the default distribution "
        "family. `sim.config.ranges.varied_parameters` lists the baseline's parameters with "
        "a range; `to_override` turns a value into a `--set` string (a distribution or a "
        "mapping given whole, `temperament.mix.calm` the remainder of the shares). *In "
        "words* is the label headlines and figures give the parameter "
        "(`sim/config/ranges_labels.py`; `(entry)`: the named entry a pattern stands for).")
    counts = (
        f"Of the baseline's {varied + fixed} numeric parameters, {varied} have a range and "
        f"{fixed} are structural. Some are read only under a policy the baseline does not "
        "select (hold patience under `hold_and_greet`, the conduct levers, multi-day market "
        "effects): set on the baseline alone they are refused as having no effect.")
    structural = ("Structural parameters are choices (staffing, targets, definitions, "
                  "measurement settings) or reference levels, not uncertain quantities; they "
                  "are never varied.")
    return "\n".join([
        HEADING, "",
        f"<!-- Generated from sim/config/ranges.py by `{COMMAND}`; do not edit by hand. -->",
        "", _wrap(intro), "", _wrap(counts), "",
        f"Regenerate after changing `sim/config/ranges.py`: `{COMMAND}`", "",
        *_ranged_rows(), "", _wrap(structural), "", *_structural_rows(), ""])


def _wrap(paragraph: str) -> str:
    return textwrap.fill(paragraph, width=92, break_long_words=False, break_on_hyphens=False)


def section_of(text: str) -> str | None:
    """The section in a document's ``text`` (its heading up to the next ``## `` heading),
    or None when the document has none."""
    start = text.find(HEADING + "\n")
    if start < 0:
        return None
    end = text.find("\n## ", start + len(HEADING))
    return text[start:] if end < 0 else text[start:end + 1]


def write_into(text: str) -> str:
    """``text`` with its section replaced by the generated one (appended if missing)."""
    old = section_of(text)
    if old is None:
        return text.rstrip("\n") + "\n\n" + render()
    return text.replace(old, render(), 1)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the section; ``--write FILE`` regenerates it in ``FILE``; ``--check FILE``
    compares it with ``FILE``'s (exit 1 if stale)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) == 2 and args[0] in ("--check", "--write"):
        path = Path(args[1])
        text = path.read_text(encoding="utf-8")
        if args[0] == "--write":
            path.write_text(write_into(text), encoding="utf-8")
            return 0
        if section_of(text) != render():
            print(f"{args[1]} is out of date; regenerate it with: {COMMAND}", file=sys.stderr)
            return 1
        return 0
    if args:
        print("usage: python -m sim.config.ranges_doc [--check FILE | --write FILE]",
              file=sys.stderr)
        return 2
    sys.stdout.write(render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
