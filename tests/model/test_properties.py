"""Property tests: invariants that hold for every scenario, seed and policy.

Hypothesis draws small random scenarios (1–2 opening hours, staff counts 0–4 per role,
with or without a shift schedule, random rates, lines, patience, service times and
registered policies, serve_after_close both ways) and random seeds, runs one
replication, and checks conservation, time ordering, staff exclusivity, phone-line
capacity, exact renege/abandon times, and that the metrics agree with the contact log.

Examples are derandomized (the same examples every run) and no example database is
written.
"""

from __future__ import annotations

import copy
import itertools
import math
from collections import defaultdict
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sim.config.loading import scenario_from_dict
from sim.config.schema import Scenario
from sim.execution.runner import metrics_recorder, run_replication
from sim.model.contact import PHONE, WALK_IN, Contact, Outcome
from sim.model.demand import ScheduledContact
from sim.model.records import ContactLog, EventLog, Tee
from sim.model.roster import ROLE_CHANNELS, StaffMember, build_roster
from sim.model.simulation import simulate
from sim.policies.acknowledgment import ACKNOWLEDGMENT
from sim.policies.balking import BALKING
from sim.policies.discipline import DISCIPLINES
from sim.policies.phone_handling import PHONE_HANDLING

PROPS = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.too_slow])
TOL = 1e-6


# --------------------------------------------------------------------------- strategies


def durations(min_mean: float, max_mean: float) -> st.SearchStrategy[dict[str, Any]]:
    mean = st.floats(min_mean, max_mean)
    return st.one_of(
        st.builds(lambda m: {"dist": "exponential", "mean_s": m}, mean),
        st.builds(lambda m, cv: {"dist": "lognormal", "mean_s": m, "cv": cv},
                  mean, st.floats(0.2, 1.5)),
        st.builds(lambda m, s: {"dist": "lognormal_median", "median_s": m, "sigma": s},
                  mean, st.floats(0.2, 1.5)),
        st.builds(lambda v: {"dist": "deterministic", "value_s": v},
                  st.sampled_from([0.0, min_mean, max_mean])),
    )


def patiences() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(durations(20.0, 900.0), st.just({"dist": "infinite"}))


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def scenario_dicts(draw: st.DrawFn, roles: tuple[str, ...] = ("counter", "phone", "both"),
                   behaviour: bool = False,
                   phone_open: bool = True) -> dict[str, Any]:
    open_min = draw(st.sampled_from([0, 9 * 60]))
    hours = draw(st.integers(1, 2))
    close_min = open_min + 60 * hours
    n_slots = 2 * hours  # 30-minute slots

    def channel(rates: list[float]) -> dict[str, Any]:
        return {
            "rate_per_hour": draw(st.sampled_from(rates)),
            "profile": draw(st.one_of(
                st.just([]),
                st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0]),
                         min_size=n_slots, max_size=n_slots))),
            "service": draw(durations(30.0, 400.0)),
            "patience": draw(patiences()),
        }

    walk = channel([0.0, 10.0, 40.0, 90.0])
    phone = channel([0.0, 10.0, 40.0] if phone_open else [0.0])
    phone["lines"] = draw(st.one_of(st.none(), st.integers(1, 4)))

    count = st.integers(0, 4)
    staff: dict[str, Any] = {r: 0 for r in ("counter", "phone", "both")}
    if draw(st.booleans()):
        inner = draw(st.lists(st.integers(1, 6 * hours - 1), max_size=3, unique=True))
        cuts = [open_min, *sorted(open_min + 10 * c for c in inner), close_min]
        schedule = []
        for start, end in itertools.pairwise(cuts):
            slot: dict[str, Any] = {"start": clock(start), "end": clock(end)}
            slot.update({r: draw(count) for r in roles})
            schedule.append(slot)
        staff["schedule"] = schedule
        slots = schedule
    else:
        staff.update({r: draw(count) for r in roles})
        slots = [staff]

    # every open channel needs someone who can serve it at some time
    for name, ch in (("walk_in", walk), ("phone", phone)):
        eligible = [r for r in roles if name in ROLE_CHANNELS[r]]
        open_ = ch["rate_per_hour"] > 0 and (not ch["profile"] or any(ch["profile"]))
        if open_ and not any(s.get(r, 0) for s in slots for r in eligible):
            slots[0][eligible[0]] = 1

    return {
        "hours": {"open": clock(open_min), "close": clock(close_min), "slot_minutes": 30,
                  "serve_after_close": draw(st.booleans())},
        "demand": {"walk_in": walk, "phone": phone},
        "staff": staff,
        "acknowledgment": {"policy": draw(st.sampled_from(ACKNOWLEDGMENT.names())),
                           "notice_delay_s": draw(st.sampled_from([0.0, 3.0, 20.0])),
                           "patience_multiplier": draw(st.floats(1.0, 3.0))},
        # holds nest a walk-in's service inside a call's: only with ``behaviour``
        "phone_handling": {"policy": draw(st.sampled_from(
            PHONE_HANDLING.names() if behaviour else ["phone_first"]))},
        "distractions": {"enabled": draw(st.booleans()) if behaviour else False},
        "traits": {"enabled": draw(st.booleans()) if behaviour else False},
        "discipline": {"policy": draw(st.sampled_from(DISCIPLINES.names()))},
        "balking": {"policy": draw(st.sampled_from(BALKING.names())),
                    "free_waiting": draw(st.integers(0, 5)),
                    "per_extra_waiting": draw(st.sampled_from([0.0, 0.1, 0.3, 0.5])),
                    "max_probability": draw(st.sampled_from([0.0, 0.5, 0.9, 1.0]))},
        "run": {"warmup_s": draw(st.sampled_from([0.0, 0.0, 900.0]))},
    }


