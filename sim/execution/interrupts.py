"""Ctrl-C and SIGTERM: one clean line, exit code 130, never a traceback, never a hang.

Every entry point (``python -m sim``, the ``countersim`` script, the experiment scripts)
calls :func:`install` first: from then on a SIGINT or SIGTERM

- outside a command (while importing, parsing options) prints ``interrupted`` and exits at
  once: nothing has been written yet;
- inside :func:`handling` (a command running) raises :class:`KeyboardInterrupt`, which the
  command catches to keep what finished and print its one line;
- inside :func:`deferred` (waiting on worker processes, whose locks an exception must not
  break) is only recorded, and raised when the block ends.

The first signal also starts a grace period of :data:`GRACE_S` seconds: if the process has
not exited by then (saving takes too long, or something blocks), a watchdog thread prints
the fallback line and ends the process. A second signal ends it at once. Both exits use
:data:`EXIT_CODE` (130 for SIGTERM too: the shell's code for an interrupted command, so
scripts need to check one code).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any, NoReturn

EXIT_CODE = 130
GRACE_S = 3.5
SIGNALS = (signal.SIGINT, signal.SIGTERM)
_POLL_S = 0.05


class _State:
    """What the handler does now, and what has happened (module-wide: one per process)."""

    mode = "exit"  # "exit" | "raise" | "defer": see the module docstring
    requested: int | None = None  # the first signal received
    deadline: float | None = None  # when the watchdog ends the process
    said = False  # the one line has been printed
    fallback = "interrupted"  # what the watchdog prints if nothing was said yet
    watchdog: threading.Thread | None = None


def _write_line(line: str) -> None:
    """Print ``line`` on stderr without Python's buffered streams (safe from a signal handler
    and another thread: no lock is taken)."""
    _State.said = True
    with contextlib.suppress(OSError):
        os.write(2, (line + "\n").encode("utf-8", "replace"))


def _exit_now() -> None:
    if not _State.said:
        _write_line(_State.fallback)
    os._exit(EXIT_CODE)


def _handler(signum: int, frame: FrameType | None) -> None:
    if _State.requested is not None:  # a second signal: stop now
        _exit_now()
    _State.requested = signum
    _State.deadline = time.monotonic() + GRACE_S
    if _State.mode == "raise":
        raise KeyboardInterrupt
    if _State.mode == "exit":
        _exit_now()
    # "defer": the code checks requested() at a safe point


def _watch() -> None:
    while True:
        time.sleep(_POLL_S)
        deadline = _State.deadline
        if deadline is not None and time.monotonic() > deadline:
            _exit_now()


def _unraisable(hook: Callable[[Any], object]) -> Callable[[Any], object]:
    """``sys.unraisablehook`` that drops the interrupt raised where Python cannot propagate
    it (a weakref callback, a ``__del__``): the request is recorded, and the command sees it
    at its next :func:`check`."""

    def quiet(unraisable: Any) -> object:
        if isinstance(unraisable.exc_value, KeyboardInterrupt) and requested():
            return None
        return hook(unraisable)

    quiet.countersim = True  # type: ignore[attr-defined]
    return quiet


def install() -> None:
    """Handle SIGINT and SIGTERM as described above (from the main thread only; elsewhere
    nothing changes), unblock them, and start the watchdog."""
    if threading.current_thread() is not threading.main_thread():
        return
    if not getattr(sys.unraisablehook, "countersim", False):
        sys.unraisablehook = _unraisable(sys.unraisablehook)
    for sig in SIGNALS:
        signal.signal(sig, _handler)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)  # blocked by a parent: take them now
    if _State.watchdog is None or not _State.watchdog.is_alive():
        _State.watchdog = threading.Thread(target=_watch, name="interrupt-watchdog", daemon=True)
        _State.watchdog.start()


@contextlib.contextmanager
def handling() -> Iterator[None]:
    """Run a command: inside, the first SIGINT or SIGTERM raises :class:`KeyboardInterrupt`.
    The previous handlers are restored afterwards (a command called in-process, as the
    tests do, leaves its caller's handlers alone)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in SIGNALS}
    mode = _State.mode
    _State.requested, _State.deadline, _State.said = None, None, False
    _State.fallback = "interrupted"
    install()
    _State.mode = "raise"
    try:
        yield
    finally:
        _State.mode = mode
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if _State.requested is None:
            _State.deadline = None


@contextlib.contextmanager
def deferred(raising: bool = True) -> Iterator[None]:
    """Inside a command, a signal is only recorded while in this block (library code that
    holds locks is never broken off); it is raised as :class:`KeyboardInterrupt` as the
    block ends (unless ``raising`` is false: the caller checks :func:`requested`)."""
    mode = _State.mode
    if mode == "raise":
        _State.mode = "defer"
    try:
        yield
    finally:
        _State.mode = mode
    if mode == "raise" and raising:
        check()


def check() -> None:
    """Raise :class:`KeyboardInterrupt` if a signal has been received (a safe point)."""
    if _State.requested is not None:
        raise KeyboardInterrupt


def is_interrupt(exc: BaseException) -> bool:
    """Whether ``exc`` is how an interrupt surfaced: :class:`KeyboardInterrupt`, or any
    error after a signal was received (Python turns an exception raised in some places, such
    as a class being created during an import, into another one)."""
    return isinstance(exc, KeyboardInterrupt) or (requested() and isinstance(exc, Exception))


def requested() -> bool:
    """Whether SIGINT or SIGTERM has been received during the current command."""
    return _State.requested is not None


def say(line: str) -> None:
    """Print the command's one line about the interruption (only the first is printed)."""
    if _State.said:
        return
    _State.said = True
    try:
        print(line, file=sys.stderr, flush=True)
    except (OSError, ValueError, RuntimeError):  # stderr closed or busy: write it directly
        _write_line(line)


def fallback(line: str) -> None:
    """What the watchdog prints if it has to end the process before the command spoke
    (e.g. where the finished replications are kept)."""
    _State.fallback = line


def end_program(code: int | str | None) -> NoReturn:
    """End the program now with ``code`` (``SystemExit``'s kinds of code), its output flushed.

    Nothing else runs: interpreter shutdown resets the signal handlers to the defaults, so a
    Ctrl-C arriving then would kill the process with no message; a pool's at-exit hook can
    wait on workers that are gone; and CPython turns an interrupt that once passed through
    some extension module's start-up code into death by SIGINT, whatever the exit code.
    """
    if isinstance(code, str):
        with contextlib.suppress(Exception):
            print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code or 0)
