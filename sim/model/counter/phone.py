"""Phone calls at the counter: a call arriving (blocked when every line is busy), and
callers put on hold for walk-ins (they hang up if the hold outlasts their hold patience)."""

from __future__ import annotations

from sim.model.contact import PHONE, Contact
from sim.model.counter.outcomes import ABANDONED, BLOCKED
from sim.model.counter.serving import Serving
from sim.model.staff_agent import SERVING, StaffAgent
from sim.policies.base import HOLD_AND_GREET, Response


class PhoneCalls(Serving):
    """Calls arriving, held and resumed."""

    def call_arrives(self, contact: Contact, now: float) -> None:
        """A call arrives at ``now``: blocked if every line is busy, else it rings until
        answered or abandoned."""
        line = self.calls
        if line.next_due <= now:
            line.expire(now, self._call_leaves)
        if self.held:
            self._expire_held(now)
        if self.phone_in_system >= self.phone_lines:
            self._ends(contact, BLOCKED, now)
            return
        self.phone_in_system += 1
        line.add(contact)
        self._queue_changed(now, PHONE, line.count)
        if not self._wake_idle(PHONE) and self._busy_may_respond:
            self._busy_staff_respond(PHONE)

    def hold_call(self, agent: StaffAgent, call: Contact) -> None:
        """The caller is asked to hold; they hang up if the hold outlasts their hold patience."""
        now = self.env.now
        call.hold_since_s = now
        call.hold_deadline_s = now + call.hold_patience_s
        self.held.append(call)

    def resume_call(self, agent: StaffAgent, call: Contact) -> None:
        """Back to the caller, or find they hung up at their hold deadline."""
        now = self.env.now
        self._expire_held(now)
        if call.outcome is None:
            self.held.remove(call)
            call.held_s += now - call.hold_since_s
            agent.set_activity(SERVING, now)
        elif agent.serving is call:
            agent.serving = None
            self.busy -= 1
            self._count_present(agent, now)

    def hold_due(self, agent: StaffAgent) -> Response | None:
        """The hold the phone-handling policy asks for now, if walk-ins are waiting that no
        hold has dealt with (unseen for a greeting; any for serving), else None."""
        how = self.phone_policy.while_on_call() if agent.serves_walk_ins else None
        if how is None:
            return None
        line = self.walk_ins
        line.expire(self.env.now, self._walk_in_leaves)
        if how == HOLD_AND_GREET:
            return how if line.unseen() else None
        return how if line.count else None

    def _expire_held(self, now: float) -> None:
        for call in [c for c in self.held if c.hold_deadline_s <= now]:
            self.held.remove(call)
            call.held_s += call.hold_deadline_s - call.hold_since_s
            self.phone_in_system -= 1
            self._ends(call, ABANDONED, call.hold_deadline_s)
