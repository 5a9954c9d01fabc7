"""Cases: the experiment scripts in ``experiments/`` with bad options (each run as
``python experiments/<script>.py ...`` in a forked child, one also as a real process)."""

from __future__ import annotations

from typing import Any

from tests.hardening.checks import folder
from tests.hardening.harness import ANY, REFUSE, Case
from tests.helpers import REPO

EXPERIMENTS = "experiments"
SCRIPTS = sorted(p.name for p in (REPO / "experiments").glob("*.py"))

# the shipped baseline cut to one hour, for the few cases that simulate
SHORT_DAY = ("--set", 'hours.close="10:00"', "--set", "demand.walk_in.profile=[0.9,1.1]",
             "--set", "demand.phone.profile=[1.2,0.8]", "--set",
             'staff.schedule=[{start="09:00",end="09:30",both=2},'
             '{start="09:30",end="10:00",both=3}]')
SMOKE = ("--smoke", "--no-figures", "--jobs", "1", "--out", "out", *SHORT_DAY)


def script(id: str, name: str, *args: str, expect: str = REFUSE, **kw: Any) -> Case:
    """``python experiments/NAME ARGS``."""
    return Case(id, EXPERIMENTS, args, program=name, expect=expect, **kw)


def experiment_cases() -> list[Case]:
    """Bad options for every script, and a few that need a simulation to show."""
    cases = []
    for name in SCRIPTS:
        stem = name.removesuffix(".py")
        cases += [
            script(f"{stem}_reps_zero", name, "--reps", "0", mention=("--reps",)),
            script(f"{stem}_set_unknown_key", name, "--set", "nope.key=1", mention=("nope",)),
            script(f"{stem}_smoke_with_reps", name, "--smoke", "--reps", "5",
                   mention=("--reps",)),
            script(f"{stem}_out_is_a_file", name, "--out", "f.txt", files={"f.txt": "k\n"},
                   mention=("f.txt",)),
        ]
    ack = "acknowledgment.py"
    cases += [
        script("acknowledgment_jobs_zero", ack, "--jobs", "0", mention=("--jobs",)),
        script("acknowledgment_seed_negative", ack, "--seed", "-1", mention=("--seed",)),
        script("acknowledgment_unknown_option", ack, "--frobnicate", mention=("--frobnicate",)),
        script("acknowledgment_resume_nothing", ack, "--resume", mention=("--resume",)),
        script("acknowledgment_cluster_empty", ack, *SMOKE, "--cluster", "",
               mention=("--cluster",), note="silently runs locally"),
        script("equal_treatment_cluster_empty", "equal_treatment.py", "--smoke",
               "--no-figures", "--jobs", "1", "--out", "out", "--cluster", "",
               mention=("--cluster",)),
        script("acknowledgment_staff_both_with_schedule", ack, *SMOKE, "--set", "staff.both=4",
               expect=ANY, noop_of=SMOKE, mention=("staff.both", "staff.schedule"),
               outputs=("replications.csv",)),
        script("staffing_policies_set_staff_both", "staffing_policies.py", "--smoke",
               "--no-figures", "--set", "staff.both=4", mention=("staff.both",)),
        script("acknowledgment_jobs_1000", ack, *SMOKE[:-len(SHORT_DAY)], *SHORT_DAY,
               "--jobs", "1000", expect=ANY, timeout=20),
        script("acknowledgment_reps_billion", ack, "--reps", "1000000000", "--no-figures",
               "--out", "out", mention=("--reps",), note="MemoryError"),
        script("loyalty_horizon_days_zero", "loyalty_horizon.py", "--smoke", "--set",
               "run.days=0", mention=("run.days",)),
        script("equal_treatment_out_empty", "equal_treatment.py", "--smoke", "--out", ""),
        script("acknowledgment_out_non_empty", ack, "--smoke", "--out", "full",
               setup=folder("full", "keep.txt"), mention=("full",)),
        Case("acknowledgment_reps_word_subprocess", EXPERIMENTS,
             ("{repo}/experiments/acknowledgment.py", "--reps", "abc"), program="python",
             expect=REFUSE, mention=("--reps",)),
    ]
    return cases
