"""WaitingLine: arrival order, lazy patience deadlines, acknowledgment bookkeeping."""

from __future__ import annotations

import math

from sim.model.contact import WALK_IN, Contact
from sim.model.waiting_line import WaitingLine
from sim.policies.discipline import Fifo
from tests.helpers import line_of


def contact(cid: int, arrival: float, patience: float = math.inf) -> Contact:
    return Contact(cid, WALK_IN, 0, arrival, patience, 60.0, 1.0)


class Leaves:
    """on_leave callback that records (id, end_s, line count at the time)."""

    def __init__(self, line: WaitingLine) -> None:
        self.line = line
        self.calls: list[tuple[int, float, int]] = []

    def __call__(self, c: Contact) -> None:
        self.calls.append((c.id, c.end_s, self.line.count))


def test_add_keeps_arrival_order() -> None:
    a, b, c = contact(0, 1), contact(1, 2), contact(2, 3)
    line = line_of(a, b, c)
    assert line.count == 3
    assert all(x.waiting for x in (a, b, c))
    assert line.first() is a
    assert line.waiting() == [a, b, c]


def test_expire_in_deadline_order_not_arrival_order() -> None:
    # deadlines: a 50, b 30, c 40, d inf
    a, b, c, d = contact(0, 0, 50), contact(1, 10, 20), contact(2, 20, 20), contact(3, 30)
    line = line_of(a, b, c, d)
    leaves = Leaves(line)
    line.expire(45, leaves)
    assert leaves.calls == [(1, 30, 3), (2, 40, 2)]  # count already updated when called
    assert not b.waiting and not c.waiting
    assert line.count == 2
    assert line.waiting() == [a, d]
    assert line.first() is a
    assert line.next_deadline() == 50


def test_deadline_equal_to_now_expires() -> None:
    a = contact(0, 0, 30)
    line = line_of(a)
    leaves = Leaves(line)
    line.expire(29.999, leaves)
    assert leaves.calls == []
    line.expire(30, leaves)
    assert leaves.calls == [(0, 30, 0)]


def test_infinite_patience_never_expires() -> None:
    a = contact(0, 0)
    line = line_of(a)
    leaves = Leaves(line)
    line.expire(1e12, leaves)
    assert leaves.calls == []
    assert line.next_deadline() == math.inf
    assert line.count == 1


def test_expire_does_not_fire_twice() -> None:
    a = contact(0, 0, 10)
    line = line_of(a)
    leaves = Leaves(line)
    line.expire(20, leaves)
    line.expire(30, leaves)
    assert leaves.calls == [(0, 10, 0)]
    assert line.count == 0


def test_later_deadline_leaves_stale_heap_entry_harmless() -> None:
    a = contact(0, 0, 30)
    line = line_of(a)
    line.set_deadline(a, 60)
    leaves = Leaves(line)
    line.expire(40, leaves)  # the stale entry at 30 is dropped, not acted on
    assert leaves.calls == []
    assert a.waiting and line.count == 1
    assert line.next_deadline() == 60
    line.expire(60, leaves)
    assert leaves.calls == [(0, 60, 0)]


def test_earlier_deadline_expires_once_at_new_deadline() -> None:
    a = contact(0, 0, 60)
    line = line_of(a)
    line.set_deadline(a, 20)
    assert line.next_deadline() == 20
    leaves = Leaves(line)
    line.expire(25, leaves)
    line.expire(100, leaves)  # old entry at 60 is stale
    assert leaves.calls == [(0, 20, 0)]
    assert line.count == 0


def test_deadline_moved_to_infinity_never_expires() -> None:
    a = contact(0, 0, 30)
    line = line_of(a)
    line.set_deadline(a, math.inf)
    leaves = Leaves(line)
    line.expire(1000, leaves)
    assert leaves.calls == []
    assert line.next_deadline() == math.inf


def test_served_contact_does_not_expire() -> None:
    a, b = contact(0, 0, 30), contact(1, 5, 30)
    line = line_of(a, b)
    line.remove(a)
    assert not a.waiting and line.count == 1
    assert line.next_deadline() == 35  # a's entry dropped as stale
    leaves = Leaves(line)
    line.expire(100, leaves)
    assert leaves.calls == [(1, 35, 0)]
    assert math.isnan(a.end_s)


def test_first_skips_removed_and_remove_from_middle() -> None:
    a, b, c = contact(0, 1), contact(1, 2), contact(2, 3)
    line = line_of(a, b, c)
    line.remove(b)
    assert line.first() is a
    assert line.waiting() == [a, c]
    line.remove(a)
    assert line.first() is c
    line.remove(c)
    assert line.first() is None
    assert line.waiting() == []
    assert line.count == 0


def test_take_unseen_returns_each_unacknowledged_contact_once() -> None:
    a, b, c = contact(0, 1, 100), contact(1, 2, 100), contact(2, 3, 100)
    line = line_of(a, b, c)
    line.remove(b)                       # served before anyone greeted: not returned
    assert line.take_unseen() == [a, c]
    assert line.take_unseen() == []      # each returned once
    a.ack_s = 10.0
    d, e = contact(3, 11, 100), contact(4, 12, 100)
    line.add(d)
    line.add(e)
    e.ack_s = 12.0                       # already acknowledged: not returned
    leaves = Leaves(line)
    line.expire(200, leaves)             # a, c, d leave (deadlines 101, 103, 111)
    f = contact(5, 300)
    line.add(f)
    assert line.take_unseen() == [f]


def test_take_unseen_excludes_contacts_that_left() -> None:
    a, b = contact(0, 0, 10), contact(1, 1)
    line = line_of(a, b)
    line.expire(50, Leaves(line))
    assert line.take_unseen() == [b]


def test_drain_returns_everyone_still_waiting_in_order() -> None:
    a, b, c = contact(0, 1), contact(1, 2, 5), contact(2, 3)
    line = line_of(a, b, c)
    line.expire(10, Leaves(line))
    left = line.drain()
    assert left == [a, c]
    assert line.count == 0
    assert not a.waiting and not c.waiting
    assert line.first() is None


def test_fifo_chooses_first_waiting() -> None:
    fifo = Fifo()
    line = WaitingLine()
    assert fifo.choose(line, 0.0, lambda: 0.5) is None
    a, b = contact(0, 1), contact(1, 2)
    line.add(a)
    line.add(b)
    assert fifo.choose(line, 0.0, lambda: 0.5) is a
    assert fifo.choose(line, 0.0, lambda: 0.5) is a  # choosing does not remove
    line.remove(a)
    assert fifo.choose(line, 0.0, lambda: 0.5) is b
