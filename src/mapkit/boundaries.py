"""District boundaries: the embedded default, or any boundary file GDAL reads.

Every unit comes out with its ISO 3166-2:AZ code, names (az, en, ru), kind, 2021 economic region
and ``area_km2`` computed in :data:`EQUAL_AREA`. A user's file is matched by code or name through
the same gazetteer as the figures, and every match is checked against where the reference district
lies (:mod:`mapkit.geomatch`): a mislabelled polygon is matched by geometry, a file with no usable
names by geometry alone. What could not be matched, was merged, corrected or repaired is reported
as a :class:`BoundaryWarning`, never done in silence.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from . import geomatch
from .boundary_io import BoundaryFile, BoundaryWarning, read_boundary_file, warn
from .data import UNIT_COLUMNS, embedded_districts, embedded_units, read_table
from .errors import BoundaryError, option
from .geomatch import area_km2
from .names import gazetteer, visible
from .regionmap import is_region_file, region_units, summary

_PREFERRED_NAME_FIELDS = ("shapeName", "NAME_2", "NAME_1", "ADM2_EN", "ADM1_EN", "name_en", "name")
NATURAL_EARTH_FIELDS = ("adm1_code", "ne_id")
"""Fields that mark a file as Natural Earth admin-1, which gets ``geo/ne_corrections.csv``."""

__all__ = ["BoundaryWarning", "check_boundaries", "load_districts", "match_report"]


def load_districts(
    path: str | Path | None = None,
    *,
    name_field: str | None = None,
    layer: str | None = None,
    regions: bool = False,
) -> gpd.GeoDataFrame:
    """The districts of Azerbaijan as a GeoDataFrame in EPSG:4326.

    Parameters
    ----------
    path : str or Path, optional
        A boundary file GDAL reads (GeoJSON, GeoPackage, shapefile or zipped shapefile,
        FlatGeobuf), in any CRS. Default: the embedded, corrected Natural Earth districts.
    name_field : str, optional
        The attribute holding district names; found automatically when not given. A file with
        no usable names is matched by geometry alone.
    layer : str, optional
        The layer to read from a multi-layer file (GeoPackage).
    regions : bool
        Accept a file of regions (economic regions, ADM1 parts): it gives one unit per region,
        with a ``members`` column (see :mod:`mapkit.regionmap`). Without it, such a file is
        refused.

    Returns
    -------
    GeoDataFrame
        One row per unit: ``iso``, ``name_az``, ``name_en``, ``name_ru``, ``kind``,
        ``parent_iso``, ``economic_region``, ``area_km2`` and ``geometry``. A file covering part
        of the country gives the units it covers.

    Raises
    ------
    BoundaryError
        The file is missing or unreadable, its coordinates are not where its CRS puts
        Azerbaijan, a feature's place is ambiguous, or it holds no district of Azerbaijan.

    Examples
    --------
    >>> districts = load_districts()
    >>> len(districts), districts.crs.to_epsg()
    (77, 4326)
    """
    if path is None:
        return embedded_districts()[[*UNIT_COLUMNS, "area_km2", "geometry"]].copy()
    read, matches = _matched(path, name_field, layer)
    if not any(m.iso for m in matches):
        _refuse_unusable(matches, read.path)  # one line, not a warning per feature first
    for m in matches:
        for note in m.notes if m.how != "ambiguous" else ():  # the error says it
            warn(read.path, note)
    if regions and is_region_file(matches) and all(m.how != "ambiguous" for m in matches):
        units = region_units(read, matches)
        warn(read.path, summary(units))
        return units
    _refuse_unusable(matches, read.path)
    return _assemble(read, matches)


def check_boundaries(
    path: str | Path, *, name_field: str | None = None, layer: str | None = None
) -> pd.DataFrame:
    """The match table of a boundary file: how each feature was matched, and why.

    Returns
    -------
    DataFrame
        One row per feature: ``feature`` (its number in the file), ``label``, ``iso``,
        ``unit``, ``how`` (code, name, geometry, region, ambiguous or empty: left out),
        ``overlap`` with the reference district, and ``warnings``. The warnings about the
        file as a whole are in ``table.attrs["warnings"]``.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BoundaryWarning)
        read, matches = _matched(path, name_field, layer)
        units = region_units(read, matches) if is_region_file(matches) else None
    names = geomatch.reference_names()
    table = pd.DataFrame(
        {
            "feature": [m.feature for m in matches],
            "label": [m.label for m in matches],
            "iso": [m.iso or "" for m in matches],
            "unit": [names.get(m.iso or "", m.iso or "") for m in matches],
            "how": [m.how for m in matches],
            "overlap": [None if m.overlap is None else round(m.overlap, 2) for m in matches],
            "warnings": ["; ".join(m.notes) for m in matches],
        }
    )
    table.attrs["warnings"] = [str(w.message) for w in caught]
    if units is not None:  # what mapkit build makes of it
        from .figures import load_figures

        said = summary(units, load_figures())
        table.attrs["warnings"].append(f"{visible(str(read.path))}: {said}")
    return table


