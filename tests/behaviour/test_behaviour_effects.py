"""Statistical behavioural tests: staff behaviour changes outcomes in the direction the
model (docs/model.md, staff behaviour; parameters in docs/parameters.md) says it should.

Every comparison is *paired* (common random numbers): both scenarios run with the same
root seed and the same replication numbers, so each replication sees the same customers
(arrival times, patience, service requirement, balking draw). The test statistic is the
per-replication difference B − A of a metric, and a comparison passes when the 95 %
Student-t interval of that difference (``sim.results.statistics.estimate``) excludes 0 in the
expected direction. Parameters were chosen so the effects are clear, not borderline:
the measured intervals are far from 0 (see the note on each test).

Cost: single days of the baseline counter, 40 replications per scenario, two processes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache

from sim.config.loading import load_scenario
from sim.config.schema import Scenario
from sim.execution.runner import run_replications
from sim.model.contact import WALK_IN
from sim.model.records import ActivityLog, ContactLog, Tee
from sim.model.simulation import simulate
from sim.results.statistics import Estimate, estimate
from tests.helpers import BASELINE, paired

SEED = 20240611
REPS = 40
JOBS = 2

Rows = list[dict[str, float]]


def scenario(*overrides: str) -> Scenario:
    """The baseline scenario with ``--set`` style overrides."""
    return load_scenario(BASELINE, list(overrides))


@cache
def rows(overrides: tuple[str, ...]) -> Rows:
    """Metrics rows of replications 0..REPS-1 (sorted by replication) for a variant of the
    baseline. Cached: scenarios shared by several tests run once."""
    results = run_replications(scenario(*overrides), SEED, REPS, jobs=JOBS)
    assert [r.replication for r in results] == list(range(REPS))
    return [r.metrics for r in results]


def mean_of(rs: Rows, metric: str) -> Estimate:
    """95 % interval of the mean of ``metric`` over replications."""
    return estimate([float(r[metric]) for r in rs])


def show(e: Estimate) -> str:
    return f"{e.mean:.3f} [{e.ci_low:.3f}, {e.ci_high:.3f}] (n={e.n})"


def assert_increases(a: Rows, b: Rows, metric: str) -> Estimate:
    """The paired 95 % CI of ``b − a`` lies entirely above 0."""
    d = paired(a, b, metric)
    assert d.n == REPS, f"{metric}: undefined in some replications"
    assert d.ci_low > 0.0, f"{metric}: expected an increase, paired difference {show(d)}"
    return d


def assert_decreases(a: Rows, b: Rows, metric: str) -> Estimate:
    """The paired 95 % CI of ``b − a`` lies entirely below 0."""
    d = paired(a, b, metric)
    assert d.n == REPS, f"{metric}: undefined in some replications"
    assert d.ci_high < 0.0, f"{metric}: expected a decrease, paired difference {show(d)}"
    return d


def all_rates_times(factor: float) -> list[str]:
    """Overrides multiplying every distraction kind's idle and serving rate by ``factor``."""
    out = []
    for name, kind in scenario().distractions.kinds.items():
        out.append(f"distractions.kinds.{name}.idle_rate_per_hour="
                   f"{kind.idle_rate_per_hour * factor!r}")
        out.append(f"distractions.kinds.{name}.serving_rate_per_hour="
                   f"{kind.serving_rate_per_hour * factor!r}")
    return out


FINISH_FIRST = 'acknowledgment.policy="finish_first"'
GREET_FIRST = 'acknowledgment.policy="greet_first"'
GESTURE = 'acknowledgment.policy="gesture_while_busy"'


# --------------------------------------------------------------------------- 1. more distraction


def test_more_distraction_means_more_walkouts_and_slower_acknowledgment() -> None:
    """Baseline vs every distraction rate × 3 (same customers): staff are distracted more,
    customers wait longer to be acknowledged and more of them walk out.
    Seen: walkouts +5.7 [4.3, 7.0]/day, mean time to ack +4.2 s [3.0, 5.4]."""
    base = rows(())
    more = rows(tuple(all_rates_times(3.0)))
    assert_increases(base, more, "distracted_fraction")  # the override took effect
    assert_increases(base, more, "walkouts")
    assert_increases(base, more, "mean_time_to_ack_acknowledged_s")
    assert_increases(base, more, "walk_in_walkouts")
    assert_increases(base, more, "walk_in_mean_time_to_ack_acknowledged_s")
    assert_increases(base, more, "p90_time_to_ack_s")


