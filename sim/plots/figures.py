"""Figures of a results folder, each a pure function of its tables.

``draw_all(run_dir)`` reads the tables once (:func:`sim.plots.data.load_results`) and writes
every figure whose data is present to ``run_dir/figures/<name>.png``; a figure whose table
is absent is skipped. ``FIGURES`` maps each figure's name to its drawing function, which
returns a :class:`~matplotlib.figure.Figure` or None (nothing to draw).

Scenario choice (see :mod:`sim.plots.data`): one colour per level of the manifest's colour
factor, fixed in the manifest's level order; the x factor on the x axis of
``walkout_vs_staff`` and as bar groups of ``churn_and_clv``, elsewhere at its focus level
(the manifest's ``focus``, else its middle level); every other factor at its focus level
(else its baseline level). Titles name the levels held fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from matplotlib.figure import Figure

from sim.plots.data import Results, load_results
from sim.plots.policy import churn_and_clv, fairness_gaps, staff_time, walkout_vs_staff
from sim.plots.series import ack_ecdf, active_patrons
from sim.plots.slots import slot_service_level, slot_walkouts
from sim.plots.style import save_figure
from sim.plots.timeline import timeline

DrawFunction = Callable[[Results], Figure | None]

FIGURES: dict[str, DrawFunction] = {
    "walkout_vs_staff": walkout_vs_staff,  # walkout rate vs x factor, line + CI band per policy
    "churn_and_clv": churn_and_clv,        # churned patrons and lost CLV, bars with CIs
    "ack_ecdf": ack_ecdf,                  # ECDF of walk-in time to acknowledgment
    "fairness_gaps": fairness_gaps,        # plain vs polished (and plain top) customers
    "active_patrons": active_patrons,      # active patrons over the days, CI band
    "staff_time": staff_time,              # stacked shares of staff time by activity
    "timeline": timeline,                  # one day: staff activities and customers
    "slot_walkouts": slot_walkouts,        # walkout rate by time slot × policy, heatmap
    "slot_service_level": slot_service_level,  # service level by time slot, line per policy
}


def draw(results: Results, names: list[str] | None = None) -> list[Path]:
    """Write the named figures (all by default) that have data; return the paths written."""
    written = []
    for name in names if names is not None else list(FIGURES):
        fig = FIGURES[name](results)
        if fig is None:
            continue
        path = results.run_dir / "figures" / f"{name}.png"
        save_figure(fig, path)
        written.append(path)
    return written


def draw_all(run_dir: Path) -> list[Path]:
    """Redraw every figure of the results folder ``run_dir`` from its CSV tables."""
    return draw(load_results(run_dir))
