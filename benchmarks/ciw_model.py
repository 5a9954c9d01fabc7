"""The second reference point for bench.py: the M/M/N+M queue in Ciw (a queueing library).

One node, ``ciw.create_network`` with exponential interarrival and service times,
``number_of_servers=[N]`` and exponential patience through ``reneging_time_distributions``
(Ciw 3.x: a customer draws a reneging date on arrival and leaves the queue at that date
unless a server has taken them by then; customers in service do not renege, exactly the
Erlang-A model). Ciw works in whatever time unit its rates use; here minutes.

``simulate`` returns the Ciw ``Simulation`` after the run (timed by the caller), and
``summary`` reads its records afterwards (not timed): the same statistics as
``minimal_simpy.MinimalStats.metrics()`` and countersim's metrics row, times in seconds.
"""

from __future__ import annotations

import math
from typing import Any

import ciw


def simulate(arrival_rate_per_min: float, service_rate_per_min: float,
             abandonment_rate_per_min: float, servers: int, horizon_min: float,
             seed: int) -> Any:
    """Run the M/M/``servers``+M queue from empty until ``horizon_min`` and return Ciw's
    ``Simulation`` object."""
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=arrival_rate_per_min)],
        service_distributions=[ciw.dists.Exponential(rate=service_rate_per_min)],
        number_of_servers=[servers],
        reneging_time_distributions=[ciw.dists.Exponential(rate=abandonment_rate_per_min)],
    )
    ciw.seed(seed)
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(horizon_min)
    return sim


def summary(sim: Any) -> dict[str, float]:
    """Arrivals, abandonment fraction, mean wait (s) and P(wait > 0) of a finished run.

    Arrivals are every individual Ciw created (including those still inside at the end);
    waits are over customers who left the queue (served or reneged), like the other two
    models.
    """
    arrivals = len(sim.get_all_individuals())
    records = sim.get_all_records(only=["service", "renege"])
    waits = [r.waiting_time for r in records]
    reneged = sum(1 for r in records if r.record_type == "renege")
    return {
        "arrivals": float(arrivals),
        "abandon_fraction": reneged / arrivals if arrivals else math.nan,
        "mean_wait_s": 60.0 * math.fsum(waits) / len(waits) if waits else math.nan,
        "p_wait": sum(1 for w in waits if w > 0.0) / len(waits) if waits else math.nan,
    }


if __name__ == "__main__":
    # M/M/10+M, lambda = 9.5/min, 1 min service, 2 min patience, about 20 000 customers.
    print(summary(simulate(9.5, 1.0, 0.5, 10, 20_000 / 9.5, seed=1)))
