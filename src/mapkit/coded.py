"""Columns of a figures table as codes of their distinct texts, so that a check, a look-up or a
date reading runs once per distinct value of a column, not once per row.

Used by :mod:`mapkit.checks`; dates are read by :func:`mapkit.cells.parse_date`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from .cells import parse_date

__all__ = [
    "Column",
    "attribute",
    "categorical",
    "codes_of",
    "combination",
    "dates",
    "labelled",
    "mostly_distinct",
    "numbered",
    "objects",
    "per_row",
    "plain",
    "series",
    "stacked",
    "text_column",
    "texts",
]


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


@dataclass
class Column:
    """One column of a figures table as normalised text: each distinct text once, and a code per
    row, so that a check or a look-up runs once per distinct value, not once per row."""

    codes: np.ndarray
    uniques: np.ndarray

    @classmethod
    def of(cls, values: np.ndarray | None, n: int) -> Column:
        """The column of ``values`` (one cell per row); an absent column (None) is all empty."""
        if values is None:
            return cls(np.zeros(n, dtype=np.intp), np.array([""], dtype=object))
        if pd.api.types.infer_dtype(values, skipna=False) == "string":
            codes, uniques = pd.factorize(values)
            return cls(codes, np.array([" ".join(u.split()) for u in uniques], dtype=object))
        codes, uniques = pd.factorize(np.array([_text(v) for v in values], dtype=object))
        return cls(codes, uniques.astype(object))

    def map(self, func: Callable[[str], object]) -> np.ndarray:
        """``func`` of each distinct text, as an object array indexed like :attr:`uniques`."""
        out = np.empty(len(self.uniques), dtype=object)
        out[:] = [func(u) for u in self.uniques]
        return out

    def rows(self, per_unique: np.ndarray | None = None) -> np.ndarray:
        """Per row: the text, or the value of ``per_unique`` (indexed like :attr:`uniques`)."""
        return (self.uniques if per_unique is None else per_unique)[self.codes]

    def categorical(
        self, rows: np.ndarray | slice, per_unique: np.ndarray | None = None
    ) -> pd.Categorical:
        """:meth:`rows` of ``rows`` (positions) as a :func:`categorical`."""
        return categorical(self.codes[rows], self.uniques if per_unique is None else per_unique)


def categorical(codes: np.ndarray, texts: np.ndarray) -> pd.Categorical:
    """``texts[codes]`` as a pandas categorical: one small integer per row, each text once.

    Its categories are the texts used, sorted, so that sorting or grouping by the column goes
    as by its text; texts equal after normalising become one category.
    """
    used = np.zeros(len(texts), dtype=bool)
    used[codes] = True
    categories, inverse = np.unique(np.asarray(texts, dtype=object)[used], return_inverse=True)
    renumbered = np.full(len(texts), -1, dtype=np.int64)
    renumbered[used] = inverse
    return pd.Categorical.from_codes(
        renumbered[codes], categories=pd.Index(categories, dtype="str")
    )


def codes_of(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Per row the number of its value (-1 for none), and the values: a categorical's own codes
    and categories (used or not), else ``pandas.factorize``."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(), np.asarray(column.cat.categories, dtype=object)
    codes, uniques = pd.factorize(column)
    return codes, np.asarray(uniques, dtype=object)


def per_row(column: pd.Series, mapping: Mapping[object, object] | pd.Series) -> np.ndarray:
    """``mapping`` of each row's text of ``column``, looked up once per distinct text, as a
    plain array (``Series.map`` of a categorical gives a categorical; NaN where none)."""
    codes, uniques = codes_of(column)
    found = pd.Series(uniques).map(mapping).to_numpy()
    return np.append(found, np.nan)[codes]  # a missing cell (code -1): NaN


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its categorical columns as pandas' text type: for the few rows that are
    shown or written one by one, or take texts their categories lack."""
    texts = [c for c, t in frame.dtypes.items() if isinstance(t, pd.CategoricalDtype)]
    return frame.astype(dict.fromkeys(texts, "str")) if texts else frame


def stacked(parts: list[pd.Series]) -> pd.Series:
    """Columns one under another, in the type of :func:`text_column`: categoricals stay one
    (their categories joined, sorted), a column of text where any part is plain text."""
    if all(isinstance(p.dtype, pd.CategoricalDtype) for p in parts):
        joined = union_categoricals(parts, sort_categories=True)
        return pd.Series(joined.remove_unused_categories(), copy=False)
    if any(isinstance(p.dtype, pd.CategoricalDtype) for p in parts):
        parts = [p.astype("str") if isinstance(p.dtype, pd.CategoricalDtype) else p for p in parts]
    return pd.concat(parts, ignore_index=True)


def text_column(values: np.ndarray | None, n: int, rows: np.ndarray | slice) -> pd.Series:
    """A free-text column (title, note, …) of ``rows``, normalised: a :func:`categorical` when
    texts repeat, pandas' text type when most differ; all empty when absent (None)."""
    if values is not None and mostly_distinct(values):
        return pd.Series(texts(values, n)[rows], dtype="str", copy=False)
    return pd.Series(Column.of(values, n).categorical(rows), copy=False)


