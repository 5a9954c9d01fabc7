"""The golden cases: scenarios whose every output is pinned, bit for bit, in ``tests/golden/``.

Each case is a shipped config with ``--set`` overrides, a seed and a replication. Its golden
file holds, as JSON lines, everything one replication reports: the metrics row (as in
``replications.csv``), the day rows (multi-day runs), the time-to-acknowledge histograms, every
contact record, every staff activity interval, and every queue-length and staff-count change.
Floats are written with ``repr`` (the shortest text that reads back to the same double), so
comparing the text compares the numbers bit for bit.

Regenerate (deliberate changes of numbers only; say in the commit which change moved what)::

    .venv/bin/python tests/golden/regen.py            # every case
    .venv/bin/python tests/golden/regen.py CASE ...   # some cases
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from sim.config.loading import load_scenario
from sim.execution.runner import metrics_recorder
from sim.model.records import ActivityLog, ContactLog, EventLog, Tee
from sim.model.simulation import simulate
from tests.helpers import CONFIGS

GOLDEN = Path(__file__).resolve().parent / "data"

AS_FOUND = ('acknowledgment.policy="finish_first"', 'phone_handling.policy="phone_first"',
            'staff_rules.personal_phones="allowed"', 'discipline.policy="appearance_biased"')
ONLY_KIND = "distractions.kinds.{}.idle_rate_per_hour=0"
KINDS = ("personal_call", "coworker_chat", "paperwork", "critical_task", "argument")


@dataclass(frozen=True)
class Case:
    """One pinned replication: ``config`` (a file in experiments/configs) with ``overrides``."""

    name: str
    config: str
    overrides: tuple[str, ...] = ()
    seed: int = 1
    replication: int = 0

    @property
    def path(self) -> Path:
        """The golden file of this case."""
        return GOLDEN / f"{self.name}.jsonl"


def _only(kind: str) -> tuple[str, ...]:
    """Overrides that leave ``kind`` as the only distraction kind (idle and serving rates)."""
    out: list[str] = []
    for other in KINDS:
        if other != kind:
            out += [ONLY_KIND.format(other),
                    f"distractions.kinds.{other}.serving_rate_per_hour=0"]
    return tuple(out)


SHORT = ('hours.close="13:00"', "demand.walk_in.profile=[]", "demand.phone.profile=[]",
         'staff.schedule=[{start="09:00", end="13:00", both=3}]')
SPECIALISTS = ('staff.schedule=[{start="09:00", end="13:00", counter=2, phone=1}, '
               '{start="13:00", end="17:00", counter=1, phone=1, both=1}]',)

CASES: tuple[Case, ...] = (
    # validation mode (every behaviour off): the lean path
    Case("erlang_a", "erlang_a.toml", ('hours.close="03:00"',)),
    Case("erlang_a_rep3", "erlang_a.toml", ('hours.close="02:30"',), seed=5, replication=3),
    Case("erlang_a_drain", "erlang_a.toml",
         ('hours.close="02:00"', "hours.serve_after_close=true")),
    Case("erlang_a_balking", "erlang_a.toml",
         ('hours.close="02:00"', 'balking.policy="queue_length"')),
    Case("erlang_a_deterministic", "erlang_a.toml",
         ('hours.close="02:00"', 'demand.walk_in.service={dist="deterministic", value_s=230}',
          'demand.walk_in.patience={dist="infinite"}')),
    Case("erlang_a_multiplier", "erlang_a.toml",
         ('hours.close="02:00"', "acknowledgment.patience_multiplier=2.0",
          "acknowledgment.notice_delay_s=4")),
    Case("erlang_a_phone", "erlang_a.toml",
         ('hours.close="02:00"', "demand.walk_in.rate_per_hour=0",
          "demand.phone.rate_per_hour=360", "staff.counter=0", "staff.phone=25")),
    Case("erlang_a_emails", "erlang_a.toml",
         ('hours.close="02:00"', "demand.email.rate_per_hour=30",
          "demand.walk_in.rate_per_hour=300")),
    # the baseline as shipped, and its seeds and replications
    Case("baseline", "baseline.toml"),
    Case("baseline_rep1", "baseline.toml", replication=1),
    Case("baseline_seed7_rep4", "baseline.toml", seed=7, replication=4),
    # acknowledgment policies
    Case("ack_finish_first", "baseline.toml", ('acknowledgment.policy="finish_first"',)),
    Case("ack_greet_first", "baseline.toml", ('acknowledgment.policy="greet_first"',)),
    Case("ack_gesture_while_busy", "baseline.toml",
         ('acknowledgment.policy="gesture_while_busy"',)),
    Case("ack_no_notice_delay", "baseline.toml", ("acknowledgment.notice_delay_s=0",)),
    # phone handling
    Case("phone_first", "baseline.toml", ('phone_handling.policy="phone_first"',)),
    Case("phone_hold_and_greet", "baseline.toml", ('phone_handling.policy="hold_and_greet"',)),
    Case("phone_walk_in_first", "baseline.toml", ('phone_handling.policy="walk_in_first"',)),
    Case("phone_lines_1", "baseline.toml", ("demand.phone.lines=1",)),
    Case("phone_only", "baseline.toml", ("demand.walk_in.rate_per_hour=0",)),
    Case("walk_in_only", "baseline.toml", ("demand.phone.rate_per_hour=0",)),
    Case("no_email", "baseline.toml", ("demand.email.rate_per_hour=0",)),
    Case("email_heavy", "baseline.toml", ("demand.email.rate_per_hour=20",)),
    # treatment (disciplines) and bias
    Case("disc_fifo", "baseline.toml", ('discipline.policy="fifo"',)),
    Case("disc_equal", "baseline.toml", ('discipline.policy="equal"',)),
    Case("disc_appearance_biased", "baseline.toml", ('discipline.policy="appearance_biased"',)),
    Case("disc_appearance_half_bias", "baseline.toml",
         ('discipline.policy="appearance_biased"', "staff.bias=0.5")),
    Case("disc_appearance_per_member", "baseline.toml",
         ('discipline.policy="appearance_biased"', "staff.bias=[1.0, 0.0, 0.5, 0.0, 1.0]")),
    Case("disc_value_tier", "baseline.toml", ('discipline.policy="value_tier"',)),
    # staff rules
    Case("phones_on_quiet", "baseline.toml", ('staff_rules.personal_phones="on_quiet"',)),
    Case("chat_not_in_view", "baseline.toml", ('staff_rules.chat_at_counter="not_in_view"',)),
    # distraction kinds, one at a time; none; more
    *(Case(f"only_{kind}", "baseline.toml",
           (*_only(kind), f"distractions.kinds.{kind}.idle_rate_per_hour=3")) for kind in KINDS),
    Case("no_distractions", "baseline.toml", ("distractions.enabled=false",)),
    Case("distractions_x3", "baseline.toml", ("distractions.rate_multiplier=3",)),
    # staff
    Case("traits_average", "baseline.toml", ('staff.traits="average"',)),
    Case("traits_off", "baseline.toml", ("traits.enabled=false",)),
    Case("specialists", "baseline.toml", SPECIALISTS),
    Case("short_day_flat", "baseline.toml", SHORT),
    Case("hard_close", "baseline.toml", ("hours.serve_after_close=false",)),
    Case("warmup", "baseline.toml", ("run.warmup_s=3600",)),
    Case("no_loyalty", "baseline.toml", ("loyalty.enabled=false",)),
    Case("no_balking", "baseline.toml", ('balking.policy="none"',)),
    # the main job's bundles
    Case("bundle_as_found", "baseline.toml", AS_FOUND),
    Case("bundle_best_practice", "baseline.toml",
         ('acknowledgment.policy="greet_first"', 'phone_handling.policy="hold_and_greet"',
          'staff_rules.personal_phones="on_quiet"', 'discipline.policy="equal"')),
    Case("bundle_best_practice_conduct", "baseline.toml",
         ('acknowledgment.policy="greet_first"', 'phone_handling.policy="hold_and_greet"',
          'staff_rules.personal_phones="on_quiet"', 'discipline.policy="equal"',
          'conduct.angry_customers="apologise_and_calm"', 'conduct.thanks="always"')),
    # the conduct experiment's guidance bundle: every conduct lever and modelling switch
    Case("bundle_guidance", "baseline.toml",
         ('acknowledgment.policy="greet_first"', 'phone_handling.policy="hold_and_greet"',
          'staff_rules.personal_phones="on_quiet"', 'discipline.policy="equal"',
          'resolution.policy="clerk"', 'email_replies.policy="on_point"',
          'complaints.policy="recover"', 'conduct.angry_customers="apologise_and_calm"',
          'conduct.thanks="always"', 'conduct.names="regulars"',
          'staff_rules.arguments="stop"', "run.days=2", "patrons.pool_size=600")),
    # multi-day runs (loyalty carried over, repeat contacts, churn, newcomers)
    Case("days_3", "baseline.toml", ("run.days=3", "patrons.pool_size=800")),
    Case("days_4_as_found", "baseline.toml", (*AS_FOUND, "run.days=4", "patrons.pool_size=600")),
    Case("days_3_fixed_newcomers", "baseline.toml",
         ("run.days=3", "patrons.pool_size=500", "market.new_patrons_per_day=4",
          'discipline.policy="value_tier"')),
    # retrials (issue 16): blocked, abandoning and leaving customers try again the same day
    Case("retrials", "baseline.toml", ("retrials.enabled=true", "staff=3")),
    Case("retrials_days_2", "baseline.toml",
         ("retrials.enabled=true", "run.days=2", "patrons.pool_size=600")),
    Case("retrials_erlang_a", "erlang_a.toml",
         ('hours.close="03:00"', "retrials.enabled=true", "retrials.walk_in.probability=0.5",
          "retrials.walk_in.max_retries=3")),
)


def _clean(value: object) -> object:
    """JSON-ready ``value``: enums as their text, tuples as lists."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _line(kind: str, payload: object) -> str:
    return json.dumps({"kind": kind, "data": _clean(payload)}, sort_keys=True, allow_nan=True)


