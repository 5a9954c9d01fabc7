r"""``countersim staff``: the fewest pooled staff per time slot that meet service targets.

Example::

    countersim staff experiments/configs/baseline.toml \\
        --target 'walkout_rate<=0.05' --target 'p_ack_within_target>=0.8' --reps 20 --jobs 2

The search itself is :mod:`sim.staffing.search`; this module parses options, runs the
replications, prints the per-slot table and the schedule, and writes ``staffing.csv``,
``schedule.toml`` and ``manifest.json``. Exit code 0 when every slot meets every target,
1 when the search stopped without that (the schedule found is still written), 2 for bad
input (nothing written).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.cli.options import add_common_options, new_out_dir, positive_int
from sim.errors import UserInputError
from sim.execution.backends import Backend, make_backend
from sim.results.rollback import new_paths_removed_on_failure
from sim.results.store import ensure_writable, write_atomic, write_csv, write_manifest
from sim.staffing.targets import (
    METRICS,
    MIN_REPLICATIONS,
    Check,
    Target,
    allowed_targets,
    parse_targets,
)

if TYPE_CHECKING:  # the model and the search (numpy, SimPy, pydantic) load when a search starts
    from sim.config.schema import Scenario
    from sim.staffing.search import SearchResult, Simulate, Step
    from sim.staffing.slots import SlotResult


PROFIT_MAX_ITERATIONS = 300  # default --max-iterations of --objective net_value


def confidence_level(text: str) -> float:
    """Argparse type: a confidence level strictly between 0 and 1."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"{text!r}: must be a number between 0 and 1, e.g. 0.95")
    return value


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``staff`` subcommand."""
    p = subparsers.add_parser(
        "staff", help="fewest pooled staff per time slot that meet service targets",
        description="Find the fewest pooled staff per time slot such that every target holds "
        "with confidence in every slot (iterative staffing: Erlang-A start, then simulate, "
        "add where a target fails, take away where there is slack). Writes staffing.csv, "
        "schedule.toml and manifest.json.")
    add_common_options(p, default_reps=20)
    p.add_argument("--objective", choices=("service_target", "net_value"),
                   default="service_target",
                   help="service_target (default): the fewest staff meeting every --target; "
                   "net_value: the highest expected net value (revenue - staff cost - fixed "
                   "cost - lost lifetime value) with every --target met")
    p.add_argument("--target", dest="targets", action="append", default=[],
                   metavar="METRIC<=VALUE", help=f"a target (repeatable; required for "
                   f"service_target): {allowed_targets()}")
    p.add_argument("--start", default=None, metavar="N|N1,N2,...",
                   help="net_value: the starting staff, one count for all slots or one per "
                   "slot (default: the Erlang-A schedule)")
    p.add_argument("--slot-minutes", type=positive_int, default=None, metavar="M",
                   help="length of a staffing slot (default: the config's hours.slot_minutes)")
    p.add_argument("--confidence", type=confidence_level, default=0.95,
                   help="one-sided confidence of each bound (default 0.95)")
    p.add_argument("--max-reps", type=positive_int, default=None, metavar="N",
                   help="net_value: replications a close call between two schedules may "
                   "grow to (default 4 × --reps)")
    p.add_argument("--max-iterations", type=positive_int, default=None, metavar="N",
                   help="most schedules to simulate (default 60; net_value: 300)")
    p.add_argument("--out", type=Path, default=None,
                   help="results folder (default results/staffing/<timestamp>)")
    p.set_defaults(func=run)


def simulator(args: argparse.Namespace, backend: Backend) -> Simulate:
    """Replications ``0..reps-1`` of a scenario at ``--seed``: contact rows per replication."""
    from sim.execution.runner import iter_replications

    def simulate(scenario: Scenario) -> list[list[dict[str, object]]]:
        """Contact rows of every replication of ``scenario``, in replication order."""
        results = iter_replications(scenario, args.seed, list(range(args.reps)), args.jobs,
                                    keep_contacts=True, backend=backend)
        return [r.contacts for r in sorted(results, key=lambda r: r.replication)]

    return simulate


def _progress(step: Step) -> None:
    print(f"\riteration {step.iteration} ({step.phase}): {len(step.failing)} slot(s) failing ",
          end="", file=sys.stderr)


# ------------------------------------------------------------------------------ output


def _number(value: float, metric: str) -> str:
    if math.isnan(value):
        return "-"
    return f"{value:.1f}" if METRICS[metric].unit == "s" else f"{value:.3f}"


def _cell(check: Check) -> str:
    metric = check.target.metric
    verdict = "n<2" if not check.judged else "ok" if check.passed else "FAIL"
    return f"{_number(check.mean, metric):>8}{_number(check.bound, metric):>8}  {verdict:<4}"


def format_table(result: SearchResult, targets: list[Target], confidence: float) -> str:
    """Per slot: staff, the Erlang-A start, each target's mean and bound, pass or fail."""
    width = max(22, *(len(t.text) + 2 for t in targets))
    head = f"{'slot':<13}{'staff':>6}{'Erlang-A':>10}  " + "".join(
        f"{t.text:<{width}}" for t in targets)
    sub = " " * 31 + "".join(f"{'mean':>8}{'bound':>8}{'':<{width - 16}}" for _ in targets)
    lines = [head.rstrip(), sub + f"  (one-sided {confidence:.0%} bound; n<2: not judged)"]
    for slot, start in zip(result.evaluation.slots, result.initial, strict=True):
        row = f"{slot.slot.label:<13}{slot.staff:>6}{start:>10}  "
        if not slot.checks:
            row += "(warm-up: not measured; staffed like the first measured slot)"
        else:
            row += "".join(f"{_cell(c):<{width}}" for c in slot.checks)
        lines.append(row.rstrip())
    return "\n".join(lines)


