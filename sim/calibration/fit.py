"""``countersim fit`` without the files: every estimate of a contact log, and the scenario
of each day type built from them."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.calibration.adapters import LogRead
from sim.calibration.arrivals import ArrivalFit, fit_arrivals
from sim.calibration.daytypes import assign_day_types, commonest_type, day_type_table
from sim.calibration.patience import PatienceFit, PatienceNotEstimable, fit_patience_log
from sim.calibration.retrials import RetrialFit, fit_retrials
from sim.calibration.scenario_file import ChannelPlan, ScenarioPlan, scenario_text
from sim.calibration.service import ServiceFit, fit_service, fit_service_by
from sim.calibration.staffing import StaffFit, infer_staff
from sim.errors import UserInputError

QUEUE_CHANNELS = ("walk_in", "phone")  # channels with a queue (e-mail has none to abandon)


@dataclass(frozen=True)
class FitOptions:
    """How to fit: slot length (minutes) and the window a retrial must fall in (s)."""

    slot_minutes: int = 60
    retrial_window_s: float = 3600.0


@dataclass(frozen=True)
class Fit:
    """Every estimate of one log, and the scenario text per day type."""

    read: LogRead
    options: FitOptions
    source: str                               # the log's path, as given
    types: dict[str, str]                     # day -> day type
    day_types: pd.DataFrame
    arrivals: dict[str, ArrivalFit]           # channel -> fit
    service: dict[str, ServiceFit]            # channel -> pooled fit
    service_by: dict[tuple[object, ...], ServiceFit]  # (channel, type) -> fit
    patience: dict[str, PatienceFit]          # channel -> fit (absent: not estimable)
    staff: StaffFit
    retrials: RetrialFit
    scenarios: dict[str, str] = field(default_factory=dict)  # day type -> TOML text
    warnings: list[str] = field(default_factory=list)

    @property
    def main_type(self) -> str:
        """The day type with the most days (its scenario is ``scenario.toml``)."""
        return commonest_type(self.types)


def _channels(log: pd.DataFrame) -> list[str]:
    return [c for c in ("walk_in", "phone", "email") if (log["channel"] == c).any()]


def _service(log: pd.DataFrame, channel: str) -> ServiceFit:
    rows = log[(log["channel"] == channel) & (log["outcome"] == "served")]
    durations = (rows["service_end_s"] - rows["service_start_s"]).to_numpy(dtype=float)
    return fit_service(durations, channel)


def _patience(log: pd.DataFrame, channels: list[str], warnings: list[str],
              ) -> dict[str, PatienceFit]:
    fits = {}
    for channel in channels:
        if channel not in QUEUE_CHANNELS:
            continue
        try:
            fits[channel] = fit_patience_log(log, channel)[()]
        except PatienceNotEstimable as exc:
            warnings.append(f"{channel} patience: {exc}")
    return fits


def fit_log(read: LogRead, options: FitOptions, source: str = "LOG") -> Fit:
    """Every estimate of the log in ``read`` and the scenario of each day type."""
    log = read.frame
    if log.empty:
        raise UserInputError("fit: the log has no contacts that asked for staff; give a log "
                             "with served or abandoned contacts")
    channels = _channels(log)
    types = assign_day_types(log)
    warnings = [w for w in (read.skipped_warning(), *read.warnings) if w]
    copies = int(log.drop(columns="line").duplicated().sum())
    if copies:
        warnings.append(f"{copies} contacts are exact copies of an earlier one (same day, "
                        "arrival, channel, outcome, times, staff and patron): they are kept; "
                        "if the log holds rows twice, remove the copies")
    served = log[log["outcome"] == "served"]
    if served.empty:
        raise UserInputError("fit: no contact in the log was served: service times and "
                             "staffing cannot be estimated; give a log with served contacts")
    fit = Fit(
        read=read, options=options, source=source, types=types, day_types=day_type_table(log),
        arrivals={c: fit_arrivals(log, options.slot_minutes, c, types) for c in channels},
        service={c: _service(log, c) for c in channels if (served["channel"] == c).any()},
        service_by=fit_service_by(log, ["channel", "type"]),
        patience=_patience(log, channels, warnings),
        staff=infer_staff(log, options.slot_minutes, types),
        retrials=fit_retrials(log, options.retrial_window_s),
        warnings=warnings)
    for part in (*fit.arrivals.values(), *fit.service.values(), *fit.patience.values(),
                 fit.staff, fit.retrials):
        warnings.extend(getattr(part, "warnings", []))
    if len(types) == 1:
        warnings.append("the log covers a single day: no day-to-day spread; intervals are "
                        "from that day alone and the over-dispersion check cannot run")
    warnings[:] = dict.fromkeys(warnings)  # one line each (a day type's, said per channel)
    for day_type in sorted(set(types.values())):
        fit.scenarios[day_type] = scenario_text(plan_for(fit, day_type))
    return fit


def _interval(low: float, high: float, unit: str = "") -> str:
    return f"95% CI [{low:.4g}, {high:.4g}]{unit}"


def _open_range(fit: Fit, day_type: str) -> tuple[int, int]:
    """First and one past the last slot with arrivals on any queue channel of the type."""
    ranges = [a.open_slots[day_type] for a in fit.arrivals.values()
              if day_type in a.open_slots]
    if not ranges:
        raise UserInputError(f"fit: no arrivals on {day_type} days")
    return min(r[0] for r in ranges), max(r[1] for r in ranges) + 1


def _channel_plan(fit: Fit, channel: str, day_type: str, first: int, last: int,
                  ) -> ChannelPlan:
    arrivals = fit.arrivals[channel]
    start, rates = arrivals.scenario_rates(day_type)
    per_slot = np.zeros(last - first)
    for i, rate in enumerate(rates):
        if first <= start + i < last:
            per_slot[start + i - first] = rate
    mean = float(per_slot.mean())
    check = arrivals.dispersion[day_type]
    notes = {"rate_per_hour": f"mean over the open slots of {check.n_days} {day_type} day(s); "
                              "per-slot rates and 95% CIs: arrivals.csv",
             "profile": "fitted rate per slot / the mean"}
    day_cv = None
    if not check.poisson_adequate:
        day_cv = float(check.cv)
        notes["day_rate_cv"] = (f"Poisson rejected (p = {check.p_value:.2g}): day-level "
                                f"factor, {_interval(check.cv_low, check.cv_high)}")
    service = fit.service.get(channel)
    patience = fit.patience.get(channel)
    if service is not None:
        notes["service"] = f"{service.chosen}, n = {service.n}; fits: service_fits.csv"
    if patience is not None:
        notes["patience"] = (f"{patience.chosen} from {patience.n_abandoned} abandonments and "
                             f"{patience.n_censored} censored waits; patience_fits.csv")
    elif channel in QUEUE_CHANNELS:
        notes["patience"] = "not estimable from this log: the default is kept"
    return ChannelPlan(channel, mean if mean > 0 else 0.0,
                       [float(r / mean) if mean > 0 else 0.0 for r in per_slot], day_cv,
                       service.spec if service is not None else None,
                       patience.spec if patience is not None else None, notes)


def plan_for(fit: Fit, day_type: str) -> ScenarioPlan:
    """The scenario of one day type."""
    first, last = _open_range(fit, day_type)
    slot_s = fit.options.slot_minutes * 60
    channels = [_channel_plan(fit, c, day_type, first, last) for c in fit.arrivals
                if c != "email" or c in fit.service]
    schedule = [(max(a, first * slot_s), min(b, last * slot_s), n)
                for a, b, n in fit.staff.schedule(day_type)
                if b > first * slot_s and a < last * slot_s]
    n_days = sum(1 for t in fit.types.values() if t == day_type)
    return ScenarioPlan(
        name=f"fitted_{day_type}", slot_minutes=fit.options.slot_minutes,
        description=f"Fitted by countersim fit from {n_days} {day_type} day(s) of a contact "
                    "log; every value's interval: report.md",
        open_s=first * slot_s, close_s=min(last * slot_s, 86400), channels=channels,
        schedule=schedule,
        header=[f"Fitted from {fit.read.fmt} log {fit.source}: {day_type} days "
                f"({n_days}). Read report.md before using it."],
        schedule_note="staff on duty per slot inferred from services under way while "
                      "callers waited (report.md, 'Staff on duty')")
