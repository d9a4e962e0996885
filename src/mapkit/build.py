"""The whole path in one call: load (figures → boundaries → join) → render → export, safely.

A build writes into a temporary folder beside the target and swaps it in only when everything
succeeded, so a failed or interrupted build leaves the previous output exactly as it was.
"""

from __future__ import annotations

from contextlib import ExitStack
from functools import partial
from pathlib import Path

from .aside import aside
from .export import FIGURES_CSV, layer_files, write_figures_csv, write_layers
from .layers import SWITCHES, frames, layer_names
from .load import AtlasData, Inputs, load_atlas
from .outdir import MARKER, Output
from .progress import stage
from .regionmap import for_layers
from .render import atlas
from .staticmap import STATIC_MAPS, write_static_maps

__all__ = ["MARKER", "Inputs", "build", "export"]


def _off(inputs: Inputs) -> list[str]:
    """The layer switches ``inputs`` turns off (``corridors`` for ``corridors=False``)."""
    return [switch for switch in SWITCHES if not getattr(inputs, switch)]


def _input_files(inputs: Inputs) -> list[Path]:
    """The files a build reads (a shapefile with the files beside it), never to be overwritten."""
    files = [Path(f) for f in inputs.figures]
    if inputs.boundaries is not None:
        boundaries = Path(inputs.boundaries)
        files += [boundaries, *boundaries.parent.glob(f"{boundaries.stem}.*")]
    return files


def build(
    out: str | Path,
    inputs: Inputs | None = None,
    *,
    force: bool = False,
    data: AtlasData | None = None,
) -> Path:
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
    data : AtlasData, optional
        ``inputs`` already read by :func:`mapkit.load.load_atlas` (the CLI reads them first to
        say what the atlas shows).

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
        *(f"layers/{f}" for f in layer_files(layer_names(_off(inputs)), inputs.formats)),
    ]
    output = Output(out, planned, inputs=_input_files(inputs), force=force)
    data = load_atlas(inputs) if data is None else data
    with output as staging:
        # the static maps (seconds of matplotlib), the GIS layers and the figures table (seconds
        # for a million figures) are written aside while the atlas is drawn: on two cores a
        # build takes about half their sum, or the longest of them, not their sum
        folder = staging / "layers"
        folder.mkdir()
        gis = tuple(f for f in inputs.formats if f != "csv")
        works = [partial(write_static_maps, staging, data, lang=inputs.language)]
        works += [partial(_write_layers, data, folder, gis)] if gis else []
        if "csv" in inputs.formats:
            works.append(partial(write_figures_csv, for_layers(data.figures), folder / FIGURES_CSV))
        with ExitStack() as started:
            maps, *layers = [started.enter_context(aside(w, close=output.locks)) for w in works]
            stage("drawing the atlas")
            atlas(data, inputs.language).save(str(staging / "index.html"))
            stage("writing the layers")
            for part in layers:
                part.wait()
            stage("drawing the static maps")
            maps.wait()
    return output.path


def _write_layers(data: AtlasData, folder: Path, formats: tuple[str, ...]) -> list[Path]:
    return write_layers(frames(data), for_layers(data.figures), folder, formats)


def export(out: str | Path, inputs: Inputs | None = None, *, force: bool = False) -> list[Path]:
    """Write the GIS layers in ``inputs.formats`` into ``out``, with :func:`build`'s folder rules.

    Returns
    -------
    list of Path
        The files written, in ``out``.
    """
    inputs = inputs or Inputs()
    planned = layer_files(layer_names(_off(inputs)), inputs.formats)
    output = Output(out, planned, inputs=_input_files(inputs), force=force)
    data = load_atlas(inputs, findings=False)
    with output as staging:
        written = _write_layers(data, staging, inputs.formats)
    return [output.path / path.relative_to(staging) for path in written]
