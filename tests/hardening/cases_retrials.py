"""Cases: bad ``[retrials]`` values (issue 16) — a probability outside [0, 1], a negative or
fractional number of retries, a malformed delay distribution — in a file and with
``--set``: one ``error:`` line naming the key, exit 2, nothing written; and retrials
switched on, which runs."""

from __future__ import annotations

from tests.hardening.cases_config import NAN, VALUES, value
from tests.hardening.configs import pooled_text
from tests.hardening.harness import OK, REFUSE, Case

PHONE, WALK_IN = "retrials.phone", "retrials.walk_in"


def retrial_cases() -> list[Case]:
    """Bad retrial settings are refused; retrials on run."""
    exp = "exponential"
    return [
        value(f"{PHONE}.probability", 1.5),
        value(f"{PHONE}.probability", -0.1),
        value(f"{PHONE}.probability", NAN),
        value(f"{WALK_IN}.probability", 2.0),
        value(f"{PHONE}.max_retries", -1),
        value(f"{WALK_IN}.max_retries", -3),
        value(f"{PHONE}.max_retries", 2.5),
        value(f"{PHONE}.max_retries", 10**6),
        value(f"{PHONE}.delay", 5),
        value(f"{PHONE}.delay", {"dist": "exponentail", "mean_s": 60.0}),
        value(f"{PHONE}.delay", {"dist": exp}, mention=(f"{PHONE}.delay.mean_s",)),
        value(f"{PHONE}.delay", {"dist": exp, "mean_s": -60.0}),
        value(f"{WALK_IN}.delay", {"dist": "deterministic", "value_s": -3.0}),
        value(f"{WALK_IN}.delay", {"dist": "infinite"}),
        value(f"{WALK_IN}.delay", {"dist": exp, "mean_s": 60.0, "cv": 1.0}),
        value("retrials.failed_attempt_share", 2.0),
        value("retrials.enabled", "yes"),
        value("retrials.enabled", True, OK),
        Case("set_retrial_probability_above_1", VALUES,
             ("run", "c.toml", "--reps", "1", "--out", "out",
              "--set", f"{PHONE}.probability=1.5"),
             files={"c.toml": pooled_text()}, expect=REFUSE, mention=(f"{PHONE}.probability",)),
        Case("set_retrial_negative_max_retries", VALUES,
             ("run", "c.toml", "--reps", "1", "--out", "out",
              "--set", f"{WALK_IN}.max_retries=-1"),
             files={"c.toml": pooled_text()}, expect=REFUSE, mention=(f"{WALK_IN}.max_retries",)),
    ]
