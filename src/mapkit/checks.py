"""Checking every row of a figures table at once, and normalising the rows that pass.

The row checks are a table, :data:`CHECKS`, run in order: each rejects the rows it finds wrong
that no earlier check rejected, so a rejected row is reported with its first problem, the checks
always running in the same order. Each check runs once per distinct text of a column (a place
name, a unit, a date), not once per row (see :mod:`mapkit.coded`). Numbers and dates are read by
:mod:`mapkit.cells`; the vocabulary is :mod:`mapkit.vocabulary`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .cells import nones, read_numbers
from .coded import Column, attribute, dates, labelled, objects, series, text_column, texts
from .errors import FiguresError, shown
from .placing import places
from .tableshape import Table, where
from .vocabulary import (
    COLUMNS,
    KINDS,
    QUALIFIERS,
    REQUIRED,
    UNIT_SPELLINGS,
    Metric,
    Unit,
    metrics,
    series_key,
    units,
)

__all__ = ["CHECKS", "Checked", "Reading", "Rows", "check_rows", "objects"]

_TEXT_COLUMNS = ("title", "published", "author", "speaker", "url", "locator", "note")
_LOOKED_UP = ("area", "metric", "unit", "as_of", "source", "qualifier", "kind", "scope")
_NO_SAVED_VALUE = "{} is a formula with no saved value: open and save it in Excel"


@dataclass
class Checked:
    """The outcome of reading a table of figures."""

    figures: pd.DataFrame
    errors: list[FiguresError]
    unplaced: list[tuple[str, str]]


@dataclass(frozen=True)
class Reading:
    """How to read one table: where it comes from and its conventions."""

    source: str | Path  # the file, named by each error
    origin: str  # how the file is named in ``origin`` (``file, line N``)
    default_id: str | None = None  # a row without an id gets ``{default_id}/{line}``
    decimal: str | None = None  # the decimal convention, when stated
    semicolons: bool = False  # a semicolon-separated CSV (a hint of the decimal comma)
    formulas: frozenset[tuple[int, str]] = frozenset()  # (row, column) formulas with no value
    today: dt.date | None = None  # dates after this day are refused


@dataclass
class Rows:
    """A figures table being checked: its columns, what the checks made of them so far, and per
    row the first problem found.

    Arrays named after a looked-up column (``metric``, ``unit``, ``qualifier``, the dates, the
    places) are indexed like that column's distinct texts; the others have one entry per row.
    """

    how: Reading
    lines: np.ndarray  # where each row is in the file
    raw: dict[str, np.ndarray]  # each column of the table as it was read
    col: dict[str, Column]  # the looked-up columns, as codes of distinct texts
    value: np.ndarray  # the numbers read, NaN where none was
    value_problem: np.ndarray  # why no number was read (None where one was)
    problem: np.ndarray  # per row, the first problem found (None while there is none)
    bad: np.ndarray  # the rows rejected
    vocabulary: dict[str, Metric] = field(default_factory=metrics)
    known_units: dict[str, Unit] = field(default_factory=units)
    metric: np.ndarray = field(init=False)  # the Metric of each distinct text, or None
    unit: np.ndarray = field(init=False)  # the Unit of each distinct text, or None
    value_std: np.ndarray = field(init=False)  # the value in its unit's base unit
    qualifier: np.ndarray = field(init=False)  # each distinct qualifier, lower case
    kinds: Column = field(init=False)  # the kind stated, or the metric's default
    as_of: tuple[np.ndarray, np.ndarray, list[dt.date | None]] = field(init=False)
    start: tuple[np.ndarray, np.ndarray, list[dt.date | None]] = field(init=False)
    places: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] = field(init=False)

    @classmethod
    def of(cls, table: pd.DataFrame, lines: np.ndarray, how: Reading) -> Rows:
        """The rows of ``table`` (lower-case column names), none checked yet."""
        n = len(table)
        # A duplicated column name keeps its last column, as a dict of rows would.
        raw = {c: table.iloc[:, i].to_numpy(dtype=object) for i, c in enumerate(table.columns)}
        col = {c: Column.of(raw.get(c), n) for c in (*_LOOKED_UP, "period_start")}
        value, value_problem = read_numbers(raw["value"], how.decimal, how.semicolons)
        problem, bad = np.full(n, None, dtype=object), np.zeros(n, dtype=bool)
        return cls(how, lines, raw, col, value, value_problem, problem, bad)

    def reject(
        self, mask: np.ndarray, messages: np.ndarray | Callable[[np.ndarray], list[str]]
    ) -> None:
        """Reject the rows of ``mask`` not yet rejected; ``messages``: per row, or of the rows."""
        new = mask & ~self.bad
        if new.any():
            at = np.flatnonzero(new)
            self.problem[at] = messages(at) if callable(messages) else messages[at]
            self.bad[at] = True

    def texts(self, name: str, at: np.ndarray) -> np.ndarray:
        """The texts of column ``name`` in rows ``at``."""
        return self.col[name].rows()[at]

    def value_texts(self, at: np.ndarray) -> np.ndarray:
        """The value cells of rows ``at`` as text."""
        return texts(self.raw["value"][at], len(at))


def check_formulas(rows: Rows) -> None:
    """A cell holding a formula with no saved value (an Excel file saved by another program)."""
    n = len(rows.lines)
    for row, name in sorted(rows.how.formulas):
        rows.reject(
            np.arange(n) == row, lambda i, name=name: [_NO_SAVED_VALUE.format(name)] * len(i)
        )


def check_required(rows: Rows) -> None:
    """An empty cell in a :data:`REQUIRED` column."""
    for name in REQUIRED:
        if name == "value":  # an empty cell is not a number; the value column is not looked up
            empty = np.isnan(rows.value) & nones(rows.value_problem)
        else:
            empty = rows.col[name].rows(rows.col[name].uniques == "")
        rows.reject(empty, lambda i, name=name: [f"missing {name}"] * len(i))


def check_metric(rows: Rows) -> None:
    """A metric not in the vocabulary."""
    vocabulary, column = rows.vocabulary, rows.col["metric"]
    rows.metric = column.map(lambda t: vocabulary.get(t.lower()))
    rows.reject(
        column.rows(nones(rows.metric)),
        lambda i: [_unknown("metric", t, vocabulary) for t in rows.texts("metric", i)],
    )


def check_unit(rows: Rows) -> None:
    """A unit not known, under any of its spellings."""
    known, column = rows.known_units, rows.col["unit"]
    rows.unit = column.map(lambda t: known.get(UNIT_SPELLINGS.get(t.lower(), t)))
    rows.reject(
        column.rows(nones(rows.unit)),
        lambda i: [_unknown("unit", t, known) for t in rows.texts("unit", i)],
    )


def check_dimension(rows: Rows) -> None:
    """A unit of another dimension than its metric's (an area in people)."""
    dimensions = {
        d: k for k, d in enumerate(sorted({m.dimension for m in rows.vocabulary.values()}))
    }
    metric_dim = rows.col["metric"].rows(
        np.array([dimensions.get(m.dimension, -1) if m else -2 for m in rows.metric], dtype=int)
    )
    unit_dim = rows.col["unit"].rows(
        np.array([dimensions.get(u.dimension, -3) if u else -4 for u in rows.unit], dtype=int)
    )
    rows.reject(
        metric_dim != unit_dim,
        lambda i: [
            f"unit {t!r} does not fit metric {m.name!r} (a {m.dimension})"
            for t, m in zip(
                rows.texts("unit", i), rows.col["metric"].rows(rows.metric)[i], strict=True
            )
        ],
    )


