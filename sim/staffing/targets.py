"""Service targets for ``countersim staff`` and how one slot is judged against them.

A target is ``metric<=value`` or ``metric>=value`` (:func:`parse_targets`), with the
direction fixed by the metric's better direction in :mod:`sim.metrics.catalogue`
(:data:`METRICS`): the one in which more staff helps.

A target holds in a slot *with confidence*: the metric is computed per replication over
the walk-in and phone contacts that arrived in the slot after warm-up, and the one-sided
Student-t bound over replications (upper for ``<=``, lower for ``>=``) must meet the
target (:func:`check_target`). A slot where fewer than two replications measured the
metric (nobody arrived, or nobody joined the line) has no bound: it passes with nothing to
judge, and is reported as not judged rather than as met. The search needs at least
:data:`MIN_REPLICATIONS` replications per schedule: with fewer, the bound is either absent
(one replication: the point estimate would claim 95%) or so wide that slots are staffed
for the noise.

Pure: nothing here prints or writes files.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sim.errors import UserInputError
from sim.metrics.catalogue import metric

Op = Literal["<=", ">="]

MIN_REPLICATIONS = 10
"""Fewest replications per simulated schedule that ``countersim staff`` accepts."""


# ------------------------------------------------------------------------------ targets


@dataclass(frozen=True)
class MetricSpec:
    """A metric the search can staff for: the direction that is good, and its unit."""

    op: Op
    unit: Literal["share", "s"]


# The metrics computed per slot (sim.staffing.slots), in the order the help lists them.
TARGET_METRICS = ("walkout_rate", "p_ack_within_target", "service_level", "mean_wait_s",
                  "mean_time_to_ack_acknowledged_s")


def target_spec(name: str) -> MetricSpec:
    """The target form of a catalogue metric: ``<=`` if lower is better, ``>=`` if higher;
    a share or seconds. Raises ``ValueError`` for a metric that cannot be a target."""
    m = metric(name)
    if m.better is None or m.kind not in ("share", "seconds"):
        raise ValueError(f"{name} has no better direction or is not a share or a time")
    return MetricSpec("<=" if m.better == "lower" else ">=",
                      "share" if m.kind == "share" else "s")


METRICS: dict[str, MetricSpec] = {name: target_spec(name) for name in TARGET_METRICS}

_TARGET = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*([<>=!]*)\s*(.*?)\s*$")


@dataclass(frozen=True)
class Target:
    """``metric op value``: a share in (0, 1) or a time in seconds."""

    metric: str
    op: Op
    value: float

    @property
    def text(self) -> str:
        """The target as written on the command line, e.g. ``walkout_rate<=0.05``."""
        return f"{self.metric}{self.op}{self.value:g}"

    def holds(self, bound: float) -> bool:
        """True if ``bound`` meets the target (NaN, nothing measured, counts as met)."""
        if math.isnan(bound):
            return True
        return bound <= self.value if self.op == "<=" else bound >= self.value

    def slack(self, bound: float) -> bool:
        """True if ``bound`` meets the target strictly (room to take staff away)."""
        if math.isnan(bound):
            return True
        return bound < self.value if self.op == "<=" else bound > self.value

    def gap(self, bound: float) -> float:
        """How far ``bound`` misses the target, relative to the target value (negative
        when it meets it with room to spare; -inf when nothing was measured)."""
        if math.isnan(bound):
            return -math.inf
        miss = bound - self.value if self.op == "<=" else self.value - bound
        return miss / self.value


def allowed_targets() -> str:
    """The target forms accepted, for error messages."""
    value = {"share": "P", "s": "SECONDS"}
    return ", ".join(f"{m}{s.op}{value[s.unit]}" for m, s in METRICS.items())


def _bad_target(text: str, problem: str) -> UserInputError:
    return UserInputError(f"--target {text!r}: {problem}; allowed: {allowed_targets()} "
                          "(P a share between 0 and 1, or a percentage such as 80%)")


def _target_value(text: str, raw: str, spec: MetricSpec) -> float:
    percent = spec.unit == "share" and raw.endswith("%")
    try:
        value = float(raw[:-1] if percent else raw) / (100.0 if percent else 1.0)
    except ValueError:
        raise _bad_target(text, f"{raw!r} is not a number") from None
    if spec.unit == "share" and not 0.0 < value < 1.0:
        raise _bad_target(text, f"{raw} must be a share strictly between 0 and 1")
    if spec.unit == "s" and not 0.0 < value < math.inf:
        raise _bad_target(text, f"{raw} must be a positive number of seconds")
    return value


def parse_target(text: str) -> Target:
    """Parse ``metric<=value`` or ``metric>=value``; raises :class:`UserInputError`."""
    match = _TARGET.match(text)
    if match is None or not match.group(2):
        raise _bad_target(text, "expected METRIC<=VALUE or METRIC>=VALUE")
    metric, op, raw = match.groups()
    spec = METRICS.get(metric)
    if spec is None:
        raise _bad_target(text, f"unknown metric {metric!r}")
    if op not in ("<=", ">="):
        raise _bad_target(text, f"operator {op!r} is not <= or >=")
    if op != spec.op:
        raise _bad_target(text, f"{metric} improves with more staff, so it takes {spec.op}")
    return Target(metric, spec.op, _target_value(text, raw, spec))


def parse_targets(texts: Sequence[str]) -> list[Target]:
    """Parse every ``--target``; at least one, each metric at most once."""
    if not texts:
        raise _bad_target("", "give at least one target")
    targets = [parse_target(t) for t in texts]
    seen: set[str] = set()
    for text, target in zip(texts, targets, strict=True):
        if target.metric in seen:
            raise _bad_target(text, f"{target.metric} is given twice; give each metric once")
        seen.add(target.metric)
    return targets


# ------------------------------------------------------------------------------ confidence


@dataclass(frozen=True)
class Check:
    """One target in one slot: mean over ``n`` replications and its one-sided bound."""

    target: Target
    mean: float
    bound: float
    n: int

    @property
    def passed(self) -> bool:
        """The bound meets the target."""
        return self.target.holds(self.bound)

    @property
    def slack(self) -> bool:
        """The bound meets the target strictly."""
        return self.target.slack(self.bound)

    @property
    def judged(self) -> bool:
        """At least two replications measured the metric, so there is a bound to judge."""
        return self.n >= 2


def confidence_bound(values: Sequence[float], op: Op, confidence: float,
                     ) -> tuple[float, float, int]:
    """``(mean, bound, n)`` over the finite values: the one-sided Student-t bound at
    ``confidence`` (upper for ``<=``, lower for ``>=``); with one value there is no bound
    (NaN: one replication says nothing about its spread), with none both are NaN."""
    from scipy import special  # loaded when a target is judged, not by ``staff --help``

    xs = [v for v in values if not math.isnan(v)]
    n = len(xs)
    if n == 0:
        return math.nan, math.nan, 0
    mean = math.fsum(xs) / n
    if n == 1:
        return mean, math.nan, 1
    std = math.sqrt(math.fsum((x - mean) ** 2 for x in xs) / (n - 1))
    half = float(special.stdtrit(n - 1, confidence)) * std / math.sqrt(n)
    return mean, (mean + half if op == "<=" else mean - half), n


def check_target(values: Sequence[float], target: Target, confidence: float) -> Check:
    """Judge ``target`` on the per-replication ``values`` of one slot."""
    mean, bound, n = confidence_bound(values, target.op, confidence)
    return Check(target, mean, bound, n)