def build(data: dict[str, Any]) -> Scenario:
    """The scenario; behaviour (distractions, traits) is off unless ``data`` turns it on."""
    return scenario_from_dict({"distractions": {"enabled": False},
                               "traits": {"enabled": False}, **data})


seeds = st.integers(0, 2**32 - 1)
reps = st.integers(0, 50)


# --------------------------------------------------------------------------- helpers


Events = EventLog


def run_logged(scenario: Scenario, seed: int, rep: int
               ) -> tuple[list[Contact], Events, dict[str, float]]:
    log, events, metrics = ContactLog(), Events(), metrics_recorder(scenario)
    simulate(scenario, seed, rep, Tee(log, events, metrics))
    # sorted here: the log's own order is checked exactly in test_event_logs.py
    contacts = sorted(log.contacts, key=lambda c: c.id)
    return contacts, events, metrics.metrics()


def defined(x: float) -> bool:
    return not math.isnan(x)


def line_interval(c: Contact, run_end: float) -> tuple[float, float]:
    """[arrival, time it left the waiting line) for contacts that joined."""
    if defined(c.start_s):
        return c.arrival_s, c.start_s
    if defined(c.end_s):
        return c.arrival_s, c.end_s
    return c.arrival_s, run_end


def deadline(c: Contact, multiplier: float) -> float:
    """Patience deadline: arrival + patience, the rest stretched by ``multiplier`` if the
    contact was greeted while waiting (answering a call or starting service does not
    count: the contact is no longer waiting)."""
    end = c.arrival_s + c.patience_s
    greeted_waiting = defined(c.ack_s) and not (defined(c.start_s) and c.ack_s == c.start_s)
    if greeted_waiting and multiplier != 1.0 and end != math.inf:
        end = c.ack_s + (end - c.ack_s) * multiplier
    return end


def joined(c: Contact) -> bool:
    return c.outcome not in (Outcome.BALKED, Outcome.BLOCKED)


def overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


# --------------------------------------------------------------------------- conservation


