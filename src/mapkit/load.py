"""One reading: everything a build draws and writes, read once into an :class:`AtlasData`.

The atlas (:mod:`mapkit.render`), the static map (:mod:`mapkit.staticmap`) and the GIS layers
(:mod:`mapkit.export`) only draw or write what they are given; what they are given comes from
here. :func:`load_atlas` reads a build's inputs (users' files, or the embedded data);
:func:`assemble` completes districts and figures already in hand, as the notebook conveniences
(:func:`mapkit.atlas`) have them.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from . import corridors as corridor_data
from .boundaries import BoundaryWarning, as_districts, load_districts
from .country import CROSSINGS_CORRIDOR, TITLE_KEY
from .data import geo_path
from .errors import MapkitError, option, plural
from .export import FORMATS
from .figures import check_figures, load_figures
from .i18n import LANGUAGES
from .join import join, not_on_map
from .names import gazetteer
from .page import words
from .progress import stage
from .regionmap import in_no_region, is_region_map, map_figures
from .validate import Finding, validate
from .worked import load_worked

SHOWN_OFF_MAP = 10  # figures named one by one in the message; the rest are counted

__all__ = ["AtlasData", "Inputs", "assemble", "load_atlas"]


@dataclass
class Inputs:
    """What a build reads: the users' files and options (the embedded data by default)."""

    figures: Sequence[str | Path] = ()
    only: bool = False
    boundaries: str | Path | None = None
    name_field: str | None = None
    layer: str | None = None
    as_of: str | None = None
    corridors: bool = True
    formats: tuple[str, ...] = FORMATS
    strict: bool = False  # a figure whose district has no polygon is an error, not a warning
    language: str = "en"  # the language the atlas opens in and the static maps are written in
    # The figures of these files and what validate found in them, when already read (the CLI
    # validates before it builds): a large file is then read and checked once, not twice.
    read: tuple[pd.DataFrame, list[Finding]] | None = None


@dataclass
class AtlasData:
    """Everything the atlas, the static map and the layers show, read and computed once.

    Attributes
    ----------
    districts : GeoDataFrame
        The district polygons (EPSG:4326), with ``iso``, names, ``kind`` and ``area_km2``.
    figures : DataFrame
        Every figure, as :func:`mapkit.load_figures` returns them (those off the map included).
    joined : GeoDataFrame
        ``districts`` with each district's latest figure of every series (:func:`mapkit.join`);
        figures whose district has no polygon are left out here and listed by the page.
    findings : list of Finding
        What :func:`mapkit.validate` found in ``figures``.
    corridors, stations : GeoDataFrame or None
        The corridor segments (with the districts each crosses) and their stations; None when
        the corridors are left out.
    crossings : DataFrame or None
        Every corridor segment × district crossing (:func:`mapkit.crossings`), computed once.
    worked : DataFrame or None
        The districts agency reports name as worked (:func:`mapkit.load_worked`), with
        ``unplaced``: why a name that is no current district has no polygon ("" otherwise),
        and ``unplaced_said``: the same in each language of the page;
        None when the figures are the user's only.
    basemap : GeoDataFrame
        The countries along the corridors, drawn under the districts.
    words : dict of str to str
        The page's words (``geo/words.csv``), by key.
    title : str
        The title of the page and of its key-figures panel.
    """

    districts: gpd.GeoDataFrame
    figures: pd.DataFrame
    joined: gpd.GeoDataFrame
    findings: list[Finding]
    corridors: gpd.GeoDataFrame | None
    stations: gpd.GeoDataFrame | None
    crossings: pd.DataFrame | None
    worked: pd.DataFrame | None
    basemap: gpd.GeoDataFrame
    words: dict[str, str] = field(repr=False)
    title: str = ""

    @property
    def corridor_crossings(self) -> pd.DataFrame:
        """The districts the crossings corridor (:data:`mapkit.country.CROSSINGS_CORRIDOR`)
        crosses, with its length inside each in km (empty without corridors)."""
        if self.crossings is None:
            return pd.DataFrame(columns=["iso", "name_en", "length_km"])
        mine = self.crossings[self.crossings.corridor == CROSSINGS_CORRIDOR]
        return mine.groupby(["iso", "name_en"], sort=False)["length_km"].sum().reset_index()


