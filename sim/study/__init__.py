"""Sweeps and studies: grids of scenarios, resumable runs, tidy tables, bundles."""