def _matched(
    path: str | Path, name_field: str | None, layer: str | None
) -> tuple[BoundaryFile, list[geomatch.Match]]:
    read = read_boundary_file(path, layer)
    frame = read.frame
    if name_field is not None and name_field not in frame.columns:
        fields = ", ".join(visible(str(c)) for c in frame.columns)
        raise BoundaryError(f"has no field {name_field!r} (fields: {fields})", read.path)
    labels, candidates, how = _names(frame, name_field, read.path)
    invalid = ~frame.geometry.is_valid
    if invalid.any():
        listed = ", ".join(
            f"{labels[k]} (feature {read.numbers[k]})" for k in np.flatnonzero(invalid)
        )
        warn(read.path, f"repaired invalid geometry of {listed}")
        frame.loc[invalid, frame.geometry.name] = shapely.make_valid(frame.geometry[invalid].values)
    matches = geomatch.match(frame.geometry, labels, candidates, read.numbers, how)
    _note_merges(matches)
    return read, matches


def _note_merges(matches: list[geomatch.Match]) -> None:
    """Say, on the first of them, which features are merged into one unit."""
    by_iso: dict[str, list[geomatch.Match]] = {}
    for m in matches:
        if m.iso and m.how != "region":
            by_iso.setdefault(m.iso, []).append(m)
    names = geomatch.reference_names()
    for iso, group in by_iso.items():
        if len(group) > 1:
            listed = ", ".join(f"'{m.label}' (feature {m.feature})" for m in group)
            group[0].notes.append(f"{listed} all match {names[iso]} ({iso}); merged")


def _names(
    frame: gpd.GeoDataFrame, name_field: str | None, path: Path
) -> tuple[list[str], list[tuple[str, ...]], str]:
    """Each feature's label and the codes its code or name could mean."""
    gaz = gazetteer()
    if name_field is None and all(f in frame.columns for f in NATURAL_EARTH_FIELDS):
        codes = _natural_earth_codes(frame, path)
        labels = [visible(str(v)) for v in frame.get("name", frame.adm1_code)]
        return labels, [(c,) if c in gaz.units else () for c in codes], "code"
    field = name_field or _find_name_field(frame)
    if field is None:
        warn(
            path,
            "has no field with district names or codes mapkit knows: matching by geometry alone",
        )
        shown = next((f for f in _PREFERRED_NAME_FIELDS if f in frame.columns), None)
        labels = frame[shown].fillna("").astype(str) if shown else [""] * len(frame)
        return [visible(v) for v in labels], [()] * len(frame), "none"
    values = frame[field].fillna("").astype(str)
    how = "code" if values.str.upper().str.startswith("AZ-").mean() > 0.5 else "name"
    return [visible(v) for v in values], [gaz.candidates(v) for v in values], how


def _natural_earth_codes(frame: gpd.GeoDataFrame, path: Path) -> list[str]:
    """Natural Earth's codes with mapkit's corrections applied (and a warning listing them)."""
    fixes = read_table("ne_corrections.csv").set_index("adm1_code")
    codes, applied = [], []
    isos = frame.get("iso_3166_2", frame.adm1_code)
    for adm1, iso, name in zip(frame.adm1_code, isos, frame.get("name", isos), strict=True):
        fix = fixes.loc[adm1] if adm1 in fixes.index else None
        if fix is not None and fix.action != "confirm":
            applied.append(f"{adm1} {visible(str(name))!r} → {fix.iso} ({fix.action})")
        codes.append(fix.iso if fix is not None else str(iso))
    if applied:
        warn(
            path,
            f"is Natural Earth admin-1 (fields {', '.join(NATURAL_EARTH_FIELDS)}): applied "
            f"mapkit's corrections (geo/ne_corrections.csv) to {_count(len(applied), 'feature')}: "
            + ", ".join(applied),
        )
    return codes


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _find_name_field(frame: gpd.GeoDataFrame) -> str | None:
    gaz = gazetteer()
    scores: dict[str, int] = {}
    for column in frame.columns:
        if column == frame.geometry.name:
            continue
        if not (pd.api.types.is_string_dtype(frame[column]) or frame[column].dtype == object):
            continue
        values = frame[column].dropna().astype(str)
        scores[column] = sum(bool(gaz.candidates(v)) for v in values)
    best = max(scores.values(), default=0)
    if best == 0:
        return None
    tied = [c for c, s in scores.items() if s == best]
    return next((c for c in _PREFERRED_NAME_FIELDS if c in tied), tied[0])


