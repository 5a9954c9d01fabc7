"""Samplers for configured distributions and exact piecewise-constant Poisson arrivals.

Draws come from a named stream in blocks (one numpy call per block), handed out one at
a time. The sequence of values depends only on the stream, so it is reproducible and
shared across scenarios (common random numbers).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from itertools import accumulate, chain, islice, repeat, takewhile
from operator import neg, truediv
from statistics import NormalDist

import numpy as np

from sim.config.distributions import (
    Deterministic,
    Empirical,
    Exponential,
    Gamma,
    Infinite,
    Lognormal,
    LognormalMedian,
    Weibull,
)

BLOCK = 4096        # largest block of draws taken from a stream at once
FIRST_BLOCK = 32    # blocks start small and double: a short day draws little it won't use

DistSpec = (Exponential | Lognormal | LognormalMedian | Weibull | Gamma | Empirical
            | Deterministic | Infinite)


def lognormal_params(mean: float, cv: float) -> tuple[float, float]:
    """(mu, sigma) of ln X for a lognormal X with the given mean and coefficient of variation."""
    sigma2 = math.log1p(cv * cv)
    return math.log(mean) - sigma2 / 2.0, math.sqrt(sigma2)


Draw = Callable[[], float]  # the next value of a stream, one per call


def _blocks(draw_block: Callable[[int], np.ndarray]) -> Iterator[list[float]]:
    """Blocks of draws whose sizes double from :data:`FIRST_BLOCK` up to :data:`BLOCK`."""
    n = FIRST_BLOCK
    while True:
        yield draw_block(n).tolist()
        n = min(BLOCK, 2 * n)


def _one_at_a_time(draw_block: Callable[[int], np.ndarray]) -> Draw:
    # A C-level iterator over the blocks: a call costs no Python frame. A block is drawn
    # from the stream when the previous one runs out, exactly as if drawn on demand.
    return chain.from_iterable(_blocks(draw_block)).__next__


def Sampler(spec: DistSpec, rng: np.random.Generator) -> Draw:  # named like the class it replaced
    """Values of one distribution from one stream (seconds), one per call, drawn in blocks
    that double up to :data:`BLOCK` (the values do not depend on the block sizes)."""
    return _one_at_a_time(partial(sample_block, spec, rng))


def sample_block(spec: DistSpec, rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` independent draws of ``spec`` (seconds)."""
    if isinstance(spec, Exponential):
        return rng.standard_exponential(n) * spec.mean_s
    if isinstance(spec, Lognormal):
        mu, sigma = lognormal_params(spec.mean_s, spec.cv)
        return np.exp(mu + sigma * rng.standard_normal(n))
    if isinstance(spec, LognormalMedian):
        return np.exp(math.log(spec.median_s) + spec.sigma * rng.standard_normal(n))
    if isinstance(spec, Weibull):
        return spec.scale_s * rng.weibull(spec.shape, n)
    if isinstance(spec, Gamma):
        shape = 1.0 / (spec.cv * spec.cv)
        return rng.gamma(shape, spec.mean_s / shape, n)
    if isinstance(spec, Empirical):
        q = spec.quantiles_s
        return np.interp(rng.random(n), np.linspace(0.0, 1.0, len(q)), q)
    if isinstance(spec, Deterministic):
        return np.full(n, spec.value_s)
    if isinstance(spec, Infinite):
        return np.full(n, math.inf)
    raise TypeError(f"unknown distribution {spec!r}")


def mean_of(spec: DistSpec) -> float:
    """The distribution's mean (seconds)."""
    if isinstance(spec, Exponential | Lognormal):
        return spec.mean_s
    if isinstance(spec, LognormalMedian):
        return spec.median_s * math.exp(spec.sigma**2 / 2.0)
    if isinstance(spec, Weibull):
        return spec.scale_s * math.gamma(1.0 + 1.0 / spec.shape)
    if isinstance(spec, Gamma):
        return spec.mean_s
    if isinstance(spec, Empirical):
        return empirical_mean(spec.quantiles_s)
    if isinstance(spec, Deterministic):
        return spec.value_s
    return math.inf


