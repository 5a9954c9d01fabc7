"""Cases: ``countersim fit`` and ``countersim validate`` with bad logs, formats, options,
scenarios and output folders (the contact logs are built from the test data of
``tests/calibration/data``; ``validate`` checks the scenario ``fit`` writes for the synthetic
log). The cases that need more than a command line (a read-only folder, an interrupt, a
clean environment) are in ``test_calibration_runs.py``."""

from __future__ import annotations

import csv
import functools
import io
import shutil
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tests.hardening.checks import (
    copy_prepared,
    folder,
    prepared,
    says_on_success,
    warnings_once,
)
from tests.hardening.harness import (
    ANY,
    OK,
    REFUSE,
    WARN,
    Case,
    Outcome,
    Sandbox,
    Setup,
    error_lines,
)
from tests.helpers import REPO

CATEGORY = "calibration"
DATA = REPO / "tests" / "calibration" / "data"
FIT_TIMEOUT_S = 60.0
"""A fit of the synthetic log takes a few seconds (bootstraps); generous on a shared host."""

# ---------------------------------------------------------------------------- logs


@functools.cache
def data_text(name: str) -> str:
    """A test data file of ``tests/calibration/data`` as text."""
    return (DATA / name).read_text(encoding="utf-8")


def _rows() -> tuple[list[str], list[list[str]]]:
    """Header and rows of the synthetic contacts log (597 contacts on three days)."""
    header, *rows = list(csv.reader(io.StringIO(data_text("synthetic_contacts.csv"))))
    return header, rows


def _csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def log_where(keep: Callable[[dict[str, str]], bool]) -> str:
    """The synthetic log with only the rows ``keep`` (column -> value) accepts."""
    header, rows = _rows()
    return _csv(header, [r for r in rows if keep(dict(zip(header, r, strict=True)))])


def log_edited(edit: Callable[[int, list[str], list[str]], list[str]]) -> str:
    """The synthetic log with every row (number from 0, header, row) replaced by ``edit``'s."""
    header, rows = _rows()
    return _csv(header, [edit(i, header, list(r)) for i, r in enumerate(rows)])


def _set(header: list[str], row: list[str], column: str, value: str) -> list[str]:
    row[header.index(column)] = value
    return row


def _dirty_every_20th(i: int, header: list[str], row: list[str]) -> list[str]:
    """Three kinds of dirty row, one row in 20 (30 of 597): an unknown channel, a 30
    February, a priority that is not a number."""
    if i % 60 == 7:
        return _set(header, row, "channel", "pigeon")
    if i % 60 == 27:
        return _set(header, row, "arrival", "2024-02-30 10:00:00")
    if i % 60 == 47:
        return _set(header, row, "priority", "high")
    return row


def _all_dirty(i: int, header: list[str], row: list[str]) -> list[str]:
    return _set(header, row, "channel", "pigeon")


def _constant_service(i: int, header: list[str], row: list[str]) -> list[str]:
    """Every service exactly 120 s (a degenerate sample for the service families)."""
    start = row[header.index("service_start")]
    if start:
        end = datetime.fromisoformat(start) + timedelta(seconds=120)
        row = _set(header, row, "service_end", end.strftime("%Y-%m-%d %H:%M:%S"))
    return row


def _no_service_times(i: int, header: list[str], row: list[str]) -> list[str]:
    """Service start and end left empty (allowed: the contact still counts as an arrival)."""
    return _set(header, _set(header, row, "service_start", ""), "service_end", "")


def _first_day(row: dict[str, str]) -> bool:
    return row["arrival"].startswith("2024-03-04")


SYNTHETIC = "synthetic_contacts.csv"
HEADER = data_text(SYNTHETIC).splitlines()[0] + "\n"

# ---------------------------------------------------------------------------- checks


def wrote(*names: str) -> Callable[[Case, Outcome, Sandbox], list[str]]:
    """On success, the results folder (``--out``, else the one under ``results/``) holds
    ``names``."""

    def check(case: Case, out: Outcome, sandbox: Sandbox) -> list[str]:
        if out.code != 0:
            return []
        from tests.hardening.harness import out_folder

        given = out_folder(case, sandbox)
        roots = [given] if given is not None else sorted(
            p.parent for p in (sandbox.work / "results").glob("*/*/" + names[0]))
        if not roots:
            return [f"incomplete output: no results folder holding {names[0]}"]
        missing = [n for n in names if not (roots[0] / n).exists()]
        return [f"incomplete output: {roots[0].name}/ lacks {missing}"] if missing else []

    return check


