"""Results on disk: atomic writes, CSV tables and the manifest."""

from __future__ import annotations

import csv
import io
import json
import os
import platform
import re
import subprocess
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any


class WriteError(OSError):
    """A file or folder of the results could not be written; ``filename`` names it (the
    command line prints ``cannot write PATH: REASON``)."""


def _write_error(exc: OSError, path: Path) -> WriteError:
    return WriteError(exc.errno, exc.strerror or str(exc), str(path))


def write_atomic(path: Path, text: str | Iterable[str]) -> None:
    """Write ``text`` (or its pieces, in order) to ``path`` so readers see the old file or
    the whole new one. Fails with a :class:`WriteError` naming ``path``, leaving no
    temporary file behind."""
    _make_folder(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise _write_error(exc, path) from exc
    umask = os.umask(0)
    os.umask(umask)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            os.fchmod(fh.fileno(), 0o666 & ~umask)  # mkstemp makes 0600: the usual mode
            for piece in [text] if isinstance(text, str) else text:
                fh.write(piece)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, WriteError):
            raise _write_error(exc, path) from exc
        raise


def ensure_writable(folder: Path) -> None:
    """Create ``folder`` and check a file can be written there, so a run fails before
    simulating rather than after (a :class:`WriteError` naming the folder)."""
    _make_folder(folder)
    probe = folder / ".write-check.tmp"
    try:
        write_atomic(probe, "")
        probe.unlink()
    except OSError as exc:
        raise _write_error(exc, folder) from exc


def _make_folder(folder: Path) -> None:
    """``mkdir -p``, failing with a :class:`WriteError` that names the folder it could not
    make (``folder`` or one above it)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_error(exc, Path(exc.filename) if exc.filename else folder) from exc


def format_value(value: object) -> str:
    """Exact text for a CSV cell: ``repr`` for floats (round-trips bit for bit)."""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def csv_text(rows: Sequence[Mapping[str, object]], columns: Sequence[str]) -> str:
    """CSV text with a header, one line per row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([format_value(row.get(c, "")) for c in columns])
    return out.getvalue()


def write_csv(path: Path, rows: Sequence[Mapping[str, object]], columns: Sequence[str]) -> None:
    """Atomically write a CSV table."""
    write_atomic(path, csv_text(rows, columns))


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV table as dicts of strings."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def git_commit() -> str:
    """The current commit of the working tree, or ``"unknown"``."""
    try:
        here = Path(__file__).resolve().parent
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True,
                             text=True, timeout=5, check=False)
        commit = out.stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=here, capture_output=True, text=True, timeout=5, check=False)
        return commit + ("-dirty" if dirty.stdout.strip() else "") if commit else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def versions() -> dict[str, str]:
    """Versions of Python and the packages that shape results."""
    found = {"python": platform.python_version()}
    for package in ("countersim", "simpy", "numpy", "scipy", "pydantic"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


def write_manifest(path: Path, fields: Mapping[str, Any]) -> None:
    """Write ``manifest.json`` with the given fields plus versions, commit and host."""
    manifest = {
        **fields,
        "versions": versions(),
        "git_commit": git_commit(),
        "host": platform.node(),
        "written_at": datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    write_atomic(path, json.dumps(manifest, indent=2, sort_keys=False, default=str) + "\n")


SAFE_NAME_MAX = 80
"""Longest folder name :func:`safe_name` makes (characters; at most 4 bytes each in UTF-8,
well inside the 255-byte limit of common file systems)."""


def safe_name(name: str, fallback: str = "unnamed") -> str:
    """``name`` as one safe folder name: letters and digits (any script), ``-``, ``_`` and
    inner dots kept; every other run of characters (slashes, backslashes, spaces, control
    characters, ...) becomes one ``-``; no leading or trailing ``.`` or ``-`` (so never
    ``.`` or ``..``, never hidden), at most :data:`SAFE_NAME_MAX` characters, and
    ``fallback`` when nothing is left. ``"../../etc/x"`` becomes ``"etc-x"``."""
    text = unicodedata.normalize("NFC", name)
    kept = "".join(c if c.isalnum() or c in "-_." else "-" for c in text)
    kept = re.sub(r"\.{2,}", ".", re.sub(r"[-.]*-[-.]*", "-", kept))
    kept = kept[:SAFE_NAME_MAX].strip(".-")
    return kept or fallback


def default_run_dir(base: Path, name: str) -> Path:
    """``base/<name>/<timestamp>``: a new folder per run, ``name`` made one safe folder name
    (:func:`safe_name`), so a scenario's ``name`` never leads outside ``base``."""
    folder = base / safe_name(name)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / stamp
    n = 1
    while path.exists():
        n += 1
        path = folder / f"{stamp}-{n}"
    return path
