"""``countersim plot RUN_DIR``: redraw every figure of a results folder from its tables.

Exit code 0 when at least one figure was drawn, 1 when no figure has the data it needs
(nothing written), 2 when the folder is not a results folder or a table or the manifest in
it is damaged (one line naming the file and what is wrong; nothing written)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sim.results.rollback import new_paths_removed_on_failure


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``plot`` subcommand."""
    p = subparsers.add_parser("plot", help="redraw the figures of a results folder",
                              description="Redraw every figure of a results folder from its "
                              "CSV tables (nothing is simulated) into RUN_DIR/figures/. Exit "
                              "code 1 if no figure has its data, 2 if a file is damaged.",
                              epilog="example: countersim plot results/my-sweep")
    p.add_argument("run_dir", type=Path, metavar="RUN_DIR",
                   help="results folder with manifest.json and replications.csv "
                   "(a results/<experiment>/latest link works too)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Draw the figures and list the files written."""
    from sim.plots.data import check_run_dir

    run_dir: Path = args.run_dir
    check_run_dir(run_dir)
    from sim.plots.figures import draw_all  # matplotlib loads only when there is something to draw

    with new_paths_removed_on_failure(run_dir.resolve() / "figures"):
        written = draw_all(run_dir.resolve())
    for path in written:
        print(path)
    if not written:
        print(f"error: plot: {run_dir}: no figure has the data it needs (replications.csv "
              "holds none of the metrics the figures draw, and there is no slots.csv, "
              "days.csv, ack_times.csv or timeline); nothing written", file=sys.stderr)
        return 1
    return 0
