"""Progress of long work on stderr: the stage running and the time spent, on a terminal only.

The command wraps its work in :func:`shown`; the work marks each stage with :func:`stage`, which
does nothing when no progress is shown (a notebook, a script, output to a file or a pipe).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["shown", "stage"]

_bar = None  # the progress bar shown, if any


@contextmanager
def shown(what: str, stages: int) -> Iterator[None]:
    """Show the stages of ``what`` on stderr while the block runs, if stderr is a terminal.

    The line is removed when the block ends, normally, on an error or on Ctrl-C, so that
    messages printed after it start on a clean line.
    """
    global _bar
    if not sys.stderr.isatty():
        yield
        return
    from tqdm import tqdm

    bar = tqdm(total=stages, desc=what, file=sys.stderr, leave=False, dynamic_ncols=True,
               bar_format="{desc} ({n_fmt}/{total_fmt} done, {elapsed})")  # fmt: skip
    stop = threading.Event()
    ticker = threading.Thread(target=_tick, args=(bar, stop), daemon=True)
    _bar, bar.what, bar.started = bar, what, False
    ticker.start()
    try:
        yield
    finally:
        stop.set()
        ticker.join()
        _bar = None
        bar.close()


def _tick(bar: object, stop: threading.Event) -> None:
    """Redraw the line every half second, so that the time spent in a long stage moves."""
    while not stop.wait(0.5):
        bar.refresh()


def stage(label: str) -> None:
    """Mark the start of a stage of the work shown (``reading the figures``); else nothing."""
    bar = _bar
    if bar is not None:
        if bar.started:
            bar.update(1)
        bar.started = True
        bar.set_description_str(f"{bar.what}: {label}", refresh=True)
