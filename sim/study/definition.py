"""A study: a named sweep with everything its results folder and report need (question,
factors, baseline levels, which factor is the policy and which goes on the x axis)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sim.study.columns import COMPARED
from sim.study.sweep import Factor


@dataclass(frozen=True)
class Study:
    """What to sweep and how to present it.

    ``baseline`` names the level each factor is compared against (default: its first);
    ``colour_factor`` is the policy (one colour per level in every figure); ``x_factor`` has
    numeric levels (e.g. staff count); ``focus`` picks the levels that the headline, the
    timeline and single-panel figures use for the factors not being compared (default: the
    baseline level, or the middle level of the x factor).
    """

    name: str
    question: str
    config: Path
    factors: list[Factor]
    overrides: tuple[str, ...] = ()
    baseline: dict[str, str] = field(default_factory=dict)
    colour_factor: str | None = None
    x_factor: str | None = None
    compared: tuple[str, ...] = COMPARED
    focus: dict[str, str] = field(default_factory=dict)

    def baseline_of(self, factor: Factor) -> str:
        """The baseline level label of ``factor``."""
        from sim.study.tables import baseline_label  # the statistics load when they are used

        return baseline_label(factor, self.baseline)

    def focus_labels(self) -> dict[str, str]:
        """One level per factor: the scenario the headline and the timeline describe."""
        chosen = {}
        for f in self.factors:
            if f.name in self.focus:
                chosen[f.name] = self.focus[f.name]
            elif f.name == self.x_factor:
                chosen[f.name] = f.levels[len(f.levels) // 2].label
            else:
                chosen[f.name] = self.baseline_of(f)
        return chosen


@dataclass(frozen=True)
class RunOptions:
    """How to run a study: seed, replications, where, and the command that reproduces it."""

    seed: int
    reps: int
    jobs: int
    command: str
    cluster: str | None = None
    out: Path | None = None
    resume: bool = False
    figures: bool = True
    progress_every_s: float = 10.0
    force: bool = False               # past the resource guard (--force)
    strict: bool = False              # warnings are errors (--strict)
    warnings: tuple[str, ...] = ()    # found before running; recorded in the manifest
    parquet: bool = False             # also write replications.parquet (--parquet)
