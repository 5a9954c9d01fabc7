"""Preflight in-process: the warnings about suspicious scenarios, the resource guard's
estimates and limits, the worker count, and ``--strict`` (sim/preflight/)."""

from __future__ import annotations

import pytest

from sim.config.loading import load_scenario
from sim.errors import UserInputError
from sim.preflight import guard
from sim.preflight.gate import clear
from sim.preflight.guard import (
    MAX_CONTACTS,
    check_workload,
    contacts_per_replication,
    cpu_count,
    duration,
    estimate,
    worker_count,
)
from sim.preflight.warnings import scenario_warnings, stretches
from tests.helpers import BASELINE, ERLANG_A

CLOSED = ["demand.walk_in.rate_per_hour=0", "demand.phone.rate_per_hour=0",
          "demand.email.rate_per_hour=0"]


def kinds(overrides: list[str], config: object = BASELINE) -> list[str]:
    return [w.kind for w in scenario_warnings(load_scenario(config, overrides))]  # type: ignore[arg-type]


def test_a_well_staffed_day_has_no_warnings() -> None:
    assert kinds(["staff=6"]) == []
    assert kinds([], ERLANG_A) == []


def test_open_hours_without_staff_for_a_channel_are_named() -> None:
    found = scenario_warnings(load_scenario(BASELINE, [
        'staff.schedule=[{start="09:00", end="10:00", both=3}]']))
    texts = [w.text for w in found if w.kind == "unstaffed"]
    assert len(texts) == 2  # walk-ins and calls
    assert "10:00-17:00" in texts[0] and "walk-ins" in texts[0] and "about 176" in texts[0]


def test_a_dedicated_role_leaves_the_other_channel_unstaffed() -> None:
    found = scenario_warnings(load_scenario(BASELINE, [
        'staff.schedule=[{start="09:00", end="12:00", both=6}, '
        '{start="12:00", end="17:00", phone=2, counter=0}]']))
    assert [w.kind for w in found] == ["unstaffed"]
    assert "walk-ins (counter or both)" in found[0].text and "12:00-17:00" in found[0].text


def test_load_above_staff_is_warned_with_its_hours() -> None:
    found = [w for w in scenario_warnings(load_scenario(BASELINE, ["staff=3"]))
             if w.kind == "overloaded"]
    assert len(found) == 1 and "12:00-13:30" in found[0].text
    assert "utilisation up to 1.06" in found[0].text


def test_no_arrivals_and_a_long_warmup_are_warned() -> None:
    assert kinds(CLOSED) == ["no_arrivals"]
    assert "warmup" in kinds(["staff=6", "run.warmup_s=20000"])
    assert "warmup" not in kinds(["staff=6", "run.warmup_s=14400"])  # exactly half: fine


def test_stretches_cut_the_day_at_slots_and_shifts() -> None:
    pieces = stretches(load_scenario(BASELINE))
    assert pieces[0].start_s == 9 * 3600 and pieces[-1].end_s == 17 * 3600
    assert len(pieces) == 16  # the shifts start on slot boundaries
    assert [p.staff["both"] for p in pieces][:5] == [3, 3, 3, 3, 5]


def test_contacts_per_replication_follow_rates_and_days() -> None:
    per_rep, per_day = contacts_per_replication(load_scenario(BASELINE))
    assert per_rep == per_day == pytest.approx(192 + 96 + 32)
    per_rep, per_day = contacts_per_replication(load_scenario(BASELINE, ["run.days=10"]))
    assert per_rep == pytest.approx(10 * per_day)


def test_the_main_job_passes_the_guard_with_room_to_spare() -> None:
    scenario = load_scenario(BASELINE)
    work = estimate([scenario] * 36, 200, 2)
    assert work.contacts < MAX_CONTACTS / 50
    check_workload(work, force=False)


@pytest.mark.parametrize(("scenarios", "reps", "overrides", "words"), [
    (1, 1_000_000_000, [], "1e9 replications"),
    (3, 1_000_000, [], "contacts per command"),
    (1, 1, ['hours.close="8000:00"', "demand.walk_in.profile=[]", "demand.phone.profile=[]",
            "demand.email.profile=[]", "demand.walk_in.rate_per_hour=100000"],
     "contacts per replication"),
])
def test_too_much_work_is_refused_with_the_estimate(scenarios: int, reps: int,
                                                    overrides: list[str], words: str) -> None:
    work = estimate([load_scenario(BASELINE, overrides)] * scenarios, reps, 1)
    with pytest.raises(UserInputError) as err:
        check_workload(work, force=False)
    message = str(err.value)
    assert words in message and "--force" in message and "~" in message, message
    check_workload(work, force=True)  # the user said so


def test_memory_beyond_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "memory_limit", lambda: 1e8)
    work = estimate([load_scenario(BASELINE)], 10, 1)
    with pytest.raises(UserInputError, match="of memory"):
        check_workload(work, force=False)


def test_records_keep_every_contact_in_memory() -> None:
    scenario = load_scenario(BASELINE)
    assert (estimate([scenario], 1000, 1, records=True).memory_bytes
            > estimate([scenario], 1000, 1).memory_bytes + 1000 * 320 * 1000)


def test_worker_count_is_capped_by_cores_and_tasks() -> None:
    cores = cpu_count()
    assert worker_count(cores, 1, cluster=False, force=False) == 1
    assert worker_count(1, 100, cluster=False, force=False) == 1
    assert worker_count(1000, 100, cluster=True, force=False) == 0
    with pytest.raises(UserInputError, match=f"--jobs {cores + 1}: .*--force"):
        worker_count(cores + 1, 100, cluster=False, force=False)
    assert worker_count(cores + 1, 3, cluster=False, force=True) == min(cores + 1, 3)


def test_durations_read_naturally() -> None:
    assert [duration(s) for s in (5, 3000, 5400, 8e5)] == ["5 s", "50 min", "1.5 h", "9.3 days"]


def test_strict_turns_warnings_into_one_error_line() -> None:
    scenario = load_scenario(BASELINE, ["staff=3"])
    cleared = clear([("", scenario)], reps=2, jobs=1, cluster=False, force=False, strict=False)
    assert len(cleared.warnings) == 1 and cleared.workers == 1
    with pytest.raises(UserInputError) as err:
        clear([("", scenario)], reps=2, jobs=1, cluster=False, force=False, strict=True)
    assert str(err.value).startswith("--strict: offered load") and "\n" not in str(err.value)


def test_a_sweep_groups_warnings_by_kind() -> None:
    points = [(f"staff={n}", load_scenario(BASELINE, [f"staff={n}"])) for n in (3, 5, 7)]
    cleared = clear(points, reps=2, jobs=1, cluster=False, force=False, strict=False)
    assert len(cleared.warnings) == 1
    assert cleared.warnings[0].endswith("(in 1 of 3 scenarios: staff=3)")
