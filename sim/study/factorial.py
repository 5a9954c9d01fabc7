"""A study described by its factors alone, as ``countersim sweep`` and ``api.sweep`` describe
one: the first factor with numeric levels goes on the x axis, the first other factor with
several levels is the colour (the policy), and each factor is compared against its first
level unless a baseline level is named."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from sim.errors import UserInputError
from sim.study.columns import COMPARED
from sim.study.definition import Study
from sim.study.sweep import Factor, parse_factor


def _numeric(factor: Factor) -> bool:
    try:
        [float(label) for label in factor.labels]
    except ValueError:
        return False
    return len(factor.levels) > 1


def parse_baselines(given: Sequence[str], factors: Sequence[Factor]) -> dict[str, str]:
    """``factor=level`` pairs (``--baseline``), checked against the factors and their levels."""
    chosen: dict[str, str] = {}
    for text in given:
        name, _, label = text.partition("=")
        factor = next((f for f in factors if f.name == name), None)
        if factor is None or label not in factor.labels:
            allowed = "; ".join(f"{f.name}={'|'.join(f.labels)}" for f in factors)
            raise UserInputError(f"--baseline {text!r}: expected FACTOR=LEVEL with one of: "
                                 f"{allowed or '(no factors given)'}")
        if name in chosen and chosen[name] != label:
            raise UserInputError(f"--baseline {name}: given twice ({chosen[name]} and {label})")
        chosen[name] = label
    return chosen


def study_name(given: str | None, config: Path) -> str:
    """``--name``: one plain folder name under results/ (default sweep-<config stem>)."""
    name = f"sweep-{config.stem}" if given is None else given
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        raise UserInputError(f"--name {name!r}: a folder name under results/: letters, digits, "
                             "'_', '-' and '.', starting with a letter or digit")
    return name


def factorial_study(config: Path, factor_texts: Sequence[str], *, overrides: Sequence[str] = (),
                    baselines: Sequence[str] = (), metrics: Sequence[str] = (),
                    name: str | None = None) -> Study:
    """The study of ``config`` over the factors ``key=v1,v2,...`` (``--factor``), with the
    base ``overrides`` (``--set``), baseline levels ``factor=level`` (``--baseline``) and the
    metrics compared (default :data:`~sim.study.columns.COMPARED`)."""
    factors = [parse_factor(text) for text in factor_texts]
    x = next((f.name for f in factors if _numeric(f)), None)
    others = [f for f in factors if f.name != x]
    colour = next((f.name for f in others if len(f.levels) > 1),
                  others[0].name if others else None)
    return Study(name=study_name(name, config),
                 question=f"How do {', '.join(f.name for f in factors) or 'the replications'} "
                 f"change the results of {config}?",
                 config=config, factors=factors, overrides=tuple(overrides),
                 baseline=parse_baselines(baselines, factors), colour_factor=colour,
                 x_factor=x, compared=tuple(dict.fromkeys(metrics)) or COMPARED)