def reports_dirty_rows(case: Case, out: Outcome, sandbox: Sandbox) -> list[str]:
    """On success, the output tells that rows were skipped, with their count."""
    if out.code != 0:
        return []
    text = out.stdout + out.stderr
    if "30" in text and any(w in text.lower() for w in ("skipped", "dirty")):
        return []
    return ["silent: 30 dirty rows skipped without saying how many"]


def clean_stderr(case: Case, out: Outcome, sandbox: Sandbox) -> list[str]:
    """Every stderr line is a ``warning:``, progress or ``error:`` line: no raw Python
    warning of a library (seen only in a real process: pytest records them in a fork)."""
    stray = [line for line in error_lines(out.stderr)[1] if not line.startswith("error:")]
    return [f"stray output: stderr line {stray[0][:160]!r}"] if stray else []


def default_folder(prefix: str) -> Callable[[Case, Outcome, Sandbox], list[str]]:
    """On success without ``--out``, every file written is under one
    ``results/<prefix><log name>/<stamp>/`` folder."""

    def check(case: Case, out: Outcome, sandbox: Sandbox) -> list[str]:
        if out.code != 0:
            return []
        results = sandbox.work / "results"
        tops = {(sandbox.root / p).relative_to(results).parts[:2] for p in out.changed
                if (sandbox.root / p).is_file() and (sandbox.root / p).is_relative_to(results)}
        bad = [t for t in tops if len(t) != 2 or not t[0].startswith(prefix)]
        if bad or len(tops) != 1:
            return [f"unsafe name: wrote into results/{sorted(tops)} (expected one "
                    f"results/{prefix}<log>/<stamp>/)"]
        return []

    return check


# ---------------------------------------------------------------------------- fit


def fit(id: str, *extra: str, log: str | bytes | None = None, expect: str = REFUSE,
        out: tuple[str, ...] = ("--out", "out"), **kw: Any) -> Case:
    """``countersim fit log.csv EXTRA --out out`` (``log``: its content, default the
    synthetic log)."""
    files = {"log.csv": data_text(SYNTHETIC) if log is None else log, **kw.pop("files", {})}
    kw.setdefault("timeout", FIT_TIMEOUT_S)
    return Case(id, CATEGORY, ("fit", "log.csv", *extra, *out), files=files, expect=expect,
                **kw)


