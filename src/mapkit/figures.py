"""The figures: cited, dated statements of contamination and clearance, one row each.

A figure keeps the value and unit *as stated* by its source; conversions (1 km² = 100 ha) happen on
read, into ``value_std`` and ``unit_std``. Every row carries its source and as-of date; a row
without them is rejected with its file and line, never dropped in silence.

The embedded dataset is ``geo/figures.csv`` with its sources in ``geo/sources.csv``; the metric
vocabulary is ``geo/metrics.csv`` and the units ``geo/units.csv``. A user's own file (CSV or Excel
``.xlsx``) needs at least the columns ``area, metric, value, unit, as_of, source``.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from .cells import CONVENTIONS, parse_date
from .checks import Reading, check_rows
from .coded import stacked
from .data import geo_path, read_table
from .errors import FiguresError, FiguresRejected, MapkitError, MapkitWarning, option, shown
from .names import COUNTRY, GROUP_SEPARATOR
from .table import read_table as read_cells
from .tableshape import Table
from .vocabulary import (  # noqa: F401  (the vocabulary is part of this module's API)
    COLUMNS,
    KINDS,
    QUALIFIERS,
    REQUIRED,
    Metric,
    Unit,
    metrics,
    series_key,
    units,
)

__all__ = [
    "DERIVED",
    "FiguresWarning",
    "Options",
    "check_figures",
    "citation",
    "is_district",
    "latest",
    "load_figures",
    "read_figures",
    "reading",
]


class FiguresWarning(MapkitWarning):
    """A figure kept but not placed on the map (a former or unnamed district)."""


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
    how = Reading(
        path, str(path), path.stem, decimal, table.delimiter == ";", table.formulas, dt.date.today()
    )
    read = check_rows(table, how)
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
            warnings.warn(FiguresWarning(f"{error.one_line(option)}; row skipped"), stacklevel=2)
    elif errors:
        raise FiguresRejected(errors)
    return read.figures


DERIVED = ("id", "iso", "area_name", "metric", "kind", "scope", "series", "value_std", "unit_std")


def check_figures(figures: object, needs: Sequence[str] = (*DERIVED, "as_of_date")) -> None:
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
    cells = Table(table, np.arange(2, len(table) + 2), [])
    read = check_rows(cells, Reading(geo_path("figures.csv"), "geo/figures.csv"))
    if read.errors:
        raise FiguresRejected(read.errors)
    return read.figures


def citation(source: pd.Series | dict[str, str]) -> str:
    """A one-line citation: publisher, date, title, author and speaker where known.

    Examples
    --------
    >>> citation({"publisher": "Azernews", "published": "2025-05-20", "title": "Demining"})
    'Azernews, 2025-05-20, “Demining”'
    """
    parts = [source["publisher"], source["published"]]
    if source.get("title"):
        parts.append(f"“{source['title']}”")
    if source.get("author"):
        parts.append(f"by {source['author']}")
    if source.get("speaker"):
        parts.append(f"quoting {source['speaker']}")
    return ", ".join(p for p in parts if p)


def short_citation(publisher: pd.Series, published: pd.Series) -> pd.Series:
    """Each source as "Publisher, date" (the publisher alone where no date is stated)."""
    return publisher.where(published == "", publisher + ", " + published)


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
        metric's base unit (ha, %, USD, count). Text columns whose texts repeat (place, metric,
        unit, dates, source, …) are pandas categoricals, each text held once and sorted as
        text; ``.astype(str)`` gives a column to write other texts into.

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
        raise FiguresError(
            f"no figures: {option('only', True)} needs at least one {option('files')} file"
        )
    figures = _stacked(frames, read=frames[0 if only else 1 :])
    if cutoff is not None:
        figures = figures[figures.as_of_date <= cutoff].reset_index(drop=True)
    return figures


def _stacked(frames: list[pd.DataFrame], read: list[pd.DataFrame]) -> pd.DataFrame:
    """``frames`` one under another; those ``read`` here are emptied on the way.

    A million figures are not held twice: the files' tables give up each column once it is
    stacked, and one table alone is not copied (pandas copies on write, so the cached embedded
    table stays as it is whatever the caller does with it).
    """
    if len(frames) == 1:
        return frames[0].copy(deep=False)
    columns = {}
    for name in frames[0].columns:
        columns[name] = stacked([frame[name] for frame in frames])
        for frame in read:
            del frame[name]
    return pd.DataFrame(columns, copy=False)


def _cutoff(as_of: object) -> pd.Timestamp | None:
    """The last moment of ``as_of`` (a date as text, or a date), or None for no cut-off."""
    if as_of is None or as_of == "":
        return None
    if isinstance(as_of, dt.date):
        return pd.Timestamp(as_of)
    if not isinstance(as_of, str):
        raise FiguresError(
            f"{option('as_of')}: {as_of!r} is not a date; give it as text, 'YYYY-MM-DD'"
        )
    try:
        return pd.Timestamp(parse_date(as_of, end=True))
    except ValueError as exc:
        raise FiguresError(f"{option('as_of')}: {exc}") from None


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
