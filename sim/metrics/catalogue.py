"""The metric catalogue: one declaration of every metric a replication reports.

Each metric is declared once (:class:`Metric`: name, unit, kind, the direction that is
better, a description, and the splits it has); splits by channel, patron group and staff
activity are declared once (:class:`Split`) and expanded here, so the catalogue names every
column of ``replications.csv``. Tallies, comparisons and their verdicts, figures, staffing
targets, the ``--metric`` check and ``docs/metrics.md`` (``python -m sim.metrics.doc``) all
read it.

A leaf module: it imports nothing from the model, so plots and results can use it.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from sim.metrics.catalogue_virtual import VQ_FAMILY, VQ_SPECS
from sim.metrics.retrial_specs import RETRIAL_NOTE, RETRIAL_SPECS
from sim.metrics.splits import BASE_ACTIVITIES as BASE_ACTIVITIES
from sim.metrics.splits import CHANNELS as CHANNELS
from sim.metrics.splits import GROUPS as GROUPS
from sim.metrics.splits import LOOKS as LOOKS
from sim.metrics.splits import NOT_DISTRACTED as NOT_DISTRACTED
from sim.metrics.splits import SPLITS as SPLITS
from sim.metrics.splits import Split as Split
from sim.metrics.splits import part_words
from sim.metrics.words import LABELS, WORDS

Kind = Literal["count", "mean", "share", "seconds", "money"]
Better = Literal["higher", "lower"]

# The smallest difference that matters, per kind (a metric may declare its own): half a
# point of a share, a second, half a contact (or patron, e-mail ...) per day, a tenth of a
# contact in the time-average line, 20 money units (about half a served contact's spend in
# the baseline). Verdicts call a paired difference whose interval lies inside ± this "no
# practical difference".
PRACTICAL: dict[Kind, float] = {"share": 0.005, "seconds": 1.0, "count": 0.5, "mean": 0.1,
                                "money": 20.0}

@dataclass(frozen=True)
class Family:
    """Metrics that belong together (a table of ``docs/metrics.md``)."""

    key: str
    title: str
    note: str


FAMILIES: dict[str, Family] = {f.key: f for f in (
    Family("contacts", "Walk-in and phone contacts",
           "Over walk-in and phone contacts that arrived after warm-up. Waits and "
           "acknowledgments are over joiners who left the line (served or walked out)."),
    Family("staff", "Staff time", "Over the observed window (after warm-up)."),
    Family("email", "E-mail", "Over e-mails received after warm-up."),
    Family("money", "Loyalty and money", "Over contacts that arrived after warm-up."),
    Family("costs", "Costs and net value",
           "Money in the scenario's currency unit. Paid staff time is each member's time "
           "present after warm-up (on duty, or finishing a service after its shift or after "
           "closing); in each day its first `money.contracted_hours_per_day` hours cost the "
           "role's `money.staff_cost_per_hour`, later hours that × `money.overtime_rate`. "
           "Per slot in `slots.csv` (channel `all`), adding up to these totals."),
    Family("fairness", "Fairness gaps", "Plain-looking minus polished-looking patrons: "
           "positive means plain-looking patrons fare worse."),
    Family("multi_day", "Multi-day runs",
           "Reported only when `run.days` > 1 (the pool of patrons over the days)."),
    Family("conduct", "Conduct levers",
           "Reported only when a conduct lever is on (`resolution`, `conduct`, `complaints`, "
           "`email_replies`, `staff_rules.personal_phones = \"ask_permission\"`, "
           "`staff_rules.arguments`); over contacts that arrived after warm-up. With a lever "
           "on, `churned_patrons` and `lost_clv` include scored e-mails."),
    Family("retrials", "Retrials", RETRIAL_NOTE),
    Family(*VQ_FAMILY),
)}


@dataclass(frozen=True)
class Metric:
    """One metric: its column name, unit (e.g. ``s``, ``contacts``, ``share (0-1)``), kind
    (how it is shown: shares as points/percent, seconds, money, counts), the direction that
    is better (``None``: neither, e.g. a plain count of arrivals or a signed gap), what it
    means, and its splits. An expanded column also names its ``base`` metric and ``part``.
    ``practical`` is the smallest difference that matters (``None``: the kind's, see
    :data:`PRACTICAL`); ``signed`` marks a difference of two metrics (a gap), which may be
    negative."""

    name: str
    family: str
    kind: Kind
    unit: str
    better: Better | None
    description: str
    splits: tuple[str, ...] = ()
    total: bool = True      # the unsplit column is reported too
    base: str = ""          # expanded columns: the declared metric, its split and part
    split: str = ""
    part: str = ""
    practical: float | None = None
    signed: bool = False

    @property
    def smallest_difference(self) -> float:
        """The smallest difference that matters, in the metric's own scale (a share as 0-1)."""
        return PRACTICAL[self.kind] if self.practical is None else self.practical

    @property
    def bounds(self) -> tuple[float, float]:
        """The values the metric can take: a share in [0, 1] (a gap of shares in [-1, 1]),
        anything else non-negative (a gap: any sign)."""
        high = 1.0 if self.kind == "share" else math.inf
        return (-high if self.signed else 0.0, high)

    @property
    def words(self) -> str:
        """A short phrase for verdicts and report headings."""
        return WORDS.get(self.name, self.name.replace("_", " "))

    @property
    def label(self) -> str:
        """An axis label, with the unit."""
        if self.name in LABELS:
            return LABELS[self.name]
        shown = {"share": "%", "seconds": "s", "money": "money units"}.get(self.kind, self.unit)
        return f"{self.words} ({shown})"


