r"""``countersim theory``: exact Erlang-A / Erlang-C numbers and quick staffing estimates.

User-facing units: arrivals per hour, mean service/patience and targets in seconds.  The
oracle in ``sim.theory`` is unit-agnostic; this module converts everything to per-second
rates, so waits come back in seconds.

Examples::

    countersim theory erlang-a --arrivals-per-hour 360 --mean-service-s 240 \\
        --mean-patience-s 120 --servers 25 --target-s 20
    countersim theory erlang-c --arrivals-per-hour 360 --mean-service-s 240 --servers 27
    countersim theory staff --arrivals-per-hour 360 --mean-service-s 240 \\
        --mean-patience-s 120 --max-abandon 0.05 --min-service-level 0.8
"""

from __future__ import annotations

import argparse
import math
import sys
from typing import TYPE_CHECKING, Any

from sim.cli import theory_retrial
from sim.errors import ConfigError, UserInputError

if TYPE_CHECKING:  # the oracle (numpy, scipy) loads once the options are checked
    from sim import theory

_SECONDS_PER_HOUR = 3600.0


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``theory`` (with ``erlang-a``, ``erlang-c`` and ``staff``) to ``subparsers``."""
    parser = subparsers.add_parser(
        "theory",
        help="exact Erlang-A / Erlang-C queue metrics and staffing estimates",
        description="Exact steady-state M/M/N+M (Erlang-A) and M/M/N (Erlang-C) numbers.",
    )
    parser.set_defaults(func=run, theory_command=None)
    sub = parser.add_subparsers(dest="theory_command", metavar="{erlang-a,erlang-c,staff,retrial}")

    erlang_a = sub.add_parser(
        "erlang-a",
        help="M/M/N+M: exponential service and patience",
        description="Exact M/M/N+M (Erlang-A) metrics: abandonment at rate 1/mean patience.",
    )
    _add_common(erlang_a)
    _add_patience(erlang_a)
    _add_servers(erlang_a)
    erlang_a.set_defaults(func=run)

    erlang_c = sub.add_parser(
        "erlang-c",
        help="M/M/N: nobody abandons (needs utilisation < 1)",
        description="Exact M/M/N (Erlang-C) metrics; customers wait for ever.",
    )
    _add_common(erlang_c)
    _add_servers(erlang_c)
    erlang_c.set_defaults(func=run)

    staff = sub.add_parser(
        "staff",
        help="fewest servers meeting abandonment / service-level targets (Erlang-A)",
        description="Fewest servers for which Erlang-A meets every target given.",
    )
    _add_common(staff)
    _add_patience(staff)
    staff.add_argument(
        "--max-abandon",
        metavar="P",
        help="largest acceptable P(abandon), a fraction (0.05) or percentage (5%%)",
    )
    staff.add_argument(
        "--min-service-level",
        metavar="P",
        help="smallest acceptable P(service starts within --target-s), fraction or %%",
    )
    staff.add_argument(
        "--max-servers", metavar="N", default="10000",
        help=f"search limit (default 10000, at most {MAX_SERVERS:,})"
    )
    theory_retrial.add_parser(sub)  # every subcommand runs run() (the parser's default)


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--arrivals-per-hour", metavar="RATE", help="Poisson arrival rate per hour (required)"
    )
    parser.add_argument(
        "--mean-service-s", metavar="S", help="mean (exponential) service time, s (required)"
    )
    parser.add_argument(
        "--target-s",
        metavar="S",
        default="20",
        help="service-level target: wait at most this many seconds (default 20)",
    )


def _add_patience(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--mean-patience-s",
        metavar="S",
        help="mean (exponential) patience, s; 'inf' for none (required)",
    )


def _add_servers(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--servers", metavar="N",
                        help=f"number of servers, 1 to {MAX_SERVERS:,} (required)")


# ------------------------------------------------------------------------------ parsing

MAX_SERVERS = 100_000
"""Most servers ``--servers`` and ``--max-servers`` take (the exact formulas loop over
them; beyond this a call runs for minutes)."""

EXAMPLES = {"arrivals_per_hour": "360", "mean_service_s": "240", "mean_patience_s": "120",
            "servers": "25", "max_servers": "10000", "target_s": "20", "max_abandon": "5%",
            "min_service_level": "80%"}
"""An example value of every option, quoted in messages."""


def _flag(attr: str) -> str:
    return "--" + attr.replace("_", "-")


def _bad(attr: str, value: object, allowed: str) -> ConfigError:
    """``--option = value: must be …; e.g. --option example``."""
    return ConfigError(_flag(attr), value, f"{allowed}; e.g. {_flag(attr)} {EXAMPLES[attr]}")


def _raw(args: argparse.Namespace, attr: str) -> str:
    raw = getattr(args, attr, None)
    if raw is None:
        raise UserInputError(f"{_flag(attr)} is required; e.g. {_flag(attr)} {EXAMPLES[attr]}")
    return str(raw)


def _number(args: argparse.Namespace, attr: str, allowed: str) -> float:
    raw = _raw(args, attr)
    try:
        return float(raw)
    except ValueError:
        raise _bad(attr, raw, allowed) from None


def _show(value: float) -> float | int:
    return int(value) if abs(value) < 1e15 and value == int(value) else value


MIN_SECONDS = 1e-6
"""Shortest mean service or patience (s): one microsecond (its inverse, a rate, stays finite)."""


def _positive(args: argparse.Namespace, attr: str, *, allow_inf: bool = False) -> float:
    allowed = (f"must be a number ≥ {MIN_SECONDS:g} (or inf) in seconds; inf: nobody abandons"
               if allow_inf else f"must be a number ≥ {MIN_SECONDS:g}, in seconds")
    value = _number(args, attr, allowed)
    if not value >= MIN_SECONDS or (math.isinf(value) and not allow_inf):
        raise _bad(attr, _show(value), allowed)
    return value


def _non_negative(args: argparse.Namespace, attr: str) -> float:
    allowed = ("must be a number ≥ 0 (Poisson arrivals per hour)" if attr == "arrivals_per_hour"
               else "must be a number ≥ 0, in seconds")
    value = _number(args, attr, allowed)
    if not math.isfinite(value) or value < 0:
        raise _bad(attr, _show(value), allowed)
    return value


def _whole(args: argparse.Namespace, attr: str) -> int:
    allowed = f"must be a whole number ≥ 1 (at most {MAX_SERVERS:,})"
    value = _number(args, attr, allowed)
    if not math.isfinite(value) or value < 1 or value != int(value) or value > MAX_SERVERS:
        raise _bad(attr, _show(value), allowed)
    return int(value)


def _fraction(args: argparse.Namespace, attr: str) -> float | None:
    raw = getattr(args, attr, None)
    if raw is None:
        return None
    text = str(raw).strip()
    scale = 100.0 if text.endswith("%") else 1.0
    allowed = "must be a fraction in [0, 1] or a percentage"
    try:
        value = float(text.removesuffix("%")) / scale
    except ValueError:
        raise _bad(attr, raw, allowed) from None
    if not (0.0 <= value <= 1.0):
        raise _bad(attr, raw, allowed)
    return value


# ------------------------------------------------------------------------------ running


def run(args: argparse.Namespace) -> int:
    """Execute ``countersim theory <command>``; returns the process exit code.

    Prints a table to stdout and returns 0, or prints one ``error: ...`` line to stderr
    and returns 2 for bad input (never raises for user errors).
    """
    command = getattr(args, "theory_command", None)
    try:
        if command == "erlang-a":
            return _run_erlang(args, with_patience=True)
        if command == "erlang-c":
            return _run_erlang(args, with_patience=False)
        if command == "staff":
            return _run_staff(args)
        if command == "retrial":
            return theory_retrial.run_retrial(args)
        raise UserInputError("theory needs a subcommand: erlang-a, erlang-c, staff or retrial; "
                             "e.g. countersim theory erlang-a --help")
    except UserInputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except ValueError as error:  # the oracle's own range checks, and a series too long
        print(f"error: {_oracle_error(args, error)}", file=sys.stderr)
        return 2


def _oracle_error(args: argparse.Namespace, error: ValueError) -> str:
    """The message for a ``ValueError`` the oracle raised (it is loaded by then)."""
    from sim.theory import SeriesTooLong

    return _too_many_waiting(args, error) if isinstance(error, SeriesTooLong) else str(error)


def _too_many_waiting(args: argparse.Namespace, error: theory.SeriesTooLong) -> str:
    """The message for an overloaded queue too long for the exact Erlang-A sum."""
    from sim import theory

    return (f"--arrivals-per-hour = {_show(float(args.arrivals_per_hour))} with "
            f"--mean-patience-s = {_show(float(args.mean_patience_s))}: about "
            f"{error.waiting:.3g} customers would be waiting ((arrivals per "
            "second beyond what the servers handle) × mean patience), more than the "
            f"{theory.MAX_STATES:,} the exact Erlang-A sum handles; allowed: fewer than "
            f"{theory.MAX_STATES:,} waiting; lower --arrivals-per-hour or --mean-patience-s, "
            "or raise --servers")


def _rates(args: argparse.Namespace, *, with_patience: bool) -> tuple[float, float, float]:
    """Per-second (lambda, mu, theta) from the user's options."""
    per_hour = _non_negative(args, "arrivals_per_hour")
    mean_service = _positive(args, "mean_service_s")
    theta = 0.0
    if with_patience:
        mean_patience = _positive(args, "mean_patience_s", allow_inf=True)
        theta = 0.0 if math.isinf(mean_patience) else 1.0 / mean_patience
    return per_hour / _SECONDS_PER_HOUR, 1.0 / mean_service, theta


