"""The clerk loop of :meth:`~sim.model.staff_agent.StaffAgent.run`, specialised for a plain
counter (validation mode: nothing ever distracts, interrupts or reorders).

It does exactly what the general loop does there — the same events, draws and reports in
the same order — with the calls that cannot matter left out: one line, first come first
served, greetings that never lag, services that are never stretched. Serving itself is the
shared :meth:`~sim.model.workplace.Workplace.start_service` /
:meth:`~sim.model.workplace.Workplace.end_service`. ``tests/golden`` runs every golden case
down both loops and requires identical logs.
"""

from __future__ import annotations

from collections.abc import Callable

from sim.model.contact import WALK_IN, Contact
from sim.model.staff_agent import Proc, StaffAgent
from sim.model.waiting_line import WaitingLine
from sim.model.workplace import NOTICED


def lean_clerk(agent: StaffAgent, line: WaitingLine, leave: Callable[[Contact], None],
               greets_when_free: bool, patience_multiplier: float,
               queue_changed: Callable[[float, str, int], None]) -> Proc:
    """``agent.run()`` for a clerk who serves only the walk-in ``line`` (``leave``: its
    leave handler), in arrival order, and is never distracted or interrupted."""
    workplace = agent.workplace
    env = workplace.env
    timeout = env.timeout
    start_service, end_service = workplace.start_service, workplace.end_service
    speed = agent.effects.service_time
    angry = speed * agent.effects.composure  # service_time() for an angry customer
    now = env.now
    while True:
        if agent.on_duty:
            if line.next_due <= now:
                line.expire(now, leave)
            if greets_when_free:  # nobody's greeting lags
                line.acknowledge_unseen(now, patience_multiplier)
            contact = line.pop_first() if line.count else None
            if contact is not None:
                queue_changed(now, WALK_IN, line.count)
                start_service(agent, contact, now)
                yield timeout(contact.service_s
                              * (angry if contact.temperament == "angry" else speed)
                              + contact.conduct_s)
                now = env.now
                end_service(agent, contact, now)
                continue
            email = workplace.next_email(agent)
            if email is not None:
                yield from agent.answer(email)
                now = env.now
                continue
        reason = yield agent.sleep(now)
        now = env.now
        if reason == NOTICED and agent.notice_delay_s > 0.0:
            yield timeout(agent.notice_delay_s)
            now = env.now
            if not agent.on_duty:
                workplace.pass_on(agent)
