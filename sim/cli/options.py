"""Command-line options shared by the commands and the experiment scripts, in one place:
argument types, the simulation options (``--reps --seed --jobs --cluster --set``), the
preflight options (``--force --strict``) and the study options (``--out --resume
--no-figures``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from sim.errors import UserInputError
from sim.results.store import default_run_dir


def whole_number(minimum: int) -> Callable[[str], int]:
    """Argparse type: a whole number ≥ ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{text!r}: must be a whole number ≥ {minimum}")
        return value

    return parse


def out_path(text: str) -> Path:
    """Argparse type: a results folder; an empty path (which would mean the current folder)
    is refused."""
    if not text.strip():
        raise argparse.ArgumentTypeError(f"{text!r}: an empty folder name would write into the "
                                         "current folder; give a folder, e.g. --out "
                                         "results/my-run")
    return Path(text)


positive_int = whole_number(1)
seed_int = whole_number(0)


def add_seed_set_cluster(parser: argparse.ArgumentParser, set_help: str) -> None:
    """``--seed``, ``--set`` (``set_help`` says where overrides apply) and ``--cluster``."""
    parser.add_argument("--seed", type=seed_int, default=1, help="root seed (default 1)")
    parser.add_argument("--set", dest="overrides", action="append", default=[],
                        metavar="KEY=VALUE", help=set_help)
    parser.add_argument("--cluster", default=None, metavar="ADDRESS",
                        help="run on a Dask cluster: tcp://host:8786 or a scheduler file "
                        "(needs the 'cluster' extra); default: local processes")


def add_preflight_options(parser: argparse.ArgumentParser) -> None:
    """``--force`` (past the resource guard) and ``--strict`` (warnings become errors)."""
    parser.add_argument("--force", action="store_true",
                        help="run even beyond the resource guard's limits (work, memory) and "
                        "with more --jobs than CPU cores")
    parser.add_argument("--strict", action="store_true",
                        help="treat warnings about the scenario (unstaffed hours, load above "
                        "staff, no arrivals, a long warm-up) as errors: exit 2, nothing written")


def add_common_options(parser: argparse.ArgumentParser, default_reps: int = 10) -> None:
    """Options shared by commands that simulate one scenario file."""
    parser.add_argument("config", type=Path, help="scenario TOML file")
    parser.add_argument("--reps", type=positive_int, default=default_reps,
                        help=f"replications (default {default_reps})")
    parser.add_argument("--jobs", type=positive_int, default=1,
                        help="local worker processes (default 1); results do not depend on it")
    add_seed_set_cluster(parser, "override a config key, e.g. --set staff.both=3 (repeatable); "
                         "--set staff=N: N pooled staff all day")
    add_preflight_options(parser)


def add_study_options(parser: argparse.ArgumentParser) -> None:
    """Options of anything that runs a study (``sweep`` and the experiment scripts)."""
    parser.add_argument("--out", type=out_path, default=None,
                        help="results folder (default results/<name>/<timestamp>)")
    parser.add_argument("--resume", action="store_true",
                        help="continue the sweep saved in --out (default: <name>/latest), "
                        "running only the replications not yet finished")
    parser.add_argument("--no-figures", dest="figures", action="store_false",
                        help="write tables and report without figures")
    add_parquet_option(parser)


def add_parquet_option(parser: argparse.ArgumentParser) -> None:
    """``--parquet``: also write ``replications.parquet`` (needs pyarrow)."""
    parser.add_argument("--parquet", action="store_true",
                        help="also write replications.parquet, for large sweeps (needs the "
                        "'parquet' extra: pyarrow)")


def new_out_dir(out: Path | None, name: str) -> Path:
    """``--out`` if it is new or an empty folder, else ``results/<name>/<timestamp>``."""
    if out is None:
        return default_run_dir(Path("results"), name)
    if out.exists() and not out.is_dir():
        raise UserInputError(f"--out {out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()):
        raise UserInputError(f"--out {out}: folder is not empty; choose a new one")
    return out
