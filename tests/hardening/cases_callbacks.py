"""Cases: bad callback and wait-announcement settings given to ``countersim run`` — a
probability outside [0, 1], a negative threshold, callbacks with nobody to call back (no
calls, or no staff who take phone work), settings of a switched-off section — each refused
with one line naming the key (a few cases: each costs a process; the bounds of every field
are the schema's, tested once for all fields)."""

from __future__ import annotations

from tests.hardening.cases_config import VALUES, run_file, value
from tests.hardening.configs import config
from tests.hardening.harness import Case

ON = {"callbacks": {"enabled": True}}


def all_cases() -> list[Case]:
    """The callback and announcement cases."""
    cb, ann = "callbacks", "announcements"
    return [
        value(f"{cb}.accept_probability", 1.5, extra=ON),
        value(f"{cb}.threshold_s", -10.0, extra=ON),
        value(f"{ann}.patience_factor", 0.0, extra={ann: {"enabled": True}}),
        run_file("callbacks_without_calls", VALUES,
                 config({"demand.phone.rate_per_hour": 0.0}, extra=ON, pooled=True),
                 mention=("callbacks.enabled", "demand.phone")),
        run_file("callbacks_without_phone_staff", VALUES,
                 config({"staff.both": 0, "staff.counter": 2}, extra=ON, pooled=True),
                 mention=("callbacks.enabled", "staff.phone")),
        run_file("callbacks_threshold_while_off", VALUES,
                 config({"callbacks.threshold_s": 60.0}, pooled=True),
                 mention=("callbacks.threshold_s", "callbacks.enabled")),
    ]
