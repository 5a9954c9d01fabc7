"""``run``, ``sweep`` and ``plot`` as Python calls, on the study layer the commands use.

``run`` takes the path of ``countersim run`` (the run planned as a sweep of one scenario,
each replication saved as it finishes, then ``replications.csv``, ``summary.csv``,
``slots.csv`` and ``days.csv`` written by :mod:`sim.study.single_run`); ``sweep`` calls the
very function ``countersim sweep`` calls (:func:`sim.study.pipeline.execute` on the study
:func:`sim.study.factorial.factorial_study` describes). So for the same scenario, seed and
replications a notebook gets the numbers the command line gets, bit for bit.

Where results go: ``out=DIR`` writes the results folder there (new or empty, as ``--out``);
``out=None`` writes it to a temporary folder that lives as long as the returned result and is
removed after it (the tables are read into memory; :func:`plot` draws from that folder).
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.api.results import Result, read_result
from sim.config.toml_text import string, toml_text
from sim.config.toml_text import value as toml_value
from sim.errors import UserInputError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Config = str | Path | Mapping[str, Any]
"""A scenario: a TOML file's path, or its content as a dict (as the file would hold it)."""
Settings = Mapping[str, Any] | Sequence[str] | None
"""``--set`` overrides: ``{"staff": 4, "acknowledgment.policy": "greet_first"}``, or the
command line's ``["staff=4", ...]`` text."""

_BARE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def overrides_of(settings: Settings) -> list[str]:
    """``key=value`` texts (``--set``) for ``settings``; dict values become TOML values."""
    if settings is None:
        return []
    if isinstance(settings, Mapping):
        return [f"{k}={toml_value(v)}" for k, v in settings.items()]
    return [str(text) for text in settings]


def level_text(level: Any) -> str:
    """A factor level as ``--factor`` text: a plain word bare (its label), else TOML."""
    if isinstance(level, str) and _BARE.fullmatch(level) and level not in {
            "true", "false", "inf", "nan"}:
        return level
    return string(level) if isinstance(level, str) else toml_value(level)


def factor_texts(factors: Mapping[str, Sequence[Any]]) -> list[str]:
    """``key=v1,v2,...`` texts (``--factor``) for ``{key: [v1, v2, ...]}``."""
    return [f"{key}={','.join(level_text(v) for v in levels)}" for key, levels in
            factors.items()]


@contextlib.contextmanager
def config_path(config: Config) -> Iterator[Path]:
    """The scenario file: ``config`` itself, or a dict written to a temporary TOML file
    (removed after the block)."""
    if not isinstance(config, Mapping):
        yield Path(config)
        return
    with tempfile.TemporaryDirectory(prefix="countersim-config-") as folder:
        path = Path(folder) / "scenario.toml"
        path.write_text(toml_text(config), encoding="utf-8")
        yield path


def results_folder(out: str | Path | None,
                   ) -> tuple[Path, tempfile.TemporaryDirectory[str] | None]:
    """``out``, or a new folder inside a temporary one (kept with the result)."""
    if out is not None:
        return Path(out), None
    temporary = tempfile.TemporaryDirectory(prefix="countersim-")
    return Path(temporary.name) / "results", temporary


def command_line(command: str, config: Path, reps: int, seed: int, jobs: int,
                 overrides: Sequence[str], extra: Sequence[str] = ()) -> str:
    """The ``countersim`` command that computes the same numbers (for the manifest)."""
    argv = [command, str(config), *extra, "--reps", str(reps), "--seed", str(seed),
            "--jobs", str(jobs)]
    for text in overrides:
        argv += ["--set", text]
    return "countersim " + shlex.join(argv)