def assemble(
    districts: gpd.GeoDataFrame | None = None,
    figures: pd.DataFrame | None = None,
    *,
    corridors: bool = True,
    findings: list[Finding] | None = None,
    title: str | None = None,
    agency_reports: bool = True,
) -> AtlasData:
    """Complete districts and figures into everything the maps and layers need.

    Parameters
    ----------
    districts : GeoDataFrame, optional
        From :func:`mapkit.load_districts`; the embedded districts by default.
    figures : DataFrame, optional
        From :func:`mapkit.load_figures`; the embedded figures by default.
    corridors : bool
        Read the corridors and their stations, and where they cross the districts.
    findings : list of Finding, optional
        What :func:`mapkit.validate` found in ``figures`` (run here if not given).
    title : str, optional
        The page's title; its words' title by default.
    agency_reports : bool
        Read the embedded districts that agency reports name as worked; ``False`` when the
        figures are the user's only (``--only``).

    Raises
    ------
    MapkitError
        ``districts`` or ``figures`` is not what the loaders return, or there are no figures
        to map.
    """
    districts = load_districts() if districts is None else as_districts(districts)
    figures = load_figures() if figures is None else figures
    check_figures(figures)
    if figures.empty:
        raise MapkitError("no figures to map")
    findings = validate(figures) if findings is None else findings
    lines = stations = table = None
    if corridors:
        lines = corridor_data.load_corridors()
        table = corridor_data.crossings(lines, districts)
        lines = corridor_data.with_districts(lines, districts, table)
        stations = corridor_data.load_stations()
    say = words()
    return AtlasData(
        districts=districts,
        figures=figures,
        joined=join(districts, figures.drop(index=not_on_map(districts, figures).index)),
        findings=findings,
        corridors=lines,
        stations=stations,
        crossings=table,
        worked=_worked() if agency_reports else None,
        basemap=gpd.read_file(geo_path("basemap.geojson")),
        words=say,
        title=say[TITLE_KEY] if title is None else title,
    )


def _worked() -> pd.DataFrame:
    """The agency reports' worked districts, each unplaced name with why it has no polygon."""
    worked = load_worked()
    gaz = gazetteer()
    said = [{lang: gaz.unplaced(name, lang) for lang in LANGUAGES} if not iso else {}
            for iso, name in zip(worked.iso, worked.name_as_written, strict=True)]  # fmt: skip
    return worked.assign(unplaced=[s["en"] if s else "" for s in said], unplaced_said=said)


def load_atlas(inputs: Inputs | None = None, *, findings: bool = True) -> AtlasData:
    """Read everything a build needs, once: figures, boundaries, corridors, reports, words.

    Figures whose district has no polygon in the boundaries are kept and listed (a warning),
    or refused with ``inputs.strict``. With ``findings``, the figures as read are validated
    (:func:`mapkit.validate`) for the atlas to mark; the static map and the layers show no
    findings and skip that work.

    Raises
    ------
    MapkitError
        An input is wrong, or (``strict``) a figure's district has no polygon.
    """
    inputs = inputs or Inputs()
    stage("reading the figures")
    if inputs.read is None:
        figures = load_figures(inputs.figures, only=inputs.only, as_of=inputs.as_of)
        found = validate(figures) if findings else []  # before a map of regions adds its sums
    else:
        figures, found = inputs.read
    stage("reading the boundaries")
    districts = load_districts(
        inputs.boundaries, name_field=inputs.name_field, layer=inputs.layer, regions=True
    )
    if is_region_map(districts):  # figures per region: stated for it, or sums (mapkit.regions)
        figures, _ = map_figures(districts, figures)
    stage("joining figures to districts")
    # on a map of regions, only the figures of districts in none of them are off the map
    _check_off_map(in_no_region(districts, not_on_map(districts, figures)), strict=inputs.strict)
    return assemble(
        districts,
        figures,
        corridors=inputs.corridors,
        findings=found,
        agency_reports=not inputs.only,
    )


def _check_off_map(off_map: pd.DataFrame, *, strict: bool) -> None:
    """Warn of (or, ``strict``, refuse) the figures whose district has no polygon."""
    if not len(off_map):
        return
    named = [f"{r.id} ({r.area_name})" for r in off_map.head(SHOWN_OFF_MAP).itertuples()]
    more = len(off_map) - len(named)
    listed = ", ".join(named) + (f" and {plural(more, 'more')}" if more else "")
    if strict:
        raise MapkitError(
            f"({option('strict', True)}) the boundaries have no polygon for "
            f"{plural(len(off_map), 'figure')}: {listed}"
        )
    warnings.warn(
        f"not on this map (the boundaries have no polygon for their district; listed in the "
        f"page and kept in layers/figures.csv): {plural(len(off_map), 'figure')}: {listed}",
        BoundaryWarning,
        stacklevel=3,
    )
