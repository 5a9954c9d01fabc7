"""TimeWeighted integrals and the metrics accumulator, fed by hand (no SimPy)."""

from __future__ import annotations

import math

import pytest

from sim.metrics.accumulator import MetricsAccumulator
from sim.metrics.tallies import TimeWeighted
from sim.model.contact import PHONE, WALK_IN, Contact, Outcome


def test_time_weighted_exact_integral() -> None:
    tw = TimeWeighted(10.0)
    tw.update(10.0, 2)    # 2 from 10
    tw.update(15.0, 3)    # + 2·5 = 10
    tw.update(15.0, 5)    # same instant: only the value changes
    tw.update(16.5, 0)    # + 5·1.5 = 7.5
    tw.close(20.0)        # + 0
    assert tw.area == 17.5
    assert tw.last_t == 20.0
    tw.update(22.0, 1)
    tw.close(30.0)        # + 1·8
    assert tw.area == 25.5


def test_time_weighted_ignores_time_before_start() -> None:
    tw = TimeWeighted(100.0)
    tw.update(20.0, 4)    # before the window: value only
    tw.update(50.0, 6)
    tw.close(110.0)       # 6 over [100, 110]
    assert tw.area == 60.0


def test_time_weighted_starts_at_zero() -> None:
    tw = TimeWeighted(0.0)
    tw.close(1000.0)
    assert tw.area == 0.0


def ended(cid: int, channel: str, outcome: Outcome, arrival: float, ack: float = math.nan,
          start: float = math.nan, end: float = math.nan) -> Contact:
    c = Contact(cid, channel, 0, arrival, math.inf, 1.0, 1.0)
    c.ack_s, c.start_s, c.end_s, c.outcome = ack, start, end, outcome
    return c


def test_accumulator_counts_waits_and_utilisation() -> None:
    """Four walk-ins and two calls over [0, 100], warm-up 0, targets 10 s (walk-in) and
    20 s (phone). Queue: 1 waiting over [5, 25]; staff: 1 busy of 2 over [0, 50]."""
    acc = MetricsAccumulator(0.0, {WALK_IN: 10.0, PHONE: 20.0})
    acc.staff_changed(0.0, 0, 2)
    acc.staff_changed(0.0, 1, 2)
    acc.queue_changed(5.0, WALK_IN, 1)
    acc.queue_changed(25.0, WALK_IN, 0)
    acc.staff_changed(50.0, 0, 2)
    for c in (
        ended(0, WALK_IN, Outcome.SERVED, 0.0, ack=0.0, start=0.0, end=50.0),       # wait 0
        ended(1, WALK_IN, Outcome.SERVED, 5.0, ack=8.0, start=25.0, end=30.0),      # wait 20
        ended(2, WALK_IN, Outcome.BALKED, 6.0, end=6.0),
        ended(3, WALK_IN, Outcome.RENEGED_UNACKNOWLEDGED, 7.0, end=11.0),           # wait 4
        ended(4, PHONE, Outcome.BLOCKED, 8.0, end=8.0),
        ended(5, PHONE, Outcome.ABANDONED, 9.0, end=39.0),                          # wait 30
    ):
        acc.contact_ended(c)
    acc.run_ended(100.0)
    m = acc.metrics()
    assert m["arrivals"] == 6
    assert m["walk_in_arrivals"] == 4 and m["phone_arrivals"] == 2
    assert m["walk_in_served"] == 2 and m["walk_in_balked"] == 1
    assert m["walk_in_reneged_unacknowledged"] == 1
    assert m["phone_blocked"] == 1 and m["phone_abandoned"] == 1
    assert m["walkouts"] == 4 and m["walkout_rate"] == 4 / 6
    assert m["walk_in_mean_wait_s"] == pytest.approx((0 + 20 + 4) / 3)
    assert m["walk_in_p_wait"] == pytest.approx(2 / 3)
    assert m["walk_in_mean_time_to_ack_acknowledged_s"] == pytest.approx((0 + 3) / 2)
    assert m["walk_in_p_ack_within_target"] == pytest.approx(2 / 3)
    assert m["walk_in_service_level"] == pytest.approx(1 / 3)
    assert m["phone_mean_wait_s"] == 30.0
    assert m["phone_service_level"] == 0.0
    assert m["mean_wait_s"] == pytest.approx((0 + 20 + 4 + 30) / 4)
    assert m["walk_in_mean_queue_length"] == pytest.approx(20.0 / 100.0)
    assert m["utilization"] == pytest.approx(50.0 / 200.0)
    assert m["observed_s"] == 100.0


def test_accumulator_warmup_filters_contacts_and_time() -> None:
    acc = MetricsAccumulator(50.0, {WALK_IN: 10.0, PHONE: 20.0})
    acc.staff_changed(0.0, 1, 1)
    acc.queue_changed(40.0, WALK_IN, 2)
    acc.queue_changed(60.0, WALK_IN, 0)
    acc.contact_ended(ended(0, WALK_IN, Outcome.SERVED, 10.0, ack=10.0, start=10.0, end=20.0))
    acc.contact_ended(ended(1, WALK_IN, Outcome.SERVED, 55.0, ack=55.0, start=55.0, end=60.0))
    acc.run_ended(150.0)
    m = acc.metrics()
    assert m["walk_in_arrivals"] == 1
    assert m["observed_s"] == 100.0
    assert m["walk_in_mean_queue_length"] == pytest.approx(2 * 10 / 100)
    assert m["utilization"] == 1.0


def test_undefined_ratios_are_nan() -> None:
    acc = MetricsAccumulator(0.0, {WALK_IN: 10.0, PHONE: 20.0})
    acc.run_ended(10.0)
    m = acc.metrics()
    assert m["arrivals"] == 0
    assert math.isnan(m["walkout_rate"]) and math.isnan(m["mean_wait_s"])
    assert math.isnan(m["utilization"])


def test_accumulator_columns_are_the_catalogue_columns() -> None:
    """An empty run reports exactly the catalogue's columns for its distraction kinds."""
    from sim.metrics.catalogue import names

    acc = MetricsAccumulator(0.0, {WALK_IN: 30.0, PHONE: 20.0, "email": 3600.0},
                             ("paperwork", "my_kind"))
    acc.run_ended(10.0)
    assert set(acc.metrics()) == set(names(("paperwork", "my_kind"), multi_day=False))


def test_censored_quantile_is_kaplan_meier_and_plain_without_censoring() -> None:
    """Ten acknowledged at 0..9 s: the plain quantiles. Add five censored at 2 s: the
    estimate after 2 s rises faster (the censored were at risk only until then)."""
    from collections import Counter

    from sim.metrics.tallies import censored_quantile
    events = Counter(range(10))
    assert censored_quantile(events, Counter(), 0.5, 1.0) == 5.0
    assert censored_quantile(events, Counter(), 0.9, 1.0) == 9.0
    censored = Counter({2: 5})
    # at risk 15; events at 0, 1, 2 (S = 12/15); then 7 at risk: S = 0.8 * (1 - k/7)
    assert censored_quantile(events, censored, 0.5, 1.0) == 6.0  # 0.8 * 4/7 = 0.457 <= 0.5
    assert censored_quantile(Counter({1: 1}), Counter({0: 3}), 0.5, 1.0) == 2.0
    assert math.isnan(censored_quantile(Counter({0: 1}), Counter({5: 3}), 0.5, 1.0))
    assert math.isnan(censored_quantile(Counter(), Counter(), 0.5, 1.0))
