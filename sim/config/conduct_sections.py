"""Scenario sections for the staff's conduct with customers (the levers a manager can pull
without hiring): how a contact's resolution depends on the clerk, de-escalation, thanks
and names, personal calls with permission, arguments, complaints and e-mail replies.

Every lever is off by default (the counter as modelled before these sections existed): a
scenario that does not mention them gives exactly the old results. Defaults, units, sources
and plausible ranges: ``docs/parameters.md``, "Conduct". Policy names are checked against
the registries of :mod:`sim.policies.conduct` (this module imports no policy module).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sim.config.fields import Frozen, Probability
from sim.config.policy_sections import known_in

Seconds = Annotated[float, Field(ge=0.0, le=3600.0, allow_inf_nan=False)]  # a short act
PerZ = Annotated[float, Field(ge=0.0, le=2.0, allow_inf_nan=False)]      # effect per z-score

ResolutionPolicyName = Annotated[str, known_in("resolution")]
AngryCustomersRule = Annotated[str, known_in("angry_customers")]
ThanksRule = Annotated[str, known_in("thanks")]
NamesRule = Annotated[str, known_in("names")]
ComplaintsPolicyName = Annotated[str, known_in("complaints")]
EmailRepliesPolicyName = Annotated[str, known_in("email_replies")]


class Resolution(Frozen):
    """Whether a served contact resolves the customer's matter.

    ``fixed`` (default): a fixed chance, ``patrons.resolve_probability``. ``clerk``: the
    serving clerk's ``knowledge`` (one value, or one per member in roster order), raised or
    lowered on the log-odds scale by ``knowledge_per_z`` × the clerk's conscientiousness
    z-score; the chance of *not* resolving is multiplied by ``divided_multiplier`` after
    divided attention (a personal call during the service, questions asked again) and, for a
    customer who is not calm, by ``exp(−fit_per_z · z_fit)`` (temperament fit: the clerk's
    extraversion and agreeableness, ``(z_E + z_A)/√2``).
    """

    policy: ResolutionPolicyName = "fixed"
    knowledge: Probability | list[Probability] = 0.9
    knowledge_per_z: PerZ = 0.5
    divided_multiplier: Annotated[float, Field(ge=1.0, le=20.0, allow_inf_nan=False)] = 2.0
    fit_per_z: PerZ = 0.3


class Conduct(Frozen):
    """How staff behave with the customer in front of them (each rule with its time cost,
    in seconds of the clerk's time added to the service).

    - ``angry_customers``: ``as_found`` or ``apologise_and_calm`` (apologise, empathise,
      never argue: ``apology_s`` with every angry or frustrated customer; with probability
      ``calm_probability`` the customer calms down and is served and judged as calm);
    - ``thanks``: ``by_chance`` (as found: ``patrons.thank_probability``) or ``always``
      (every served customer is thanked for their patronage, ``thank_s``);
    - ``names``: ``unused`` or ``regulars`` (a patron served ``regular_after_visits`` times
      before is recognised and addressed by name: ``name_s``, ``name_bonus`` satisfaction);
    - personal calls under ``staff_rules.personal_phones = "ask_permission"``: only
      ``permission_share`` of the calls during service are taken, each after asking the
      customer (``ask_s``), and it costs ``permission_penalty`` satisfaction instead of
      ``loyalty.divided_attention_penalty``;
    - arguments under ``staff_rules.arguments = "back_room"``: ``back_room_s`` added to
      each argument (walking to the back room and back).
    """

    angry_customers: AngryCustomersRule = "as_found"
    apology_s: Seconds = 30.0
    calm_probability: Probability = 0.7
    thanks: ThanksRule = "by_chance"
    thank_s: Seconds = 5.0
    names: NamesRule = "unused"
    name_s: Seconds = 3.0
    name_bonus: Probability = 0.05
    regular_after_visits: Annotated[int, Field(ge=1, le=1000)] = 1
    permission_share: Probability = 0.2
    ask_s: Seconds = 5.0
    permission_penalty: Probability = 0.1
    back_room_s: Seconds = 30.0


class Complaints(Frozen):
    """After a bad experience a customer may complain (``probability``); how the complaint
    is handled sets the loyalty outcome. ``none`` (default): nobody complains (the model as
    before). ``ignored``: complaints are raised and nothing is done: P(never return) ×
    ``ignored_multiplier``. ``recover``: each complaint takes ``handle_s`` of staff time
    (back-office work) and P(never return) × ``recovered_multiplier`` (0: fully recovered)."""

    policy: ComplaintsPolicyName = "none"
    probability: Probability = 0.25
    handle_s: Seconds = 300.0
    ignored_multiplier: Annotated[float, Field(ge=1.0, le=10.0, allow_inf_nan=False)] = 1.5
    recovered_multiplier: Probability = 0.5


class EmailReplies(Frozen):
    """E-mail replies scored like any contact (off by default: e-mails cost no loyalty).

    ``form_letter`` (as found, when scored): a reply resolves the matter with probability
    ``form_letter_resolve``. ``on_point``: with ``patrons.resolve_probability``, for
    ``on_point_extra_s`` more work per reply. A reply later than ``demand.email.target_s``
    costs ``loyalty.wait_penalty`` × min(1, lateness ÷ ``late_scale_s``).
    """

    policy: EmailRepliesPolicyName = "unscored"
    form_letter_resolve: Probability = 0.6
    on_point_extra_s: Seconds = 60.0
    late_scale_s: Annotated[float, Field(gt=0.0, le=604800.0, allow_inf_nan=False)] = 14400.0
