"""Captions of the time-of-day figures (``slot_walkouts``, ``slot_service_level``), computed
from ``slots.csv`` at the report's focus scenario: the pooled day (``day = all``), both
channels (``channel = all``), one entry per level of the compared factor with the other
factors held at their focus levels (the levels the headline describes)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

Row = Mapping[str, str]


def slot_means(slots: Sequence[Row], labels: Mapping[str, str], metric: str,
               ) -> list[tuple[str, float]]:
    """``[("12:00–12:30", mean), ...]`` of ``metric`` in the scenario with ``labels``, in
    slot order; slots whose mean is undefined (no arrival in any replication) left out."""
    found = []
    for r in slots:
        if (r.get("metric") == metric and r.get("day") == "all" and r.get("channel") == "all"
                and all(r.get(k) == v for k, v in labels.items())):
            value = float(r["mean"])
            if math.isfinite(value):
                found.append((int(r["slot"]), f"{r['start']}–{r['end']}", value))
    return [(span, value) for _k, span, value in sorted(found)]


def _scenarios(manifest: Mapping[str, object], factor: str | None,
               levels: Sequence[str]) -> list[tuple[str, dict[str, str]]]:
    focus = manifest.get("focus")
    base = {str(k): str(v) for k, v in focus.items()} if isinstance(focus, dict) else {}
    if factor is None:
        return [("this scenario", base)]
    return [(level, {**base, factor: level}) for level in levels]


def caption_slot_walkouts(manifest: Mapping[str, object], slots: Sequence[Row],
                          factor: str | None, levels: Sequence[str], where: str) -> str:
    """The worst slot of each policy and its walkout rate."""
    worst = []
    for level, labels in _scenarios(manifest, factor, levels):
        means = slot_means(slots, labels, "walkout_rate")
        if means:
            span, value = max(means, key=lambda m: m[1])
            worst.append((value, level, span))
    if not worst:
        return ""
    top = max(worst)
    others = "; ".join(f"{lv} {span} ({v * 100:.0f}%)" for v, lv, span in worst if
                       (v, lv, span) != top)
    return (f"Mean walkout rate per time slot (both channels, contacts counted in the slot "
            f"of their arrival){where}, pooled over days. The worst slot is {top[2]} for "
            f"{top[1]}: {top[0] * 100:.0f}% walk out"
            + (f"; the worst slot of the others: {others}." if others else ".")
            + " The other factors are held at the headline's levels; every level of each "
            "factor is in slots.csv.")


def caption_slot_service_level(manifest: Mapping[str, object], slots: Sequence[Row],
                               factor: str | None, levels: Sequence[str], where: str) -> str:
    """Each policy's lowest and highest service level through the day."""
    parts = []
    for level, labels in _scenarios(manifest, factor, levels):
        means = slot_means(slots, labels, "service_level")
        if means:
            low, high = min(means, key=lambda m: m[1]), max(means, key=lambda m: m[1])
            parts.append(f"{level} from {low[1] * 100:.0f}% ({low[0]}) to "
                         f"{high[1] * 100:.0f}% ({high[0]})")
    if not parts:
        return ""
    return (f"Share of joiners whose service started within the channel's target, per time "
            f"slot{where} (bands: 95% intervals): " + "; ".join(parts) + ".")