@PROPS
@given(data=scenario_dicts(), seed=seeds, rep=reps)
def test_conservation_per_channel(data: dict[str, Any], seed: int, rep: int) -> None:
    """Every arrival ends in exactly one outcome, per channel and in total."""
    scenario = build(data)
    m = run_replication(scenario, seed, rep).metrics
    parts = ("served", "balked", "reneged_unacknowledged", "reneged_acknowledged",
             "abandoned", "blocked", "in_system_end")
    for prefix in ("walk_in_", "phone_", ""):
        assert m[f"{prefix}arrivals"] == sum(m[f"{prefix}{p}"] for p in parts), prefix
        assert m[f"{prefix}walkouts"] == sum(m[f"{prefix}{p}"] for p in parts[1:6]), prefix
    assert m["walk_in_abandoned"] == m["walk_in_blocked"] == 0
    assert m["phone_balked"] == 0
    assert m["phone_reneged_unacknowledged"] == m["phone_reneged_acknowledged"] == 0
    if not scenario.hours.serve_after_close:
        return
    # staff on duty at closing serve everyone still inside: only a channel with nobody
    # left on duty can end with contacts still waiting
    members = build_roster(scenario)
    for ch in (WALK_IN, PHONE):
        if any(m_.role in ("both", "counter" if ch == WALK_IN else "phone")
               and m_.duty and m_.duty[-1][1] == math.inf for m_ in members):
            assert m[f"{ch}_in_system_end"] == 0, ch


@PROPS
@given(data=scenario_dicts(), seed=seeds, rep=reps)
def test_same_seed_same_result(data: dict[str, Any], seed: int, rep: int) -> None:
    """A replication is a pure function of (scenario, seed, replication)."""
    scenario = build(data)
    a = run_replication(scenario, seed, rep, keep_contacts=True)
    b = run_replication(scenario, seed, rep, keep_contacts=True)
    assert repr(a.metrics) == repr(b.metrics)
    assert repr(a.contacts) == repr(b.contacts)


# --------------------------------------------------------------------------- contact log


@PROPS
@given(data=scenario_dicts(), seed=seeds, rep=reps)
def test_contact_log_invariants(data: dict[str, Any], seed: int, rep: int) -> None:
    """Per contact: times ordered, outcome-specific times exact (renege at the possibly
    stretched deadline, abandonment at arrival + patience, balk/block at arrival, service
    lasting its requirement), right channel, ids 0..n-1 in arrival order, and a served
    contact's wait is start − arrival."""
    scenario = build(data)
    contacts, ev, _ = run_logged(scenario, seed, rep)
    m = scenario.acknowledgment.patience_multiplier
    assert [c.id for c in contacts] == list(range(len(contacts)))
    assert all(a.arrival_s <= b.arrival_s for a, b in itertools.pairwise(contacts))
    for c in contacts:
        rec = c.as_record()
        assert scenario.hours.open_s <= c.arrival_s < scenario.hours.close_s, rec
        seq = [t for t in (c.arrival_s, c.ack_s, c.start_s, c.end_s) if defined(t)]
        assert seq == sorted(seq), rec
        if defined(c.end_s):
            assert c.end_s <= ev.end_s + TOL, rec
        o = c.outcome
        if o is Outcome.SERVED:
            assert defined(c.ack_s) and defined(c.start_s) and c.staff_id >= 0, rec
            assert math.isclose(c.end_s - c.start_s, c.service_s, rel_tol=1e-9, abs_tol=TOL), rec
            assert c.wait_s() == c.start_s - c.arrival_s
            if c.channel == PHONE:
                assert c.ack_s == c.start_s, rec
            # served before the patience ran out (stretched if greeted before service)
            assert c.start_s <= deadline(c, m) + TOL, rec
        elif o in (Outcome.BALKED, Outcome.BLOCKED):
            assert c.channel == (WALK_IN if o is Outcome.BALKED else PHONE), rec
            assert c.end_s == c.arrival_s and not defined(c.ack_s), rec
            assert not defined(c.start_s) and c.staff_id == -1, rec
        elif o is Outcome.RENEGED_UNACKNOWLEDGED or o is Outcome.ABANDONED:
            assert c.channel == (WALK_IN if o is Outcome.RENEGED_UNACKNOWLEDGED else PHONE), rec
            assert not defined(c.ack_s) and not defined(c.start_s), rec
            assert c.end_s == c.arrival_s + c.patience_s, rec
        elif o is Outcome.RENEGED_ACKNOWLEDGED:
            assert c.channel == WALK_IN and defined(c.ack_s) and not defined(c.start_s), rec
            assert math.isclose(c.end_s, deadline(c, m), rel_tol=1e-12, abs_tol=TOL), rec
        else:
            assert o is Outcome.IN_SYSTEM, rec
            assert not defined(c.end_s), rec
            if not scenario.hours.serve_after_close:
                # still waiting at closing, or still being served
                assert deadline(c, m) >= scenario.hours.close_s - TOL or defined(c.start_s), rec


