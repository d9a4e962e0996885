"""District boundaries: the embedded default, or any boundary file GDAL reads.

Every unit comes out with its ISO 3166-2:AZ code, names (az, en, ru), kind, 2021 economic region
and ``area_km2`` computed in :data:`EQUAL_AREA`. A user's file is matched by name through the same
gazetteer as the figures; what could not be matched, was merged or was repaired is reported as a
:class:`BoundaryWarning`, never done in silence.
"""

from __future__ import annotations

import warnings
import zipfile
from functools import cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from .data import geo_path
from .errors import BoundaryError, UnknownPlaceError
from .names import gazetteer

EQUAL_AREA = "+proj=laea +lat_0=40.3 +lon_0=47.7 +datum=WGS84 +units=m +no_defs"
"""Lambert azimuthal equal-area projection centred on Azerbaijan, used for every area."""

UNIT_COLUMNS = ("iso", "name_az", "name_en", "name_ru", "kind", "parent_iso", "economic_region")
_PREFERRED_NAME_FIELDS = ("shapeName", "NAME_2", "NAME_1", "ADM2_EN", "ADM1_EN", "name_en", "name")


class BoundaryWarning(UserWarning):
    """Something done to a user's boundary file that the user should know about."""


@cache
def _embedded() -> gpd.GeoDataFrame:
    return gpd.read_file(geo_path("districts.geojson"))


def embedded_units() -> pd.DataFrame:
    """The table of units (no geometry): ISO code, names, kind, parent, economic region."""
    return pd.DataFrame(_embedded()[list(UNIT_COLUMNS)]).fillna("")


def area_km2(geometry: gpd.GeoSeries) -> pd.Series:
    """Areas in km², computed in the equal-area projection :data:`EQUAL_AREA`."""
    return (geometry.to_crs(EQUAL_AREA).area / 1e6).round(1)


def load_districts(
    path: str | Path | None = None, *, name_field: str | None = None, layer: str | None = None
) -> gpd.GeoDataFrame:
    """The districts of Azerbaijan as a GeoDataFrame in EPSG:4326.

    Parameters
    ----------
    path : str or Path, optional
        A boundary file GDAL reads (GeoJSON, GeoPackage, shapefile or zipped shapefile,
        FlatGeobuf), in any CRS. Default: the embedded, corrected Natural Earth districts.
    name_field : str, optional
        The attribute holding district names; found automatically when not given.
    layer : str, optional
        The layer to read from a multi-layer file (GeoPackage).

    Returns
    -------
    GeoDataFrame
        One row per unit: ``iso``, ``name_az``, ``name_en``, ``name_ru``, ``kind``,
        ``parent_iso``, ``economic_region``, ``area_km2`` and ``geometry``.

    Raises
    ------
    BoundaryError
        The file is missing or unreadable, has no CRS, or holds no district of Azerbaijan.

    Examples
    --------
    >>> districts = load_districts()
    >>> len(districts), districts.crs.to_epsg()
    (77, 4326)
    """
    if path is None:
        return _embedded()[[*UNIT_COLUMNS, "area_km2", "geometry"]].copy()
    path = Path(path)
    raw = _read(path, layer)
    if raw.crs is None:
        raise BoundaryError("has no coordinate reference system (a shapefile needs its .prj)", path)
    raw = raw[raw.geometry.notna() & ~raw.geometry.is_empty].to_crs(4326)
    field = name_field or _find_name_field(raw, path)
    if field not in raw.columns:
        raise BoundaryError(
            f"has no field {field!r} (fields: {', '.join(map(str, raw.columns))})", path
        )
    return _match(raw, field, path)


