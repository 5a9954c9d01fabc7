"""One day in detail, for the timeline figure: every staff activity interval and every
contact of one replication of one scenario (a single day, records kept)."""

from __future__ import annotations

from pathlib import Path

from sim.config.schema import Scenario
from sim.model.contact import EMAIL
from sim.model.records import ActivityLog, ContactLog, Tee
from sim.model.simulation import simulate
from sim.results.store import write_csv

STAFF_COLUMNS = ("staff_id", "start_s", "end_s", "activity")
CONTACT_COLUMNS = ("id", "channel", "arrival_s", "ack_s", "start_s", "end_s", "outcome",
                   "staff_id")


def one_day(scenario: Scenario, seed: int, replication: int,
            ) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """(staff activity rows, contact rows) of day 0 of ``replication``; times in seconds
    after midnight. Day 0 of a multi-day run is the same day as a one-day run."""
    day = scenario.model_copy(update={"run": scenario.run.model_copy(update={"days": 1})})
    activities, contacts = ActivityLog(), ContactLog()
    simulate(day, seed, replication, Tee(activities, contacts))
    contact_rows = [{k: row[k] for k in CONTACT_COLUMNS if k in row} for row in contacts.rows()
                    if row["channel"] != EMAIL]
    return activities.rows(), contact_rows


def write_timeline(out: Path, scenario: Scenario, seed: int, replication: int = 0) -> None:
    """Write ``timeline_staff.csv`` and ``timeline_contacts.csv`` into ``out``."""
    staff, contacts = one_day(scenario, seed, replication)
    write_csv(out / "timeline_staff.csv", staff, STAFF_COLUMNS)
    write_csv(out / "timeline_contacts.csv", contacts, CONTACT_COLUMNS)
