"""A map of regions: a boundary file of coarser units recognised, its polygons, its figures.

A file whose features are mostly coarser units (economic regions or ADM1 parts, recognised by
geometry in :mod:`mapkit.geomatch`) is a *region file*. Its polygons become one unit per region
(``iso`` is the region's code, see :func:`mapkit.regions.region_code`; ``members`` its districts'
ISO codes joined by ``+``); a feature of one district (Baku, an economic region of one city) stays
that district. The figures shown on it are :func:`mapkit.regions.region_figures`.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import pandas as pd
import shapely

from . import geomatch
from .boundary_io import BoundaryFile, BoundaryWarning, warn
from .coded import plain
from .data import UNIT_COLUMNS, embedded_units
from .errors import plural
from .geomatch import area_km2
from .names import GROUP_SEPARATOR, gazetteer
from .regions import RegionFigures, region_code, region_figures

__all__ = [
    "MEMBERS",
    "for_layers",
    "in_no_region",
    "is_region_file",
    "is_region_map",
    "map_figures",
    "region_units",
    "summary",
]

MEMBERS = "members"
"""The column of a region unit that lists its districts (``AZ-AGM+AZ-FUZ+…``)."""


def is_region_file(matches: list[geomatch.Match]) -> bool:
    """True when a file's features are mostly coarser units (regions) rather than districts."""
    coarse = sum(m.how == "region" and m.iso is not None for m in matches)
    fine = sum(bool(m.iso) and m.how not in ("region", "") for m in matches)
    return coarse > 0 and coarse >= fine


def is_region_map(units: gpd.GeoDataFrame) -> bool:
    """True for the units :func:`region_units` returns."""
    return MEMBERS in units.columns


def _unit(m: geomatch.Match, districts: pd.DataFrame) -> dict[str, str]:
    """One region unit's attributes (a district's own when the feature is one district)."""
    if m.how != "region":
        row = districts.loc[m.iso]
        return {**row.to_dict(), "iso": m.iso, MEMBERS: m.iso}
    members = geomatch.groups()[m.iso]
    regions = districts.loc[list(members), "economic_region"].unique()
    nx = m.iso == "Nakhchivan Autonomous Republic"
    kind = "economic region" if m.iso.endswith(" economic region") else "ADM1 part"
    return {
        "iso": region_code(m.iso),
        "name_en": m.iso,
        "name_az": gazetteer().units["AZ-NX"].name_az if nx else "",
        "name_ru": "",
        "kind": "autonomous republic" if nx else kind,
        "parent_iso": "",
        "economic_region": ", ".join(regions),
        MEMBERS: GROUP_SEPARATOR.join(members),
    }


def region_units(read: BoundaryFile, matches: list[geomatch.Match]) -> gpd.GeoDataFrame:
    """The polygons of a region file, one unit per region, in EPSG:4326.

    Returns
    -------
    GeoDataFrame
        The columns of :func:`mapkit.load_districts` plus ``members``; a feature that matched
        no unit is left out with a warning.
    """
    districts = embedded_units().set_index("iso")
    kept = [(k, m) for k, m in enumerate(matches) if m.iso]
    left = [m for m in matches if not m.iso]
    if left:
        listed = ", ".join(f"'{m.label}' (feature {m.feature})" for m in left)
        warn(read.path, f"left out {plural(len(left), 'feature')} that match no unit: {listed}")
    rows = pd.DataFrame([_unit(m, districts) for _, m in kept])
    frame = gpd.GeoDataFrame(
        rows, geometry=read.frame.geometry.iloc[[k for k, _ in kept]].values, crs=read.frame.crs
    ).to_crs(4326)
    frame = frame.dissolve(by="iso", as_index=False, aggfunc="first")
    frame["geometry"] = shapely.orient_polygons(frame.geometry.values)
    frame["area_km2"] = area_km2(frame.geometry)
    columns = [*UNIT_COLUMNS, "area_km2", MEMBERS, "geometry"]
    return gpd.GeoDataFrame(frame[columns], geometry="geometry", crs=4326)


