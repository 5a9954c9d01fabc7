"""countersim from a notebook: run a scenario, sweep two factors, read the tables as pandas
DataFrames and draw the figures — nothing is written outside a temporary folder.

Each ``# %%`` starts a cell (Jupyter, VS Code and Jupytext open this file as a notebook);
as a script, ``python examples/notebook.py`` runs it top to bottom from the repository
folder. Replications are few to keep it quick: raise ``REPS`` for real answers.
"""

# %% One scenario: 3 replications of the baseline counter with 4 pooled staff
from sim import api

CONFIG = "experiments/configs/baseline.toml"
REPS = 3

run = api.run(CONFIG, reps=REPS, seed=1, set={"staff": 4})
headline = run.summary.set_index("metric").loc[
    ["walkout_rate", "median_time_to_ack_s", "utilization"], ["mean", "ci_low", "ci_high"]]
print(headline)

# %% Per time slot (slots.csv): where in the day do customers walk out?
slots = run.slots
assert slots is not None
walk_ins = slots[(slots["channel"] == "walk_in") & (slots["metric"] == "walkout_rate")]
print(walk_ins[["start", "end", "mean"]].sort_values("mean", ascending=False).head(3))

# %% A sweep: staff 3 and 4 × two acknowledgment policies, paired by common random numbers
grid = api.sweep(CONFIG, {"staff": [3, 4],
                          "acknowledgment.policy": ["finish_first", "greet_first"]},
                 reps=REPS, seed=1)
comparisons = grid.comparisons
assert comparisons is not None
walkouts = comparisons[comparisons["metric"] == "walkout_rate"]
print(walkouts[["factor", "baseline", "level", "diff", "ci_low", "ci_high"]])

# %% Figures: matplotlib figures by name (in a notebook, show one by leaving it last)
figures = api.plot(grid)
print(sorted(figures))
figures["walkout_vs_staff"]
