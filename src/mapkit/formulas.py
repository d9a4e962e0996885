"""Spreadsheet-safe CSV cells: what mapkit writes a spreadsheet never evaluates, and reads back.

A spreadsheet evaluates a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return (the OWASP "CSV injection" rule). mapkit writes such text cells with a leading single
quote, which spreadsheets show as text, and takes exactly that quote off when it reads a CSV, so
its own exports read back unchanged. Numbers are written as numbers: a negative value in a
numeric column stays a number.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

__all__ = ["QUOTE", "TRIGGERS", "neutralise", "neutralise_table", "restore", "restore_table"]

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet evaluate a cell."""
QUOTE = "'"
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")  # a trigger, or quotes before one (kept exact)


def neutralise(text: str) -> str:
    """``text`` as a cell no spreadsheet evaluates: a leading quote before a trigger character.

    Text that already starts with quotes before a trigger gets one more, so that
    :func:`restore` gives every text back exactly.

    Examples
    --------
    >>> neutralise("=1+1"), neutralise("Aghdam"), restore(neutralise("=1+1"))
    ("'=1+1", 'Aghdam', '=1+1')
    """
    return QUOTE + text if _NEEDS_QUOTE.match(text) else text


def restore(text: str) -> str:
    """The text :func:`neutralise` was given: the quote it added taken off, nothing else."""
    return text[1:] if text[:1] == QUOTE and _NEEDS_QUOTE.match(text, 1) else text


def neutralise_table(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell passed through :func:`neutralise` (numbers untouched)."""
    return _each_text(frame, (*TRIGGERS, QUOTE), neutralise)


def restore_table(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell passed through :func:`restore`."""
    return _each_text(frame, (QUOTE,), restore)


def _each_text(
    frame: pd.DataFrame, first: tuple[str, ...], change: Callable[[str], str]
) -> pd.DataFrame:
    """``frame`` with ``change`` applied to its text cells (a copy if any cell changes).

    Only cells whose first character is in ``first`` can change; the first characters of a
    column are compared at once (numpy), so a column without such a cell costs one pass in C.
    """
    out = frame
    for column in frame.columns:
        values = frame[column].to_numpy()
        if values.dtype != object:
            continue  # numbers, dates: never text
        heads = values.astype("U1")  # a non-text cell becomes its str(), left out below
        rows = [r for r in np.flatnonzero(np.isin(heads, first)) if isinstance(values[r], str)]
        changed = {r: change(values[r]) for r in rows}
        changed = {r: text for r, text in changed.items() if text != values[r]}
        if changed:
            out = out.copy() if out is frame else out
            column_values = values.copy()
            column_values[list(changed)] = list(changed.values())
            out[column] = column_values
    return out
