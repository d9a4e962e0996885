"""The atlas: a folium map that renders with no network at all.

folium loads Leaflet, jQuery, Bootstrap and fonts from CDNs; :class:`OfflineMap` loads none of them
and inlines Leaflet from the ``xstatic-leaflet`` package instead. The legend, key-figures panel,
time control, views and tooltips are drawn by ``assets/atlas.js`` from data embedded with Jinja's
``tojson`` filter (which escapes ``<``, ``>`` and ``&``, so no string can close the script block);
the script writes data into the page only as text.
"""

from __future__ import annotations

import base64
import html
import re
from importlib import resources
from pathlib import Path
from typing import ClassVar

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template

from . import corridors as corridor_data
from .boundaries import load_districts
from .classes import natural_breaks
from .data import geo_path
from .export import rfc7946
from .figures import load_figures, metrics, units
from .join import on_districts
from .names import gazetteer
from .payload import page_figures
from .worked import load_worked

PALETTE = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")
NO_DATA_COLOUR = "#d9d9d9"
MODE_COLOURS = {"rail": "#1f3d99", "road": "#8c510a", "ferry": "#01858a"}
STATUS_DASHES = {"existing": None, "under construction": "10 6", "planned": "2 6"}
_STATUS_BORDER = {"existing": "solid", "under construction": "dashed", "planned": "dotted"}
SERIES_METRICS = ("cleared_area", "items_found")
DISPLAY_DECIMALS = 4  # about 10 m: far below what a reader sees at the atlas's zoom levels
DISPLAY_TOLERANCE = 0.002  # degrees (about 200 m) for the coverage-preserving simplification
TITLE = "Landmine contamination and clearance in Azerbaijan"


def _asset(name: str) -> str:
    return resources.files("mapkit").joinpath("assets", name).read_text(encoding="utf-8")


def _leaflet() -> tuple[str, str]:
    """Leaflet's CSS (images inlined as data URIs) and script, from ``xstatic-leaflet``."""
    import xstatic.pkg.leaflet as xleaflet

    base = Path(xleaflet.BASE_DIR)
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        image = base / match.group(1)
        if not image.exists():
            return "none"
        return f"url(data:image/png;base64,{base64.b64encode(image.read_bytes()).decode()})"

    css = re.sub(r"url\((images/[^)]+\.png)\)", inline, css)
    return css, (base / "leaflet.js").read_text(encoding="utf-8")


def _inline(tag: str, text: str) -> str:
    if f"</{tag}" in text.lower():
        raise ValueError(f"an inlined asset contains </{tag}>")
    return f"<{tag}>{text}</{tag}>"


class _Raw(Element):
    """Text put into the page as it is: never compiled or rendered as a Jinja template."""

    _template = Template("{{ this.text }}")

    def __init__(self, text: str):
        super().__init__()
        self.text = text


