"""Unit tests of the staffing search's parts: targets, per-slot metrics, confidence bounds,
slots and warm-up, Erlang-A starting point and schedules."""

from __future__ import annotations

import math
import tomllib

import pytest
from scipy import stats

from sim.config.loading import load_scenario, scenario_from_dict
from sim.errors import UserInputError
from sim.execution.runner import run_replication
from sim.staffing.schedule import (
    check_searchable,
    erlang_a_rates,
    erlang_a_staff,
    fill_warmup,
    mean_rate_per_s,
    schedule_blocks,
    schedule_toml,
    with_schedule,
)
from sim.staffing.search import nearest_removal
from sim.staffing.slots import (
    Slot,
    channel_targets_s,
    measured_from_s,
    slot_metrics,
    staffing_slots,
)
from sim.staffing.targets import (
    Target,
    check_target,
    confidence_bound,
    parse_target,
    parse_targets,
)
from sim.theory import erlang_a_metrics, min_servers_erlang_a
from tests.helpers import BASELINE, ERLANG_A

NAN = math.nan

# ------------------------------------------------------------------------------ targets


@pytest.mark.parametrize(("text", "expected"), [
    ("walkout_rate<=0.05", Target("walkout_rate", "<=", 0.05)),
    (" p_ack_within_target >= 80% ", Target("p_ack_within_target", ">=", 0.8)),
    ("service_level>=0.9", Target("service_level", ">=", 0.9)),
    ("mean_wait_s<=60", Target("mean_wait_s", "<=", 60.0)),
    ("mean_time_to_ack_acknowledged_s<=12.5",
     Target("mean_time_to_ack_acknowledged_s", "<=", 12.5)),
])
def test_targets_parse(text: str, expected: Target) -> None:
    assert parse_target(text) == expected


@pytest.mark.parametrize(("text", "problem"), [
    ("walkouts<=0.05", "unknown metric 'walkouts'"),
    ("walkout_rate<0.05", "operator '<' is not <= or >="),
    ("walkout_rate=0.05", "operator '=' is not <= or >="),
    ("walkout_rate>=0.05", "takes <="),
    ("service_level<=0.8", "takes >="),
    ("walkout_rate", "expected METRIC<=VALUE or METRIC>=VALUE"),
    ("<=0.05", "expected METRIC<=VALUE"),
    ("walkout_rate<=abc", "'abc' is not a number"),
    ("walkout_rate<=1.5", "strictly between 0 and 1"),
    ("p_ack_within_target>=0", "strictly between 0 and 1"),
    ("mean_wait_s<=-3", "positive number of seconds"),
    ("mean_wait_s<=inf", "positive number of seconds"),
])
def test_bad_targets_name_the_text_and_list_what_is_allowed(text: str, problem: str) -> None:
    with pytest.raises(UserInputError) as err:
        parse_target(text)
    message = str(err.value)
    assert repr(text) in message and problem in message
    assert "allowed: walkout_rate<=P, p_ack_within_target>=P, service_level>=P" in message
    assert "\n" not in message


def test_each_metric_once() -> None:
    with pytest.raises(UserInputError, match="given twice"):
        parse_targets(["walkout_rate<=0.05", "walkout_rate<=0.1"])
    assert [t.text for t in parse_targets(["walkout_rate<=5%", "mean_wait_s<=30"])] == [
        "walkout_rate<=0.05", "mean_wait_s<=30"]


def test_target_holds_slack_and_gap() -> None:
    upper = Target("walkout_rate", "<=", 0.05)
    lower = Target("service_level", ">=", 0.8)
    assert upper.holds(0.05) and not upper.slack(0.05) and upper.slack(0.04)
    assert not upper.holds(0.06) and upper.gap(0.06) == pytest.approx(0.2)
    assert lower.holds(0.8) and not lower.holds(0.79) and lower.gap(0.6) == pytest.approx(0.25)
    assert upper.holds(NAN) and upper.slack(NAN) and upper.gap(NAN) == -math.inf


# ------------------------------------------------------------------------------ per-slot metrics

SLOTS = [Slot(3600.0, 5400.0, True), Slot(5400.0, 7200.0, True)]
TARGETS_S = {"walk_in": 30.0, "phone": 20.0}


def row(channel: str, arrival: float, outcome: str, ack: float = NAN, start: float = NAN,
        end: float = NAN) -> dict[str, object]:
    """A contact record with times relative to arrival (s)."""
    return {"channel": channel, "arrival_s": arrival, "ack_s": arrival + ack,
            "start_s": arrival + start, "end_s": arrival + end, "outcome": outcome}


