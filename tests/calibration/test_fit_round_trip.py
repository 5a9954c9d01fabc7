"""Round trip: simulate a counter with known parameters (time-varying arrivals, lognormal
service, Weibull patience, a shift schedule), export its per-contact log in the documented
format, fit it, and find every true value inside its 95% interval."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

from sim.calibration.adapters import read_log, write_contacts_csv
from sim.calibration.fit import Fit, FitOptions, fit_log
from tests.helpers import run_cli

pytestmark = pytest.mark.slow

PROFILE = [0.6, 1.0, 1.4, 1.2, 1.0, 0.8]          # 09:00-15:00, one slot per hour
RATE = 50.0                                       # arrivals per hour, mean over the day
SERVICE_MEAN, SERVICE_CV = 240.0, 0.8             # lognormal (s)
SHAPE, SCALE = 0.8, 300.0                         # Weibull patience (s)
SHIFTS = [("09:00", "11:00", 3), ("11:00", "13:00", 5), ("13:00", "15:00", 4)]
DAYS = 40

SCENARIO = f"""
name = "known"
[hours]
open = "09:00"
close = "15:00"
slot_minutes = 60
serve_after_close = true
[demand.phone]
rate_per_hour = {RATE}
profile = {PROFILE}
service = {{ dist = "lognormal", mean_s = {SERVICE_MEAN}, cv = {SERVICE_CV} }}
patience = {{ dist = "weibull", shape = {SHAPE}, scale_s = {SCALE} }}
[staff]
schedule = [
{"".join(f'  {{ start = "{a}", end = "{b}", phone = {n} }},' for a, b, n in SHIFTS)}
]
[acknowledgment]
notice_delay_s = 0
[distractions]
enabled = false
[traits]
enabled = false
[loyalty]
enabled = false
[temperament]
mix = {{ calm = 1.0 }}
party_sizes = [1.0]
"""


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> Fit:
    folder = tmp_path_factory.mktemp("round_trip")
    (folder / "known.toml").write_text(SCENARIO, encoding="utf-8")
    done = run_cli(folder, "run", "known.toml", "--records", "--reps", str(DAYS), "--seed", "7",
                   "--out", "sim")
    assert done.returncode == 0, done.stderr
    simulated = read_log(folder / "sim" / "contacts.csv", "records")
    write_contacts_csv(simulated.frame, folder / "log.csv")   # the documented format
    return fit_log(read_log(folder / "log.csv", "contacts"), FitOptions(slot_minutes=60))


def test_arrival_rates_per_slot_inside_their_intervals(fitted: Fit) -> None:
    table = fitted.arrivals["phone"].table
    for k, multiplier in enumerate(PROFILE):
        row = table[table["start_s"] == (9 + k) * 3600.0].iloc[0]
        assert row["ci_low"] <= RATE * multiplier <= row["ci_high"], row.to_dict()


def test_poisson_arrivals_pass_the_over_dispersion_check(fitted: Fit) -> None:
    check = next(iter(fitted.arrivals["phone"].dispersion.values()))
    assert check.poisson_adequate, check


def test_lognormal_service_recovered(fitted: Fit) -> None:
    service = fitted.service["phone"]
    row = service.candidates.set_index("family").loc["lognormal"]
    assert row["mean_s_low"] <= SERVICE_MEAN <= row["mean_s_high"], row.to_dict()
    assert row["cv_low"] <= SERVICE_CV <= row["cv_high"], row.to_dict()
    assert service.chosen == "lognormal"


def test_weibull_patience_recovered_from_censored_waits(fitted: Fit) -> None:
    patience = fitted.patience["phone"]
    row = patience.candidates.set_index("family").loc["weibull"]
    assert row["shape_low"] <= SHAPE <= row["shape_high"], row.to_dict()
    assert row["scale_s_low"] <= SCALE <= row["scale_s_high"], row.to_dict()
    assert "decreasing" in patience.hazard_shape


def test_shift_schedule_recovered(fitted: Fit) -> None:
    table = fitted.staff.table
    for start, end, n in SHIFTS:
        a, b = (int(t[:2]) * 3600.0 for t in (start, end))
        rows = table[(table["start_s"] >= a) & (table["start_s"] < b)]
        assert (rows["recommended"] == n).all(), rows.to_dict("records")
        assert ((rows["bww_ci_low"] <= n + 0.5) & (n - 0.5 <= rows["bww_ci_high"])).all()
        assert (rows["distinct_agents"] >= n).all()


def test_fitted_scenario_is_accepted_by_run(fitted: Fit, tmp_path: Path) -> None:
    text = fitted.scenarios[fitted.main_type]
    data = tomllib.loads(text)
    assert data["hours"]["open"] == "09:00" and data["hours"]["close"] == "15:00"
    assert data["demand"]["phone"]["service"]["dist"] == "lognormal"
    assert np.isclose(np.mean(data["demand"]["phone"]["profile"]), 1.0, atol=1e-4)
    (tmp_path / "fitted.toml").write_text(text, encoding="utf-8")
    done = run_cli(tmp_path, "run", "fitted.toml", "--reps", "2", "--out", "again")
    assert done.returncode == 0, done.stderr
