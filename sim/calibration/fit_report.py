"""``report.md`` of ``countersim fit``: what was read, every estimate with its interval and
basis, the figures, and how to check the scenario against the log."""

from __future__ import annotations

import math

from sim.calibration import markdown as md
from sim.calibration.fit import Fit
from sim.calibration.patience import CHOICE_TEXT as PATIENCE_CHOICE
from sim.calibration.service import CHOICE_TEXT as SERVICE_CHOICE
from sim.calibration.staffing import METHOD_TEXT


def _reading(fit: Fit) -> list[str]:
    read = fit.read
    log = read.frame
    counts = log["outcome"].value_counts()
    lines = ["## What was read", "",
             f"`{fit.source}`, read as the `{read.fmt}` format: {len(log):,} contacts that "
             f"asked for staff on {log['day'].nunique()} days "
             f"({log['day'].min()} to {log['day'].max()}); outcomes: "
             + ", ".join(f"{k} {int(v):,}" for k, v in counts.items()) + "."]
    if read.dropped:
        lines += ["", "Not demand for staff, left out: "
                  + "; ".join(f"{k}: {v:,}" for k, v in read.dropped.items()) + "."]
    if read.skipped:
        lines += ["", "Rows skipped as unreadable or inconsistent (never guessed at), by "
                  "reason, with their first line numbers:", ""]
        for reason, numbers in read.skipped.items():
            shown = ", ".join(str(n) for n in numbers[:8])
            lines.append(f"- {reason}: {len(numbers):,} (lines {shown}"
                         + (", …)" if len(numbers) > 8 else ")"))
    return [*lines, ""]


def _day_types(fit: Fit) -> list[str]:
    table = fit.day_types.copy()
    for column in ("first_arrival_s", "last_arrival_s"):
        table[column.removesuffix("_s")] = [md.clock(s) for s in table[column]]
    return ["## Day types", "", "Days group into types by weekday when their opening hours "
            "and volumes differ (or as the log labels them); each type gets its own "
            "scenario.", "",
            *md.table(table, ["day", "weekday", "type", "contacts", "first_arrival",
                              "last_arrival", "span_h"]), ""]


def _arrivals(fit: Fit) -> list[str]:
    lines = ["## Arrivals", ""]
    for channel, arrivals in fit.arrivals.items():
        for day_type, check in arrivals.dispersion.items():
            verdict = ("Poisson is adequate" if check.poisson_adequate else
                       "Poisson is **not** adequate: days vary more than Poisson allows, so "
                       f"the scenario draws a day-level rate factor with CV "
                       f"{check.cv:.3g} (95% CI [{check.cv_low:.3g}, {check.cv_high:.3g}])")
            lines.append(f"- {channel}, {day_type} ({check.n_days} days): over-dispersion "
                         f"test χ² = {check.statistic:.1f} on {check.df} df, p = "
                         f"{check.p_value:.3g}: {verdict}.")
        lines += ["", f"![{channel} arrivals](figures/arrivals_{channel}_{fit.main_type}.png)",
                  ""]
        main = arrivals.table[arrivals.table["day_type"] == fit.main_type].copy()
        main["slot"] = [md.clock(s) for s in main["start_s"]]
        lines += [f"{channel} arrivals per hour by slot, {fit.main_type} days (all types: "
                  "`arrivals.csv`):", "",
                  *md.table(main, ["slot", "n_days", "mean_count", "rate_per_hour", "ci_low",
                                   "ci_high", "day_ci_low", "day_ci_high", "dispersion_index"]), ""]
    return lines


def _service(fit: Fit) -> list[str]:
    lines = ["## Service times", "", SERVICE_CHOICE, ""]
    for channel, service in fit.service.items():
        lines += [f"**{channel}**: n = {service.n:,}, mean {service.mean_s:.1f} s, median "
                  f"{service.median_s:.1f} s, CV {service.cv:.2f}; services under "
                  f"{service.spike_threshold_s:g} s: {md.percent(service.spike_share)}. "
                  f"Chosen: **{service.chosen}** ({service.reason}).", "",
                  *md.table(service.candidates, ["family", "parameters", "aic", "delta_aic",
                                                 "qq_dev_5_95", "qq_dev_99"]), ""]
    lines += ["![service Q–Q](figures/service_qq.png)", ""]
    if fit.service_by:
        lines += ["By channel and type (`service_by_type.csv`):", "",
                  "| group | n | mean (s) | CV | chosen |", "|---|---|---|---|---|"]
        for key, s in fit.service_by.items():
            group = " / ".join(str(k) for k in key)
            lines.append(f"| {group} | {s.n:,} | {s.mean_s:.1f} | {s.cv:.2f} | {s.chosen} |")
        lines.append("")
    return lines