def numbered(keys: np.ndarray, span: int) -> tuple[np.ndarray, np.ndarray]:
    """Codes of integer ``keys`` (``0 <= key < span``), numbered in the keys' order, and the keys
    they stand for; by a table of every possible key where that is small, without hashing."""
    if span > 4 * len(keys) + 2**16 or keys.min(initial=0) < 0:
        return pd.factorize(keys, sort=True)
    used = np.zeros(span, dtype=bool)
    used[keys] = True
    uniques = np.flatnonzero(used)
    number = np.zeros(span, dtype=np.intp)
    number[uniques] = np.arange(len(uniques))
    return number[keys], uniques


def mostly_distinct(values: np.ndarray, sample: int = 4096) -> bool:
    """Whether most cells of a column differ (ids, lines), judged on ``sample`` cells spread
    over it: coding such a column by its distinct texts saves nothing."""
    taken = values[:: max(1, len(values) // sample)]
    return len(taken) > 64 and len(pd.unique(taken)) > len(taken) // 2


def texts(values: np.ndarray | None, n: int) -> np.ndarray:
    """A free-text column (title, note, …) as normalised text, one entry per row; each distinct
    text normalised once, unless most differ."""
    out = np.empty(n, dtype=object)
    if values is None:
        out[:] = ""
    elif pd.api.types.infer_dtype(values, skipna=False) != "string":
        out[:] = [_text(v) for v in values]
    elif mostly_distinct(values):
        out[:] = [" ".join(v.split()) for v in values]
    else:
        codes, uniques = pd.factorize(values)
        out[:] = objects([" ".join(u.split()) for u in uniques])[codes]
    return out


def dates(
    column: Column, *, end: bool, today: dt.date | None
) -> tuple[np.ndarray, np.ndarray, list[dt.date | None]]:
    """Parse each distinct date once: per distinct text its datetime64 (NaT for an empty text),
    its error message (None when it parsed) and its date."""
    stamps = np.full(len(column.uniques), np.datetime64("NaT"), dtype="datetime64[s]")
    problems = np.full(len(column.uniques), None, dtype=object)
    parsed: list[dt.date | None] = []
    for i, text in enumerate(column.uniques):
        date = None
        if text:
            try:
                date = parse_date(text, end=end, today=today)
                stamps[i] = np.datetime64(date, "s")
            except ValueError as exc:
                problems[i] = str(exc)
        parsed.append(date)
    return stamps, problems, parsed


def objects(values: list[object]) -> np.ndarray:
    """A list as a one-dimensional object array."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def labelled(
    prefix: str, lines: np.ndarray, label: Callable[[object], object], number: str = ""
) -> np.ndarray:
    """``prefix`` and ``label(line)`` for each line; line numbers (a CSV file's) at once, as
    ``prefix``, ``number`` and the number, which is what ``label`` makes of them."""
    if lines.dtype.kind in "iu":
        return objects(list(map((prefix + number).__add__, map(str, lines.tolist()))))
    return objects([f"{prefix}{label(line)}" for line in lines.tolist()])


def attribute(values: np.ndarray, name: str) -> np.ndarray:
    """An attribute of each entry of an object array ("" for None)."""
    out = np.empty(len(values), dtype=object)
    out[:] = [getattr(v, name) if v is not None else "" for v in values]
    return out


def series(
    codes: dict[str, np.ndarray],
    kind_codes: np.ndarray,
    key: Callable[[int], str],
    rows: np.ndarray,
) -> pd.Categorical:
    """The series of each of ``rows`` (a :func:`categorical`): ``key(row)`` called once per
    distinct combination of ``codes`` and ``kind_codes`` (indexed like the whole table) among
    ``rows``."""
    if not len(rows):
        return categorical(np.empty(0, dtype=np.intp), np.empty(0, dtype=object))
    group = combination([*codes.values(), kind_codes], rows)
    first = np.empty(group.max() + 1, dtype=np.intp)
    first[group[::-1]] = rows[::-1]
    names = np.empty(len(first), dtype=object)
    names[:] = [key(int(r)) for r in first]
    return categorical(group, names)


def combination(codes: list[np.ndarray], rows: np.ndarray) -> np.ndarray:
    """Per row of ``rows``, the number of its combination of ``codes`` (integer codes, -1 for
    none, indexed like the whole table), numbered in order of first appearance."""
    key, size = np.zeros(len(rows), dtype=np.int64), 1
    for code in codes:
        span = int(code.max()) + 2 if len(code) else 1
        if size * span >= 2**62:  # too many combinations for one integer: let pandas group
            combos = pd.DataFrame({k: c[rows] for k, c in enumerate(codes)})
            return combos.groupby(list(combos.columns), sort=False).ngroup().to_numpy()
        key += (code[rows].astype(np.int64) + 1) * size
        size *= span
    return pd.factorize(key)[0]