def _unstable(load: float, servers: int, with_patience: bool) -> ConfigError:
    what = "Erlang-C" if not with_patience else "infinite patience"
    needed = math.floor(load) + 1
    fix = (f"give --servers {needed} or more" if needed <= MAX_SERVERS else
           f"more than {MAX_SERVERS:,} servers would be needed: lower --arrivals-per-hour "
           "or --mean-service-s")
    return ConfigError("--servers", servers, f"must exceed the offered load {load:.4g} Erlangs "
                       f"for {what} (utilisation {load / servers:.3g} ≥ 1); {fix}")


def _checked(metrics: theory.QueueMetrics) -> theory.QueueMetrics:
    """``metrics``, or a one-line error if the formulas lost all precision."""
    values = (metrics.p_wait, metrics.p_abandon, metrics.mean_wait, metrics.service_level,
              metrics.utilization, metrics.mean_queue_length)
    if not all(math.isfinite(v) for v in values):
        raise UserInputError("the exact formulas lose all precision for these inputs (a result "
                             "is not a number); allowed: values of everyday size, e.g. "
                             "--mean-service-s 240 --mean-patience-s 120; bring the extreme "
                             "option closer to them")
    return metrics


def _run_erlang(args: argparse.Namespace, *, with_patience: bool) -> int:
    lam, mu, theta = _rates(args, with_patience=with_patience)
    servers = _whole(args, "servers")
    target = _non_negative(args, "target_s")
    load = lam / mu
    if theta == 0.0 and load >= servers:
        raise _unstable(load, servers, with_patience)
    from sim import theory

    if with_patience:
        metrics = theory.erlang_a_metrics(lam, mu, theta, servers, target)
        title = f"Erlang-A  M/M/{servers}+M"
    else:
        metrics = theory.erlang_c_metrics(lam, mu, servers, target)
        title = f"Erlang-C  M/M/{servers}"
    _checked(metrics)
    print(title)
    _print_inputs(args, load, servers, with_patience=with_patience)
    _print_metrics(metrics)
    return 0


