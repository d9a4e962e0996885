"""Spreadsheet-safe CSV cells: what mapkit writes a spreadsheet never evaluates, and reads back.

A spreadsheet evaluates a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return (the OWASP "CSV injection" rule). mapkit writes such text cells with a leading single
quote, which spreadsheets show as text, and takes exactly that quote off when it reads a CSV, so
its own exports read back unchanged. Numbers are written as numbers: a negative value in a
numeric column stays a number.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet evaluate a cell."""
QUOTE = "'"


def neutralise(text: str) -> str:
    """``text`` as a cell no spreadsheet evaluates: a leading quote before a trigger character."""
    return QUOTE + text if text.startswith(TRIGGERS) else text


def restore(text: str) -> str:
    """The text :func:`neutralise` was given: the quote it added taken off, nothing else."""
    return text[1:] if text[:1] == QUOTE and text[1:2] in TRIGGERS and len(text) > 1 else text


def neutralise_table(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell passed through :func:`neutralise` (numbers untouched)."""
    return _each_text(frame, 1, TRIGGERS, neutralise)


def restore_table(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell passed through :func:`restore`."""
    return _each_text(frame, 2, tuple(QUOTE + t for t in TRIGGERS), restore)


def _each_text(
    frame: pd.DataFrame, width: int, starts: tuple[str, ...], change: Callable[[str], str]
) -> pd.DataFrame:
    """``frame`` with ``change`` applied to the text cells that begin with one of ``starts``.

    The first ``width`` characters of every cell are compared at once (numpy), so a column
    without such a cell costs one pass in C; only the cells that match are changed.
    """
    out = frame
    for column in frame.columns:
        values = frame[column].to_numpy()
        if values.dtype != object:
            continue  # numbers, dates: never text
        heads = values.astype(f"U{width}")  # non-text cells become their str(), checked below
        rows = np.flatnonzero(np.isin(heads, starts))
        rows = [r for r in rows if isinstance(values[r], str)]
        if rows:
            out = out.copy() if out is frame else out
            changed = values.copy()
            changed[rows] = [change(values[r]) for r in rows]
            out[column] = changed
    return out