def check_value(rows: Rows) -> None:
    """A value that is not a number, negative, a share over 100 %, or too large in its unit."""
    value, unit = rows.value, rows.unit
    rows.reject(np.isnan(value), rows.value_problem)
    rows.reject(value < 0, lambda i: [f"value {t} is negative" for t in rows.value_texts(i)])
    share = rows.col["unit"].rows(
        np.array([u is not None and u.dimension == "share" for u in unit], dtype=bool)
    )
    rows.reject(
        share & (value > 100),
        lambda i: [f"value {t} % is more than 100 %" for t in rows.value_texts(i)],
    )
    with np.errstate(over="ignore", invalid="ignore"):
        factor = np.array([u.factor if u else math.nan for u in unit], dtype=float)
        rows.value_std = value * rows.col["unit"].rows(factor)
    rows.reject(
        ~np.isfinite(rows.value_std),
        lambda i: [
            f"value {t} {u} is too large"
            for t, u in zip(rows.value_texts(i), rows.texts("unit", i), strict=True)
        ],
    )


def check_qualifier(rows: Rows) -> None:
    """A qualifier (``about``, ``more than``, …) not in :data:`QUALIFIERS`."""
    column = rows.col["qualifier"]
    rows.qualifier = column.map(str.lower)
    rows.reject(
        column.rows(np.array([q not in QUALIFIERS for q in rows.qualifier], dtype=bool)),
        lambda i: [
            _unknown("qualifier", q, QUALIFIERS[1:]) for q in column.rows(rows.qualifier)[i]
        ],
    )


