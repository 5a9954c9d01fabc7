"""Cases: bad ``[retrials]`` values (issue 16) — a probability outside [0, 1], a negative or
fractional number of retries, a malformed delay distribution — in a file and with
``--set``: one ``error:`` line naming the key, exit 2, nothing written; and retrials
switched on, which runs."""

from __future__ import annotations

from typing import Any

from tests.hardening.cases_commands import _with, theory
from tests.hardening.cases_config import NAN, VALUES, value
from tests.hardening.configs import pooled_text
from tests.hardening.harness import OK, REFUSE, Case

R = ("theory", "retrial", "--arrivals-per-hour", "150", "--mean-service-s", "240",
     "--mean-patience-s", "180", "--servers", "10", "--retrial-probability", "0.5",
     "--mean-delay-s", "600")

PHONE, WALK_IN = "retrials.phone", "retrials.walk_in"
ON = {"retrials": {"enabled": True}}


def retrial_cases() -> list[Case]:
    """Bad retrial settings are refused; retrials on run."""
    exp = "exponential"
    cases: list[tuple[str, Any, str | None]] = [  # key, value, the key the error names
        (f"{PHONE}.probability", 1.5, None),
        (f"{WALK_IN}.probability", NAN, None),
        (f"{WALK_IN}.probability", -0.1, None),
        (f"{WALK_IN}.max_retries", -1, None),
        (f"{PHONE}.max_retries", 2.5, None),
        (f"{PHONE}.delay", 5, None),
        (f"{PHONE}.delay", {"dist": "exponentail", "mean_s": 60.0}, None),
        (f"{PHONE}.delay", {"dist": exp}, f"{PHONE}.delay.mean_s"),
        (f"{WALK_IN}.delay", {"dist": "infinite"}, None),
        ("retrials.failed_attempt_share", 2.0, None),
    ]
    return [
        *(value(key, v, extra=ON, mention=(named or key,)) for key, v, named in cases),
        value("retrials.enabled", "yes"),
        value(f"{PHONE}.probability", 0.9, OK, extra=ON),
        value(f"{PHONE}.probability", 0.3, mention=(f"{PHONE}.probability", "retrials.enabled")),
        _set("set_retrial_probability_above_1", f"{PHONE}.probability=1.5"),
        _set("set_retrial_negative_max_retries", f"{WALK_IN}.max_retries=-1"),
    ]


def _set(id: str, setting: str) -> Case:
    """``--set retrials.enabled=true --set SETTING`` on the pooled scenario: refused, the
    error naming the key."""
    return Case(id, VALUES, ("run", "c.toml", "--reps", "1", "--out", "out",
                             "--set", "retrials.enabled=true", "--set", setting),
                files={"c.toml": pooled_text()}, expect=REFUSE,
                mention=(setting.partition("=")[0],))


def theory_retrial_cases() -> list[Case]:
    """``countersim theory retrial``: one that runs, and bad values refused in one line."""
    p, delay, pat = "--retrial-probability", "--mean-delay-s", "--mean-patience-s"
    return [
        theory("theory_retrial_ok", R, OK),
        theory("theory_retrial_probability_1", _with(R, p, "1"), mention=(p,)),
        theory("theory_retrial_delay_missing", _with(R, delay, None), mention=(delay,)),
        theory("theory_retrial_patience_inf", _with(R, pat, "inf"), mention=(pat,)),
        theory("theory_retrial_too_large",
               _with(_with(_with(R, delay, "36000"), p, "0.95"), "--arrivals-per-hour", "600"),
               mention=("states",)),
    ]