def _family(key: str, *specs: tuple[str, Kind, str, Better | None, str],
            splits: tuple[str, ...] = (), total: bool = True, practical: float | None = None,
            signed: bool = False) -> tuple[Metric, ...]:
    return tuple(Metric(name, key, kind, unit, better, text, splits, total,
                        practical=practical, signed=signed)
                 for name, kind, unit, better, text in specs)


_CH, _CH_GROUP = ("channel",), ("channel", "group")
_SHARE, _PEOPLE = "share (0-1)", "contacts"
DECLARED: tuple[Metric, ...] = (
    *_family("contacts", ("arrivals", "count", _PEOPLE, None, "Contacts that arrived."),
             splits=_CH_GROUP),
    *_family("contacts",
             ("served", "count", _PEOPLE, "higher", "Contacts served to the end."),
             ("balked", "count", _PEOPLE, "lower", "Saw the line and left without joining."),
             ("reneged_unacknowledged", "count", _PEOPLE, "lower",
              "Joined, were never acknowledged and left when their patience ran out."),
             ("reneged_acknowledged", "count", _PEOPLE, "lower",
              "Were acknowledged, then left before service started."),
             ("abandoned", "count", _PEOPLE, "lower", "Calls that hung up while waiting."),
             ("blocked", "count", _PEOPLE, "lower", "Calls turned away: every line was busy."),
             ("walkouts", "count", _PEOPLE, "lower",
              "Balked + reneged (both kinds) + abandoned + blocked."),
             ("in_system_end", "count", _PEOPLE, None,
              "Still waiting or in service when the run ended."),
             ("walkout_rate_of_arrivals", "share", _SHARE, "lower",
              "Walkouts / arrivals, those still inside at a hard close counted as staying."),
             splits=_CH),
    *_family("contacts", ("walkout_rate", "share", _SHARE, "lower",
                          "Walkouts / contacts that left (arrivals less in_system_end)."),
             ("mean_wait_s", "seconds", "s", "lower",
              "Mean wait from arrival to the start of service (or to leaving the line)."),
             splits=_CH_GROUP),
    *_family("contacts", ("p_wait", "share", _SHARE, "lower", "Share of joiners who waited."),
             splits=_CH),
    *_family("contacts", ("mean_time_to_ack_acknowledged_s", "seconds", "s", "lower",
                          "Mean time from arrival to acknowledgment over the joiners who were "
                          "acknowledged only: it leaves out those who left unseen, so it "
                          "flatters a counter that loses them (use the median)."),
             splits=_CH_GROUP),
    *_family("contacts",
             ("median_time_to_ack_s", "seconds", "s", "lower",
              "Median time to acknowledge over every joiner, those who left unacknowledged "
              "censored at their leaving time (Kaplan-Meier; upper edge of a 1 s bin; NaN "
              "when fewer than half are ever acknowledged)."),
             ("p90_time_to_ack_s", "seconds", "s", "lower",
              "90th percentile of the time to acknowledge, censored like the median."),
             ("p_ack_within_target", "share", _SHARE, "higher",
              "Share of joiners acknowledged within the channel's target "
              "(`acknowledgment.target_s`, `phone_handling.answer_target_s`)."),
             ("service_level", "share", _SHARE, "higher",
              "Share of joiners whose service started within the channel's target."),
             ("mean_queue_length", "mean", "contacts waiting", "lower",
              "Time-average number waiting in line."),
             ("joined_left", "count", _PEOPLE, None,
              "Joiners who left the line (served or walked out): the denominator of waits."),
             ("divided_attention_services", "count", "services", "lower",
              "Services with divided attention (a personal call during service)."),
             ("walkouts_during_scene", "count", _PEOPLE, "lower",
              "Walkouts while a visible scene (an argument) went on."),
             ("ignored_while_distracted", "count", _PEOPLE, "lower",
              "Saw staff visibly distracted and were not greeted within target."),
             ("held_for_walk_in", "count", "calls", "lower",
              "Calls that spent time on hold for a walk-in."),
             ("walkout_people", "count", "people", "lower",
              "People lost with walkouts (a walk-in party leaves together)."), splits=_CH),
    *_family("staff",
             ("utilization", "share", _SHARE, None, "Busy staff time / on-duty staff time."),
             ("observed_s", "seconds", "s", None, "Length of the observed window."),
             ("queue_time_s", "seconds", "customer-seconds", "lower",
              "Customer-seconds waited in the window (its sum equals the integral of the "
              "queue length: Little's law on the sample path).")),
    *_family("staff", ("staff_time", "share", _SHARE, None,
                       "Share of present staff time spent in the activity."),
             splits=("activity",), total=False),
    *_family("staff", ("distracted_fraction", "share", _SHARE, "lower",
                       "Share of present staff time spent distracted (serving distracted "
                       "or in a distraction).")),
    *_family("email",
             ("email_arrivals", "count", "e-mails", None, "E-mails received."),
             ("email_answered", "count", "e-mails", "higher", "E-mails answered."),
             ("email_unanswered_end", "count", "e-mails", "lower",
              "E-mails still unanswered when the run ended.")),
    *_family("email", ("email_mean_response_s", "seconds", "s", "lower",
                       "Mean time from arrival to the answer sent (answered e-mails)."),
             practical=60.0),  # e-mails are answered in minutes to hours
    *_family("email", ("email_p_within_target", "share", _SHARE, "higher",
                       "Share of e-mails received that were answered within "
                       "`demand.email.target_s`.")),
    *_family("money",
             ("churned_patrons", "count", "patrons", "lower",
              "Patrons lost for good: expected (sum of P(never return)) in a one-day run, "
              "realised over a multi-day run (the group splits are always expected)."),
             splits=("group",)),
    *_family("money", ("lost_clv", "money", "money units", "lower",
                       "Customer lifetime value of the patrons lost (expected)."),
             splits=("group",), practical=200.0),  # half a patron's lifetime value
    *_family("money",
             ("revenue", "money", "money units", "higher", "Spend of the contacts served."),
             ("lost_revenue", "money", "money units", "lower", "Spend of the walkouts."),
             splits=("group",)),
    *_family("money", ("churn_per_contact", "share", "patrons per contact", "lower",
                       "Expected patrons lost per contact (mean P(never return))."),
             splits=("group",), total=False),
    *_family("costs",
             ("staff_cost", "money", "money units", "lower",
              "Pay for the staff's paid time, overtime included."),
             ("fixed_cost", "money", "money units", "lower",
              "`money.fixed_cost_per_open_hour` × hours open (opening to closing, after "
              "warm-up), whatever the staffing."),
             ("staff_hours", "count", "staff hours", None,
              "Paid staff time: hours present after warm-up, summed over staff."),
             ("overtime_hours", "count", "staff hours", None,
              "Paid staff time beyond each member's contracted hours of the day.")),
    *_family("costs", ("net_value", "money", "money units", "higher",
                       "`revenue` - `staff_cost` - `fixed_cost` - `lost_clv`: spend of the "
                       "contacts served, less pay, less the fixed cost of the open hours, "
                       "less the lifetime value of the patrons lost (expected)."),
             practical=200.0, signed=True),
    *_family("fairness",
             ("walkout_rate_gap_appearance", "share", _SHARE, None,
              "`walkout_rate_plain` - `walkout_rate_polished`."),
             ("time_to_ack_gap_appearance", "seconds", "s", None,
              "`mean_time_to_ack_acknowledged_s_plain` - "
              "`mean_time_to_ack_acknowledged_s_polished`."),
             ("wait_gap_appearance", "seconds", "s", None,
              "`mean_wait_s_plain` - `mean_wait_s_polished`."),
             ("churn_gap_appearance", "share", _SHARE, None,
              "`churn_per_contact_plain` - `churn_per_contact_polished`."),
             splits=_CH, signed=True),
    *_family("conduct",
             ("conduct_time_s", "seconds", "s", None,
              "Staff time spent on conduct: apologies, thanks, names, asking permission, "
              "on-point e-mail replies and complaint handling (the levers' cost)."),
             practical=60.0),
    *_family("conduct",
             ("unresolved", "count", "contacts", "lower",
              "Walk-ins and calls served without resolving the matter."),
             ("complaints", "count", "complaints", None,
              "Complaints raised after a bad experience (walk-ins, calls, scored e-mails)."),
             ("email_churned_patrons", "count", "patrons", "lower",
              "Patrons lost after a scored e-mail reply (expected; included in "
              "`churned_patrons`).")),
    *_family("callbacks", *VQ_SPECS),
    *_family("multi_day",
             ("active_patrons_start", "count", "patrons", None,
              "Active patrons at the start of the first day."),
             ("active_patrons_end", "count", "patrons", "higher",
              "Active patrons at the end of the last day."),
             ("new_patrons", "count", "patrons", None, "New patrons over all days.")),
    *_family("retrials", *RETRIAL_SPECS, splits=_CH),
)

