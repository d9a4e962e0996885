"""Spreadsheet-safe CSV cells: what mapkit writes a spreadsheet never evaluates, and reads back.

A spreadsheet evaluates a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return (the OWASP "CSV injection" rule). mapkit writes such text cells with a leading single
quote, which spreadsheets show as text, and takes exactly that quote off when it reads a CSV, so
its own exports read back unchanged. Numbers are written as numbers: a negative value in a
numeric column stays a number. :func:`write_csv` writes a whole table so, byte for byte as
``DataFrame.to_csv`` would, but formatting each distinct cell once.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from itertools import repeat
from pathlib import Path

import numpy as np
import pandas as pd

from .coded import mostly_distinct, numbered

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


def _csv_quoted(text: str) -> str:
    """``text`` as the ``csv`` module writes one field of a row (pandas' writer settings)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([text, ""])
    return out.getvalue()[:-2]


# The characters that make the csv module quote a field (this Python's rules, asked once).
_QUOTED_BY = "".join(c for c in "\r\n\",;\t '" if _csv_quoted(c) != c)


_SPECIAL = re.compile(f"[{re.escape(_QUOTED_BY)}]")


def _found(texts: np.ndarray, pattern: re.Pattern[str], *, at_start: bool) -> np.ndarray:
    """Per text, whether ``pattern`` matches at its start or (not ``at_start``) anywhere in it.

    The texts joined (by line ends, after which ``(?m)^`` matches; else by NUL, which no
    pattern here looks for) are searched once first: a column where nothing is found (ids, most
    columns) costs one pass in C, not one search per text.
    """
    whole = re.compile(("(?m)^" if at_start else "") + pattern.pattern)
    if len(texts) > 64 and whole.search(("\n" if at_start else "\0").join(texts)) is None:
        return np.zeros(len(texts), dtype=bool)
    find = pattern.match if at_start else pattern.search
    return np.fromiter(map(bool, map(find, texts)), dtype=bool, count=len(texts))


def _quote(texts: np.ndarray) -> np.ndarray:
    """Each text quoted as the ``csv`` module quotes it: in double quotes, its quotes doubled,
    when it holds a character in :data:`_QUOTED_BY`."""
    hit = _found(texts, _SPECIAL, at_start=False)
    out = texts.astype(object)  # a copy
    out[hit] = [f'"{t}"' if '"' not in t else f'"{t.replace(chr(34), chr(34) * 2)}"'
                for t in texts[hit]]  # fmt: skip
    return out


def _csv_cells(column: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """``column`` as ``DataFrame.to_csv`` writes it, text neutralised: a code per row and the
    text of each code; None for a type this writer leaves to pandas (dates, …)."""
    if isinstance(column.dtype, pd.CategoricalDtype):  # already coded: each category once
        codes = column.cat.codes.to_numpy().astype(np.int64)
        texts = _neutralised(np.asarray(column.cat.categories, dtype=object))
        return _coded(codes, texts)
    values = column.to_numpy()
    kind = values.dtype.kind
    if kind == "f":  # pandas writes numpy's str() of a float, "" for NaN
        bits = values.view(f"i{values.dtype.itemsize}")  # -0.0 and 0.0 are written apart
        codes, unique_bits = pd.factorize(bits)
        uniques = unique_bits.view(values.dtype)
        texts = uniques.astype(str).astype(object)
        texts[np.isnan(uniques)] = ""
    elif kind in "iub":
        codes, uniques = pd.factorize(values)
        texts = uniques.astype(str).astype(object)
    elif kind == "O":
        if mostly_distinct(values):  # ids, lines: formatting each distinct cell saves nothing
            codes, uniques = np.arange(len(values)), values
            codes[pd.isna(values)] = -1
        else:
            codes, uniques = pd.factorize(values)  # missing cells: code -1, written ""
        texts = _neutralised(np.asarray(uniques, dtype=object))
    else:
        return None
    return _coded(codes, texts)


def _coded(codes: np.ndarray, texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes (-1 for a missing cell, written "") and the texts they stand for, quoted."""
    codes[codes < 0] = len(texts)
    small = codes.astype(np.min_scalar_type(len(texts)))  # a byte a row for few distinct cells
    return small, np.append(_quote(texts), "")


def _neutralised(values: np.ndarray) -> np.ndarray:
    """Text values through :func:`neutralise`, others as ``str()`` (as the csv module writes)."""
    out = values.copy()
    text = np.fromiter(map(isinstance, values, repeat(str)), dtype=bool, count=len(values))
    out[~text] = [str(v) for v in values[~text]]
    needs = np.zeros(len(values), dtype=bool)
    needs[text] = _found(values[text], _NEEDS_QUOTE, at_start=True)
    out[needs] = QUOTE + out[needs]
    return out


def _joined(
    left: tuple[np.ndarray, np.ndarray], right: tuple[np.ndarray, np.ndarray], most: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """Two adjacent columns as one (``a,b`` per distinct pair), or None if that makes more than
    ``most`` distinct pairs."""
    if max(len(left[1]), len(right[1])) > most:  # as many distinct pairs at least
        return None
    pairs = left[0].astype(np.int64) * len(right[1]) + right[0]
    codes, uniques = numbered(pairs, len(left[1]) * len(right[1]))
    if len(uniques) > most:
        return None
    texts = left[1][uniques // len(right[1])] + "," + right[1][uniques % len(right[1])]
    return codes, texts


def write_csv(frame: pd.DataFrame, path: str | Path, chunk: int = 20_000) -> Path:
    """Write ``frame`` as ``neutralise_table(frame).to_csv(path, index=False)`` does, faster.

    Each distinct cell of a column is formatted, neutralised and quoted once, and the rows are
    joined a chunk of ``chunk`` rows at a time: the same bytes as pandas' writer, in a fraction
    of its time on a table of many repeated cells (a figures table).

    Parameters
    ----------
    frame : DataFrame
        The table; its index is not written.
    path : str or Path
        The CSV file (UTF-8, ``\\n`` line ends), replaced if it exists.
    chunk : int
        Rows joined at once (bounds the memory the text of the rows takes).

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    cells = [_csv_cells(frame.iloc[:, k]) for k in range(frame.shape[1])]
    if len(cells) < 2 or any(c is None for c in cells):  # a lone empty cell is quoted
        neutralise_table(frame).to_csv(path, index=False, encoding="utf-8")
        return path
    groups = [cells[0]]  # adjacent columns of few distinct pairs joined before the rows are
    for column in cells[1:]:
        joined = _joined(groups[-1], column, len(frame) // 4)  # type: ignore[arg-type]
        groups[-1:] = [joined] if joined is not None else [groups[-1], column]
    del cells
    columns = [texts[codes] for codes, texts in groups]  # type: ignore[misc]
    header = _quote(np.array([str(c) for c in frame.columns], dtype=object))
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(header) + "\n")
        for start in range(0, len(frame), chunk):
            rows = zip(*(c[start : start + chunk].tolist() for c in columns), strict=True)
            out.write("\n".join(map(",".join, rows)) + "\n")
    return path
