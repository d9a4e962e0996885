"""The shape of a figures table, whatever file it comes from: its limits, its cells, its header.

:mod:`mapkit.table` reads CSV files and :mod:`mapkit.workbook` Excel workbooks into a
:class:`Table`; both check the header with :func:`check_header` and bound the work with
:data:`LIMITS`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import FiguresError, shown

__all__ = [
    "CONTROL",
    "LIMITS",
    "Limits",
    "Table",
    "TableWarning",
    "check_header",
    "header_names",
    "where",
]


@dataclass(frozen=True)
class Limits:
    """How large a figures file may be; each far above any real one."""

    line_chars: int = 1_000_000  # the longest CSV line
    columns: int = 1_000  # columns in the header
    cell_chars: int = 100_000  # characters in one cell (Excel itself stops at 32,767)
    sheet_rows: int = 200_000  # rows of one sheet (a larger table is a CSV file's job)
    xlsx_part_bytes: int = 256 * 2**20  # one part of a workbook, uncompressed


LIMITS = Limits()

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters a cell may not keep (C0 but tab and line ends, DEL, C1)."""


class TableWarning(UserWarning):
    """Something in a figures file was skipped or cleaned (a README sheet, a control character)."""


@dataclass
class Table:
    """The cells of a figures file.

    Attributes
    ----------
    cells : DataFrame
        Lower-case column names; CSV cells are strings (``""`` when empty), Excel cells keep
        Excel's types (numbers, dates).
    origins : ndarray
        Where each row is: its line number (int) in a CSV file or a one-sheet workbook,
        ``sheet 'S', line N`` in a workbook of several sheets (see :func:`where`).
    errors : list of FiguresError
        Rows that cannot be read at all (more fields than the header); not in :attr:`cells`.
    delimiter : str
        The CSV separator (``""`` for a workbook).
    formulas : set of (int, str)
        The (row, column) cells holding a formula with no saved value.
    """

    cells: pd.DataFrame
    origins: np.ndarray
    errors: list[FiguresError]
    delimiter: str = ""
    formulas: frozenset[tuple[int, str]] = frozenset()
    suspect: bool = True  # may hold control characters or over-long cells (False: checked)


# Column names --------------------------------------------------------------------------------

_COLUMN_HINTS = {
    "area": ("district", "rayon", "region", "name", "location", "territory", "raion"),
    "as_of": ("date", "as of", "asof", "as-of", "reported", "published"),
    "value": ("amount", "number", "figure", "count", "total"),
    "unit": ("units", "measure"),
    "source": ("citation", "reference", "publisher", "url", "link"),
}


def header_names(header: Iterable[object]) -> list[str]:
    names = [str(c).strip().lower() for c in header]
    return ["area" if n == "place" and "area" not in names else n for n in names]


def check_header(names: list[str], path: Path, required: Sequence[str]) -> None:
    """Refuse a header with a column given twice, or one without a required column.

    A missing column is named with the column that was probably meant (``district`` → ``area``).
    Runs in time linear in the number of columns.
    """
    twice = next((c for c, k in Counter(n for n in names if n).items() if k > 1), None)
    if twice is not None:
        raise FiguresError(f"column {shown(twice)} appears twice", path)
    missing = [c for c in required if c not in names]
    if missing:
        hints = [h for c in missing if (h := _column_hint(c, names))]
        hint = f" ({'; '.join(hints)})" if hints else ""
        found = f"; found {', '.join(shown(n, 40) for n in names[:12])}" if not hints else ""
        raise FiguresError(
            f"missing column(s) {', '.join(missing)}{hint}; a figures file needs "
            f"{', '.join(required)}{found}",
            path,
        )


def _column_hint(column: str, names: list[str]) -> str:
    """Which of ``names`` looks like ``column``: 'district' should be called 'area'."""
    spaced = column.replace("_", " ")
    for name in names:
        plain = " ".join(CONTROL.sub("", name).replace("_", " ").replace("-", " ").split())
        if plain == spaced or plain in _COLUMN_HINTS.get(column, ()):
            return f"is {shown(name)} the {column}? name that column {column}"
    return ""


def where(origin: object) -> str:
    """A row's origin in words: ``line 4``, ``sheet 'Aghdam', line 4``."""
    return origin if isinstance(origin, str) else f"line {origin}"
