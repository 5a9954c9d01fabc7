"""The virtual queue: callbacks offered to callers facing a long wait, and announcements of
the expected wait to walk-ins and callers who join a line. Absent (never built) while
``callbacks.enabled`` and ``announcements.enabled`` are both false, so the counter is then
exactly the one without them.

*Expected wait* (seconds) of a customer joining a channel's line:
``(ahead × mean service) ÷ staff``, where ``ahead`` is the customers waiting before them on
that channel (on the phone, pending callbacks too, each counted at the callbacks' mean
handling time), ``mean service`` the channel's mean service time and ``staff`` the members on
duty who serve the channel (none on duty: infinite; nobody ahead: 0).

Callbacks keep their place in the phone queue: a member whose next channel (in its
phone-handling order) is the phone makes the oldest pending callback if its caller rang
before every caller still waiting. Callbacks are made during opening hours only. The wait
reported and judged for a callback is the time on the line before the offer (``start_s`` is
the offer; ``callback_s`` when the callback began). No SimPy processes: the counter's calls
are wrapped.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Sequence

from sim.config.schema import Scenario
from sim.model.contact import (
    DECLINED,
    LATE,
    LEFT,
    NOT_MADE,
    ON_TIME,
    PHONE,
    REQUESTED,
    TOLD,
    WALK_IN,
    Contact,
)
from sim.model.counter.dispatcher import Dispatcher
from sim.model.counter.lines import Lines
from sim.model.counter.outcomes import ABANDONED, OutcomeBook
from sim.model.distributions import Sampler, Uniforms, mean_of
from sim.model.streams import StreamSource
from sim.model.workplace import Colleague

Handler = Callable[[Contact, float], None]


def expected_wait_s(ahead_work_s: float, staff: int) -> float:
    """The expected wait (seconds) of a customer with ``ahead_work_s`` seconds of mean work
    waiting before them (ahead × mean service), served by ``staff`` members: 0 with nothing
    ahead, infinite with nobody on duty."""
    if ahead_work_s <= 0.0:
        return 0.0
    return ahead_work_s / staff if staff > 0 else math.inf


class VirtualQueue:
    """Callbacks and announcements at one counter for one day (built by
    :func:`virtual_queue`)."""

    def __init__(self, scenario: Scenario, streams: StreamSource, lines: Lines,
                 book: OutcomeBook, dispatcher: Dispatcher, staff: Sequence[Colleague],
                 queue_changed: Callable[[float, str, int], None], close_s: float) -> None:
        """Read the settings and the channels' mean service times (seconds); ``staff``: the
        counter's members (read when a customer joins); ``close_s``: closing time."""
        self.lines = lines
        self.book = book
        self.staff = staff
        self._queue_changed = queue_changed
        self.close_s = close_s
        demand, cb = scenario.demand, scenario.callbacks
        self.mean_s = {WALK_IN: mean_of(demand.walk_in.service),
                       PHONE: mean_of(demand.phone.service)}
        self.callbacks = cb.enabled
        self.threshold_s = cb.threshold_s
        self.accept_p = cb.accept_probability
        self.deadline_s = cb.deadline_s
        self.mean_callback_s = mean_of(cb.handling)
        self.accept_draws = Uniforms(streams("callbacks.accept")) if cb.enabled else None
        self.handling_draws = Sampler(cb.handling, streams("callbacks.handling")) \
            if cb.enabled else None
        self.announces = scenario.announcements.enabled
        self.factor = scenario.announcements.patience_factor
        self.pending: deque[Contact] = deque()  # requested callbacks, the earliest caller first
        self.dispatcher = dispatcher

    # ------------------------------------------------------------------ expected wait

    def staff_for(self, channel: str) -> int:
        """Members on duty now who serve ``channel``."""
        return sum(1 for a in self.staff if a.on_duty and channel in a.channels)

    def expected_wait(self, channel: str) -> float:
        """The expected wait (seconds) of the customer who has just joined ``channel``'s line
        (its last arrival)."""
        ahead = self.lines.by_channel[channel].count - 1
        work = ahead * self.mean_s[channel]
        if channel == PHONE:
            work += len(self.pending) * self.mean_callback_s
        return expected_wait_s(work, self.staff_for(channel))

    # ------------------------------------------------------------------ arrivals

    def install(self, handlers: dict[str, Handler]) -> None:
        """Wrap the counter's arrival handlers (channel → handler), in place."""
        if self.announces:
            handlers[WALK_IN] = self.wrap_walk_in(handlers[WALK_IN])
        handlers[PHONE] = self.wrap_call(handlers[PHONE])

    def wrap_walk_in(self, handle: Handler) -> Handler:
        """The walk-in arrival handler, followed by the announcement."""

        def arrives(contact: Contact, now: float) -> None:
            handle(contact, now)
            if contact.waiting:
                self.announce(contact, WALK_IN, now)

        return arrives

    def wrap_call(self, handle: Handler) -> Handler:
        """The call arrival handler, followed by a callback offer, else the announcement.
        With callbacks on, each call draws its acceptance and its callback's handling time
        at arrival (offered or not), so arms that differ only in the threshold see the same
        draws for the same caller."""

        def arrives(contact: Contact, now: float) -> None:
            draws = None
            if self.accept_draws is not None and self.handling_draws is not None:
                draws = (self.accept_draws(), self.handling_draws())
            handle(contact, now)
            if not contact.waiting:
                return
            if draws is not None and self.offer(contact, now, *draws):
                return
            if self.announces:
                self.announce(contact, PHONE, now)

        return arrives

    def offer(self, contact: Contact, now: float, accept_u: float, handling_s: float) -> bool:
        """Offer the caller who has just joined a callback if their expected wait exceeds the
        threshold; True if they accepted (they leave the line and the phone line)."""
        wait = self.expected_wait(PHONE)
        if wait <= self.threshold_s:
            return False
        if accept_u >= self.accept_p:
            contact.callback = DECLINED
            return False
        lines = self.lines
        lines.calls.remove(contact)
        lines.phone_in_system -= 1
        self._queue_changed(now, PHONE, lines.calls.count)
        contact.callback = REQUESTED
        contact.ack_s = now  # the offer answers the call
        contact.callback_due_s = now + self.deadline_s
        contact.service_s = handling_s
        self.pending.append(contact)
        return True

    def announce(self, contact: Contact, channel: str, now: float) -> None:
        """Tell the customer who has just joined ``channel`` their expected wait W: with
        remaining patience R, W ≤ factor × R stretches it to factor × R; else they leave
        at once. Nothing is told with nobody ahead (W = 0)."""
        if not self.announces:
            return
        wait = self.expected_wait(channel)
        if wait <= 0.0:
            return
        line = self.lines.by_channel[channel]
        remaining = contact.deadline_s - now
        if remaining == math.inf:
            contact.announced = TOLD  # patience without end: nothing changes
        elif wait <= self.factor * remaining:
            contact.announced = TOLD
            line.set_deadline(contact, now + self.factor * remaining)
        else:
            contact.announced = LEFT
            line.set_deadline(contact, now)
            line.expire(now, self.lines.on_leave[channel])

    # ------------------------------------------------------------------ staff

    def next_work(self, agent: Colleague, now: float) -> Contact | None:
        """The pending callback whose turn it is for ``agent`` (before closing), else the
        dispatcher's next work."""
        pending = self.pending
        if pending and now < self.close_s and PHONE in agent.channels \
                and self._callback_turn(agent, pending[0], now):
            dispatcher = self.dispatcher
            if dispatcher.greets_when_free and agent.serves_walk_ins:
                dispatcher.greeter.acknowledge_walk_ins(agent, expired=True)
            return pending.popleft()
        return self.dispatcher.next_work(agent, now)

    @staticmethod
    def _callback_turn(agent: Colleague, callback: Contact, now: float) -> bool:
        """True if ``agent`` would serve the phone next and ``callback``'s caller rang before
        every caller still waiting (the lines are expired up to ``now`` first)."""
        for line, leave in agent.watched:
            if line.next_due <= now:
                line.expire(now, leave)
        for channel, line in agent.choices:
            if channel == PHONE:
                first = line.first() if line.count else None
                return first is None or first.arrival_s > callback.arrival_s
            if line.count:
                return False  # a channel ahead of the phone in the member's order
        return False

    def start_service(self, agent: Colleague, contact: Contact, now: float) -> None:
        """The dispatcher's start of service; a callback is made now (on time or late), uses
        a phone line while it lasts, and keeps the offer as its reported start."""
        self.dispatcher.start_service(agent, contact, now)
        if contact.callback == REQUESTED:
            contact.callback = ON_TIME if now <= contact.callback_due_s else LATE
            contact.callback_s = now
            contact.start_s = contact.ack_s  # the wait before the offer
            self.lines.phone_in_system += 1

    # ------------------------------------------------------------------ end of day

    def close(self, end_s: float) -> None:
        """Callbacks still pending at the end of the day were never made: the caller is
        abandoned at closing (or at ``end_s``, seconds, if the day ended sooner)."""
        book = self.book
        while self.pending:
            contact = self.pending.popleft()
            contact.callback = NOT_MADE
            contact.start_s = contact.ack_s
            book.ends(contact, ABANDONED, max(contact.ack_s, min(end_s, self.close_s)))


def virtual_queue(scenario: Scenario, streams: StreamSource, lines: Lines, book: OutcomeBook,
                  dispatcher: Dispatcher, staff: Sequence[Colleague],
                  queue_changed: Callable[[float, str, int], None],
                  close_s: float) -> VirtualQueue | None:
    """The counter's virtual queue (arguments: :class:`VirtualQueue`); None while callbacks
    and announcements are both off."""
    if not (scenario.callbacks.enabled or scenario.announcements.enabled):
        return None
    return VirtualQueue(scenario, streams, lines, book, dispatcher, staff, queue_changed,
                        close_s)
