"""Where replications run: this process, local worker processes or a Dask cluster."""