# The fairness gaps, plain minus polished, and the group metric each is the gap of.
GAPS = (("walkout_rate", "walkout_rate_gap_appearance"),
        ("mean_time_to_ack_acknowledged_s", "time_to_ack_gap_appearance"),
        ("mean_wait_s", "wait_gap_appearance"),
        ("churn_per_contact", "churn_gap_appearance"))
MULTI_DAY = tuple(m.name for m in DECLARED if m.family == "multi_day")
CONDUCT = tuple(m.name for m in DECLARED if m.family == "conduct")
RETRIALS = tuple(m.name for m in DECLARED if m.family == "retrials")
ACTIVITY_BASE = "staff_time"

def split_column(base: str, split: str, part: str) -> str:
    """The column of ``base`` for one part of a split: ``split_column("walkout_rate",
    "group", "plain") == "walkout_rate_plain"``."""
    return SPLITS[split].column(base, part)


def activity_column(activity: str) -> str:
    """``staff_time_<activity>``: the share of present staff time in ``activity``."""
    return split_column(ACTIVITY_BASE, "activity", activity)


def _expanded(m: Metric, split: str, part: str) -> Metric:
    words = part_words(split, part)
    return replace(m, name=split_column(m.name, split, part), total=True,
                   description=f"{m.description} ({words})", base=m.name, split=split,
                   part=part)


