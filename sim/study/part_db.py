"""The results database of a run or sweep folder: one SQLite file (``results.db``) that holds
every finished replication, written by one process, one transaction per replication.

- **WAL mode**: readers (``--resume``, a notebook, ``sqlite3 results.db``) see a consistent
  snapshot while a sweep writes; a commit never waits for them.
- **Durability**: ``synchronous = NORMAL``. A committed replication survives the process
  being killed at any instant (SIGKILL included): it is in the write-ahead log, which the
  next connection replays. A power cut can lose the last commits, never corrupt the file.
- **Tables**: ``study`` (key/value: the sweep's ``fingerprint`` and the store's ``format``)
  and ``replications`` (``scenario``, ``replication``, the ``sweep`` fingerprint it belongs
  to, its ``result`` as JSON — floats written with ``repr``, so they round-trip bit for bit —
  and its ``contacts`` as CSV text when contact records were asked for).

Only :mod:`sim.study.parts` uses this module; everything else goes through it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from sim.results.store import WriteError

DB_FILE = "results.db"
FORMAT = "1"
SIDE_FILES = ("-wal", "-shm", "-journal")  # SQLite's companions of the database file

SCHEMA = """
CREATE TABLE IF NOT EXISTS study (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS replications (
    scenario INTEGER NOT NULL,
    replication INTEGER NOT NULL,
    sweep TEXT NOT NULL,
    result TEXT NOT NULL,
    contacts TEXT,
    PRIMARY KEY (scenario, replication)
);
"""

Row = tuple[int, int, str, str | None]  # scenario, replication, result JSON, contacts CSV


def db_path(out: Path) -> Path:
    """The database file of the results folder ``out``."""
    return out / DB_FILE


def write_error(exc: sqlite3.Error, path: Path) -> WriteError:
    """A failed database write as the :class:`WriteError` the commands report
    (``cannot write PATH: REASON``): a full disk reads as ``No space left on device``."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code == sqlite3.SQLITE_FULL:
        return WriteError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN):
        return WriteError(errno.EACCES, os.strerror(errno.EACCES), str(path))
    return WriteError(errno.EIO, str(exc) or "database error", str(path))


def connect(path: Path) -> sqlite3.Connection:
    """A read-write connection (the file is made if absent) in WAL mode, schema in place."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=30.0)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executescript(SCHEMA)
    except BaseException:
        conn.close()
        raise
    return conn


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection (a WAL reader: it never blocks the writer, and sees each
    replication whole or not at all). It cannot tidy up: closed last, it leaves the
    ``-wal`` and ``-shm`` files, which the next read-write connection removes."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30.0)


def _reader(path: Path) -> sqlite3.Connection:
    """A connection to an existing database that only reads (also a WAL reader, but one
    that, closed last, folds the log into the file and removes the companion files)."""
    return sqlite3.connect(path, timeout=30.0)


class Writer:
    """The one writer of a folder's database, opened on the first save (so a run stopped
    before any replication finished leaves no database), closed by :meth:`close`."""

    def __init__(self, out: Path, sweep: str) -> None:
        self.path, self.sweep = db_path(out), sweep
        self._conn: sqlite3.Connection | None = None

    def _open(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = connect(self.path)
            try:
                with _transaction(conn):
                    conn.executemany("INSERT OR REPLACE INTO study VALUES (?, ?)",
                                     [("fingerprint", self.sweep), ("format", FORMAT)])
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    def save(self, rows: Iterable[Row]) -> None:
        """Insert (or replace) the rows in one transaction: all of them are saved, or none."""
        try:
            conn = self._open()
            with _transaction(conn):
                conn.executemany("INSERT OR REPLACE INTO replications VALUES (?, ?, ?, ?, ?)",
                                 [(s, r, self.sweep, result, contacts)
                                  for s, r, result, contacts in rows])
        except sqlite3.Error as exc:
            self.close()
            raise write_error(exc, self.path) from exc

    def close(self) -> None:
        """Close the connection (the last one to close folds the log into the file and
        removes ``results.db-wal`` and ``-shm``)."""
        if self._conn is not None:
            conn, self._conn = self._conn, None
            with contextlib.suppress(sqlite3.Error):
                conn.close()


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def read_rows(out: Path, sweep: str, contacts: bool) -> list[Row]:
    """Every saved replication of the sweep ``sweep`` (with its contact records if
    ``contacts``; rows without them are left out), in (scenario, replication) order. An
    unreadable database reads as empty: its replications are redone."""
    path = db_path(out)
    if not path.is_file():
        return []
    column = "contacts" if contacts else "NULL"
    where = " AND contacts IS NOT NULL" if contacts else ""
    try:
        conn = _reader(path)
        try:
            found = conn.execute(
                f"SELECT scenario, replication, result, {column} FROM replications "
                f"WHERE sweep = ?{where} ORDER BY scenario, replication", (sweep,)).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []
    return [(int(s), int(r), str(res), c) for s, r, res, c in found]


def contacts_of(out: Path, keys: Iterable[tuple[int, int]]) -> Iterator[str | None]:
    """The saved contacts CSV text of each (scenario, replication) in ``keys``, in order."""
    conn = _reader(db_path(out))
    try:
        for scenario, replication in keys:
            row = conn.execute("SELECT contacts FROM replications WHERE scenario = ? AND "
                               "replication = ?", (scenario, replication)).fetchone()
            yield None if row is None else row[0]
    finally:
        conn.close()


def count(out: Path) -> int:
    """How many replications the folder's database holds (0 if it has none, or cannot be
    read): one read-only query, safe while a sweep writes."""
    path = db_path(out)
    if not path.is_file():
        return 0
    try:
        conn = _reader(path)
        try:
            return int(conn.execute("SELECT count(*) FROM replications").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def remove(out: Path) -> None:
    """Remove the database and its companion files."""
    path = db_path(out)
    for name in (path.name, *(path.name + side for side in SIDE_FILES)):
        (out / name).unlink(missing_ok=True)
