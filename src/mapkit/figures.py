"""The figures: cited, dated statements of contamination and clearance, one row each.

A figure keeps the value and unit *as stated* by its source; conversions (1 km² = 100 ha) happen on
read, into ``value_std`` and ``unit_std``. Every row carries its source and as-of date; a row
without them is rejected with its file and line, never dropped in silence.

The embedded dataset is ``geo/figures.csv`` with its sources in ``geo/sources.csv``; the metric
vocabulary is ``geo/metrics.csv`` and the units ``geo/units.csv``. A user's own file (CSV or Excel
``.xlsx``) needs at least the columns ``area, metric, value, unit, as_of, source``.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import math
import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

import numpy as np
import pandas as pd

from .data import geo_path, read_table
from .errors import FiguresError, FiguresRejected, MapkitError
from .names import COUNTRY, GROUP_SEPARATOR, gazetteer

REQUIRED = ("area", "metric", "value", "unit", "as_of", "source")
KINDS = ("cumulative", "flow", "stock")
QUALIFIERS = ("", "more than", "about", "estimated", "less than", "at least", "nearly", "up to")
COLUMNS = (
    "id",
    "area",
    "iso",
    "area_name",
    "metric",
    "value",
    "unit",
    "qualifier",
    "kind",
    "scope",
    "series",
    "period_start",
    "as_of",
    "source",
    "publisher",
    "title",
    "published",
    "author",
    "speaker",
    "url",
    "locator",
    "note",
    "value_std",
    "unit_std",
    "as_of_date",
    "period_start_date",
    "origin",
)
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


class FiguresWarning(UserWarning):
    """A figure kept but not placed on the map (a former or unnamed district)."""


@dataclass(frozen=True)
class Metric:
    """One metric of the vocabulary (``geo/metrics.csv``)."""

    name: str
    label: str
    dimension: str
    default_kind: str
    sum_of: tuple[str, ...]


@dataclass(frozen=True)
class Unit:
    """One unit (``geo/units.csv``): its dimension and factor to the dimension's base unit."""

    name: str
    dimension: str
    factor: float
    base: str
    label: str


@cache
def metrics() -> dict[str, Metric]:
    """The metric vocabulary, by name."""
    return {
        r.metric: Metric(
            r.metric,
            r.label,
            r.dimension,
            r.default_kind,
            tuple(p for p in r.sum_of.split("+") if p),
        )
        for r in read_table("metrics.csv").itertuples()
    }


@cache
def units() -> dict[str, Unit]:
    """The units figures may be stated in, by name."""
    return {
        r.unit: Unit(r.unit, r.dimension, float(r.factor), r.base_unit, r.label)
        for r in read_table("units.csv").itertuples()
    }


_UNIT_SPELLINGS = {
    "km²": "km2",
    "sq km": "km2",
    "hectares": "ha",
    "hectare": "ha",
    "percent": "%",
    "usd": "USD",
    "$": "USD",
    "items": "count",
    "people": "count",
}