CONTACTS = [
    row("walk_in", 3000.0, "served", 0, 0, 100),            # during warm-up: ignored
    row("email", 4000.0, "served", 0, 0, 100),              # e-mail: ignored
    row("walk_in", 3700.0, "served", 10, 25, 300),          # slot 0
    row("walk_in", 3800.0, "served", 40, 40, 300),          # slot 0: late
    row("phone", 3900.0, "abandoned", end=15),              # slot 0: walkout, no ack
    row("walk_in", 4000.0, "balked", end=0),                # slot 0: walkout, did not join
    row("phone", 5000.0, "served", 18, 18, 200),            # slot 0: answered within 20 s
    row("walk_in", 5400.0, "reneged_acknowledged", 5, end=90),  # slot 1 (boundary)
    row("phone", 6000.0, "blocked", end=0),                 # slot 1: walkout, did not join
    row("walk_in", 7100.0, "in_system", 2, 2),              # slot 1: counts as an arrival only
]


def test_slot_metrics_by_hand() -> None:
    first, second = slot_metrics(CONTACTS, SLOTS, TARGETS_S, measured_from=3600.0)
    # slot 0: 5 arrivals, 2 walkouts; joined 4 (served 3 + abandoned); waits 25, 40, 15, 18
    assert first["walkout_rate"] == pytest.approx(2 / 5)
    assert first["mean_wait_s"] == pytest.approx((25 + 40 + 15 + 18) / 4)
    assert first["mean_time_to_ack_acknowledged_s"] == pytest.approx((10 + 40 + 18) / 3)
    assert first["p_ack_within_target"] == pytest.approx(2 / 4)  # 10 s walk-in, 18 s call
    assert first["service_level"] == pytest.approx(2 / 4)        # 25 s walk-in, 18 s call
    # slot 1: 3 arrivals, 2 walkouts; joined 1 (reneged after 5 s greeting, left at 90 s)
    assert second["walkout_rate"] == pytest.approx(2 / 3)
    assert second["mean_wait_s"] == pytest.approx(90.0)
    assert second["p_ack_within_target"] == 1.0
    assert second["service_level"] == 0.0


def test_slot_without_contacts_is_undefined() -> None:
    empty = slot_metrics([], SLOTS, TARGETS_S, measured_from=0.0)
    assert all(math.isnan(v) for m in empty for v in m.values())


def test_one_slot_over_the_day_equals_the_run_metrics() -> None:
    scenario = load_scenario(BASELINE, ["run.warmup_s=1800"])
    result = run_replication(scenario, 5, 0, keep_contacts=True)
    day = [Slot(scenario.hours.open_s, scenario.hours.close_s, True)]
    (got,) = slot_metrics(result.contacts, day, channel_targets_s(scenario),
                          measured_from_s(scenario))
    for name, value in got.items():
        assert value == pytest.approx(result.metrics[name], rel=1e-12), name


# ------------------------------------------------------------------------------ confidence


def test_one_sided_t_bound() -> None:
    values = [0.02, 0.05, 0.04, NAN, 0.03]
    mean, upper, n = confidence_bound(values, "<=", 0.95)
    half = stats.t.ppf(0.95, 3) * stats.tstd([0.02, 0.05, 0.04, 0.03]) / 2.0
    assert mean == pytest.approx(0.035) and n == 4
    assert upper == pytest.approx(0.035 + half)
    assert confidence_bound(values, ">=", 0.95)[1] == pytest.approx(0.035 - half)
    mean, bound, n = confidence_bound([0.3, NAN], "<=", 0.95)   # one value: no bound
    assert (mean, n) == (0.3, 1) and math.isnan(bound)
    check = check_target([0.3, NAN], parse_target("walkout_rate<=0.05"), 0.95)
    assert check.passed and not check.judged     # nothing to judge, and said so
    assert all(math.isnan(v) for v in confidence_bound([NAN], "<=", 0.95)[:2])


# ------------------------------------------------------------------------------ slots


def test_slots_cover_the_day_and_mark_the_warm_up() -> None:
    scenario = load_scenario(BASELINE, ["run.warmup_s=3600"])
    slots = staffing_slots(scenario, 45)
    assert [s.label for s in slots[:2]] == ["09:00-09:45", "09:45-10:30"]
    assert slots[-1].label == "16:30-17:00" and len(slots) == 11
    assert [s.measured for s in slots[:3]] == [False, True, True]
    assert fill_warmup(slots[:3], [9, 4, 7]) == [4, 4, 7]
    assert len(staffing_slots(scenario)) == scenario.hours.n_slots


