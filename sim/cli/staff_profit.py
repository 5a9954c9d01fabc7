"""``countersim staff CONFIG --objective net_value``: the pooled staff per slot with the
highest expected net value, subject to the ``--target`` s given (the search itself is
:mod:`sim.staffing.profit`).

Writes ``staffing.csv`` (per slot: staff, start, walkout rate, targets, and the net value
gained by one staff member more or fewer there), ``schedule.toml`` (the ``[staff]`` table
to paste into the scenario file), ``scenario.toml`` (the whole scenario with that schedule,
runnable by ``countersim run``), ``schedules.csv`` (every schedule evaluated: staff hours, walkouts,
lost lifetime value, net value, feasibility, Pareto fronts, the chosen one),
``neighbours.csv`` (the chosen schedule against each neighbour), ``figures/tradeoff.png``
and ``manifest.json``.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path

from sim.cli.check import scenario_toml
from sim.config.schema import Scenario
from sim.errors import UserInputError
from sim.execution.backends import Backend
from sim.execution.runner import iter_replications
from sim.plots.tradeoff import tradeoff_figure
from sim.results.store import read_csv, write_atomic, write_csv, write_manifest
from sim.staffing.profit import (
    Candidate,
    ProfitResult,
    Replication,
    SimulateRuns,
    pareto_front,
    profit_search,
)
from sim.staffing.schedule import initial_staff, schedule_blocks, schedule_toml, with_schedule
from sim.staffing.slots import Slot, staffing_slots
from sim.staffing.targets import Target, parse_target

START_TARGET = "walkout_rate<=0.05"
"""The Erlang-A start's target when none is given (the start only; not a constraint)."""


def simulator(args: argparse.Namespace, backend: Backend) -> SimulateRuns:
    """The replications asked for at ``--seed`` (common random numbers): metrics and
    contact rows of each, in replication order."""

    def simulate(scenario: Scenario, replications: Sequence[int]) -> list[Replication]:
        results = iter_replications(scenario, args.seed, list(replications), args.jobs,
                                    keep_contacts=True, backend=backend)
        return [(r.metrics, r.contacts) for r in sorted(results, key=lambda r: r.replication)]

    return simulate


def start_staff(text: str | None, scenario: Scenario, slots: list[Slot],
                targets: list[Target]) -> list[int]:
    """The start: ``--start N`` (N in every slot), ``--start n1,n2,...`` (one count per
    slot) or, without it, the Erlang-A schedule for the targets (or
    :data:`START_TARGET`). Raises :class:`UserInputError` for a bad ``--start``."""
    if text is None:
        return initial_staff(scenario, slots, targets or [parse_target(START_TARGET)])
    parts = [p.strip() for p in text.split(",")]
    if not all(p.isdigit() for p in parts) or not parts:
        raise UserInputError(f"--start {text!r}: give staff counts (whole numbers ≥ 0), one "
                             f"for every slot or one for all {len(slots)} slots, e.g. "
                             f"--start 4 or --start {','.join(['4'] * min(len(slots), 3))},...")
    counts = [int(p) for p in parts]
    if len(counts) == 1:
        return counts * len(slots)
    if len(counts) != len(slots):
        raise UserInputError(f"--start {text!r}: {len(counts)} counts for {len(slots)} slots "
                             f"({slots[0].label} to {slots[-1].label}); give one per slot or "
                             "one for all")
    return counts


def run_search(args: argparse.Namespace, scenario: Scenario, targets: list[Target],
               backend: Backend) -> ProfitResult:
    """The search from ``--start`` (or Erlang-A), as the command line asks."""
    slots = staffing_slots(scenario, args.slot_minutes)
    start = start_staff(args.start, scenario, slots, targets)

    def progress(c: Candidate) -> None:
        print(f"\rschedule {c.iteration}: net value {c.mean('net_value'):,.0f} ", end="",
              file=sys.stderr)

    return profit_search(scenario, slots, targets, simulator(args, backend), start,
                         reps=args.reps, max_reps=args.max_reps, confidence=args.confidence,
                         max_iterations=args.max_iterations,
                         on_step=progress if sys.stderr.isatty() else None)


# ------------------------------------------------------------------------------ tables


def _staff_text(staff: tuple[int, ...]) -> str:
    return " ".join(str(n) for n in staff)


