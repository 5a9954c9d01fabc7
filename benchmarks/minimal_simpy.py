"""The reference point for bench.py: an M/M/N+M queue written the idiomatic SimPy way.

One process per customer, a ``simpy.Resource(capacity=N)`` for the staff, and
``req | env.timeout(patience)`` for reneging; exponential interarrival, service and
patience times drawn one at a time from a numpy ``Generator``. No recorder, no
policies, no roster: only the counts needed to check that it simulates the same queue
as countersim's validation mode.

Times are in seconds, like countersim. The run stops at ``horizon_s``; customers still
waiting or in service then are not counted in the wait statistics (countersim reports
them as ``in_system`` and leaves them out of its waits too).
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy


@dataclass
class MinimalStats:
    """What the minimal model counts."""

    arrivals: int = 0
    served: int = 0        # started service before the horizon
    abandoned: int = 0     # patience ran out while waiting
    wait_n: int = 0        # customers who left the line (served or abandoned)
    wait_sum_s: float = 0.0
    wait_positive: int = 0

    def metrics(self) -> dict[str, float]:
        """Rates comparable with countersim's metrics row."""
        return {
            "arrivals": float(self.arrivals),
            "abandon_fraction": self.abandoned / self.arrivals if self.arrivals else float("nan"),
            "mean_wait_s": self.wait_sum_s / self.wait_n if self.wait_n else float("nan"),
            "p_wait": self.wait_positive / self.wait_n if self.wait_n else float("nan"),
        }


def simulate(arrival_rate_per_s: float, mean_service_s: float, mean_patience_s: float,
             servers: int, horizon_s: float, seed: int) -> MinimalStats:
    """Run the M/M/``servers``+M queue from empty until ``horizon_s`` and return its counts."""
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    staff = simpy.Resource(env, capacity=servers)
    stats = MinimalStats()
    mean_gap_s = 1.0 / arrival_rate_per_s

    def customer(env: simpy.Environment) -> Generator[simpy.Event, Any, None]:
        arrived = env.now
        patience = rng.exponential(mean_patience_s)
        with staff.request() as req:
            results = yield req | env.timeout(patience)
            wait = env.now - arrived
            stats.wait_n += 1
            stats.wait_sum_s += wait
            if wait > 0.0:
                stats.wait_positive += 1
            if req in results:
                stats.served += 1
                yield env.timeout(rng.exponential(mean_service_s))
            else:
                stats.abandoned += 1

    def source(env: simpy.Environment) -> Generator[simpy.Event, Any, None]:
        while True:
            yield env.timeout(rng.exponential(mean_gap_s))
            stats.arrivals += 1
            env.process(customer(env))

    env.process(source(env))
    env.run(until=horizon_s)
    return stats


def main(argv: list[str]) -> None:
    """``python minimal_simpy.py [REPS]``: REPS one-day replications (default 1) of
    M/M/10+M, lambda = 9.5/min, 1 min service, 2 min patience (about 13 680 customers a
    day), seeds 1..REPS; prints the pooled metrics. The whole-process benchmark times this
    as a user would run a script."""
    reps = int(argv[0]) if argv else 1
    total = MinimalStats()
    for rep in range(1, reps + 1):
        s = simulate(9.5 / 60.0, 60.0, 120.0, 10, 86_400.0, seed=rep)
        for name in ("arrivals", "served", "abandoned", "wait_n", "wait_positive"):
            setattr(total, name, getattr(total, name) + getattr(s, name))
        total.wait_sum_s += s.wait_sum_s
    print(total.metrics())


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
