"""Reading the numbers and dates of a figures file as people write them, never guessing.

Numbers
-------
``1,234.5`` and ``1.234,5``, ``0,125`` and ``12.5``, ``1 234`` are each read one way only. A
value with one separator followed by exactly three digits (``37,154``, ``1.250``) reads
differently with a decimal point and with a decimal comma; its reading is decided by the file's
*convention*, in this order:

1. ``--decimal point`` or ``--decimal comma`` (``decimal=`` in the API), when given;
2. the file's other values: those that read one way only (``12.5``, ``0,125``, ``1.250.000``)
   show the convention; a semicolon-separated CSV (Excel's choice where the comma is the decimal
   separator) counts as a decimal comma;
3. with no such evidence, a comma before three digits is a thousands separator (``37,154`` =
   37154, as English-language sources and spreadsheets write it), while a dot before three digits
   (``37.154``) is refused with both readings: Azerbaijani writes thousands with a dot.

A file whose unambiguous values use both conventions has no convention: its ambiguous values are
refused with both readings.

Dates
-----
``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``YYYY/MM/DD``, ``DD.MM.YYYY`` (as Azerbaijani and Russian
sources write dates), ``MM.YYYY``, ``20 May 2025``, ``May 20, 2025`` and ``May 2025`` are read.
``05/06/2025`` (5 June or May 6?) is refused with both readings; ``20/05/2025`` is read, since 20
cannot be a month. A date after today is refused.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re

import numpy as np
import pandas as pd

from .errors import option, shown

__all__ = ["CONVENTIONS", "parse_date", "read_numbers", "readings"]

_quote = shown  # in functions with an argument of that name

CONVENTIONS = ("point", "comma")
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'")
_GROUPED = {
    "point": re.compile(r"[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?"),
    "comma": re.compile(r"[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d+)?"),
}
_AMBIGUOUS = re.compile(r"[+-]?[1-9]\d{0,2}[.,]\d{3}")
_SEPARATORS = {"point": ("point", "comma between thousands"), "comma": ("comma", "dot")}


def readings(text: str) -> dict[str, float | None]:
    """The number ``text`` stands for with a decimal point and with a decimal comma (None: not a
    number in that convention)."""
    plain = text.translate(_SPACES)
    out: dict[str, float | None] = {}
    for convention, grouped in _GROUPED.items():
        group, decimal = (",", ".") if convention == "point" else (".", ",")
        if grouped.fullmatch(plain):
            candidate = plain.replace(group, "").replace(decimal, ".")
        elif group not in plain and plain.count(decimal) <= 1:
            candidate = plain.replace(decimal, ".")
        else:
            candidate = ""
        try:
            out[convention] = float(candidate)
        except ValueError:
            out[convention] = None
    return out


def _evidence(text: str, number: dict[str, float | None]) -> str | None:
    """The convention a value shows by reading one way only (None for ``12`` or ``37,154``)."""
    if _AMBIGUOUS.fullmatch(text.translate(_SPACES)):
        return None
    if number["point"] is not None and number["comma"] is None:
        return "point"
    if number["comma"] is not None and number["point"] is None:
        return "comma"
    return None


def _differ(number: dict[str, float | None]) -> bool:
    """Whether the two readings are two different numbers."""
    point, comma = number["point"], number["comma"]
    return point is not None and comma is not None and point == point and point != comma


def _ambiguous(text: str, number: dict[str, float | None], why: str) -> str:
    point, comma = number["point"], number["comma"]
    return (
        f"value {shown(text)} is {point:g} with a decimal point but {comma:g} with a decimal "
        f"comma ({why}); give {option('decimal', 'point')} or {option('decimal', 'comma')}"
    )


def read_numbers(
    cells: np.ndarray, decimal: str | None = None, semicolons: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Read a column of values under one convention, decided once for the whole file.

    Parameters
    ----------
    cells : ndarray of object
        The cells: numbers (an Excel number is a number) or text.
    decimal : {"point", "comma"}, optional
        The file's convention, when the user stated it.
    semicolons : bool
        The file is a semicolon-separated CSV (a hint of the decimal comma).

    Returns
    -------
    tuple of ndarray
        Per cell, the number (NaN for an empty cell or one that is refused) and the reason a
        non-empty cell is refused (None where it was read).
    """
    if pd.api.types.infer_dtype(cells, skipna=False) != "string":
        cells = pd.Series(cells, dtype=object).map(_cell_text).to_numpy(dtype=object)
    codes, uniques = pd.factorize(cells)
    uniques = np.asarray(uniques, dtype=object)
    numbers = np.full(len(uniques), math.nan)
    problems = np.full(len(uniques), None, dtype=object)
    texts = np.array([isinstance(t, str) for t in uniques], dtype=bool)
    numbers[~texts] = uniques[~texts].astype(float)  # Excel's numbers are numbers
    plain, point_shown = _plain(uniques, texts)
    numbers[plain] = uniques[plain].astype(float)
    slow = np.flatnonzero(texts & ~plain & (uniques != ""))
    parsed = {k: readings(uniques[k]) for k in slow}
    shown_by: dict[str, list[str]] = {c: [] for c in CONVENTIONS}
    shown_by["point"] += uniques[point_shown][:1].tolist()
    for k, number in parsed.items():
        if seen := _evidence(uniques[k], number):
            shown_by[seen].append(uniques[k])
    if semicolons:
        shown_by["comma"].append(";")
    convention = decimal or (
        "point" if shown_by["point"] and not shown_by["comma"] else
        "comma" if shown_by["comma"] and not shown_by["point"] else None
    )  # fmt: skip
    if convention == "comma":  # 12.5 read by float() is no number with a decimal comma
        for k in np.flatnonzero(point_shown):
            numbers[k], parsed[k] = math.nan, readings(uniques[k])
    why = (
        f"the file has both {shown(shown_by['point'][0])} and {shown(shown_by['comma'][0])}"
        if shown_by["point"] and shown_by["comma"]
        else "the file shows no convention"
    )
    for k, number in parsed.items():
        value, problems[k] = _reading(uniques[k], number, convention, why, any(shown_by.values()))
        numbers[k] = math.nan if value is None else value
    bad = ~np.isfinite(numbers) & nones(problems) & (uniques != "")
    problems[bad] = [f"value {shown(t)} is not a finite number" for t in uniques[bad]]
    numbers[~np.isfinite(numbers)] = math.nan
    return numbers[codes], problems[codes]


