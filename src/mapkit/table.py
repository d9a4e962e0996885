"""Reading a figures file (CSV or Excel ``.xlsx``) into a table of cells, as spreadsheets write it.

The file is checked for size and shape before it is parsed (:data:`LIMITS`), so that no input
takes more than a few times its size in memory or more than a few seconds to refuse. CSV files
may be UTF-8 (with or without a BOM) or UTF-16 with a BOM, separated by commas, semicolons or
tabs (the separator that makes the most known column names wins). Rows with no text in any cell
(Excel's ``,,,,,`` rows, blank sheet rows) are skipped in both formats. Every sheet of a workbook
that has the figure columns is read (:mod:`mapkit.workbook`); the others are named in a warning.
Control characters in a cell (NUL, escape sequences) are removed, with a warning naming the
first cell.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import FiguresError, MapkitError, plural, shown
from .formulas import restore_table
from .scan import check_utf8, scan
from .tableshape import (
    CONTROL,
    LIMITS,
    Table,
    TableWarning,
    check_header,
    header_names,
    where,
)
from .workbook import read_workbook

__all__ = ["DELIMITERS", "read_table"]

DELIMITERS = (",", ";", "\t")


def read_table(path: Path, known: Sequence[str], required: Sequence[str]) -> Table:
    """Read a figures file: CSV (``.csv``, ``.txt``) or Excel (``.xlsx``, ``.xlsm``).

    Parameters
    ----------
    path : Path
        The file.
    known : sequence of str
        The column names a figures file may have (chooses the CSV separator and the sheets).
    required : sequence of str
        The columns every figures file needs; their absence is refused with a hint.

    Raises
    ------
    FiguresError
        The file is missing, unreadable, too large, or lacks a required column.
    """
    if not path.exists():
        raise FiguresError("file not found", path)
    if path.is_dir():
        raise FiguresError("is a folder, not a figures file", path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            table = read_workbook(path, required)
        elif suffix in (".csv", ".txt", ""):
            table = _read_csv(path, known)
        else:
            raise FiguresError(f"unsupported file type {suffix!r}: use .csv or .xlsx", path)
    except MapkitError:
        raise
    except PermissionError:
        raise FiguresError("cannot be read (permission denied)", path) from None
    except Exception as exc:  # the readers' own messages name the problem
        raise FiguresError(
            f"cannot be read as a table: {shown(exc, 200, quoted=False)}", path
        ) from None
    check_header(list(table.cells.columns), path, required)
    _clean_controls(table, path)
    if table.cells.empty and not table.errors:
        raise FiguresError("has a header but no figures", path)
    return table


# CSV -------------------------------------------------------------------------------------------


def _decode(raw: bytes, path: Path) -> str:
    """The text of a CSV file: UTF-16 with a BOM, else UTF-8 (a BOM is dropped)."""
    utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
    try:
        return raw.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FiguresError(
            f"not {'UTF-16' if utf16 else 'UTF-8'} text (byte {exc.start}); save the file as CSV "
            "UTF-8",
            path,
        ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FiguresError(
            f"not UTF-8 text (byte {exc.start}); save the file as CSV UTF-8", path
        ) from None


def _delimiter(header_line: str, known: Sequence[str]) -> str:
    """The separator that splits the header into the most known column names (ties: comma)."""

    def score(sep: str) -> int:
        fields = next(csv.reader([header_line], delimiter=sep), [])
        return sum(f.strip().lower() in known for f in fields)

    return max(DELIMITERS, key=lambda sep: (score(sep), sep == ","))


def _read_csv(path: Path, known: Sequence[str]) -> Table:
    """Read a CSV figures file; pandas reads it, the ``csv`` module tells odd rows' lines.

    A UTF-8 file is looked over as bytes (:mod:`mapkit.scan`): its text is decoded whole only
    when pandas cannot read it row for line.
    """
    raw = path.read_bytes()
    found = scan(raw)
    if found.longest > LIMITS.line_chars:
        raise FiguresError(
            f"line {found.worst} is {found.longest:,} bytes long, more than a figures file's "
            f"{LIMITS.line_chars:,}; is it a figures table?",
            path,
        )
    utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
    text = _decode(raw, path) if utf16 or not check_utf8(raw) else ""  # or the error
    if text:  # a UTF-16 file: its lines and characters are those of its text
        found = scan(text.encode("utf-8"))
    source = io.StringIO(text) if text else io.BytesIO(raw)  # pandas reads bytes faster
    cut = 4 * LIMITS.line_chars + 4  # bytes enough for the header line's characters
    head = text or raw[:cut].decode("utf-8-sig", errors="ignore")
    whole = bool(text) or len(raw) <= cut
    if (not head or head.isspace()) and (whole or _decode(raw, path).isspace()):
        raise FiguresError("the file is empty", path)
    start = 0
    while head[start : start + 1].isspace():
        start += 1
    first_line = head[start : start + LIMITS.line_chars].splitlines()[0]
    widest = max(first_line.count(d) for d in DELIMITERS) + 1
    if widest > LIMITS.columns:
        raise FiguresError(
            f"the header has {widest:,} columns, more than a figures file's {LIMITS.columns:,}",
            path,
        )
    sep = _delimiter(first_line, known)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            cells = pd.read_csv(
                source,
                encoding=None if text else "utf-8-sig",
                sep=sep,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skipinitialspace=True,
                index_col=False,
                skip_blank_lines=False,
            )
    except (pd.errors.ParserError, pd.errors.ParserWarning):
        cells = None
    del source
    suspect = found.longest > LIMITS.cell_chars or found.controls
    header = next(csv.reader([first_line], delimiter=sep))
    regular = cells is not None and start == 0 and len(cells.columns) == len(header)
    if regular and found.lines == len(cells) + 1:
        cells.columns = header_names(header)
        table = Table(cells, np.arange(2, len(cells) + 2), [], sep, suspect=suspect)
        table = _drop_empty(table) if found.bare else table  # else no row can be empty
    else:
        table = _read_csv_rows(text or _decode(raw, path), path, header, sep)
        table.suspect = suspect
    if found.quote_first:  # mapkit's own exports read back unchanged
        table.cells = restore_table(table.cells)
    return table


def _read_csv_rows(text: str, path: Path, header: list[str], sep: str) -> Table:
    """Read a CSV file record by record, noting the line each record starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, skipinitialspace=True)
    rows, lines, errors = [], [], []
    seen_header = False
    while True:
        first = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # a cell longer than the csv module's limit (131,072)
            raise FiguresError(f"cannot be read as a table: {exc}", path, f"line {first}") from None
        if not any(cell.strip() for cell in record):
            continue
        if not seen_header:
            seen_header = True
            continue
        if len(record) > len(header):
            problem = f"{len(record)} fields, but the header has {len(header)}"
            errors.append(FiguresError(problem, path, f"line {first}"))
            continue
        rows.append(record + [""] * (len(header) - len(record)))
        lines.append(first)
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(header)
    cells = pd.DataFrame(
        {k: np.array(c, dtype=object) for k, c in enumerate(columns)}, dtype=object
    )
    cells.columns = header_names(header)
    return Table(cells, np.array(lines, dtype=int), errors, sep)