def _slot_row(slot: SlotResult, start: int) -> dict[str, object]:
    row: dict[str, object] = {"slot_start": slot.slot.label[:5], "slot_end": slot.slot.label[6:],
                              "measured": slot.slot.measured, "staff": slot.staff,
                              "erlang_a_staff": start}
    for c in slot.checks:
        m = c.target.metric
        row.update({f"{m}_target": c.target.text, f"{m}_mean": c.mean, f"{m}_bound": c.bound,
                    f"{m}_n": c.n, f"{m}_pass": c.passed})
    row["pass"] = slot.passed
    return row


def _columns(targets: list[Target]) -> list[str]:
    per = [f"{t.metric}_{k}" for t in targets for k in ("target", "mean", "bound", "n", "pass")]
    return ["slot_start", "slot_end", "measured", "staff", "erlang_a_staff", *per, "pass"]


def _snippet(result: SearchResult, args: argparse.Namespace) -> str:
    from sim.staffing.schedule import schedule_blocks, schedule_toml

    slots = [s.slot for s in result.evaluation.slots]
    comment = (f"countersim staff {args.config}: {', '.join(args.targets)} ({args.reps} "
               f"replications, seed {args.seed}, {args.confidence:g} confidence): "
               f"{result.status}")
    return schedule_toml(schedule_blocks(slots, result.evaluation.staff), comment)


def write_outputs(out: Path, result: SearchResult, args: argparse.Namespace, scenario: Scenario,
                  targets: list[Target], wall_s: float) -> None:
    """Write staffing.csv, schedule.toml and manifest.json (each atomically)."""
    from sim.staffing.schedule import schedule_blocks, with_schedule

    ev = result.evaluation
    rows = [_slot_row(s, n) for s, n in zip(ev.slots, result.initial, strict=True)]
    write_csv(out / "staffing.csv", rows, _columns(targets))
    write_atomic(out / "schedule.toml", _snippet(result, args))
    blocks = schedule_blocks([s.slot for s in ev.slots], ev.staff)
    labels = [s.slot.label for s in ev.slots]
    write_manifest(out / "manifest.json", {
        "command": "countersim " + " ".join(sys.argv[1:]),
        "config": str(args.config), "scenario_name": scenario.name, "seed": args.seed,
        "reps": args.reps, "jobs": args.jobs, "confidence": args.confidence,
        "slot_minutes": args.slot_minutes or scenario.hours.slot_minutes,
        "targets": [t.text for t in targets], "overrides": args.overrides,
        "status": result.status, "message": result.message,
        "iterations": len(result.history), "max_iterations": args.max_iterations,
        "history": [{"iteration": s.iteration, "phase": s.phase, "staff": list(s.staff),
                     "failing_slots": [labels[i] for i in s.failing]} for s in result.history],
        "erlang_a_start": result.initial,
        "given_up_slots": {labels[i]: n for i, n in result.given_up.items()},
        "schedule": [b.model_dump(mode="json") for b in blocks],
        "warnings": list(getattr(args, "warnings", ())),
        "wall_time_s": round(wall_s, 3),
        "scenario": with_schedule(scenario, blocks).model_dump(mode="json"),
    })


def _replaces_roles(scenario: Scenario) -> bool:
    staff = scenario.staff
    return staff.counter > 0 or staff.phone > 0 or any(
        s.counter > 0 or s.phone > 0 for s in staff.schedule)


# ------------------------------------------------------------------------------ command