def _refuse_unusable(matches: list[geomatch.Match], path: Path) -> None:
    ambiguous = [m for m in matches if m.how == "ambiguous"]
    if ambiguous:
        more = f" (and {len(ambiguous) - 1} more)" if len(ambiguous) > 1 else ""
        raise BoundaryError(
            f"{ambiguous[0].notes[0]}{more}; nothing guessed: give a name field "
            f"({option('name_field')})",
            path,
        )
    coarse = [m for m in matches if m.how == "region"]
    fine = [m for m in matches if m.iso and m.how not in ("region", "")]
    if len(coarse) >= len(fine) and coarse:
        listed = ", ".join(f"feature {m.feature}: {m.iso or 'unknown group'}" for m in coarse)
        raise BoundaryError(
            f"holds units coarser than districts ({listed}): load it with regions=True for a "
            "map of regions (mapkit build and mapkit map do), or use a district (ADM2) file",
            path,
        )
    if not any(m.iso and m.how != "region" for m in matches):
        sample = ", ".join(f"'{m.label}'" for m in matches[:5])
        raise BoundaryError(f"holds no district of Azerbaijan (features {sample})", path)


def _assemble(read: BoundaryFile, matches: list[geomatch.Match]) -> gpd.GeoDataFrame:
    frame = read.frame.copy()
    frame["iso"] = [m.iso if m.how != "region" else None for m in matches]
    left = [m for m in matches if not frame.iso.iloc[matches.index(m)]]
    if left:
        listed = ", ".join(f"'{m.label}' (feature {m.feature})" for m in left)
        warn(read.path, f"left out {_count(len(left), 'feature')} that match no district: {listed}")
    matched = frame[frame.iso.notna()]
    units = embedded_units().set_index("iso")
    merged = matched[["iso", matched.geometry.name]].dissolve(by="iso", as_index=False)
    missing = sorted(set(units.index) - set(merged.iso))
    if len(missing) > len(units) // 2:
        warn(read.path, f"covers {len(merged)} of {len(units)} units (part of the country)")
    elif missing:
        warn(read.path, f"no polygon for {_count(len(missing), 'unit')}: {', '.join(missing)}")
    merged = merged.merge(units.reset_index(), on="iso", how="left")
    merged["geometry"] = shapely.orient_polygons(merged.geometry.values)
    merged["area_km2"] = area_km2(merged.geometry)
    columns = [*UNIT_COLUMNS, "area_km2", "geometry"]
    return gpd.GeoDataFrame(merged[columns], geometry="geometry", crs=4326).sort_values(
        "iso", ignore_index=True
    )


def as_districts(districts: object) -> gpd.GeoDataFrame:
    """``districts`` checked for use as districts, in EPSG:4326 (reprojected if needed).

    Raises
    ------
    BoundaryError
        Not a GeoDataFrame with an ``iso`` column, empty, or without a CRS.
    """
    if not isinstance(districts, gpd.GeoDataFrame) or "iso" not in districts.columns:
        raise BoundaryError(
            "districts must be a GeoDataFrame from mapkit.load_districts (with an 'iso' column)"
        )
    if districts.empty:
        raise BoundaryError("no districts to map: the GeoDataFrame is empty")
    if districts.crs is None:
        raise BoundaryError("the districts have no CRS: set one (districts.set_crs(...))")
    return districts if districts.crs.equals(4326) else districts.to_crs(4326)


def match_report(table: pd.DataFrame, form: str) -> str:
    """A boundary file's match table as text (aligned columns) or JSON."""
    if form == "json":
        records = table.astype(object).where(table.notna(), None).to_dict("records")
        doc = {"features": records, "warnings": table.attrs.get("warnings", [])}
        return json.dumps(doc, ensure_ascii=False, indent=1)
    shown = table.fillna("").astype(str).map(visible)
    lines = [shown.to_string(index=False)]
    lines += [f"warning: {visible(w)}" for w in table.attrs.get("warnings", [])]
    return "\n".join(lines)
