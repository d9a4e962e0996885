"""Layers for GIS: RFC 7946 GeoJSON, GeoPackage, shapefile (with a field-name table) and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .cells import parse_date
from .coded import plain
from .errors import MapkitError, MapkitWarning
from .formulas import neutralise, write_csv
from .layers import style
from .qgis import add_styles

__all__ = [
    "COORDINATE_DECIMALS",
    "DBF_FIELDS",
    "FIGURES_CSV",
    "FORMATS",
    "LayerWarning",
    "collection_text",
    "date_columns",
    "figures_table",
    "for_gis",
    "gpkg_layer_name",
    "layer_files",
    "rfc7946",
    "shapefile_fields",
    "with_period_starts",
    "write_figures_csv",
    "write_geojson",
    "write_geopackage",
    "write_layers",
    "write_shapefile",
]

COORDINATE_DECIMALS = 7
DBF_FIELDS = 255  # fields some programs read from a shapefile's table (it can hold more)


class LayerWarning(MapkitWarning):
    """A layer written, but in a form some programs may read only in part."""


FORMATS = ("geojson", "gpkg", "shp", "csv")
FIGURES_CSV = "figures.csv"  # the figures table among the layers (format "csv")
_SHORT_WORDS = {
    "cleared": "clr",
    "contaminated": "cont",
    "area": "ar",
    "items": "itm",
    "found": "fnd",
    "qualifier": "ql",
    "source": "src",
    "economic": "econ",
    "region": "reg",
    "parent": "par",
    "stated": "st",
    "length": "len",
    "status": "stat",
    "segment": "seg",
    "corridor": "corr",
    "schematic": "schm",
    "mines": "mn",
    "anti": "a",
    "personnel": "p",
    "tank": "t",
    "share": "sh",
    "date": "dt",
    "check": "chk",
    "victims": "vic",
    "districts": "dist",
    "international": "intl",
    "spending": "spend",
    "incidents": "inc",
    "figures": "figs",
}


_DATE_SUFFIXES = ("_as_of", "_period_start")
_DATE_COLUMNS = ("status_date",)


def date_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of a layer that hold dates (``*_as_of``, ``*_period_start``, ``status_date``)."""
    return [c for c in frame.columns if c.endswith(_DATE_SUFFIXES) or c in _DATE_COLUMNS]


def with_period_starts(frame: gpd.GeoDataFrame, figures: pd.DataFrame) -> gpd.GeoDataFrame:
    """Beside each ``<series>_as_of``, the period start of the same figure (``<series>_id``)."""
    ids = [c for c in frame.columns if c.endswith("_id") and f"{c[:-3]}_as_of" in frame.columns]
    # Only the figures the layer names, and only their id and period start, are looked up.
    named = figures.id.isin(pd.unique(frame[ids].to_numpy().ravel())) if ids else []
    starts = plain(figures.loc[named, ["id", "period_start"]]).drop_duplicates("id")
    starts = starts.set_index("id").period_start
    columns: dict[str, pd.Series] = {}
    for column in frame.columns:
        series = column.removesuffix("_as_of")
        if column.endswith("_as_of") and f"{series}_id" in frame.columns:
            columns[f"{series}_period_start"] = frame[f"{series}_id"].map(starts)
        columns[column] = frame[column]
    return gpd.GeoDataFrame(columns, geometry=frame.geometry.name, crs=frame.crs)


