r"""``countersim theory retrial``: M/M/N+M with retrials, from the truncated two-dimensional
chain of :mod:`sim.theory.retrial`.

User-facing units as in ``countersim theory``: arrivals per hour, means in seconds; the
retrial probability as a fraction or a percentage. Example::

    countersim theory retrial --arrivals-per-hour 150 --mean-service-s 240 \\
        --mean-patience-s 180 --servers 10 --retrial-probability 0.5 --mean-delay-s 600
"""

from __future__ import annotations

import argparse
import math
from typing import Any

from sim.errors import ConfigError, UserInputError

MAX_CHAIN_STATES = 300_000
"""Most states of the truncated chain this command solves (a sparse solve of that size
takes tens of seconds; 10 servers at load 1 with p = 0.5 need about 6,000)."""

EXAMPLES = {"arrivals_per_hour": "150", "mean_service_s": "240", "mean_patience_s": "180",
            "servers": "10", "retrial_probability": "0.5", "mean_delay_s": "600"}


def add_parser(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``retrial`` to ``countersim theory``'s subcommands."""
    p = sub.add_parser(
        "retrial", help="M/M/N+M with retrials: abandoning customers try again",
        description="M/M/N+M where a customer who abandons tries again with a probability "
                    "after an exponential delay (fresh patience, as often as it abandons): "
                    "the two-dimensional Markov chain (in system, in orbit), truncated "
                    "where its boundary holds less than 1e-10 of the probability.")
    for flag, text in (
            ("--arrivals-per-hour", "Poisson rate of first attempts per hour (required)"),
            ("--mean-service-s", "mean (exponential) service time, s (required)"),
            ("--mean-patience-s", "mean (exponential) patience, s, finite (required)"),
            ("--servers", "number of servers (required)"),
            ("--retrial-probability", "P(an abandoning customer tries again), a fraction "
                                      "below 1 or a percentage (required)"),
            ("--mean-delay-s", "mean (exponential) delay before trying again, s (required)")):
        p.add_argument(flag, metavar="X", help=text)


def _value(args: argparse.Namespace, attr: str, allowed: str) -> float:
    flag = "--" + attr.replace("_", "-")
    raw = getattr(args, attr, None)
    if raw is None:
        raise UserInputError(f"{flag} is required; e.g. {flag} {EXAMPLES[attr]}")
    text = str(raw).strip()
    scale = 100.0 if attr == "retrial_probability" and text.endswith("%") else 1.0
    try:
        value = float(text.removesuffix("%") if scale != 1.0 else text) / scale
    except ValueError:
        raise ConfigError(flag, raw, f"{allowed}; e.g. {flag} {EXAMPLES[attr]}") from None
    if not math.isfinite(value):
        raise ConfigError(flag, raw, f"{allowed}; e.g. {flag} {EXAMPLES[attr]}")
    return value


def _inputs(args: argparse.Namespace) -> tuple[float, float, float, int, float, float]:
    """Per-second (lambda, mu, theta), servers, p and nu; one error line for bad input."""
    checks: dict[str, tuple[str, Any]] = {
        "arrivals_per_hour": ("must be a number ≥ 0", lambda v: v >= 0),
        "mean_service_s": ("must be a number > 0, in seconds", lambda v: v > 0),
        "mean_patience_s": ("must be a finite number > 0, in seconds (without abandonment "
                            "nobody retries: use countersim theory erlang-c)", lambda v: v > 0),
        "servers": ("must be a whole number from 1 to 10000",
                    lambda v: v == int(v) and 1 <= v <= 10_000),
        "retrial_probability": ("must be in [0, 1): a fraction or a percentage (1 would "
                                "retry for ever)", lambda v: 0 <= v < 1),
        "mean_delay_s": ("must be a number > 0, in seconds", lambda v: v > 0),
    }
    values = {}
    for attr, (allowed, ok) in checks.items():
        value = _value(args, attr, allowed)
        if not ok(value):
            flag = "--" + attr.replace("_", "-")
            raise ConfigError(flag, getattr(args, attr),
                              f"{allowed}; e.g. {flag} {EXAMPLES[attr]}")
        values[attr] = value
    return (values["arrivals_per_hour"] / 3600.0, 1.0 / values["mean_service_s"],
            1.0 / values["mean_patience_s"], int(values["servers"]),
            values["retrial_probability"], 1.0 / values["mean_delay_s"])


def run_retrial(args: argparse.Namespace) -> int:
    """Solve the chain and print its metrics (seconds, per hour); 0."""
    from sim import theory  # the oracle (numpy, scipy) loads once the options are checked
    from sim.theory.retrial import default_limits

    lam, mu, theta, servers, p, nu = _inputs(args)
    n_max, m_max = default_limits(lam, mu, theta, servers, p, nu)
    states = (n_max + 1) * (m_max + 1)
    if states > MAX_CHAIN_STATES:
        raise UserInputError(
            f"these inputs need a chain of about {states:,} states (up to {n_max:,} in the "
            f"system, {m_max:,} in orbit), more than the {MAX_CHAIN_STATES:,} this command "
            "solves; lower --arrivals-per-hour, --mean-patience-s or --mean-delay-s, or "
            "--retrial-probability")
    m = theory.retrial_metrics(lam, mu, theta, servers, p, nu)
    print(f"M/M/{servers}+M with retrials (p = {p:g}, mean delay {1.0 / nu:g} s)")
    rows = [
        ("P(abandon) per attempt", f"{m.p_abandon:.5f}"),
        ("P(wait > 0) per attempt", f"{m.p_wait:.5f}"),
        ("mean wait per attempt", f"{m.mean_wait:.3f} s"),
        ("mean queue length", f"{m.mean_queue_length:.4f}"),
        ("mean in orbit", f"{m.mean_orbit:.4f}"),
        ("attempts per hour", f"{m.attempt_rate * 3600:.3f}"),
        ("retries per hour", f"{m.retrial_rate * 3600:.3f}"),
        ("served per hour", f"{m.throughput * 3600:.3f}"),
        ("lost for good per hour", f"{m.final_abandon_rate * 3600:.3f}"),
        ("utilisation", f"{m.utilization:.5f}"),
        ("truncation", f"{m.max_in_system} in system, {m.max_in_orbit} in orbit; "
                       f"boundary probability {m.boundary_mass:.1e}"),
    ]
    for label, value in rows:
        print(f"  {label:<26}{value}")
    return 0
