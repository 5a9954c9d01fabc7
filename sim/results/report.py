"""``report.md``: the question, the headline numbers in words, each figure with what it says,
and the command that reproduces the run. A pure function of the results folder's tables."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.metrics.catalogue import is_known
from sim.metrics.catalogue import metric as catalogue_metric
from sim.results.comparisons import FDR, amount, info, interval
from sim.results.slot_captions import caption_slot_service_level, caption_slot_walkouts
from sim.results.store import read_csv, write_atomic

FEW_REPS = 10  # below this, the report warns that intervals and replication counts are rough


@dataclass(frozen=True)
class Folder:
    """The tables of one results folder, with lookups by level labels."""

    manifest: dict[str, Any]
    summary: list[dict[str, str]]
    comparisons: list[dict[str, str]]
    slots: list[dict[str, str]] = field(default_factory=list)  # slots.csv, if written

    @classmethod
    def read(cls, out: Path) -> Folder:
        """Read the tables a report needs."""
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        slots = read_csv(out / "slots.csv") if (out / "slots.csv").is_file() else []
        return cls(manifest, read_csv(out / "summary.csv"), read_csv(out / "comparisons.csv"),
                   slots)

    def levels(self, factor: str) -> list[str]:
        """Level labels of ``factor``."""
        return next(f["levels"] for f in self.manifest["factors"] if f["name"] == factor)

    def compared_factor(self) -> str | None:
        """The factor the report compares: the policy, else the x axis, else the first
        factor with more than one level (``None``: a single scenario)."""
        many = [f["name"] for f in self.manifest["factors"] if len(f["levels"]) > 1]
        named = self.manifest.get("colour_factor") or self.manifest.get("x_factor")
        return named if named in many else (many[0] if many else None)

    def held(self) -> dict[str, str]:
        """The levels of the other factors in the focus scenario."""
        factor = self.compared_factor()
        return {k: v for k, v in self.manifest["focus"].items() if k != factor}

    def where(self) -> str:
        """`` at staff=4`` (the levels held fixed), or nothing."""
        held = self.held()
        return " at " + ", ".join(f"{k}={v}" for k, v in held.items()) if held else ""

    def row(self, metric: str, **changes: str) -> dict[str, str] | None:
        """The summary row of one metric in the focus scenario with some levels changed."""
        labels = {**self.manifest["focus"], **changes}
        return next((r for r in self.summary if r["metric"] == metric
                     and all(r.get(k) == v for k, v in labels.items())), None)

    def mean(self, metric: str, **changes: str) -> float:
        """Mean of a metric in the focus scenario with some levels changed (NaN if absent)."""
        r = self.row(metric, **changes)
        return float(r["mean"]) if r else math.nan

    def per_level(self, metric: str) -> dict[str, float]:
        """{level: mean} over the compared factor's levels (or the single scenario)."""
        factor = self.compared_factor()
        if factor is None:
            return {"this scenario": self.mean(metric)}
        return {lv: self.mean(metric, **{factor: lv}) for lv in self.levels(factor)}

    def focus_comparisons(self) -> list[dict[str, str]]:
        """comparisons.csv rows of the compared factor with the other factors held."""
        factor, held = self.compared_factor(), self.held()
        return [r for r in self.comparisons if r["factor"] == factor
                and all(r.get(k) == v for k, v in held.items())]


def fmt(metric: str, value: float) -> str:
    """A metric value in words-ready form (rates as %, gaps as points, seconds, money)."""
    if math.isnan(value):
        return "n/a"
    unit = info(metric).unit
    if unit == "points" and metric.endswith("_gap_appearance"):
        return f"{value * 100:+.1f} points"
    if unit == "points":
        return f"{value * 100:.1f}%"
    return amount(value, unit)


