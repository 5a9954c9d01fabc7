r"""``countersim check CONFIG``: validate a scenario and print it fully resolved, as TOML.

Example::

    countersim check experiments/configs/baseline.toml --set staff=4 > resolved.toml

The scenario file and every ``--set`` are read, merged onto the defaults and validated as
``countersim run`` would (a bad key or value is the same one-line error, exit 2); nothing
is simulated or written. The resolved scenario is printed as a TOML scenario file: every
setting that takes effect, defaults included, in the sections of ``docs/parameters.md``.
Loading the printed text gives the same scenario (``--json`` prints it as JSON instead).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the scenario schema (pydantic) loads only when a scenario is checked
    from sim.config.schema import Scenario

EXAMPLE = """\
examples:
  countersim check experiments/configs/baseline.toml
  countersim check my_counter.toml --set demand.walk_in.rate_per_hour=30 > resolved.toml
  countersim check my_counter.toml --json"""


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``check`` subcommand."""
    p = subparsers.add_parser(
        "check", help="validate a scenario and print it with all defaults (TOML)",
        description="Validate a scenario file (with any --set overrides) exactly as "
        "`countersim run` would, without simulating or writing anything, and print the "
        "resolved scenario: every setting that takes effect, defaults included, as a TOML "
        "scenario file that loads back to the same scenario. A bad key or value is one "
        "line naming it, with exit code 2.",
        epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("config", type=Path, metavar="CONFIG", help="scenario TOML file")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override a config key, e.g. --set staff.both=3 (repeatable)")
    p.add_argument("--json", action="store_true",
                   help="print the resolved scenario as JSON instead of TOML")
    p.set_defaults(func=run)


def _inline(path: tuple[str, ...], table: Mapping[str, Any]) -> bool:
    """Distributions (tables with ``dist``) are written inline, as in the shipped configs."""
    return "dist" in table


def scenario_toml(scenario: Scenario) -> str:
    """The scenario as TOML text that loads back to the same scenario. Settings that cannot
    take effect (the all-day staff counts beside a schedule, the parameters of a policy not
    selected or of a section switched off: :mod:`sim.config.exclusion_rules`) are left out,
    since a file that gave them would be refused."""
    from sim.config.exclusion_rules import find_conflicts
    from sim.config.exclusions import Given
    from sim.config.toml_text import toml_text

    data = scenario.model_dump(mode="json")
    for conflict in find_conflicts(scenario, Given.from_file(data)):
        _drop(data, conflict.key.split("."))
    header = (f"# {scenario.name}: resolved by countersim check (every setting that takes "
              "effect, defaults included)\n")
    return header + toml_text(data, _inline)


def _drop(data: dict[str, Any], path: list[str]) -> None:
    """Remove the key at ``path`` (and a table it leaves empty) from nested ``data``."""
    table = data
    for part in path[:-1]:
        table = table[part]
    del table[path[-1]]
    if len(path) > 1 and not table:
        _drop(data, path[:-1])


def run(args: argparse.Namespace) -> int:
    """Print the resolved scenario (TOML, or JSON with ``--json``)."""
    from sim.config.loading import load_scenario

    scenario = load_scenario(args.config, args.overrides)  # refused before the model loads
    from sim.preflight.attention import check_attention
    from sim.preflight.warnings import scenario_warnings

    check_attention(scenario)  # services that could never end: refused as run refuses them
    for warning in scenario_warnings(scenario):
        print(f"warning: {warning.text}", file=sys.stderr)
    if args.json:
        print(json.dumps(scenario.model_dump(mode="json"), indent=2))
    else:
        print(scenario_toml(scenario), end="")
    return 0