@PROPS
@given(data=scenario_dicts(), seed=seeds, rep=reps)
def test_staff_serve_one_contact_at_a_time_while_on_duty(
        data: dict[str, Any], seed: int, rep: int) -> None:
    """No staff member serves two contacts at overlapping times; each service starts
    while the member is on duty, on a channel its role covers; answered calls never
    exceed the phone lines; under FIFO, service starts in arrival order per channel."""
    scenario = build(data)
    contacts, _, _ = run_logged(scenario, seed, rep)
    members = {mem.id: mem for mem in build_roster(scenario)}
    by_staff: dict[int, list[Contact]] = defaultdict(list)
    for c in contacts:
        if defined(c.start_s):
            mem = members[c.staff_id]
            assert c.channel in ROLE_CHANNELS[mem.role], c.as_record()
            assert mem.on_duty(c.start_s), (c.as_record(), mem)
            by_staff[c.staff_id].append(c)
    for served in by_staff.values():
        # zero-length services can share a start time: shortest first
        served.sort(key=lambda c: (c.start_s, c.end_s if defined(c.end_s) else math.inf))
        for a, b in itertools.pairwise(served):
            assert defined(a.end_s), a.as_record()  # only the last can be unfinished
            assert b.start_s >= a.end_s, (a.as_record(), b.as_record())

    lines = scenario.demand.phone.lines
    if lines is not None:
        sweep = []
        for c in contacts:
            if c.channel == PHONE and c.outcome is not Outcome.BLOCKED:
                sweep += [(c.arrival_s, 1), (c.end_s if defined(c.end_s) else math.inf, -1)]
        in_system = 0
        for _, step in sorted(sweep):  # at equal times, leaving (-1) before arriving
            in_system += step
            assert in_system <= lines

    if scenario.discipline.policy == "fifo":
        for ch in (WALK_IN, PHONE):
            starts = [c.start_s for c in contacts if c.channel == ch and defined(c.start_s)]
            assert starts == sorted(starts), ch