def check_kind(rows: Rows) -> None:
    """A kind not in :data:`KINDS`; a row with none takes its metric's default kind."""
    default_kind = np.array([m.default_kind if m else "" for m in rows.metric], dtype=object)
    stated_kind = rows.col["kind"].rows(rows.col["kind"].map(str.lower))
    kinds = Column.of(
        np.where(stated_kind == "", rows.col["metric"].rows(default_kind), stated_kind),
        len(rows.lines),
    )
    rows.kinds = kinds
    rows.reject(
        kinds.rows(np.array([k not in KINDS for k in kinds.uniques], dtype=bool)),
        lambda i: [_unknown("kind", k, KINDS) for k in kinds.rows()[i]],
    )


def check_dates(rows: Rows) -> None:
    """An as-of date or period start that does not read as a date (or is after today), and a
    period that ends before it starts."""
    as_of, start = rows.col["as_of"], rows.col["period_start"]
    rows.as_of = dates(as_of, end=True, today=rows.how.today)
    rows.reject(as_of.rows(~nones(rows.as_of[1])), as_of.rows(rows.as_of[1]))
    rows.start = dates(start, end=False, today=rows.how.today)
    rows.reject(start.rows(~nones(rows.start[1])), start.rows(rows.start[1]))
    rows.reject(
        start.rows(rows.start[0]) > as_of.rows(rows.as_of[0]),
        lambda i: [
            f"period ends ({a}) before it starts ({s})"
            for a, s in zip(as_of.rows()[i], start.rows()[i], strict=True)
        ],
    )


def check_area(rows: Rows) -> None:
    """A place name that names no place (see :func:`mapkit.placing.places`)."""
    areas = rows.col["area"]
    rows.places = places(areas.uniques)
    rows.reject(areas.rows(~nones(rows.places[2])), areas.rows(rows.places[2]))


CHECKS: tuple[Callable[[Rows], None], ...] = (
    check_formulas,
    check_required,
    check_metric,
    check_unit,
    check_dimension,
    check_value,
    check_qualifier,
    check_kind,
    check_dates,
    check_area,
)
"""The row checks, in the order a row's first problem is reported; each records on the
:class:`Rows` what a later check, or the normalised table, takes from it."""


def check_rows(table: Table, how: Reading) -> Checked:
    """Check every row of a figures table at once and normalise the rows that pass.

    Parameters
    ----------
    table : Table
        The cells (lower-case column names; must hold the :data:`REQUIRED` columns) and where
        each row is in the file. Its cells are let go once read (``table.cells`` becomes None),
        so that a large table is not held twice.
    how : Reading
        The file and its conventions.

    Returns
    -------
    Checked
        The figures that passed (columns :data:`COLUMNS`), one error per rejected row naming its
        line (the first problem found in it, by the checks of :data:`CHECKS` in order), and the
        lines and names of figures that are kept but not placed on a polygon.
    """
    rows = Rows.of(table.cells, table.origins, how)
    table.cells = None
    for check in CHECKS:
        check(rows)
    return _normalised(rows)