def check_reps(reps: int) -> None:
    """Refuse fewer than :data:`MIN_REPLICATIONS` replications (raises
    :class:`UserInputError`): one replication has no confidence bound at all, and a handful
    give bounds so wide that every slot is staffed for the noise."""
    if reps < MIN_REPLICATIONS:
        raise UserInputError(
            f"--reps {reps}: staff needs at least {MIN_REPLICATIONS} replications per "
            "simulated schedule (fewer give no honest one-sided bound: with 1 the bound is "
            f"the mean itself); use --reps {MIN_REPLICATIONS} or more (default 20)")


def _check_objective(args: argparse.Namespace) -> bool:
    """True for ``--objective net_value``; refuses options that do not fit the objective
    and sets the default ``--max-iterations``."""
    profit: bool = args.objective == "net_value"
    if not args.targets and not profit:
        raise UserInputError("staff: give at least one --target METRIC<=VALUE (e.g. --target "
                             "'walkout_rate<=0.05'), or --objective net_value")
    if (args.start is not None or args.max_reps is not None) and not profit:
        raise UserInputError("--start and --max-reps: only with --objective net_value (the "
                             "service-target search starts from the Erlang-A schedule and "
                             "simulates --reps replications per schedule)")
    args.max_iterations = args.max_iterations or (PROFIT_MAX_ITERATIONS if profit else 60)
    return profit


def run(args: argparse.Namespace) -> int:
    """Search, print the table and the schedule, write the results folder."""
    from sim.config.loading import load_scenario

    check_reps(args.reps)
    profit = _check_objective(args)
    targets = parse_targets(args.targets) if args.targets else []
    scenario = load_scenario(args.config, args.overrides)  # refused before the model loads
    from sim.cli import staff_profit
    from sim.preflight.gate import clear
    from sim.staffing.schedule import check_searchable
    from sim.staffing.search import search
    from sim.staffing.slots import staffing_slots

    check_searchable(scenario)
    if profit:  # a bad --start is refused before anything runs
        slots = staffing_slots(scenario, args.slot_minutes)
        staff_profit.start_staff(args.start, scenario, slots, targets)
    out = new_out_dir(args.out, "staffing")
    cleared = clear([("", scenario)], reps=args.reps, jobs=args.jobs, cluster=bool(args.cluster),
                    force=args.force, strict=args.strict, records=True,
                    rounds=args.max_iterations, staffed=False)  # the search sets the staff
    args.warnings = cleared.warnings  # recorded in the manifest
    backend = make_backend(cleared.workers or args.jobs, args.cluster)
    cleared.announce()
    started = time.perf_counter()
    # staff cannot resume: stopped or failed, it leaves no folder and no half set of files
    with new_paths_removed_on_failure(out):
        ensure_writable(out)  # an unwritable folder fails now, not after the search
        try:
            if profit:
                found = staff_profit.run_search(args, scenario, targets, backend)
            else:
                result = search(scenario, targets, simulator(args, backend),
                                slot_minutes=args.slot_minutes, confidence=args.confidence,
                                max_iterations=args.max_iterations,
                                on_step=_progress if sys.stderr.isatty() else None)
        finally:
            backend.close()
        if sys.stderr.isatty():
            print(file=sys.stderr)
        wall = time.perf_counter() - started
        if profit:
            staff_profit.write_outputs(out, found, args, scenario, targets, wall)
        else:
            write_outputs(out, result, args, scenario, targets, wall)
    if profit:
        staff_profit.report(found, args, scenario, wall, out)
        return 0 if found.status == "optimum" else 1
    _report(result, args, scenario, targets, wall, out)
    return 0 if result.status == "met" else 1


def _report(result: SearchResult, args: argparse.Namespace, scenario: Scenario,
            targets: list[Target], wall_s: float, out: Path) -> None:
    print(f"{scenario.name}: staffing for {', '.join(t.text for t in targets)} "
          f"({args.reps} replications, seed {args.seed})")
    print(format_table(result, targets, args.confidence))
    print(f"\n{result.status}: {result.message}")
    n = len(result.history)
    print(f"{n} iteration{'s' if n != 1 else ''} (simulated schedules) in {wall_s:.1f} s")
    if _replaces_roles(scenario):
        print("note: the schedule uses pooled staff (both) only; the config's counter and "
              "phone staff are replaced")
    print("\nschedule (paste into the scenario file):\n")
    print(_snippet(result, args))
    print(f"wrote {out}/ (staffing.csv, schedule.toml, manifest.json)")
    if result.status != "met":
        print(f"error: staff: {result.message}", file=sys.stderr)
