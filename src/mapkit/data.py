"""Where the embedded data lives (``geo/`` in a source checkout, ``mapkit/geo`` when installed),
and its two base tables: the districts and their units."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import geopandas as gpd
import pandas as pd

__all__ = [
    "UNIT_COLUMNS",
    "embedded_districts",
    "embedded_units",
    "geo_dir",
    "geo_path",
    "read_table",
]

UNIT_COLUMNS = ("iso", "name_az", "name_en", "name_ru", "kind", "parent_iso", "economic_region")
"""The columns of the embedded units table (:func:`embedded_units`)."""


@cache
def geo_dir() -> Path:
    """The folder of embedded data (boundaries, figures, corridors and their provenance)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "geo", here.parents[1] / "geo"):
        if (candidate / "districts.geojson").exists():
            return candidate
    raise FileNotFoundError(f"mapkit's embedded data is missing: no geo/ folder beside {here}")


def geo_path(*parts: str) -> Path:
    """Path of a file inside the embedded data folder."""
    return geo_dir().joinpath(*parts)


@cache
def read_table(name: str) -> pd.DataFrame:
    """Read a CSV table of the embedded data as strings, empty cells as ''."""
    return pd.read_csv(geo_path(name), dtype=str, keep_default_na=False, encoding="utf-8")


@cache
def embedded_districts() -> gpd.GeoDataFrame:
    """The embedded districts (``geo/districts.geojson``) as read; callers copy before changing."""
    return gpd.read_file(geo_path("districts.geojson"))


def embedded_units() -> pd.DataFrame:
    """The table of units (no geometry): ISO code, names, kind, parent, economic region."""
    return pd.DataFrame(embedded_districts()[list(UNIT_COLUMNS)]).fillna("")