def _staff_targets(args: argparse.Namespace, theta: float) -> tuple[float | None, float | None]:
    """``--max-abandon`` and ``--min-service-level``: at least one, and none that no
    finite number of servers can meet."""
    max_abandon = _fraction(args, "max_abandon")
    min_sl = _fraction(args, "min_service_level")
    if max_abandon is None and min_sl is None:
        raise UserInputError("staff needs --max-abandon and/or --min-service-level; e.g. "
                             "--max-abandon 5%")
    if max_abandon == 0.0 and theta > 0.0:
        raise _bad("max_abandon", args.max_abandon, "must be above 0 when customers have "
                   "finite patience (some always abandon: P(abandon) = 0 needs infinitely "
                   "many servers)")
    if min_sl == 1.0:
        raise _bad("min_service_level", args.min_service_level, "must be below 1 (some "
                   "customers always wait: a service level of 1 needs infinitely many "
                   "servers)")
    return max_abandon, min_sl


def _run_staff(args: argparse.Namespace) -> int:
    lam, mu, theta = _rates(args, with_patience=True)
    target = _non_negative(args, "target_s")
    max_abandon, min_sl = _staff_targets(args, theta)
    max_servers = _whole(args, "max_servers")
    targets = []
    if max_abandon is not None:
        targets.append(f"P(abandon) ≤ {max_abandon:.4g}")
    if min_sl is not None:
        targets.append(f"service level ≥ {min_sl:.4g} within {target:g} s")
    from sim import theory

    try:
        servers = theory.min_servers_erlang_a(lam, mu, theta, target, max_p_abandon=max_abandon,
                                              min_service_level=min_sl, max_servers=max_servers)
    except theory.SeriesTooLong:
        raise
    except ValueError:
        raise ConfigError("--max-servers", max_servers, f"no number of servers up to "
                          f"{max_servers:,} meets {' and '.join(targets)} (offered load "
                          f"{lam / mu:.4g} Erlangs); raise --max-servers (at most "
                          f"{MAX_SERVERS:,}) or relax the targets") from None
    metrics = _checked(theory.erlang_a_metrics(lam, mu, theta, servers, target))
    print(f"Erlang-A staffing: fewest servers with {' and '.join(targets)}")
    print(f"  {'servers':<26}{servers}")
    _print_inputs(args, lam / mu, servers, with_patience=True)
    _print_metrics(metrics)
    return 0


def _print_inputs(
    args: argparse.Namespace, load: float, servers: int, *, with_patience: bool
) -> None:
    print(f"  {'arrivals per hour':<26}{float(args.arrivals_per_hour):g}")
    print(f"  {'mean service':<26}{float(args.mean_service_s):g} s")
    if with_patience:
        print(f"  {'mean patience':<26}{float(args.mean_patience_s):g} s")
    print(
        f"  {'offered load':<26}{load:.4f} Erlangs (utilisation if nobody left "
        f"{load / servers:.4f})"
    )


def _print_metrics(m: theory.QueueMetrics) -> None:
    rows = [
        ("P(wait > 0)", f"{m.p_wait:.5f}"),
        ("P(abandon)", f"{m.p_abandon:.5f}"),
        ("mean wait", f"{m.mean_wait:.3f} s"),
        (f"service level ({m.target_wait:g} s)", f"{m.service_level:.5f}"),
        ("utilisation", f"{m.utilization:.5f}"),
        ("mean queue length", f"{m.mean_queue_length:.4f}"),
    ]
    for label, value in rows:
        print(f"  {label:<26}{value}")