def quantile_of(spec: DistSpec, p: float) -> float:
    """The distribution's ``p``-quantile (seconds), 0 < ``p`` < 1."""
    if isinstance(spec, Exponential):
        return -spec.mean_s * math.log1p(-p)
    if isinstance(spec, Lognormal | LognormalMedian):
        mu, sigma = (lognormal_params(spec.mean_s, spec.cv) if isinstance(spec, Lognormal)
                     else (math.log(spec.median_s), spec.sigma))
        return math.exp(mu + sigma * NormalDist().inv_cdf(p))
    if isinstance(spec, Weibull):
        return float(spec.scale_s * (-math.log1p(-p)) ** (1.0 / spec.shape))
    if isinstance(spec, Gamma):
        import scipy.special  # only the preflight asks for a gamma quantile

        shape = 1.0 / (spec.cv * spec.cv)
        return float(scipy.special.gammaincinv(shape, p)) * spec.mean_s / shape
    if isinstance(spec, Empirical):
        q = spec.quantiles_s
        return float(np.interp(p, np.linspace(0.0, 1.0, len(q)), q))
    if isinstance(spec, Deterministic):
        return spec.value_s
    return math.inf


def empirical_mean(quantiles_s: Sequence[float]) -> float:
    """Mean (seconds) of the distribution whose inverse distribution function is linear
    between ``quantiles_s`` at the probabilities 0, 1/n, ..., 1: the trapezoid rule, exact."""
    ends = (quantiles_s[0] / 2.0, quantiles_s[-1] / 2.0)
    return math.fsum((*ends, *quantiles_s[1:-1])) / (len(quantiles_s) - 1)


def Uniforms(rng: np.random.Generator) -> Draw:  # named like the class it replaced
    """Uniform(0, 1) values from one stream, one per call, in blocks that double up to
    :data:`BLOCK`."""
    return _one_at_a_time(rng.random)


def uniform_values(rng: np.random.Generator) -> Iterator[float]:
    """The values :func:`Uniforms` hands out, as a (C-level) iterator to map over."""
    return chain.from_iterable(_blocks(rng.random))


def piecewise_poisson_times(
    rng: np.random.Generator, start_s: float, slot_s: float, rates_per_s: Sequence[float],
    end_s: float,
) -> Iterator[float]:
    """Arrival times (seconds) of a Poisson process whose rate is constant within each slot.

    Slot ``k`` covers ``[start_s + k·slot_s, start_s + (k+1)·slot_s)`` (the last is cut at
    ``end_s``) with rate ``rates_per_s[k]``. Exact: exponential gaps at the slot's rate; a
    gap that crosses the slot end is discarded and sampling restarts at the boundary with
    the next slot's rate (memorylessness).
    """
    return chain.from_iterable(_slot_times(uniform_values(rng), start_s, slot_s, rates_per_s,
                                           end_s))


def _slot_times(uniforms: Iterator[float], start_s: float, slot_s: float,
                rates_per_s: Sequence[float], end_s: float) -> Iterator[Iterator[float]]:
    """Each slot's arrival times, drawn only once the previous slot's have all been taken:
    ``t += -log1p(-u) / rate`` while ``t < slot_end``, all C-level (``takewhile`` draws the
    gap that crosses the slot end and discards it)."""
    for k, rate in enumerate(rates_per_s):
        slot_start = start_s + k * slot_s
        slot_end = min(end_s, slot_start + slot_s)
        if rate <= 0.0:
            continue
        gaps = map(truediv, map(neg, map(math.log1p, map(neg, uniforms))), repeat(rate))
        times = islice(accumulate(gaps, initial=slot_start), 1, None)  # without slot_start
        yield takewhile(float(slot_end).__gt__, times)
