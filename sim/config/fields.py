"""Building blocks of the scenario schema: the frozen base class, clock times, number types.

Every value carries its unit in its name (``_s`` seconds, ``_per_hour``, ``_minutes``).
Clock times are ``"HH:MM"`` strings counted from midnight of the first day; hours may
exceed 24 for long validation horizons (``"72:00"``). Internally all times are seconds.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

_CLOCK = re.compile(r"^(\d{1,5}):([0-5]\d)$")


class Frozen(BaseModel):
    """Base for config objects: immutable, unknown keys rejected, no silent coercion."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


def clock_to_seconds(text: str) -> float:
    """Parse ``"HH:MM"`` (hours may exceed 24) into seconds after midnight of day 1."""
    match = _CLOCK.match(text)
    if not match:
        raise ValueError("must be a clock time 'HH:MM', e.g. '09:30'")
    return float(int(match.group(1)) * 3600 + int(match.group(2)) * 60)


def _valid_clock(text: str) -> str:
    clock_to_seconds(text)
    return text


Clock = Annotated[str, AfterValidator(_valid_clock)]
PositiveFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNegativeFloat = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Probability = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]

