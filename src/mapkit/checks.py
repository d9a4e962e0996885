"""Checking every row of a figures table at once, and normalising the rows that pass.

Each check runs once per distinct text of a column (a place name, a unit, a date), not once per
row; a rejected row is reported with its first problem, the checks always running in the same
order. Numbers and dates are read by :mod:`mapkit.cells`; the vocabulary is
:mod:`mapkit.vocabulary`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .cells import nones, parse_date, read_numbers
from .errors import FiguresError, shown
from .placing import places
from .table import where
from .vocabulary import (
    COLUMNS,
    KINDS,
    QUALIFIERS,
    REQUIRED,
    UNIT_SPELLINGS,
    metrics,
    series_key,
    units,
)

__all__ = ["Checked", "Reading", "check_rows", "objects"]


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


def check_rows(table: pd.DataFrame, lines: np.ndarray, how: Reading) -> Checked:
    """Check every row of a figures table at once and normalise the rows that pass.

    Parameters
    ----------
    table : DataFrame
        Lower-case column names; must hold the :data:`REQUIRED` columns.
    lines : ndarray
        Where each row is in the file: a line number, or ``sheet 'S', line N``.
    how : Reading
        The file and its conventions.

    Returns
    -------
    Checked
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
            empty = np.isnan(value) & nones(value_problem)
        else:
            empty = col[name].rows(col[name].uniques == "")
        reject(empty, lambda i, name=name: [f"missing {name}"] * len(i))

    vocabulary, known_units = metrics(), units()
    metric = col["metric"].map(lambda t: vocabulary.get(t.lower()))
    reject(
        col["metric"].rows(nones(metric)),
        lambda i: [_unknown("metric", t, vocabulary) for t in col["metric"].rows()[i]],
    )
    unit = col["unit"].map(lambda t: known_units.get(UNIT_SPELLINGS.get(t.lower(), t)))
    reject(
        col["unit"].rows(nones(unit)),
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
    reject(col["as_of"].rows(~nones(as_of_problems)), col["as_of"].rows(as_of_problems))
    start_stamps, start_problems, start_dates = _dates(
        col["period_start"], end=False, today=how.today
    )
    reject(
        col["period_start"].rows(~nones(start_problems)), col["period_start"].rows(start_problems)
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
    iso, area_name, area_problem, unplaced = places(areas.uniques)
    reject(areas.rows(~nones(area_problem)), areas.rows(area_problem))

    # The rows that passed, normalised.
    errors = [FiguresError(problem[i], how.source, where(lines[i])) for i in np.flatnonzero(bad)]
    kept = np.flatnonzero(~bad)
    keep = kept if bad.any() else slice(None)
    lines = lines[keep]

    def rows(name: str, per_unique: np.ndarray | None = None) -> np.ndarray:
        return col[name].rows(per_unique)[keep]

    ids = _texts(raw.get("id"), n)[keep]
    if how.default_id is not None:
        missing = np.flatnonzero(ids == "")
        ids[missing] = _labelled(f"{how.default_id}/", lines[missing], _row_key)

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
        "origin": _labelled(f"{how.origin}, ", lines, where, "line "),
    }
    placed_not = np.flatnonzero(rows("area", unplaced).astype(bool))
    figures = pd.DataFrame(columns if len(lines) else None, columns=list(COLUMNS))
    return Checked(
        figures.astype({"value": float, "value_std": float}),
        errors,
        [(where(lines[i]), str(columns["area_name"][i])) for i in placed_not],
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


def _row_key(origin: object) -> object:
    """``5`` → ``5``; ``sheet 'Aghdam', line 5`` → ``Aghdam/5`` (an id for the row)."""
    if not isinstance(origin, str):
        return origin
    match = re.fullmatch(r"sheet '(.*)', line (\d+)", origin)
    return f"{match.group(1)}/{match.group(2)}" if match else origin.split()[-1]


def _labelled(
    prefix: str, lines: np.ndarray, label: Callable[[object], object], number: str = ""
) -> np.ndarray:
    """``prefix`` and ``label(line)`` for each line; line numbers (a CSV file's) at once, as
    ``prefix``, ``number`` and the number, which is what ``label`` makes of them."""
    if lines.dtype.kind in "iu":
        return (prefix + number) + lines.astype(str).astype(object)
    return objects([f"{prefix}{label(line)}" for line in lines.tolist()])


def objects(values: list[object]) -> np.ndarray:
    """A list as a one-dimensional object array."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _attribute(values: np.ndarray, name: str) -> np.ndarray:
    """An attribute of each entry of an object array ("" for None)."""
    out = np.empty(len(values), dtype=object)
    out[:] = [getattr(v, name) if v is not None else "" for v in values]
    return out


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