def fit_cases() -> list[Case]:
    """``countersim fit`` on missing, empty, unrecognised, dirty and thin logs, with bad
    options and output folders."""
    no_out: tuple[str, ...] = ()
    contacts, bank, records = (data_text(SYNTHETIC), data_text("bank_sample.tsv"),
                               data_text("records_sample.csv"))
    ok = (warnings_once, wrote("scenario.toml", "report.md", "skipped_lines.csv"))
    return [
        fit("fit_ok", expect=OK, checks=ok),
        fit("fit_default_folder", out=no_out, expect=OK,
            checks=(default_folder("fit-log"), wrote("scenario.toml", "report.md"))),
        fit("fit_ok_real_process", program="subprocess", expect=OK, checks=(clean_stderr,),
            note="library warnings (Python's, not the fit's) reach the terminal"),
        fit("fit_records_sample_real_process", log=records, program="subprocess", expect=ANY,
            checks=(clean_stderr,)),
        fit("fit_slot_minutes_1440_real_process", "--slot-minutes", "1440",
            program="subprocess", expect=ANY, checks=(clean_stderr,)),
        fit("fit_help", "--help", out=no_out, expect=OK, timeout=10),
        Case("fit_missing_log", CATEGORY, ("fit", "nowhere.csv", "--out", "out"),
             expect=REFUSE, mention=("nowhere.csv",)),
        Case("fit_no_log", CATEGORY, ("fit", "--out", "out"), expect=REFUSE,
             mention=("LOG",)),
        Case("fit_log_is_a_folder", CATEGORY, ("fit", "logs", "--out", "out"),
             setup=folder("logs", "contacts.csv"), expect=REFUSE, mention=("logs", "folder")),
        Case("fit_log_dev_null", CATEGORY, ("fit", "/dev/null", "--out", "out"),
             expect=REFUSE, mention=("/dev/null",)),
        fit("fit_empty_log", log="", mention=("log.csv", "empty")),
        fit("fit_blank_lines_only", log="\n\n  \n", mention=("log.csv",)),
        fit("fit_header_only", log=HEADER, mention=("log.csv", "header")),
        fit("fit_unrecognised_header", log="a,b,c\n1,2,3\n", mention=("log.csv", "header")),
        fit("fit_binary_log", log=bytes(range(256)) * 40, mention=("log.csv",)),
        fit("fit_contacts_as_bank", "--format", "bank", log=contacts, mention=("bank",)),
        fit("fit_contacts_as_records", "--format", "records", log=contacts,
            mention=("records",)),
        fit("fit_bank_as_contacts", "--format", "contacts", log=bank, mention=("contacts",)),
        fit("fit_records_as_contacts", "--format", "contacts", log=records,
            mention=("contacts",)),
        fit("fit_records_as_bank", "--format", "bank", log=records, mention=("bank",)),
        fit("fit_format_unknown", "--format", "excel", mention=("--format", "excel")),
        fit("fit_bank_sample", log=bank, expect=ANY),
        fit("fit_records_sample", log=records, expect=ANY),
        fit("fit_every_row_dirty", log=log_edited(_all_dirty),
            mention=("log.csv", "pigeon", "line 2")),
        fit("fit_some_rows_dirty", log=log_edited(_dirty_every_20th), expect=OK,
            checks=(reports_dirty_rows, warnings_once, wrote("skipped_lines.csv"))),
        fit("fit_without_abandonments", log=log_where(lambda r: r["outcome"] != "abandoned"),
            expect=WARN, checks=(says_on_success("patience", "abandon"), warnings_once)),
        fit("fit_single_day", log=log_where(_first_day), expect=WARN,
            checks=(says_on_success("single day", "one day"), warnings_once)),
        fit("fit_constant_service_times", log=log_edited(_constant_service), expect=ANY),
        fit("fit_no_service_times", log=log_edited(_no_service_times), expect=ANY),
        fit("fit_only_email", log=log_where(lambda r: r["channel"] == "email"), expect=ANY),
        fit("fit_one_abandonment", log=log_where(lambda r: r["outcome"] != "abandoned"
                                                 or r["patron_id"] == "P006"), expect=ANY),
        fit("fit_bom_and_crlf", log=("\ufeff" + contacts).replace("\n", "\r\n").encode(),
            expect=OK),
        fit("fit_every_row_twice", log=contacts + contacts.split("\n", 1)[1], expect=WARN,
            checks=(says_on_success("copies"),)),
        fit("fit_only_abandoned", log=log_where(lambda r: r["outcome"] == "abandoned"),
            mention=("served",)),
        fit("fit_one_contact", log=log_where(lambda r: r["patron_id"] == "P103"
                                             and _first_day(r)), expect=ANY),
        fit("fit_slot_minutes_zero", "--slot-minutes", "0", mention=("--slot-minutes",)),
        fit("fit_slot_minutes_7", "--slot-minutes", "7", mention=("--slot-minutes", "7")),
        fit("fit_slot_minutes_1441", "--slot-minutes", "1441",
            mention=("--slot-minutes", "1441")),
        fit("fit_slot_minutes_word", "--slot-minutes", "half", mention=("--slot-minutes",)),
        fit("fit_slot_minutes_1440", "--slot-minutes", "1440", expect=ANY),
        fit("fit_slot_minutes_15", "--slot-minutes", "15", expect=OK,
            checks=(wrote("scenario.toml"),)),
        fit("fit_retrial_window_zero", "--retrial-window-min", "0",
            mention=("--retrial-window-min",)),
        fit("fit_retrial_window_negative", "--retrial-window-min", "-5",
            mention=("--retrial-window-min",)),
        fit("fit_retrial_window_huge", "--retrial-window-min", "100000000", expect=ANY),
        fit("fit_out_empty_string", out=("--out", ""), mention=("--out",)),
        fit("fit_out_is_a_file", out=("--out", "f.txt"), files={"f.txt": "keep\n"},
            mention=("f.txt",)),
        fit("fit_out_is_the_log", out=("--out", "log.csv"), mention=("log.csv",)),
        fit("fit_out_under_a_file", out=("--out", "f.txt/sub"), files={"f.txt": "keep\n"},
            mention=("f.txt",)),
        fit("fit_out_non_empty_folder", out=("--out", "full"),
            setup=folder("full", "keep.txt"), mention=("full",)),
        fit("fit_out_existing_empty_folder", out=("--out", "empty"), setup=folder("empty"),
            expect=OK),
        fit("fit_out_dev_null", out=("--out", "/dev/null"), mention=("/dev/null",)),
        fit("fit_unknown_option", "--frobnicate", mention=("--frobnicate",)),
    ]


