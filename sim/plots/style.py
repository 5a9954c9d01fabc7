"""Shared look of the figures: size, resolution, activity colours, clock axis, atomic saving."""

from __future__ import annotations

import contextlib
import os
import tempfile
import zlib
from collections.abc import Iterable
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MultipleLocator

DPI = 110
SIZE = (8.0, 4.5)

# Fixed colours so an activity looks the same in every figure; "off" is not drawn.
ACTIVITY_COLOURS = {
    "idle": "#d9d9d9",
    "serving": "#1f78b4",
    "serving_distracted": "#a6cee3",
    "greeting": "#33a02c",
    "email": "#b2df8a",
    "personal_call": "#e31a1c",
    "coworker_chat": "#fb9a99",
    "paperwork": "#ff7f00",
    "critical_task": "#6a3d9a",
    "argument": "#b15928",
}
_SPARE_COLOURS = ("#fdbf6f", "#cab2d6", "#ffff99", "#8dd3c7", "#bebada", "#80b1d3", "#fccde5")
NOT_DRAWN = frozenset({"off"})


def new_figure(size: tuple[float, float] = SIZE) -> Figure:
    """A figure not tied to any GUI or global pyplot state."""
    return Figure(figsize=size, dpi=DPI, layout="constrained")


def activity_colour(name: str) -> str:
    """The colour of a staff activity (a stable spare colour for unknown kinds)."""
    if name in ACTIVITY_COLOURS:
        return ACTIVITY_COLOURS[name]
    return _SPARE_COLOURS[zlib.crc32(name.encode()) % len(_SPARE_COLOURS)]


def activity_order(names: Iterable[str]) -> list[str]:
    """Known activities in a fixed order, then the others alphabetically."""
    known = list(ACTIVITY_COLOURS)
    unique = set(names) - NOT_DRAWN
    return sorted(unique, key=lambda n: (known.index(n) if n in known else len(known), n))


def pretty(name: str) -> str:
    """``"serving_distracted"`` → ``"serving distracted"``."""
    return name.replace("_", " ")


def clock(seconds: float) -> str:
    """Seconds after midnight as ``HH:MM`` (hours may pass 24)."""
    minutes = round(seconds / 60.0)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def clock_axis(ax: Axes, start_s: float, end_s: float) -> None:
    """Label the x axis with clock times at a step that gives a handful of ticks."""
    span = max(end_s - start_s, 1.0)
    step = next((s for s in (300, 900, 1800, 3600, 7200, 14400) if span / s <= 10), 28800)
    ax.xaxis.set_major_locator(MultipleLocator(step))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: clock(v)))
    ax.set_xlim(start_s, end_s)


def save_figure(fig: Figure, path: Path) -> None:
    """Write ``fig`` as a PNG so readers see the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".png.tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fig.savefig(fh, format="png", dpi=DPI)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the usual file mode
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and not exc.filename:  # name the figure that failed
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
        raise
    finally:
        fig.clear()
