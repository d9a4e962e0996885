"""The maps' visual vocabulary, shared by the atlas, the static map and the QGIS styles.

Every colour and line style a reader learns on one of mapkit's maps means the same on the others:
grey is "no data" (no published figure, not zero), a corridor's colour is its mode and its line
style its status. This module is the ground floor: it imports nothing of mapkit.
"""

from __future__ import annotations

__all__ = [
    "BASEMAP",
    "MODE_COLOURS",
    "NO_DATA_COLOUR",
    "NO_DATA_HATCH",
    "QGIS_LINE_STYLES",
    "STATION_MARKER",
    "STATUS_BORDERS",
    "STATUS_DASHES",
]

NO_DATA_COLOUR = "#d9d9d9"
"""Fill of a district without a published figure (the static map; the page's fallback)."""
NO_DATA_HATCH = {"background": "#ffffff", "line": "#b0b0b0"}
"""No-data fill: grey diagonal lines on white, a pattern no class has (colour-blind safe)."""
MODE_COLOURS = {"rail": "#1f3d99", "road": "#8c510a", "ferry": "#01858a"}
"""A corridor segment's colour, by mode."""
STATUS_DASHES = {"existing": None, "under construction": "10 6", "planned": "2 6"}
"""A corridor segment's SVG dash array, by status (solid when existing)."""
STATUS_BORDERS = {"existing": "solid", "under construction": "dashed", "planned": "dotted"}
"""The same status styles as CSS border styles, for the page's legend."""
QGIS_LINE_STYLES = {"existing": "solid", "under construction": "dash", "planned": "dot"}
"""The same status styles as QGIS pen styles."""
BASEMAP = {"fill": "#f2efe9", "line": "#b5b0a5"}
"""The neighbouring countries: a light fill, a soft outline."""
STATION_MARKER = {"radius": 4, "line": "#222", "weight": 1, "fill": "#ffffff"}
"""Stations, ports and border crossings: small white circles."""
