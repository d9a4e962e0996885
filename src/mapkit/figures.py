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
import math
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from .data import geo_path, read_table
from .errors import FiguresError, FiguresRejected, MapkitError
from .names import COUNTRY, GROUP_SEPARATOR, gazetteer

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
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


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


def figure_from_row(row: dict[str, object], origin: str) -> dict[str, object]:
    """Check one row of a figures table and return it as a normalised figure.

    Parameters
    ----------
    row : dict
        Column name to cell; must hold the :data:`REQUIRED` columns.
    origin : str
        ``file, line N``, recorded with the figure and used in error messages.

    Raises
    ------
    ValueError
        With a message naming what is wrong (the caller adds file and line).
    UnknownPlaceError
        The area matches no district.
    """
    cell = {k: _text(v) for k, v in row.items()}
    for name in REQUIRED:
        if not cell.get(name):
            raise ValueError(f"missing {name}")
    metric = metrics().get(cell["metric"].lower())
    if metric is None:
        raise ValueError(f"unknown metric {cell['metric']!r} (known: {', '.join(metrics())})")
    unit_name = _UNIT_SPELLINGS.get(cell["unit"].lower(), cell["unit"])
    unit = units().get(unit_name)
    if unit is None:
        raise ValueError(f"unknown unit {cell['unit']!r} (known: {', '.join(units())})")
    if unit.dimension != metric.dimension:
        raise ValueError(
            f"unit {cell['unit']!r} does not fit metric {metric.name!r} (a {metric.dimension})"
        )
    value = _number(cell["value"])
    if value < 0:
        raise ValueError(f"value {cell['value']} is negative")
    if unit.dimension == "share" and value > 100:
        raise ValueError(f"value {cell['value']} % is more than 100 %")
    qualifier = cell.get("qualifier", "").lower()
    if qualifier not in QUALIFIERS:
        raise ValueError(f"unknown qualifier {qualifier!r} (known: {', '.join(QUALIFIERS[1:])})")
    kind = cell.get("kind", "").lower() or metric.default_kind
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} (known: {', '.join(KINDS)})")
    as_of = parse_date(cell["as_of"], end=True)
    start_text = cell.get("period_start", "")
    start = parse_date(start_text, end=False) if start_text else None
    if start and start > as_of:
        raise ValueError(f"period ends ({cell['as_of']}) before it starts ({start_text})")
    gaz = gazetteer()
    unplaced = gaz.unplaced(cell["area"])
    iso = "" if unplaced else gaz.resolve(cell["area"])
    publisher = cell.get("publisher") or cell["source"]
    return {
        "id": cell.get("id", ""),
        "area": cell["area"],
        "iso": iso,
        "area_name": f"{cell['area']} ({unplaced})" if unplaced else gaz.name(iso),
        "metric": metric.name,
        "value": value,
        "unit": unit.name,
        "qualifier": qualifier,
        "kind": kind,
        "scope": cell.get("scope", ""),
        "series": series_key(metric.name, kind, start, as_of, start_text, cell.get("scope", "")),
        "period_start": start_text,
        "as_of": cell["as_of"],
        "source": cell["source"],
        "publisher": publisher,
        "title": cell.get("title", ""),
        "published": cell.get("published", ""),
        "author": cell.get("author", ""),
        "speaker": cell.get("speaker", ""),
        "url": cell.get("url", ""),
        "locator": cell.get("locator", ""),
        "note": cell.get("note", ""),
        "value_std": value * unit.factor,
        "unit_std": unit.base,
        "as_of_date": pd.Timestamp(as_of),
        "period_start_date": pd.Timestamp(start) if start else pd.NaT,
        "origin": origin,
    }


def _frame(figures: Iterable[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(list(figures), columns=list(COLUMNS))
    return frame.astype({"value": float, "value_std": float})


def _read_rows(path: Path) -> tuple[list[dict[str, object]], int]:
    """Rows of a CSV or XLSX file as dicts, and the line number of the first data row."""
    if not path.exists():
        raise FiguresError("file not found", path)
    if path.is_dir():
        raise FiguresError("is a folder, not a figures file", path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            table = pd.read_excel(path, dtype=object, engine="openpyxl")
        elif suffix in (".csv", ".txt", ""):
            raw = path.read_bytes()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise FiguresError(
                    f"not UTF-8 text (byte {exc.start}); save the file as CSV UTF-8", path
                ) from None
            if not text.strip():
                raise FiguresError("the file is empty", path)
            from io import StringIO

            table = pd.read_csv(
                StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True
            )
        else:
            raise FiguresError(f"unsupported file type {suffix!r}: use .csv or .xlsx", path)
    except MapkitError:
        raise
    except PermissionError:
        raise FiguresError("cannot be read (permission denied)", path) from None
    except Exception as exc:  # the readers' own messages name the problem
        raise FiguresError(f"cannot be read as a table: {exc}", path) from None
    table.columns = [str(c).strip().lower() for c in table.columns]
    if "area" not in table.columns and "place" in table.columns:
        table = table.rename(columns={"place": "area"})
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise FiguresError(
            f"missing column(s) {', '.join(missing)}; a figures file needs {', '.join(REQUIRED)}",
            path,
        )
    if table.empty:
        raise FiguresError("has a header but no figures", path)
    return table.to_dict("records"), 2


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
    rows, first_line = _read_rows(path)
    figures, errors = [], []
    for offset, row in enumerate(rows):
        where = f"line {first_line + offset}"
        try:
            figure = figure_from_row(row, f"{path}, {where}")
        except (MapkitError, ValueError) as exc:
            errors.append(FiguresError(getattr(exc, "problem", str(exc)), path, where))
            continue
        figure["id"] = figure["id"] or f"{path.stem}/{first_line + offset}"
        if not figure["iso"]:
            warnings.warn(
                f"{path}, {where}: {figure['area_name']}: kept in the figures, "
                "not put on a polygon",
                FiguresWarning,
                stacklevel=2,
            )
        figures.append(figure)
    if errors:
        raise FiguresRejected(errors)
    return _frame(figures)


@cache
def _embedded() -> pd.DataFrame:
    table = read_table("figures.csv")
    sources = read_table("sources.csv").set_index("source_id")
    unknown = sorted(set(table.source_id) - set(sources.index))
    if unknown:
        raise FiguresError(f"unknown source_id {', '.join(unknown)}", geo_path("figures.csv"))
    figures, errors = [], []
    for line, row in enumerate(table.to_dict("records"), start=2):
        src = sources.loc[row["source_id"]]
        row = {
            **{k: src[k] for k in ("publisher", "title", "published", "author", "speaker", "url")},
            **row,
        }
        row["source"] = citation(src)
        try:
            figures.append(figure_from_row(row, f"geo/figures.csv, line {line}"))
        except (MapkitError, ValueError) as exc:
            problem = getattr(exc, "problem", str(exc))
            errors.append(FiguresError(problem, geo_path("figures.csv"), f"line {line}"))
    if errors:
        raise FiguresRejected(errors)
    return _frame(figures)


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
