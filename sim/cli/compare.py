"""``countersim compare RUN_A RUN_B``: two ``countersim run`` folders with the same seed,
compared replication by replication (common random numbers) with verdicts in plain words.

Example::

    countersim compare results/a results/b            # writes results/a/comparisons-vs-b.csv

The two runs must be *related* (:mod:`sim.results.run_pairs`): the same seed, one scenario
differing in the settings being compared. The same run twice, or two unrelated scenarios,
is refused unless ``--force``. Replications are paired by number; when the runs hold
different replications, the ones both have are used and a warning says how many. The
comparisons are printed and written to a CSV (``--out``, default inside run A's folder).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sim.errors import UserInputError, one_line
from sim.results.run_pairs import MAX_DIFFERENCES, describe, differences, fingerprint
from sim.results.store import read_csv, safe_name, write_csv
from sim.study.columns import COMPARED, FDR_COLUMNS

if TYPE_CHECKING:  # the statistics (numpy, scipy) load only when runs are compared
    from sim.results.comparisons import Comparison

COLUMNS = ["baseline_run", "other_run", "baseline", "level", "metric", "baseline_mean",
           "level_mean", "diff", "ci_low", "ci_high", "n", "reps_to_resolve", "verdict",
           *FDR_COLUMNS]
"""comparisons CSV columns: as a sweep's comparisons.csv, with the two run folders."""


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``compare`` subcommand."""
    p = subparsers.add_parser(
        "compare", help="compare two runs replication by replication",
        description="Paired comparison of two `countersim run` folders made with the same "
        "seed: each replication of B against the same replication of A (the same customers). "
        "The runs must come from one scenario differing in the settings compared (at most "
        f"{MAX_DIFFERENCES}); the same run twice or unrelated scenarios are refused unless "
        "--force. Prints one verdict per metric and writes them to a CSV.",
        epilog="example: countersim compare results/a results/b --metric walkout_rate "
        "(writes results/a/comparisons-vs-b.csv)")
    p.add_argument("baseline", type=Path, help="run folder A (the baseline)")
    p.add_argument("other", type=Path, help="run folder B")
    p.add_argument("--metric", action="append", default=[], metavar="NAME",
                   help=f"metrics to compare (default: {', '.join(COMPARED)})")
    p.add_argument("--out", type=Path, default=None, metavar="FILE",
                   help="CSV file for the comparisons (default: A/comparisons-vs-<B>.csv); "
                   "an existing file is replaced only if compare wrote it")
    p.add_argument("--force", action="store_true",
                   help="compare even the same run twice or two unrelated scenarios")
    p.set_defaults(func=run)


# ------------------------------------------------------------------------------ reading


T = TypeVar("T")


def _read_file(path: Path, read: Callable[[Path], T]) -> T:
    """``read(path)``; a damaged or unreadable file is one line naming it."""
    try:
        return read(path)
    except (ValueError, OSError) as exc:
        raise UserInputError(f"{path}: cannot read it ({one_line(str(exc))}); the file is "
                             "damaged: give a folder written by countersim run") from None


def _read_run(folder: Path) -> tuple[dict[str, Any], dict[int, dict[str, str]]]:
    """The manifest and the replication rows by replication number of a run folder."""
    for name in ("manifest.json", "replications.csv"):
        if not (folder / name).is_file():
            raise UserInputError(f"{folder}: no {name}; give a folder written by countersim run")
    rows = _read_file(folder / "replications.csv", read_csv)
    manifest = _read_file(folder / "manifest.json",
                          lambda path: json.loads(path.read_text(encoding="utf-8")))
    if not rows:
        raise UserInputError(f"{folder}: replications.csv has no replications; give a folder "
                             "where countersim run finished at least one")
    if "scenario" in rows[0]:
        raise UserInputError(f"{folder}: a sweep folder; its comparisons.csv already pairs its "
                             "scenarios (compare takes two countersim run folders)")
    if not isinstance(manifest, dict):
        raise UserInputError(f"{folder / 'manifest.json'}: not a run manifest (a JSON object "
                             "is expected); give a folder written by countersim run")
    by_rep: dict[int, dict[str, str]] = {}
    for line, row in enumerate(rows, start=2):
        try:
            by_rep[int(row.get("replication") or "")] = row
        except ValueError:
            raise UserInputError(
                f"{folder / 'replications.csv'} line {line}: replication = "
                f"{row.get('replication')!r}, a whole number is expected; the file is damaged "
                "(re-run countersim run)") from None
    return manifest, by_rep


def _values(rows: dict[int, dict[str, str]], metric: str, folder: Path) -> dict[int, float]:
    found = {}
    for rep, row in rows.items():
        try:
            found[rep] = float(row.get(metric) or math.nan)
        except ValueError:
            raise UserInputError(
                f"{folder / 'replications.csv'}: {metric} = {row.get(metric)!r} in replication "
                f"{rep}, a number is expected; the file is damaged (re-run countersim run)",
            ) from None
    return found


def _name(manifest: dict[str, Any], folder: Path) -> str:
    scenario = manifest.get("scenario", {})
    return str(scenario.get("name", folder.name)) if isinstance(scenario, dict) else folder.name


# ------------------------------------------------------------------------------ guards


def _scenario(manifest: dict[str, Any]) -> dict[str, Any] | None:
    scenario = manifest.get("scenario")
    return scenario if isinstance(scenario, dict) else None


def check_related(args: argparse.Namespace, man_a: dict[str, Any], man_b: dict[str, Any],
                  ) -> list[tuple[str, Any, Any]]:
    """The settings B changes from A; raises :class:`UserInputError` for different seeds,
    and (unless ``--force``) for the same run twice or unrelated scenarios."""
    a, b = args.baseline, args.other
    if man_a.get("seed") != man_b.get("seed"):
        raise UserInputError(
            f"seeds differ ({a}: {man_a.get('seed')}, {b}: {man_b.get('seed')}): a paired "
            f"comparison needs both runs made with the same --seed; re-run {b} with "
            f"--seed {man_a.get('seed')}")
    force = " (or add --force to compare anyway)"
    if a.resolve() == b.resolve():
        _refuse_or_warn(args.force, f"{a} and {b} are the same run folder: every paired "
                        f"difference would be 0; give two different run folders{force}")
        return []
    sa, sb = _scenario(man_a), _scenario(man_b)
    if sa is None or sb is None:
        folder = a if sa is None else b
        _refuse_or_warn(args.force, f"{folder / 'manifest.json'}: no resolved scenario, so "
                        "whether the runs are related cannot be checked; give folders written "
                        f"by countersim run{force}")
        return []
    found = differences(sa, sb)
    if not found:
        _refuse_or_warn(args.force, f"{a} and {b} ran the same scenario (fingerprint "
                        f"{fingerprint(sa)}) with the same seed {man_a.get('seed')}: every "
                        "paired difference is 0 by construction; compare a run made with a "
                        f"change, e.g. --set acknowledgment.policy=greet_first{force}")
    elif len(found) > MAX_DIFFERENCES:
        _refuse_or_warn(args.force, f"{a} and {b} are unrelated runs: their scenarios "
                        f"(fingerprints {fingerprint(sa)}, {fingerprint(sb)}) differ in "
                        f"{len(found)} settings ({describe(found)}); at most {MAX_DIFFERENCES} "
                        "may differ (the settings being compared); compare two runs of one "
                        f"scenario, e.g. the same config with --set{force}")
    return found


def _refuse_or_warn(force: bool, message: str) -> None:
    if not force:
        raise UserInputError(message)
    print(f"warning: {message.removesuffix(' (or add --force to compare anyway)')}; "
          "compared anyway (--force)", file=sys.stderr)


def paired_replications(args: argparse.Namespace, reps_a: set[int], reps_b: set[int],
                        ) -> tuple[list[int], list[str]]:
    """The replication numbers both runs hold, and warnings (when the runs hold different
    ones, or one stopped early); an error when they share none."""
    common = sorted(reps_a & reps_b)
    if not common:
        raise UserInputError(
            f"{args.baseline} and {args.other} have no replication number in common "
            f"({_span(reps_a)} and {_span(reps_b)}); compare runs made with the same --seed "
            "and overlapping --reps")
    warnings = []
    if reps_a != reps_b:
        warnings.append(
            f"{args.baseline} has {len(reps_a)} replications ({_span(reps_a)}), {args.other} "
            f"has {len(reps_b)} ({_span(reps_b)}): only the {len(common)} both have are "
            "paired; for all of them re-run the shorter one with the same --reps")
    return common, warnings


def _span(reps: set[int]) -> str:
    ordered = sorted(reps)
    if ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}-{ordered[-1]}" if len(ordered) > 1 else str(ordered[0])
    return ", ".join(map(str, ordered[:5])) + (", ..." if len(ordered) > 5 else "")


def incomplete(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """A warning if the run stopped before all its replications finished."""
    if manifest.get("complete") is not False:
        return []
    return [f"{folder} is an incomplete run (stopped early: "
            f"{len(manifest.get('replications_done') or [])} of "
            f"{manifest.get('replications_requested', '?')} replications saved)"]


# ------------------------------------------------------------------------------ output


def out_file(args: argparse.Namespace) -> Path:
    """Where the comparisons go: ``--out``, else ``A/comparisons-vs-<B folder>.csv``.
    Refuses a folder, or an existing file compare did not write."""
    default = args.baseline / f"comparisons-vs-{safe_name(args.other.resolve().name)}.csv"
    out: Path = args.out or default
    if out.is_dir():
        raise UserInputError(f"--out {out}: is a folder; give a file name, e.g. "
                             f"--out {out / 'comparisons.csv'}")
    if out.exists():
        try:
            header = out.read_text(encoding="utf-8").split("\n", 1)[0]
        except (OSError, UnicodeDecodeError):
            header = ""
        if header != ",".join(COLUMNS):
            raise UserInputError(f"--out {out}: exists and was not written by countersim "
                                 "compare; choose a new file name")
    return out


def rows(found: list[Comparison], args: argparse.Namespace) -> list[dict[str, object]]:
    """The comparisons CSV rows."""
    from sim.study.tables import comparison_rows

    return [{"baseline_run": str(args.baseline), "other_run": str(args.other), **row}
            for row in comparison_rows(found, [])]


def run(args: argparse.Namespace) -> int:
    """Print one verdict per metric (the false discovery rate controlled over the metrics
    compared, Benjamini–Hochberg, as a sweep's report does) and write them to a CSV."""
    from sim.results.comparisons import adjust, compare

    man_a, rows_a = _read_run(args.baseline)
    man_b, rows_b = _read_run(args.other)
    changed = check_related(args, man_a, man_b)
    metrics = args.metric or list(COMPARED)
    for metric in metrics:
        if metric not in next(iter(rows_a.values())) or metric not in next(iter(rows_b.values())):
            raise UserInputError(f"--metric {metric!r}: not a column of both runs' "
                                 "replications.csv; give a metric name from docs/metrics.md")
    out = out_file(args)
    common, warnings = paired_replications(args, set(rows_a), set(rows_b))
    warnings += incomplete(args.baseline, man_a) + incomplete(args.other, man_b)
    a_name, b_name = _name(man_a, args.baseline), _name(man_b, args.other)
    if a_name == b_name:  # same scenario file with different --set: name the folders
        a_name, b_name = args.baseline.name, args.other.name
    pa = {r: rows_a[r] for r in common}
    pb = {r: rows_b[r] for r in common}
    found = adjust([compare("", a_name, b_name, {}, m, _values(pb, m, args.other),
                            _values(pa, m, args.baseline)) for m in metrics])
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if changed:
        print(f"{b_name} differs from {a_name} in {describe(changed, MAX_DIFFERENCES)}")
    for c in found:
        clear = bool(c.significant_fdr) and not c.negligible
        print(f"{c.verdict}{f'; {c.diff.n} paired replications' if clear else ''}")
    write_csv(out, rows(found, args), COLUMNS)
    print(f"wrote {out} ({len(found)} comparison{'s' if len(found) != 1 else ''}, "
          f"{len(common)} paired replications)")
    return 0
