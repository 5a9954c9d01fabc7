"""``report.md``: the question, the headline numbers in words, each figure with what it says,
and the command that reproduces the run. A pure function of the results folder's tables."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.compare import amount, info
from sim.store import read_csv, write_atomic


@dataclass(frozen=True)
class Folder:
    """The tables of one results folder, with lookups by level labels."""

    manifest: dict[str, Any]
    summary: list[dict[str, str]]
    comparisons: list[dict[str, str]]
    days: list[dict[str, str]]

    @classmethod
    def read(cls, out: Path) -> Folder:
        """Read the tables a report needs."""
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        days = read_csv(out / "days.csv") if (out / "days.csv").is_file() else []
        return cls(manifest, read_csv(out / "summary.csv"), read_csv(out / "comparisons.csv"),
                   days)

    @property
    def factors(self) -> list[str]:
        """Factor names in order."""
        return [f["name"] for f in self.manifest["factors"]]

    def levels(self, factor: str) -> list[str]:
        """Level labels of ``factor``."""
        return next(f["levels"] for f in self.manifest["factors"] if f["name"] == factor)

    def colour(self) -> str | None:
        """The policy factor (or the first factor that is not the x axis)."""
        named: str | None = self.manifest.get("colour_factor")
        others = [f for f in self.factors if f != self.manifest.get("x_factor")]
        return named or (others[0] if others else None)

    def row(self, labels: dict[str, str], metric: str) -> dict[str, str] | None:
        """The summary row of one metric in the scenario with these labels."""
        return next((r for r in self.summary if r["metric"] == metric
                     and all(r.get(k) == v for k, v in labels.items())), None)

    def mean(self, labels: dict[str, str], metric: str) -> float:
        """Mean of a metric in the scenario with these labels (NaN if absent)."""
        r = self.row(labels, metric)
        return float(r["mean"]) if r else math.nan

    def at_focus(self, **changes: str) -> dict[str, str]:
        """The focus scenario's labels with some levels changed."""
        return {**self.manifest["focus"], **changes}


def fmt(metric: str, value: float) -> str:
    """A metric value in words-ready form (rates as %, seconds, money, counts)."""
    if math.isnan(value):
        return "n/a"
    unit = info(metric).unit
    if unit == "points":
        return f"{value * 100:.1f}%"
    return amount(value, unit)


def with_ci(f: Folder, labels: dict[str, str], metric: str) -> str:
    """``12.3% [11.8, 12.9]`` for a table cell."""
    r = f.row(labels, metric)
    if r is None:
        return "n/a"
    unit = info(metric).unit
    scale = 100.0 if unit == "points" else 1.0
    low, high = float(r["ci_low"]) * scale, float(r["ci_high"]) * scale
    digits = 0 if unit == "money" or abs(high) >= 1000 else 1
    ci = f" [{low:,.{digits}f}, {high:,.{digits}f}]" if not math.isnan(low) else ""
    return fmt(metric, float(r["mean"])) + ci


def headline(f: Folder) -> list[str]:
    """The findings in words at the focus scenario: every policy against the baseline on the
    first compared metric, then on each other metric the policy that moves it most."""
    colour = f.colour()
    if colour is None:
        return [_single_scenario_line(f)]
    focus = {k: v for k, v in f.manifest["focus"].items() if k != colour}
    rows = [r for r in f.comparisons if r["factor"] == colour
            and all(r.get(k) == v for k, v in focus.items())]
    first, *others = f.manifest["compared"]
    lines = [r["verdict"] for r in rows if r["metric"] == first]
    for metric in others:
        moved = [r for r in rows if r["metric"] == metric and not math.isnan(float(r["diff"]))]
        if moved:
            lines.append(max(moved, key=lambda r: abs(float(r["diff"])))["verdict"])
    return lines


def _single_scenario_line(f: Folder) -> str:
    metrics = f.manifest["compared"]
    return "; ".join(f"{info(m).words}: {with_ci(f, {}, m)}" for m in metrics)


def _best_level(f: Folder, colour: str, metric: str) -> str | None:
    values = {lv: f.mean(f.at_focus(**{colour: lv}), metric) for lv in f.levels(colour)}
    values = {k: v for k, v in values.items() if not math.isnan(v)}
    if not values:
        return None
    pick = min if info(metric).lower_is_better else max
    return pick(values, key=lambda k: values[k])


Caption = Callable[[Folder], str]


def _per_level(f: Folder, metric: str) -> dict[str, float]:
    colour = f.colour()
    if colour is None:
        return {"this scenario": f.mean(f.at_focus(), metric)}
    return {lv: f.mean(f.at_focus(**{colour: lv}), metric) for lv in f.levels(colour)}


def _listing(f: Folder, metric: str) -> str:
    return ", ".join(f"{lv} {fmt(metric, v)}" for lv, v in _per_level(f, metric).items())


def _where(f: Folder) -> str:
    colour = f.colour()
    fixed = {k: v for k, v in f.manifest["focus"].items() if k != colour}
    return " at " + ", ".join(f"{k}={v}" for k, v in fixed.items()) if fixed else ""


def caption_walkouts(f: Folder) -> str:
    """Walkout rate against the x factor."""
    x, colour = f.manifest["x_factor"], f.colour()
    if x is None or colour is None:
        return ""
    xs = f.levels(x)
    base = f.manifest["baseline"][colour]
    lo, hi = (f.mean(f.at_focus(**{x: v, colour: base}), "walkout_rate") for v in (xs[0], xs[-1]))
    best = _best_level(f, colour, "walkout_rate") or base
    best_lo = f.mean(f.at_focus(**{x: xs[0], colour: best}), "walkout_rate")
    return (f"Under {base}, going from {x}={xs[0]} to {x}={xs[-1]} takes the walkout rate from "
            f"{fmt('walkout_rate', lo)} to {fmt('walkout_rate', hi)}; {best} at {x}={xs[0]} "
            f"already has {fmt('walkout_rate', best_lo)}. Bands are 95% confidence intervals.")


