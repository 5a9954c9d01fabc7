"""``countersim compare RUN_A RUN_B``: two ``countersim run`` folders with the same seed,
compared replication by replication (common random numbers) with verdicts in plain words."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from sim.errors import UserInputError
from sim.results.comparisons import adjust, compare
from sim.results.store import read_csv
from sim.study.tables import COMPARED


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``compare`` subcommand."""
    p = subparsers.add_parser(
        "compare", help="compare two runs replication by replication",
        description="Paired comparison of two `countersim run` folders made with the same "
        "seed: each replication of B against the same replication of A (the same customers).")
    p.add_argument("baseline", type=Path, help="run folder A (the baseline)")
    p.add_argument("other", type=Path, help="run folder B")
    p.add_argument("--metric", action="append", default=[], metavar="NAME",
                   help=f"metrics to compare (default: {', '.join(COMPARED)})")
    p.set_defaults(func=run)


def _read_run(folder: Path) -> tuple[dict[str, Any], list[dict[str, str]]]:
    for name in ("manifest.json", "replications.csv"):
        if not (folder / name).is_file():
            raise UserInputError(f"{folder}: no {name}; give a folder written by countersim run")
    rows = read_csv(folder / "replications.csv")
    if not rows:
        raise UserInputError(f"{folder}: replications.csv has no replications")
    if "scenario" in rows[0]:
        raise UserInputError(f"{folder}: a sweep folder; its comparisons.csv already pairs its "
                             "scenarios (compare takes two countersim run folders)")
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except ValueError as exc:
        raise UserInputError(f"{folder / 'manifest.json'}: not valid JSON ({exc})") from None
    return manifest, rows


def _name(manifest: dict[str, Any], folder: Path) -> str:
    scenario = manifest.get("scenario", {})
    return str(scenario.get("name", folder.name)) if isinstance(scenario, dict) else folder.name


def run(args: argparse.Namespace) -> int:
    """Print one verdict per metric; the verdicts control the false discovery rate over
    the metrics compared (Benjamini–Hochberg, as a sweep's report does)."""
    man_a, rows_a = _read_run(args.baseline)
    man_b, rows_b = _read_run(args.other)
    if man_a.get("seed") != man_b.get("seed"):
        raise UserInputError(f"seeds differ ({man_a.get('seed')} and {man_b.get('seed')}): "
                             "a paired comparison needs both runs made with the same --seed")
    metrics = args.metric or list(COMPARED)
    for metric in metrics:
        if metric not in rows_a[0] or metric not in rows_b[0]:
            raise UserInputError(f"--metric {metric!r}: not a column of both runs' "
                                 "replications.csv")
    a_name, b_name = _name(man_a, args.baseline), _name(man_b, args.other)
    if a_name == b_name:  # same scenario file with different --set: name the folders
        a_name, b_name = args.baseline.name, args.other.name
    found = []
    for metric in metrics:
        a = {int(r["replication"]): float(r[metric]) for r in rows_a}
        b = {int(r["replication"]): float(r[metric]) for r in rows_b}
        found.append(compare("", a_name, b_name, {}, metric, b, a))
    for c in adjust(found):  # the false discovery rate over the metrics compared
        clear = bool(c.significant_fdr) and not c.negligible
        extra = f"; {c.diff.n} paired replications" if clear else ""
        print(f"{c.verdict}{extra}")
    return 0
