"""Treatment policies on hand-built waiting lines, without SimPy."""

from __future__ import annotations

import math

import pytest

from sim.config import scenario_from_dict
from sim.contact import WALK_IN, Contact
from sim.policies import DISCIPLINES
from sim.waiting_line import WaitingLine


def walk_in(cid: int, plain: bool = False, top: bool = False) -> Contact:
    c = Contact(cid, WALK_IN, cid, float(cid), math.inf, 60.0, 1.0)
    c.plain, c.top = plain, top
    return c


def line_of(*contacts: Contact) -> WaitingLine:
    line = WaitingLine(track_unseen=True)
    for c in contacts:
        line.add(c)
    return line


def policy(name: str):  # type: ignore[no-untyped-def]
    return DISCIPLINES.build(name, scenario_from_dict({"discipline": {"policy": name}}))


@pytest.mark.parametrize("name", ["fifo", "equal"])
def test_equal_treatment_serves_the_head_whatever_the_looks(name: str) -> None:
    p = policy(name)
    a, b = walk_in(0, plain=True), walk_in(1)
    assert p.choose(line_of(a, b), 1.0, lambda: 0.0) is a
    assert p.ack_delay_factor(a, 1.0) == 1.0
    assert not p.scrutinises(a, 1.0, lambda: 0.0)


def test_appearance_bias_serves_polished_first_with_probability_overtake_times_bias() -> None:
    p = policy("appearance_biased")
    a, b, c = walk_in(0, plain=True), walk_in(1, plain=True), walk_in(2)
    line = line_of(a, b, c)
    assert p.choose(line, 1.0, lambda: 0.29) is c      # 0.29 < 0.3 · 1: overtaken
    assert p.choose(line, 1.0, lambda: 0.31) is a      # otherwise in order
    assert p.choose(line, 0.5, lambda: 0.16) is a      # 0.16 ≥ 0.3 · 0.5
    assert p.choose(line, 0.5, lambda: 0.14) is c
    assert p.choose(line, 0.0, lambda: 0.0) is a       # no bias, no overtaking
    assert p.choose(line_of(walk_in(3), walk_in(4, plain=True)), 1.0, lambda: 0.0).id == 3
    assert p.choose(line_of(walk_in(5, plain=True)), 1.0, lambda: 0.0).id == 5


def test_appearance_bias_greets_plain_later_and_scrutinises() -> None:
    p = policy("appearance_biased")
    plain, polished = walk_in(0, plain=True), walk_in(1)
    assert p.ack_delay_factor(plain, 1.0) == pytest.approx(1.5)
    assert p.ack_delay_factor(plain, 0.5) == pytest.approx(1.25)
    assert p.ack_delay_factor(polished, 1.0) == 1.0
    assert p.scrutinises(plain, 0.6, lambda: 0.5)
    assert not p.scrutinises(plain, 0.4, lambda: 0.5)
    assert not p.scrutinises(polished, 1.0, lambda: 0.0)


def test_value_tier_serves_the_earliest_top_tier_patron() -> None:
    p = policy("value_tier")
    a, b, c, d = walk_in(0), walk_in(1, top=True), walk_in(2), walk_in(3, top=True)
    assert p.choose(line_of(a, b, c, d), 0.0, lambda: 0.0) is b
    assert p.choose(line_of(a, c), 0.0, lambda: 0.0) is a