def caption_churn(f: Folder) -> str:
    """Churned patrons and lost lifetime value."""
    return (f"Patrons lost for good{_where(f)}: {_listing(f, 'churned_patrons')}. "
            f"Lost customer lifetime value: {_listing(f, 'lost_clv')}.")


def caption_ack(f: Folder) -> str:
    """Time-to-acknowledge distribution."""
    target = f.manifest.get("ack_target_s", 30)
    return (f"Share of walk-ins acknowledged within {target:g} s{_where(f)}: "
            f"{_listing(f, 'walk_in_p_ack_within_target')}. Curves further left and higher "
            "are better; the dashed line marks the target.")


def caption_fairness(f: Folder) -> str:
    """Appearance gaps."""
    return (f"Plain-looking minus polished customers{_where(f)}: time to acknowledge "
            f"{_listing(f, 'time_to_ack_gap_appearance')}; churn per contact "
            f"{_listing(f, 'churn_gap_appearance')}. Zero means equal treatment.")


def caption_patrons(f: Folder) -> str:
    """Active patrons over the days."""
    return (f"Active patrons at the end of the run{_where(f)}: "
            f"{_listing(f, 'active_patrons_end')} (each started from the same pool).")


def caption_staff_time(f: Folder) -> str:
    """Staff time by activity."""
    return (f"Share of staff time spent distracted{_where(f)}: "
            f"{_listing(f, 'distracted_fraction')}.")


def caption_timeline(f: Folder) -> str:
    """One day in detail."""
    t = f.manifest.get("timeline", {})
    return (f"One day ({t.get('label', 'first scenario')}, replication 0): each row is a "
            "staff member's activities; below, each customer from arrival to leaving, with "
            "acknowledgment and walkouts marked.")


CAPTIONS: dict[str, Caption] = {
    "walkout_vs_staff": caption_walkouts, "churn_and_clv": caption_churn,
    "ack_ecdf": caption_ack, "fairness_gaps": caption_fairness,
    "active_patrons": caption_patrons, "staff_time": caption_staff_time,
    "timeline": caption_timeline,
}


def _table(f: Folder) -> list[str]:
    colour = f.colour()
    metrics = f.manifest["compared"]
    head = [colour or "scenario", *(info(m).words for m in metrics)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    levels = f.levels(colour) if colour else [""]
    for lv in levels:
        labels = f.at_focus(**{colour: lv}) if colour else {}
        lines.append("| " + " | ".join([lv or "all", *(with_ci(f, labels, m) for m in metrics)])
                     + " |")
    return lines


def _everywhere(f: Folder) -> list[str]:
    """The first compared metric's verdicts in every other scenario (when there are some)."""
    colour = f.colour()
    metric = f.manifest["compared"][0]
    focus = {k: v for k, v in f.manifest["focus"].items() if k != colour}
    rows = [r for r in f.comparisons if r["factor"] == colour and r["metric"] == metric
            and not all(r.get(k) == v for k, v in focus.items())]
    if not rows:
        return []
    return [f"## {info(metric).words.capitalize()} in every other scenario", "",
            *(f"- {r['verdict']}" for r in rows), ""]


def _precision(f: Folder) -> str:
    r = f.row(f.at_focus(), "walkout_rate")
    if r is None or not r["reps_needed"]:
        return ""
    half = (float(r["ci_high"]) - float(r["ci_low"])) / 2 * 100
    return (f"With {r['n']} replications the walkout rate is known to ±{half:.1f} points; "
            f"±5% of its value needs about {r['reps_needed']} replications "
            "(`reps_needed` in summary.csv; `reps_to_resolve` in comparisons.csv says how many "
            "each comparison needs to be told apart).")


def render(f: Folder, figures: list[Path]) -> str:
    """The report's Markdown text."""
    m = f.manifest
    lines = [f"# {m['experiment']}", "", f"**Question.** {m['question']}", "",
             f"**Reproduce:** `{m['command']}`", "",
             f"{m['scenarios']} scenarios × {m['replications']} replications, seed {m['seed']}, "
             f"common random numbers; {m['wall_time_s']:.0f} s wall time. Config "
             f"`{m['config']}`.", "", "## Headline", ""]
    lines += [f"- {line}" for line in headline(f)] + ["", _precision(f), ""]
    lines += [f"## Main numbers{_where(f)}", "", *_table(f), ""]
    lines += _everywhere(f)
    if figures:
        lines += ["## Figures", ""]
    for path in figures:
        caption_of = CAPTIONS.get(path.stem)
        caption = caption_of(f) if caption_of else ""
        lines += [f"### {path.stem.replace('_', ' ')}", "", f"![{path.stem}](figures/{path.name})",
                  "", caption, ""]
    lines += ["## Files", "", "`replications.csv` (one row per scenario and replication), "
              "`summary.csv` (mean, 95% CI), `comparisons.csv` (paired differences against the "
              "baseline, with verdicts), `scenarios.csv`, `ack_times.csv`, `timeline_*.csv`, "
              "`manifest.json`. Redraw the figures with `countersim plot <this folder>`.", ""]
    return "\n".join(lines)


def write_report(out: Path, figures: list[Path]) -> list[str]:
    """Write ``report.md`` into ``out``; return the headline lines."""
    folder = Folder.read(out)
    write_atomic(out / "report.md", render(folder, figures))
    return headline(folder)
