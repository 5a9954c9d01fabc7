"""``report.md`` of a robustness study: each verdict's headline with its share of worlds,
the assumptions that decide it, where it flips, and how the study was run."""

from __future__ import annotations

import math

from sim.config.ranges import label_for
from sim.robust.verdicts import CLASSES
from sim.study.robust_analysis import Verdict
from sim.study.robust_decompose_report import decomposition_words
from sim.study.robust_run import RobustResult, RobustSpec


def _named(param: str) -> str:
    """A parameter in words with its key in brackets (the key alone without a label)."""
    label = label_for(param)
    return f"{label} [`{param}`]" if label else f"`{param}`"


def _deciding(v: Verdict) -> str:
    """The parameters whose total Sobol index is clearly above zero, largest first."""
    if v.sobol is None:
        return "–"
    table = v.sobol.table.sort_values("ST", ascending=False)
    named = [f"{_named(str(name))} (total index {row.ST:.2f} "
             f"[{row.ST_low:.2f}, {row.ST_high:.2f}])"
             for name, row in table.iterrows() if row.ST_low > 0.01]
    return ", ".join(named) if named else "none clearly above zero"


def _screened(v: Verdict, count: int = 5) -> str:
    table = v.morris.table.sort_values("mu_star", ascending=False).head(count)
    return ", ".join(f"{_named(str(name))} (μ* {row.mu_star:.3g})"
                     for name, row in table.iterrows())


def _flip(v: Verdict) -> str:
    flip = v.flip.flip if v.flip is not None else None
    if flip is None or math.isnan(flip.value):
        return f"no flip inside the range of {_named(v.deciding)}"
    ends = ("beyond the range's low end" if flip.low_open else f"{flip.low:.3g}",
            "beyond the range's high end" if flip.high_open else f"{flip.high:.3g}")
    return (f"the paired difference crosses 0 at {_named(v.deciding)} ≈ {flip.value:.3g} "
            f"(95% interval {ends[0]} to {ends[1]})")


def _verdict(v: Verdict) -> list[str]:
    assert v.robustness is not None
    shares = "; ".join(f"{c}: {v.robustness.shares[c].percent()}" for c in CLASSES)
    lines = [f"### {v.policy} vs the baseline on {v.metric}", "", f"**{v.headline}.**", "",
             f"- Worlds ({v.robustness.n_worlds}): {shares}.",
             f"- Deciding assumptions (Sobol stage): {_deciding(v)}.",
             f"- Screening (Morris, every parameter): {_screened(v)}.",
             f"- Boundary: {_flip(v)}.", "",
             f"![Morris](figures/morris_{v.key}.png) ![Sobol](figures/sobol_{v.key}.png)", "",
             f"![flip](figures/flip_{v.key}.png)", ""]
    return [*lines, *[f"> {w}" for w in v.warnings], ""] if v.warnings else lines


def report_text(spec: RobustSpec, result: RobustResult, command: str) -> str:
    """The whole report."""
    names = [p.label for p in spec.policies]
    level = result.verdicts[0].robustness.level if result.verdicts and \
        result.verdicts[0].robustness else 0.95
    lines = ["# How robust are the verdicts?", "", f"Command: `{command}`", "",
             f"Policies {', '.join(names[1:])} against **{names[0]}**, on "
             f"{', '.join(spec.metrics)}, across plausible worlds: every one of "
             f"{len(result.params)} assumed parameters drawn over its plausible range "
             "(docs/parameters.md, 'Plausible ranges'), every policy run in every world with "
             f"{spec.reps} paired replications (common random numbers).", "",
             "A world counts as **holds** when its interval of the paired difference lies "
             "beyond the smallest difference that matters in the policy's favour, "
             "**reverses** when beyond it against, and **cannot be told apart** otherwise "
             "(noise or no practical difference). Every interval, per world and for the "
             f"shares over worlds (Clopper–Pearson), is at the {100 * level:.2f}% level: "
             f"Bonferroni over the {len(result.verdicts)} verdicts of this report.", "",
             "## Headlines", "", *[f"- {v.headline}." for v in result.verdicts], ""]
    if result.dropped:
        lines += [f"Not varied (no compared policy reads them): "
                  f"{', '.join(f'`{p}`' for p in result.dropped)}.", ""]
    lines += [f"Stages: screening {len(result.stages[0].worlds)} worlds (Morris), deciding "
              f"{len(result.stages[1].worlds)} worlds (Sobol over {', '.join(result.top)} and "
              "the other parameters as one group); "
              f"{result.total_reps:,} replications in all.", "", "## Verdicts", ""]
    for v in result.verdicts:
        lines += _verdict(v)
    for d in result.decompositions:
        lines += decomposition_words(d)
    return "\n".join(lines)
