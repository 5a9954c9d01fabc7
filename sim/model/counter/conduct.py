"""Conduct at the counter: what the staff's conduct levers (:mod:`sim.policies.conduct`,
:mod:`sim.policies.recovery`) do to a contact. :class:`ConductDesk` acts at the start and
end of a service (an apology, thanks, a name: seconds added to the service; resolution by
the clerk); :class:`ConductJudge` scores experiences with the levers (a calmed customer, a
name, a call taken with permission, a scored e-mail reply) and raises complaints. Neither
exists while every lever is off (:func:`conduct_active`), so the counter is then exactly
as before. No SimPy.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from sim.config.schema import Scenario
from sim.config.sections import TraitScores
from sim.model.contact import EMAIL, Contact
from sim.policies.conduct import ANGRY_CUSTOMERS, CALM, NAMES, RESOLUTION, THANKS
from sim.policies.recovery import COMPLAINTS, EMAIL_REPLIES
from sim.policies.staff_rules import ARGUMENTS, PERSONAL_PHONES


def conduct_active(scenario: Scenario) -> bool:
    """True if any conduct lever is on: then the counter has a desk and a judge, and the
    metrics report the conduct columns."""
    s = scenario
    return (RESOLUTION.build(s.resolution.policy, s).by_clerk
            or ANGRY_CUSTOMERS.build(s.conduct.angry_customers, s).acts
            or THANKS.build(s.conduct.thanks, s).always
            or NAMES.build(s.conduct.names, s).recognises
            or COMPLAINTS.build(s.complaints.policy, s).raised
            or EMAIL_REPLIES.build(s.email_replies.policy, s).scored
            or bool(PERSONAL_PHONES.build(s.staff_rules.personal_phones, s).with_permission)
            or ARGUMENTS.build(s.staff_rules.arguments, s).extra_s != {}
            or bool(ARGUMENTS.build(s.staff_rules.arguments, s).stopped_for_customers))


class ConductDesk:
    """The levers acting on a service: at its start (seconds of the clerk's time, and who is
    calmed, thanked, named) and at its end (resolution by the clerk, visits counted)."""

    def __init__(self, scenario: Scenario, visits: dict[int, int],
                 scores: list[TraitScores], composure: list[float]) -> None:
        """``visits``: the patrons' services so far (kept across days); ``scores`` and
        ``composure``: each member's trait z-scores and composure multiplier (roster order)."""
        s = scenario
        self.resolution = RESOLUTION.build(s.resolution.policy, s)
        self.angry = ANGRY_CUSTOMERS.build(s.conduct.angry_customers, s)
        self.thanks = THANKS.build(s.conduct.thanks, s)
        self.names = NAMES.build(s.conduct.names, s)
        self.visits = visits
        self.composure = composure
        self.knowledge = [self.resolution.knowledge(i, z.conscientiousness)
                          for i, z in enumerate(scores)]
        self.fit = [(z.extraversion + z.agreeableness) / math.sqrt(2.0) for z in scores]

    def begin(self, member: int, c: Contact) -> None:
        """Member ``member`` starts serving ``c`` (a walk-in or a call)."""
        extra = 0.0
        if self.angry.acts:
            seconds, c.calmed = self.angry.handle(c.temperament, c.calm_draw,
                                                  self.composure[member])
            extra += seconds
        if self.thanks.always:
            c.thanked = True
            extra += self.thanks.thank_s()
        if self.names.recognises:
            c.named, seconds = self.names.by_name(self.visits.get(c.patron_id, 0))
            extra += seconds
        c.conduct_s += extra

    def finish(self, member: int, c: Contact) -> None:
        """Member ``member`` finished serving ``c``: the matter is resolved by the clerk's
        chance (the contact's own draw made at arrival), and the visit counts."""
        if self.resolution.by_clerk:
            p = self.resolution.p_unresolved(self.knowledge[member], self.fit[member],
                                             c.temperament == CALM or c.calmed,
                                             c.divided_attention)
            c.resolved = c.resolve_draw < 1.0 - p
        if self.names.recognises:
            self.visits[c.patron_id] = self.visits.get(c.patron_id, 0) + 1


class ConductJudge:
    """Satisfaction with the levers, complaints, and e-mail replies."""

    def __init__(self, scenario: Scenario, file_work: Callable[[Contact], None]) -> None:
        """``file_work(item)``: puts back-office work (a complaint to handle) on the pile."""
        s = scenario
        self.loyalty = s.loyalty
        self.conduct = s.conduct
        self.complaints = COMPLAINTS.build(s.complaints.policy, s)
        self.replies = EMAIL_REPLIES.build(s.email_replies.policy, s)
        self.emails_scored = self.replies.scored
        self.resolve_probability = s.patrons.resolve_probability
        self.target_s = s.demand.email.target_s
        self.late_scale_s = s.email_replies.late_scale_s
        self.file_work = file_work

    def score(self, c: Contact, walked_out: bool, share: float,
              served: bool) -> tuple[float, bool, bool]:
        """(satisfaction, bad, delighted): 1 − harm × sensitivity (+ thanks, + name), where a
        call taken with permission costs ``permission_penalty`` instead of the divided-
        attention penalty and a calmed customer is judged with the calm sensitivity."""
        cfg = self.loyalty
        harm = cfg.walkout_penalty if walked_out else 0.0
        harm += cfg.wait_penalty * share
        if c.ignored:
            harm += cfg.ignored_penalty
        if c.divided_attention:
            harm += self.conduct.permission_penalty if c.permission \
                else cfg.divided_attention_penalty
        if c.overtaken:
            harm += cfg.overtaken_penalty
        if c.scrutinised:
            harm += cfg.scrutinised_penalty
        if served and not c.resolved:
            harm += cfg.unresolved_penalty
        harm *= cfg.sensitivity.get(CALM if c.calmed else c.temperament, 1.0)
        value = 1.0 - harm
        if served and c.thanked:
            value += cfg.thanked_bonus
        if served and c.named:
            value += self.conduct.name_bonus
        value = min(1.0, max(0.0, value))
        bad = walked_out or value < cfg.bad_below
        return value, bad, not bad and value >= cfg.delighted_at

    def email_share(self, c: Contact) -> float:
        """The reply's lateness beyond the target, ÷ ``late_scale_s``, capped at 1."""
        late = (c.end_s - c.arrival_s) - self.target_s
        return min(1.0, late / self.late_scale_s) if late > 0.0 else 0.0

    def take_up(self, email: Contact) -> None:
        """An e-mail is taken up for the first time: the reply's quality decides whether it
        will resolve the matter, and any extra work it takes (seconds)."""
        email.resolved, extra = self.replies.reply(email.resolve_draw, self.resolve_probability)
        if extra:
            email.work_left_s += extra
            email.conduct_s += extra

    def complaint(self, c: Contact) -> None:
        """After a bad experience (``c.churn_p`` set): the customer may complain; handling
        sets the loyalty outcome, and its staff time goes on the back-office pile."""
        if not self.complaints.raised:
            return
        c.complained, c.churn_p, handle_s = self.complaints.handle(c.churn_p, c.complain_draw)
        if handle_s > 0.0:
            c.conduct_s += handle_s
            work = Contact(-1, EMAIL, c.patron_id, c.end_s, math.inf, handle_s, 1.0)
            work.complained = True  # marks back-office work: never reported as a contact
            self.file_work(work)
