"""Treatment policies (sim.policies.discipline) on hand-built waiting lines, without SimPy.

Each test builds Contacts, puts them in a walk-in WaitingLine and calls the policy with a
bias strength and a fixed ``draw`` function, so every choice is exact.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sim.config.loading import scenario_from_dict
from sim.model.contact import Contact
from sim.model.waiting_line import WaitingLine
from sim.policies.discipline import DISCIPLINES, AppearanceBiased, Fifo, ValueTier
from tests.helpers import contact as walk_in_contact
from tests.helpers import line_of

OVERTAKE = 0.3   # default discipline.overtake_probability
ACK_MULT = 1.5   # default discipline.plain_ack_multiplier


def contact(cid: int, *, plain: bool = False, top: bool = False) -> Contact:
    """Walk-in ``cid`` arrived at ``cid`` s (arrival order is id order), plain and top as
    given."""
    c = walk_in_contact(cid, arrival_s=float(cid))
    c.plain, c.top = plain, top
    return c


def fixed(value: float) -> Callable[[], float]:
    return lambda: value


def never_called() -> float:
    raise AssertionError("draw() must not be called here")


def biased() -> AppearanceBiased:
    return AppearanceBiased(OVERTAKE, ACK_MULT)


# ---------------------------------------------------------------- registry


@pytest.mark.parametrize(("name", "cls"), [("equal", Fifo), ("fifo", Fifo),
                                           ("appearance_biased", AppearanceBiased),
                                           ("value_tier", ValueTier)])
def test_registry_builds_each_policy(name: str, cls: type) -> None:
    sc = scenario_from_dict({"discipline": {"policy": name}})
    assert type(DISCIPLINES.build(name, sc)) is cls


def test_appearance_biased_reads_its_parameters() -> None:
    sc = scenario_from_dict({"discipline": {"policy": "appearance_biased",
                                            "overtake_probability": 0.7,
                                            "plain_ack_multiplier": 3.0}})
    policy = DISCIPLINES.build("appearance_biased", sc)
    assert isinstance(policy, AppearanceBiased)
    assert (policy.overtake_probability, policy.plain_ack_multiplier) == (0.7, 3.0)


# ---------------------------------------------------------------- equal / fifo


@pytest.mark.parametrize("bias", [0.0, 0.5, 1.0])
@pytest.mark.parametrize("u", [0.0, 0.5, 0.999])
def test_equal_always_serves_the_head(bias: float, u: float) -> None:
    head = contact(0, plain=True)
    line = line_of(head, contact(1), contact(2, top=True), contact(3, plain=True, top=True))
    assert Fifo().choose(line, bias, fixed(u)) is head


def test_equal_skips_contacts_who_left_and_handles_an_empty_line() -> None:
    a, b = contact(0), contact(1, plain=True)
    line = line_of(a, b)
    line.remove(a)
    assert Fifo().choose(line, 1.0, never_called) is b
    assert Fifo().choose(WaitingLine(track_unseen=True), 1.0, never_called) is None


def test_equal_treats_looks_alike() -> None:
    policy = Fifo()
    for plain in (True, False):
        c = contact(0, plain=plain)
        assert policy.ack_delay_factor(c, 1.0) == 1.0
        assert policy.scrutinises(c, 1.0, fixed(0.0)) is False


# ---------------------------------------------------------------- appearance_biased


def test_biased_overtakes_a_plain_head_when_the_draw_is_below_threshold() -> None:
    head = contact(0, plain=True)
    first_polished = contact(2)
    line = line_of(head, contact(1, plain=True), first_polished, contact(3))
    # threshold = 0.3 · bias
    assert biased().choose(line, 1.0, fixed(0.29)) is first_polished
    assert biased().choose(line, 0.5, fixed(0.149)) is first_polished
    assert biased().choose(line, 1.0, fixed(0.0)) is first_polished


@pytest.mark.parametrize(("bias", "u"), [(1.0, 0.3), (1.0, 0.31), (1.0, 0.99),
                                         (0.5, 0.15), (0.5, 0.2)])
def test_biased_keeps_the_head_when_the_draw_is_at_or_above_threshold(bias: float,
                                                                      u: float) -> None:
    head = contact(0, plain=True)
    line = line_of(head, contact(1))
    assert biased().choose(line, bias, fixed(u)) is head


def test_biased_with_zero_bias_serves_the_head_without_drawing() -> None:
    head = contact(0, plain=True)
    line = line_of(head, contact(1))
    assert biased().choose(line, 0.0, never_called) is head


def test_biased_with_a_polished_head_serves_the_head_without_drawing() -> None:
    head = contact(0)
    line = line_of(head, contact(1, plain=True), contact(2))
    assert biased().choose(line, 1.0, never_called) is head


def test_biased_with_nobody_polished_waiting_serves_the_head() -> None:
    head = contact(0, plain=True)
    line = line_of(head, contact(1, plain=True), contact(2, plain=True))
    assert biased().choose(line, 1.0, fixed(0.0)) is head


def test_biased_ignores_polished_contacts_who_already_left() -> None:
    head, gone, stays = contact(0, plain=True), contact(1), contact(2)
    line = line_of(head, gone, stays)
    line.remove(gone)
    assert biased().choose(line, 1.0, fixed(0.0)) is stays
    assert biased().choose(WaitingLine(track_unseen=True), 1.0, fixed(0.0)) is None


def test_biased_choice_leaves_the_line_unchanged() -> None:
    contacts = [contact(0, plain=True), contact(1), contact(2)]
    line = line_of(*contacts)
    biased().choose(line, 1.0, fixed(0.0))
    assert line.waiting() == contacts and line.count == 3


@pytest.mark.parametrize(("bias", "factor"), [(1.0, 1.5), (0.5, 1.25), (0.0, 1.0)])
def test_biased_ack_delay_factor(bias: float, factor: float) -> None:
    policy = biased()
    assert policy.ack_delay_factor(contact(0, plain=True), bias) == pytest.approx(factor)
    assert policy.ack_delay_factor(contact(1), bias) == 1.0  # polished: never delayed


def test_biased_ack_delay_factor_scales_with_multiplier() -> None:
    policy = AppearanceBiased(0.3, 3.0)
    assert policy.ack_delay_factor(contact(0, plain=True), 1.0) == pytest.approx(3.0)
    assert policy.ack_delay_factor(contact(0, plain=True), 0.25) == pytest.approx(1.5)


def test_biased_scrutinises_plain_customers_with_probability_bias() -> None:
    policy = biased()
    plain = contact(0, plain=True)
    assert policy.scrutinises(plain, 1.0, fixed(0.99)) is True
    assert policy.scrutinises(plain, 0.5, fixed(0.49)) is True
    assert policy.scrutinises(plain, 0.5, fixed(0.5)) is False
    assert policy.scrutinises(plain, 0.0, never_called) is False
    assert policy.scrutinises(contact(1), 1.0, never_called) is False  # polished


# ---------------------------------------------------------------- value_tier


@pytest.mark.parametrize("bias", [0.0, 1.0])
def test_value_tier_serves_the_earliest_top_tier_patron(bias: float) -> None:
    first_top = contact(2, top=True)
    line = line_of(contact(0, plain=True), contact(1), first_top, contact(3, top=True))
    assert ValueTier().choose(line, bias, never_called) is first_top


def test_value_tier_serves_a_top_head_and_falls_back_to_the_head() -> None:
    top_head = contact(0, top=True)
    assert ValueTier().choose(line_of(top_head, contact(1, top=True)), 1.0,
                              never_called) is top_head
    head = contact(0, plain=True)
    assert ValueTier().choose(line_of(head, contact(1), contact(2)), 1.0,
                              never_called) is head
    assert ValueTier().choose(WaitingLine(track_unseen=True), 1.0, never_called) is None


def test_value_tier_is_blind_to_looks() -> None:
    policy = ValueTier()
    plain = contact(0, plain=True)
    assert policy.ack_delay_factor(plain, 1.0) == 1.0
    assert policy.scrutinises(plain, 1.0, fixed(0.0)) is False