def schedule_rows(result: ProfitResult) -> list[dict[str, object]]:
    """``schedules.csv``: every schedule evaluated, with its means, standard errors,
    feasibility, Pareto flags (staff hours vs walkouts, vs lost value) and the chosen one."""
    evaluated = result.evaluated
    hours = [c.mean("staff_hours") for c in evaluated]
    walk = pareto_front(list(zip(hours, [c.mean("walkout_rate") for c in evaluated],
                                 strict=True)))
    lost = pareto_front(list(zip(hours, [c.mean("lost_clv") for c in evaluated], strict=True)))
    rows: list[dict[str, object]] = []
    for c, on_walk, on_lost in zip(evaluated, walk, lost, strict=True):
        row: dict[str, object] = {"iteration": c.iteration, "staff": _staff_text(c.staff)}
        for m in ("staff_hours", "walkout_rate", "walkouts", "lost_clv", "staff_cost",
                  "revenue", "net_value"):
            row[m] = c.mean(m)
        row["net_value_se"] = c.se("net_value")
        row.update(feasible=c.feasible, chosen=c.staff == result.chosen.staff,
                   pareto_walkouts=on_walk, pareto_lost_clv=on_lost)
        rows.append(row)
    return rows


SCHEDULE_COLUMNS = ["iteration", "staff", "staff_hours", "walkout_rate", "walkouts", "lost_clv",
                    "staff_cost", "revenue", "net_value", "net_value_se", "feasible", "chosen",
                    "pareto_walkouts", "pareto_lost_clv"]
NEIGHBOUR_COLUMNS = ["slot", "change", "staff", "feasible", "net_value", "chosen_minus_neighbour",
                     "se", "ci_low", "ci_high", "p_value", "confidence_chosen_better"]


def neighbour_rows(result: ProfitResult, slots: list[Slot]) -> list[dict[str, object]]:
    """``neighbours.csv``: the chosen schedule against each neighbour (chosen − neighbour
    net value, Bonferroni-adjusted interval, one-sided p-value of "chosen is better")."""
    rows: list[dict[str, object]] = []
    for n in result.neighbours:
        c = n.comparison
        rows.append({
            "slot": slots[n.slot].label, "change": f"{n.change:+d}",
            "staff": _staff_text(n.candidate.staff), "feasible": n.candidate.feasible,
            "net_value": n.candidate.mean("net_value"),
            "chosen_minus_neighbour": c.mean if c else math.nan, "se": c.se if c else math.nan,
            "ci_low": c.low if c else math.nan, "ci_high": c.high if c else math.nan,
            "p_value": c.p_value if c else math.nan,
            "confidence_chosen_better": 1.0 - c.p_value if c else math.nan})
    return rows


def slot_rows(result: ProfitResult, slots: list[Slot]) -> list[dict[str, object]]:
    """``staffing.csv``: per slot, the chosen staff, the start, the mean walkout rate, each
    target's mean, bound and verdict, and the net value a neighbour there would gain
    (neighbour − chosen: mean and Bonferroni interval; NaN where it misses a target)."""
    chosen = result.chosen
    rows: list[dict[str, object]] = []
    for i, (slot, result_slot) in enumerate(zip(slots, chosen.evaluation.slots, strict=True)):
        row: dict[str, object] = {"slot_start": slot.label[:5], "slot_end": slot.label[6:],
                                  "measured": slot.measured, "staff": chosen.staff[i],
                                  "start_staff": result.start[i],
                                  "walkout_rate": chosen.slot_walkout_rate[i]}
        for check in result_slot.checks:
            m = check.target.metric
            row.update({f"{m}_mean": check.mean, f"{m}_bound": check.bound,
                        f"{m}_pass": check.passed})
        for change, name in ((1, "plus_one"), (-1, "minus_one")):
            n = next((n for n in result.neighbours if n.slot == i and n.change == change), None)
            c = n.comparison if n else None
            row.update({f"gain_{name}": -c.mean if c else math.nan,
                        f"gain_{name}_low": -c.high if c else math.nan,
                        f"gain_{name}_high": -c.low if c else math.nan})
        rows.append(row)
    return rows


def slot_columns(targets: list[Target]) -> list[str]:
    """The columns of ``staffing.csv``."""
    per = [f"{t.metric}_{k}" for t in targets for k in ("mean", "bound", "pass")]
    gains = [f"gain_{n}{s}" for n in ("plus_one", "minus_one") for s in ("", "_low", "_high")]
    return ["slot_start", "slot_end", "measured", "staff", "start_staff", "walkout_rate",
            *per, *gains]


# ------------------------------------------------------------------------------ output


def snippet(result: ProfitResult, slots: list[Slot], args: argparse.Namespace) -> str:
    """``schedule.toml``: the chosen schedule as a ``[staff]`` table, with a comment."""
    fresh, fresh_se = result.confirmed_net_value
    comment = (f"countersim staff {args.config} --objective net_value ({args.reps} "
               f"replications, seed {args.seed}): net value {fresh:.0f} ± {fresh_se:.0f} (SE) "
               f"money units per day on {len(result.confirmed)} fresh replications; "
               f"{result.status}")
    return schedule_toml(schedule_blocks(slots, result.chosen.staff), comment)


