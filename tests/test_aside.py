"""Work done aside (the build's static maps): its result, warnings and errors reach the caller
as if it had run in the caller's process, and it never outlives the caller."""

from __future__ import annotations

import os
import signal

import pytest

import mapkit.aside
from mapkit.aside import aside
from mapkit.errors import MapkitError


def fails() -> None:
    raise OSError(28, "No space left on device", "/media/usb/atlas/map.pdf")


def test_the_result_and_warnings_come_back() -> None:
    def work() -> int:
        import warnings

        warnings.warn("names that do not fit are left out", UserWarning, stacklevel=1)
        return os.getpid()

    with pytest.warns(UserWarning, match="do not fit"), aside(work) as started:
        pid = started.wait()
    assert pid != os.getpid()  # it ran in a forked process (Linux)


def test_an_error_is_raised_in_the_caller_as_it_was_with_its_traceback() -> None:
    with pytest.raises(OSError) as raised, aside(fails) as started:
        started.wait()
    assert (raised.value.errno, raised.value.filename) == (28, "/media/usb/atlas/map.pdf")
    assert "in fails" in raised.value.__notes__[0]  # for --debug


def test_an_error_that_does_not_pickle_is_said_as_text() -> None:
    class Odd(MapkitError):
        def __init__(self, a: str, b: str) -> None:
            super().__init__(f"{a} {b}")

    def work() -> None:
        raise Odd("odd", "error")

    with pytest.raises(RuntimeError, match="Odd: odd error"), aside(work) as started:
        started.wait()


def test_work_that_dies_is_an_error() -> None:
    with (
        pytest.raises(RuntimeError, match="killed by signal 9"),
        aside(lambda: os.kill(os.getpid(), signal.SIGKILL)) as started,
    ):
        started.wait()


def test_work_not_waited_for_is_stopped() -> None:
    with aside(lambda: signal.pause()) as started:
        pid = started._pid
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_without_fork_the_work_runs_when_waited_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mapkit.aside, "FORKS", False)
    with aside(os.getpid) as started:
        assert started.wait() == os.getpid()