def with_ci(f: Folder, metric: str, **changes: str) -> str:
    """``12.3% [11.8, 12.9]`` for a table cell, with ``(n=27)`` when the metric is defined
    in fewer replications than were run."""
    r = f.row(metric, **changes)
    if r is None:
        return "n/a"
    low, high = float(r["ci_low"]), float(r["ci_high"])
    ci = "" if math.isnan(low) else " " + interval(low, high, info(metric).unit)
    return fmt(metric, float(r["mean"])) + ci + (f" (n={r['n']})" if _missing(r) else "")


def _missing(row: dict[str, str]) -> int:
    """Replications where the metric is undefined (NaN) in a summary row (0 if not said)."""
    return int(row["n_reps"]) - int(row["n"]) if row.get("n_reps") else 0


_UNDEFINED_WHERE = {"walk_in": "no walk-in contact arrived", "phone": "no phone call arrived",
                    "plain": "no plain-looking patron's contact ended",
                    "polished": "no polished-looking patron's contact ended",
                    "top": "no top-tier patron's contact ended",
                    "regular": "no regular-tier patron's contact ended",
                    "plain_top": "no plain-looking top-tier patron's contact ended"}


def undefined_where(metric: str) -> str:
    """Why a metric can be undefined in a replication, from the catalogue's split: ``no
    phone call arrived`` for a phone-only metric, a patron group's for a group one."""
    m = catalogue_metric(metric) if is_known(metric) else None
    if m is not None and m.part in _UNDEFINED_WHERE:
        return _UNDEFINED_WHERE[m.part]
    if m is not None and m.split == "activity":
        return "no staff time was observed"
    return "nothing it averages over happened (an empty denominator)"


def missing_notes(f: Folder) -> list[str]:
    """For each compared metric shown in the main table, the levels where it rests on fewer
    replications than were run, and why."""
    factor = f.compared_factor()
    notes = []
    for metric in f.manifest["compared"]:
        short = []
        for level in f.levels(factor) if factor else [""]:
            r = f.row(metric, **({factor: level} if factor else {}))
            if r is not None and _missing(r):
                short.append(f"{level + ': ' if level else ''}{r['n']} of {r['n_reps']}")
        if short:
            notes.append(f"{info(metric).words.capitalize()}{f.where()} is undefined in some "
                         f"replications ({undefined_where(metric)}); its estimate rests on "
                         f"fewer: {', '.join(short)} (`n` and `n_reps` in summary.csv).")
    return notes


def headline(f: Folder) -> list[str]:
    """The findings in words at the focus scenario: every level against the baseline on the
    first compared metric, then on each other metric the level that moves it most."""
    rows = f.focus_comparisons()
    if not rows:
        return ["; ".join(f"{info(m).words}: {with_ci(f, m)}" for m in f.manifest["compared"])]
    first, *others = f.manifest["compared"]
    lines = [r["verdict"] for r in rows if r["metric"] == first]
    for metric in others:
        moved = [r for r in rows if r["metric"] == metric and not math.isnan(float(r["diff"]))]
        if moved:
            lines.append(max(moved, key=lambda r: abs(float(r["diff"])))["verdict"])
    return lines


def _listing(f: Folder, metric: str) -> str:
    return ", ".join(f"{lv} {fmt(metric, v)}" for lv, v in f.per_level(metric).items())


def caption_walkouts(f: Folder) -> str:
    """Walkout rate against the x factor, per policy."""
    x, colour = f.manifest.get("x_factor"), f.manifest.get("colour_factor")
    if x is None:
        return ""
    first, last = f.levels(x)[0], f.levels(x)[-1]
    groups: list[str | None] = list(f.levels(colour)) if colour and colour != x else [None]
    spans = []
    for level in groups:
        extra = {colour: level} if colour and level is not None else {}
        low = fmt("walkout_rate", f.mean("walkout_rate", **{x: first}, **extra))
        high = fmt("walkout_rate", f.mean("walkout_rate", **{x: last}, **extra))
        spans.append(f"{level + ' ' if level else ''}{low} → {high}")
    return (f"Walkout rate from {x}={first} to {x}={last}: " + "; ".join(spans) + ". Bands "
            "are 95% intervals of each mean; differences between policies are judged on paired "
            "replications (comparisons.csv), which are much tighter than the bands suggest.")


