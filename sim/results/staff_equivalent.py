"""What each policy costs in staff: the staff a policy needs to reach the walkout rate best
practice reaches at the main staffing level, the paid staff hours that is and what it costs
in the scenario's currency. From a sweep's ``summary.csv`` alone (staff count × policy).

For each policy, the walkout rate against the staff count is taken as piecewise linear
between the staff counts swept, and the staff level where it first falls to best
practice's rate is read off (:func:`crossing`). The interval reads the same crossing off
the policy's 95% band against best practice's band (the fewest: its lower band against
best practice's upper limit; the most: its upper band against the lower limit): a rough
interval, not a formal confidence interval. The staff hours and the staff cost of the
fractional staff level are interpolated the same way between the measured ``staff_hours``
and ``staff_cost`` (paid time, including the stay after closing). A crossing outside the
counts swept is reported as a bound (``≤ 3`` or ``> 8``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

HEADING = "## What each policy costs in staff"
METRIC = "walkout_rate"

Curve = list[tuple[float, float]]  # (staff, value), by staff


@dataclass(frozen=True)
class Crossing:
    """Where a decreasing curve first reaches a level: a staff level, or a bound when it
    is already there at the fewest staff swept (``below``) or never gets there (``above``)."""

    staff: float
    below: bool = False
    above: bool = False

    @property
    def text(self) -> str:
        """``4.3``, ``≤ 3`` or ``> 8``."""
        if self.below:
            return f"≤ {self.staff:g}"
        if self.above:
            return f"> {self.staff:g}"
        return f"{self.staff:.1f}"


def crossing(curve: Curve, level: float) -> Crossing:
    """The first staff level at which the piecewise-linear ``curve`` is at or below
    ``level``."""
    if curve[0][1] <= level:
        return Crossing(curve[0][0], below=True)
    for (s0, v0), (s1, v1) in itertools.pairwise(curve):
        if v1 <= level:
            return Crossing(s0 + (s1 - s0) * (v0 - level) / (v0 - v1))
    return Crossing(curve[-1][0], above=True)


def interpolate(curve: Curve, staff: float) -> float:
    """The piecewise-linear ``curve`` at ``staff`` (inside the counts swept)."""
    for (s0, v0), (s1, v1) in itertools.pairwise(curve):
        if s0 <= staff <= s1:
            return v0 + (v1 - v0) * (staff - s0) / (s1 - s0)
    return math.nan


@dataclass(frozen=True)
class Equivalent:
    """One policy: the staff it needs for best practice's walkout rate (and the rough
    interval), the paid staff hours and staff cost per day at that level (NaN for a
    bound)."""

    policy: str
    staff: Crossing
    fewest: Crossing
    most: Crossing
    staff_hours: float
    staff_cost: float


def _curves(rows: Sequence[Mapping[str, str]]) -> dict[tuple[str, str], Curve]:
    """``(policy, column)`` → curve over staff, for the walkout rate's mean and band and the
    staff hours and cost."""
    found: dict[tuple[str, str], Curve] = {}
    wanted = {METRIC: ("mean", "ci_low", "ci_high"), "staff_hours": ("mean",),
              "staff_cost": ("mean",)}
    for r in rows:
        for column in wanted.get(r["metric"], ()):
            key = (r["policy"], f"{r['metric']}:{column}")
            found.setdefault(key, []).append((float(r["staff"]), float(r[column])))
    return {k: sorted(v) for k, v in found.items()}


def equivalents(rows: Sequence[Mapping[str, str]], reference: str, focus: float,
                ) -> tuple[dict[str, float], list[Equivalent]]:
    """Best practice's (``reference``) walkout rate at staff ``focus`` (mean, ci_low,
    ci_high, staff_hours, staff_cost there) and every policy's equivalent."""
    curves = _curves(rows)
    ref = {c.split(":")[1] if c.startswith(METRIC) else c.split(":")[0]: v
           for (p, c), curve in curves.items() if p == reference
           for s, v in curve if s == focus}
    out = []
    for policy in dict.fromkeys(r["policy"] for r in rows):
        need = crossing(curves[policy, f"{METRIC}:mean"], ref["mean"])
        fewest = crossing(curves[policy, f"{METRIC}:ci_low"], ref["ci_high"])
        most = crossing(curves[policy, f"{METRIC}:ci_high"], ref["ci_low"])
        inside = not (need.below or need.above)
        hours = interpolate(curves[policy, "staff_hours:mean"], need.staff) if inside else math.nan
        cost = interpolate(curves[policy, "staff_cost:mean"], need.staff) if inside else math.nan
        out.append(Equivalent(policy, need, fewest, most, hours, cost))
    return ref, out


def section(rows: Sequence[Mapping[str, str]], reference: str, focus: float) -> str:
    """The report's section: a sentence on the method and a table, one row per policy."""
    if not any(r["metric"] == "staff_cost" for r in rows):
        return ""
    ref, found = equivalents(rows, reference, focus)
    base = ref["staff_cost"]
    lines = [HEADING, "",
             f"Best practice at {focus:g} staff walks out {ref['mean']:.1%} of customers "
             f"(95% CI {ref['ci_low']:.1%} to {ref['ci_high']:.1%}) for {ref['staff_hours']:.1f} "
             f"paid staff hours and a staff cost of {base:,.0f} money units a day. The staff "
             "each policy needs to walk out no more (walkout rate against staff count, linear "
             "between the counts swept), the paid staff hours and the staff cost a day at that "
             "level (`money.staff_cost_per_hour`, overtime after "
             "`money.contracted_hours_per_day`), and the extra cost over best practice. The "
             "range reads the crossing off the 95% bands (a rough range, not a confidence "
             "interval); a bound means the crossing lies outside the counts swept.", "",
             "| policy | staff needed | range | paid staff hours a day | staff cost a day "
             "| extra over best practice |",
             "|---|---|---|---|---|---|"]
    for e in found:
        known = not math.isnan(e.staff_cost)
        lines.append(
            f"| {e.policy} | {e.staff.text} | {e.fewest.text} to {e.most.text} | "
            + (f"{e.staff_hours:.1f} | {e.staff_cost:,.0f} | {e.staff_cost - base:+,.0f} |"
               if known else "- | - | - |"))
    return "\n".join(lines) + "\n"
