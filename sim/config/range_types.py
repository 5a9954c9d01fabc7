"""The two kinds of entry of the plausible-range catalogue (:mod:`sim.config.ranges`).

A :class:`Range` is an uncertain quantity: the robustness study draws it between ``low``
and ``high`` (in the parameter's own unit), uniformly or log-uniformly, and ``basis`` says
where the range comes from. A :class:`Structural` parameter is a choice (staffing, a target,
a planning grid, a definition), not an uncertain quantity: it is never varied, and
``reason`` says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Scale = Literal["uniform", "log"]


@dataclass(frozen=True)
class Range:
    """A plausible range ``[low, high]`` in the parameter's unit; ``scale`` ``"log"`` draws
    log-uniformly (for quantities known to a factor, e.g. "half to double"); ``basis`` is the
    source or the reasoning."""

    low: float
    high: float
    scale: Scale
    basis: str


@dataclass(frozen=True)
class Structural:
    """A parameter that is a choice, not an uncertain quantity: not varied (``reason``: why)."""

    reason: str


def uniform(low: float, high: float, basis: str) -> Range:
    """A range drawn uniformly between ``low`` and ``high``."""
    return Range(low, high, "uniform", basis)


def log(low: float, high: float, basis: str) -> Range:
    """A range drawn log-uniformly between ``low`` and ``high`` (both > 0)."""
    return Range(low, high, "log", basis)