def expand(m: Metric, distraction_kinds: Sequence[str] = ()) -> Iterator[Metric]:
    """The columns of a declared metric: itself (if reported unsplit), then one per part of
    each split (activities: the base ones, then ``distraction_kinds``)."""
    if m.total:
        yield m
    splits = (*m.splits, *(f"{ch}_looks" for ch in CHANNELS)) if "group" in m.splits \
        else m.splits
    for split in splits:
        parts = SPLITS[split].parts
        if split == "activity":
            parts = (*parts, *(k for k in distraction_kinds if k not in parts))
        for part in parts:
            yield _expanded(m, split, part)


def columns(distraction_kinds: Sequence[str] = (), multi_day: bool = True,
            conduct: bool = False, retrials: bool = False) -> dict[str, Metric]:
    """Every column a replication reports with these distraction kinds (multi-day columns
    only for a multi-day run, conduct columns only with a conduct lever on, retrial columns
    only with retrials on), name → :class:`Metric`, in catalogue order."""
    skip = {f for f, on in (("multi_day", multi_day), ("conduct", conduct),
                            ("retrials", retrials)) if not on}
    return {m.name: m for declared in DECLARED if declared.family not in skip
            for m in expand(declared, distraction_kinds)}


# the base activities, multi-day, conduct and retrial columns included
CATALOGUE: dict[str, Metric] = columns(conduct=True, retrials=True)
_ACTIVITY = re.compile(rf"^{ACTIVITY_BASE}_(.+)$")