@PROPS
def union(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Disjoint intervals covering the same time as ``spans``."""
    merged: list[tuple[float, float]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


@given(data=scenario_dicts(), seed=seeds, rep=reps)
def test_metrics_agree_with_contact_log(data: dict[str, Any], seed: int, rep: int) -> None:
    """The online metrics equal what the contact log implies: outcome counts, mean wait,
    and the time-weighted queue length and utilisation (integrals of the waiting
    intervals and service intervals over the observed window)."""
    scenario = build(data)
    contacts, ev, row = run_logged(scenario, seed, rep)
    w0 = scenario.hours.open_s + scenario.run.warmup_s
    end = ev.end_s
    assert row["observed_s"] == max(end, w0) - w0
    for ch in (WALK_IN, PHONE):
        counted = [c for c in contacts if c.channel == ch and c.arrival_s >= w0]
        assert row[f"{ch}_arrivals"] == len(counted)
        for o in Outcome:
            key = "in_system_end" if o is Outcome.IN_SYSTEM else o.value
            assert row[f"{ch}_{key}"] == sum(c.outcome is o for c in counted), key
        left = [c for c in counted if joined(c) and c.outcome is not Outcome.IN_SYSTEM]
        if left:
            mean_wait = math.fsum(c.wait_s() for c in left) / len(left)
            assert math.isclose(row[f"{ch}_mean_wait_s"], mean_wait, rel_tol=1e-9, abs_tol=TOL)
        else:
            assert math.isnan(row[f"{ch}_mean_wait_s"])
        # time-weighted queue length: every joiner's time in line, clipped to the window
        area = math.fsum(overlap(*line_interval(c, end), w0, end)
                         for c in contacts if c.channel == ch and joined(c))
        if row["observed_s"] > 0:
            assert math.isclose(row[f"{ch}_mean_queue_length"] * row["observed_s"], area,
                                rel_tol=1e-9, abs_tol=1e-6)
    if "queue_time_s" in row:  # sample-path Little: customer-seconds waited = queue area
        area = math.fsum(overlap(*line_interval(c, end), w0, end)
                         for c in contacts if joined(c))
        assert math.isclose(row["queue_time_s"], area, rel_tol=1e-9, abs_tol=1e-6)
    busy = math.fsum(overlap(c.start_s, c.end_s if defined(c.end_s) else end, w0, end)
                     for c in contacts if defined(c.start_s))
    # present = on duty, or finishing a contact after the shift ended (overtime)
    duty = 0.0
    for mem in build_roster(scenario):
        spans = list(mem.duty) + [(c.start_s, c.end_s if defined(c.end_s) else end)
                                  for c in contacts if c.staff_id == mem.id and defined(c.start_s)]
        duty += math.fsum(overlap(s, e, w0, end) for s, e in union(spans))
    if duty > 0:
        assert row["utilization"] <= 1.0 + 1e-12
        assert math.isclose(row["utilization"], busy / duty, rel_tol=1e-9, abs_tol=1e-12)


@PROPS
@given(data=scenario_dicts(), seed=seeds, rep=reps)
def test_reported_queue_lengths_match_contact_log(
        data: dict[str, Any], seed: int, rep: int) -> None:
    """queue_changed events come in time order per channel, and after the last event at
    each time the reported count equals the number of contacts whose waiting interval
    [arrival, leave) contains that time."""
    scenario = build(data)
    contacts, ev, _ = run_logged(scenario, seed, rep)
    for ch in (WALK_IN, PHONE):
        events = ev.queue[ch]
        assert [t for t, _ in events] == sorted(t for t, _ in events), ch
        last: dict[float, int] = {}
        for t, n in events:
            last[t] = n
        intervals = [line_interval(c, ev.end_s) for c in contacts
                     if c.channel == ch and joined(c)]
        for t, n in last.items():
            assert n == sum(a <= t < b for a, b in intervals), (ch, t)
    times = [t for t, _, _ in ev.staff]
    assert times == sorted(times)
    assert all(busy >= 0 and on >= 0 for _, busy, on in ev.staff)


# --------------------------------------------------------------------------- no idle staff


def idle_pieces(member: StaffMember, served: list[Contact], end: float
                ) -> list[tuple[float, float]]:
    """Intervals where ``member`` is on duty and not serving (clipped at ``end``)."""
    pieces = []
    busy = sorted((c.start_s, c.end_s if defined(c.end_s) else end) for c in served)
    for s, e in member.duty:
        t, e = s, min(e, end)
        for b0, b1 in busy:
            if b1 <= t or b0 >= e:
                continue
            if b0 > t:
                pieces.append((t, b0))
            t = max(t, b1)
        if t < e:
            pieces.append((t, e))
    return pieces


# Regression example, found by this property with more examples: a clerk leaving at
# 00:30 is woken by an arrival during its last notice delay; another idle clerk must
# still notice the walk-in (see also test_event_logs.py).
LEAVER_NOTICES = {
    "hours": {"open": "00:00", "close": "01:00", "slot_minutes": 30,
              "serve_after_close": False},
    "demand": {"walk_in": {"rate_per_hour": 90.0, "profile": [],
                           "service": {"dist": "exponential", "mean_s": 30.0},
                           "patience": {"dist": "infinite"}},
               "phone": {"rate_per_hour": 0.0}},
    "staff": {"counter": 0, "phone": 0, "both": 0,
              "schedule": [{"start": "00:00", "end": "00:30", "counter": 2},
                           {"start": "00:30", "end": "01:00", "counter": 1}]},
    "acknowledgment": {"policy": "finish_first", "notice_delay_s": 20.0,
                       "patience_multiplier": 1.0},
    "phone_handling": {"policy": "phone_first"},
    "discipline": {"policy": "fifo"},
    "balking": {"policy": "none"},
    "run": {"warmup_s": 0.0},
}


@PROPS
@given(data=scenario_dicts(roles=("counter",), phone_open=False), seed=seeds, rep=reps)
@example(data=LEAVER_NOTICES, seed=252, rep=0)
def test_no_clerk_idles_while_a_walk_in_waits(data: dict[str, Any], seed: int, rep: int) -> None:
    """Counter-only staff, finish_first, FIFO: a walk-in never waits while an on-duty
    clerk sits idle, beyond noticing time. Every arrival wakes an idle clerk, and every
    finishing or starting clerk looks at the line; the bound is two notice delays so that
    a clerk whose shift ends while noticing may hand the walk-in on to another."""
    data = copy.deepcopy(data)
    data["acknowledgment"]["policy"] = "finish_first"
    data["discipline"]["policy"] = "fifo"
    scenario = build(data)
    contacts, ev, _ = run_logged(scenario, seed, rep)
    delay = scenario.acknowledgment.notice_delay_s
    served: dict[int, list[Contact]] = defaultdict(list)
    for c in contacts:
        if defined(c.start_s):
            served[c.staff_id].append(c)
    for mem in build_roster(scenario):
        for i0, i1 in idle_pieces(mem, served[mem.id], ev.end_s):
            for c in contacts:
                if joined(c):
                    a, b = line_interval(c, ev.end_s)
                    assert overlap(a, b, i0, i1) <= 2 * delay + TOL, (
                        f"clerk {mem.id} idle {i0}–{i1} while {c.as_record()} waited")


# --------------------------------------------------------------------------- schedules


scheduled = st.lists(
    st.builds(
        ScheduledContact,
        channel=st.sampled_from([WALK_IN, PHONE]),
        arrival_s=st.floats(0.0, 3500.0),
        patience_s=st.one_of(st.just(math.inf), st.floats(0.0, 600.0)),
        service_s=st.floats(0.0, 600.0),
        balk_draw=st.floats(0.0, 1.0, exclude_max=True),
    ),
    max_size=30,
)


@PROPS
@given(data=scenario_dicts(phone_open=False), schedule=scheduled,
       seeds=st.tuples(seeds, seeds), rep=reps)
def test_scheduled_run_uses_no_randomness(data: dict[str, Any], schedule: list[ScheduledContact],
                                          seeds: tuple[int, int], rep: int) -> None:
    """With a schedule, every contact's arrival, patience, service and balking draw come
    from the schedule: two seeds give the same contact log, and the log carries the
    scheduled values."""
    data["hours"].update(open="00:00", close="01:00")
    for ch in ("walk_in", "phone"):
        data["demand"][ch]["profile"] = []
    data["staff"].pop("schedule", None)
    data["staff"].update(counter=1, phone=1, both=1)
    scenario = build(data)
    runs = []
    for seed in seeds:
        log = ContactLog()
        simulate(scenario, seed, rep, log, schedule=schedule)
        runs.append(repr(log.rows()))
        assert len(log.contacts) == len(schedule)
        got = sorted((c.channel, c.arrival_s, c.patience_s, c.service_s) for c in log.contacts)
        want = sorted((s.channel, s.arrival_s, s.patience_s, s.service_s) for s in schedule)
        # arrival times are the clock's, which may be an ulp from the scheduled float
        assert [(g[0], *g[2:]) for g in got] == [(w[0], *w[2:]) for w in want]
        assert all(abs(g[1] - w[1]) <= 1e-9 for g, w in zip(got, want, strict=True))
    assert runs[0] == runs[1]
