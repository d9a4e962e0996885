"""Read a user's boundary file and put it where Azerbaijan is, in EPSG:4326 — or say why not.

Reading follows what people download: a zipped shapefile with the ``.shp`` in a subfolder (HDX),
a shapefile without its ``.dbf``, a GeoPackage with several layers. Coordinates are checked
against the CRS the file claims and against Azerbaijan's extent, so that swapped axes, Web
Mercator metres without a CRS, or degrees that claim to be metres are refused (or, for swapped
axes, corrected) with a message that says what the coordinates look like.
"""

from __future__ import annotations

import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from .country import BOUNDS as AZERBAIJAN_BOUNDS
from .errors import BoundaryError, MapkitWarning, option
from .names import visible

__all__ = [
    "AZERBAIJAN_BOUNDS",
    "DISTRICT_LAYER_WORDS",
    "BoundaryFile",
    "BoundaryWarning",
    "describe",
    "read_boundary_file",
    "warn",
]

DISTRICT_LAYER_WORDS = ("district", "rayon", "adm2", "adm_2", "admin2", "admin_2")
"""A GeoPackage layer whose name holds one of these is taken when ``layer`` is not given."""

_POLYGONAL = ("Polygon", "MultiPolygon")


class BoundaryWarning(MapkitWarning):
    """Something done to a user's boundary file that the user should know about."""


@dataclass
class BoundaryFile:
    """A boundary file as read: its polygons in EPSG:4326 and each feature's number in the file."""

    frame: gpd.GeoDataFrame
    numbers: list[int]
    path: Path


def warn(path: Path, message: str) -> None:
    """Issue a :class:`BoundaryWarning` about ``path``."""
    warnings.warn(BoundaryWarning(f"{visible(str(path))}: {message}"), stacklevel=4)


def read_boundary_file(path: str | Path, layer: str | None = None) -> BoundaryFile:
    """Read ``path``, keep its polygons (numbered as in the file) and check their coordinates.

    Raises
    ------
    BoundaryError
        The file is missing or unreadable, holds no polygons, or its coordinates are not where
        its CRS says Azerbaijan is.
    """
    path = Path(path)
    raw = _read(path, layer)
    numbers = np.arange(1, len(raw) + 1)
    null = raw.geometry.isna() | raw.geometry.is_empty
    if null.all():
        raise BoundaryError(f"all {len(raw)} features have no geometry", path)
    if null.any():
        warn(path, f"left out {_features(numbers[null.values])} with no geometry")
    kind = raw.geometry.geom_type
    other = ~null & ~kind.isin(_POLYGONAL)
    if other.all() or (other.any() and not (~null & ~other).any()):
        found = ", ".join(sorted(set(kind[other])))
        raise BoundaryError(f"holds {found} features, not district polygons", path)
    if other.any():
        warn(path, f"left out {_features(numbers[other.values])} that are not polygons")
    keep = (~null & ~other).values
    frame = raw[keep].reset_index(drop=True)
    return BoundaryFile(_in_degrees(frame, path), [int(n) for n in numbers[keep]], path)


def _features(numbers: np.ndarray) -> str:
    listed = ", ".join(map(str, numbers[:20])) + (" …" if len(numbers) > 20 else "")
    return f"feature {listed}" if len(numbers) == 1 else f"{len(numbers)} features ({listed})"


