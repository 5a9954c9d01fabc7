"""The scenario schema: one :class:`Scenario` made of the sections in
:mod:`sim.config.sections` and :mod:`sim.config.policy_sections`.

Loading files, ``--set`` overrides and cross-field checks live in :mod:`sim.config.loading`
and :mod:`sim.config.checks`; errors are :class:`sim.errors.ConfigError` (one line naming
the key, the value and what is allowed).
"""

from __future__ import annotations

from pydantic import Field

from sim.config.conduct_sections import Complaints, Conduct, EmailReplies, Resolution
from sim.config.fields import Frozen
from sim.config.policy_sections import (
    Acknowledgment,
    Balking,
    Discipline,
    PhoneHandling,
    StaffRules,
)
from sim.config.retrial_sections import Retrials
from sim.config.sections import (
    Demand,
    Distractions,
    Hours,
    Loyalty,
    Market,
    Money,
    Patrons,
    Run,
    Staff,
    Temperament,
    Traits,
)
from sim.config.virtual_queue_sections import Announcements, Callbacks


class Scenario(Frozen):
    """One fully specified configuration: parameters plus policies."""

    name: str = "scenario"
    description: str = ""
    hours: Hours = Field(default_factory=Hours)
    demand: Demand = Field(default_factory=Demand)
    staff: Staff = Field(default_factory=Staff)
    acknowledgment: Acknowledgment = Field(default_factory=Acknowledgment)
    phone_handling: PhoneHandling = Field(default_factory=PhoneHandling)
    discipline: Discipline = Field(default_factory=Discipline)
    balking: Balking = Field(default_factory=Balking)
    distractions: Distractions = Field(default_factory=Distractions)
    staff_rules: StaffRules = Field(default_factory=StaffRules)
    traits: Traits = Field(default_factory=Traits)
    loyalty: Loyalty = Field(default_factory=Loyalty)
    money: Money = Field(default_factory=Money)
    temperament: Temperament = Field(default_factory=Temperament)
    market: Market = Field(default_factory=Market)
    patrons: Patrons = Field(default_factory=Patrons)
    run: Run = Field(default_factory=Run)
    resolution: Resolution = Field(default_factory=Resolution)
    conduct: Conduct = Field(default_factory=Conduct)
    complaints: Complaints = Field(default_factory=Complaints)
    email_replies: EmailReplies = Field(default_factory=EmailReplies)
    retrials: Retrials = Field(default_factory=Retrials)
    callbacks: Callbacks = Field(default_factory=Callbacks)
    announcements: Announcements = Field(default_factory=Announcements)