def caption_churn(f: Folder) -> str:
    """Churned patrons and lost lifetime value."""
    return (f"Patrons lost for good{f.where()}: {_listing(f, 'churned_patrons')}. "
            f"Lost customer lifetime value: {_listing(f, 'lost_clv')}.")


def caption_ack(f: Folder) -> str:
    """Time-to-acknowledge distribution."""
    target = f.manifest.get("ack_target_s", 30)
    return (f"Share of walk-ins acknowledged within {target:g} s{f.where()}: "
            f"{_listing(f, 'walk_in_p_ack_within_target')}. Curves further left and higher "
            "are better; the dashed line marks the target.")


def caption_fairness(f: Folder) -> str:
    """Appearance gaps."""
    return (f"Plain-looking minus polished customers{f.where()}: time to acknowledge "
            f"{_listing(f, 'time_to_ack_gap_appearance')}; churn per contact "
            f"{_listing(f, 'churn_gap_appearance')}. Zero means equal treatment.")


def caption_patrons(f: Folder) -> str:
    """Active patrons over the days."""
    return (f"Active patrons at the end of the run{f.where()}: "
            f"{_listing(f, 'active_patrons_end')} (each started from the same pool).")


def caption_staff_time(f: Folder) -> str:
    """Staff time by activity."""
    return (f"Share of staff time spent distracted{f.where()}: "
            f"{_listing(f, 'distracted_fraction')}.")


def caption_timeline(f: Folder) -> str:
    """One day in detail."""
    t = f.manifest.get("timeline", {})
    return (f"One day ({t.get('label', 'first scenario')}, replication 0): each row is a "
            "staff member's activities; below, each customer from arrival to leaving, with "
            "acknowledgment and walkouts marked.")


def caption_slot_walkout_map(f: Folder) -> str:
    """Walkout rate by time slot and policy (from slots.csv)."""
    factor = f.compared_factor()
    return caption_slot_walkouts(f.manifest, f.slots, factor,
                                 f.levels(factor) if factor else [], f.where())


def caption_slot_service(f: Folder) -> str:
    """Service level by time slot per policy (from slots.csv)."""
    factor = f.compared_factor()
    return caption_slot_service_level(f.manifest, f.slots, factor,
                                      f.levels(factor) if factor else [], f.where())


Caption = Callable[[Folder], str]
CAPTIONS: dict[str, Caption] = {
    "walkout_vs_staff": caption_walkouts, "churn_and_clv": caption_churn,
    "ack_ecdf": caption_ack, "fairness_gaps": caption_fairness,
    "active_patrons": caption_patrons, "staff_time": caption_staff_time,
    "timeline": caption_timeline,
    "slot_walkouts": caption_slot_walkout_map, "slot_service_level": caption_slot_service,
}