class _RawMacro(MacroElement):
    """A ``MacroElement`` whose rendered text is not compiled as a template a second time.

    branca wraps what a macro renders in ``Element(text)``, which compiles ``text`` as a Jinja
    template again: a ``{{ ... }}`` in a user's data would then run at build time.
    """

    def render(self, **kwargs: object) -> None:
        figure = self.get_root()
        module = self._template.module
        for part, target in (("header", figure.header), ("html", figure.html),
                             ("script", figure.script)):  # fmt: skip
            macro = getattr(module, part, None)
            if macro is not None:
                target.add_child(_Raw(str(macro(self, kwargs))), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class SafeGeoJson(folium.GeoJson, _RawMacro):
    """``folium.GeoJson`` whose embedded properties are never evaluated as a template."""


class OfflineMap(folium.Map):
    """A ``folium.Map`` whose page loads nothing from the network.

    Leaflet's script and style are inlined; folium's other CDN assets (jQuery, Bootstrap, Font
    Awesome, awesome-markers) are not used by the atlas and are left out.
    """

    default_js: ClassVar[list[tuple[str, str]]] = []
    default_css: ClassVar[list[tuple[str, str]]] = []

    def __init__(self, *args: object, **kwargs: object):
        kwargs.setdefault("tiles", None)
        super().__init__(*args, **kwargs)
        css, js = _leaflet()
        header = self.get_root().header
        header.add_child(_Raw(_inline("style", css) + _inline("script", js)), name="leaflet")


class AtlasControls(_RawMacro):
    """Legend, key-figures panel, time control, views and tooltips (``assets/atlas.js``)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        {{ this.assets }}
        {% endmacro %}
        {% macro script(this, kwargs) %}
        mapkitAtlas({{ this._parent.get_name() }}, {
          {%- for key, layer in this.layers.items() %}
          {{ key|tojson }}: {{ layer.get_name() }},
          {%- endfor %}
        }, {{ this.data|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, layers: dict[str, folium.GeoJson], data: dict[str, object]):
        super().__init__()
        self._name = "AtlasControls"
        self.layers = layers
        self.data = data
        self.assets = _inline("style", _asset("atlas.css")) + _inline("script", _asset("atlas.js"))


def classify(values: pd.Series) -> list[float]:
    """Upper bounds of the colour classes for a metric (Fisher–Jenks natural breaks; at most 5)."""
    unique = np.unique(values.dropna().to_numpy(dtype=float))
    return natural_breaks(unique, len(PALETTE)) if len(unique) else [0.0]


def _colours(n: int) -> list[str]:
    picks = np.linspace(len(PALETTE) - 1, 0, n).round().astype(int)[::-1] if n > 1 else [3]
    return [PALETTE[i] for i in picks]


def display_geometry(frame: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """Geometry for the HTML page: coverage-simplified (no gaps, no overlaps) and rounded."""
    geoms = frame.geometry.values
    try:
        simple = shapely.coverage_simplify(geoms, DISPLAY_TOLERANCE)
    except shapely.errors.GEOSException:
        simple = shapely.simplify(geoms, DISPLAY_TOLERANCE, preserve_topology=True)
    simple = shapely.set_precision(simple, 10**-DISPLAY_DECIMALS)
    return gpd.GeoSeries(shapely.orient_polygons(simple), index=frame.index, crs=frame.crs)


def _features(frame: gpd.GeoDataFrame, columns: list[str]) -> dict[str, object]:
    """``columns`` of ``frame`` and its geometry as a GeoJSON FeatureCollection for the page."""
    return rfc7946(frame[[*columns, frame.geometry.name]])


def _figure_records(figures: pd.DataFrame) -> list[dict[str, object]]:
    """The figures as the page reads them, one record each (built column by column: fast)."""
    unit_labels = {u.name: u.label for u in units().values()}
    stated = ("value_std", "qualifier", "kind", "period_start", "as_of", "scope", "series")
    short = figures.publisher.where(
        figures.published == "", figures.publisher + ", " + figures.published
    )
    table = {
        **{k: figures[k] for k in ("id", "iso", "area_name", "metric", "value", "unit")},
        "unit_label": figures.unit.map(unit_labels),
        **{k: figures[k] for k in stated},
        "as_of_date": figures.as_of_date.dt.strftime("%Y-%m-%d"),
        "source": figures.source,
        "url": figures.url,
        "source_short": short,
    }
    columns = [column.tolist() for column in table.values()]
    return [dict(zip(table, row, strict=True)) for row in zip(*columns, strict=True)]


def _bounds(frame: gpd.GeoDataFrame) -> list[list[float]]:
    minx, miny, maxx, maxy = frame.total_bounds
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def _corridor_legend() -> list[dict[str, str]]:
    items = [
        {"label": f"{s} (line style)", "colour": "#333", "border": b}
        for s, b in _STATUS_BORDER.items()
    ]
    items += [{"label": m, "colour": c, "border": "solid"} for m, c in MODE_COLOURS.items()]
    return items


def atlas(
    districts: gpd.GeoDataFrame | None = None,
    figures: pd.DataFrame | None = None,
    *,
    corridors: bool = True,
    title: str = TITLE,
) -> folium.Map:
    """The atlas as a ``folium.Map`` that displays inline in a notebook and saves offline.

    Parameters
    ----------
    districts : GeoDataFrame, optional
        From :func:`mapkit.load_districts`; the embedded districts by default.
    figures : DataFrame, optional
        From :func:`mapkit.load_figures`; the embedded figures by default.
    corridors : bool
        Overlay the Zangazur and Middle Corridor segments and their stations.
    title : str
        Title of the page and of the key-figures panel.

    Returns
    -------
    folium.Map
        Save it with ``.save("atlas.html")``: one file that renders with no network.
    """
    districts = load_districts() if districts is None else districts
    figures = load_figures() if figures is None else figures
    if figures.empty:
        raise ValueError("no figures to map")
    m = OfflineMap(
        location=[40.3, 47.6], zoom_start=7, min_zoom=3, prefer_canvas=False, control_scale=True
    )
    m.get_root().title = html.escape(title)  # branca writes the title unescaped
    basemap = gpd.read_file(geo_path("basemap.geojson"))
    SafeGeoJson(
        _features(basemap, ["name"]),
        name="Countries along the corridors (offline basemap)",
        style_function=lambda _: {
            "fillColor": "#f2efe9",
            "color": "#b5b0a5",
            "weight": 0.8,
            "fillOpacity": 1,
        },
        interactive=False,
        control=True,
    ).add_to(m)
    folium.TileLayer(
        "OpenStreetMap", name="OpenStreetMap (online only)", overlay=True, show=False
    ).add_to(m)
    shown = districts.copy()
    shown["geometry"] = display_geometry(districts)
    columns = ["iso", "name_en", "name_az", "name_ru", "kind", "economic_region", "area_km2"]
    layers = {
        "districts": SafeGeoJson(
            _features(shown, columns),
            name="Districts: latest published figures",
            className="mapkit-district",
        )
    }
    layers["districts"].add_to(m)
    views = [{"label": "Azerbaijan", "bounds": _bounds(districts)}]
    if corridors:
        lines = corridor_data.with_districts(corridor_data.load_corridors(), districts)
        stations = corridor_data.load_stations()
        line_columns = [c for c in lines.columns if c != lines.geometry.name]
        layers["corridors"] = SafeGeoJson(
            _features(lines, line_columns), name="Transport corridors", className="mapkit-corridor"
        )
        layers["corridors"].add_to(m)
        station_columns = [c for c in ("name", "kind", "country", "source") if c in stations]
        layers["stations"] = SafeGeoJson(
            _features(stations, station_columns),
            name="Stations, ports and border crossings",
            marker=folium.CircleMarker(
                radius=4, color="#222", weight=1, fill=True, fill_color="#ffffff", fill_opacity=1
            ),
        )
        layers["stations"].add_to(m)
        for name in sorted(lines.corridor.unique()):
            views.append(
                {
                    "label": f"{name} corridor".replace("Corridor corridor", "Corridor"),
                    "bounds": _bounds(lines[lines.corridor == name]),
                }
            )
    layers["control"] = folium.LayerControl(collapsed=True).add_to(m)
    worked = _worked_records(districts, figures)
    data = _atlas_data(figures, title, views, corridors, worked)
    data["worked"] = worked
    data["corridor_table"] = _corridor_table(lines, districts) if corridors else []
    AtlasControls(layers, data).add_to(m)
    m.fit_bounds(views[0]["bounds"], padding_top_left=(150, 10), padding_bottom_right=(300, 10))
    return m


def _worked_records(districts: gpd.GeoDataFrame, figures: pd.DataFrame) -> list[dict[str, str]]:
    worked = load_worked()
    worked = worked[(worked.iso == "") | worked.iso.isin(districts.iso)]
    worked = worked[worked.as_of_date <= figures.as_of_date.max()].sort_values("as_of_date")
    columns = ["iso", "name_as_written", "period_start", "as_of", "source_short"]
    records = worked[columns].to_dict("records")
    gaz = gazetteer()
    for record, date in zip(records, worked.as_of_date, strict=True):
        record["as_of_date"] = date.strftime("%Y-%m-%d")
        record["unplaced"] = "" if record["iso"] else gaz.unplaced(record["name_as_written"])
    return records


def _corridor_table(
    lines: gpd.GeoDataFrame, districts: gpd.GeoDataFrame
) -> list[dict[str, object]]:
    """Districts the Zangazur corridor crosses, with the length of the corridor inside each."""
    crossing = corridor_data.crossings(lines[lines.corridor == "Zangazur"], districts)
    by_district = crossing.groupby(["iso", "name_en"], sort=False)["length_km"].sum().reset_index()
    return [{"iso": r.iso, "name_en": r.name_en, "length_km": round(r.length_km, 1)}
            for r in by_district.itertuples()]  # fmt: skip


def series_label(figure: pd.Series | object) -> str:
    """How a series is named in the legend: metric, kind and period."""
    label = metrics()[figure.metric].label
    if figure.kind != "flow":
        return (
            f"{label}, total since {figure.period_start}"
            if figure.period_start
            else f"{label}, total"
        )
    start, end = figure.period_start_date, figure.as_of_date
    if pd.isna(start):
        return f"{label}, period to {figure.as_of} (start not stated)"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return f"{label} in {start.year}"
    if start.day == 1 and end.is_month_end and (start.year, start.month) == (end.year, end.month):
        return f"{label} in {start.strftime('%B %Y')}"
    return f"{label}, {figure.period_start} to {figure.as_of}"


def _atlas_data(
    figures: pd.DataFrame,
    title: str,
    views: list[dict[str, object]],
    corridors: bool,
    worked: list[dict[str, str]],
) -> dict[str, object]:
    vocabulary = metrics()
    unit_labels = {u.base: u.label for u in units().values() if u.factor == 1}
    first_units = figures.drop_duplicates("metric").set_index("metric").unit_std
    info = {}
    for name in vocabulary:
        if name in first_units.index:
            unit_std = first_units[name]
            info[name] = {
                "label": vocabulary[name].label,
                "unit_label": unit_labels.get(unit_std, ""),
            }
    at = np.flatnonzero(on_districts(figures) & (figures.series != "").to_numpy())
    mapped = pd.DataFrame({k: figures[k].to_numpy()[at] for k in ("series", "iso", "value_std")})
    by_series = mapped.groupby("series")  # not every column of a million figures
    firsts = figures.iloc[at[by_series.head(1).index]].set_index("series")
    districts = by_series.iso.nunique()
    series = {}
    for key, values in by_series.value_std:
        bins = classify(values)
        first = firsts.loc[key]
        series[key] = {
            "label": series_label(first),
            "metric": first.metric,
            "unit_label": info[first.metric]["unit_label"],
            "bins": bins,
            "colours": _colours(len(bins)),
            "districts": int(districts[key]),
            "min": float(values.min()),
        }
    order = sorted(
        series,
        key=lambda k: (-series[k]["districts"], list(vocabulary).index(series[k]["metric"]), k),
    )
    shown, dates = page_figures(figures, pd.to_datetime([w["as_of_date"] for w in worked]))
    return {
        "title": title,
        "figures": _figure_records(shown),
        "metrics": info,
        "metric_order": list(info),
        "series": series,
        "series_order": order,
        "default_series": order[0] if order else "",
        "dates": dates,
        "no_data_colour": NO_DATA_COLOUR,
        "series_metrics": [m for m in SERIES_METRICS if m in info],
        "views": views,
        "corridor_modes": MODE_COLOURS,
        "corridor_status": STATUS_DASHES,
        "corridor_legend": _corridor_legend() if corridors else [],
        "worked_label": "Districts named as worked in agency reports",
    }
