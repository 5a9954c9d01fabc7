"""Fixtures of the hardening harness: warm the interpreter up once, so that every forked
case starts with the modules a command needs already imported (a case then costs
milliseconds, not the second an interpreter start takes)."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hardening.configs import pooled_text


@pytest.fixture(scope="session", autouse=True)
def warm_interpreter() -> Iterator[None]:
    """Import what the commands import lazily (matplotlib, the figures, the calibration
    modules: pandas, scipy, lifelines) and run one tiny ``countersim run`` and ``check`` in
    this process (output discarded, working folder and signal handlers restored). The
    cluster backend is not imported: the dask modules would make every fork slower than the
    few ``--cluster`` cases gain."""
    import matplotlib

    matplotlib.use("Agg")
    # fit and validate cases: pandas, scipy and lifelines ready in every fork (seconds each)
    import sim.calibration.fit_files
    import sim.calibration.validation_run
    import sim.plots.figures  # noqa: F401  (plot cases: matplotlib ready in every fork)
    from sim.cli.main import main

    here = Path.cwd()
    handlers = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    with tempfile.TemporaryDirectory(prefix="harden-warm-") as tmp:
        (Path(tmp) / "c.toml").write_text(pooled_text(), encoding="utf-8")
        try:
            os.chdir(tmp)
            sink = io.StringIO()
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                main(["run", "c.toml", "--reps", "1", "--out", "out"])
                main(["check", "c.toml"])
        finally:
            os.chdir(here)
            for signum, handler in handlers.items():
                signal.signal(signum, handler)
    yield
