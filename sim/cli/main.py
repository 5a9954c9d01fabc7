"""Command line: ``countersim run | sweep | plot | compare | staff | check | theory | fit |
validate | robust``.

This module imports only the standard library at the top: the commands (and numpy, SimPy,
pydantic ...) are imported by :func:`main` once Ctrl-C is handled, so an interrupt while
they load is one clean line too (:mod:`sim.execution.interrupts`).
"""

from __future__ import annotations

import argparse
import errno
import sys
from collections.abc import Callable
from typing import NoReturn

from sim.errors import UserInputError, one_line
from sim.execution import interrupts
from sim.results.store import WriteError


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
    from sim.cli import check, compare, fit, plot, robust, run, staff, sweep, theory, validate

    for command in (run, sweep, plot, compare, staff, check, theory, fit, validate, robust):
        command.register(sub)
    return parser


_FIXES = {errno.ENOSPC: "free some space or choose another --out folder",
          errno.EDQUOT: "free some space or choose another --out folder",
          errno.EACCES: "choose a folder you may write to (--out DIR)",
          errno.EPERM: "choose a folder you may write to (--out DIR)",
          errno.EROFS: "choose a folder on a writable disk (--out DIR)"}


def os_error_line(exc: OSError) -> str:
    """One line for a file-system error: what could not be done to which path, why, and
    the fix where there is a usual one."""
    path = one_line(str(exc.filename)) if exc.filename else ""
    what = f"cannot write {path}" if isinstance(exc, WriteError) else path or "error"
    reason = exc.strerror or one_line(str(exc))
    fix = _FIXES.get(exc.errno or 0)
    return f"{what}: {reason}" + (f"; {fix}" if fix else "")


def reporting_errors(call: Callable[[], int]) -> int:
    """``call()``'s exit code; bad input or an unwritable output becomes one ``error:`` line
    (exit 2), Ctrl-C or SIGTERM one ``interrupted`` line (exit 130)."""
    with interrupts.handling():
        try:
            code = call()
            interrupts.check()  # a signal Python could not raise (in a callback): honour it
            return code
        except BaseException as exc:
            if interrupts.is_interrupt(exc):
                interrupts.say("interrupted")
                return interrupts.EXIT_CODE
            if isinstance(exc, UserInputError):
                print(f"error: {one_line(str(exc))}", file=sys.stderr)
                return exc.exit_code
            if isinstance(exc, OSError):  # an unwritable output folder, a disk that fills up
                print(f"error: {os_error_line(exc)}", file=sys.stderr)
                return 2
            raise


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``countersim`` script and ``python -m sim`` (``argv`` None: the
    program itself, which ends here; else a call from Python, which returns the code)."""
    program = argv is None
    if program:
        interrupts.install()  # outside the command: an interrupt exits at once
    given = sys.argv[1:] if argv is None else list(argv)

    def command() -> int:
        parser = build_parser()
        if not given:
            # one line, however many commands (argparse wraps it at the terminal's width)
            print(" ".join(parser.format_usage().split()), file=sys.stderr)
            print("error: countersim: a command is required (countersim --help lists them)",
                  file=sys.stderr)
            return 2
        args = parser.parse_args(given)
        args.argv = given  # the command line as typed, for the manifest
        return int(args.func(args))

    if not program:
        return reporting_errors(command)
    try:
        code: int | str | None = reporting_errors(command)
    except SystemExit as exc:  # --help, a usage error
        code = exc.code
    interrupts.end_program(code)


if __name__ == "__main__":
    sys.exit(main())
