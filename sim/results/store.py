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
from collections.abc import Mapping, Sequence
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so readers see the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; give the usual file mode
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def ensure_writable(folder: Path) -> None:
    """Create ``folder`` and check a file can be written there (raises ``OSError``), so a
    run fails before simulating rather than after."""
    folder.mkdir(parents=True, exist_ok=True)
    probe = folder / ".write-check.tmp"
    write_atomic(probe, "")
    probe.unlink()


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