def _normalised(rows: Rows) -> Checked:
    """The errors of the rejected rows, and the rows that passed as a table of :data:`COLUMNS`."""
    how, col, n, bad = rows.how, rows.col, len(rows.lines), rows.bad
    errors = [
        FiguresError(rows.problem[i], how.source, where(rows.lines[i])) for i in np.flatnonzero(bad)
    ]
    kept = np.flatnonzero(~bad)
    keep = kept if bad.any() else slice(None)
    lines = rows.lines[keep]

    def kept_rows(name: str, per_unique: np.ndarray | None = None) -> pd.Categorical:
        return col[name].categorical(keep, per_unique)

    ids = texts(rows.raw.get("id"), n)[keep]
    publisher = _publisher(Column.of(rows.raw.get("publisher"), n), col["source"])
    free_text = {c: text_column(rows.raw.get(c), n, keep) for c in _TEXT_COLUMNS}
    rows.raw.clear()  # the cells as read: their memory serves the rows' labels below
    if how.default_id is not None:
        missing = np.flatnonzero(ids == "")
        ids[missing] = labelled(f"{how.default_id}/", lines[missing], _row_key)
    iso, area_name, _, unplaced = rows.places
    columns = {
        "id": pd.Series(ids, dtype="str", copy=False),
        "area": kept_rows("area"),
        "iso": kept_rows("area", iso),
        "area_name": kept_rows("area", area_name),
        "metric": kept_rows("metric", attribute(rows.metric, "name")),
        "value": rows.value[keep],
        "unit": kept_rows("unit", attribute(rows.unit, "name")),
        "qualifier": kept_rows("qualifier", rows.qualifier),
        "kind": rows.kinds.categorical(keep),
        "scope": kept_rows("scope"),
        "series": _series(rows, kept),
        "period_start": kept_rows("period_start"),
        "as_of": kept_rows("as_of"),
        "source": kept_rows("source"),
        "publisher": publisher.categorical(keep),
        **free_text,
        "value_std": rows.value_std[keep],
        "unit_std": kept_rows("unit", attribute(rows.unit, "base")),
        "as_of_date": col["as_of"].rows(rows.as_of[0])[keep],
        "period_start_date": col["period_start"].rows(rows.start[0])[keep],
        "origin": pd.Series(
            labelled(f"{how.origin}, ", lines, where, "line "), dtype="str", copy=False
        ),
    }
    placed_not = np.flatnonzero(unplaced[col["area"].codes[keep]].astype(bool))
    figures = pd.DataFrame(columns if len(lines) else None, columns=list(COLUMNS), copy=False)
    return Checked(
        figures.astype({"value": float, "value_std": float}),
        errors,
        [(where(lines[i]), str(columns["area_name"][i])) for i in placed_not],
    )


def _publisher(publisher: Column, source: Column) -> Column:
    """The publisher of each row: as stated, or its source where none is."""
    stated = (publisher.uniques != "")[publisher.codes]
    codes = np.where(stated, publisher.codes, len(publisher.uniques) + source.codes)
    return Column(codes, np.concatenate([publisher.uniques, source.uniques]))


def _series(rows: Rows, kept: np.ndarray) -> pd.Categorical:
    """The series of each kept row: a total's does not depend on its as-of date, a flow's does."""
    col, kinds = rows.col, rows.kinds
    codes = {c: col[c].codes for c in ("metric", "period_start", "as_of", "scope")}
    flow = kinds.rows(kinds.uniques == "flow")
    return series(
        {**codes, "as_of": np.where(flow, codes["as_of"], -1)},
        kinds.codes,
        lambda r: series_key(
            rows.metric[codes["metric"][r]].name,
            kinds.uniques[kinds.codes[r]],
            rows.start[2][codes["period_start"][r]],
            rows.as_of[2][codes["as_of"][r]],
            col["period_start"].uniques[codes["period_start"][r]],
            col["scope"].uniques[codes["scope"][r]],
        ),
        kept,
    )


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


def _row_key(origin: object) -> object:
    """``5`` → ``5``; ``sheet 'Aghdam', line 5`` → ``Aghdam/5`` (an id for the row)."""
    if not isinstance(origin, str):
        return origin
    match = re.fullmatch(r"sheet '(.*)', line (\d+)", origin)
    return f"{match.group(1)}/{match.group(2)}" if match else origin.split()[-1]
