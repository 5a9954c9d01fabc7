"""The scenario's ``money`` section: margins and customer lifetime value, and the counter's
costs (staff cost per paid hour by role, overtime, a fixed cost per open hour). Money is in
one unspecified currency unit; sources in docs/parameters.md, "Money"."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sim.config.fields import Frozen, Probability
from sim.config.limits import at_most

Cost = Annotated[float, Field(ge=0, allow_inf_nan=False),
                 at_most(1e9, "money per hour", "a billion an hour")]


class StaffCostPerHour(Frozen):
    """What a paid staff hour costs, by role (money per hour)."""

    counter: Cost = 20.0
    phone: Cost = 20.0
    both: Cost = 20.0


class Money(Frozen):
    """Margins and customer lifetime value (``CLV = m·r/(1 + i − r)``), and the counter's
    costs: staff cost per paid hour by role, overtime, and a fixed cost per open hour.

    A member's paid time is its time present (on duty, or finishing a service after its
    shift or after closing). In each day, the first ``contracted_hours_per_day`` hours of it
    cost the role's ``staff_cost_per_hour``; every hour beyond costs that × ``overtime_rate``.
    """

    margin_share: Probability = 0.30
    visits_per_year: Annotated[float, Field(gt=0, le=366 * 24, allow_inf_nan=False)] = 12.0
    annual_retention: Annotated[float, Field(ge=0.0, lt=1.0, allow_inf_nan=False)] = 0.80
    discount_rate: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)] = 0.10
    staff_cost_per_hour: StaffCostPerHour = Field(default_factory=StaffCostPerHour)
    contracted_hours_per_day: Annotated[float, Field(gt=0, le=24, allow_inf_nan=False)] = 8.0
    overtime_rate: Annotated[float, Field(ge=1, allow_inf_nan=False),
                             at_most(100, "×", "a hundred times the wage")] = 1.5
    fixed_cost_per_open_hour: Cost = 0.0