# ---------------------------------------------------------------------------- validate


@functools.cache
def fitted_folder() -> Path:
    """A fit of the synthetic log, made once per session."""
    return prepared("fit", "", ("fit", str(DATA / SYNTHETIC), "--out", "{out}"))


def scenario(dest: str = "s.toml", edit: Callable[[str], str] | None = None) -> Setup:
    """The fitted scenario of the synthetic log at ``dest``, its text passed through
    ``edit``."""

    def setup(sandbox: Sandbox) -> None:
        text = (fitted_folder() / "scenario.toml").read_text(encoding="utf-8")
        (sandbox.work / dest).write_text(edit(text) if edit else text, encoding="utf-8")

    return setup


def _replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, f"{old!r} not in the fitted scenario"
        return text.replace(old, new, 1)

    return edit


NO_ARRIVALS = """name = "no_arrivals"
[hours]
open = "09:00"
close = "13:00"
slot_minutes = 60
[demand.walk_in]
rate_per_hour = 0
[demand.phone]
rate_per_hour = 0
[demand.email]
rate_per_hour = 0
[staff]
both = 1
"""

VALIDATE = ("validate", "log.csv", "--scenario", "s.toml", "--reps", "3")
VALIDATE_OUT = (*VALIDATE, "--out", "out")


def validated(dest: str) -> Setup:
    """A finished ``validate --reps 3`` folder at ``dest`` (made once per session)."""
    return copy_prepared(dest, "validate", "", (
        "validate", str(DATA / SYNTHETIC), "--scenario", str(fitted_folder() / "scenario.toml"),
        "--reps", "3", "--out", "{out}"))


def _chain(*setups: Setup) -> Setup:
    def setup(sandbox: Sandbox) -> None:
        for step in setups:
            step(sandbox)

    return setup


def validate(id: str, *extra: str, base: tuple[str, ...] = VALIDATE_OUT,
             expect: str = REFUSE, setup: Setup | None = None, **kw: Any) -> Case:
    """``countersim validate log.csv --scenario s.toml --reps 3 --out out EXTRA`` with the
    synthetic log and its fitted scenario (``setup``: instead of the scenario)."""
    files = {"log.csv": data_text(SYNTHETIC), **kw.pop("files", {})}
    kw.setdefault("timeout", FIT_TIMEOUT_S)
    return Case(id, CATEGORY, (*base, *extra), files=files, setup=setup or scenario(),
                expect=expect, **kw)


def _shift_quarter(text: str) -> str:
    """The fitted scenario (09:00-13:00, 60-minute slots) open 09:15-13:15: valid, but its
    slots do not start on the hour, so they are not the log's slots from midnight."""
    for old, new in (('open = "09:00"', 'open = "09:15"'), ('close = "13:00"', 'close = "13:15"'),
                     ('start = "09:00", end = "13:00"', 'start = "09:15", end = "13:15"')):
        text = _replace(old, new)(text)
    return text


def _drop(args: tuple[str, ...], option: str) -> tuple[str, ...]:
    """``args`` without ``option`` and its value."""
    i = args.index(option)
    return args[:i] + args[i + 2:]