def summary(units: gpd.GeoDataFrame, figures: pd.DataFrame | None = None) -> str:
    """What a map of these region units shows, in one sentence; with ``figures``, how many
    figures each region gets from them (stated or summed) and how many are listed."""
    regions = units[units.iso != units[MEMBERS]]
    names = ", ".join(regions.name_en)
    alone = len(units) - len(regions)
    said = (
        f"is a file of regions ({names}"
        + (f"; and {plural(alone, 'district')}" if alone else "")
        + "): the map shows, per region, a figure stated for the region, or the sum of its "
        "districts' figures where they share metric, kind, unit and date (labelled 'sum of N "
        "districts' figures'); the other figures are listed, never summed across dates"
    )
    if figures is None:
        return said
    found = region_figures(figures, *_membership(regions))
    per = found.figures.groupby("area_name", sort=False).series.nunique()
    shown = ", ".join(f"{name} {n} series" for name, n in per.items()) or "none"
    return (
        f"{said}. With mapkit's figures: {shown}; "
        f"{plural(len(found.listed), 'district figure')} listed, not summed"
    )


def _membership(units: gpd.GeoDataFrame) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """Each unit's districts and its name, by code (:func:`~mapkit.regions.region_figures`)."""
    members = units[MEMBERS].str.split(GROUP_SEPARATOR).map(tuple)
    return dict(zip(units.iso, members, strict=True)), dict(
        zip(units.iso, units.name_en, strict=True)
    )


def map_figures(
    units: gpd.GeoDataFrame, figures: pd.DataFrame
) -> tuple[pd.DataFrame, RegionFigures]:
    """The figures a map of ``units`` shows: ``figures`` plus the regions' figures.

    A figure stated for a region is put on it, and the district figures not summed are also put
    on their region, about part of it (``scope``: the district and why it was not summed), so
    that the region's tooltip lists them. These copies are marked with their region in
    ``copied_to`` and left out of ``figures.csv`` (:func:`for_layers`): one row a figure there,
    the derived sums included.

    Returns
    -------
    tuple
        ``figures`` with the region figures appended (``derived`` marks the sums), and the
        :class:`~mapkit.regions.RegionFigures`.
    """
    found = region_figures(figures, *_membership(units))
    alone = units.iso[units.iso == units[MEMBERS]]
    regional = found.figures[~found.figures.iso.isin(alone)]
    listed = found.listed
    on_region = listed[figures.columns].assign(
        iso=listed.region, series="", scope=listed.area_name + "; " + listed.reason,
        derived=False, summed="", copied_to=listed.region,
    )  # fmt: skip
    regional = regional.assign(copied_to=regional.iso.where(~regional.derived.astype(bool), ""))
    merged = pd.concat(
        [plain(figures).assign(derived=False, summed="", copied_to=""), regional, on_region],
        ignore_index=True,
    )
    if len(listed):
        said = listed.groupby(["region_name", "reason"], sort=False).id.agg(", ".join)
        warnings.warn(
            "regions: " + "; ".join(f"{name}: {why} ({ids})" for (name, why), ids in said.items()),
            BoundaryWarning,
            stacklevel=2,
        )
    return merged, found


def in_no_region(units: gpd.GeoDataFrame, off_map: pd.DataFrame) -> pd.DataFrame:
    """The figures of ``off_map`` (district figures with no polygon) that no region shows.

    On a map of regions a district's figures are on its region (summed or listed); only those
    of districts in no region are not on the map. On a map of districts: all of ``off_map``.
    """
    if not is_region_map(units):
        return off_map
    members = set(GROUP_SEPARATOR.join(units[MEMBERS]).split(GROUP_SEPARATOR))
    return off_map[~off_map.iso.isin(members)]


def for_layers(figures: pd.DataFrame) -> pd.DataFrame:
    """``figures`` without the copies :func:`map_figures` lists on regions (one row a figure)."""
    if "copied_to" not in figures.columns:
        return figures
    originals = figures.copied_to == ""
    if not originals.all():  # else the table is not copied (a million figures)
        figures = figures[originals]
    return figures.drop(columns="copied_to")
