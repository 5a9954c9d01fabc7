"""How metrics are split: by channel, by patron group, by channel and appearance together,
and by staff activity (:class:`Split`: the parts and how a part's column is named).
Declared once here and expanded by :mod:`sim.metrics.catalogue`."""

from __future__ import annotations

from dataclasses import dataclass

CHANNELS = ("walk_in", "phone")  # contacts who can walk out; emails are back-office work
GROUPS = ("plain", "polished", "top", "regular", "plain_top")
LOOKS = ("plain", "polished")  # what staff see of a patron
BASE_ACTIVITIES = ("idle", "serving", "serving_distracted", "greeting", "email")
NOT_DISTRACTED = frozenset({"idle", "serving", "greeting", "email", "off"})


@dataclass(frozen=True)
class Split:
    """A way a metric is split: its parts and how a part's column is named."""

    name: str
    parts: tuple[str, ...]  # activity: the base activities, plus each distraction kind
    template: str           # "{part}_{base}" (a prefix) or "{base}_{part}" (a suffix)
    description: str

    def column(self, base: str, part: str) -> str:
        """The column of ``base`` for one ``part``, e.g. ``walk_in_walkout_rate``."""
        return self.template.format(base=base, part=part)


SPLITS: dict[str, Split] = {s.name: s for s in (
    Split("channel", CHANNELS, "{part}_{base}",
          "walk-in contacts (`walk_in_`) or phone calls (`phone_`) only"),
    Split("group", GROUPS, "{base}_{part}",
          "patrons by appearance (`_plain`, `_polished`), value tier (`_top`, `_regular`) "
          "and plain-looking top spenders (`_plain_top`), over contacts that ended; no "
          "contact is counted (0, or NaN for a ratio) when loyalty is disabled"),
    *(Split(f"{channel}_looks", LOOKS, f"{channel}_{{base}}_{{part}}",
            f"{words}, by the patron's appearance (`{channel}_<metric>_plain`, "
            f"`{channel}_<metric>_polished`): the gap where staff can (walk-ins) or cannot "
            "(phone) see the customer")
      for channel, words in (("walk_in", "walk-in contacts"), ("phone", "phone calls"))),
    Split("activity", BASE_ACTIVITIES, "{base}_{part}",
          "one per staff activity: " + ", ".join(BASE_ACTIVITIES)
          + ", and one per distraction kind in force (`distractions.kinds`)"),
)}

_PART_WORDS = {"walk_in": "walk-in contacts only", "phone": "phone calls only",
               "plain": "plain-looking patrons", "polished": "polished-looking patrons",
               "top": "top-tier patrons", "regular": "regular-tier patrons",
               "plain_top": "plain-looking top-tier patrons"}


def part_words(split: str, part: str) -> str:
    """How the docs describe one part of a split (e.g. "walk-in contacts only,
    plain-looking patrons")."""
    if split.endswith("_looks"):
        return f"{_PART_WORDS[split.removesuffix('_looks')]}, {_PART_WORDS[part]}"
    return _PART_WORDS.get(part, f"activity `{part}`")
