"""All or nothing on disk: a block of writes that fails leaves no new file or folder behind.

``with new_paths_removed_on_failure(folder):`` notes what exists under ``folder`` (and which
of its ancestors exist) before the block; if the block raises, every file and folder it
created there is removed again (files it replaced keep their new content: atomic writes
never leave a half file) and the error goes on. Used where a command writes several
outputs that only make sense together (``staff``'s tables and manifest, ``plot``'s figures).
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path


def snapshot(folder: Path) -> set[Path]:
    """Every path under ``folder`` (and ``folder`` and its ancestors) that exists now."""
    found = {p for p in (folder, *folder.parents) if p.exists()}
    if folder.is_dir():
        found.update(folder.rglob("*"))
    return found


@contextlib.contextmanager
def new_paths_removed_on_failure(folder: Path) -> Iterator[None]:
    """Run the block; if it raises, remove what it created under ``folder`` (and ``folder``
    and the ancestors it created), then re-raise."""
    before = snapshot(folder)
    try:
        yield
    except BaseException:
        remove_new(folder, before)
        raise


def remove_new(folder: Path, before: set[Path]) -> None:
    """Remove the paths under ``folder`` that are not in ``before`` (deepest first), then
    ``folder`` and its ancestors if they are new and empty."""
    with contextlib.suppress(OSError):
        if folder.is_dir():
            for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
                if path in before:
                    continue
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
        for path in (folder, *folder.parents):
            if path in before:
                break
            if path.is_dir() and not any(path.iterdir()):
                path.rmdir()
