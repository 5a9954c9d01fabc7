"""Validation of the exact queueing oracle ``sim.theory`` against independent computations.

Every check compares two different methods: closed forms vs product form vs a dense linear
solve of the generator; the service-level absorption (expm / incomplete beta) vs the
hypoexponential formula and the Erlang-C limit.  Rates are per minute unless stated.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from fractions import Fraction

import numpy as np
import pytest

from sim import theory
from sim.cli import theory as theory_cmd

# ---------------------------------------------------------------------------- helpers


def direct_erlang_b(n: int, a: float) -> float:
    """a^N/N! / sum_{k<=N} a^k/k!, straight from the definition."""
    terms = [a**k / math.factorial(k) for k in range(n + 1)]
    return terms[-1] / sum(terms)


def direct_erlang_c(n: int, a: float) -> float:
    top = a**n / math.factorial(n) * n / (n - a)
    return top / (sum(a**k / math.factorial(k) for k in range(n)) + top)


def chain_rates(
    lam: float,
    mu: float,
    theta: float,
    n_srv: int,
    size: int,
    join: Callable[[int], float] = lambda q: 1.0,
) -> tuple[list[float], list[float], np.ndarray]:
    """Births n->n+1 and deaths n+1->n for states 0..size, plus p(q_n) per state."""
    p = np.array([join(max(0, n - n_srv)) for n in range(size + 1)])
    up = [lam * p[n] for n in range(size)]
    down = [min(n + 1, n_srv) * mu + max(0, n + 1 - n_srv) * theta for n in range(size)]
    return up, down, p


def dense_metrics(
    lam: float,
    mu: float,
    theta: float,
    n_srv: int,
    size: int,
    join: Callable[[int], float] = lambda q: 1.0,
) -> dict[str, float]:
    """Metrics from the dense generator solve (independent of the product form)."""
    up, down, p = chain_rates(lam, mu, theta, n_srv, size, join)
    pi = theory.stationary_distribution_dense(up, down)
    n = np.arange(pi.size)
    q = np.maximum(n - n_srv, 0)
    eq = float(pi @ q)
    p_join = float(pi @ p)
    lam_j = lam * p_join
    return {
        "p_wait": float(pi[n_srv:] @ p[n_srv:]) / p_join,
        "p_abandon": theta * eq / lam_j,
        "mean_wait": eq / lam_j,
        "mean_queue_length": eq,
        "p_balk": 1.0 - p_join,
        "utilization": float(pi @ np.minimum(n, n_srv)) / n_srv,
    }


def gmr_literal(lam: float, mu: float, theta: float, n_srv: int) -> tuple[float, float]:
    """P(W>0), P(Ab) from the GMR formulas exactly as printed (naive A, moderate cases)."""
    x, y, rho = n_srv * mu / theta, lam / theta, lam / (n_srv * mu)
    a_sum, term, j = 1.0, 1.0, 0
    while True:
        j += 1
        term *= y / (x + j)
        a_sum += term
        if term < 1e-18 * a_sum and j > y - x:
            break
    b = direct_erlang_b(n_srv, lam / mu)
    pi_n = b / (1 + (a_sum - 1) * b)
    p_wait = a_sum * pi_n
    return p_wait, p_wait * (1 / (rho * a_sum) + 1 - 1 / rho)


def hypoexp_served_within(mu_n: float, theta: float, j: int, t: float) -> float:
    """P(served within t | j ahead) = E[e^{-theta T} 1{T<=t}], T ~ Hypoexp(mu_n + k theta).

    Uses the partial-fraction density of a hypoexponential with distinct rates; the
    coefficients are computed exactly with ``Fraction`` (rates must be simple rationals).
    """
    rates = [Fraction(mu_n) + k * Fraction(theta) for k in range(j + 1)]
    th = float(theta)
    total = 0.0
    for i, ri in enumerate(rates):
        coef = Fraction(1)
        for m, rl in enumerate(rates):
            if m != i:
                coef *= rl / (rl - ri)
        r = float(ri)
        total += float(coef) * r / (r + th) * (-math.expm1(-(r + th) * t))
    return total


# -------------------------------------------------------------------------- Erlang B / C


@pytest.mark.parametrize(("n", "a"), [(1, 0.5), (10, 5.0), (25, 24.0), (40, 30.5), (3, 7.0)])
def test_erlang_b_matches_definition(n: int, a: float) -> None:
    assert theory.erlang_b(n, a) == pytest.approx(direct_erlang_b(n, a), rel=1e-12)


def test_erlang_b_known_values() -> None:
    assert theory.erlang_b(10, 5) == pytest.approx(0.018384570, rel=1e-7)
    assert theory.erlang_b(0, 3.0) == 1.0
    assert theory.erlang_b(5, 0.0) == 0.0
    assert theory.erlang_b(2000, 1900.0) < 1  # recursion does not overflow


@pytest.mark.parametrize(("n", "a"), [(2, 1.0), (10, 5.0), (25, 24.0), (60, 57.0)])
def test_erlang_c_matches_definition(n: int, a: float) -> None:
    assert theory.erlang_c(n, a) == pytest.approx(direct_erlang_c(n, a), rel=1e-10)


def test_erlang_c_known_value_and_instability() -> None:
    assert theory.erlang_c(2, 1.0) == pytest.approx(1 / 3, rel=1e-14)  # M/M/2, rho = 1/2
    with pytest.raises(ValueError):
        theory.erlang_c(5, 5.0)
    with pytest.raises(ValueError):
        theory.erlang_c_metrics(6.0, 0.25, 24, 0.5)


def test_erlang_c_metrics_closed_form() -> None:
    lam, mu, n, t = 5.0, 1.0, 7, 0.4
    c = direct_erlang_c(n, lam / mu)
    m = theory.erlang_c_metrics(lam, mu, n, t)
    assert m.p_wait == pytest.approx(c, rel=1e-12)
    assert m.mean_wait == pytest.approx(c / (n * mu - lam), rel=1e-12)
    assert m.service_level == pytest.approx(1 - c * math.exp(-(n * mu - lam) * t), rel=1e-12)
    assert m.utilization == pytest.approx(lam / (n * mu))
    assert m.p_abandon == 0.0
    assert m.p_balk == 0.0


# ---------------------------------------------------------------------- reference case


def test_reference_case_design_values() -> None:
    # lambda = 6/min, mean service 4 min, mean patience 2 min, N = 25.
    m = theory.erlang_a_metrics(6.0, 0.25, 0.5, 25, target_wait=1 / 3)
    assert m.p_wait == pytest.approx(0.37858, rel=2e-5)
    assert m.p_abandon == pytest.approx(0.07525, rel=1e-4)
    assert m.mean_wait == pytest.approx(0.15051, rel=5e-5)
    bd = theory.birth_death_metrics(6.0, 0.25, 0.5, 25, target_wait=1 / 3)
    for field in ("p_wait", "p_abandon", "mean_wait", "mean_queue_length", "service_level"):
        assert getattr(bd, field) == pytest.approx(getattr(m, field), rel=1e-10)


# ------------------------------------------------- Erlang-A: closed form vs chain vs dense

# (lambda, mu, theta, N, dense-chain size)
CASES = [
    (6.0, 0.25, 0.5, 25, 120),  # reference case
    (57.0, 1.0, 0.01, 60, 60 + 700),  # N = 60, rho = 0.95, very patient
    (57.0, 1.0, 0.5, 60, 60 + 200),
    (13.0, 1.0, 0.5, 10, 10 + 120),  # rho = 1.3, overloaded
    (2.6, 0.2, 0.25, 10, 10 + 120),  # rho = 1.3, theta > mu
    (0.8, 1.0, 0.3, 1, 1 + 80),  # single server
    (3.0, 1.0, 2.0, 2, 2 + 60),  # impatient, overloaded
]
FIELDS = ("p_wait", "p_abandon", "mean_wait", "mean_queue_length")


@pytest.mark.parametrize(("lam", "mu", "theta", "n", "size"), CASES)
def test_erlang_a_three_ways(lam: float, mu: float, theta: float, n: int, size: int) -> None:
    t = 0.5
    closed = theory.erlang_a_metrics(lam, mu, theta, n, t)
    chain = theory.birth_death_metrics(lam, mu, theta, n, t)
    dense = dense_metrics(lam, mu, theta, n, size)
    for field in FIELDS:
        assert getattr(chain, field) == pytest.approx(getattr(closed, field), rel=1e-9), field
        assert dense[field] == pytest.approx(getattr(closed, field), rel=1e-7), field
    assert chain.utilization == pytest.approx(closed.utilization, rel=1e-9)
    assert dense["utilization"] == pytest.approx(closed.utilization, rel=1e-7)
    assert chain.service_level == pytest.approx(closed.service_level, rel=1e-9, abs=1e-14)
    assert chain.p_balk == 0.0


@pytest.mark.parametrize(("lam", "mu", "theta", "n", "size"), CASES)
def test_erlang_a_matches_literal_gmr_formula(
    lam: float, mu: float, theta: float, n: int, size: int
) -> None:
    p_wait, p_ab = gmr_literal(lam, mu, theta, n)
    m = theory.erlang_a_metrics(lam, mu, theta, n, 0.5)
    assert m.p_wait == pytest.approx(p_wait, rel=1e-9)
    assert m.p_abandon == pytest.approx(p_ab, rel=1e-6)  # literal form loses digits


@pytest.mark.parametrize(("lam", "mu", "theta", "n", "size"), CASES)
def test_erlang_a_identities(lam: float, mu: float, theta: float, n: int, size: int) -> None:
    m = theory.erlang_a_metrics(lam, mu, theta, n, 0.5)
    assert m.p_abandon == pytest.approx(theta * m.mean_wait, rel=1e-12)  # P(Ab) = theta E[W]
    assert m.mean_queue_length == pytest.approx(lam * m.mean_wait, rel=1e-12)  # Little
    # Throughput balance: served rate = busy servers * mu.
    assert lam * (1 - m.p_abandon) == pytest.approx(m.utilization * n * mu, rel=1e-9)
    assert 0.0 <= m.service_level <= 1.0 - m.p_abandon + 1e-12


def test_erlang_a_theta_zero_delegates_to_erlang_c() -> None:
    assert theory.erlang_a_metrics(5.0, 1.0, 0.0, 7, 0.4) == theory.erlang_c_metrics(
        5.0, 1.0, 7, 0.4
    )
    with pytest.raises(ValueError):
        theory.erlang_a_metrics(8.0, 1.0, 0.0, 7, 0.4)


def test_erlang_a_tends_to_erlang_c() -> None:
    lam, mu, n, t = 57.0, 1.0, 60, 0.1
    c = theory.erlang_c_metrics(lam, mu, n, t)
    a = theory.erlang_a_metrics(lam, mu, 1e-9, n, t)
    assert a.p_wait == pytest.approx(c.p_wait, rel=1e-6)
    assert a.mean_wait == pytest.approx(c.mean_wait, rel=1e-6)
    assert a.service_level == pytest.approx(c.service_level, rel=1e-6)


def test_birth_death_theta_zero_stable() -> None:
    lam, mu, n, t = 57.0, 1.0, 60, 0.1
    c = theory.erlang_c_metrics(lam, mu, n, t)
    bd = theory.birth_death_metrics(lam, mu, 0.0, n, t)
    for field in (*FIELDS, "service_level", "utilization"):
        assert getattr(bd, field) == pytest.approx(getattr(c, field), rel=1e-9), field


def test_large_systems_are_finite_and_consistent() -> None:
    """Up to N = 1000 servers: every metric of the Erlang-A closed form is finite, a
    probability where it is one, and agrees with the birth-death solve; both obey Little's
    law (L_q = lam W_q), the abandonment balance (theta L_q = lam P(Ab)) and the flow
    balance of the servers (N mu rho = lam (1 - P(Ab))). How fast is for benchmarks/."""
    for lam, mu, theta, n in [(750.0, 0.25, 0.5, 1000), (190.0, 1.0, 0.05, 200)]:
        a = theory.erlang_a_metrics(lam, mu, theta, n, 1 / 3)
        b = theory.birth_death_metrics(lam, mu, theta, n, 1 / 3)
        for field in (*FIELDS, "service_level"):
            assert math.isfinite(getattr(a, field)), field
            assert getattr(b, field) == pytest.approx(getattr(a, field), rel=1e-8, abs=1e-300)
        for m in (a, b):
            for field in ("p_wait", "p_abandon", "service_level", "utilization"):
                assert 0.0 <= getattr(m, field) <= 1.0, field
            assert m.mean_queue_length == pytest.approx(lam * m.mean_wait, rel=1e-9)
            assert theta * m.mean_queue_length == pytest.approx(lam * m.p_abandon, rel=1e-9)
            assert n * mu * m.utilization == pytest.approx(lam * (1 - m.p_abandon), rel=1e-9)
    # rho = 3 at N = 1000: two thirds of the offered work must abandon.
    assert theory.erlang_a_metrics(750.0, 0.25, 0.5, 1000, 1 / 3).p_abandon == pytest.approx(
        2 / 3, rel=1e-9
    )


# ------------------------------------------------------------------------ service level


@pytest.mark.parametrize(("mu", "theta", "t"), [(1.0, 0.5, 1.5), (0.5, 0.25, 4.0), (2, 1, 0.3)])
def test_absorption_vs_hypoexponential_single_server(mu: float, theta: float, t: float) -> None:
    js = 9
    expect = [hypoexp_served_within(mu, theta, j, t) for j in range(js)]
    for method in ("expm", "closed"):
        got = theory.service_level_given_state(mu, theta, 1, t, js - 1, method=method)
        np.testing.assert_allclose(got, expect, rtol=1e-9, atol=1e-13)


def test_absorption_single_stage_closed_form() -> None:
    mu, theta, t = 1.3, 0.7, 0.9
    got = theory.service_level_given_state(mu, theta, 1, t, 0, method="expm")[0]
    assert got == pytest.approx(mu / (mu + theta) * (1 - math.exp(-(mu + theta) * t)), rel=1e-12)


@pytest.mark.parametrize(
    ("mu", "theta", "n", "t"),
    [(0.25, 0.5, 25, 1 / 3), (1.0, 0.01, 60, 0.1), (1.0, 0.5, 10, 0.2), (1.0, 1e-9, 60, 0.1)],
)
def test_absorption_expm_equals_closed_form(mu: float, theta: float, n: int, t: float) -> None:
    a = theory.service_level_given_state(mu, theta, n, t, 140, method="expm")
    b = theory.service_level_given_state(mu, theta, n, t, 140, method="closed")
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-14)
    assert np.all(np.diff(a) <= 1e-15)  # more people ahead never helps


def test_absorption_long_run_limit() -> None:
    # t -> infinity: P(eventually served | j ahead) = N mu / (N mu + (j+1) theta).
    mu, theta, n = 1.0, 0.4, 3
    got = theory.service_level_given_state(mu, theta, n, 500.0, 20)
    j = np.arange(21)
    np.testing.assert_allclose(got, n * mu / (n * mu + (j + 1) * theta), rtol=1e-10)


def test_service_level_tends_to_erlang_c_closed_form() -> None:
    lam, mu, n, t = 57.0, 1.0, 60, 0.1
    c = theory.erlang_c(n, lam / mu)
    expect = 1 - c * math.exp(-(n * mu - lam) * t)
    bd = theory.birth_death_metrics(lam, mu, 1e-9, n, t)
    assert bd.service_level == pytest.approx(expect, rel=1e-7)
    assert theory.erlang_a_metrics(lam, mu, 1e-9, n, t).service_level == pytest.approx(
        expect, rel=1e-7
    )


def test_service_level_single_server_fully_independent() -> None:
    lam, mu, theta, t = 0.5, 1.0, 1.0, 0.8
    up, down, _ = chain_rates(lam, mu, theta, 1, 14)
    pi = theory.stationary_distribution_dense(up, down)
    served = pi[0] + sum(pi[1 + j] * hypoexp_served_within(mu, theta, j, t) for j in range(14))
    m = theory.erlang_a_metrics(lam, mu, theta, 1, t)
    assert m.service_level == pytest.approx(served, rel=1e-9)
    assert theory.birth_death_metrics(lam, mu, theta, 1, t).service_level == pytest.approx(
        served, rel=1e-9
    )


def test_service_level_edge_targets() -> None:
    m0 = theory.erlang_a_metrics(6.0, 0.25, 0.5, 25, 0.0)
    assert m0.service_level == pytest.approx(1 - m0.p_wait, rel=1e-12)
    m_inf = theory.erlang_a_metrics(6.0, 0.25, 0.5, 25, 1e4)
    assert m_inf.service_level == pytest.approx(1 - m_inf.p_abandon, rel=1e-10)


# ----------------------------------------------------------------------------- balking


def balk(q: int) -> float:
    return 1.0 - min(0.9, 0.02 * max(0, q - 5))


@pytest.mark.parametrize(
    ("lam", "mu", "theta", "n", "size"),
    [
        (6.0, 0.25, 0.5, 25, 150),
        (13.0, 1.0, 0.2, 10, 10 + 200),
        (15.0, 1.0, 0.0, 10, 10 + 300),  # no abandonment, rho = 1.5: balking keeps it stable
        (57.0, 1.0, 0.01, 60, 60 + 400),
    ],
)
def test_balking_chain_vs_dense(lam: float, mu: float, theta: float, n: int, size: int) -> None:
    t = 0.3
    m = theory.birth_death_metrics(lam, mu, theta, n, t, join_probability=balk)
    dense = dense_metrics(lam, mu, theta, n, size, balk)
    for field in (*FIELDS, "p_balk", "utilization"):
        assert getattr(m, field) == pytest.approx(dense[field], rel=1e-7, abs=1e-13), field
    lam_j = lam * (1 - m.p_balk)
    assert m.mean_queue_length == pytest.approx(lam_j * m.mean_wait, rel=1e-12)
    assert m.p_abandon == pytest.approx(theta * m.mean_wait, rel=1e-12, abs=1e-300)
    # service level from the dense pi, weighted by joiners, expm absorption
    up, down, p = chain_rates(lam, mu, theta, n, size, balk)
    pi = theory.stationary_distribution_dense(up, down)
    w = pi * p
    f = theory.service_level_given_state(mu, theta, n, t, 120, method="expm")
    served = w[:n].sum() + w[n : n + 121] @ f
    assert m.service_level == pytest.approx(served / w.sum(), rel=1e-7)


def test_finite_waiting_room() -> None:
    lam, mu, n = 5.0, 1.0, 10
    loss = theory.birth_death_metrics(lam, mu, 0.0, n, 0.2, max_queue=0)
    assert loss.p_balk == pytest.approx(direct_erlang_b(n, lam / mu), rel=1e-12)
    assert loss.p_wait == 0.0
    assert loss.service_level == 1.0
    room = theory.birth_death_metrics(13.0, 1.0, 0.3, n, 0.2, balk, max_queue=8)
    dense = dense_metrics(13.0, 1.0, 0.3, n, n + 8, lambda q: balk(q) if q < 8 else 0.0)
    for field in (*FIELDS, "p_balk"):
        assert getattr(room, field) == pytest.approx(dense[field], rel=1e-9), field


def test_bad_inputs_raise() -> None:
    with pytest.raises(ValueError):
        theory.erlang_a_metrics(6.0, 0.25, 0.5, 0, 1.0)
    with pytest.raises(ValueError):
        theory.erlang_a_metrics(-1.0, 0.25, 0.5, 3, 1.0)
    with pytest.raises(ValueError):
        theory.birth_death_metrics(6.0, 0.25, 0.5, 3, 1.0, join_probability=lambda q: 1.5)
    with pytest.raises(ValueError, match="unstable"):
        theory.birth_death_metrics(10.0, 1.0, 0.0, 10, 1.0)  # rho = 1, nobody leaves


# ---------------------------------------------------------------------------- staffing


def test_min_servers_meets_targets_and_is_minimal() -> None:
    lam, mu, theta, t = 6.0, 0.25, 0.5, 1 / 3
    n = theory.min_servers_erlang_a(lam, mu, theta, t, max_p_abandon=0.05, min_service_level=0.8)
    ok = theory.erlang_a_metrics(lam, mu, theta, n, t)
    assert ok.p_abandon <= 0.05 and ok.service_level >= 0.8
    short = theory.erlang_a_metrics(lam, mu, theta, n - 1, t)
    assert short.p_abandon > 0.05 or short.service_level < 0.8


def test_min_servers_monotone() -> None:
    lam, mu, theta, t = 6.0, 0.25, 0.5, 1 / 3
    by_abandon = [
        theory.min_servers_erlang_a(lam, mu, theta, t, max_p_abandon=eps)
        for eps in (0.3, 0.2, 0.1, 0.05, 0.02, 0.01, 0.001)
    ]
    assert by_abandon == sorted(by_abandon)
    by_sl = [
        theory.min_servers_erlang_a(lam, mu, theta, t, min_service_level=s)
        for s in (0.5, 0.7, 0.8, 0.9, 0.95, 0.99)
    ]
    assert by_sl == sorted(by_sl)
    by_load = [
        theory.min_servers_erlang_a(rate, mu, theta, t, min_service_level=0.8)
        for rate in (1.0, 3.0, 6.0, 12.0, 24.0)
    ]
    assert by_load == sorted(by_load)
    assert by_load[0] >= 1
    both = theory.min_servers_erlang_a(lam, mu, theta, t, max_p_abandon=0.02, min_service_level=0.8)
    assert both == max(by_abandon[4], by_sl[2])
    with pytest.raises(ValueError):
        theory.min_servers_erlang_a(lam, mu, theta, t)


# --------------------------------------------------------------------------------- CLI


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="countersim")
    theory_cmd.register(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


REF = ["--arrivals-per-hour", "360", "--mean-service-s", "240"]


def test_cli_erlang_a_reference(capsys: pytest.CaptureFixture[str]) -> None:
    args = parse(["theory", "erlang-a", *REF, "--mean-patience-s", "120", "--servers", "25"])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "0.37858" in out and "0.07525" in out
    assert "9.030 s" in out  # 0.15051 min


def test_cli_erlang_c_and_staff(capsys: pytest.CaptureFixture[str]) -> None:
    args = parse(["theory", "erlang-c", *REF, "--servers", "27", "--target-s", "30"])
    assert args.func(args) == 0
    assert "P(wait > 0)" in capsys.readouterr().out
    args = parse(
        ["theory", "staff", *REF, "--mean-patience-s", "120", "--max-abandon", "5%",
         "--min-service-level", "0.8"]
    )  # fmt: skip
    assert args.func(args) == 0
    expect = theory.min_servers_erlang_a(
        0.1, 1 / 240, 1 / 120, 20, max_p_abandon=0.05, min_service_level=0.8
    )
    assert f"servers                   {expect}\n" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["erlang-a", *REF, "--mean-patience-s", "120", "--servers", "0"],
         "error: --servers = 0: must be a whole number ≥ 1"),
        (["erlang-a", *REF, "--mean-patience-s", "120", "--servers", "2.5"],
         "error: --servers = 2.5: must be a whole number ≥ 1"),
        (["erlang-a", "--arrivals-per-hour", "-6", "--mean-service-s", "240",
          "--mean-patience-s", "120", "--servers", "3"],
         "error: --arrivals-per-hour = -6: must be a number ≥ 0"),
        (["erlang-a", *REF, "--mean-patience-s", "-1", "--servers", "3"],
         "error: --mean-patience-s = -1: must be a number ≥ 1e-06 (or inf)"),
        (["erlang-c", *REF, "--servers", "24"], "error: --servers = 24: must exceed"),
        (["erlang-c", *REF], "error: --servers is required"),
        (["staff", *REF, "--mean-patience-s", "120"], "error: staff needs"),
        (["staff", *REF, "--mean-patience-s", "120", "--max-abandon", "2"],
         "error: --max-abandon = '2': must be a fraction"),
        ([], "error: theory needs a subcommand"),
    ],
)  # fmt: skip
def test_cli_bad_values(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = parse(["theory", *argv])
    assert args.func(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(message)
