"""Work done aside: a function run in a forked process while the caller goes on.

A build draws its static maps (seconds of matplotlib) while it writes the atlas and the layers;
on a machine with two cores that takes the time of the longer of the two, not of both. The
forked process shares the caller's data as it was at the fork, with nothing copied or pickled.
Where processes are not forked (Windows, macOS), the work runs in this process when it is
waited for.

>>> with aside(lambda: sum(range(10))) as work:
...     work.wait()
45
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

__all__ = ["Aside", "aside"]

FORKS = hasattr(os, "fork") and sys.platform.startswith("linux")
"""Whether work is forked; macOS forks unsafely once system libraries have threads."""

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


class Aside:
    """``work`` started in a forked process (or kept to run on :meth:`wait`); the forked
    process closes the files ``close`` and ends when this one ends."""

    def __init__(self, work: Callable[[], Any], close: Sequence[int] = ()) -> None:
        self._work = work
        self._pid = 0
        if FORKS:
            read, write = os.pipe()
            parent = os.getpid()
            self._pid = os.fork()
            if self._pid == 0:  # pragma: no cover - the child reports through the pipe
                for fd in (read, *close):
                    os.close(fd)
                _die_with(parent)
                _run_child(work, write)
            os.close(write)
            self._read = read

    def wait(self) -> Any:
        """The work's result; its warnings are warned here and its error is raised here."""
        if not self._pid:
            return self._work()
        try:
            with os.fdopen(self._read, "rb") as pipe:
                report = pipe.read()
        finally:
            self._read = -1  # closed
        _, status = os.waitpid(self._pid, 0)
        self._pid = -1
        if not report:
            raise RuntimeError(f"the work done aside stopped ({_how(status)})")
        result, failure, caught = pickle.loads(report)
        for message, category in caught:
            warnings.warn(message, category, stacklevel=2)
        if failure is not None:
            raise failure
        return result

    def cancel(self) -> None:
        """Stop the work if it still runs (the caller failed or was interrupted)."""
        if self._pid > 0:
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = -1
            if self._read >= 0:
                os.close(self._read)


def _die_with(parent: int) -> None:
    """End this child when ``parent`` ends (killed with -9 too): an orphan would hold the
    build's staging folder, which a later build then cannot remove."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent ended before the line above
        os._exit(1)


def _run_child(work: Callable[[], Any], write: int) -> None:
    """Run ``work``, send (result, error, warnings) to the parent and leave, whatever happens."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # the parent handles Ctrl-C and SIGTERM
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        result = failure = None
        with warnings.catch_warnings(record=True) as caught:
            try:
                result = work()
            except BaseException as exc:  # every failure is the parent's to report
                exc.add_note("".join(traceback.format_exception(exc)).rstrip())
                failure = exc
        said = [(str(w.message), w.category) for w in caught]
        try:
            report = pickle.dumps((result, failure, said))
            pickle.loads(report)  # an error made with other arguments than it keeps fails here
        except Exception:  # then it is sent as text
            text = RuntimeError(f"{type(failure).__name__}: {failure}")
            report = pickle.dumps((None, text, said))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(report)
    finally:
        os._exit(0)


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"


@contextmanager
def aside(work: Callable[[], Any], close: Sequence[int] = ()) -> Iterator[Aside]:
    """Start ``work`` aside for the block; stopped if the block fails before waiting for it.

    ``close`` are open files the forked process closes: locks that must end with this one.
    """
    started = Aside(work, close)
    try:
        yield started
    finally:
        started.cancel()