def test_mean_rate_follows_the_profile() -> None:
    scenario = load_scenario(BASELINE)
    walk_in = scenario.demand.walk_in
    start = scenario.hours.open_s
    half_hour = mean_rate_per_s(walk_in, scenario, start, start + 1800)
    assert half_hour == pytest.approx(24 * 0.6 / 3600)
    hour = mean_rate_per_s(walk_in, scenario, start, start + 3600)
    assert hour == pytest.approx(24 * (0.6 + 0.7) / 2 / 3600)


def test_erlang_a_start_matches_the_oracle() -> None:
    scenario = load_scenario(ERLANG_A)
    (slot,) = staffing_slots(scenario)
    lam, mu, theta = erlang_a_rates(scenario, slot)
    assert (lam, mu, theta) == pytest.approx((0.1, 1 / 240, 1 / 120))
    targets = parse_targets(["walkout_rate<=0.05", "service_level>=0.8"])
    expected = min_servers_erlang_a(lam, mu, theta, 20.0, max_p_abandon=0.05,
                                    min_service_level=0.8)
    assert erlang_a_staff(lam, mu, theta, targets, 20.0) == expected
    assert erlang_a_staff(0.0, mu, theta, targets, 20.0) == 0
    n = erlang_a_staff(lam, mu, theta, parse_targets(["mean_wait_s<=5"]), 20.0)
    assert erlang_a_metrics(lam, mu, theta, n, 20.0).mean_wait <= 5.0
    assert erlang_a_metrics(lam, mu, theta, n - 1, 20.0).mean_wait > 5.0


def test_baseline_mix_of_channels() -> None:
    scenario = load_scenario(BASELINE)
    lam, mu, theta = erlang_a_rates(scenario, staffing_slots(scenario)[0])
    walk, phone = 24 * 0.6 / 3600, 12 * 0.8 / 3600
    assert lam == pytest.approx(walk + phone)
    assert 1 / mu == pytest.approx((walk * 240 + phone * 186) / (walk + phone))
    patience_walk = 297 * math.exp(1.43**2 / 2)
    patience_phone = 354 * math.exp(1.88**2 / 2)
    assert 1 / theta == pytest.approx((walk * patience_walk + phone * patience_phone)
                                      / (walk + phone))


# ------------------------------------------------------------------------------ schedules


def test_schedule_blocks_merge_and_paste_into_a_config() -> None:
    scenario = load_scenario(BASELINE)
    slots = staffing_slots(scenario, 120)
    blocks = schedule_blocks(slots, [3, 3, 5, 4])
    assert [(b.start, b.end, b.both, b.counter, b.phone) for b in blocks] == [
        ("09:00", "13:00", 3, 0, 0), ("13:00", "15:00", 5, 0, 0), ("15:00", "17:00", 4, 0, 0)]
    staffed = with_schedule(scenario, blocks)
    assert staffed.staff.schedule == blocks and staffed.staff.both == 0
    data = tomllib.loads(BASELINE.read_text())
    data["staff"].update(tomllib.loads(schedule_toml(blocks, "a comment"))["staff"])
    assert scenario_from_dict(data).staff.schedule == blocks


def test_lists_per_staff_member_and_multi_day_runs_are_refused() -> None:
    scenario = load_scenario(BASELINE, ['discipline.policy="appearance_biased"',
                                        "staff.bias=[1, 0, 0, 0, 0]"])
    with pytest.raises(UserInputError, match=r"staff\.bias is a list"):
        check_searchable(scenario)
    scenario = load_scenario(BASELINE, ["staff.traits=[{}, {}, {}, {}, {}]"])
    with pytest.raises(UserInputError, match=r"staff\.traits is a list.*'random' or 'average'"):
        check_searchable(scenario)
    with pytest.raises(UserInputError, match=r"run\.days = 3"):
        check_searchable(load_scenario(BASELINE, ["run.days=3"]))


def test_nearest_removal_prefers_own_then_earlier() -> None:
    assert nearest_removal(4, {1, 4, 6}) == 4
    assert nearest_removal(5, {1, 3, 6}) == 3
    assert nearest_removal(0, {2, 6}) == 2
