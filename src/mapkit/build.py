"""The whole path in one call: figures → boundaries → join → atlas and layers, written safely.

A build writes into a temporary folder beside the target and swaps it in only when everything
succeeded, so a failed or interrupted build leaves the previous output exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from . import corridors as corridor_data
from .boundaries import load_districts
from .errors import MapkitError
from .export import FORMATS, write_layers
from .figures import load_figures
from .join import join
from .render import atlas
from .staticmap import write_static_maps

MARKER = ".mapkit-build"
"""File that marks a folder as mapkit's output, so that a rebuild may replace it."""


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


def layers(inputs: Inputs) -> tuple[dict[str, gpd.GeoDataFrame], pd.DataFrame, gpd.GeoDataFrame]:
    """Read and join everything a build needs.

    Returns
    -------
    tuple
        The GIS layers by name (``districts`` joined with figures, ``corridors``,
        ``corridor-stations``), the figures, and the bare districts.
    """
    figures = load_figures(inputs.figures, only=inputs.only, as_of=inputs.as_of)
    districts = load_districts(inputs.boundaries, name_field=inputs.name_field, layer=inputs.layer)
    result = {"districts": join(districts, figures)}
    if inputs.corridors:
        result["corridors"] = corridor_data.with_districts(
            corridor_data.load_corridors(), districts
        )
        result["corridor-stations"] = corridor_data.load_stations()
    return result, figures, districts


def build(out: str | Path, inputs: Inputs | None = None) -> Path:
    """Build the atlas (``index.html``) and its layers (``layers/``) into ``out``.

    Parameters
    ----------
    out : str or Path
        The output folder. An existing folder is replaced only if it is empty or an earlier
        mapkit build; it is swapped for the new one only after everything succeeded.
    inputs : Inputs, optional
        Users' figures and boundaries and options; the embedded data by default.

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
    out = Path(out).absolute()
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise MapkitError(f"{out} exists and is not a mapkit build folder; choose another --out")
    _check_parent(out)
    found, figures, districts = layers(inputs)
    m = atlas(districts, figures, corridors=inputs.corridors)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    except OSError as exc:
        raise MapkitError(f"cannot write to {out.parent}: {exc.strerror}") from None
    try:
        m.save(str(staging / "index.html"))
        write_static_maps(staging, districts, figures, corridors=inputs.corridors)
        write_layers(found, figures, staging / "layers", inputs.formats)
        (staging / MARKER).write_text("built by mapkit\n", encoding="utf-8")
        os.chmod(staging, 0o755)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out


def _check_parent(out: Path) -> None:
    """Fail before any work when ``out`` cannot be created: a parent is a file, not a folder."""
    for parent in out.parents:
        if parent.exists():
            if not parent.is_dir():
                raise MapkitError(f"cannot write to {out}: {parent} is a file, not a folder")
            return


def _swap(new: Path, out: Path) -> None:
    """Put ``new`` in place of ``out``; the old folder is removed only after the swap."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
    try:
        new.rename(out)
    except BaseException:
        if old is not None:
            old.rename(out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