def _read(path: Path, layer: str | None) -> gpd.GeoDataFrame:
    if not path.exists():
        raise BoundaryError("file not found", path)
    target = _zip_member(path) if zipfile.is_zipfile(path) else str(path)
    dbf = [path.with_suffix(s) for s in (".dbf", ".DBF")]
    if path.suffix.lower() == ".shp" and not any(p.exists() for p in dbf):
        warn(path, "has no .dbf beside it (no names or codes): matching by geometry alone")
    if layer is None:
        layer = _pick_layer(target, path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            frame = gpd.read_file(target, layer=layer)
    except Exception as exc:  # GDAL's message says what it could not read
        detail = " ".join(str(exc).split()).replace(f"'{target}' ", "")
        detail = detail.split("; It might help to specify the correct driver")[0]
        raise BoundaryError(f"cannot be read as boundaries: {detail}", path) from None
    if frame.empty:
        raise BoundaryError("holds no features", path)
    return frame


def _zip_member(path: Path) -> str:
    """The GDAL path of the boundary file inside a zip, in a subfolder or not."""
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if not n.startswith("__MACOSX/")]
    for suffix in (".shp", ".gpkg", ".geojson", ".json", ".fgb"):
        found = [n for n in names if n.lower().endswith(suffix)]
        if len(found) == 1:
            return f"/vsizip/{path}/{found[0]}"
        if len(found) > 1:
            listed = ", ".join(visible(n) for n in found[:10])
            raise BoundaryError(
                f"holds {len(found)} {suffix} files ({listed}): unzip it and give one", path
            )
    raise BoundaryError("is a zip with no shapefile, GeoPackage or GeoJSON inside", path)


def _pick_layer(target: str, path: Path) -> str | None:
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(target)]
    except Exception:  # unreadable: let the read say why
        return None
    if len(layers) <= 1:
        return None
    liked = [n for n in layers if any(w in n.lower() for w in DISTRICT_LAYER_WORDS)]
    if len(liked) == 1:
        warn(path, f"has {len(layers)} layers; read {liked[0]!r} (choose with {option('layer')})")
        return liked[0]
    listed = ", ".join(repr(visible(n)) for n in layers)
    raise BoundaryError(
        f"has {len(layers)} layers ({listed}): choose one with {option('layer')}", path
    )


def describe(bounds: np.ndarray) -> str:
    """What coordinates with these bounds look like, in words."""
    west, south, east, north = bounds
    text = f"x {west:,.6g}…{east:,.6g}, y {south:,.6g}…{north:,.6g}"
    if _overlaps_azerbaijan(bounds):
        return f"{text}: degrees, longitude/latitude over Azerbaijan"
    if _overlaps_azerbaijan(bounds[[1, 0, 3, 2]]):
        return f"{text}: degrees with latitude and longitude swapped"
    mercator = np.array(AZERBAIJAN_BOUNDS) * [111_319.5, 0, 111_319.5, 0]
    if west < mercator[2] and east > mercator[0] and north > 4.5e6 and south < 5.2e6:
        return f"{text}: Web Mercator metres (EPSG:3857)"
    if max(abs(west), abs(east)) > 180 or max(abs(south), abs(north)) > 90:
        return f"{text}: metres of some projection"
    return f"{text}: degrees, but not over Azerbaijan"


def _overlaps_azerbaijan(bounds: np.ndarray) -> bool:
    west, south, east, north = AZERBAIJAN_BOUNDS
    return bool(bounds[0] < east and bounds[2] > west and bounds[1] < north and bounds[3] > south)


def _in_degrees(frame: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    bounds = np.asarray(frame.total_bounds)
    looks = describe(bounds)
    if frame.crs is None:
        raise BoundaryError(
            f"has no coordinate reference system (a shapefile needs its .prj); "
            f"its coordinates look like {looks}",
            path,
        )
    if frame.crs.is_geographic:
        if "swapped" in looks:
            warn(path, f"has latitude and longitude swapped ({looks}); corrected")
            swapped = shapely.transform(frame.geometry.values, lambda xy: xy[:, ::-1])
            frame = frame.set_geometry(gpd.GeoSeries(swapped, crs=frame.crs))
        elif not looks.endswith("Azerbaijan"):
            raise BoundaryError(
                f"says its CRS is {frame.crs.name} (degrees), but its coordinates look like "
                f"{looks}; set the CRS the data is really in",
                path,
            )
        return frame.to_crs(4326)
    moved = frame.to_crs(4326)
    if not _overlaps_azerbaijan(np.asarray(moved.total_bounds)):
        raise BoundaryError(
            f"says its CRS is {frame.crs.name}, but then it does not lie over Azerbaijan; "
            f"its coordinates look like {looks}; set the CRS the data is really in",
            path,
        )
    return moved
