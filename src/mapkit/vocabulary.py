"""The vocabulary of figures: their columns, metrics, units, kinds and qualifiers, and series.

The metrics are ``geo/metrics.csv`` and the units ``geo/units.csv``; a figure's series
(:func:`series_key`) says which figures are comparable on one map.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import cache

from .data import read_table

__all__ = [
    "COLUMNS",
    "KINDS",
    "QUALIFIERS",
    "REQUIRED",
    "UNIT_SPELLINGS",
    "Metric",
    "Unit",
    "metrics",
    "series_key",
    "units",
]

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


UNIT_SPELLINGS = {
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


def period(kind: str, start: dt.date | None, end: dt.date, start_text: str = "") -> str:
    """What period a figure counts, the one rule behind series keys and series names.

    Returns
    -------
    str
        ``"total"`` (a stock or cumulative figure, start not stated), ``"since"`` (one with a
        stated start), and for flows: ``"to"`` (start not stated), ``"year"`` or ``"month"`` (one
        whole calendar year or month), or ``"range"`` (any other period).

    Examples
    --------
    >>> period("flow", dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    'year'
    >>> period("stock", None, dt.date(2025, 12, 31))
    'total'
    """
    if kind != "flow":
        return "since" if start_text else "total"
    if start is None:
        return "to"
    last = calendar.monthrange(end.year, end.month)[1]
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return "year"
    if start.day == 1 and end.day == last and (start.year, start.month) == (end.year, end.month):
        return "month"
    return "range"


def series_key(
    metric: str, kind: str, start: dt.date | None, end: dt.date, start_text: str, scope: str
) -> str:
    """Which comparable series a figure belongs to, as a short name (``cleared_area_2025``).

    Figures of one series can share a map: the same metric, kind and period start (and, for
    flows, the same period). A figure about part of a place only (a ``scope``) is in no series.
    """
    if scope:
        return ""
    shape = period(kind, start, end, start_text)
    if shape == "total":
        return metric
    if shape == "since":
        return f"{metric}_since_{start_text.replace('-', '_')}"
    if shape == "to":
        return f"{metric}_to_{end.isoformat().replace('-', '_')}"
    if shape == "year":
        return f"{metric}_{start.year}"
    if shape == "month":
        return f"{metric}_{start.year}_{start.month:02d}"
    return f"{metric}_{start.isoformat()}_{end.isoformat()}".replace("-", "_")