def _table(f: Folder) -> list[str]:
    factor = f.compared_factor()
    metrics = f.manifest["compared"]
    head = [factor or "scenario", *(info(m).words for m in metrics)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for level in f.levels(factor) if factor else ["all"]:
        changes = {factor: level} if factor else {}
        cells = [with_ci(f, m, **changes) for m in metrics]
        lines.append("| " + " | ".join([level, *cells]) + " |")
    return lines


def _everywhere(f: Folder) -> list[str]:
    """The first compared metric's verdicts in every other scenario (when there are some)."""
    factor, held = f.compared_factor(), f.held()
    metric = f.manifest["compared"][0]
    rows = [r for r in f.comparisons if r["factor"] == factor and r["metric"] == metric
            and not all(r.get(k) == v for k, v in held.items())]
    if not rows:
        return []
    return [f"## {info(metric).words.capitalize()} in every other scenario", "",
            *(f"- {r['verdict']}" for r in rows), ""]


def fdr_sentence(comparisons: list[dict[str, str]]) -> str:
    """How the verdicts treat multiple comparisons, in one sentence."""
    total = len(comparisons)
    level = comparisons[0].get("verdict_level", "") if comparisons else ""
    if not level:
        return (f"Every interval is a 95% interval on its own, over {total} comparisons; read "
                "isolated small effects with care.")
    called = sum(r.get("significant_fdr") == "True" for r in comparisons)
    return (f"Verdicts control the false discovery rate at {FDR:.0%} over the {total} "
            "comparisons in comparisons.csv (Benjamini–Hochberg on paired t-test p-values; "
            f"{called} called): a verdict names a difference only where `significant_fdr` is "
            f"true and quotes the false-coverage-adjusted {float(level):.1%} interval "
            "(`verdict_ci_low`, `verdict_ci_high`), while `ci_low` and `ci_high` keep the "
            "unadjusted 95% intervals, and an interval inside ± the metric's smallest "
            "difference that matters (docs/metrics.md) is reported as no practical difference.")


def _precision(f: Folder) -> list[str]:
    r = f.row("walkout_rate")
    n = int(f.manifest["replications"])
    lines = []
    if n < FEW_REPS:
        lines.append(f"> **Only {n} replications** (a smoke run?): intervals are wide and the "
                     "replication counts below are rough. Use the default `--reps` for "
                     "conclusions.")
    if r is not None and r["reps_needed"]:
        half = (float(r["ci_high"]) - float(r["ci_low"])) / 2 * 100
        lines.append(f"With {r['n']} replications the walkout rate{f.where()} is known to "
                     f"±{half:.1f} points; ±5% of its value needs about {r['reps_needed']} "
                     "(`reps_needed` in summary.csv; `reps_to_resolve` in comparisons.csv says "
                     "how many each comparison needs to be told apart).")
    lines.append(fdr_sentence(f.comparisons))
    lines += missing_notes(f)
    return [line for text in lines for line in (text, "")]


def render(f: Folder, figures: list[Path]) -> str:
    """The report's Markdown text."""
    m = f.manifest
    lines = [f"# {m['experiment']}", "", f"**Question.** {m['question']}", "",
             f"**Reproduce:** `{m['command']}`", "",
             f"{m['scenarios']} scenarios × {m['replications']} replications, seed {m['seed']}, "
             f"common random numbers; {m['wall_time_s']:.0f} s wall time. Config "
             f"`{m['config']}`.", "", "## Headline", ""]
    lines += [f"- {line}" for line in headline(f)] + ["", *_precision(f)]
    lines += [f"## Main numbers{f.where()}", "", *_table(f), ""]
    lines += _everywhere(f)
    if figures:
        lines += ["## Figures", ""]
    for path in figures:
        caption_of = CAPTIONS.get(path.stem)
        caption = caption_of(f) if caption_of else ""
        lines += [f"### {path.stem.replace('_', ' ')}", "", f"![{path.stem}](figures/{path.name})",
                  "", caption, ""]
    lines += ["## Files", "", "`replications.csv` (one row per scenario and replication), "
              "`summary.csv` (mean, 95% CI inside the metric's range, replications it rests on), "
              "`comparisons.csv` (paired differences against the baseline, p-values with their "
              "false-discovery-rate adjustment, verdicts), `scenarios.csv`, `ack_times.csv`, "
              "`timeline_*.csv`, `manifest.json`. Redraw the figures with "
              "`countersim plot <this folder>`.", ""]
    return "\n".join(lines)


def write_report(out: Path, figures: list[Path]) -> list[str]:
    """Write ``report.md`` into ``out``; return the headline lines."""
    folder = Folder.read(out)
    write_atomic(out / "report.md", render(folder, figures))
    return headline(folder)
