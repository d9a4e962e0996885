"""Figures joined to district polygons: each unit with its latest figure for every metric."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from .boundaries import as_districts
from .coded import codes_of, plain
from .errors import MapkitError
from .figures import check_figures, is_district, metrics

__all__ = ["district_figures", "join", "not_on_map", "on_districts", "value_column"]

_UNIT_SUFFIX = {"ha": "_ha", "%": "_pct", "USD": "_usd", "count": ""}


def value_column(series: str, unit_std: str) -> str:
    """Name of the layer column holding a series in its base unit (``cleared_area_2025_ha``)."""
    return series + _UNIT_SUFFIX.get(unit_std, f"_{unit_std}")


def district_figures(figures: pd.DataFrame) -> pd.DataFrame:
    """The figures that belong to one district each (not the country, not a group)."""
    return figures[on_districts(figures)]


def not_on_map(districts: gpd.GeoDataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """The district figures whose district has no polygon in ``districts`` (a partial file).

    They are kept and listed (a warning, the page's "not on this map" section), never dropped.
    """
    return figures[on_districts(figures) & ~figures.iso.isin(districts.iso).to_numpy()]


def on_districts(figures: pd.DataFrame) -> np.ndarray:
    """Which figures belong to one district each, as a boolean array (one lookup per code)."""
    codes, isos = codes_of(figures.iso)
    return np.array([is_district(c) for c in isos], dtype=bool)[codes]


_JOINED = ["iso", "series", "metric", "unit_std", "value_std", "as_of_date", "published", "id",
           "as_of", "qualifier", "source"]  # fmt: skip


def join(districts: gpd.GeoDataFrame, figures: pd.DataFrame) -> gpd.GeoDataFrame:
    """Attach each district's latest figure of every series to its polygon, as flat columns.

    Parameters
    ----------
    districts : GeoDataFrame
        From :func:`mapkit.load_districts`.
    figures : DataFrame
        From :func:`mapkit.load_figures`. Figures for the country, for groups of districts or
        for former districts are not put on polygons.

    Returns
    -------
    GeoDataFrame
        ``districts`` plus, for each series of comparable district figures (see
        :func:`mapkit.figures.series_key`), the latest value in its base unit
        (``cleared_area_ha``, ``cleared_area_2025_ha``, ``items_found``) and
        ``<series>_as_of``, ``_qualifier``, ``_source``, ``_id``; ``figures`` counts the figures
        of each unit (those about part of a unit only included).

    Raises
    ------
    MapkitError
        A district figure whose district has no polygon in ``districts``: it would be lost.
    """
    check_figures(figures)
    districts = as_districts(districts)
    is_mine = on_districts(figures)
    is_lost = is_mine & ~figures.iso.isin(districts.iso).to_numpy()
    if is_lost.any():
        lost = figures[is_lost]
        listed = ", ".join(f"{r.id} ({r.area_name})" for r in lost.itertuples())
        raise MapkitError(f"the boundaries have no polygon for figures {listed}")
    joined = districts.copy()
    current = _current(figures, np.flatnonzero(is_mine & (figures.series != "").to_numpy()))
    order = list(metrics())
    ranked = current.drop_duplicates("series").sort_values(
        "metric", key=lambda m: m.map(order.index), kind="stable"
    )
    for series, unit_std in zip(ranked.series, ranked.unit_std, strict=True):
        rows = current[current.series == series].set_index("iso")
        joined[value_column(series, unit_std)] = joined.iso.map(rows.value_std)
        for field in ("as_of", "qualifier", "source", "id"):
            joined[f"{series}_{field}"] = joined.iso.map(rows[field]).fillna("")
    counts = figures.iso[is_mine].value_counts()
    joined["figures"] = joined.iso.map(counts).fillna(0).astype(int)
    return joined


def _current(figures: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """The current figure of each unit and series among ``rows`` (positions): of those at the
    series' latest as-of date, the one published last (then the last id), latest first.

    Only the figures at their series' latest date are ranked, by the columns that rank them;
    the columns joined are copied for the current figures alone, not for a million.
    """
    keys = figures[["iso", "series", "as_of_date"]].iloc[rows]
    newest = keys.groupby(["iso", "series"], sort=False).as_of_date.transform("max")
    latest = rows[(keys.as_of_date == newest).to_numpy()]
    del keys, newest  # before the ranking's copies
    ranked = figures[["iso", "series", "as_of_date", "published", "id"]].iloc[latest]
    ranked = ranked.set_axis(latest).sort_values(["as_of_date", "published", "id"], kind="stable")
    return plain(figures[_JOINED].iloc[ranked.groupby(["iso", "series"]).tail(1).index])