def names(distraction_kinds: Sequence[str] = (), multi_day: bool = True,
          conduct: bool = False, retrials: bool = False) -> tuple[str, ...]:
    """The column names of :func:`columns`."""
    return tuple(columns(distraction_kinds, multi_day, conduct, retrials))


def metric(name: str) -> Metric:
    """The catalogue entry of a column; ``staff_time_<kind>`` is known for any distraction
    kind. Raises ``KeyError`` (with close matches) for an unknown name."""
    if name in CATALOGUE:
        return CATALOGUE[name]
    activity = activity_of(name)
    if activity is not None:
        return _expanded(declared(ACTIVITY_BASE), "activity", activity)
    close = close_matches(name)
    raise KeyError(f"unknown metric {name!r}" + (f"; did you mean {' or '.join(close)}?"
                                                  if close else ""))


def declared(name: str) -> Metric:
    """A declared metric, also one reported only split (``staff_time``,
    ``churn_per_contact``); raises ``KeyError``."""
    found = [m for m in DECLARED if m.name == name]
    if not found:
        raise KeyError(f"no declared metric {name!r}")
    return found[0]


def activity_of(name: str) -> str | None:
    """The activity of a ``staff_time_<activity>`` column, else ``None``."""
    match = _ACTIVITY.match(name)
    return match.group(1) if match else None


def is_known(name: str) -> bool:
    """True if ``name`` is a metric some configuration reports."""
    return name in CATALOGUE or _ACTIVITY.match(name) is not None


def better_direction(name: str) -> Better | None:
    """``"higher"``, ``"lower"`` or ``None`` (neither) for a known metric."""
    return metric(name).better


def close_matches(name: str, known: Sequence[str] | None = None, n: int = 3) -> list[str]:
    """Up to ``n`` known names close to a misspelt one (``known``: the catalogue)."""
    return difflib.get_close_matches(name, sorted(known if known is not None else CATALOGUE),
                                     n=n)