def validate_cases() -> list[Case]:
    """``countersim validate`` with bad scenarios, day types, options and resumes."""
    files = ("validation.md", "validation_day.csv", "validation_slots.csv",
             "simulation/manifest.json")
    return [
        validate("validate_ok", expect=OK, checks=(wrote(*files), warnings_once)),
        validate("validate_default_folder", base=VALIDATE, expect=OK,
                 checks=(default_folder("validate-log"), wrote(*files))),
        validate("validate_resume_finished", "--resume", setup=_chain(scenario(),
                                                                      validated("out")),
                 expect=OK, checks=(wrote(*files),)),
        validate("validate_help", "--help", base=("validate",), expect=OK, timeout=10),
        validate("validate_missing_scenario_option", base=_drop(VALIDATE_OUT, "--scenario"),
                 mention=("--scenario",)),
        validate("validate_scenario_missing_file", base=VALIDATE_OUT, setup=folder("x"),
                 mention=("s.toml",)),
        validate("validate_scenario_is_a_folder", setup=folder("s.toml", "a"),
                 mention=("s.toml",)),
        validate("validate_scenario_not_toml", files={"s.toml": "this is [not toml\n"},
                 setup=folder("x"), mention=("s.toml",)),
        validate("validate_scenario_bad_key",
                 setup=scenario(edit=_replace("[hours]\n", "[hours]\nfrobnicate = 1\n")),
                 mention=("frobnicate",)),
        validate("validate_scenario_open_0915_staff_at_0900",
                 setup=scenario(edit=_replace('open = "09:00"', 'open = "09:15"')),
                 mention=("09:15",)),
        validate("validate_scenario_open_0915", setup=scenario(edit=_shift_quarter),
                 mention=("09:15", "slot")),
        validate("validate_scenario_slot_minutes_7",
                 setup=scenario(edit=_replace("slot_minutes = 60", "slot_minutes = 7")),
                 expect=ANY),
        validate("validate_scenario_close_midnight",
                 setup=scenario(edit=_replace('close = "13:00"', 'close = "24:00"')),
                 expect=ANY),
        validate("validate_scenario_no_arrivals", files={"s.toml": NO_ARRIVALS},
                 setup=folder("x"), mention=("arrivals",),
                 note="simulated, then a message about the internal simulation/contacts.csv, "
                      "and the folder was left"),
        validate("validate_day_type_unknown", "--day-type", "holiday",
                 mention=("--day-type", "holiday")),
        validate("validate_day_type_empty", "--day-type", "", mention=("--day-type",)),
        validate("validate_day_type_weekday", "--day-type", "weekday", expect=OK),
        validate("validate_reps_zero", "--reps", "0", mention=("--reps",)),
        validate("validate_jobs_zero", "--jobs", "0", mention=("--jobs",)),
        validate("validate_seed_negative", "--seed", "-1", mention=("--seed",)),
        validate("validate_resume_without_out", "--resume", base=VALIDATE,
                 mention=("--resume", "--out")),
        validate("validate_resume_missing_folder", "--resume", "--out", "nowhere",
                 base=VALIDATE, mention=("nowhere",)),
        validate("validate_resume_empty_folder", "--resume", "--out", "empty", base=VALIDATE,
                 setup=_chain(scenario(), folder("empty")), mention=("empty",)),
        validate("validate_resume_a_fit_folder", "--resume", "--out", "fitted",
                 base=VALIDATE, setup=_chain(scenario(), _copy_fit("fitted")),
                 mention=("fitted",)),
        validate("validate_resume_other_scenario", "--resume",
                 setup=_chain(scenario(edit=_replace("rate_per_hour = 28.333",
                                                     "rate_per_hour = 20")),
                              validated("out")), mention=("different",)),
        validate("validate_resume_other_reps", "--resume", "--reps", "5",
                 setup=_chain(scenario(), validated("out")), expect=ANY),
        validate("validate_out_non_empty", "--out", "full", base=VALIDATE,
                 setup=_chain(scenario(), folder("full", "keep.txt")), mention=("full",)),
        validate("validate_out_is_a_file", "--out", "f.txt", base=VALIDATE,
                 files={"f.txt": "keep\n"}, mention=("f.txt",)),
        validate("validate_out_empty_string", "--out", "", base=VALIDATE,
                 mention=("--out",)),
        validate("validate_missing_log", base=("validate", "nowhere.csv", "--scenario",
                                               "s.toml", "--out", "out"),
                 mention=("nowhere.csv",)),
        validate("validate_log_wrong_format", "--format", "bank", mention=("bank",)),
        validate("validate_log_header_only", files={"log.csv": HEADER},
                 mention=("log.csv",)),
        validate("validate_log_single_day", files={"log.csv": log_where(_first_day)},
                 expect=ANY),
        validate("validate_jobs_1000", "--jobs", "1000", expect=ANY),
        validate("validate_strict", "--strict", expect=ANY),
    ]


def _copy_fit(dest: str) -> Setup:
    def setup(sandbox: Sandbox) -> None:
        shutil.copytree(fitted_folder(), sandbox.work / dest)

    return setup


# ---------------------------------------------------------------------------- help


def lists_calibration(case: Case, out: Outcome, sandbox: Sandbox) -> list[str]:
    """``--help`` lists ``fit`` and ``validate``."""
    missing = [c for c in ("fit", "validate") if c not in out.stdout]
    return [f"message: --help does not list {missing}"] if missing else []


def all_cases() -> list[Case]:
    """Every case of this module."""
    return [*fit_cases(), *validate_cases(),
            Case("python_m_sim_help_lists_fit_validate", CATEGORY, ("--help",),
                 program="module", expect=OK, checks=(lists_calibration,))]