def _plain(uniques: np.ndarray, texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which texts ``float()`` reads the same in either convention (``12``, ``1e3``), and which
    it reads as a decimal point only (``12.5``) — numpy parses both at C speed."""
    series = pd.Series(np.where(texts, uniques, ""), dtype=object)
    simple = series.str.fullmatch(r"[+-]?\d+(\.\d*)?([eE][+-]?\d+)?").to_numpy(dtype=bool)
    simple = simple & ~series.str.fullmatch(_AMBIGUOUS.pattern).to_numpy(dtype=bool)
    dotted = simple & series.str.contains(".", regex=False).to_numpy(dtype=bool)
    return simple, dotted


def nones(values: np.ndarray) -> np.ndarray:
    """Which entries of an object array are None."""
    return np.array([v is None for v in values], dtype=bool)


def _reading(
    text: str, number: dict[str, float | None], convention: str | None, why: str, shown: bool
) -> tuple[float | None, str | None]:
    """The value of one text under the file's convention, or the reason it is refused."""
    if convention:
        value = number[convention]
        if value is None and number[_other(convention)] is not None:
            return None, f"value {_quote(text)} is not a number with a decimal {convention}"
    elif _differ(number):
        if "," in text and not shown:
            return number["point"], None  # 37,154: thousands, as English writes them
        return None, _ambiguous(text, number, why)
    else:
        value = number["point"] if number["point"] is not None else number["comma"]
    if value is None:
        return None, f"value {_quote(text)} is not a number"
    return value, None


def _other(convention: str) -> str:
    return "comma" if convention == "point" else "point"


def _cell_text(cell: object) -> object:
    """A cell as text to read, or as a float when it already is a number."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return ""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return float(cell)
    return " ".join(str(cell).split())


# Dates -----------------------------------------------------------------------------------------

_MONTHS = {
    name.lower(): k
    for k in range(1, 13)
    for name in (calendar.month_name[k], calendar.month_abbr[k], calendar.month_abbr[k] + ".")
}
_MONTHS["sept"] = _MONTHS["sept."] = 9
_ISO = re.compile(r"(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?")
_DOTTED = re.compile(r"(?:(\d{1,2})\.)?(\d{1,2})\.(\d{4})")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DAY_MONTH = re.compile(r"(?:(\d{1,2})\s+)?([A-Za-z.]+)\s*(\d{4})")
_MONTH_DAY = re.compile(r"([A-Za-z.]+)\s+(\d{1,2}),?\s+(\d{4})")
_SHORT_YEAR = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2}")


def _parts(text: str) -> tuple[int, int | None, int | None]:
    """Year, month and day of a date as written (month and day None when not given)."""
    if match := _ISO.fullmatch(text):
        year, month, day = match.groups()
    elif match := _DOTTED.fullmatch(text):
        day, month, year = match.groups()
    elif match := _SLASHED.fullmatch(text):
        first, second, year = (int(g) for g in match.groups())
        if first <= 12 and second <= 12 and first != second:
            raise ValueError(
                f"date {shown(text)} is ambiguous: {first} {calendar.month_name[second]} or "
                f"{second} {calendar.month_name[first]}; write it as YYYY-MM-DD"
            )
        day, month = (first, second) if first > 12 or first == second else (second, first)
    elif (match := _DAY_MONTH.fullmatch(text)) and match.group(2).lower() in _MONTHS:
        day, month, year = match.group(1), _MONTHS[match.group(2).lower()], match.group(3)
    elif (match := _MONTH_DAY.fullmatch(text)) and match.group(1).lower() in _MONTHS:
        month, day, year = _MONTHS[match.group(1).lower()], match.group(2), match.group(3)
    elif text.isdigit() and len(text) == 5:
        raise ValueError(
            f"date {shown(text)} looks like an Excel date number: format the cell as a date"
        )
    elif _SHORT_YEAR.fullmatch(text):
        raise ValueError(f"date {shown(text)} has a two-digit year; write it as YYYY-MM-DD")
    else:
        raise ValueError(
            f"date {shown(text)} is not a date (write YYYY-MM-DD, DD.MM.YYYY, YYYY-MM or YYYY)"
        )
    return int(year), int(month) if month else None, int(day) if day else None


def parse_date(text: str, *, end: bool, today: dt.date | None = None) -> dt.date:
    """Parse a date as sources write it (see the module's notes), at the precision given.

    Parameters
    ----------
    text : str
        The date as stated: ``2025``, ``2025-05``, ``2025-05-20``, ``20.05.2025``, ``20 May 2025``.
    end : bool
        For a partial date, give the last day of the month or year (True) or the first (False).
    today : date, optional
        Refuse a date whose first day is after this one (no check when None).

    Raises
    ------
    ValueError
        The text is not such a date, is ambiguous, does not exist (2025-02-30) or is in the future.
    """
    text = " ".join(str(text).split())
    year, month, day = _parts(text)
    try:
        if month is None:
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        elif day is None:
            days = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
            first, last = dt.date(year, month, 1), dt.date(year, month, days)
        else:
            first = last = dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"date {shown(text)} does not exist") from None
    if today is not None and first > today:
        raise ValueError(f"date {shown(text)} is in the future")
    return last if end else first