# --------------------------------------------------------------------------- 2. greet_first


CHATTY = "distractions.kinds.coworker_chat.idle_rate_per_hour=10.0"


def test_greet_first_beats_finish_first_when_staff_chat() -> None:
    """Plenty of interruptible distraction (co-worker chats 10/hour of idle time): breaking
    off the chat to greet (greet_first) acknowledges sooner and loses fewer customers than
    finishing it first. Seen: mean time to ack −7.5 s [−8.4, −6.5] (−28 %), walkouts
    −8.3 [−9.7, −6.9]/day (−25 %)."""
    finish = rows((CHATTY, FINISH_FIRST))
    greet = rows((CHATTY, GREET_FIRST))
    for metric in ("mean_time_to_ack_acknowledged_s", "walkouts",
                   "walk_in_mean_time_to_ack_acknowledged_s",
                   "walk_in_walkouts"):
        d = assert_decreases(finish, greet, metric)
        # clear, not borderline: at least a 10 % improvement on average
        assert d.mean < -0.10 * mean_of(finish, metric).mean, f"{metric}: {show(d)}"
    assert_increases(finish, greet, "p_ack_within_target")


# --------------------------------------------------------------------------- 3. phones on quiet


def test_phones_on_quiet_removes_divided_attention_services() -> None:
    """``personal_phones = "on_quiet"``: no personal call is ever taken during a service, so
    no service is done with divided attention, in any replication and on either channel.
    Under "allowed" the baseline has about 22 a day."""
    allowed = rows(())
    quiet = rows(('staff_rules.personal_phones="on_quiet"',))
    for metric in ("divided_attention_services", "walk_in_divided_attention_services",
                   "phone_divided_attention_services"):
        values = [r[metric] for r in quiet]
        assert values == [0.0] * REPS, f"{metric} under on_quiet: {values}"
    assert mean_of(allowed, "divided_attention_services").ci_low > 0.0
    assert sum(r["divided_attention_services"] > 0 for r in allowed) >= 0.9 * REPS
    assert_decreases(allowed, quiet, "divided_attention_services")
    # only a share of the idle personal calls remains
    assert_decreases(allowed, quiet, "staff_time_personal_call")


# --------------------------------------------------------------------------- 4. visible argument


ARGUMENT_OFF = "distractions.kinds.argument.idle_rate_per_hour=0.0"
ARGUMENT_ON = "distractions.kinds.argument.idle_rate_per_hour=2.0"


def test_visible_argument_raises_balking_and_scene_walkouts() -> None:
    """An argument (visible, long, balk_extra_probability 0.3) 2/hour of idle time vs never:
    more walk-ins balk, and walkouts during a scene happen only when arguments do.
    Seen: balked +18.5 [16.1, 20.9]/day, walkouts during scene 24.9 [22.0, 27.9]/day."""
    off = rows((ARGUMENT_OFF,))
    on = rows((ARGUMENT_ON,))
    assert [r["staff_time_argument"] for r in off] == [0.0] * REPS
    assert all(r["staff_time_argument"] > 0.0 for r in on)
    assert_increases(off, on, "balked")
    assert_increases(off, on, "walk_in_balked")
    assert_increases(off, on, "walkouts")
    assert [r["walkouts_during_scene"] for r in off] == [0.0] * REPS
    assert mean_of(on, "walkouts_during_scene").ci_low > 0.0
    assert_increases(off, on, "walkouts_during_scene")


def _argument_intervals(activity_rows: Sequence[dict[str, object]]) -> list[tuple[float, float]]:
    return [(float(r["start_s"]), float(r["end_s"]))  # type: ignore[arg-type]
            for r in activity_rows if r["activity"] == "argument"]


def _inside(t: float, intervals: list[tuple[float, float]]) -> bool:
    return any(a < t < b for a, b in intervals)


