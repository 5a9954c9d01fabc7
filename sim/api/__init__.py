"""Use countersim from Python (a notebook): ``from sim import api``.

- :func:`run` — replications of one scenario (``countersim run``);
- :func:`sweep` — a grid of scenarios over factor levels with paired comparisons
  (``countersim sweep``);
- :func:`plot` — the figures of a result as matplotlib figures, by name (``countersim plot``
  without files).

Both return a :class:`Result` whose tables are pandas DataFrames (``.replications``,
``.summary``, ``.comparisons``, ``.slots``, ``.days``, ``.scenarios``; all in ``.tables``).
They run on the study layer the commands use, so the numbers are the command line's. With
``out=None`` (the default) the results folder is temporary and lives as long as the result.

Example::

    from sim import api

    result = api.run("experiments/configs/baseline.toml", reps=5, seed=1, set={"staff": 4})
    result.summary.set_index("metric").loc["walkout_rate", ["mean", "ci_low", "ci_high"]]
    figures = api.plot(result)            # {"slot_walkouts": Figure, ...}
"""

from sim.api.calls import plot, run, sweep
from sim.api.results import Result

__all__ = ["Result", "plot", "run", "sweep"]
