"""Robustness of verdicts over plausible worlds: designs over the uncertain parameters
(:mod:`~sim.robust.design`), per-world verdict classes and their shares
(:mod:`~sim.robust.verdicts`), Morris and Sobol sensitivity indices
(:mod:`~sim.robust.indices`), the value of a parameter where a verdict flips
(:mod:`~sim.robust.flip`), figures (:mod:`~sim.robust.figures`) and the Shapley split of a
bundle's effect into its fixes (:mod:`~sim.robust.decompose`).

Pure functions over numpy arrays and pandas frames: nothing here simulates, so nothing
imports the model, the study layer or the command line. A design's points live in the unit
cube; mapping them to parameter values (uniform or log-uniform over each parameter's range)
is the caller's."""
