"""Checks before anything is simulated: warnings about legal but suspicious scenarios
(:mod:`sim.preflight.warnings`) and the resource guard (:mod:`sim.preflight.guard`)."""
