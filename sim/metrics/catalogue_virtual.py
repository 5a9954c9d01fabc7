"""Declarations of the virtual queue's metrics (callbacks and wait announcements) as plain
tuples, which :mod:`sim.metrics.catalogue` turns into metrics: a leaf module, like the
catalogue (it imports nothing). Counted by :mod:`sim.metrics.virtual_queue`."""

from __future__ import annotations

from typing import Literal

Spec = tuple[str, Literal["count", "mean", "share", "seconds", "money"], str,
             Literal["higher", "lower"] | None, str]

VQ_FAMILY = ("callbacks", "Callbacks and wait announcements",
          "Over walk-in and phone contacts that arrived after warm-up; the counts are 0 while "
          "`callbacks.enabled` and `announcements.enabled` are false.")

_CB = "callbacks"
VQ_SPECS: tuple[Spec, ...] = (
    ("callbacks_offered", "count", _CB, None,
     "Callers offered a callback: their expected wait on joining exceeded "
     "`callbacks.threshold_s`."),
    ("callbacks_accepted", "count", _CB, None, "Offers accepted (the caller hung up to be "
     "called back)."),
    ("callbacks_on_time", "count", _CB, "higher",
     "Callbacks made within `callbacks.deadline_s` of the request."),
    ("callbacks_late", "count", _CB, "lower",
     "Callbacks made after the deadline (the caller judges it a walkout)."),
    ("callbacks_abandoned", "count", _CB, "lower",
     "Callbacks not made by closing (the caller is abandoned: a phone walkout)."),
    ("announced", "count", "contacts", None,
     "Walk-ins and callers told their expected wait on joining a line with someone ahead."),
    ("left_on_announcement", "count", "contacts", None,
     "Told an expected wait longer than they would bear, and left at once (counted among "
     "the reneged and abandoned)."),
    ("mean_satisfaction", "share", "satisfaction (0-1)", "higher",
     "Mean satisfaction (0-1, shown as %) of the walk-in and phone contacts judged (NaN with "
     "loyalty off)."),
)
