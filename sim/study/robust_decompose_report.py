"""The outputs of a bundle's split into its fixes: ``decomposition.csv``, a waterfall
figure per bundle and metric, and the report's paragraph in words."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.results.comparisons import amount, info, interval
from sim.robust.decompose import ShapleySplit
from sim.robust.figures import decomposition_figure
from sim.study.robust_decompose import DEFAULT_WORLD, Decomposition

TOTAL = "total"   # the row of the bundle's whole effect


def _row(d: Decomposition, world: str, metric: str, part: str, value: float, se: float,
         bounds: tuple[float, float], total: float) -> dict[str, Any]:
    return {"bundle": d.bundle, "baseline": d.baseline, "world": world, "metric": metric,
            "part": part, "effect": value, "se": se, "low": bounds[0], "high": bounds[1],
            "share_of_total": value / total if total else math.nan, "reps": d.reps}


def decomposition_table(decompositions: list[Decomposition]) -> pd.DataFrame:
    """One row per bundle, world, metric and fix (its Shapley value, standard error, 95%
    interval and share of the bundle's effect; metric units), then the bundle's whole
    effect (``part`` = ``total``)."""
    rows = []
    for d in decompositions:
        for (world, metric), s in d.splits.items():
            if s is None:
                continue
            for fix in d.fixes:
                rows.append(_row(d, world, metric, fix, s.values[fix], (s.se or {})[fix],
                                 s.interval(fix), s.total))
            rows.append(_row(d, world, metric, TOTAL, s.total, s.total_se or math.nan,
                             s.interval(), s.total))
    return pd.DataFrame(rows)


def _scale(metric: str) -> tuple[float, str]:
    unit = info(metric).unit
    return (100.0, "points") if unit == "points" else (1.0, unit or "metric units")


def decomposition_figures(decompositions: list[Decomposition]) -> dict[str, Figure]:
    """A waterfall per bundle and metric at the default world (with the sampled worlds'
    values beside it when there are any)."""
    out: dict[str, Figure] = {}
    for d in decompositions:
        for metric in d.metrics:
            s = d.splits.get((DEFAULT_WORLD.name, metric))
            if s is None:
                continue
            scale, unit = _scale(metric)
            names = [*d.fixes, f"{d.bundle} (all)"]
            bounds = [s.interval(f) for f in d.fixes] + [s.interval()]
            values = scale * np.array([*(s.values[f] for f in d.fixes), s.total])
            low, high = (scale * np.array([b[i] for b in bounds]) for i in (0, 1))
            sampled = [d.splits.get((w.name, metric)) for w in d.worlds[1:]]
            across = {f: scale * np.array([x.values[f] for x in sampled if x is not None])
                      for f in d.fixes} if sampled else None
            if across is not None:
                across[names[-1]] = scale * np.array([x.total for x in sampled
                                                      if x is not None])
            out[f"figures/decompose_{d.bundle}-{metric}.png"] = decomposition_figure(
                names, values, low, high, f"{d.bundle} vs {d.baseline}: {info(metric).words}"
                " split into its fixes (default world)", unit, across)
    return out


def _signed(value: float, unit: str) -> str:
    return ("-" if value < 0 else "+") + amount(abs(value), unit)


def _part(fix: str, s: ShapleySplit, sign: float, unit: str, shares: bool) -> str:
    """A fix's part in the orientation of the whole change (``sign``: −1 for a cut)."""
    lo, hi = sorted(sign * b for b in s.interval(fix))
    value = sign * s.values[fix]
    notes = [f"{100 * value / abs(s.total):.0f}%"] if shares else []
    notes += ["against it"] if value < 0 else []
    shown = f" ({', '.join(notes)})" if notes else ""
    return f"{fix} {amount(value, unit)} {interval(lo, hi, unit)}{shown}"


def _default_words(d: Decomposition, metric: str, s: ShapleySplit) -> str:
    m = info(metric)
    sign = -1.0 if s.total < 0 else 1.0
    lo, hi = sorted(sign * b for b in s.interval())
    clear = lo > 0  # the whole change's interval excludes zero: shares mean something
    parts = sorted(d.fixes, key=lambda f: -sign * s.values[f])
    said = ", ".join(_part(f, s, sign, m.unit, clear) for f in parts)
    head = (f"- **{m.words}**: {d.bundle} {'cuts' if sign < 0 else 'raises'} {m.words} by "
            f"{amount(abs(s.total), m.unit)} {interval(lo, hi, m.unit)} against {d.baseline}")
    if not clear:
        return (f"{head}, a change that cannot be told from zero, so its parts are not shares "
                f"of it; each fix's part in the same direction: {said}.")
    return f"{head}; of that, {said}."


def _largest(fixes: tuple[str, ...], s: ShapleySplit) -> str:
    return max(fixes, key=lambda f: abs(s.values[f]))


def _across_words(d: Decomposition, metric: str) -> str:
    sampled = [s for w in d.worlds[1:] if (s := d.splits.get((w.name, metric)))]
    if not sampled:
        return ""
    unit = info(metric).unit
    biggest = [_largest(d.fixes, s) for s in sampled]
    spans = [f"{f} {_signed(min(s.values[f] for s in sampled), unit)} to "
             f"{_signed(max(s.values[f] for s in sampled), unit)}" for f in d.fixes]
    top = max(set(biggest), key=biggest.count)
    worlds = f"{len(sampled)} sampled plausible world" + ("s" if len(sampled) > 1 else "")
    return (f"  In {worlds} the whole change runs from "
            f"{_signed(min(s.total for s in sampled), unit)} to "
            f"{_signed(max(s.total for s in sampled), unit)}; {top} is the largest part in "
            f"{biggest.count(top)} of them; each fix's part: " + "; ".join(spans) + ".")


def decomposition_words(d: Decomposition) -> list[str]:
    """The report's section on one bundle: the split of each metric in words."""
    k = len(d.fixes)
    lines = [f"## Where {d.bundle}'s gain comes from", "",
             f"{d.bundle} differs from {d.baseline} in {k} fixes ({', '.join(d.fixes)}). "
             f"All {2 ** k} combinations of them ran at the default world (every assumed "
             f"parameter as the scenario sets it) with {d.reps} paired replications each (common "
             "random numbers); each fix's part is its Shapley value: its added effect "
             "averaged over every order in which the fixes could be added, so the parts "
             "add up to the whole and an interaction is shared equally among the fixes "
             "in it. Intervals: 95% over replications (Student t), each on its own.", ""]
    for metric in d.metrics:
        s = d.splits.get((DEFAULT_WORLD.name, metric))
        if s is None:
            lines.append(f"- **{info(metric).words}**: too few replications give it in "
                         "every combination to split it.")
            continue
        lines.append(_default_words(d, metric, s))
        across = _across_words(d, metric)
        if across:
            lines.append(across)
    names = ", ".join(f"`figures/decompose_{d.bundle}-{m}.png`" for m in d.metrics)
    return [*lines, "", f"Table: `decomposition.csv`; figures: {names}.", ""]