def _patience(fit: Fit) -> list[str]:
    lines = ["## Patience", "", "A served contact's wait is a lower bound on its patience "
             "(right-censored), so patience comes from survival estimators, not from the "
             "waits of those who left. " + PATIENCE_CHOICE, ""]
    if not fit.patience:
        return [*lines, "Not estimable from this log (see the warnings): the scenario keeps "
                "the default patience.", ""]
    for channel, p in fit.patience.items():
        lines += [f"**{channel}**: {p.n:,} waits, {p.n_abandoned:,} abandoned "
                  f"({md.percent(p.abandonment_share)}), {p.n_censored:,} censored. "
                  f"Chosen: **{p.chosen}**. Hazard: {p.hazard_shape}", "",
                  *md.table(p.candidates, ["family", "spec", "log_likelihood", "aic",
                                           "delta_aic"]), ""]
        lines += [*_patience_means(p), ""]
    return [*lines, "![patience](figures/patience.png)", ""]


def _patience_means(p: object) -> list[str]:
    restricted = getattr(p, "restricted_mean_s", math.nan)
    naive = getattr(p, "naive_mean_s", math.nan)
    if math.isnan(restricted):
        return []
    return [f"Mean patience restricted to the observed waits (Kaplan–Meier area): "
            f"{restricted:.0f} s; the naive mean of the abandoned callers' waits, "
            f"{naive:.0f} s, would understate it (it ignores the censored callers)."]


def _staff(fit: Fit) -> list[str]:
    table = fit.staff.table[fit.staff.table["day_type"] == fit.main_type].copy()
    table["slot"] = [md.clock(s) for s in table["start_s"]]
    return ["## Staff on duty", "", METHOD_TEXT, "",
            f"![staff on duty](figures/staff_{fit.main_type}.png)", "",
            f"{fit.main_type} days (all types: `staff_by_slot.csv`, per day: "
            "`staff_by_day.csv`):", "",
            *md.table(table, ["slot", "distinct_agents", "max_busy", "busy_when_waiting",
                              "bww_ci_low", "bww_ci_high", "waiting_share", "recommended"]), ""]


def _retrials(fit: Fit) -> list[str]:
    r = fit.retrials
    a, s = r.abandoned, r.served
    lines = ["## Retrials", ""]
    if math.isnan(a.share):
        return [*lines, "Not estimable: " + "; ".join(r.warnings or ("no patron ids",)), ""]
    window = fit.options.retrial_window_s / 60
    return [*lines,
            f"Of {a.n_identified:,} abandoning contacts with a known customer, "
            f"{a.n_returned:,} came back within {window:g} min: {md.percent(a.share)} "
            f"(95% CI [{md.percent(a.share_low)}, {md.percent(a.share_high)}]), after a "
            f"median {a.median_delay_s / 60:.1f} min (mean {a.mean_delay_s / 60:.1f} min, "
            f"exponential mean 95% CI [{a.exp_mean_low_s / 60:.1f}, "
            f"{a.exp_mean_high_s / 60:.1f}] min). Served customers come back within the same "
            f"window at {md.percent(s.share)} (95% CI [{md.percent(s.share_low)}, "
            f"{md.percent(s.share_high)}]): abandoning raises it by "
            f"{100 * r.excess_share:.1f} points. {r.n_unfollowed:,} contacts whose window runs "
            "past the log's end or into a missing day are left out. The scenario does not "
            "model retrials yet; `retrials.csv` keeps the estimate for when it does.", ""]


def report_text(fit: Fit, command: str, files: list[str]) -> str:
    """The whole report."""
    lines = ["# Fit of a contact log", "", f"Command: `{command}`", "",
             f"Scenario for the commonest day type ({fit.main_type}): `scenario.toml`"
             + "".join(f"; {t}: `scenario_{t}.toml`" for t in fit.scenarios
                       if t != fit.main_type) + ". Check it against the log with "
             f"`countersim validate {fit.source} --scenario scenario.toml`.", ""]
    if fit.warnings:
        lines += ["**Warnings**", "", *[f"- {w}" for w in fit.warnings], ""]
    for part in (_reading, _day_types, _arrivals, _service, _patience, _staff, _retrials):
        lines += part(fit)
    lines += ["## Files", "", *[f"- `{f}`" for f in files], ""]
    return "\n".join(lines)
