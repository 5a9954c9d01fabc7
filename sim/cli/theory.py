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
from typing import Any

from sim import theory
from sim.errors import ConfigError, UserInputError

_SECONDS_PER_HOUR = 3600.0


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``theory`` (with ``erlang-a``, ``erlang-c`` and ``staff``) to ``subparsers``."""
    parser = subparsers.add_parser(
        "theory",
        help="exact Erlang-A / Erlang-C queue metrics and staffing estimates",
        description="Exact steady-state M/M/N+M (Erlang-A) and M/M/N (Erlang-C) numbers.",
    )
    parser.set_defaults(func=run, theory_command=None)
    sub = parser.add_subparsers(dest="theory_command", metavar="{erlang-a,erlang-c,staff}")

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
        "--max-servers", metavar="N", default="10000", help="search limit (default 10000)"
    )
    staff.set_defaults(func=run)


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
    parser.add_argument("--servers", metavar="N", help="number of servers (required)")


# ------------------------------------------------------------------------------ parsing


def _number(args: argparse.Namespace, attr: str) -> float:
    flag = "--" + attr.replace("_", "-")
    raw = getattr(args, attr, None)
    if raw is None:
        raise UserInputError(f"{flag} is required")
    try:
        return float(raw)
    except (TypeError, ValueError):
        raise ConfigError(flag, raw, "must be a number") from None


def _show(value: float) -> float | int:
    return int(value) if math.isfinite(value) and value == int(value) else value


def _positive(args: argparse.Namespace, attr: str, *, allow_inf: bool = False) -> float:
    value = _number(args, attr)
    if math.isnan(value) or value <= 0 or (math.isinf(value) and not allow_inf):
        flag = "--" + attr.replace("_", "-")
        allowed = "must be a number > 0" + (" (or inf)" if allow_inf else "")
        raise ConfigError(flag, _show(value), allowed)
    return value


def _non_negative(args: argparse.Namespace, attr: str) -> float:
    value = _number(args, attr)
    if not math.isfinite(value) or value < 0:
        raise ConfigError("--" + attr.replace("_", "-"), _show(value), "must be a number ≥ 0")
    return value


def _whole(args: argparse.Namespace, attr: str) -> int:
    flag = "--" + attr.replace("_", "-")
    raw = getattr(args, attr, None)
    if raw is None:
        raise UserInputError(f"{flag} is required")
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ConfigError(flag, raw, "must be a whole number ≥ 1") from None
    if not math.isfinite(value) or value < 1 or value != int(value):
        raise ConfigError(flag, _show(value), "must be a whole number ≥ 1")
    return int(value)


def _fraction(args: argparse.Namespace, attr: str) -> float | None:
    raw = getattr(args, attr, None)
    if raw is None:
        return None
    flag = "--" + attr.replace("_", "-")
    text = str(raw).strip()
    scale = 100.0 if text.endswith("%") else 1.0
    try:
        value = float(text.removesuffix("%")) / scale
    except ValueError:
        raise ConfigError(flag, raw, "must be a fraction in [0, 1] or a percentage") from None
    if not (0.0 <= value <= 1.0):
        raise ConfigError(flag, raw, "must be a fraction in [0, 1] or a percentage")
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
        raise UserInputError("theory needs a subcommand: erlang-a, erlang-c or staff")
    except UserInputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except ValueError as error:  # the oracle's own range checks
        print(f"error: {error}", file=sys.stderr)
        return 2


def _rates(args: argparse.Namespace, *, with_patience: bool) -> tuple[float, float, float]:
    """Per-second (lambda, mu, theta) from the user's options."""
    per_hour = _non_negative(args, "arrivals_per_hour")
    mean_service = _positive(args, "mean_service_s")
    theta = 0.0
    if with_patience:
        mean_patience = _positive(args, "mean_patience_s", allow_inf=True)
        theta = 0.0 if math.isinf(mean_patience) else 1.0 / mean_patience
    return per_hour / _SECONDS_PER_HOUR, 1.0 / mean_service, theta


def _run_erlang(args: argparse.Namespace, *, with_patience: bool) -> int:
    lam, mu, theta = _rates(args, with_patience=with_patience)
    servers = _whole(args, "servers")
    target = _non_negative(args, "target_s")
    load = lam / mu
    if theta == 0.0 and load >= servers:
        what = "Erlang-C" if not with_patience else "infinite patience"
        raise ConfigError(
            "--servers",
            servers,
            f"must exceed the offered load {load:.4g} Erlangs for {what} "
            f"(utilisation {load / servers:.3g} ≥ 1)",
        )
    if with_patience:
        metrics = theory.erlang_a_metrics(lam, mu, theta, servers, target)
        title = f"Erlang-A  M/M/{servers}+M"
    else:
        metrics = theory.erlang_c_metrics(lam, mu, servers, target)
        title = f"Erlang-C  M/M/{servers}"
    print(title)
    _print_inputs(args, load, servers, with_patience=with_patience)
    _print_metrics(metrics)
    return 0


def _run_staff(args: argparse.Namespace) -> int:
    lam, mu, theta = _rates(args, with_patience=True)
    target = _non_negative(args, "target_s")
    max_abandon = _fraction(args, "max_abandon")
    min_sl = _fraction(args, "min_service_level")
    max_servers = _whole(args, "max_servers")
    if max_abandon is None and min_sl is None:
        raise UserInputError("staff needs --max-abandon and/or --min-service-level")
    try:
        servers = theory.min_servers_erlang_a(
            lam,
            mu,
            theta,
            target,
            max_p_abandon=max_abandon,
            min_service_level=min_sl,
            max_servers=max_servers,
        )
    except ValueError:
        raise ConfigError(
            "--max-servers", max_servers, "targets not met with this many servers"
        ) from None
    metrics = theory.erlang_a_metrics(lam, mu, theta, servers, target)
    load = lam / mu
    targets = []
    if max_abandon is not None:
        targets.append(f"P(abandon) ≤ {max_abandon:.4g}")
    if min_sl is not None:
        targets.append(f"service level ≥ {min_sl:.4g} within {target:g} s")
    print(f"Erlang-A staffing: fewest servers with {' and '.join(targets)}")
    print(f"  {'servers':<26}{servers}")
    _print_inputs(args, load, servers, with_patience=True)
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
