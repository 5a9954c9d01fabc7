"""The log file itself, before any format: it must exist, be a regular readable file of
at most 2 GB with a header line. Every refusal is one :class:`~sim.errors.UserInputError`
line naming the path, what is wrong, what is allowed and the fix."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import TextIO

from sim.errors import UserInputError, one_line

#: Largest log read (bytes): 2 GiB, hundreds of times a call centre's month.
MAX_BYTES = 2 * 1024**3
DOCS = "docs/calibration.md"


def refuse(path: Path, problem: str) -> UserInputError:
    """A one-line error about ``path``: ``PATH: PROBLEM`` (the caller raises it)."""
    return UserInputError(one_line(f"{path}: {problem}"))


def shown(columns: list[str], most: int = 12) -> str:
    """Column names for a message: at most ``most``, each cut to 30 characters."""
    text = ", ".join(c if len(c) <= 30 else c[:27] + "..." for c in columns[:most])
    return text + (f" and {len(columns) - most} more" if len(columns) > most else "")


def check_source(path: Path) -> None:
    """Refuse anything that is not a regular, readable, non-empty file of at most
    :data:`MAX_BYTES` bytes."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise refuse(path, "no such file: give the path of a contact log (CSV of contacts, "
                           f"countersim records or a bank call log; see {DOCS})") from None
    except OSError as exc:
        raise refuse(path, f"cannot be read ({exc.strerror}): give a readable contact-log "
                           "file") from None
    if stat.S_ISDIR(info.st_mode):
        raise refuse(path, "is a folder, not a contact log: give a file in it, e.g. "
                           f"{path / 'contacts.csv'}")
    if not stat.S_ISREG(info.st_mode):
        raise refuse(path, "is not a regular file (a pipe, socket or device): save the log "
                           "to a file and give that file's path")
    if info.st_size > MAX_BYTES:
        raise refuse(path, f"is {info.st_size:,} bytes: logs of at most {MAX_BYTES:,} bytes "
                           "are read; split it (e.g. by month) and fit the parts")
    if info.st_size == 0:
        raise refuse(path, "is empty: a contact log needs a header line and one row per "
                           f"contact ({DOCS})")


def open_text(path: Path) -> TextIO:
    """``path`` opened for reading as UTF-8 text (a byte-order mark is dropped, undecodable
    bytes become U+FFFD so they fail parsing on their row instead of stopping the read)."""
    try:
        return path.open(encoding="utf-8-sig", errors="replace", newline="")
    except OSError as exc:
        raise refuse(path, f"cannot be read ({exc.strerror}): give a readable contact-log "
                           "file") from None


def header_line(path: Path) -> str:
    """The first non-blank line of ``path`` (its header), without the line ending."""
    try:
        with open_text(path) as fh:
            for line in fh:
                if line.strip():
                    return line.rstrip("\r\n")
    except OSError as exc:
        raise refuse(path, f"cannot be read ({exc.strerror}): give a readable contact-log "
                           "file") from None
    raise refuse(path, "holds only blank lines: a contact log needs a header line and one "
                       f"row per contact ({DOCS})")