def write_outputs(out: Path, result: ProfitResult, args: argparse.Namespace,
                  scenario: Scenario, targets: list[Target], wall_s: float) -> None:
    """Every file of the results folder (each written atomically)."""
    slots = [s.slot for s in result.chosen.evaluation.slots]
    write_csv(out / "staffing.csv", slot_rows(result, slots), slot_columns(targets))
    write_atomic(out / "schedule.toml", snippet(result, slots, args))
    write_atomic(out / "scenario.toml", scenario_toml(
        with_schedule(scenario, schedule_blocks(slots, result.chosen.staff))))
    write_csv(out / "schedules.csv", schedule_rows(result), SCHEDULE_COLUMNS)
    write_csv(out / "neighbours.csv", neighbour_rows(result, slots), NEIGHBOUR_COLUMNS)
    tradeoff_figure(read_csv(out / "schedules.csv"), out / "figures" / "tradeoff.png",
                    f"{scenario.name}: every schedule evaluated ({args.reps} replications "
                    "each, common random numbers)")
    blocks = schedule_blocks(slots, result.chosen.staff)
    c = result.chosen
    write_manifest(out / "manifest.json", {
        "command": "countersim " + " ".join(sys.argv[1:]), "objective": "net_value",
        "config": str(args.config), "scenario_name": scenario.name, "seed": args.seed,
        "reps": args.reps, "jobs": args.jobs, "confidence": args.confidence,
        "targets": [t.text for t in targets], "overrides": args.overrides,
        "start": list(result.start), "status": result.status, "message": result.message,
        "rounds": result.rounds, "schedules_evaluated": len(result.evaluated),
        "net_value_mean": c.mean("net_value"), "net_value_se": c.se("net_value"),
        "net_value_confirmed": dict(zip(("mean", "se"), result.confirmed_net_value,
                                        strict=True)) | {"reps": len(result.confirmed)},
        "joint_confidence_beats_every_neighbour": result.joint_confidence,
        "schedule": [b.model_dump(mode="json") for b in blocks],
        "warnings": list(getattr(args, "warnings", ())), "wall_time_s": round(wall_s, 3),
        "scenario": with_schedule(scenario, blocks).model_dump(mode="json"),
    })


def report(result: ProfitResult, args: argparse.Namespace, scenario: Scenario,
           wall_s: float, out: Path) -> None:
    """Print the per-slot table, the verdict, the schedule and where the files are."""
    slots = [s.slot for s in result.chosen.evaluation.slots]
    c = result.chosen
    print(f"{scenario.name}: staffing for the highest net value ({args.reps} replications, "
          f"seed {args.seed}, common random numbers)")
    print(f"{'slot':<13}{'staff':>6}{'start':>6}{'walkouts':>10}   net value gained by one "
          "staff member more | fewer (mean [Bonferroni CI])")
    for row in slot_rows(result, slots):
        print(f"{row['slot_start']}-{row['slot_end']}  {row['staff']:>5}{row['start_staff']:>6}"
              f"{_pct(row['walkout_rate']):>10}   {_gain(row, 'plus_one'):<24}| "
              f"{_gain(row, 'minus_one')}")
    print(f"\n{result.status}: {result.message}")
    fresh, fresh_se = result.confirmed_net_value
    print(f"net value {fresh:,.0f} ± {fresh_se:,.0f} (SE) money units per day on "
          f"{len(result.confirmed)} fresh replications (in the search: "
          f"{c.mean('net_value'):,.0f} ± {c.se('net_value'):,.0f}, biased upward by picking the "
          f"best of many noisy estimates); staff cost {c.mean('staff_cost'):,.0f}; "
          f"{c.mean('staff_hours'):.1f} paid staff hours; walkout rate "
          f"{c.mean('walkout_rate'):.1%}")
    compared = [n.comparison for n in result.neighbours if n.comparison is not None]
    if compared:
        sure = sum(p.p_value <= 1.0 - args.confidence for p in compared)
        print(f"it beats {sure} of its {len(compared)} feasible neighbours with "
              f"{args.confidence:.0%} confidence each (one-sided paired t); confidence that "
              f"it beats every neighbour at once (Bonferroni): at least "
              f"{result.joint_confidence:.0%} (neighbours.csv)")
    print(f"{len(result.evaluated)} schedules simulated in {result.rounds} rounds, "
          f"{wall_s:.1f} s")
    print("\nschedule (paste into the scenario file):\n")
    print(snippet(result, slots, args))
    print(f"wrote {out}/ (staffing.csv, schedule.toml, scenario.toml: runnable by countersim "
          "run, schedules.csv, neighbours.csv, figures/tradeoff.png, manifest.json)")


def _pct(value: object) -> str:
    v = float(str(value))
    return "-" if math.isnan(v) else f"{v:.1%}"


def _gain(row: dict[str, object], name: str) -> str:
    mean = float(str(row[f"gain_{name}"]))
    if math.isnan(mean):
        return "-"
    low, high = float(str(row[f"gain_{name}_low"])), float(str(row[f"gain_{name}_high"]))
    return f"{mean:+,.0f} [{low:+,.0f}, {high:+,.0f}]"
