"""``countersim check``: validate a scenario and print it fully resolved."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sim.config.loading import load_scenario
from sim.preflight.warnings import scenario_warnings


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``check`` subcommand."""
    p = subparsers.add_parser("check", help="validate a scenario and print it with all defaults")
    p.add_argument("config", type=Path)
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the resolved scenario as JSON."""
    scenario = load_scenario(args.config, args.overrides)
    for warning in scenario_warnings(scenario):
        print(f"warning: {warning.text}", file=sys.stderr)
    print(json.dumps(scenario.model_dump(mode="json"), indent=2))
    return 0
