"""Retrials: a customer who walked out tries again later the same day (``[retrials]``).

A caller who was blocked or hung up (while ringing or on hold), or a walk-in who balked or
reneged, tries again with the channel's ``probability`` after a ``delay`` drawn from its
distribution (seconds from the moment they left), at most ``max_retries`` times a day. The
retry is a new contact of the same patron on the same channel: the same matter (service
requirement, spend, temperament, resolution and conduct draws), fresh patience, balking
draw and hold patience. A retry that would come at or after closing time
(``hours.close``) does not happen: the walkout is final and is marked
``retry_after_close``. Nothing is carried to the next day.

The patron's experience is judged once, on the day's last attempt (:meth:`RetrialDesk.share`):
an attempt that is followed by a retry is counted (contact, walkout) but not judged.

Every draw comes from the ``retrials.*`` streams (:mod:`sim.model.streams`), so turning
retrials on shifts no other draw. With retrials on, patience deadlines are processed at
their exact times (:class:`RetrialEnvironment`): a retry's time is then exact, not the time
the model next looked at the line. No policy, no file, no statistics.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Protocol

import simpy

from sim.config.retrial_sections import PhoneRetrials, WalkInRetrials
from sim.config.schema import Scenario
from sim.model.contact import PHONE, WALK_IN, WALKOUTS, Contact, Outcome
from sim.model.distributions import Sampler, Uniforms
from sim.model.engine import Engine
from sim.model.streams import StreamSource
from sim.model.waiting_line import WaitingLine

INF = math.inf


class RetrialEnvironment(simpy.Environment):
    """A SimPy environment that, before each event, processes every patience deadline due
    by then at its own time (``due()``: the earliest pending deadline, ``expire(t)``: let
    everyone due by ``t`` leave). Without retrials the model checks deadlines lazily,
    which is exact for every metric but would delay a retry to the moment the line is next
    looked at."""

    def __init__(self, initial_time: float = 0.0) -> None:
        """An environment starting at ``initial_time`` (seconds) with no deadlines yet."""
        super().__init__(initial_time)
        self.due: Callable[[], float] | None = None
        self.expire: Callable[[float], None] | None = None

    def step(self) -> None:
        """Deadlines due before (or at) the next event first, then the event."""
        due, expire = self.due, self.expire
        if due is not None and expire is not None:
            t = due()
            while t != INF and t <= self.peek():
                if t > self._now:
                    self._now = t
                expire(self._now)
                t = due()
        super().step()


def environment(scenario: Scenario, offset_s: float) -> simpy.Environment:
    """The day's environment, starting at ``offset_s`` (seconds): a
    :class:`RetrialEnvironment` when retrials are on, else the fast
    :class:`~sim.model.engine.Engine` (same events, same order)."""
    if scenario.retrials.enabled:
        return RetrialEnvironment(initial_time=offset_s)
    return Engine(initial_time=offset_s)


def retrials_active(scenario: Scenario) -> bool:
    """True if the scenario's customers may try again (the retrial metrics are reported)."""
    return scenario.retrials.enabled


ArrivalHandler = Callable[[Contact, float], None]


class Lines(Protocol):
    """What the desk uses of :class:`~sim.model.counter.lines.Lines` (whose outcome book
    holds the desk: a Protocol keeps the imports one way)."""

    walk_ins: WaitingLine
    calls: WaitingLine
    held: list[Contact]

    def expire_walk_ins(self, now: float) -> None:
        """Walk-ins whose patience ran out by ``now`` leave."""

    def call_leaves(self, contact: Contact) -> None:
        """A ringing caller hung up."""

    def expire_held(self, now: float) -> None:
        """Held callers whose hold patience ran out by ``now`` hang up."""


