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
import datetime as dt
import difflib
import math
import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from .cells import CONVENTIONS, parse_date, read_numbers
from .data import geo_path, read_table
from .errors import FiguresError, FiguresRejected, MapkitError, shown
from .names import COUNTRY, GROUP_SEPARATOR, gazetteer, skeleton
from .table import read_table as read_cells

REQUIRED = ("area", "metric", "value", "unit", "as_of", "source")
KINDS = ("cumulative", "flow", "stock")
QUALIFIERS = ("", "more than", "about", "estimated", "less than", "at least")
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


def _dates(
    column: _Column, *, end: bool, today: dt.date | None
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


@dataclass
class _Read:
    """The outcome of reading a table of figures."""

    figures: pd.DataFrame
    errors: list[FiguresError]
    unplaced: list[tuple[str, str]]


@dataclass(frozen=True)
class _Reading:
    """How to read one table: where it comes from and its conventions."""

    source: str | Path  # the file, named by each error
    origin: str  # how the file is named in ``origin`` (``file, line N``)
    default_id: str | None = None  # a row without an id gets ``{default_id}/{line}``
    decimal: str | None = None  # the decimal convention, when stated
    semicolons: bool = False  # a semicolon-separated CSV (a hint of the decimal comma)
    formulas: frozenset[tuple[int, str]] = frozenset()  # (row, column) formulas with no value
    today: dt.date | None = None  # dates after this day are refused


def _figures(table: pd.DataFrame, lines: np.ndarray, how: _Reading) -> _Read:
    """Check every row of a figures table at once and normalise the rows that pass.

    Parameters
    ----------
    table : DataFrame
        Lower-case column names; must hold the :data:`REQUIRED` columns.
    lines : ndarray of str
        Where each row is in the file (``line N``, ``sheet 'S', line N``).
    how : _Reading
        The file and its conventions.

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
    value, value_problem = read_numbers(raw["value"], how.decimal, how.semicolons)
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
    for row, name in sorted(how.formulas):
        reject(np.arange(n) == row, lambda i, name=name: [_NO_SAVED_VALUE.format(name)] * len(i))
    for name in REQUIRED:
        if name == "value":  # an empty cell is not a number; the value column is not looked up
            empty = np.isnan(value) & _none(value_problem)
        else:
            empty = col[name].rows(col[name].uniques == "")
        reject(empty, lambda i, name=name: [f"missing {name}"] * len(i))

    vocabulary, known_units = metrics(), units()
    metric = col["metric"].map(lambda t: vocabulary.get(t.lower()))
    reject(
        col["metric"].rows(_none(metric)),
        lambda i: [_unknown("metric", t, vocabulary) for t in col["metric"].rows()[i]],
    )
    unit = col["unit"].map(lambda t: known_units.get(_UNIT_SPELLINGS.get(t.lower(), t)))
    reject(
        col["unit"].rows(_none(unit)),
        lambda i: [_unknown("unit", t, known_units) for t in col["unit"].rows()[i]],
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

    reject(np.isnan(value), value_problem)
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
            _unknown("qualifier", q, QUALIFIERS[1:]) for q in col["qualifier"].rows(qualifier)[i]
        ],
    )
    default_kind = np.array([m.default_kind if m else "" for m in metric], dtype=object)
    stated_kind = col["kind"].rows(col["kind"].map(str.lower))
    kinds = _Column.of(
        np.where(stated_kind == "", col["metric"].rows(default_kind), stated_kind), n
    )
    reject(
        kinds.rows(np.array([k not in KINDS for k in kinds.uniques], dtype=bool)),
        lambda i: [_unknown("kind", k, KINDS) for k in kinds.rows()[i]],
    )

    as_of_stamps, as_of_problems, as_of_dates = _dates(col["as_of"], end=True, today=how.today)
    reject(col["as_of"].rows(~_none(as_of_problems)), col["as_of"].rows(as_of_problems))
    start_stamps, start_problems, start_dates = _dates(
        col["period_start"], end=False, today=how.today
    )
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
    errors = [FiguresError(problem[i], how.source, lines[i]) for i in np.flatnonzero(bad)]
    kept = np.flatnonzero(~bad)
    keep = kept if bad.any() else slice(None)
    lines = lines[keep]

    def rows(name: str, per_unique: np.ndarray | None = None) -> np.ndarray:
        return col[name].rows(per_unique)[keep]

    ids = _texts(raw.get("id"), n)[keep]
    if how.default_id is not None:
        missing = np.flatnonzero(ids == "")
        ids[missing] = [f"{how.default_id}/{_row_key(line)}" for line in lines[missing].tolist()]
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
        "origin": _objects([f"{how.origin}, {line}" for line in lines.tolist()]),
    }
    placed_not = np.flatnonzero(rows("area", unplaced).astype(bool))
    figures = pd.DataFrame(columns if len(lines) else None, columns=list(COLUMNS))
    return _Read(
        figures.astype({"value": float, "value_std": float}),
        errors,
        [(str(lines[i]), str(columns["area_name"][i])) for i in placed_not],
    )


_NO_SAVED_VALUE = "{} is a formula with no saved value: open and save it in Excel"


def _unknown(what: str, text: str, known: Sequence[str]) -> str:
    """``unknown metric 'cleared area' (did you mean 'cleared_area'?)``; the list of known
    names only when none is close."""
    spelled = "_".join(text.lower().replace("-", " ").split())
    close = difflib.get_close_matches(spelled, list(known), n=3, cutoff=0.75)
    if spelled in known:
        close = [spelled]
    if close:
        return f"unknown {what} {shown(text)} (did you mean {', '.join(map(repr, close))}?)"
    return f"unknown {what} {shown(text)} (known: {', '.join(known)})"


def _row_key(where: str) -> str:
    """``line 5`` → ``5``; ``sheet 'Aghdam', line 5`` → ``Aghdam/5`` (an id for the row)."""
    match = re.fullmatch(r"sheet '(.*)', line (\d+)", where)
    return f"{match.group(1)}/{match.group(2)}" if match else where.split()[-1]


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
        if len(text) > _LONGEST_NAME:  # no place has such a name; do not compare it with each
            problem[k] = f"unknown place {shown(text)}"
            continue
        why = gaz.unplaced(text)
        if why:
            display[k], unplaced[k] = f"{text} ({why})", True
            continue
        try:
            iso[k] = gaz.resolve(text)
            display[k] = gaz.name(iso[k])
        except (MapkitError, ValueError) as exc:
            region = _region(text)
            if region:
                iso[k], display[k] = region, f"{text} ({gaz.name(region)})"
            else:
                problem[k] = getattr(exc, "problem", str(exc))
    return iso, display, problem, unplaced


@cache
def economic_regions() -> dict[str, str]:
    """The economic regions (2021) as groups of districts: ``skeleton(name)`` → ``AZ-A+AZ-B``.

    A region is a place a figure may be about (``Karabakh``); like any group it is kept, never
    put on one polygon.
    """
    table = read_table("district_names.csv")
    return {
        skeleton(region): GROUP_SEPARATOR.join(sorted(rows.iso))
        for region, rows in table[table.economic_region != ""].groupby("economic_region")
    }


def _region(name: str) -> str:
    """The group of districts of an economic region named ``name`` (``""`` if it is none)."""
    words = [w for w in name.split() if w.lower() not in ("economic", "region", "iqtisadi")]
    key = skeleton(" ".join(words))
    gaz = gazetteer()
    if not key or key in gaz.index or key in gaz.former:
        return ""  # a district's name (or an ambiguous one) is never taken for a region
    return economic_regions().get(key, "")


_LONGEST_NAME = 200


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


@dataclass(frozen=True)
class Options:
    """How users' figures files are read, when the call does not say.

    Attributes
    ----------
    decimal : {"point", "comma"}, optional
        The files' decimal separator; by default inferred per file (see :mod:`mapkit.cells`).
    skip_bad_rows : bool
        Leave out rejected rows, each reported in a warning with its line, instead of refusing
        the file (the default: one bad row stops everything).
    """

    decimal: str | None = None
    skip_bad_rows: bool = False


_OPTIONS: ContextVar[Options | None] = ContextVar("figures_options", default=None)


@contextmanager
def reading(options: Options) -> Iterator[None]:
    """Read every figures file inside the ``with`` block with ``options`` (the CLI's flags)."""
    token = _OPTIONS.set(options)
    try:
        yield
    finally:
        _OPTIONS.reset(token)


def read_figures(
    path: str | Path, *, decimal: str | None = None, skip_bad_rows: bool | None = None
) -> pd.DataFrame:
    """Read a user's figures file (CSV or Excel ``.xlsx``).

    Parameters
    ----------
    path : str or Path
        The file. Columns ``area, metric, value, unit, as_of, source`` are required; ``id``,
        ``qualifier``, ``kind``, ``period_start``, ``note``, ``url`` and others are kept if present.
        District names may be written any way real sources write them. Every sheet of a workbook
        with these columns is read.
    decimal : {"point", "comma"}, optional
        The file's decimal separator, when known; else inferred (see :mod:`mapkit.cells`).
    skip_bad_rows : bool, optional
        Leave out rejected rows with a warning each, instead of refusing the file.

    Returns
    -------
    DataFrame
        One row per figure, columns :data:`COLUMNS`.

    Raises
    ------
    FiguresError
        The file is missing, unreadable, not UTF-8, empty, too large, or lacks a required column.
    FiguresRejected
        Some rows are wrong; every one is listed with its file and line number.
    """
    if not isinstance(path, (str, Path)):
        raise FiguresError(f"a figures file is a path, not {type(path).__name__}")
    options = _OPTIONS.get() or Options()
    decimal = decimal or options.decimal
    if decimal not in (None, *CONVENTIONS):
        raise FiguresError(f"decimal must be 'point' or 'comma', not {shown(decimal)}")
    skip = options.skip_bad_rows if skip_bad_rows is None else skip_bad_rows
    path = Path(path)
    table = read_cells(path, COLUMNS, REQUIRED)
    how = _Reading(
        path, str(path), path.stem, decimal, table.delimiter == ";", table.formulas, dt.date.today()
    )
    read = _figures(table.cells, table.origins, how)
    for where, name in read.unplaced:
        warnings.warn(
            f"{path}, {where}: {name}: kept in the figures, not put on a polygon",
            FiguresWarning,
            stacklevel=2,
        )
    errors = [*table.errors, *read.errors]
    if table.errors:
        errors.sort(key=lambda e: int(str(e.where).split()[-1]))
    if errors and skip:
        for error in errors:
            warnings.warn(f"{error.one_line()}; row skipped", FiguresWarning, stacklevel=2)
    elif errors:
        raise FiguresRejected(errors)
    return read.figures


def check_figures(figures: object, needs: Sequence[str] = ("iso", "metric", "value_std")) -> None:
    """Refuse, in one line, a table that is not figures as :func:`load_figures` returns them.

    Parameters
    ----------
    figures : object
        What was passed as the figures (to ``join``, ``atlas``, ...).
    needs : sequence of str
        The columns the caller uses.

    Raises
    ------
    FiguresError
        ``figures`` is not a DataFrame or lacks one of ``needs``.
    """
    if not isinstance(figures, pd.DataFrame):
        raise FiguresError(
            f"figures must be a table from load_figures() or read_figures(), not "
            f"{type(figures).__name__}"
        )
    missing = [c for c in needs if c not in figures.columns]
    if missing:
        raise FiguresError(
            f"the figures table has no column(s) {', '.join(missing)}: pass the table "
            "load_figures() or read_figures() returns (they add iso, value_std, unit_std, …)"
        )


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
    lines = _objects([f"line {k}" for k in range(2, len(table) + 2)])
    read = _figures(table, lines, _Reading(geo_path("figures.csv"), "geo/figures.csv"))
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
    files: str | Path | Sequence[str | Path] = (),
    *,
    only: bool = False,
    as_of: str | dt.date | None = None,
    decimal: str | None = None,
    skip_bad_rows: bool | None = None,
) -> pd.DataFrame:
    """The figures: the embedded dataset, merged with users' files.

    Parameters
    ----------
    files : str, Path or sequence of them
        Users' figures files (CSV or ``.xlsx``), merged after the embedded figures.
    only : bool
        Use only ``files``, not the embedded dataset.
    as_of : str or date, optional
        Keep only figures whose as-of date is on or before this date (``YYYY-MM-DD``).
    decimal, skip_bad_rows
        As for :func:`read_figures`.

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
    if isinstance(files, (str, Path)):
        files = [files]
    cutoff = _cutoff(as_of)
    frames = [] if only else [_embedded()]
    errors: list[MapkitError] = []
    for path in files:
        try:
            frames.append(read_figures(path, decimal=decimal, skip_bad_rows=skip_bad_rows))
        except FiguresRejected as exc:
            errors.extend(exc.errors)
    if errors:
        raise FiguresRejected(errors)
    if not frames:
        raise FiguresError("no figures: --only needs at least one --figures file")
    figures = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].copy()
    if cutoff is not None:
        figures = figures[figures.as_of_date <= cutoff].reset_index(drop=True)
    return figures


def _cutoff(as_of: object) -> pd.Timestamp | None:
    """The last moment of ``as_of`` (a date as text, or a date), or None for no cut-off."""
    if as_of is None or as_of == "":
        return None
    if isinstance(as_of, dt.date):
        return pd.Timestamp(as_of)
    if not isinstance(as_of, str):
        raise FiguresError(
            f"--as-of: {as_of!r} is a {type(as_of).__name__}; give the date as text, 'YYYY-MM-DD'"
        )
    try:
        return pd.Timestamp(parse_date(as_of, end=True))
    except ValueError as exc:
        raise FiguresError(f"--as-of: {exc}") from None


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
