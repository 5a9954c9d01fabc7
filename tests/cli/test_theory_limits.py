"""``countersim theory`` at the edges: every option of every subcommand given zero,
negative, NaN, infinite, tiny, huge or non-numeric values either answers (exit 0, finite
numbers) or refuses in one line naming the option, the value, what is allowed and an
example (exit 2) — never a traceback, never a hang."""

from __future__ import annotations

import math
import signal
from collections.abc import Iterator
from types import FrameType

import pytest

from sim import theory
from sim.cli.main import main

BASE = {
    "erlang-a": {"--arrivals-per-hour": "360", "--mean-service-s": "240",
                 "--mean-patience-s": "120", "--servers": "25", "--target-s": "20"},
    "erlang-c": {"--arrivals-per-hour": "100", "--mean-service-s": "120", "--servers": "4",
                 "--target-s": "20"},
    "staff": {"--arrivals-per-hour": "360", "--mean-service-s": "240",
              "--mean-patience-s": "120", "--max-abandon": "2%", "--min-service-level": "0.8",
              "--target-s": "20", "--max-servers": "10000"},
}
ODD = ["0", "-1", "-0", "nan", "inf", "-inf", "5e-324", "1e-300", "1e9", "1e12", "1e308",
       "1e400", "abc", "", "5%", "0%", "100%", "0x10"]
CASES = [(cmd, opt, v) for cmd, base in BASE.items() for opt in base for v in ODD]


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fail a case that runs for more than 20 s (a hang, e.g. a loop over 1e9 servers)."""

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise TimeoutError("theory command did not finish within 20 s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def theory_cli(cmd: str, changes: dict[str, str]) -> list[str]:
    """The command line of a subcommand with its reference values and ``changes``."""
    return ["theory", cmd, *(f"{k}={v}" for k, v in {**BASE[cmd], **changes}.items())]


@pytest.mark.parametrize(("cmd", "option", "value"), CASES,
                         ids=[f"{c}{o}={v}" for c, o, v in CASES])
def test_answer_or_one_line_refusal(cmd: str, option: str, value: str, deadline: None,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    code = main(theory_cli(cmd, {option: value}))
    out, err = capsys.readouterr()
    assert code in (0, 2), (code, err)
    if code == 2:
        assert out == "" and err.count("\n") == 1 and err.startswith("error: --"), err
        assert " = " in err and ("e.g." in err or "; " in err), err
        return
    numbers = [line.split()[-1] for line in out.splitlines()[1:] if line.strip()]
    assert not any(n.lower() == "nan" for n in numbers), out


def test_zero_abandonment_is_refused_not_a_traceback(capsys: pytest.CaptureFixture[str],
                                                     ) -> None:
    for zero in ("0", "0%", "-0"):
        assert main(theory_cli("staff", {"--max-abandon": zero})) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: --max-abandon = '{zero}': must be above 0 when "
                              "customers have finite patience")
        assert "e.g. --max-abandon 5%" in err
    # with infinite patience nobody abandons: 0 is met by the Erlang-C answer
    assert main(theory_cli("staff", {"--max-abandon": "0", "--mean-patience-s": "inf"})) == 0
    assert "servers" in capsys.readouterr().out


def test_full_service_level_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(theory_cli("staff", {"--min-service-level": "100%"})) == 2
    assert "must be below 1 (some customers always wait" in capsys.readouterr().err


def test_huge_arrival_rate_names_the_real_limit(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(theory_cli("erlang-a", {"--arrivals-per-hour": "1e9"})) == 2
    err = capsys.readouterr().err
    assert "abandonment rate too small" not in err
    assert err.startswith("error: --arrivals-per-hour = 1000000000 with --mean-patience-s "
                          "= 120: about 3.33e+07 customers would be waiting")
    assert f"{theory.MAX_STATES:,}" in err and "lower --arrivals-per-hour" in err


def test_servers_are_capped(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(theory_cli("erlang-c", {"--servers": "1e9"})) == 2
    assert "must be a whole number ≥ 1 (at most 100,000)" in capsys.readouterr().err
    assert main(theory_cli("erlang-c", {"--servers": "3"})) == 2
    assert "give --servers 4 or more" in capsys.readouterr().err


def test_oracle_edges_stay_finite() -> None:
    # a patience of 1e308 s (theta ~ 0): the service level was NaN
    m = theory.erlang_a_metrics(0.1, 1 / 240, 1e-308, 25, 20.0)
    assert all(math.isfinite(v) for v in (m.p_wait, m.p_abandon, m.service_level))
    assert m.service_level == pytest.approx(theory.erlang_c_metrics(0.1, 1 / 240, 25,
                                                                   20.0).service_level)
    # a service time of 1e308 s: B = 1 exactly, P(W > 0) was a math domain error
    assert theory.erlang_a_metrics(0.1, 1e-308, 1 / 120, 25, 20.0).p_wait == 1.0
    # the staffing search still finds the smallest count (bracketing, then bisection)
    n = theory.min_servers_erlang_a(0.1, 1 / 240, 1 / 120, 20.0, max_p_abandon=0.001)
    worse = theory.erlang_a_metrics(0.1, 1 / 240, 1 / 120, n - 1, 20.0)
    assert worse.p_abandon > 0.001 >= theory.erlang_a_metrics(0.1, 1 / 240, 1 / 120, n,
                                                              20.0).p_abandon
