"""Transport corridors: the Zangazur and Middle Corridor segments, their stations, and the districts
each segment crosses.

The data lives in ``geo/corridors/``: two tables with sources (``places.csv``, ``segments.csv``)
and the layers derived from them by ``geo/corridors/derive.py`` (``corridors.geojson``,
``stations.geojson``). This module only reads the layers and measures them; it does not change
them.

Examples
--------
>>> from mapkit.corridors import crossings, load_corridors, load_stations
>>> lines = load_corridors()
>>> sorted(lines.corridor.unique())
['Middle Corridor', 'Zangazur']
>>> stations = load_stations()
>>> set(stations.kind) <= {"station", "port", "border"}
True
"""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import Geod
from shapely.geometry import MultiLineString, Point
from shapely.geometry.base import BaseGeometry

from .data import geo_path
from .errors import MapkitError

__all__ = [
    "CROSSING_COLUMNS",
    "GEOD",
    "MIN_KM",
    "WGS84",
    "crossings",
    "load_corridors",
    "load_stations",
    "with_districts",
]

WGS84 = "EPSG:4326"
GEOD = Geod(ellps="WGS84")
CROSSING_COLUMNS = ["segment_id", "corridor", "segment", "iso", "name_en", "length_km"]
_LINE_TYPES = ("LineString", "LinearRing")
MIN_KM = 0.005  # shorter pieces round to 0.00 km: boundary noise where a line ends on a border


def _read_layer(name: str) -> gpd.GeoDataFrame:
    path = geo_path("corridors", name)
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: run `python geo/corridors/derive.py` to derive it"
        )
    # Read the JSON directly rather than through GDAL, which would turn "2026-02-27" into a
    # datetime; RFC 7946 GeoJSON has no crs member: its coordinates are WGS84 lon/lat.
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    frame = gpd.GeoDataFrame.from_features(features, crs=WGS84)
    columns = [c for c in features[0]["properties"] if c in frame.columns] if features else []
    return frame[[*columns, "geometry"]]


def load_corridors() -> gpd.GeoDataFrame:
    """The corridor segments as lines, one row per segment.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326, in the order of ``segments.csv``. Columns: ``id``, ``corridor``
        ("Zangazur" or "Middle Corridor"), ``segment``, ``mode`` (rail, road, ferry), ``status``
        (existing, under construction, planned), ``status_date`` and ``status_source`` (the
        report that gives the status), ``stated_length_km`` and ``stated_length_source`` (NaN and
        "" where no source states a length), ``route`` (place ids, ";"-separated), ``schematic``
        (why the line is only schematic, or ""), ``note``, ``length_km`` (geodesic length of the
        drawn line) and ``length_check`` (how it compares with the stated length).

    Raises
    ------
    FileNotFoundError
        If the derived layer is missing.

    Examples
    --------
    >>> lines = load_corridors()
    >>> lines.loc[lines.id == "ZG-01", "stated_length_km"].item()
    110.4
    """
    return _read_layer("corridors.geojson")


def load_stations() -> gpd.GeoDataFrame:
    """The stations, ports and border crossings on the corridors, as points.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326. Columns: ``id``, ``name``, ``name_local``, ``country`` (ISO 3166-1 alpha-2;
        two codes joined by ";" for a border point), ``kind`` (station, port, border), ``source``
        and ``source_url`` (where the position comes from; "approximate: ..." says how an
        unsourced position was obtained) and ``segments`` (ids of the segments through it).

    Examples
    --------
    >>> stations = load_stations()
    >>> stations.loc[stations.id == "alat", "kind"].item()
    'port'
    """
    return _read_layer("stations.geojson")


def _in_wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if frame.crs is None:
        return frame.set_crs(WGS84)
    return frame if frame.crs.to_epsg() == 4326 else frame.to_crs(WGS84)


def _line_parts(geometry: BaseGeometry) -> MultiLineString:
    """The linear parts of an intersection (points where a line only touches are dropped)."""
    parts = shapely.get_parts(shapely.get_parts(geometry))  # a collection may hold multi-parts
    return MultiLineString([p for p in parts if p.geom_type in _LINE_TYPES])


