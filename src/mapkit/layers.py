"""The map layers, each described once: what it shows, where it comes from, how it is styled.

Build, render, export, the CLI and the tests read this table. Adding a layer is adding one
:class:`Layer` here and its drawing code in :mod:`mapkit.render` (``DRAW``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import qgis

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["LAYERS", "SWITCHES", "Layer", "frames", "layer_names", "shown", "style"]


@dataclass(frozen=True)
class Layer:
    """One map layer.

    Attributes
    ----------
    name : str
        Its file name in ``layers/`` (``corridor-stations.geojson``); in the GeoPackage, with
        underscores.
    key : str
        Its name in the page's script (``assets/atlas.js``) and in :data:`mapkit.render.DRAW`.
    title : str
        Its name in the page's layer control.
    source : str
        The :class:`~mapkit.load.AtlasData` attribute holding its features.
    style : callable
        Its default QGIS style (QML), stored in the GeoPackage.
    switch : str or None
        The option that leaves it out: ``Inputs.<switch>`` is False, ``--no-<switch>`` on the
        command line; None if it is always there.
    """

    name: str
    key: str
    title: str
    source: str
    style: Callable[[], str]
    switch: str | None = None


LAYERS = (
    Layer("districts", "districts", "Districts: latest published figures", "joined",
          qgis.district_style),
    Layer("corridors", "corridors", "Transport corridors", "corridors", qgis.corridor_style,
          switch="corridors"),
    Layer("corridor-stations", "stations", "Stations, ports and border crossings", "stations",
          qgis.station_style, switch="corridors"),
)  # fmt: skip
"""The layers, in drawing order (the first lowest)."""
SWITCHES = tuple(dict.fromkeys(layer.switch for layer in LAYERS if layer.switch))
"""The options that leave layers out (``corridors``: ``--no-corridors``)."""


def shown(off: Collection[str] = ()) -> tuple[Layer, ...]:
    """The layers not left out by the switches in ``off``."""
    return tuple(layer for layer in LAYERS if layer.switch not in off)


def layer_names(off: Collection[str] = ()) -> list[str]:
    """The names of the layers not left out by ``off`` (see :func:`shown`)."""
    return [layer.name for layer in shown(off)]


def frames(data: object) -> dict[str, gpd.GeoDataFrame]:
    """Each layer of ``data`` (an :class:`~mapkit.load.AtlasData`) by name, as GIS files carry it.

    Layers left out (their frame is None) are absent.
    """
    found = {layer.name: getattr(data, layer.source) for layer in LAYERS}
    return {name: frame for name, frame in found.items() if frame is not None}


def style(name: str) -> str | None:
    """The default QGIS style of the layer ``name`` (hyphens or underscores), if it has one."""
    for layer in LAYERS:
        if name in (layer.name, layer.name.replace("-", "_")):
            return layer.style()
    return None
