"""``countersim plot RUN_DIR``: redraw every figure of a results folder from its tables."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sim.plots.data import check_run_dir


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``plot`` subcommand."""
    p = subparsers.add_parser("plot", help="redraw the figures of a results folder",
                              description="Redraw every figure of a results folder from its "
                              "CSV tables (nothing is simulated) into RUN_DIR/figures/.")
    p.add_argument("run_dir", type=Path, metavar="RUN_DIR",
                   help="results folder with manifest.json and replications.csv "
                   "(a results/<experiment>/latest link works too)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Draw the figures and list the files written."""
    run_dir: Path = args.run_dir
    check_run_dir(run_dir)
    from sim.plots.figures import draw_all  # matplotlib loads only when there is something to draw

    written = draw_all(run_dir.resolve())
    for path in written:
        print(path)
    if not written:
        print(f"{run_dir}: no figure has the data it needs; nothing written")
    return 0