def produce(case: Case, lean: bool = True) -> str:
    """Simulate ``case`` and return its golden text (JSON lines, exact floats); ``lean``:
    let plain clerks run the specialised loop (False: every clerk runs the general one)."""
    scenario = load_scenario(CONFIGS / case.config, list(case.overrides))
    metrics = metrics_recorder(scenario)
    contacts, activities, events = ContactLog(), ActivityLog(), EventLog()
    simulate(scenario, case.seed, case.replication, Tee(metrics, contacts, activities, events),
             lean=lean)
    lines = [_line("case", {"config": case.config, "overrides": list(case.overrides),
                            "seed": case.seed, "replication": case.replication}),
             _line("metrics", metrics.metrics()),
             _line("ack_histograms", metrics.ack_histograms())]
    lines += [_line("day", row) for row in metrics.days]
    lines += _table("contact", contacts.rows())
    lines += _table("activity", activities.rows())
    for channel, changes in events.queue.items():
        lines += [_line(f"queue.{channel}", ["t", "waiting"])]
        lines += [json.dumps(list(change)) for change in changes]
    lines += [_line("staff", ["t", "busy", "on_duty"])]
    lines += [json.dumps(list(change)) for change in events.staff]
    lines.append(_line("end", {"end_s": events.end_s if not math.isnan(events.end_s) else None}))
    return "\n".join(lines) + "\n"


def _table(kind: str, rows: list[dict[str, object]]) -> list[str]:
    """A header line naming the columns, then one JSON array per row (compact, exact)."""
    columns = sorted(rows[0]) if rows else []
    out = [_line(kind, columns)]
    out += [json.dumps([_clean(row[c]) for c in columns], allow_nan=True) for row in rows]
    return out
