"""Back-office work: the pile of emails, answered oldest first during opening hours."""

from __future__ import annotations

from sim.model.contact import EMAIL, Contact
from sim.model.counter.noticing import Noticing
from sim.model.counter.outcomes import SERVED
from sim.model.staff_agent import StaffAgent


class EmailWork(Noticing):
    """The email pile."""

    def email_arrives(self, email: Contact, now: float) -> None:
        """An email joins the back-office pile."""
        self.emails.append(email)
        self._wake_idle(EMAIL)

    def next_email(self, agent: StaffAgent) -> Contact | None:
        """The oldest unanswered email, during opening hours only."""
        if self.emails and self.env.now < self.close_s:
            return self.emails.popleft()
        return None

    def return_email(self, email: Contact) -> None:
        """An email put aside half-answered goes back on top of the pile."""
        self.emails.appendleft(email)

    def email_answered(self, email: Contact) -> None:
        """An email has been answered."""
        self._ends(email, SERVED, self.env.now)
