"""One simulated day at a glance: staff activities and every customer's path.

Drawn from ``timeline_staff.csv`` (one row per staff activity interval) and
``timeline_contacts.csv`` (one row per contact, NaN where a time did not happen), both of
one replication of one scenario.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.plots.data import Record, Results, number
from sim.plots.policy import suptitle
from sim.plots.style import NOT_DRAWN, activity_colour, activity_order, clock_axis, new_figure
from sim.plots.style import pretty as pretty_name

WALKOUTS = frozenset({"balked", "reneged_unacknowledged", "reneged_acknowledged", "abandoned",
                      "blocked"})
WAIT_COLOUR = "#9e9e9e"       # in line, not yet acknowledged
ACKED_COLOUR = "#fdae61"      # in line, acknowledged
SERVICE_COLOURS = {"walk_in": "#1f78b4", "phone": "#6a3d9a"}
WALKOUT_COLOUR = "#d7191c"
ACK_COLOUR = "#1a9641"
STAFF_COLUMNS = ("staff_id", "start_s", "end_s", "activity")
CONTACT_COLUMNS = ("channel", "arrival_s", "ack_s", "start_s", "end_s", "outcome")

Segment = tuple[tuple[float, float], tuple[float, float]]


def time_span(staff: Sequence[Record], contacts: Sequence[Record]) -> tuple[float, float]:
    """The earliest and latest finite time in either table."""
    times = [number(r[c]) for r in staff for c in ("start_s", "end_s")]
    times += [number(r[c]) for r in contacts for c in ("arrival_s", "end_s")]
    finite = [t for t in times if math.isfinite(t)]
    return (min(finite), max(finite)) if finite else (0.0, 1.0)


def timeline(res: Results) -> Figure | None:
    """Staff activity rows above, customers as lines sorted by arrival below."""
    staff = _records(res, "timeline_staff", STAFF_COLUMNS)
    contacts = _records(res, "timeline_contacts", CONTACT_COLUMNS)
    if not staff and not contacts:
        return None
    start, end = time_span(staff, contacts)
    fig = new_figure((8.0, 5.5))
    if staff and contacts:
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[1, 2])
        top.tick_params(labelbottom=False)
        axes = [top, bottom]
    else:
        axes = [fig.add_subplot()]
    if staff:
        _staff_panel(axes[0], staff)
    if contacts:
        _contact_panel(axes[-1], contacts, end)
    clock_axis(axes[-1], start, end)
    axes[-1].set_xlabel("time of day (HH:MM)")
    label = f": {res.timeline_label}" if res.timeline_label else ""
    suptitle(fig, f"One simulated day{label}",
             "staff activity per clerk; each customer from arrival (left end) to leaving")
    return fig


def _records(res: Results, name: str, columns: Sequence[str]) -> list[Record]:
    """The rows of a timeline table (none if it is absent or lacks a column)."""
    frame = res.table(name, *columns)
    return [] if frame is None else frame.to_dict("records")


def _staff_panel(ax: Axes, rows: Sequence[Record]) -> None:
    ids = sorted({r["staff_id"] for r in rows}, key=lambda s: (number(s), s))
    spans: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for r in rows:
        a, b = number(r["start_s"]), number(r["end_s"])
        if r["activity"] not in NOT_DRAWN and math.isfinite(a) and math.isfinite(b) and b > a:
            spans.setdefault((r["staff_id"], r["activity"]), []).append((a, b - a))
    for (staff_id, activity), bars in spans.items():
        ax.broken_barh(bars, (ids.index(staff_id) - 0.4, 0.8),
                       facecolors=activity_colour(activity))
    ax.set_yticks(range(len(ids)), [f"clerk {s}" for s in ids], fontsize=8)
    ax.set_ylim(len(ids) - 0.5, -0.5)
    names = activity_order(activity for _, activity in spans)
    handles = [Patch(color=activity_colour(n), label=pretty_name(n)) for n in names]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7,
              title="staff activity", title_fontsize=8, borderaxespad=0.0)


def contact_segments(row: Record, y: float, horizon: float) -> dict[str, list[Segment]]:
    """The lines of one customer: waiting unseen, waiting acknowledged, being served."""
    arrival, ack = number(row["arrival_s"]), number(row["ack_s"])
    start, end = number(row["start_s"]), number(row["end_s"])
    leave = end if math.isfinite(end) else horizon
    stop_wait = start if math.isfinite(start) else leave
    found: dict[str, list[Segment]] = {}
    if math.isfinite(ack):
        found["wait"] = [((arrival, y), (min(ack, stop_wait), y))]
        found["acked"] = [((ack, y), (stop_wait, y))]
    else:
        found["wait"] = [((arrival, y), (stop_wait, y))]
    if math.isfinite(start):
        found[f"service_{row['channel']}"] = [((start, y), (leave, y))]
    return found


def _contact_panel(ax: Axes, rows: Sequence[Record], horizon: float) -> None:
    ordered = sorted((r for r in rows if math.isfinite(number(r["arrival_s"]))),
                     key=lambda r: number(r["arrival_s"]))
    lines: dict[str, list[Segment]] = {}
    for y, row in enumerate(ordered):
        for kind, segments in contact_segments(row, float(y), horizon).items():
            lines.setdefault(kind, []).extend(segments)
    width = 1.2 if len(ordered) < 150 else 0.7
    for kind, segments in lines.items():
        colour = SERVICE_COLOURS.get(kind.removeprefix("service_"), "#4d4d4d")
        colour = {"wait": WAIT_COLOUR, "acked": ACKED_COLOUR}.get(kind, colour)
        ax.add_collection(LineCollection(segments, colors=colour,
                                         linewidths=width * (1.5 if "service" in kind else 1)))
    _contact_markers(ax, ordered)
    ax.set_ylim(len(ordered), -1)
    ax.set_ylabel("customers (in order of arrival)")
    ax.legend(handles=_contact_legend(lines), loc="upper left", bbox_to_anchor=(1.01, 1.0),
              fontsize=7, title="customers", title_fontsize=8, borderaxespad=0.0)


def _contact_markers(ax: Axes, ordered: Sequence[Record]) -> None:
    acks = [(number(r["ack_s"]), y) for y, r in enumerate(ordered)]
    acks = [(t, y) for t, y in acks if math.isfinite(t)]
    gone = [(_left_at(r), y) for y, r in enumerate(ordered) if r["outcome"] in WALKOUTS]
    size = 9.0 if len(ordered) < 150 else 4.0
    ax.scatter([number(r["arrival_s"]) for r in ordered], range(len(ordered)),
               s=size / 3, color="black", linewidths=0)
    if acks:
        ax.scatter([t for t, _ in acks], [y for _, y in acks], s=size, marker="|",
                   color=ACK_COLOUR)
    if gone:
        ax.scatter([t for t, _ in gone], [y for _, y in gone], s=size * 2, marker="x",
                   color=WALKOUT_COLOUR, linewidths=1)


def _left_at(row: Record) -> float:
    end = number(row["end_s"])
    return end if math.isfinite(end) else number(row["arrival_s"])


def _contact_legend(lines: dict[str, list[Segment]]) -> list[Artist]:
    handles: list[Artist] = [
        Line2D([], [], color="black", marker=".", linestyle="", label="arrival"),
        Line2D([], [], color=WAIT_COLOUR, label="waiting, not acknowledged"),
        Line2D([], [], color=ACK_COLOUR, marker="|", linestyle="", label="acknowledged"),
        Line2D([], [], color=ACKED_COLOUR, label="waiting, acknowledged"),
    ]
    for channel, colour in SERVICE_COLOURS.items():
        if f"service_{channel}" in lines:
            handles.append(Line2D([], [], color=colour, linewidth=2,
                                  label=f"served ({pretty_name(channel)})"))
    handles.append(Line2D([], [], color=WALKOUT_COLOUR, marker="x", linestyle="",
                          label="walked out / hung up"))
    return handles
