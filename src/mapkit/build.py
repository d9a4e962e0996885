"""The whole path in one call: figures → boundaries → join → atlas and layers, written safely.

A build writes into a temporary folder beside the target and swaps it in only when everything
succeeded, so a failed or interrupted build leaves the previous output exactly as it was.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from . import corridors as corridor_data
from .boundaries import BoundaryWarning, load_districts, not_on_map
from .errors import MapkitError, plural
from .export import FORMATS, layer_files, write_layers
from .figures import load_figures
from .join import join
from .outdir import MARKER, Output
from .progress import stage
from .render import atlas
from .staticmap import STATIC_MAPS, write_static_maps
from .validate import Finding

SHOWN_OFF_MAP = 10  # figures named one by one in the message; the rest are counted

__all__ = ["MARKER", "Inputs", "build", "export", "layers"]


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
    # The figures of these files and what validate found in them, when already read (the CLI
    # validates before it builds): a large file is then read and checked once, not twice.
    read: tuple[pd.DataFrame, list[Finding]] | None = None


def _layer_names(inputs: Inputs) -> list[str]:
    return ["districts", *(["corridors", "corridor-stations"] if inputs.corridors else [])]


def _input_files(inputs: Inputs) -> list[Path]:
    """The files a build reads (a shapefile with the files beside it), never to be overwritten."""
    files = [Path(f) for f in inputs.figures]
    if inputs.boundaries is not None:
        boundaries = Path(inputs.boundaries)
        files += [boundaries, *boundaries.parent.glob(f"{boundaries.stem}.*")]
    return files


def layers(inputs: Inputs) -> tuple[dict[str, gpd.GeoDataFrame], pd.DataFrame, gpd.GeoDataFrame]:
    """Read and join everything a build needs.

    Returns
    -------
    tuple
        The GIS layers by name (``districts`` joined with figures, ``corridors``,
        ``corridor-stations``), the figures, and the bare districts.
    """
    stage("reading the figures")
    if inputs.read is not None:
        figures = inputs.read[0]
    else:
        figures = load_figures(inputs.figures, only=inputs.only, as_of=inputs.as_of)
    stage("reading the boundaries")
    districts = load_districts(inputs.boundaries, name_field=inputs.name_field, layer=inputs.layer)
    stage("joining figures to districts")
    off_map = not_on_map(districts, figures)
    if len(off_map):
        named = [f"{r.id} ({r.area_name})" for r in off_map.head(SHOWN_OFF_MAP).itertuples()]
        more = len(off_map) - len(named)
        listed = ", ".join(named) + (f" and {plural(more, 'more')}" if more else "")
        if inputs.strict:
            raise MapkitError(
                f"(--strict) the boundaries have no polygon for {plural(len(off_map), 'figure')}: "
                f"{listed}"
            )
        warnings.warn(
            f"not on this map (the boundaries have no polygon for their district; listed in the "
            f"page and kept in layers/figures.csv): {plural(len(off_map), 'figure')}: {listed}",
            BoundaryWarning,
            stacklevel=2,
        )
    result = {"districts": join(districts, figures.drop(index=off_map.index))}
    if inputs.corridors:
        result["corridors"] = corridor_data.with_districts(
            corridor_data.load_corridors(), districts
        )
        result["corridor-stations"] = corridor_data.load_stations()
    return result, figures, districts


def build(out: str | Path, inputs: Inputs | None = None, *, force: bool = False) -> Path:
    """Build the atlas (``index.html``) and its layers (``layers/``) into ``out``.

    Parameters
    ----------
    out : str or Path
        The output folder, absent, empty or an earlier mapkit output (see
        :mod:`mapkit.outdir`): mapkit replaces the files it wrote there and keeps any other,
        only after everything succeeded.
    inputs : Inputs, optional
        Users' figures and boundaries and options; the embedded data by default.
    force : bool
        Write into a folder mapkit did not make, overwriting files it did not write (never an
        input).

    Returns
    -------
    Path
        The output folder.

    Raises
    ------
    MapkitError
        An input is wrong, or ``out`` cannot be written; ``out`` is left as it was.
    """
    inputs = inputs or Inputs()
    planned = [
        "index.html",
        *STATIC_MAPS,
        *(f"layers/{f}" for f in layer_files(_layer_names(inputs), inputs.formats)),
    ]
    output = Output(out, planned, inputs=_input_files(inputs), force=force)
    found, figures, districts = layers(inputs)
    stage("drawing the atlas")
    findings = inputs.read[1] if inputs.read is not None else None
    m = atlas(districts, figures, corridors=inputs.corridors, findings=findings)
    with output as staging:
        stage("writing index.html")
        m.save(str(staging / "index.html"))
        stage("drawing the static maps")
        write_static_maps(staging, districts, figures, corridors=inputs.corridors)
        stage("writing the layers")
        write_layers(found, figures, staging / "layers", inputs.formats)
    return output.path


def export(out: str | Path, inputs: Inputs | None = None, *, force: bool = False) -> list[Path]:
    """Write the GIS layers in ``inputs.formats`` into ``out``, with :func:`build`'s folder rules.

    Returns
    -------
    list of Path
        The files written, in ``out``.
    """
    inputs = inputs or Inputs()
    planned = layer_files(_layer_names(inputs), inputs.formats)
    output = Output(out, planned, inputs=_input_files(inputs), force=force)
    found, figures, _ = layers(inputs)
    with output as staging:
        written = write_layers(found, figures, staging, inputs.formats)
    return [output.path / path.relative_to(staging) for path in written]
