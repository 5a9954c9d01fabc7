"""The robustness figures draw what their data says: a point per parameter in the Morris
chart, a bar per parameter in the tornado (largest on top), and the fitted curve, band,
zero line and flip point in the flip figure (no simulation)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from sim.robust.design import lhs_design
from sim.robust.figures import flip_figure, morris_figure, tornado_figure
from sim.robust.flip import boundary
from sim.robust.indices import MorrisResult, SobolResult

NAMES = pd.Index(["x1", "x2", "x3"], name="parameter")


def _drawn(fig: Figure) -> None:
    fig.savefig(io.BytesIO(), format="png")


def test_morris_chart_has_a_point_per_parameter_and_the_reference_lines() -> None:
    table = pd.DataFrame({"mu": [0.0, 0.5, 2.0], "mu_star": [0.17, 0.5, 2.0],
                          "mu_star_low": [0.14, 0.44, 1.9], "mu_star_high": [0.2, 0.56, 2.1],
                          "sigma": [0.2, 0.2, 0.22]}, index=NAMES)
    fig = morris_figure(MorrisResult(table, 0.169, 2 / 3, 50, 4), "walkouts", "share", 0.1)
    ax = fig.axes[0]
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(points) == 1 and np.shape(points[0].get_offsets()) == (3, 2)
    assert {t.get_text() for t in ax.texts} == {"x1", "x2", "x3"}
    marked = {str(line.get_label()): np.asarray(line.get_xdata())[0] for line in ax.lines
              if not str(line.get_label()).startswith("_")}  # not the error bars' caps
    assert marked == {"noise floor": 0.169, "smallest difference that matters": 0.1}
    _drawn(fig)


def test_tornado_has_a_bar_per_parameter_largest_on_top() -> None:
    table = pd.DataFrame({"S1": [0.0, 0.05, 0.93], "S1_low": [-0.01, 0.03, 0.86],
                          "S1_high": [0.01, 0.08, 1.0], "ST": [0.001, 0.06, 0.94],
                          "ST_low": [-0.002, 0.05, 0.88], "ST_high": [0.003, 0.07, 1.0]},
                         index=NAMES)
    fig = tornado_figure(SobolResult(table, 0.03, 1024), "walkouts")
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 3
    assert [t.get_text() for t in ax.get_yticklabels()] == ["x1", "x2", "x3"]
    assert max(bars, key=lambda b: b.get_y()).get_width() == 94.0  # x3 on top, in %
    assert "noise 3% taken out" in ax.get_title()
    _drawn(fig)
    named = tornado_figure(SobolResult(table, 0.03, 1024), "walkouts",
                           {"x3": "how long callers tolerate hold\n[x3]"})
    assert [t.get_text() for t in named.axes[0].get_yticklabels()] == [
        "x1", "x2", "how long callers tolerate hold\n[x3]"]


def test_flip_figure_shows_the_curve_band_zero_line_and_flip() -> None:
    p = np.asarray(lhs_design(["x1", "x2"], 60, 1).points)
    rng = np.random.default_rng(2)
    b = boundary("hold_s", p[:, 1], 2.0 * (p[:, 1] - 0.3) + rng.normal(0, 0.05, 60),
                 to_units=lambda u: 10.0 * 100.0**u, n_boot=50, seed=3)
    assert b.flip is not None
    fig = flip_figure(b, "hold_and_greet vs as_found", "waiting time (s)",
                      "hold tolerance (s)", log_x=True)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    assert any(isinstance(c, PolyCollection) for c in ax.collections)  # the band
    ys = [tuple(np.asarray(line.get_ydata()).tolist()) for line in ax.lines]
    assert (0.0, 0.0) in ys  # the zero line
    assert any(np.asarray(line.get_xdata())[0] == b.flip.value for line in ax.lines)
    legend = ax.get_legend()
    assert legend is not None
    assert any(t.get_text().startswith("flips at") for t in legend.get_texts())
    _drawn(fig)
