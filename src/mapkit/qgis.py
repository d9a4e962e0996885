"""QGIS styles for the layers, stored in the GeoPackage so QGIS opens each layer styled.

The styles say what the atlas says: districts without a published figure are grey ("no data"),
corridors are solid when existing, dashed under construction and dotted when planned, coloured by
mode. QGIS reads a layer's default style from the GeoPackage table ``layer_styles``.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import quoteattr

from .styles import MODE_COLOURS, NO_DATA_COLOUR, QGIS_LINE_STYLES

__all__ = ["add_styles", "corridor_style", "district_style", "station_style"]


def _rgb(colour: str) -> str:
    return ",".join(str(int(colour[i : i + 2], 16)) for i in (1, 3, 5)) + ",255"


def _options(**values: str) -> str:
    return "".join(f'<Option name="{k}" value="{v}" type="QString"/>' for k, v in values.items())


def _symbol(key: str, kind: str, layer_class: str, **options: str) -> str:
    return (
        f'<symbol type="{kind}" name="{key}" alpha="1" clip_to_extent="1" force_rhr="0">'
        f'<layer class="{layer_class}" enabled="1" pass="0" locked="0">'
        f'<Option type="Map">{_options(**options)}</Option></layer></symbol>'
    )


def _rule_renderer(rules: list[tuple[str, str, str]]) -> str:
    """A rule-based renderer from (filter expression, label, symbol XML) triples."""
    body = "".join(
        f'<rule key="r{i}" filter={quoteattr(expr)} label={quoteattr(label)} symbol="{i}"/>'
        for i, (expr, label, _) in enumerate(rules)
    )
    symbols = "".join(symbol for _, _, symbol in rules)
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
        '<qgis version="3.28" styleCategories="Symbology">'
        '<renderer-v2 type="RuleRenderer" symbollevels="0" enableorderby="0" forceraster="0">'
        f'<rules key="root">{body}</rules><symbols>{symbols}</symbols></renderer-v2></qgis>'
    )


def district_style() -> str:
    """Districts: orange where a figure is published, grey "no data" elsewhere."""
    return _rule_renderer([
        ('"figures" > 0', "published figures", _symbol("0", "fill", "SimpleFill",
         color="251,106,74,200", outline_color="68,68,68,255", outline_width="0.3")),
        ('"figures" = 0', "no data (no published figure, not zero)", _symbol("1", "fill",
         "SimpleFill", color=_rgb(NO_DATA_COLOUR), outline_color="102,102,102,255",
         outline_width="0.2")),
    ])  # fmt: skip


def corridor_style() -> str:
    """Corridors: line style by status (solid, dashed, dotted), colour by mode."""
    rules = []
    for status, line_style in QGIS_LINE_STYLES.items():
        for mode, colour in MODE_COLOURS.items():
            symbol = _symbol(str(len(rules)), "line", "SimpleLine", line_color=_rgb(colour),
                             line_width="0.8", line_style=line_style)  # fmt: skip
            rules.append((f"\"status\" = '{status}' AND \"mode\" = '{mode}'",
                          f"{mode}, {status}", symbol))  # fmt: skip
    return _rule_renderer(rules)


def station_style() -> str:
    """Stations, ports and border crossings: small white circles."""
    return _rule_renderer([("TRUE", "station, port or border crossing", _symbol(
        "0", "marker", "SimpleMarker", name="circle", color="255,255,255,255",
        outline_color="34,34,34,255", size="2"))])  # fmt: skip


def add_styles(gpkg: str | Path, styles: dict[str, str]) -> None:
    """Store ``styles`` (layer name to QML) as the layers' default styles in ``gpkg``."""
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    with sqlite3.connect(gpkg) as db:
        db.execute(
            "CREATE TABLE IF NOT EXISTS layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "f_table_catalog TEXT, f_table_schema TEXT, f_table_name TEXT, "
            "f_geometry_column TEXT, styleName TEXT, styleQML TEXT, styleSLD TEXT, "
            "useAsDefault BOOLEAN, description TEXT, owner TEXT, ui TEXT, update_time DATETIME)"
        )
        for name, qml in styles.items():
            db.execute(
                "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
                "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, "
                "description, owner, ui, update_time) VALUES "
                "('', '', ?, 'geom', ?, ?, '', 1, 'mapkit default style', '', '', ?)",
                (name, f"mapkit {name}", qml, now),
            )
