"""Reading the figures of an Excel workbook (``.xlsx``): every sheet that has the figure columns.

A workbook is checked before it is parsed: no part may expand past :data:`LIMITS` (a zip bomb),
no sheet may state more rows than a figures sheet has. Sheets are read with openpyxl in
read-only mode, only as wide as their header, so a row reaching column XFD is not padded to
16,384 cells. Blank rows are skipped; a date serial in a date column is read as the date; a
formula with no saved value is noted, so that its row is refused saying so.
"""

from __future__ import annotations

import datetime as dt
import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import FiguresError, plural, shown
from .tableshape import LIMITS, Table, TableWarning, check_header, header_names

__all__ = ["read_workbook"]


def _check_workbook(path: Path) -> None:
    """Refuse a workbook whose parts expand past :data:`LIMITS` (before anything is parsed)."""
    with zipfile.ZipFile(path) as archive:
        for part in archive.infolist():
            if part.file_size > LIMITS.xlsx_part_bytes:
                raise FiguresError(
                    f"{part.filename} expands to {part.file_size:,} bytes, more than a figures "
                    f"workbook's {LIMITS.xlsx_part_bytes:,}; is it a figures table?",
                    path,
                )


def read_workbook(path: Path, required: Sequence[str]) -> Table:
    """Read every sheet that has the required columns; warn about the sheets that have not."""
    import openpyxl

    _check_workbook(path)
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    formulas_book = None
    try:
        parts, skipped = [], []
        for sheet in book.worksheets:
            header, header_line = _sheet_header(sheet, path)
            names = header_names(header)
            if not set(required) <= set(names):
                skipped.append((sheet.title, names))
                continue
            check_header(names, path, required)
            width = len(header)
            body, lines = [], []
            _check_rows(sheet, path)
            rows = sheet.iter_rows(min_row=header_line + 1, max_col=width, values_only=True)
            for line, row in enumerate(rows, start=header_line + 1):
                if line > LIMITS.sheet_rows:
                    _check_rows(sheet, path, line)
                cells = list(row) + [None] * (width - len(row))
                if any(c is not None and str(c).strip() for c in cells):
                    body.append(cells)
                    lines.append(line)
            parts.append((sheet.title, names, body, lines))
        if not parts:
            if len(skipped) == 1:
                check_header(skipped[0][1], path, required)
            raise FiguresError(
                f"no sheet has the figure columns ({', '.join(required)}): sheets "
                f"{', '.join(shown(s) for s, _ in skipped)}",
                path,
            )
        if skipped:
            warnings.warn(
                f"{path}: skipped {plural(len(skipped), 'sheet')} without the figure columns: "
                f"{', '.join(shown(s) for s, _ in skipped)}",
                TableWarning,
                stacklevel=4,
            )
        formulas_book = openpyxl.load_workbook(path, read_only=True, data_only=False)
        return _join_sheets(parts, formulas_book, len(book.worksheets) > 1, required)
    finally:
        book.close()
        if formulas_book is not None:
            formulas_book.close()


def _check_rows(sheet, path: Path, rows: int | None = None) -> None:
    """Refuse a sheet of more than :data:`LIMITS` rows: stated in the sheet (checked before
    reading it) or found while reading (``rows``)."""
    stated = sheet.max_row if rows is None else rows
    if stated is not None and stated > LIMITS.sheet_rows:
        size = (
            f"{stated:,} rows ({sheet.calculate_dimension()})"
            if rows is None
            else (f"more than {rows - 1:,} rows")
        )
        raise FiguresError(
            f"the sheet has {size}, more than a figures sheet's {LIMITS.sheet_rows:,}: "
            "delete the empty rows below the figures, or save the figures as CSV",
            path,
            _sheet(sheet),
        )
    sheet.reset_dimensions()  # the stated size may be wrong: read the sheet's real rows


def _sheet_header(sheet, path: Path) -> tuple[list[str], int]:
    """The first row with text (the header, cut after its last named column) and its line."""
    rows = sheet.iter_rows(max_col=LIMITS.columns + 1, values_only=True)
    for line, row in enumerate(rows, start=1):
        named = [k for k, c in enumerate(row) if c is not None and str(c)]
        if named:
            if named[-1] >= LIMITS.columns:
                raise FiguresError(
                    f"the header has more than {LIMITS.columns:,} columns", path, _sheet(sheet)
                )
            return ["" if c is None else str(c) for c in row[: named[-1] + 1]], line
    return [], 0


def _join_sheets(parts: list, formulas_book, several: bool, required: Sequence[str]) -> Table:
    """One table from the sheets' rows; cells that are formulas with no saved value noted."""
    frames, origins, formulas = [], [], set()
    offset = 0
    for title, names, body, lines in parts:
        frame = pd.DataFrame(body, columns=range(len(names)), dtype=object)
        frame.columns = names
        needed = [j for j, name in enumerate(names) if name in required]
        empty = [(k, names[j]) for k, row in enumerate(body) for j in needed if row[j] is None]
        if empty:
            formulas |= _formula_cells(formulas_book[title], empty, lines, names, offset)
        frame = frame.where(frame.notna(), "")
        for column in frame.columns:
            if column in ("as_of", "period_start", "published"):
                frame[column] = frame[column].map(_serial_date)
        frames.append(frame)
        origins += [f"sheet {shown(title)}, line {line}" for line in lines] if several else lines
        offset += len(body)
    cells = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    kind = object if several else int
    return Table(cells, np.array(origins, dtype=kind), [], "", frozenset(formulas))


def _formula_cells(sheet, empty: list, lines: list[int], names: list[str], offset: int) -> set:
    """Of the empty cells (row, column), those whose sheet cell is a formula."""
    wanted = {lines[k]: k for k, _ in empty}
    found = set()
    sheet.reset_dimensions()
    rows = sheet.iter_rows(max_row=max(wanted), max_col=len(names), values_only=True)
    for line, row in enumerate(rows, start=1):
        if line in wanted:
            for j, cell in enumerate(row):
                if isinstance(cell, str) and cell.startswith("="):
                    found.add((offset + wanted[line], names[j]))
    return found


def _sheet(sheet) -> str:
    return f"sheet {shown(sheet.title)}"


def _serial_date(cell: object) -> object:
    """An Excel date serial (a number in a date column) as the date it stands for."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and 1 <= cell < 2958466:
        return (dt.datetime(1899, 12, 30) + dt.timedelta(days=float(cell))).date()
    return cell