def run(config: Config, *, reps: int = 10, seed: int = 1, set: Settings = None,
        jobs: int = 1, out: str | Path | None = None, records: bool = False,
        resume: bool = False, cluster: str | None = None, force: bool = False,
        strict: bool = False) -> Result:
    """Replications of one scenario, as ``countersim run CONFIG --reps --seed --set --jobs``.

    ``reps`` replications from root seed ``seed``; ``set`` overrides config keys (``{"staff":
    4}`` is four pooled staff all day); ``jobs`` local worker processes (results do not depend
    on it); ``records`` also keeps one row per contact (``contacts``); ``resume`` continues a
    run saved in ``out``. Raises :class:`sim.errors.UserInputError` for a bad scenario or
    option, as the command refuses it (nothing written).
    """
    from sim.study.one_run import RunRequest, run_scenario

    overrides = overrides_of(set)
    with config_path(config) as path:
        folder, temporary = results_folder(out)
        command = command_line("run", path, reps, seed, jobs, overrides,
                               ["--records"] if records else [])
        run_scenario(RunRequest(path, tuple(overrides), command, seed, reps, jobs, records,
                                resume, cluster, force, strict), folder)
    return read_result("run", folder, temporary)


def sweep(config: Config, factors: Mapping[str, Sequence[Any]], *, reps: int = 10,
          seed: int = 1, set: Settings = None, jobs: int = 1,
          out: str | Path | None = None, baseline: Mapping[str, Any] | None = None,
          metrics: Sequence[str] = (), name: str | None = None, figures: bool = False,
          resume: bool = False, cluster: str | None = None, force: bool = False,
          strict: bool = False, quiet: bool = True) -> Result:
    """Every combination of factor levels with replications, as ``countersim sweep``.

    ``factors``: ``{config key: [levels]}`` (``"staff": [3, 4, 5]`` is pooled staff);
    ``baseline``: ``{factor: level}`` each factor is compared against (default its first);
    ``metrics``: the metrics compared (default those of ``countersim sweep``); ``figures``
    also writes the PNG figures into the folder (:func:`plot` draws them without files);
    ``quiet`` keeps the headline off stdout. Other options as :func:`run`.
    """
    from sim.execution import interrupts
    from sim.study.definition import RunOptions
    from sim.study.factorial import factorial_study
    from sim.study.pipeline import execute

    overrides = overrides_of(set)
    texts = factor_texts(factors)
    chosen = [f"{k}={level_text(v)}" for k, v in (baseline or {}).items()]
    with config_path(config) as path:
        folder, temporary = results_folder(out)
        study = factorial_study(path, texts, overrides=overrides, baselines=chosen,
                                metrics=metrics, name=name)
        command = command_line("sweep", path, reps, seed, jobs, overrides,
                               [a for t in texts for a in ("--factor", t)])
        options = RunOptions(seed=seed, reps=reps, jobs=jobs, command=command, cluster=cluster,
                             out=folder, resume=resume, figures=figures, force=force,
                             strict=strict)
        shown = contextlib.redirect_stdout(io.StringIO()) if quiet else contextlib.nullcontext()
        with shown:
            code = execute(study, options)
    if code == interrupts.EXIT_CODE:
        raise KeyboardInterrupt(f"sweep interrupted; the finished replications are kept in "
                                f"{folder} (resume=True, out=... continues it)")
    return read_result("sweep", folder, temporary)


def plot(result: Result | str | Path, names: Sequence[str] | None = None,
         save: bool = False) -> dict[str, Figure]:
    """The figures of a result (or of a results folder), by name, as matplotlib figures:
    those whose data is present (``names``: only these). Nothing is written unless ``save``,
    which also writes each to ``<folder>/figures/<name>.png``, as ``countersim plot`` does."""
    from sim.plots.data import load_results
    from sim.plots.figures import FIGURES
    from sim.plots.style import save_figure

    folder = result.folder if isinstance(result, Result) else Path(result)
    tables = load_results(folder)
    drawn: dict[str, Figure] = {}
    unknown = [n for n in names or () if n not in FIGURES]
    if unknown:
        raise UserInputError(f"plot names={unknown}: no such figure; allowed: "
                             f"{', '.join(FIGURES)}")
    for name in names if names is not None else list(FIGURES):
        figure = FIGURES[name](tables)
        if figure is not None:
            drawn[name] = figure
            if save:
                save_figure(figure, folder / "figures" / f"{name}.png")
    return drawn