def for_gis(frame: gpd.GeoDataFrame, figures: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """A layer as GIS layers carry it: missing values NULL (not ``""``), dates as dates.

    Each figure column gets its period start beside its as-of date (when ``figures`` is given).
    A date stated to the month or year becomes its last day for an as-of date and its first day
    for a period start, as mapkit compares them; the figures CSV keeps the dates as stated.
    """
    if figures is not None:
        frame = with_period_starts(frame, figures)
    frame = frame.copy()
    for column in frame.columns:
        if column == frame.geometry.name or not _is_text(frame[column]):
            continue
        values = frame[column].where(frame[column].notna() & (frame[column] != ""), None)
        if column in date_columns(frame):
            end = column.endswith("_as_of")
            values = values.map(lambda t, end=end: _date(t, end=end), na_action="ignore")
        frame[column] = values.astype(object).where(values.notna(), None)
    return frame


def _is_text(column: pd.Series) -> bool:
    return column.dtype == object or pd.api.types.is_string_dtype(column.dtype)


def _date(text: object, *, end: bool) -> dt.date | None:
    if not isinstance(text, str):
        return text if isinstance(text, dt.date) else None
    return parse_date(text, end=end)


def _plain(value: object) -> object:
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (pd.Timestamp, dt.date)):
        return value.strftime("%Y-%m-%d")
    if value is pd.NaT or value is None:
        return None
    return value


def rfc7946(frame: gpd.GeoDataFrame) -> dict[str, object]:
    """A GeoDataFrame as an RFC 7946 FeatureCollection.

    Lon/lat WGS84, no ``crs`` member, polygon rings by the right-hand rule, coordinates rounded
    to :data:`COORDINATE_DECIMALS` decimals, flat properties (NaN becomes null).
    """
    frame = frame.to_crs(4326) if frame.crs is not None else frame
    geoms = shapely.transform(frame.geometry.values, lambda c: np.round(c, COORDINATE_DECIMALS))
    geoms = shapely.orient_polygons(geoms)
    columns = [c for c in frame.columns if c != frame.geometry.name]
    features = []
    texts = shapely.to_geojson(geoms)  # GEOS writes the shortest round-trip decimals
    for record, text in zip(frame[columns].to_dict("records"), texts, strict=True):
        properties = {k: _plain(v) for k, v in record.items()}
        geometry = json.loads(text) if text is not None else None
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def collection_text(features: Iterable[dict[str, object]]) -> str:
    """GeoJSON features as an RFC 7946 FeatureCollection: compact UTF-8 JSON text, one feature a
    line (readable diffs), as ``geo/``'s scripts write the embedded data."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def write_geojson(frame: gpd.GeoDataFrame, path: str | Path) -> Path:
    """Write ``frame`` as RFC 7946 GeoJSON (UTF-8) and return the path."""
    path = Path(path)
    text = json.dumps(rfc7946(frame), ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    return path


def shapefile_fields(columns: list[str]) -> dict[str, str]:
    """Map column names to unique shapefile field names of at most 10 characters."""
    mapping: dict[str, str] = {}
    for column in columns:
        short = "_".join(_SHORT_WORDS.get(w, w) for w in column.split("_"))[:10]
        candidate, n = short, 1
        while candidate in mapping.values():
            n += 1
            candidate = f"{short[: 10 - len(str(n))]}{n}"
        mapping[column] = candidate
    return mapping


def write_shapefile(frame: gpd.GeoDataFrame, path: str | Path) -> Path:
    """Write a shapefile with UTF-8 names (``.cpg``) and ``<name>_fields.csv`` mapping the fields.

    Shapefile field names hold at most 10 characters; the CSV beside the file says which full
    column name each short field stands for. Text over 254 characters is cut, a limit of the
    format: the GeoJSON and GeoPackage layers keep it whole.
    """
    path = Path(path)
    columns = [c for c in frame.columns if c != frame.geometry.name]
    mapping = shapefile_fields(columns)
    if len(columns) > DBF_FIELDS:
        warnings.warn(
            LayerWarning(
                f"{path.name}: {len(columns):,} fields, more than the {DBF_FIELDS} some programs "
                "read from a shapefile; the GeoPackage and GeoJSON layers are read whole"
            ),
            stacklevel=2,
        )
    with warnings.catch_warnings():
        # the format cuts text over 254 characters; the GeoJSON and GeoPackage keep it whole
        warnings.filterwarnings("ignore", message=".*truncated.*", category=RuntimeWarning)
        warnings.filterwarnings("ignore", message=".*DBF readers.*", category=RuntimeWarning)
        frame.to_crs(4326).rename(columns=mapping).to_file(
            path, driver="ESRI Shapefile", encoding="UTF-8", engine="pyogrio"
        )
    with path.with_name(f"{path.stem}_fields.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["field", "column"])
        writer.writerows((neutralise(s), neutralise(f)) for f, s in mapping.items())
    return path


def gpkg_layer_name(name: str) -> str:
    """A layer's name in the GeoPackage: underscores, so SQL needs no quotes (corridor_stations)."""
    return name.replace("-", "_")


