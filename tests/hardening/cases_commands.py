"""Cases: every subcommand (``sweep plot compare staff check theory`` and a bare
``python -m sim``) with bad arguments and inputs; ``run`` is covered by the other modules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.hardening.checks import (
    copy_prepared,
    folder,
    new_file_written,
    refusal_mentions_any,
    says_on_success,
)
from tests.hardening.configs import config, erlang_text, pooled_text, small_text
from tests.hardening.harness import ANY, OK, REFUSE, WARN, Case, Outcome, Sandbox, Setup
from tests.hardening.harness import Check as CheckFn

SUB = "subcommands"

# ---------------------------------------------------------------------------- prepared runs

RUN3 = ("run", "c.toml", "--reps", "3", "--out", "{out}")


def run_folder(dest: str, kind: str = "a", edit: Callable[[Path], None] | None = None) -> Setup:
    """A ``countersim run`` folder at ``dest``: ``a`` (pooled, 3 replications, seed 1),
    ``b`` (the same with greet_first), ``five`` (5 replications), ``seed2`` (seed 2),
    ``other`` (an unrelated scenario, the Erlang-A validation config cut to an hour, same
    seed), ``sweep`` (a sweep folder)."""
    pooled = pooled_text()
    made: dict[str, tuple[str, tuple[str, ...]]] = {
        "a": (pooled, RUN3),
        "b": (pooled, (*RUN3, "--set", "acknowledgment.policy=greet_first")),
        "five": (pooled, ("run", "c.toml", "--reps", "5", "--out", "{out}")),
        "seed2": (pooled, (*RUN3, "--seed", "2")),
        "other": (erlang_text(), RUN3),
        "sweep": (pooled, ("sweep", "c.toml", "--reps", "1", "--no-figures", "--factor",
                           "staff=1,2", "--out", "{out}")),
    }
    text, args = made[kind]
    return copy_prepared(dest, kind, text, args, edit)


def _edit_csv(transform: Callable[[list[str]], list[str]]) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / "replications.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join(transform(lines)) + "\n", encoding="utf-8")

    return edit


def _corrupt_cell(lines: list[str]) -> list[str]:
    header = lines[0].split(",")
    column = header.index("walkout_rate")
    row = lines[1].split(",")
    row[column] = "abc"
    return [lines[0], ",".join(row), *lines[2:]]


def _drop_first_column(lines: list[str]) -> list[str]:
    return [line.split(",", 1)[1] for line in lines]


def _truncate_row(lines: list[str]) -> list[str]:
    return [*lines[:-1], lines[-1][: len(lines[-1]) // 2]]


def _write(name: str, data: bytes) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        (folder / name).write_bytes(data)

    return edit


def _remove(name: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        (folder / name).unlink()

    return edit


def _chain(*setups: Setup) -> Setup:
    def setup(sandbox: Sandbox) -> None:
        for step in setups:
            step(sandbox)

    return setup


# ---------------------------------------------------------------------------- sweep

SWEEP = ("sweep", "c.toml", "--reps", "1", "--no-figures", "--out", "out")


def sweep(id: str, *extra: str, expect: str = REFUSE, text: str | None = None,
          base: tuple[str, ...] = SWEEP, **kw: Any) -> Case:
    """``countersim sweep`` on the pooled small scenario."""
    files = {"c.toml": text or pooled_text(), **kw.pop("files", {})}
    return Case(id, SUB, ("sweep", *base[1:], *extra) if base else extra, files=files,
                expect=expect, **kw)


def sweep_cases() -> list[Case]:
    """``countersim sweep`` with bad factors, names, folders and resumes."""
    from tests.hardening.checks import levels_differ

    no_out = ("sweep", "c.toml", "--reps", "1", "--no-figures")
    levels = ",".join(f"{i / 10:g}" for i in range(60))
    return [
        sweep("sweep_ok", "--factor", "staff=1,2", expect=OK),
        sweep("sweep_without_factor", expect=ANY),
        sweep("sweep_factor_without_equals", "--factor", "staff", mention=("--factor",)),
        sweep("sweep_factor_no_levels", "--factor", "staff=", mention=("--factor",)),
        sweep("sweep_factor_staff_zero", "--factor", "staff=0", mention=("--factor",)),
        sweep("sweep_factor_staff_word", "--factor", "staff=abc", mention=("--factor",)),
        sweep("sweep_factor_staff_repeated", "--factor", "staff=3,3", mention=("--factor",)),
        sweep("sweep_factor_staff_negative", "--factor", "staff=-1", mention=("--factor",)),
        sweep("sweep_factor_staff_100000", "--factor", "staff=100000", expect=ANY,
              note="hang"),
        sweep("sweep_factor_unknown_key", "--factor", "nokey=1,2", mention=("nokey",)),
        sweep("sweep_factor_bad_level", "--factor", "acknowledgment.policy=finish_first,nope",
              mention=("acknowledgment.policy", "nope")),
        sweep("sweep_factor_empty_key", "--factor", "=1,2", mention=("--factor",)),
        sweep("sweep_factor_empty_level", "--factor", "acknowledgment.target_s=10,,20",
              mention=("--factor",)),
        sweep("sweep_factor_and_set_same_key", "--factor", "staff=1,2", "--set",
              "staff.both=2", mention=("staff",)),
        sweep("sweep_factor_twice", "--factor", "staff=1,2", "--factor", "staff=3",
              mention=("staff",)),
        sweep("sweep_factor_60_levels", "--factor", f"distractions.rate_multiplier={levels}",
              expect=ANY, timeout=20),
        sweep("sweep_factor_inline_tables", "--factor",
              'demand.walk_in.service={dist="exponential",mean_s=60},'
              '{dist="exponential",mean_s=120}', expect=OK),
        sweep("sweep_baseline_unknown", "--factor", "staff=1,2", "--baseline", "staff=7",
              mention=("--baseline",)),
        sweep("sweep_baseline_without_factor", "--baseline", "staff=1", mention=("--baseline",)),
        sweep("sweep_metric_unknown", "--factor", "staff=1,2", "--metric", "nope",
              mention=("nope",)),
        sweep("sweep_name_traversal", "--name", "../x", base=no_out, mention=("--name",)),
        sweep("sweep_name_empty", "--name", "", base=no_out, mention=("--name",)),
        sweep("sweep_name_newline", "--name", "a\nb", base=no_out, mention=("--name",)),
        sweep("sweep_resume_nothing_saved", "--resume", base=no_out, mention=("--resume",)),
        sweep("sweep_resume_missing_folder", "--resume", "--out", "nowhere", base=no_out,
              mention=("nowhere",)),
        sweep("sweep_resume_a_run_folder", "--resume", "--out", "runs/a", base=no_out,
              setup=run_folder("runs/a"), mention=("runs/a",)),
        sweep("sweep_out_non_empty", "--out", "full", "--factor", "staff=1,2", base=no_out,
              setup=folder("full", "keep.txt"), mention=("full",)),
        sweep("sweep_reps_zero", "--reps", "0", mention=("--reps",)),
        sweep("sweep_jobs_1000", "--factor", "staff=1,2", "--reps", "2", "--jobs", "1000",
              expect=ANY),
        sweep("sweep_cluster_empty", "--factor", "staff=1,2", "--cluster", "",
              mention=("--cluster",)),
        sweep("sweep_staff_both_levels_with_schedule", "--factor", "staff.both=3,6",
              text=small_text(), expect=ANY, checks=(levels_differ("staff.both"),),
              mention=("staff.both", "staff.schedule")),
        sweep("sweep_overtake_levels_under_fifo", "--factor",
              "discipline.overtake_probability=0.1,0.9", expect=ANY,
              checks=(levels_differ("discipline.overtake_probability"),),
              mention=("discipline.policy",)),
        sweep("sweep_staff_levels_take_effect", "--factor", "staff=2,3", text=small_text(),
              expect=OK, checks=(levels_differ("staff"),)),
    ]


# ---------------------------------------------------------------------------- plot


def plot(id: str, target: str, expect: str = REFUSE, **kw: Any) -> Case:
    """``countersim plot TARGET``."""
    return Case(id, SUB, ("plot", target), expect=expect, allowed=("runs",), **kw)


def plot_cases() -> list[Case]:
    """``countersim plot`` on missing, empty, corrupt and valid folders."""
    return [
        plot("plot_missing_folder", "nowhere", mention=("nowhere",)),
        plot("plot_a_file", "f.txt", files={"f.txt": "x\n"}, mention=("f.txt",)),
        plot("plot_empty_folder", "empty", setup=folder("empty"), mention=("empty",)),
        plot("plot_corrupt_replications", "runs/a",
             setup=run_folder("runs/a", edit=_write("replications.csv", bytes(range(256)))),
             mention=("replications.csv",), note="says 'nothing written' and exits 0"),
        plot("plot_garbage_text_tables", "runs/a",
             setup=run_folder("runs/a", edit=_write("replications.csv", b"x,y\n1,2\n")),
             mention=("replications.csv",), note="'nothing written', exit 0"),
        plot("plot_truncated_replications", "runs/a",
             setup=run_folder("runs/a", edit=_edit_csv(_truncate_row)), expect=ANY),
        plot("plot_manifest_not_json", "runs/a",
             setup=run_folder("runs/a", edit=_write("manifest.json", b"{oops")),
             mention=("manifest.json",)),
        plot("plot_manifest_a_list", "runs/a",
             setup=run_folder("runs/a", edit=_write("manifest.json", b"[]")),
             mention=("manifest.json",)),
        plot("plot_manifest_only", "runs/a",
             setup=run_folder("runs/a", edit=_remove("replications.csv")),
             mention=("replications.csv",)),
        plot("plot_sweep_folder", "runs/s", setup=run_folder("runs/s", "sweep"), expect=OK,
             timeout=30),
        Case("plot_extra_argument", SUB, ("plot", "a", "b"), expect=REFUSE),
    ]


# ---------------------------------------------------------------------------- compare


def compare(id: str, *args: str, expect: str = REFUSE, **kw: Any) -> Case:
    """``countersim compare ARGS`` (run folders under ``runs/``)."""
    return Case(id, SUB, ("compare", *args), expect=expect, allowed=("runs",), **kw)


def compare_cases() -> list[Case]:
    """``countersim compare``: identical, unrelated, unequal, corrupt and missing runs."""
    ab = _chain(run_folder("runs/a"), run_folder("runs/b", "b"))
    return [
        compare("compare_two_policies", "runs/a", "runs/b", setup=ab, expect=OK,
                checks=(new_file_written,), note="prints verdicts but saves nothing"),
        compare("compare_run_with_itself", "runs/a", "runs/a", setup=run_folder("runs/a"),
                mention=("runs/a",)),
        compare("compare_identical_copies", "runs/a", "runs/a2",
                setup=_chain(run_folder("runs/a"), run_folder("runs/a2"))),
        compare("compare_unrelated_runs", "runs/a", "runs/o",
                setup=_chain(run_folder("runs/a"), run_folder("runs/o", "other"))),
        compare("compare_unequal_replications", "runs/five", "runs/b",
                setup=_chain(run_folder("runs/five", "five"), run_folder("runs/b", "b")),
                expect=WARN),
        compare("compare_different_seeds", "runs/a", "runs/s",
                setup=_chain(run_folder("runs/a"), run_folder("runs/s", "seed2")),
                mention=("seed",)),
        compare("compare_missing_folder", "runs/a", "runs/none", setup=run_folder("runs/a"),
                mention=("runs/none",)),
        compare("compare_a_sweep_folder", "runs/a", "runs/s",
                setup=_chain(run_folder("runs/a"), run_folder("runs/s", "sweep")),
                mention=("runs/s",)),
        compare("compare_a_file", "runs/a", "f.txt", setup=run_folder("runs/a"),
                files={"f.txt": "x\n"}, mention=("f.txt",)),
        compare("compare_corrupt_cell", "runs/a", "runs/b",
                setup=_chain(run_folder("runs/a"),
                             run_folder("runs/b", "b", _edit_csv(_corrupt_cell))),
                mention=("runs/b",)),
        compare("compare_missing_replication_column", "runs/a", "runs/b",
                setup=_chain(run_folder("runs/a"),
                             run_folder("runs/b", "b", _edit_csv(_drop_first_column))),
                mention=("replication",)),
        compare("compare_header_only", "runs/a", "runs/b",
                setup=_chain(run_folder("runs/a"),
                             run_folder("runs/b", "b", _edit_csv(lambda lines: lines[:1]))),
                mention=("runs/b",)),
        compare("compare_binary_replications", "runs/a", "runs/b",
                setup=_chain(run_folder("runs/a"),
                             run_folder("runs/b", "b", _write("replications.csv",
                                                              bytes(range(256)) * 3))),
                mention=("runs/b",)),
        compare("compare_manifest_not_json", "runs/a", "runs/b",
                setup=_chain(run_folder("runs/a"),
                             run_folder("runs/b", "b", _write("manifest.json", b"{oops"))),
                mention=("manifest.json",)),
        compare("compare_manifest_a_list", "runs/a", "runs/b",
                setup=_chain(run_folder("runs/a"),
                             run_folder("runs/b", "b", _write("manifest.json", b"[1]"))),
                mention=("manifest.json",)),
        compare("compare_metric_unknown", "runs/a", "runs/b", "--metric", "nope", setup=ab,
                mention=("nope",)),
        compare("compare_metric_empty", "runs/a", "runs/b", "--metric", "", setup=ab),
        compare("compare_one_folder", "runs/a", setup=run_folder("runs/a")),
    ]


# ---------------------------------------------------------------------------- staff

TARGET = ("--target", "walkout_rate<=0.5")


def staff(id: str, *extra: str, expect: str = REFUSE, reps: str = "10",
          text: str | None = None, **kw: Any) -> Case:
    """``countersim staff`` on the pooled small scenario (2 iterations at most)."""
    args = ("staff", "c.toml", "--reps", reps, "--max-iterations", "2", "--out", "out",
            *extra)
    return Case(id, SUB, args, files={"c.toml": text or pooled_text()}, expect=expect,
                ok_codes=(0, 1), **kw)


def honest(*words: str) -> CheckFn:
    """Refused (naming the replications), or the output admits too few replications."""
    refused = refusal_mentions_any("--reps", "replications")
    success = says_on_success(*words)

    def check(case: Case, out: Outcome, sandbox: Sandbox) -> list[str]:
        return refused(case, out, sandbox) + success(case, out, sandbox)

    return check


def staff_cases() -> list[Case]:
    """``countersim staff`` with too few replications and bad targets and options."""
    enough = ("not enough replications",)
    return [
        staff("staff_ok", *TARGET, expect=OK, timeout=30),
        staff("staff_one_replication", *TARGET, reps="1", expect=ANY,
              checks=(honest(*enough),), note="every 95% target 'met'"),
        staff("staff_five_replications", *TARGET, reps="5", expect=ANY,
              checks=(honest(*enough),)),
        staff("staff_no_target", mention=("--target",)),
        staff("staff_net_value_ok", "--objective", "net_value", expect=OK, timeout=30),
        staff("staff_net_value_start_letters", "--objective", "net_value", "--start", "a,b",
              mention=("--start",)),
        staff("staff_net_value_start_negative", "--objective", "net_value", "--start", "-1",
              mention=("--start",)),
        staff("staff_net_value_start_too_many", "--objective", "net_value", "--start",
              ",".join(["2"] * 40), mention=("--start",)),
        staff("staff_start_without_net_value", *TARGET, "--start", "2", mention=("--start",)),
        staff("staff_objective_unknown", "--objective", "profit", mention=("--objective",)),
        staff("staff_net_value_negative_wage", "--objective", "net_value", "--set",
              "money.staff_cost_per_hour.both=-20",
              mention=("money.staff_cost_per_hour.both",)),
        staff("staff_max_reps_zero", "--objective", "net_value", "--max-reps", "0",
              mention=("--max-reps",)),
        staff("staff_target_bad_operator", "--target", "walkout_rate<0.05",
              mention=("walkout_rate",)),
        staff("staff_target_above_one", "--target", "walkout_rate<=2",
              mention=("walkout_rate",)),
        staff("staff_target_unknown_metric", "--target", "nope<=0.1", mention=("nope",)),
        staff("staff_target_nan", "--target", "walkout_rate<=nan", mention=("walkout_rate",)),
        staff("staff_target_wrong_direction", "--target", "walkout_rate>=0.05",
              mention=("walkout_rate",)),
        staff("staff_target_empty", "--target", ""),
        staff("staff_confidence_one", *TARGET, "--confidence", "1", mention=("--confidence",)),
        staff("staff_confidence_nan", *TARGET, "--confidence", "nan",
              mention=("--confidence",)),
        staff("staff_slot_minutes_zero", *TARGET, "--slot-minutes", "0",
              mention=("--slot-minutes",)),
        staff("staff_slot_minutes_7", *TARGET, "--slot-minutes", "7", expect=ANY, timeout=30),
        staff("staff_slot_minutes_huge", *TARGET, "--slot-minutes", "100000", expect=ANY),
        staff("staff_max_iterations_zero", *TARGET, "--max-iterations", "0",
              mention=("--max-iterations",)),
        staff("staff_jobs_1000", *TARGET, "--jobs", "1000", expect=ANY),
        staff("staff_cluster_empty", *TARGET, "--cluster", "", mention=("--cluster",)),
        staff("staff_closed_channels", *TARGET, expect=ANY,
              text=config({"demand.walk_in.rate_per_hour": 0.0,
                           "demand.phone.rate_per_hour": 0.0,
                           "demand.email.rate_per_hour": 0.0}, pooled=True)),
        staff("staff_out_non_empty", *TARGET, "--out", "full", setup=folder("full", "k.txt"),
              mention=("full",)),
    ]


# ---------------------------------------------------------------------------- check


def check_cases() -> list[Case]:
    """``countersim check`` with bad files and overrides."""
    return [
        Case("check_ok", SUB, ("check", "c.toml"), files={"c.toml": pooled_text()}, expect=OK),
        Case("check_missing_file", SUB, ("check", "no.toml"), expect=REFUSE, mention=("no.toml",)),
        Case("check_bad_set", SUB, ("check", "c.toml", "--set", "staff.both=x"),
             files={"c.toml": pooled_text()}, expect=REFUSE, mention=("staff.both",)),
        Case("check_dev_null", SUB, ("check", "/dev/null"), expect=ANY),
        Case("check_extra_argument", SUB, ("check", "c.toml", "more"),
             files={"c.toml": pooled_text()}, expect=REFUSE),
        Case("check_help", SUB, ("check", "--help"), expect=OK),
        Case("check_staff_both_with_schedule", SUB, ("check", "c.toml", "--set", "staff.both=4"),
             files={"c.toml": small_text()}, expect=REFUSE,
             mention=("staff.both", "staff.schedule")),
    ]


# ---------------------------------------------------------------------------- theory

A = ("theory", "erlang-a", "--arrivals-per-hour", "360", "--mean-service-s", "240",
     "--mean-patience-s", "120", "--servers", "25")
C = ("theory", "erlang-c", "--arrivals-per-hour", "100", "--mean-service-s", "120",
     "--servers", "4")
T = ("theory", "staff", "--arrivals-per-hour", "360", "--mean-service-s", "240",
     "--mean-patience-s", "120")


def _with(base: tuple[str, ...], option: str, value: str | None) -> tuple[str, ...]:
    """``base`` with ``option`` set to ``value`` (None: dropped)."""
    out: list[str] = []
    skip = False
    for a in base:
        if skip:
            skip = False
            continue
        if a == option:
            skip = True
            if value is not None:
                out += [a, value]
            continue
        out.append(a)
    if option not in base and value is not None:
        out += [option, value]
    return tuple(out)


def theory(id: str, args: tuple[str, ...], expect: str = REFUSE, **kw: Any) -> Case:
    """``countersim theory ...``."""
    return Case(id, SUB, args, expect=expect, **kw)


def theory_cases() -> list[Case]:
    """``countersim theory`` with missing, zero, NaN, infinite and huge values."""
    arr, svc, pat, srv = ("--arrivals-per-hour", "--mean-service-s", "--mean-patience-s",
                          "--servers")
    cases = [
        theory("theory_erlang_a_ok", A, OK),
        theory("theory_erlang_c_ok", C, OK),
        theory("theory_staff_ok", (*T, "--max-abandon", "5%"), OK),
        theory("theory_no_subcommand", ("theory",), mention=("erlang-a",)),
        theory("theory_unknown_subcommand", ("theory", "erlang-x")),
        theory("theory_missing_servers", _with(A, srv, None), mention=(srv,)),
        theory("theory_missing_arrivals", _with(A, arr, None), mention=(arr,)),
        theory("theory_erlang_c_overloaded", _with(C, srv, "3"), mention=(srv,)),
        theory("theory_staff_without_target", T, mention=("--max-abandon",)),
        theory("theory_staff_max_abandon_zero", (*T, "--max-abandon", "0"), ANY,
               note="OverflowError traceback"),
        theory("theory_staff_max_abandon_zero_percent", (*T, "--max-abandon", "0%"), ANY),
        theory("theory_staff_max_abandon_150_percent", (*T, "--max-abandon", "150%"),
               mention=("--max-abandon",)),
        theory("theory_staff_max_abandon_word", (*T, "--max-abandon", "abc"),
               mention=("--max-abandon",)),
        theory("theory_staff_max_abandon_nan", (*T, "--max-abandon", "nan"),
               mention=("--max-abandon",)),
        theory("theory_staff_service_level_one", (*T, "--min-service-level", "1"), ANY),
        theory("theory_staff_service_level_above_one", (*T, "--min-service-level", "1.01"),
               mention=("--min-service-level",)),
        theory("theory_staff_max_servers_zero", (*T, "--max-abandon", "5%", "--max-servers",
                                                 "0"), mention=("--max-servers",)),
        theory("theory_staff_max_servers_billion", (*T, "--max-abandon", "1e-12",
                                                    "--max-servers", "1000000000"), ANY),
        theory("theory_erlang_a_arrivals_1e9", _with(A, arr, "1e9"), ANY,
               avoid=("abandonment rate too small",)),
        theory("theory_erlang_a_servers_1e9", _with(A, srv, "1e9"), ANY),
        theory("theory_erlang_a_huge_everything", _with(_with(A, arr, "1e12"), srv, "1e9"),
               ANY),
        theory("theory_erlang_c_servers_1e7", _with(_with(C, srv, "10000000"), arr, "1e8"),
               ANY),
        theory("theory_erlang_a_patience_inf", _with(A, pat, "inf"), ANY),
        theory("theory_erlang_a_patience_tiny", _with(A, pat, "1e-300"), ANY),
        theory("theory_erlang_a_service_huge", _with(A, svc, "1e308"), ANY),
    ]
    bad = {arr: ("nan", "inf", "-1", "abc", ""), svc: ("0", "inf", "nan", "-5"),
           pat: ("0", "nan", "-1"), srv: ("0", "1.5", "abc", "nan", "inf", "-3"),
           "--target-s": ("nan", "-1", "inf")}
    for option, values in bad.items():
        for v in values:
            cases.append(theory(f"theory_erlang_a{option.replace('-', '_')}={v or 'empty'}",
                                _with(A, option, v), mention=(option,)))
    return cases


# ---------------------------------------------------------------------------- bare


def lists_commands(case: Case, out: Outcome, sandbox: Sandbox) -> list[str]:
    """The one line names the commands (a usage line for a bare ``countersim``)."""
    text = out.stderr
    missing = [c for c in ("run", "sweep", "theory") if c not in text]
    return [f"message: no usage: the line does not list the commands ({missing})"] \
        if missing else []


def bare_cases() -> list[Case]:
    """``python -m sim`` with nothing, a wrong command, ``--help``."""
    return [
        Case("python_m_sim_bare", SUB, (), program="subprocess", expect=REFUSE,
             checks=(lists_commands,), note="no usage line"),
        Case("python_m_sim_unknown_command", SUB, ("nosuch",), program="module",
             expect=REFUSE, mention=("nosuch",)),
        Case("python_m_sim_help", SUB, ("--help",), program="module", expect=OK),
        Case("python_m_sim_run_without_config", SUB, ("run",), program="module",
             expect=REFUSE, mention=("config",)),
        Case("python_m_sim_sweep_without_config", SUB, ("sweep",), program="module",
             expect=REFUSE),
        Case("python_m_sim_dash_dash_only", SUB, ("--",), program="module", expect=REFUSE),
        Case("python_m_sim_run_help", SUB, ("run", "--help"), program="module", expect=OK),
        Case("python_m_sim_run_bad_option_subprocess", SUB, ("run", "c.toml", "--reps", "0"),
             program="subprocess", files={"c.toml": pooled_text()}, expect=REFUSE,
             mention=("--reps",)),
    ]


def all_cases() -> list[Case]:
    """Every case of this module."""
    return (sweep_cases() + plot_cases() + compare_cases() + staff_cases() + check_cases()
            + theory_cases() + bare_cases())
