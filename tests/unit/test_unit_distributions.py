"""Samplers, lognormal parameters and exact piecewise-constant Poisson arrivals."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.config.distributions import (
    Deterministic,
    Exponential,
    Infinite,
    Lognormal,
    LognormalMedian,
)
from sim.model.distributions import (
    BLOCK,
    Sampler,
    Uniforms,
    lognormal_params,
    mean_of,
    piecewise_poisson_times,
    sample_block,
)


def rng(seed: int = 12345) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(seed))


# --------------------------------------------------------------------------- lognormal


@pytest.mark.parametrize(("mean", "cv"), [(240.0, 0.8), (1.0, 0.1), (360.0, 1.0), (5.0, 3.0)])
def test_lognormal_params_closed_form(mean: float, cv: float) -> None:
    mu, sigma = lognormal_params(mean, cv)
    assert math.exp(mu + sigma**2 / 2) == pytest.approx(mean, rel=1e-12)
    assert math.sqrt(math.expm1(sigma**2)) == pytest.approx(cv, rel=1e-12)


def test_lognormal_sampler_mean_and_cv() -> None:
    n = 200_000
    draw = Sampler(Lognormal(dist="lognormal", mean_s=240.0, cv=0.8), rng(1))
    xs = np.array([draw() for _ in range(n)])
    assert xs.min() > 0
    # SE of the mean is 0.8·240/sqrt(n) ≈ 0.43 s: 1% is > 5 SE
    assert xs.mean() == pytest.approx(240.0, rel=0.01)
    assert xs.std(ddof=1) / xs.mean() == pytest.approx(0.8, rel=0.03)


def test_lognormal_median_sampler() -> None:
    n = 200_000
    xs = sample_block(LognormalMedian(dist="lognormal_median", median_s=297.0, sigma=1.43),
                      rng(2), n)
    assert np.median(xs) == pytest.approx(297.0, rel=0.02)
    assert np.log(xs).std(ddof=1) == pytest.approx(1.43, rel=0.01)


def test_exponential_deterministic_infinite() -> None:
    xs = sample_block(Exponential(dist="exponential", mean_s=60.0), rng(3), 200_000)
    assert xs.mean() == pytest.approx(60.0, rel=0.01)
    assert xs.std(ddof=1) == pytest.approx(60.0, rel=0.02)
    det = Sampler(Deterministic(dist="deterministic", value_s=7.5), rng())
    assert [det() for _ in range(3)] == [7.5, 7.5, 7.5]
    inf = Sampler(Infinite(dist="infinite"), rng())
    assert inf() == math.inf


def test_mean_of() -> None:
    assert mean_of(Exponential(dist="exponential", mean_s=3.0)) == 3.0
    assert mean_of(Lognormal(dist="lognormal", mean_s=4.0, cv=2.0)) == 4.0
    assert mean_of(LognormalMedian(dist="lognormal_median", median_s=2.0, sigma=1.0)) == \
        pytest.approx(2.0 * math.exp(0.5))
    assert mean_of(Deterministic(dist="deterministic", value_s=9.0)) == 9.0
    assert mean_of(Infinite(dist="infinite")) == math.inf


def test_sampler_hands_out_blocks_in_order() -> None:
    spec = Exponential(dist="exponential", mean_s=10.0)
    draw = Sampler(spec, rng(4))
    got = [draw() for _ in range(2 * BLOCK + 5)]
    ref = rng(4)
    want = np.concatenate([sample_block(spec, ref, BLOCK) for _ in range(3)])[: 2 * BLOCK + 5]
    assert got == want.tolist()


def test_uniforms_in_unit_interval() -> None:
    u = Uniforms(rng(5))
    xs = np.array([u() for _ in range(BLOCK + 100)])
    assert xs.min() >= 0.0 and xs.max() < 1.0
    assert xs.mean() == pytest.approx(0.5, abs=0.02)


# --------------------------------------------------------------------------- arrivals


def test_zero_rate_slots_produce_nothing() -> None:
    times = list(piecewise_poisson_times(rng(6), 0.0, 100.0, [0.0, 0.0, 0.0], 300.0))
    assert times == []
    times = list(piecewise_poisson_times(rng(7), 1000.0, 100.0, [0.0, 0.5, 0.0, 0.5], 1400.0))
    assert times, "rate 0.5/s over 200 s must give arrivals"
    assert all(1100.0 <= t < 1200.0 or 1300.0 <= t < 1400.0 for t in times)


def test_times_sorted_and_inside_window_with_partial_last_slot() -> None:
    times = list(piecewise_poisson_times(rng(8), 50.0, 100.0, [0.3, 0.1, 0.2], 290.0))
    assert times == sorted(times)
    assert len(set(times)) == len(times)
    assert all(50.0 <= t < 290.0 for t in times)


def test_count_per_slot_is_poisson_with_slot_mean() -> None:
    """Mean (and variance) of the count per slot over many independent runs, including a
    partial last slot (cut at end), within 4 standard errors of rate × slot length."""
    rates = [0.05, 0.0, 0.2, 0.1]      # per second
    start, slot, end = 0.0, 60.0, 220.0  # last slot is 40 s long
    lengths = [60.0, 60.0, 60.0, 40.0]
    expected = [r * n for r, n in zip(rates, lengths, strict=True)]  # 3, 0, 12, 4
    runs = 4000
    gen = rng(9)
    counts = np.zeros((runs, len(rates)))
    for i in range(runs):
        for t in piecewise_poisson_times(gen, start, slot, rates, end):
            counts[i, min(int((t - start) // slot), len(rates) - 1)] += 1
    for k, mu in enumerate(expected):
        if mu == 0:
            assert counts[:, k].sum() == 0
            continue
        se = math.sqrt(mu / runs)
        assert abs(counts[:, k].mean() - mu) < 4 * se, (k, counts[:, k].mean(), mu)
        # Poisson: variance equals the mean (SE of the sample variance ≈ sqrt(2μ² + μ)/√n)
        se_var = math.sqrt((2 * mu * mu + mu) / runs)
        assert abs(counts[:, k].var(ddof=1) - mu) < 4 * se_var, k


def test_gaps_within_a_slot_are_exponential() -> None:
    times = np.array(list(piecewise_poisson_times(rng(10), 0.0, 1e6, [0.5], 1e6)))
    gaps = np.diff(times)
    assert gaps.mean() == pytest.approx(2.0, rel=0.01)
    assert gaps.std(ddof=1) == pytest.approx(2.0, rel=0.02)
