"""The experience -> satisfaction -> churn mapping on hand-built experiences."""

from __future__ import annotations

import math

import pytest

from sim.config.loading import scenario_from_dict
from sim.config.sections import Loyalty
from sim.errors import ConfigError
from sim.model.experience import (
    Experience,
    Verdict,
    churn_probability,
    customer_lifetime_value,
    satisfaction,
)

CFG = Loyalty()


def test_a_smooth_visit_is_fine_and_thanks_delight() -> None:
    assert satisfaction(Experience(), CFG) == Verdict(1.0, bad=False, delighted=True)
    some_wait = Experience(wait_s=60.0, patience_s=300.0)          # 0.5 × 0.2 harm
    v = satisfaction(some_wait, CFG)
    assert v.satisfaction == pytest.approx(0.9)
    assert not v.bad and not v.delighted
    assert satisfaction(Experience(wait_s=60.0, patience_s=300.0, thanked=True), CFG).delighted


def test_a_walkout_is_always_bad() -> None:
    v = satisfaction(Experience(walked_out=True, thanked=True), CFG)
    assert v.bad and v.satisfaction == pytest.approx(0.1)


def test_harms_add_up_and_temperament_scales_them() -> None:
    exp = Experience(ignored=True, divided_attention=True)      # 0.3 + 0.3 = 0.6 harm
    assert satisfaction(exp, CFG).satisfaction == pytest.approx(0.4)
    assert satisfaction(exp, CFG).bad
    calm_ok = Experience(overtaken=True)                         # 0.3 harm
    assert not satisfaction(calm_ok, CFG).bad
    angry = Experience(overtaken=True, temperament="angry")     # 0.3 × 1.6 = 0.48 harm
    assert satisfaction(angry, CFG).satisfaction == pytest.approx(0.52)
    furious = Experience(overtaken=True, divided_attention=True, temperament="angry")
    assert satisfaction(furious, CFG).bad                        # 0.96 harm


def test_waiting_is_judged_against_the_patrons_own_patience() -> None:
    patient = Experience(wait_s=300.0, patience_s=3000.0)
    hurried = Experience(wait_s=300.0, patience_s=300.0)
    assert satisfaction(patient, CFG).satisfaction > satisfaction(hurried, CFG).satisfaction
    assert satisfaction(Experience(wait_s=1e9, patience_s=math.inf), CFG).satisfaction == 1.0


def test_churn_after_one_and_two_bad_experiences() -> None:
    bad = Verdict(0.2, bad=True, delighted=False)
    good = Verdict(0.9, bad=False, delighted=False)
    assert churn_probability(0, good, unequal=True, cfg=CFG) == 0.0
    first = churn_probability(0, bad, unequal=False, cfg=CFG)
    assert first == pytest.approx(0.15)
    second = churn_probability(1, bad, unequal=False, cfg=CFG)
    # cumulative after two: 1 - (1 - 0.15)(1 - second) = 0.50
    assert 1.0 - (1.0 - first) * (1.0 - second) == pytest.approx(0.50)
    # after two or more the cumulative chance stays 0.50: further bad experiences add nothing
    assert churn_probability(2, bad, unequal=False, cfg=CFG) == 0.0
    assert churn_probability(5, bad, unequal=False, cfg=CFG) == 0.0
    # ... unless the rule says otherwise (here: like the second, the cumulative keeps growing)
    growing = Loyalty(churn_after_further_bad=second)
    assert churn_probability(5, bad, unequal=False, cfg=growing) == pytest.approx(second)


def test_unequal_treatment_doubles_churn_capped_at_one() -> None:
    bad = Verdict(0.2, bad=True, delighted=False)
    assert churn_probability(0, bad, unequal=True, cfg=CFG) == pytest.approx(0.30)
    harsh = Loyalty(churn_after_one_bad=0.6, churn_after_two_bad=0.9)
    assert churn_probability(0, bad, unequal=True, cfg=harsh) == 1.0


def test_scrutiny_and_overtaking_count_as_unequal() -> None:
    assert Experience(scrutinised=True).unequal
    assert Experience(overtaken=True).unequal
    assert not Experience(divided_attention=True).unequal


def test_clv_formula() -> None:
    # m r / (1 + i - r) with m 100, r 0.8, i 0.1 = 80 / 0.3
    assert customer_lifetime_value(100.0, 0.8, 0.1) == pytest.approx(266.6667, rel=1e-5)


def test_cumulative_churn_must_not_fall() -> None:
    with pytest.raises(ConfigError, match="loyalty"):
        scenario_from_dict({"loyalty": {"churn_after_one_bad": 0.5, "churn_after_two_bad": 0.2}})
