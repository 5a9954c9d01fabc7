"""From the two stages' paired differences to each verdict's robustness: Morris screening,
the top parameters for the Sobol stage, Sobol indices, shares of worlds, flip points and
the headline in words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.config.ranges import sample_value
from sim.robust.flip import Boundary, boundary
from sim.robust.indices import MorrisResult, SobolResult, morris_indices, sobol_indices
from sim.robust.verdicts import Robustness, Rule, from_summary, headline, robustness, rule_for
from sim.study.robust_plan import OTHERS, Stage, base_rows
from sim.study.robust_worlds import ranged


@dataclass(frozen=True)
class Verdict:
    """One policy against the baseline on one metric, over the plausible worlds."""

    policy: str
    metric: str
    rule: Rule
    morris: MorrisResult
    sobol: SobolResult | None = None
    robustness: Robustness | None = None
    flip: Boundary | None = None
    deciding: str = ""                 # the parameter the flip figure is drawn for
    headline: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """``policy/metric``, for file names."""
        return f"{self.policy}-{self.metric}"


def _series(diffs: pd.DataFrame, policy: str, metric: str) -> pd.DataFrame:
    rows = diffs[(diffs["policy"] == policy) & (diffs["metric"] == metric)]
    return rows.reset_index(drop=True)


def screen(diffs: pd.DataFrame, stage: Stage, metrics: Sequence[str], seed: int,
           ) -> list[Verdict]:
    """Morris indices of every (policy, metric) verdict from the screening worlds."""
    verdicts = []
    for policy in dict.fromkeys(diffs["policy"]):
        for metric in metrics:
            rows = _series(diffs, str(policy), metric)
            morris = morris_indices(stage.design, rows["difference"].to_numpy(float),
                                    rows["se"].to_numpy(float), seed=seed)
            verdicts.append(Verdict(str(policy), metric, rule_for(metric), morris))
    return verdicts


def top_parameters(verdicts: Sequence[Verdict], count: int) -> list[str]:
    """The ``count`` parameters with the largest μ* relative to the smallest difference that
    matters, over all verdicts (so one Sobol stage serves them all)."""
    scores: dict[str, float] = {}
    for v in verdicts:
        table = v.morris.table
        scale = v.rule.smallest or 1.0
        for name, mu in zip(table.index, table["mu_star"], strict=True):
            scores[str(name)] = max(scores.get(str(name), 0.0), float(mu) / scale)
    return sorted(scores, key=lambda n: -scores[n])[:count]


def _flip(design_col: np.ndarray, y: np.ndarray, name: str, seed: int) -> Boundary:
    span = ranged(name)
    return boundary(name, design_col, y, to_units=lambda u: sample_value(span, u), seed=seed)


def decide(verdict: Verdict, diffs: pd.DataFrame, stage: Stage, baseline: str, family: int,
           seed: int) -> Verdict:
    """Sobol indices, shares of worlds (base rows only) and the flip point of the most
    influential single parameter."""
    rows = _series(diffs, verdict.policy, verdict.metric)
    y, se, n = (rows[c].to_numpy(float) for c in ("difference", "se", "n"))
    sobol = sobol_indices(stage.design, y, se, seed=seed)
    base = base_rows(stage.design)
    robust = robustness(verdict.policy, baseline, from_summary(y[base], se[base], n[base]),
                        verdict.rule, family_size=family)
    singles = sobol.table.drop(index=[OTHERS], errors="ignore")["ST"].dropna()
    name = str(singles.idxmax()) if len(singles) else str(
        verdict.morris.table["mu_star"].idxmax())
    if name not in stage.design.names:  # screened but not in the Sobol stage
        name = stage.design.names[0]
    flip = _flip(stage.design.column(name), y, name, seed)
    return Verdict(verdict.policy, verdict.metric, verdict.rule, verdict.morris, sobol, robust,
                   flip, name, warnings=[*robust.warnings, *sobol.warnings, *flip.warnings])


def with_headline(v: Verdict, words: dict[str, str]) -> Verdict:
    """The verdict with its headline (the flip named when the verdict flips in range)."""
    assert v.robustness is not None
    r = v.robustness
    flip = v.flip.flip if v.flip is not None else None
    at = ""
    if flip is not None and r.shares["holds"].count and r.shares["reverses"].count:
        at = f"{flip.value:.3g}" + (" s" if v.deciding.endswith("_s") else "")
    text = headline(r, words.get(v.deciding, v.deciding) if at else "", at)
    return Verdict(v.policy, v.metric, v.rule, v.morris, v.sobol, r, v.flip, v.deciding,
                   text, v.warnings)
