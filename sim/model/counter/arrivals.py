"""Arrivals: one arrival process per channel (contact ids, the clock as the truth), and what
an arriving contact does: a walk-in sees the line and the scene, balks or joins and catches
an eye; a call is blocked when every phone line is busy, else rings; an e-mail joins the
pile."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import simpy

from sim.model.contact import EMAIL, PHONE, WALK_IN, Contact
from sim.model.counter.arrival_chain import ArrivalChain
from sim.model.counter.greeter import Greeter
from sim.model.counter.lines import Lines
from sim.model.counter.outcomes import BALKED, BLOCKED, OutcomeBook
from sim.model.counter.scenes import Scenes
from sim.model.counter.staff_room import StaffRoom
from sim.policies.base import BalkingPolicy


class Arrivals:
    """Contacts arriving on every channel."""

    def __init__(self, env: simpy.Environment, lines: Lines, scenes: Scenes, room: StaffRoom,
                 greeter: Greeter, book: OutcomeBook, balking: BalkingPolicy,
                 busy_may_respond: bool, queue_changed: Callable[[float, str, int], None],
                 first_id: int = 0) -> None:
        """``busy_may_respond``: with nobody idle, a busy member may respond to a newcomer
        (the acknowledgment or phone-handling policy says so); ``first_id``: the id of the
        day's first contact (ids stay unique across days)."""
        self.env = env
        self.lines = lines
        self.scenes = scenes
        self.room = room
        self.greeter = greeter
        self.book = book
        self.balking = balking
        self.busy_may_respond = busy_may_respond
        self._queue_changed = queue_changed
        self.next_id = first_id
        self._walk_ins, self._calls = lines.walk_ins, lines.calls  # bound once: every arrival
        self._walk_in_leaves = lines.walk_in_leaves
        self._balk = balking.probability
        self.may_balk = balking.may_balk
        self._wake_idle = room.wake_idle
        self.handlers: dict[str, Callable[[Contact, float], None]] = {
            WALK_IN: self.walk_in_arrives, PHONE: self.call_arrives, EMAIL: self.email_arrives}

    def start(self, channel: str, contacts: Iterator[Contact], calm: bool = False) -> None:
        """Start the arrivals of ``channel``: each contact arrives at its time
        (:class:`~sim.model.counter.arrival_chain.ArrivalChain`). ``calm``: walk-ins at a
        calm counter (:meth:`calm_walk_in_arrives`)."""
        handle = (self.calm_walk_in_arrives if calm and channel == WALK_IN
                  else self.handlers[channel])
        ArrivalChain(self.env, contacts, handle, self.number).start()

    def number(self, contact: Contact) -> None:
        """Give an arriving contact the next id (ids stay unique across days)."""
        contact.id = self.next_id
        self.next_id += 1

    def calm_walk_in_arrives(self, contact: Contact, now: float) -> None:
        """:meth:`walk_in_arrives` at a calm counter (nobody is ever visibly distracted, no
        scene, no busy member responds): the same draws and reports in the same order (the
        golden tests run every case both ways)."""
        line = self._walk_ins
        if line.next_due <= now:
            line.expire(now, self._walk_in_leaves)
        if self.may_balk and contact.balk_draw < min(1.0, self._balk(line.count)):
            self.book.ends(contact, BALKED, now)
            return
        line.add(contact)
        self._queue_changed(now, WALK_IN, line.count)
        self._wake_idle(WALK_IN)

    def walk_in_arrives(self, contact: Contact, now: float) -> None:
        """A walk-in arrives at ``now``: sees the line and the scene, balks or joins, and
        catches an eye."""
        line = self._walk_ins
        if line.next_due <= now:
            line.expire(now, self._walk_in_leaves)
        scenes = self.scenes
        contact.saw_distraction = scenes.visibly_distracted > 0
        p_balk = min(1.0, (self._balk(line.count) if self.may_balk else 0.0)
                     + scenes.balk_extra)
        if contact.balk_draw < p_balk:
            contact.during_scene = bool(scenes.active)
            self.book.ends(contact, BALKED, now)
            return
        if scenes.drain != 1.0 and contact.deadline_s != math.inf:
            contact.deadline_s = now + contact.patience_s / scenes.drain
        line.add(contact)
        self._queue_changed(now, WALK_IN, line.count)
        if not self._wake_idle(WALK_IN) and self.busy_may_respond:
            self.greeter.busy_staff_respond(WALK_IN)

    def call_arrives(self, contact: Contact, now: float) -> None:
        """A call arrives at ``now``: blocked if every line is busy, else it rings until
        answered or abandoned."""
        lines = self.lines
        line = self._calls
        if line.next_due <= now:
            line.expire(now, lines.call_leaves)
        if lines.held:
            lines.expire_held(now)
        if lines.phone_in_system >= lines.phone_lines:
            self.book.ends(contact, BLOCKED, now)
            return
        lines.phone_in_system += 1
        line.add(contact)
        self._queue_changed(now, PHONE, line.count)
        if not self._wake_idle(PHONE) and self.busy_may_respond:
            self.greeter.busy_staff_respond(PHONE)

    def email_arrives(self, email: Contact, now: float) -> None:
        """An e-mail joins the back-office pile."""
        self.lines.emails.append(email)
        self.room.wake_idle(EMAIL)