def write_geopackage(layers: Mapping[str, gpd.GeoDataFrame], path: str | Path) -> Path:
    """Write every layer into one GeoPackage (EPSG:4326), each with its default QGIS style.

    Date columns (:func:`date_columns`) are written as GeoPackage ``DATE`` fields.
    """
    from geopandas.io.file import infer_schema

    path = Path(path)
    if path.exists():
        path.unlink()
    names = []
    for name, frame in layers.items():
        schema = infer_schema(frame)
        for column in date_columns(frame):
            schema["properties"][column] = "date"
        names.append(gpkg_layer_name(name))
        frame.to_crs(4326).to_file(
            path, layer=names[-1], driver="GPKG", engine="fiona", schema=schema
        )
    add_styles(path, {n: s for n in names if (s := style(n)) is not None})
    return path


def figures_table(figures: pd.DataFrame) -> pd.DataFrame:
    """The figures as a flat table for CSV or JSON: values as stated, dates as text."""
    table = figures.drop(columns=["as_of_date", "period_start_date"])
    return table.rename(columns={"origin": "read_from"})


def write_figures_csv(figures: pd.DataFrame, path: str | Path) -> Path:
    """Write the figures as CSV (UTF-8), one row per figure with its source.

    Text a spreadsheet would evaluate (``=…``, ``+…``, ``@…``) is written with a leading quote
    (see :mod:`mapkit.formulas`); mapkit's figures reader takes it off again.
    """
    return write_csv(figures_table(figures), path)


def layer_files(names: list[str], formats: tuple[str, ...] = FORMATS) -> list[str]:
    """The files :func:`write_layers` writes for layers ``names`` in ``formats``, by name."""
    files = {
        "geojson": [f"{n}.geojson" for n in names],
        "gpkg": ["mapkit.gpkg"],
        "shp": [f"{n}{e}" for n in names for e in (".shp", ".shx", ".dbf", ".prj", ".cpg")]
        + [f"{n}_fields.csv" for n in names],
        "csv": [FIGURES_CSV],
    }
    return [name for fmt in formats for name in files.get(fmt, [])]


def write_layers(
    layers: Mapping[str, gpd.GeoDataFrame],
    figures: pd.DataFrame,
    folder: str | Path,
    formats: tuple[str, ...] = FORMATS,
) -> list[Path]:
    """Write the layers (and the figures CSV) in each of ``formats`` into ``folder``.

    Parameters
    ----------
    layers : mapping of str to GeoDataFrame
        Layer name (``districts``, ``corridors``, ``corridor-stations``) to its frame; in the
        GeoPackage, hyphens become underscores (``corridor_stations``). Missing values are
        written as NULL and dates as dates (:func:`for_gis`).
    figures : DataFrame
        The figures, written as ``figures.csv`` when ``"csv"`` is among ``formats``.
    folder : str or Path
        Where to write; created if needed.
    formats : tuple of str
        Any of :data:`FORMATS`.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    layers = {n: for_gis(f, figures) for n, f in layers.items()}
    written = []
    for fmt in formats:
        if fmt == "geojson":
            written += [write_geojson(f, folder / f"{n}.geojson") for n, f in layers.items()]
        elif fmt == "shp":
            written += [write_shapefile(f, folder / f"{n}.shp") for n, f in layers.items()]
        elif fmt == "gpkg":
            written.append(write_geopackage(layers, folder / "mapkit.gpkg"))
        elif fmt == "csv":
            written.append(write_figures_csv(figures, folder / FIGURES_CSV))
        else:
            raise MapkitError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    return written
