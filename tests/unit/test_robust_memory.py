"""A robustness study holds only the metrics it reads of each replication (the files on
disk stay whole): the paired differences are the same as from the whole parts, for new
and for resumed replications."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.execution.backends import InProcess
from sim.study.bundles import as_found, bundle
from sim.study.parts import load_parts, metrics_only
from sim.study.robust_worlds import World, paired_differences, plan
from sim.study.running import prepare_folder, run_sweep
from tests.helpers import BASELINE

QUIET = ("staff=4", "demand.walk_in.rate_per_hour=6", "demand.phone.rate_per_hour=3")
METRICS = ("walkout_rate", "lost_clv")


def test_held_parts_are_slim_and_give_the_same_differences(tmp_path: Path) -> None:
    policies = [as_found(), bundle("greet_first", {"acknowledgment.policy": "greet_first"})]
    sweep = plan(BASELINE, QUIET, [World("default", {})], policies, seed=2, reps=2)
    prepare_folder(tmp_path, sweep, resume=False)
    held = run_sweep(sweep, tmp_path, InProcess(), keep=metrics_only(METRICS))
    whole = load_parts(tmp_path, sweep.fingerprint)
    assert set(held) == set(whole) and len(held) == 4
    for key, part in held.items():
        assert set(part.metrics) == set(METRICS) and not part.days and not part.slots
        assert len(whole[key].metrics) > 10  # the file keeps every metric
    resumed = run_sweep(sweep, tmp_path, InProcess(), keep=metrics_only(METRICS))
    assert {k: p.metrics for k, p in resumed.items()} == {k: p.metrics for k, p in held.items()}
    pd.testing.assert_frame_equal(paired_differences(sweep, held, "as_found", METRICS),
                                  paired_differences(sweep, whole, "as_found", METRICS))