def parse_date(text: str, *, end: bool) -> dt.date:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    Parameters
    ----------
    text : str
        The date as stated, at the precision the source gave.
    end : bool
        For a partial date, give the last day of the month or year (True) or the first (False).

    Raises
    ------
    ValueError
        The text is not such a date, or the date does not exist (2025-02-30).
    """
    match = _DATE.match(text.strip())
    if not match:
        raise ValueError(f"date {text!r} is not YYYY-MM-DD (or YYYY-MM, YYYY)")
    year = int(match.group(1))
    month = int(match.group(2) or (12 if end else 1))
    day = match.group(3)
    try:
        if day is None:
            last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
            return dt.date(year, month, last if end else 1)
        return dt.date(year, month, int(day))
    except ValueError:
        raise ValueError(f"date {text!r} does not exist") from None


def series_key(
    metric: str, kind: str, start: dt.date | None, end: dt.date, start_text: str, scope: str
) -> str:
    """Which comparable series a figure belongs to, as a short name (``cleared_area_2025``).

    Figures of one series can share a map: the same metric, kind and period start (and, for
    flows, the same period). A figure about part of a place only (a ``scope``) is in no series.
    """
    if scope:
        return ""
    if kind != "flow":
        return f"{metric}_since_{start_text.replace('-', '_')}" if start_text else metric
    if start is None:
        return f"{metric}_to_{end.isoformat().replace('-', '_')}"
    last = calendar.monthrange(end.year, end.month)[1]
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return f"{metric}_{start.year}"
    if start.day == 1 and end.day == last and (start.year, start.month) == (end.year, end.month):
        return f"{metric}_{start.year}_{start.month:02d}"
    return f"{metric}_{start.isoformat()}_{end.isoformat()}".replace("-", "_")


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


def _number(text: str) -> float:
    cleaned = text.replace("\u00a0", "").replace(" ", "")
    if _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(",", "")
    try:
        number = float(cleaned)
    except ValueError:
        raise ValueError(f"value {text!r} is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"value {text!r} is not a finite number")
    return number


_TEXT_COLUMNS = ("title", "published", "author", "speaker", "url", "locator", "note")


@dataclass
class _Column:
    """One column of a figures table as normalised text: each distinct text once, and a code per
    row, so that a check or a look-up runs once per distinct value, not once per row."""

    codes: np.ndarray
    uniques: np.ndarray

    @classmethod
    def of(cls, values: np.ndarray | None, n: int) -> _Column:
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


def _texts(values: np.ndarray | None, n: int) -> np.ndarray:
    """A free-text column (title, note, …) as normalised text, one entry per row."""
    out = np.empty(n, dtype=object)
    if values is None:
        out[:] = ""
    elif pd.api.types.infer_dtype(values, skipna=False) == "string":
        out[:] = [" ".join(v.split()) for v in values]
    else:
        out[:] = [_text(v) for v in values]
    return out


def _values(values: np.ndarray) -> np.ndarray:
    """The numbers of a value column; NaN where a cell is not a finite number.

    Cells that are plain numbers are parsed by numpy, which calls ``float()`` on each (exactly
    Python's parsing); cells with a comma or a space go through :func:`_number` one by one.
    """
    if pd.api.types.infer_dtype(values, skipna=False) != "string":
        values = np.array([_text(v) for v in values], dtype=object)
    try:
        numbers = values.astype(float)
    except ValueError:
        numbers = np.empty(len(values), dtype=float)
        spaced = np.fromiter(
            ("," in v or " " in v or "\u00a0" in v for v in values), dtype=bool, count=len(values)
        )
        plain = np.flatnonzero(~spaced)
        try:
            numbers[plain] = values[plain].astype(float)
        except ValueError:
            numbers[plain] = [_number_or_nan(v) for v in values[plain]]
        spaced = np.flatnonzero(spaced)
        numbers[spaced] = [_number_or_nan(v) for v in values[spaced]]
    numbers[~np.isfinite(numbers)] = np.nan
    return numbers


def _number_or_nan(text: str) -> float:
    """:func:`_number` of a cell, or NaN where it is not a finite number."""
    try:
        return _number(" ".join(text.split()))
    except ValueError:
        return math.nan


def _dates(column: _Column, *, end: bool) -> tuple[np.ndarray, np.ndarray, list[dt.date | None]]:
    """Parse each distinct date once: per distinct text its datetime64 (NaT for an empty text),
    its error message (None when it parsed) and its date."""
    stamps = np.full(len(column.uniques), np.datetime64("NaT"), dtype="datetime64[s]")
    problems = np.full(len(column.uniques), None, dtype=object)
    parsed: list[dt.date | None] = []
    for i, text in enumerate(column.uniques):
        date = None
        if text:
            try:
                date = parse_date(text, end=end)
                stamps[i] = np.datetime64(date, "s")
            except ValueError as exc:
                problems[i] = str(exc)
        parsed.append(date)
    return stamps, problems, parsed


@dataclass
class _Read:
    """The outcome of reading a table of figures."""

    figures: pd.DataFrame
    errors: list[FiguresError]
    unplaced: list[tuple[int, str]]


def _figures(
    table: pd.DataFrame,
    source: str | Path,
    origin: str,
    lines: np.ndarray,
    default_id: str | None = None,
) -> _Read:
    """Check every row of a figures table at once and normalise the rows that pass.

    Parameters
    ----------
    table : DataFrame
        Lower-case column names; must hold the :data:`REQUIRED` columns.
    source : str or Path
        The file, named by each error.
    origin : str
        How the file is named in ``origin`` (``file, line N``).
    lines : ndarray of int
        The line number of each row in the file.
    default_id : str, optional
        A row without an ``id`` gets ``{default_id}/{line}``; without it, an empty id.

    Returns
    -------
    _Read
        The figures that passed (columns :data:`COLUMNS`), one error per rejected row naming its
        line (the first problem found in it, checked in the same order for every row), and the
        lines and names of figures that are kept but not placed on a polygon.
    """
    n = len(table)
    # A duplicated column name keeps its last column, as a dict of rows would.
    raw = {c: table.iloc[:, i].to_numpy(dtype=object) for i, c in enumerate(table.columns)}
    looked_up = ("area", "metric", "unit", "as_of", "source", "qualifier", "kind", "scope")
    col = {c: _Column.of(raw.get(c), n) for c in (*looked_up, "period_start")}
    value = _values(raw["value"])
    problem = np.full(n, None, dtype=object)
    bad = np.zeros(n, dtype=bool)

    def reject(mask: np.ndarray, messages: np.ndarray | Callable[[np.ndarray], list[str]]) -> None:
        new = mask & ~bad
        if new.any():
            where = np.flatnonzero(new)
            problem[where] = messages(where) if callable(messages) else messages[where]
            bad[where] = True

    def value_texts(i: np.ndarray) -> np.ndarray:
        return _texts(raw["value"][i], len(i))

    # The checks, in the order a row's first problem is reported.
    for name in REQUIRED:
        if name == "value":  # an empty cell is not a number; the value column is not looked up
            unparsed = np.flatnonzero(np.isnan(value))
            empty = np.zeros(n, dtype=bool)
            empty[unparsed] = value_texts(unparsed) == ""
        else:
            empty = col[name].rows(col[name].uniques == "")
        reject(empty, lambda i, name=name: [f"missing {name}"] * len(i))

    vocabulary, known_units = metrics(), units()
    metric = col["metric"].map(lambda t: vocabulary.get(t.lower()))
    reject(
        col["metric"].rows(_none(metric)),
        lambda i: [
            f"unknown metric {t!r} (known: {', '.join(vocabulary)})"
            for t in col["metric"].rows()[i]
        ],
    )
    unit = col["unit"].map(lambda t: known_units.get(_UNIT_SPELLINGS.get(t.lower(), t)))
    reject(
        col["unit"].rows(_none(unit)),
        lambda i: [
            f"unknown unit {t!r} (known: {', '.join(known_units)})" for t in col["unit"].rows()[i]
        ],
    )
    dimensions = {d: k for k, d in enumerate(sorted({m.dimension for m in vocabulary.values()}))}
    metric_dim = col["metric"].rows(
        np.array([dimensions.get(m.dimension, -1) if m else -2 for m in metric], dtype=int)
    )
    unit_dim = col["unit"].rows(
        np.array([dimensions.get(u.dimension, -3) if u else -4 for u in unit], dtype=int)
    )
    reject(
        metric_dim != unit_dim,
        lambda i: [
            f"unit {t!r} does not fit metric {m.name!r} (a {m.dimension})"
            for t, m in zip(col["unit"].rows()[i], col["metric"].rows(metric)[i], strict=True)
        ],
    )

    def not_a_number(i: np.ndarray) -> list[str]:
        out = []
        for text in value_texts(i):
            try:
                _number(text)
            except ValueError as exc:
                out.append(str(exc))
        return out

    reject(np.isnan(value), not_a_number)
    reject(value < 0, lambda i: [f"value {t} is negative" for t in value_texts(i)])
    share = col["unit"].rows(
        np.array([u is not None and u.dimension == "share" for u in unit], dtype=bool)
    )
    reject(
        share & (value > 100),
        lambda i: [f"value {t} % is more than 100 %" for t in value_texts(i)],
    )
    with np.errstate(over="ignore", invalid="ignore"):
        factor = np.array([u.factor if u else math.nan for u in unit], dtype=float)
        value_std = value * col["unit"].rows(factor)
    reject(
        ~np.isfinite(value_std),
        lambda i: [
            f"value {t} {u} is too large"
            for t, u in zip(value_texts(i), col["unit"].rows()[i], strict=True)
        ],
    )

    qualifier = col["qualifier"].map(str.lower)
    reject(
        col["qualifier"].rows(np.array([q not in QUALIFIERS for q in qualifier], dtype=bool)),
        lambda i: [
            f"unknown qualifier {q!r} (known: {', '.join(QUALIFIERS[1:])})"
            for q in col["qualifier"].rows(qualifier)[i]
        ],
    )
    default_kind = np.array([m.default_kind if m else "" for m in metric], dtype=object)
    stated_kind = col["kind"].rows(col["kind"].map(str.lower))
    kinds = _Column.of(
        np.where(stated_kind == "", col["metric"].rows(default_kind), stated_kind), n
    )
    reject(
        kinds.rows(np.array([k not in KINDS for k in kinds.uniques], dtype=bool)),
        lambda i: [f"unknown kind {k!r} (known: {', '.join(KINDS)})" for k in kinds.rows()[i]],
    )

    as_of_stamps, as_of_problems, as_of_dates = _dates(col["as_of"], end=True)
    reject(col["as_of"].rows(~_none(as_of_problems)), col["as_of"].rows(as_of_problems))
    start_stamps, start_problems, start_dates = _dates(col["period_start"], end=False)
    reject(
        col["period_start"].rows(~_none(start_problems)), col["period_start"].rows(start_problems)
    )
    as_of_date = col["as_of"].rows(as_of_stamps)
    start_date = col["period_start"].rows(start_stamps)
    reject(
        start_date > as_of_date,
        lambda i: [
            f"period ends ({a}) before it starts ({s})"
            for a, s in zip(col["as_of"].rows()[i], col["period_start"].rows()[i], strict=True)
        ],
    )

    areas = col["area"]
    iso, area_name, area_problem, unplaced = _places(areas.uniques)
    reject(areas.rows(~_none(area_problem)), areas.rows(area_problem))

    # The rows that passed, normalised.
    errors = [FiguresError(problem[i], source, f"line {lines[i]}") for i in np.flatnonzero(bad)]
    kept = np.flatnonzero(~bad)
    keep = kept if bad.any() else slice(None)
    lines = lines[keep]

    def rows(name: str, per_unique: np.ndarray | None = None) -> np.ndarray:
        return col[name].rows(per_unique)[keep]

    ids = _texts(raw.get("id"), n)[keep]
    if default_id is not None:
        missing = np.flatnonzero(ids == "")
        ids[missing] = [f"{default_id}/{line}" for line in lines[missing].tolist()]
    publisher = _texts(raw.get("publisher"), n)[keep]
    publisher = np.where(publisher == "", rows("source"), publisher)
    value = value[keep]
    codes = {c: col[c].codes for c in ("metric", "period_start", "as_of", "scope")}
    flow = kinds.rows(kinds.uniques == "flow")
    series = _series(  # a total's series does not depend on its as-of date, a flow's does
        {**codes, "as_of": np.where(flow, codes["as_of"], -1)},
        kinds.codes,
        lambda r: series_key(
            metric[codes["metric"][r]].name,
            kinds.uniques[kinds.codes[r]],
            start_dates[codes["period_start"][r]],
            as_of_dates[codes["as_of"][r]],
            col["period_start"].uniques[codes["period_start"][r]],
            col["scope"].uniques[codes["scope"][r]],
        ),
        kept,
    )
    columns = {
        "id": ids,
        "area": rows("area"),
        "iso": rows("area", iso),
        "area_name": rows("area", area_name),
        "metric": rows("metric", _attribute(metric, "name")),
        "value": value,
        "unit": rows("unit", _attribute(unit, "name")),
        "qualifier": rows("qualifier", qualifier),
        "kind": kinds.rows()[keep],
        "scope": rows("scope"),
        "series": series,
        "period_start": rows("period_start"),
        "as_of": rows("as_of"),
        "source": rows("source"),
        "publisher": publisher,
        **{c: _texts(raw.get(c), n)[keep] for c in _TEXT_COLUMNS},
        "value_std": value_std[keep],
        "unit_std": rows("unit", _attribute(unit, "base")),
        "as_of_date": as_of_date[keep],
        "period_start_date": start_date[keep],
        "origin": _objects([f"{origin}, line {line}" for line in lines.tolist()]),
    }
    placed_not = np.flatnonzero(rows("area", unplaced).astype(bool))
    figures = pd.DataFrame(columns if len(lines) else None, columns=list(COLUMNS))
    return _Read(
        figures.astype({"value": float, "value_std": float}),
        errors,
        [(int(lines[i]), str(columns["area_name"][i])) for i in placed_not],
    )


def _objects(values: list[object]) -> np.ndarray:
    """A list as a one-dimensional object array."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _none(values: np.ndarray) -> np.ndarray:
    """Which entries of an object array are None."""
    return np.array([v is None for v in values], dtype=bool)


def _attribute(values: np.ndarray, name: str) -> np.ndarray:
    """An attribute of each entry of an object array ("" for None)."""
    out = np.empty(len(values), dtype=object)
    out[:] = [getattr(v, name) if v is not None else "" for v in values]
    return out


def _places(names: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Resolve each distinct area name once: its code, display name, problem and whether it is a
    former or unnamed district, kept but not placed."""
    gaz = gazetteer()
    iso = np.full(len(names), "", dtype=object)
    display = np.full(len(names), "", dtype=object)
    problem = np.full(len(names), None, dtype=object)
    unplaced = np.zeros(len(names), dtype=bool)
    for k, text in enumerate(names):
        if not text:
            continue
        why = gaz.unplaced(text)
        if why:
            display[k], unplaced[k] = f"{text} ({why})", True
            continue
        try:
            iso[k] = gaz.resolve(text)
            display[k] = gaz.name(iso[k])
        except (MapkitError, ValueError) as exc:
            problem[k] = getattr(exc, "problem", str(exc))
    return iso, display, problem, unplaced


def _series(
    codes: dict[str, np.ndarray],
    kind_codes: np.ndarray,
    key: Callable[[int], str],
    rows: np.ndarray,
) -> np.ndarray:
    """The series of each of ``rows``: ``key(row)`` called once per distinct combination of
    ``codes`` and ``kind_codes`` (indexed like the whole table) among ``rows``."""
    if not len(rows):
        return np.empty(0, dtype=object)
    combos = pd.DataFrame(
        {**{c: code[rows] for c, code in codes.items()}, "kind": kind_codes[rows]}
    )
    group = combos.groupby(list(combos.columns), sort=False).ngroup().to_numpy()
    first = np.empty(group.max() + 1, dtype=np.intp)
    first[group[::-1]] = rows[::-1]
    names = np.empty(len(first), dtype=object)
    names[:] = [key(int(r)) for r in first]
    return names[group]


def _read_table(path: Path) -> tuple[pd.DataFrame, np.ndarray, list[FiguresError]]:
    """A CSV or XLSX figures file as a table with lower-case column names (``place`` → ``area``).

    Returns
    -------
    tuple
        The table (CSV cells are strings, empty cells ``""``; Excel cells keep Excel's types),
        the line number of each of its rows in the file, and one error per line that has more
        fields than the header (such lines are not in the table).
    """
    if not path.exists():
        raise FiguresError("file not found", path)
    if path.is_dir():
        raise FiguresError("is a folder, not a figures file", path)
    suffix = path.suffix.lower()
    errors: list[FiguresError] = []
    try:
        if suffix in (".xlsx", ".xlsm"):
            table = pd.read_excel(path, dtype=object, engine="openpyxl")
            header = [re.sub(r"\.\d+$", "", str(c)) for c in table.columns]  # area, area.1
            lines = np.arange(2, len(table) + 2)
        elif suffix in (".csv", ".txt", ""):
            table, header, lines, errors = _read_csv(path)
        else:
            raise FiguresError(f"unsupported file type {suffix!r}: use .csv or .xlsx", path)
    except MapkitError:
        raise
    except PermissionError:
        raise FiguresError("cannot be read (permission denied)", path) from None
    except Exception as exc:  # the readers' own messages name the problem
        raise FiguresError(f"cannot be read as a table: {exc}", path) from None
    names = [str(c).strip().lower() for c in header]
    twice = next((c for k, c in enumerate(names) if c and c in names[:k]), None)
    if twice is not None:
        raise FiguresError(f"column {twice!r} appears twice", path)
    table.columns = [str(c).strip().lower() for c in table.columns]
    if "area" not in table.columns and "place" in table.columns:
        table = table.rename(columns={"place": "area"})
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise FiguresError(
            f"missing column(s) {', '.join(missing)}; a figures file needs {', '.join(REQUIRED)}",
            path,
        )
    if table.empty and not errors:
        raise FiguresError("has a header but no figures", path)
    return table, lines, errors


def _read_csv(path: Path) -> tuple[pd.DataFrame, list[str], np.ndarray, list[FiguresError]]:
    """Read a CSV figures file: table, header as written, line numbers, lines with extra fields.

    pandas reads a regular file (one line per row, no line longer than the header). A file with
    blank lines, line breaks inside quoted cells or lines with more fields than the header is
    read with the ``csv`` module instead, which tells each row's line.
    """
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FiguresError(
            f"not UTF-8 text (byte {exc.start}); save the file as CSV UTF-8", path
        ) from None
    if not text or text.isspace():
        raise FiguresError("the file is empty", path)
    reader = csv.reader(_lines(text), skipinitialspace=True)
    header = next(r for r in reader if not _blank(r))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            table = pd.read_csv(
                BytesIO(raw),
                encoding="utf-8-sig",
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skipinitialspace=True,
                index_col=False,
            )
    except (pd.errors.ParserError, pd.errors.ParserWarning):
        table = None
    line_count = raw.count(b"\n") + (not raw.endswith(b"\n"))
    if table is not None and line_count == len(table) + 1 and len(table.columns) == len(header):
        return table, header, np.arange(2, len(table) + 2), []
    del table, raw
    return _read_csv_rows(text, path, header)


def _lines(text: str) -> Iterator[str]:
    r"""The lines of ``text``, each with its line end (``\n``, ``\r\n`` or ``\r``)."""
    return (m.group() for m in _LINE.finditer(text))


def _blank(record: list[str]) -> bool:
    """Whether a CSV record is a blank line (which pandas skips too)."""
    return not record or (len(record) == 1 and not record[0].strip())


def _read_csv_rows(
    text: str, path: Path, header: list[str]
) -> tuple[pd.DataFrame, list[str], np.ndarray, list[FiguresError]]:
    """Read a CSV file record by record, noting the line each record starts on."""
    reader = csv.reader(_lines(text), skipinitialspace=True, strict=True)
    rows, lines, errors = [], [], []
    seen_header = False
    while True:
        first = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        if _blank(record):
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
    table = pd.DataFrame(
        {k: _objects(list(column)) for k, column in enumerate(zip(*rows, strict=True))}
        if rows
        else None,
        columns=range(len(header)),
        dtype=object,
    )
    table.columns = header
    return table, header, np.array(lines, dtype=int), errors


def read_figures(path: str | Path) -> pd.DataFrame:
    """Read a user's figures file (CSV or Excel ``.xlsx``).

    Parameters
    ----------
    path : str or Path
        The file. Columns ``area, metric, value, unit, as_of, source`` are required; ``id``,
        ``qualifier``, ``kind``, ``period_start``, ``note``, ``url`` and others are kept if present.
        District names may be written any way real sources write them.

    Returns
    -------
    DataFrame
        One row per figure, columns :data:`COLUMNS`.

    Raises
    ------
    FiguresError
        The file is missing, unreadable, not UTF-8, empty, or lacks a required column.
    FiguresRejected
        Some rows are wrong; every one is listed with its file and line number.
    """
    path = Path(path)
    table, lines, errors = _read_table(path)
    read = _figures(table, path, str(path), lines, default_id=path.stem)
    for line, name in read.unplaced:
        warnings.warn(
            f"{path}, line {line}: {name}: kept in the figures, not put on a polygon",
            FiguresWarning,
            stacklevel=2,
        )
    if errors or read.errors:
        listed = sorted((*errors, *read.errors), key=lambda e: int(str(e.where).split()[-1]))
        raise FiguresRejected(listed)
    return read.figures


@cache
def _embedded() -> pd.DataFrame:
    table = read_table("figures.csv")
    sources = read_table("sources.csv").set_index("source_id")
    unknown = sorted(set(table.source_id) - set(sources.index))
    if unknown:
        raise FiguresError(f"unknown source_id {', '.join(unknown)}", geo_path("figures.csv"))
    fields = ["publisher", "title", "published", "author", "speaker", "url"]
    cited = sources[[c for c in fields if c not in table.columns]].copy()
    cited["source"] = [citation(src) for _, src in sources.iterrows()]
    own = table.drop(columns=["source"], errors="ignore")
    table = own.join(cited.loc[table.source_id].reset_index(drop=True))
    lines = np.arange(2, len(table) + 2)
    read = _figures(table, geo_path("figures.csv"), "geo/figures.csv", lines)
    if read.errors:
        raise FiguresRejected(read.errors)
    return read.figures


def citation(source: pd.Series | dict[str, str]) -> str:
    """A one-line citation: publisher, date, title, author and speaker where known."""
    parts = [source["publisher"], source["published"]]
    if source.get("title"):
        parts.append(f"“{source['title']}”")
    if source.get("author"):
        parts.append(f"by {source['author']}")
    if source.get("speaker"):
        parts.append(f"quoting {source['speaker']}")
    return ", ".join(p for p in parts if p)


def load_figures(
    files: Sequence[str | Path] = (), *, only: bool = False, as_of: str | None = None
) -> pd.DataFrame:
    """The figures: the embedded dataset, merged with users' files.

    Parameters
    ----------
    files : sequence of str or Path
        Users' figures files (CSV or ``.xlsx``), merged after the embedded figures.
    only : bool
        Use only ``files``, not the embedded dataset.
    as_of : str, optional
        Keep only figures whose as-of date is on or before this date (``YYYY-MM-DD``).

    Returns
    -------
    DataFrame
        One row per figure (columns :data:`COLUMNS`), values as stated plus ``value_std`` in the
        metric's base unit (ha, %, USD, count).

    Examples
    --------
    >>> figs = load_figures()
    >>> aghdam = figs[(figs.iso == "AZ-AGM") & (figs.metric == "cleared_area")]
    >>> int(aghdam.value.iloc[0]), aghdam.unit.iloc[0]
    (37154, 'ha')
    """
    frames = [] if only else [_embedded()]
    errors: list[MapkitError] = []
    for path in files:
        try:
            frames.append(read_figures(path))
        except FiguresRejected as exc:
            errors.extend(exc.errors)
    if errors:
        raise FiguresRejected(errors)
    if not frames:
        raise FiguresError("no figures: --only needs at least one --figures file")
    figures = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].copy()
    if as_of:
        try:
            cutoff = pd.Timestamp(parse_date(as_of, end=True))
        except ValueError as exc:
            raise FiguresError(f"--as-of: {exc}") from None
        figures = figures[figures.as_of_date <= cutoff].reset_index(drop=True)
    return figures


def latest(figures: pd.DataFrame, *, include_flows: bool = False) -> pd.DataFrame:
    """For each place and metric, the figure with the latest as-of date.

    Flows (weekly, monthly, yearly amounts) are not totals and are left out unless asked for;
    figures about part of a place only (a ``scope``) are left out.
    Where two sources give the same place and metric at the same date, the one published later wins.
    """
    kept = figures if include_flows else figures[figures.kind != "flow"]
    kept = kept[kept.scope == ""]
    ordered = kept.sort_values(["as_of_date", "published", "id"], kind="stable")
    return ordered.groupby(["iso", "metric"], sort=True).tail(1).reset_index(drop=True)


def is_district(code: str) -> bool:
    """True for a single district's code (not the country, not a group)."""
    return bool(code) and code != COUNTRY and GROUP_SEPARATOR not in code
