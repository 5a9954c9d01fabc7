"""Service recovery policies: complaints after a bad experience, and e-mail replies.

``complaints``: whether customers complain after a bad experience and how a complaint is
handled (its staff time and the loyalty outcome). ``email_replies``: whether e-mails are
scored like any contact, and the quality of a reply. The first name in each registry is
the model as it was before these levers existed. Pure functions of config values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from sim.policies.registry import Registry

if TYPE_CHECKING:
    from sim.config.schema import Scenario


class ComplaintsPolicy(Protocol):
    """Complaints and their handling. Flag ``raised``: False if nobody ever complains (no
    hook is called, no draw is made); True: :meth:`handle` is called for every bad
    experience (walk-ins and calls, served or not; scored e-mails too)."""

    raised: bool

    def handle(self, churn_p: float, draw: float) -> tuple[bool, float, float]:
        """(a complaint was raised, the patron's P(never return) after its handling, staff
        seconds the handling takes) for a bad experience with P(never return) ``churn_p``
        and the contact's Uniform(0, 1) ``draw`` made at arrival."""
        ...


COMPLAINTS: Registry[ComplaintsPolicy] = Registry("complaints")


@COMPLAINTS.register("none")
class NoComplaints:
    """Nobody complains (the model before complaints existed)."""

    raised = False

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> NoComplaints:
        """The policy (no settings)."""
        return cls()

    def handle(self, churn_p: float, draw: float) -> tuple[bool, float, float]:
        """Nothing happens."""
        return False, churn_p, 0.0


@COMPLAINTS.register("ignored")
class ComplaintsIgnored:
    """Customers complain (``complaints.probability``); nobody acts: an ignored complaint
    hurts more than the incident (P(never return) × ``ignored_multiplier``, capped at 1)."""

    raised = True

    def __init__(self, probability: float, multiplier: float) -> None:
        self.probability = probability
        self.multiplier = multiplier

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> ComplaintsIgnored:
        """The policy with the scenario's chance of complaining and multiplier."""
        c = scenario.complaints
        return cls(c.probability, c.ignored_multiplier)

    def handle(self, churn_p: float, draw: float) -> tuple[bool, float, float]:
        """Raised with ``probability``; then P(never return) × ``ignored_multiplier``."""
        if draw >= self.probability:
            return False, churn_p, 0.0
        return True, min(1.0, churn_p * self.multiplier), 0.0


@COMPLAINTS.register("recover")
class ComplaintsRecovered:
    """Encourage complaints; treat them seriously, fairly and quickly: each takes
    ``handle_s`` of staff time and P(never return) × ``recovered_multiplier``."""

    raised = True

    def __init__(self, probability: float, handle_s: float, multiplier: float) -> None:
        self.probability = probability
        self.handle_s = handle_s
        self.multiplier = multiplier

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> ComplaintsRecovered:
        """The policy with the scenario's chance, handling time and recovery."""
        c = scenario.complaints
        return cls(c.probability, c.handle_s, c.recovered_multiplier)

    def handle(self, churn_p: float, draw: float) -> tuple[bool, float, float]:
        """Raised with ``probability``; then P(never return) × ``recovered_multiplier``,
        for ``handle_s`` of staff time."""
        if draw >= self.probability:
            return False, churn_p, 0.0
        return True, churn_p * self.multiplier, self.handle_s


class EmailRepliesPolicy(Protocol):
    """E-mail replies. Flag ``scored``: False if e-mails are not scored (no hook is called);
    True: :meth:`reply` is called when an e-mail is first taken up, and the answered (or
    unanswered) e-mail is scored like any contact."""

    scored: bool

    def reply(self, draw: float, resolve_probability: float) -> tuple[bool, float]:
        """(the reply resolves the matter, extra seconds of work) for the e-mail's Uniform(0,
        1) ``draw`` made at arrival and the counter's ``resolve_probability``."""
        ...


EMAIL_REPLIES: Registry[EmailRepliesPolicy] = Registry("email_replies")


@EMAIL_REPLIES.register("unscored")
class Unscored:
    """E-mails are back-office work only: a late or off-point reply costs nothing."""

    scored = False

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> Unscored:
        """The policy (no settings)."""
        return cls()

    def reply(self, draw: float, resolve_probability: float) -> tuple[bool, float]:
        """Not used."""
        return True, 0.0


@EMAIL_REPLIES.register("form_letter")
class FormLetter:
    """Scored; replies are form letters that resolve the matter with probability
    ``form_letter_resolve`` (as found, once e-mails are scored)."""

    scored = True

    def __init__(self, resolve: float) -> None:
        self.resolve = resolve

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> FormLetter:
        """The policy with the scenario's form-letter resolution chance."""
        return cls(scenario.email_replies.form_letter_resolve)

    def reply(self, draw: float, resolve_probability: float) -> tuple[bool, float]:
        """Resolved with ``form_letter_resolve``, no extra work."""
        return draw < self.resolve, 0.0


@EMAIL_REPLIES.register("on_point")
class OnPoint:
    """Scored; on-point, direct replies: resolved like a served contact
    (``patrons.resolve_probability``), for ``on_point_extra_s`` more work each."""

    scored = True

    def __init__(self, extra_s: float) -> None:
        self.extra_s = extra_s

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> OnPoint:
        """The policy with the scenario's extra work per reply."""
        return cls(scenario.email_replies.on_point_extra_s)

    def reply(self, draw: float, resolve_probability: float) -> tuple[bool, float]:
        """Resolved with ``resolve_probability``, for ``on_point_extra_s`` more work."""
        return draw < resolve_probability, self.extra_s