def _read(path: Path, layer: str | None) -> gpd.GeoDataFrame:
    if not path.exists():
        raise BoundaryError("file not found", path)
    target = f"/vsizip/{path}" if zipfile.is_zipfile(path) else str(path)
    try:
        frame = gpd.read_file(target, layer=layer)
    except Exception as exc:  # GDAL's message says what it could not read
        detail = " ".join(str(exc).split()).replace(f"'{target}' ", "")
        detail = detail.split("; It might help to specify the correct driver")[0]
        raise BoundaryError(f"cannot be read as boundaries: {detail}", path) from None
    if frame.empty:
        raise BoundaryError("holds no features", path)
    return frame


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _resolve_or_none(name: object) -> str | None:
    try:
        code = gazetteer().resolve(str(name))
    except UnknownPlaceError:
        return None
    return code if code.startswith("AZ-") and "+" not in code else None


def _find_name_field(frame: gpd.GeoDataFrame, path: Path) -> str:
    scores: dict[str, int] = {}
    for column in frame.columns:
        if column == frame.geometry.name:
            continue
        if not (pd.api.types.is_string_dtype(frame[column]) or frame[column].dtype == object):
            continue
        values = frame[column].dropna().astype(str)
        scores[column] = sum(_resolve_or_none(v) is not None for v in values)
    best = max(scores.values(), default=0)
    if best == 0:
        sample = []
        for column in scores:
            sample += [str(v) for v in frame[column].dropna().head(3)]
        raise BoundaryError(
            "holds no district of Azerbaijan: no field has names mapkit knows"
            + (f" (found e.g. {', '.join(repr(s) for s in sample[:5])})" if sample else ""),
            path,
        )
    tied = [c for c, s in scores.items() if s == best]
    return next((c for c in _PREFERRED_NAME_FIELDS if c in tied), tied[0])


def _match(raw: gpd.GeoDataFrame, field: str, path: Path) -> gpd.GeoDataFrame:
    raw = raw.reset_index(drop=True)
    invalid = ~raw.geometry.is_valid
    if invalid.any():
        names = ", ".join(str(raw.at[i, field]) for i in raw.index[invalid])
        warnings.warn(
            f"{path}: repaired invalid geometry of {names}", BoundaryWarning, stacklevel=3
        )
        raw.loc[invalid, raw.geometry.name] = shapely.make_valid(raw.geometry[invalid].values)
    raw["iso"] = [_resolve_or_none(v) for v in raw[field]]
    unmatched = raw[raw.iso.isna()]
    if len(unmatched) == len(raw):
        raise BoundaryError(
            f"holds no district of Azerbaijan (field {field!r} has e.g. "
            f"{', '.join(repr(str(v)) for v in raw[field].head(5))})",
            path,
        )
    if len(unmatched):
        listed = ", ".join(f"{v!r} (feature {i + 1})" for i, v in unmatched[field].items())
        warnings.warn(
            f"{path}: left out {_count(len(unmatched), 'feature')} that match no district: "
            f"{listed}",
            BoundaryWarning,
            stacklevel=3,
        )
    matched = raw[raw.iso.notna()]
    units = embedded_units().set_index("iso")
    for iso, group in matched.groupby("iso"):
        if len(group) > 1:
            listed = ", ".join(f"{v!r} (feature {i + 1})" for i, v in group[field].items())
            warnings.warn(
                f"{path}: {listed} all match {units.at[iso, 'name_az']} ({iso}); "
                "merged into one unit",
                BoundaryWarning,
                stacklevel=3,
            )
    merged = matched[["iso", matched.geometry.name]].dissolve(by="iso", as_index=False)
    missing = sorted(set(units.index) - set(merged.iso))
    if missing:
        warnings.warn(
            f"{path}: no polygon for {_count(len(missing), 'unit')}: {', '.join(missing)}",
            BoundaryWarning,
            stacklevel=3,
        )
    merged = merged.merge(units.reset_index(), on="iso", how="left")
    merged["geometry"] = shapely.orient_polygons(merged.geometry.values)
    merged["area_km2"] = area_km2(merged.geometry)
    columns = [*UNIT_COLUMNS, "area_km2", "geometry"]
    return gpd.GeoDataFrame(merged[columns], geometry="geometry", crs=4326).sort_values(
        "iso", ignore_index=True
    )