class RetrialDesk:
    """Decides whether a walkout tries again, schedules the retry, and judges a retry's
    experience with the patron's earlier attempts of the day."""

    def __init__(self, env: simpy.Environment, scenario: Scenario, streams: StreamSource,
                 close_s: float, lines: Lines, handlers: dict[str, ArrivalHandler],
                 new_id: Callable[[], int]) -> None:
        """``close_s``: today's closing time on the clock (seconds); ``handlers``: what an
        arriving contact does on each channel; ``new_id``: the next contact id."""
        if not isinstance(env, RetrialEnvironment):
            raise TypeError("retrials need the day's environment from environment()")
        self.env = env
        self.close_s = close_s
        self._handlers = handlers
        self._new_id = new_id
        r = scenario.retrials
        self.failed_share = r.failed_attempt_share
        self.settings: dict[str, PhoneRetrials | WalkInRetrials] = {PHONE: r.phone,
                                                                     WALK_IN: r.walk_in}
        demand = scenario.demand
        self._decide = {ch: Uniforms(streams(f"retrials.decide.{ch}")) for ch in self.settings}
        self._delay = {ch: Sampler(cfg.delay, streams(f"retrials.delay.{ch}"))
                       for ch, cfg in self.settings.items()}
        self._patience = {ch: Sampler(getattr(demand, ch).patience,
                                      streams(f"retrials.patience.{ch}"))
                          for ch in self.settings}
        self._balk = {ch: Uniforms(streams(f"retrials.balk.{ch}")) for ch in self.settings}
        self._hold = Sampler(demand.phone.hold_patience, streams("retrials.hold_patience.phone"))
        self._patience_by = scenario.temperament.patience
        self._lines = lines
        env.due = self._next_deadline
        env.expire = self._expire

    # ------------------------------------------------------------------ deadlines

    def _next_deadline(self) -> float:
        """The earliest pending patience deadline (ringing, waiting or on hold; seconds)."""
        lines = self._lines
        t = min(lines.walk_ins.next_deadline(), lines.calls.next_deadline())
        for call in lines.held:
            t = min(t, call.hold_deadline_s)
        return t

    def _expire(self, now: float) -> None:
        """Everyone whose patience ran out by ``now`` leaves (and may decide to retry)."""
        lines = self._lines
        lines.expire_walk_ins(now)
        lines.calls.expire(now, lines.call_leaves)
        if lines.held:
            lines.expire_held(now)

    # ------------------------------------------------------------------ walkouts

    def retries(self, c: Contact) -> bool:
        """``c`` has just ended: True if it walked out and its patron tries again (the
        retry is scheduled, ``c.retried`` set); a retry due at or after closing time does
        not happen (``c.retry_after_close`` set)."""
        if c.outcome not in WALKOUTS:
            return False
        cfg = self.settings.get(c.channel)
        if cfg is None or c.attempt >= cfg.max_retries or cfg.probability == 0.0:
            return False
        channel = c.channel
        if self._decide[channel]() >= cfg.probability:
            return False
        at = c.end_s + self._delay[channel]()
        if at >= self.close_s:
            c.retry_after_close = True
            return False
        c.retried = True
        retry = self._next_attempt(c, at)
        env = self.env
        env.timeout(max(0.0, at - env.now)).callbacks.append(
            lambda _event: self._arrive(retry))
        return True

    def _next_attempt(self, c: Contact, at: float) -> Contact:
        """The patron's next attempt at ``at`` (seconds): the same matter, fresh patience."""
        channel = c.channel
        patience = self._patience[channel]() * self._patience_by.get(c.temperament, 1.0)
        hold = self._hold() if channel == PHONE else INF
        r = Contact(-1, channel, c.patron_id, at, patience, c.service_s,
                    self._balk[channel](), hold)
        r.plain, r.top, r.spend, r.resolved, r.thanked = c.plain, c.top, c.spend, c.resolved, \
            c.thanked
        r.temperament, r.party, r.resolve_draw = c.temperament, c.party, c.resolve_draw
        r.calm_draw, r.complain_draw = c.calm_draw, c.complain_draw
        r.attempt = c.attempt + 1
        joined = c.outcome is not Outcome.BALKED and c.outcome is not Outcome.BLOCKED
        r.prior_wait_s = c.prior_wait_s + ((c.wait_s() + c.held_s) if joined else 0.0)
        return r

    def _arrive(self, retry: Contact) -> None:
        """The retry arrives now (the clock is the truth, as for any arrival)."""
        now = self.env.now
        if now != retry.arrival_s:
            retry.arrival_s = now
        retry.deadline_s = now + retry.patience_s
        retry.id = self._new_id()
        self._handlers[retry.channel](retry, now)

    # ------------------------------------------------------------------ experience

    def share(self, c: Contact, own_share: float) -> float:
        """A retry's wait share for judging (see ``docs/model.md``, "Retrials"): its own
        wait against its patience, plus the waits of the patron's earlier attempts today
        against it, plus ``failed_attempt_share`` per earlier failed attempt; at most 1."""
        patience = c.patience_s
        earlier = (c.prior_wait_s / patience
                   if patience != INF and patience > 0.0 else 0.0)
        return min(1.0, own_share + earlier + c.attempt * self.failed_share)
