"""The real bank month (skipped when the file is absent): what the fit finds, and that the
fitted weekday, simulated, reproduces the real weekdays' abandonment and P(wait > 0) within
their day-to-day spread with the same hourly shape, and says which assumptions break."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sim.calibration.adapters import read_log
from sim.calibration.fit import Fit, FitOptions, fit_log
from tests.helpers import CliRunner


@pytest.fixture(scope="module")
def fit(bank_path: Path) -> Fit:
    return fit_log(read_log(bank_path), FitOptions(), str(bank_path))


def test_day_types_are_the_centres_week(fit: Fit) -> None:
    types = sorted(fit.types.values())
    assert {t: types.count(t) for t in set(types)} == {"weekday": 19, "friday": 5,
                                                       "saturday": 5}


def test_weekday_arrivals_are_over_dispersed(fit: Fit) -> None:
    check = fit.arrivals["phone"].dispersion["weekday"]
    assert not check.poisson_adequate
    assert 0.1 < check.cv < 0.35
    assert "day_rate_cv" in fit.scenarios["weekday"]


def test_service_spike_sends_the_fit_to_empirical(fit: Fit) -> None:
    service = fit.service["phone"]
    assert service.spike_share > 0.02
    assert service.chosen == "empirical"
    assert 170 < service.mean_s < 200


def test_patience_hazard_decreases(fit: Fit) -> None:
    patience = fit.patience["phone"]
    assert patience.n_abandoned == 3101
    assert "decreasing" in patience.hazard_shape
    assert patience.restricted_mean_s > 5 * patience.naive_mean_s


def test_busy_when_waiting_is_below_distinct_agents(fit: Fit) -> None:
    table = fit.staff.table
    open_weekday = table[(table["day_type"] == "weekday") & table["open"]]
    assert (open_weekday["busy_when_waiting"] < open_weekday["distinct_agents"]).all()


def test_abandoning_raises_calling_again(fit: Fit) -> None:
    assert fit.retrials.abandoned.share_low > fit.retrials.served.share_high


@pytest.mark.slow
def test_fitted_weekday_reproduces_the_real_weekdays(cli: CliRunner, bank_path: Path,
                                                      tmp_path: Path) -> None:
    done = cli("fit", str(bank_path), "--out", str(tmp_path / "fit"))
    assert done.returncode == 0, done.stderr
    done = cli("validate", str(bank_path), "--scenario", str(tmp_path / "fit" / "scenario.toml"),
               "--reps", "60", "--out", str(tmp_path / "check"))
    assert done.returncode == 0, done.stderr
    with (tmp_path / "check" / "validation_day.csv").open(encoding="utf-8") as fh:
        day = {row["measure"]: row for row in csv.DictReader(fh)}
    for measure in ("abandonment", "p_wait"):
        assert day[measure]["inside"] == "True", day[measure]
    assert float(day["abandonment"]["profile_correlation"]) > 0.5
    report = (tmp_path / "check" / "validation.md").read_text(encoding="utf-8")
    assert "Priority classes" in report and "busier days" in report