def _require(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise MapkitError(f"{what} lacks the column(s) {missing}")


def crossings(segments: gpd.GeoDataFrame, districts: gpd.GeoDataFrame) -> pd.DataFrame:
    """The districts each segment crosses, with the geodesic length inside each.

    Parameters
    ----------
    segments : geopandas.GeoDataFrame
        Lines with columns ``id``, ``corridor`` and ``segment``, as from :func:`load_corridors`.
    districts : geopandas.GeoDataFrame
        Polygons with columns ``iso`` (ISO 3166-2:AZ) and ``name_en``, as from
        :func:`mapkit.load_districts`.

    Either frame may be in any CRS; both are brought to EPSG:4326 (a frame without a CRS is taken
    to be in EPSG:4326). Each line is clipped to each polygon it meets and the clipped part is
    measured on the WGS84 ellipsoid with :meth:`pyproj.Geod.geometry_length`.

    Returns
    -------
    pandas.DataFrame
        Columns ``segment_id``, ``corridor``, ``segment``, ``iso``, ``name_en`` and
        ``length_km`` (2 decimals): one row per segment and district, with the district's total
        length if the line enters it more than once. Rows follow the segments' order and, within
        a segment, the order in which the line first enters each district. Districts a line only
        touches, or enters for less than 5 m (as where a line ends on a border drawn slightly
        differently), are left out, and so is any part of a line outside every district.

    Raises
    ------
    ValueError
        If a required column is missing.

    Examples
    --------
    >>> from mapkit import load_districts
    >>> table = crossings(load_corridors(), load_districts())
    >>> list(table.loc[table.segment_id == "ZG-01", "iso"])
    ['AZ-FUZ', 'AZ-CAB', 'AZ-ZAN']
    """
    _require(segments, ["id", "corridor", "segment"], "segments")
    _require(districts, ["iso", "name_en"], "districts")
    lines = _in_wgs84(segments)
    areas = _in_wgs84(districts).reset_index(drop=True)
    tree = areas.sindex
    rows = []
    for order, seg in enumerate(lines.itertuples(index=False)):
        line = seg.geometry
        if line is None or line.is_empty:
            continue
        for index in sorted(tree.query(line, predicate="intersects")):
            district = areas.iloc[index]
            inside = _line_parts(line.intersection(district.geometry))
            if inside.is_empty:
                continue
            km = GEOD.geometry_length(inside) / 1000
            if km < MIN_KM:
                continue
            entered = min(line.project(Point(part.coords[0])) for part in inside.geoms)
            rows.append(
                {
                    "segment_id": seg.id,
                    "corridor": seg.corridor,
                    "segment": seg.segment,
                    "iso": district["iso"],
                    "name_en": district["name_en"],
                    "length_km": round(km, 2),
                    "_order": order,
                    "_entered": entered,
                }
            )
    table = pd.DataFrame(rows, columns=[*CROSSING_COLUMNS, "_order", "_entered"])
    table = table.sort_values(["_order", "_entered"], kind="stable")
    return table[CROSSING_COLUMNS].reset_index(drop=True)


def with_districts(
    segments: gpd.GeoDataFrame, districts: gpd.GeoDataFrame, table: pd.DataFrame | None = None
) -> gpd.GeoDataFrame:
    """The segments with a ``districts`` column naming the districts each crosses.

    Parameters
    ----------
    segments : geopandas.GeoDataFrame
        As from :func:`load_corridors`.
    districts : geopandas.GeoDataFrame
        As for :func:`crossings`.
    table : pandas.DataFrame, optional
        ``crossings(segments, districts)`` if already computed.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``segments`` with ``districts``: for example "Fuzuli (AZ-FUZ) 11.1 km; ...", in
        route order, or "" for a segment that crosses none.

    Examples
    --------
    >>> from mapkit import load_districts
    >>> lines = with_districts(load_corridors(), load_districts())
    >>> lines.loc[lines.id == "ZG-01", "districts"].item().startswith("Fuzuli (AZ-FUZ)")
    True
    """
    table = crossings(segments, districts) if table is None else table
    text: dict[object, list[str]] = {}
    for row in table.itertuples(index=False):
        text.setdefault(row.segment_id, []).append(
            f"{row.name_en} ({row.iso}) {row.length_km:.1f} km"
        )
    result = segments.copy()
    result["districts"] = ["; ".join(text.get(i, [])) for i in result["id"]]
    return result