def test_walk_ins_arriving_during_an_argument_balk_more_often() -> None:
    """Classify every walk-in by whether it arrived while some staff member was arguing (from
    the staff activity log). The share of balks among walk-ins arriving during a scene is
    higher than among those arriving outside one (paired per replication), and the model's
    own ``during_scene`` flag on each balk agrees with the activity log.
    Seen: share in scene 0.31 (741 of 2421), outside 0.00 (0 of 5295); per-replication
    difference 0.31 [0.29, 0.33]."""
    sc = scenario(ARGUMENT_ON)
    diffs = []
    in_scene_total = [0, 0]   # balks, arrivals
    outside_total = [0, 0]
    for rep in range(REPS):
        contacts, activities = ContactLog(), ActivityLog()
        simulate(sc, SEED, rep, Tee(contacts, activities))
        scenes = _argument_intervals(activities.rows())
        counts = {True: [0, 0], False: [0, 0]}
        for c in contacts.rows():
            if c["channel"] != WALK_IN:
                continue
            inside = _inside(float(c["arrival_s"]), scenes)  # type: ignore[arg-type]
            balked = c["outcome"] == "balked"
            if balked:
                assert c["during_scene"] is inside, c
            counts[inside][0] += balked
            counts[inside][1] += 1
        for total, key in ((in_scene_total, True), (outside_total, False)):
            total[0] += counts[key][0]
            total[1] += counts[key][1]
        if counts[True][1] and counts[False][1]:
            diffs.append(counts[True][0] / counts[True][1] - counts[False][0] / counts[False][1])
        else:
            diffs.append(math.nan)
    d = estimate(diffs)
    assert d.n >= REPS * 0.9, f"too few replications with arrivals during a scene: {d.n}"
    assert d.ci_low > 0.0, f"balk share in scene − outside: {show(d)}"
    share_in = in_scene_total[0] / in_scene_total[1]
    share_out = outside_total[0] / outside_total[1]
    # the scene adds balk_extra_probability = 0.3 to the balking chance
    assert share_in > share_out + 0.15, (share_in, share_out)


# --------------------------------------------------------------------------- 5. gesture_while_busy


def test_gesture_while_busy_acknowledges_sooner_than_finish_first() -> None:
    """A busy clerk who acknowledges a newcomer with a look and a gesture cuts the time to
    acknowledge. Seen: walk-in mean time to ack −21.0 s [−22.8, −19.2] (23.8 → 2.8 s)."""
    finish = rows((FINISH_FIRST,))
    gesture = rows((GESTURE,))
    assert_decreases(finish, gesture, "walk_in_mean_time_to_ack_acknowledged_s")
    assert_decreases(finish, gesture, "mean_time_to_ack_acknowledged_s")
    assert_increases(finish, gesture, "walk_in_p_ack_within_target")


# --------------------------------------------------------------------------- 6. hold_and_greet


BUSY_POOLED = ("demand.walk_in.rate_per_hour=30.0", "demand.phone.rate_per_hour=18.0")


def test_hold_and_greet_greets_walk_ins_sooner_but_holds_calls() -> None:
    """Pooled staff (baseline schedule, role "both") with both channels busy: asking the
    caller to hold to greet a walk-in (hold_and_greet) acknowledges walk-ins much sooner
    than phone_first, at the price of callers put on hold.
    Seen: walk-in mean time to ack −28.7 s [−30.8, −26.7]; calls held 52.1 [49.8, 54.3]/day."""
    sc = scenario(*BUSY_POOLED)
    assert sc.staff.schedule and all(s.both > 0 and s.counter == s.phone == 0
                                     for s in sc.staff.schedule)
    phone_first = rows((*BUSY_POOLED, 'phone_handling.policy="phone_first"'))
    hold = rows((*BUSY_POOLED, 'phone_handling.policy="hold_and_greet"'))
    assert mean_of(phone_first, "utilization").mean > 0.6  # busy
    assert_decreases(phone_first, hold, "walk_in_mean_time_to_ack_acknowledged_s")
    assert [r["held_for_walk_in"] for r in phone_first] == [0.0] * REPS
    assert all(r["held_for_walk_in"] > 0 for r in hold)
    assert all(r["held_for_walk_in"] == r["phone_held_for_walk_in"] for r in hold)
    assert_increases(phone_first, hold, "held_for_walk_in")
