"""Behaviour of treatment policies and loyalty, with paired confidence intervals.

Each pair of scenarios runs the same seed and replications (common random numbers); a
claim holds when the 95% CI of the per-replication difference excludes 0 in its direction.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.config.loading import load_scenario
from sim.execution.runner import run_replications
from sim.model.patrons import PatronPool
from sim.model.streams import stream
from sim.results.statistics import estimate
from tests.helpers import BASELINE, paired

SEED, REPS = 11, 120  # plain patrons are 20%: gaps need the power
BASE = ["demand.walk_in.rate_per_hour=30", 'staff.schedule=[{start="09:00",end="17:00",both=4}]']
_CACHE: dict[tuple[str, ...], list[dict[str, float]]] = {}


def rows(*overrides: str) -> list[dict[str, float]]:
    key = tuple(BASE) + overrides
    if key not in _CACHE:
        scenario = load_scenario(BASELINE, list(key))
        _CACHE[key] = [r.metrics for r in run_replications(scenario, SEED, REPS, jobs=2)]
    return _CACHE[key]


EQUAL = ('discipline.policy="equal"',)
BIASED = ('discipline.policy="appearance_biased"', "staff.bias=1.0")
ONE_BIASED = ('discipline.policy="appearance_biased"', "staff.bias=[1.0, 0.0, 0.0, 0.0]")


def test_equal_treatment_gaps_contain_zero() -> None:
    """Three gaps, one joint claim: simultaneous 95% intervals (Bonferroni, 1 − 0.05/3)."""
    gaps = ("walkout_rate_gap_appearance", "time_to_ack_gap_appearance", "churn_gap_appearance")
    for gap in gaps:
        e = estimate([r[gap] for r in rows(*EQUAL)], level=1.0 - 0.05 / len(gaps))
        assert e.ci_low <= 0.0 <= e.ci_high, (gap, e)


def test_appearance_bias_makes_plain_customers_wait_walk_out_and_churn_more() -> None:
    biased = rows(*BIASED)
    for gap in ("time_to_ack_gap_appearance", "churn_gap_appearance"):
        e = estimate([r[gap] for r in biased])
        assert e.ci_low > 0.0, (gap, e)
    walkouts = paired(rows(*EQUAL), biased, "walkout_rate_plain")
    assert walkouts.ci_low > 0.0, walkouts


def test_bias_costs_the_business_its_plain_looking_big_spenders() -> None:
    """Spend is independent of looks, yet the biased counter loses more lifetime value from
    plain-looking top-tier patrons than the equal one does."""
    lost = paired(rows(*EQUAL), rows(*BIASED), "lost_clv_plain_top")
    assert lost.ci_low > 0.0, lost


def test_one_biased_clerk_of_four_shows_a_smaller_gap_than_four() -> None:
    diff = paired(rows(*ONE_BIASED), rows(*BIASED), "churn_gap_appearance")
    assert diff.ci_low > 0.0, diff
    one = estimate([r["churn_gap_appearance"] for r in rows(*ONE_BIASED)])
    assert one.ci_low > 0.0, one  # even one biased clerk leaves a mark


def test_spend_is_independent_of_looks_unless_configured() -> None:
    base = load_scenario(BASELINE)
    pool = PatronPool.draw(base.patrons, stream(1, 0, "patrons.attributes"))
    plain = np.array(pool.plain)
    spend = np.array(pool.spend)
    assert abs(plain.mean() - 0.20) < 0.02
    ratio = spend[plain].mean() / spend[~plain].mean()
    assert 0.9 < ratio < 1.1, ratio
    linked = load_scenario(BASELINE,
                           ["patrons.appearance_spend_correlation=0.8"])
    pool2 = PatronPool.draw(linked.patrons, stream(1, 0, "patrons.attributes"))
    plain2, spend2 = np.array(pool2.plain), np.array(pool2.spend)
    assert spend2[~plain2].mean() > 1.5 * spend2[plain2].mean()


PHONE_ONLY = ("demand.walk_in.rate_per_hour=0", "demand.phone.rate_per_hour=40",
              "demand.phone.lines=50", 'staff.schedule=[{start="09:00",end="17:00",both=3}]')


@pytest.mark.slow
def test_callers_are_not_judged_by_looks_but_walk_ins_are() -> None:
    """Appearance acts only on customers in view. A phone-only counter with every clerk at
    full bias: plain and polished callers wait alike (the paired gap, 200 replications,
    contains 0) and fare no worse than under equal treatment. A walk-in counter with the
    same clerks still shows the gap."""
    def run(*overrides: str) -> list[dict[str, float]]:
        scenario = load_scenario(BASELINE, [*PHONE_ONLY, *overrides])
        return [r.metrics for r in run_replications(scenario, SEED, 200, jobs=2)]

    biased, equal = run(*BIASED), run(*EQUAL)
    for gap in ("wait_gap_appearance", "walkout_rate_gap_appearance"):
        e = estimate([r[gap] for r in biased])
        assert e.ci_low <= 0.0 <= e.ci_high, (gap, e)
        same = paired(equal, biased, gap)
        assert same.ci_low <= 0.0 <= same.ci_high, (gap, same)
    walk_ins = rows(*BIASED)
    assert estimate([r["time_to_ack_gap_appearance"] for r in walk_ins]).ci_low > 0.0
    # that counter has both channels: split by channel, walk-ins show the gap, callers do not
    mixed = walk_ins
    walk_in_gap = estimate([r["walk_in_time_to_ack_gap_appearance"] for r in mixed])
    phone_gap = estimate([r["phone_wait_gap_appearance"] for r in mixed])
    assert walk_in_gap.ci_low > 0.0, walk_in_gap
    assert phone_gap.ci_low <= 0.0 <= phone_gap.ci_high, phone_gap
