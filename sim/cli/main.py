"""Command line: ``countersim run | sweep | plot | compare | staff | check | theory``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import NoReturn

from sim.cli import check as check_command
from sim.cli import compare as compare_command
from sim.cli import plot as plot_command
from sim.cli import run as run_command
from sim.cli import staff as staff_command
from sim.cli import sweep as sweep_command
from sim.cli import theory as theory_command
from sim.errors import UserInputError, one_line


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors (``error: ...``) and exit code 2."""

    def error(self, message: str) -> NoReturn:
        """Print one ``error: COMMAND: MESSAGE`` line and exit with code 2."""
        print(f"error: {self.prog.split()[-1]}: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    """The full command-line parser."""
    parser = Parser(prog="countersim",
                    description="Simulate customer-service counters: walkouts, acknowledgment "
                    "and lost loyalty under staffing policies.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    run_command.register(sub)
    sweep_command.register(sub)
    plot_command.register(sub)
    compare_command.register(sub)
    staff_command.register(sub)
    check_command.register(sub)
    theory_command.register(sub)
    return parser


def reporting_errors(call: Callable[[], int]) -> int:
    """``call()``'s exit code; bad input or an unwritable output becomes one ``error:`` line
    (exit 2), Ctrl-C 130."""
    try:
        return call()
    except UserInputError as exc:
        print(f"error: {one_line(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # an output folder that cannot be written, a disk that fills up
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: cannot write {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``countersim`` script and ``python -m sim``."""
    args = build_parser().parse_args(argv)
    return reporting_errors(lambda: int(args.func(args)))


if __name__ == "__main__":
    sys.exit(main())
