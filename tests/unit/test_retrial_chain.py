"""The M/M/N+M-with-retrials chain (sim/theory/retrial.py): without retrials it is Erlang-A,
it conserves customers, its truncation error is measured, and its generator agrees with a
transition-by-transition dense solve written here independently."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from sim.theory.erlang import erlang_a_metrics
from sim.theory.retrial import retrial_metrics

# (lambda, mu, theta, N): the reference M/M/25+M, an overloaded queue, two servers.
QUEUES = [(0.1, 1 / 240, 1 / 120, 25), (720 / 3600, 1 / 60, 1 / 120, 10),
          (24 / 3600, 1 / 240, 1 / 300, 2)]


@pytest.mark.parametrize("queue", QUEUES)
def test_retrial_chain_without_retrials_is_erlang_a(
        queue: tuple[float, float, float, int]) -> None:
    lam, mu, theta, n = queue
    exact = erlang_a_metrics(lam, mu, theta, n, 20.0)
    chain = retrial_metrics(lam, mu, theta, n, 0.0, 1 / 600)
    assert chain.mean_orbit == 0.0 and chain.retrial_rate == 0.0
    assert chain.attempt_rate == pytest.approx(lam, rel=1e-12)
    for name in ("p_abandon", "p_wait", "mean_wait", "mean_queue_length", "utilization"):
        assert getattr(chain, name) == pytest.approx(getattr(exact, name), rel=1e-9), name
    assert chain.boundary_mass < 1e-10


@pytest.mark.parametrize(("queue", "p"), list(itertools.product(QUEUES, [0.3, 0.6])))
def test_retrial_chain_conserves_customers(queue: tuple[float, float, float, int],
                                           p: float) -> None:
    """Throughput + final abandonments = lambda; what enters the orbit leaves it; attempts
    are first attempts plus retries."""
    lam, mu, theta, n = queue
    r = retrial_metrics(lam, mu, theta, n, p, 1 / 600)
    assert r.throughput + r.final_abandon_rate == pytest.approx(lam, rel=1e-9)
    assert p * r.abandon_rate == pytest.approx(r.retrial_rate, rel=1e-9)
    assert r.attempt_rate == pytest.approx(lam + r.retrial_rate, rel=1e-9)
    assert r.p_abandon * r.attempt_rate == pytest.approx(r.abandon_rate, rel=1e-12)
    assert r.boundary_mass < 1e-10


def test_retrial_chain_more_retries_mean_more_attempts_and_abandonment() -> None:
    lam, mu, theta, n = QUEUES[0]
    runs = [retrial_metrics(lam, mu, theta, n, p, 1 / 600) for p in (0.0, 0.3, 0.6, 0.8)]
    for a, b in itertools.pairwise(runs):
        assert b.attempt_rate > a.attempt_rate and b.p_abandon > a.p_abandon
        assert b.mean_orbit > a.mean_orbit and b.final_abandon_rate < a.final_abandon_rate


def test_retrial_chain_truncation_error_is_measured() -> None:
    """The automatic truncation and one twice as large agree; a truncation far too small
    says so through its boundary mass."""
    lam, mu, theta, n = QUEUES[2]
    auto = retrial_metrics(lam, mu, theta, n, 0.5, 1 / 300)
    big = retrial_metrics(lam, mu, theta, n, 0.5, 1 / 300, 2 * auto.max_in_system,
                          2 * auto.max_in_orbit)
    assert auto.boundary_mass < 1e-10 and big.boundary_mass < auto.boundary_mass + 1e-12
    assert big.p_abandon == pytest.approx(auto.p_abandon, rel=1e-8)
    assert big.mean_orbit == pytest.approx(auto.mean_orbit, rel=1e-8)
    small = retrial_metrics(lam, mu, theta, n, 0.5, 1 / 300, n + 1, 1)
    assert small.boundary_mass > 0.1


def _dense_stationary(lam: float, mu: float, theta: float, n: int, p: float, nu: float,
                      n_max: int, m_max: int) -> np.ndarray:
    """The truncated chain written transition by transition, solved densely."""
    states = list(itertools.product(range(n_max + 1), range(m_max + 1)))
    where = {s: i for i, s in enumerate(states)}
    q = np.zeros((len(states), len(states)))
    for (k, m), i in where.items():
        waiting = max(k - n, 0)
        out = {(k + 1, m): lam if k < n_max else 0.0,
               (k - 1, m): mu * min(k, n) + theta * waiting * (1.0 if m == m_max else 1 - p),
               (k - 1, m + 1): theta * waiting * p if m < m_max else 0.0,
               (k + 1, m - 1): nu * m if k < n_max else 0.0}
        for target, rate in out.items():
            if rate > 0.0:
                q[i, where[target]] += rate
                q[i, i] -= rate
    a = q.T.copy()
    a[-1, :] = 1.0
    b = np.zeros(len(states))
    b[-1] = 1.0
    return np.linalg.solve(a, b).reshape(n_max + 1, m_max + 1)


def test_retrial_chain_agrees_with_an_independent_dense_solve() -> None:
    lam, mu, theta, n, p, nu, n_max, m_max = 0.05, 1 / 60, 1 / 100, 2, 0.6, 1 / 200, 24, 20
    pi = _dense_stationary(lam, mu, theta, n, p, nu, n_max, m_max)
    k = np.arange(n_max + 1)[:, None]
    queue = float((pi * np.maximum(k - n, 0)).sum())
    orbit = float((pi * np.arange(m_max + 1)[None, :]).sum())
    r = retrial_metrics(lam, mu, theta, n, p, nu, n_max, m_max)
    assert r.mean_queue_length == pytest.approx(queue, rel=1e-9)
    assert r.mean_orbit == pytest.approx(orbit, rel=1e-9)
    assert r.utilization == pytest.approx(float((pi * np.minimum(k, n)).sum()) / n, rel=1e-9)


@pytest.mark.parametrize("p", [1.0, -0.1])
def test_retrial_chain_refuses_a_probability_outside_0_1(p: float) -> None:
    with pytest.raises(ValueError, match="retrial_probability"):
        retrial_metrics(0.1, 1 / 240, 1 / 120, 25, p, 1 / 600)
