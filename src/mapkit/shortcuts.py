"""The notebook conveniences: from districts and figures to a map in one call.

Each reads what it needs with the same loader a build uses (:func:`mapkit.load.assemble`), then
draws with the same code.
"""

from __future__ import annotations

from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd

from .load import assemble
from .render import atlas as draw_atlas
from .staticmap import check_output, write_static_maps
from .validate import Finding

__all__ = ["atlas", "save_map"]


def atlas(
    districts: gpd.GeoDataFrame | None = None,
    figures: pd.DataFrame | None = None,
    *,
    corridors: bool = True,
    title: str | None = None,
    findings: list[Finding] | None = None,
    agency_reports: bool = True,
) -> folium.Map:
    """The atlas as a ``folium.Map`` that displays inline in a notebook and saves offline.

    Parameters
    ----------
    districts, figures, corridors, title, findings, agency_reports
        As for :func:`mapkit.load.assemble`, which reads what the atlas shows: the embedded
        districts and figures by default. The page marks every figure a finding concerns.

    Returns
    -------
    folium.Map
        Save it with ``.save("atlas.html")``: one file that renders with no network.
    """
    data = assemble(
        districts,
        figures,
        corridors=corridors,
        findings=findings,
        title=title,
        agency_reports=agency_reports,
    )
    return draw_atlas(data)


def save_map(
    out: str | Path,
    districts: gpd.GeoDataFrame | None = None,
    figures: pd.DataFrame | None = None,
    *,
    corridors: bool = True,
    **options: object,
) -> Path:
    """Draw the static map and write it to ``out`` (``.png``, ``.svg`` or ``.pdf``).

    Parameters
    ----------
    out : str or Path
        The file to write; its extension chooses the format.
    districts, figures : optional
        The embedded districts and figures by default.
    corridors : bool
        Draw the transport corridors by status.
    **options
        Passed to :func:`mapkit.staticmap.draw` (``metric``, ``lang``, ``as_of``,
        ``boundaries``).

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    MapkitError
        ``out`` has another extension, or there is nothing to map.
    """
    out = check_output(out)
    # The static map shows no findings: validating here would only cost time.
    data = assemble(districts, figures, corridors=corridors, findings=[])
    return write_static_maps(out.parent, data, names=(out.name,), **options)[0]