def _drop_empty(table: Table) -> Table:
    """The table without rows that have no text in any cell (spaces and tabs are no text)."""
    cells = table.cells
    if cells.empty:
        return table
    blank = np.arange(len(cells))  # the rows with no text in the columns looked at so far
    for k in range(cells.shape[1]):
        if not len(blank):
            return table
        texts = cells.iloc[blank, k].str.strip()
        blank = blank[texts.eq("").to_numpy(dtype=bool)]
    if not len(blank):
        return table
    filled = np.ones(len(cells), dtype=bool)
    filled[blank] = False
    kept = cells.iloc[filled].reset_index(drop=True)
    return Table(kept, table.origins[filled], table.errors, table.delimiter, suspect=table.suspect)


# Control characters ---------------------------------------------------------------------------


def _clean_controls(table: Table, path: Path) -> None:
    """Remove control characters from text cells (in place), warning once, naming the first;
    refuse a cell longer than :data:`LIMITS`."""
    if not table.suspect:
        return
    found, first = 0, ""
    for k, name in enumerate(table.cells.columns):
        column = table.cells.iloc[:, k]
        texts = column.map(lambda v: v if isinstance(v, str) else "")
        hit = texts.str.contains(CONTROL, regex=True).to_numpy(dtype=bool)
        too_long = np.flatnonzero(texts.str.len().to_numpy() > LIMITS.cell_chars)
        if len(too_long):
            row = too_long[0]
            raise FiguresError(
                f"column {name} holds {len(texts.iloc[row]):,} characters, more than a "
                f"figures cell's {LIMITS.cell_chars:,}",
                path,
                where(table.origins[row]),
            )
        if hit.any():
            rows = np.flatnonzero(hit)
            if not found:
                first = f"{where(table.origins[rows[0]])}, {name} {shown(texts.iloc[rows[0]])}"
            found += len(rows)
            cleaned = texts.iloc[rows].str.replace(CONTROL, " ", regex=True).str.split()
            table.cells.iloc[rows, k] = cleaned.str.join(" ").to_numpy()
    if found:
        warnings.warn(
            f"{path}: removed control characters from {plural(found, 'cell')} (first: {first})",
            TableWarning,
            stacklevel=3,
        )
