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
from jinja2.utils import htmlsafe_json_dumps

from . import corridors as corridor_data
from .boundaries import as_districts, load_districts
from .classes import natural_breaks
from .data import geo_path
from .export import rfc7946
from .figures import check_figures, load_figures, metrics, units
from .i18n import check_language, word
from .join import on_districts
from .names import gazetteer
from .page import (
    LANGUAGE,
    NO_DATA_HATCH,
    classes_for,
    corridor_legend,
    default_series,
    finding_records,
    label_points,
    metric_csv,
    page_languages,
    search_names,
    series_label,
    series_labels,
    shares,
    words,
)
from .payload import page_figures
from .validate import Finding, validate
from .worked import load_worked

PALETTE = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")
"""Number of classes at most (the colours themselves come from :func:`mapkit.page.palette`)."""
NO_DATA_COLOUR = "#d9d9d9"
MODE_COLOURS = {"rail": "#1f3d99", "road": "#8c510a", "ferry": "#01858a"}
STATUS_DASHES = {"existing": None, "under construction": "10 6", "planned": "2 6"}
_STATUS_BORDER = {"existing": "solid", "under construction": "dashed", "planned": "dotted"}
SERIES_METRICS = ("cleared_area", "items_found")
DISPLAY_DECIMALS = 4  # about 10 m: far below what a reader sees at the atlas's zoom levels
DISPLAY_TOLERANCE = 0.002  # degrees (about 200 m) for the coverage-preserving simplification
TITLE = words()["title"]
VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1.0" />'
PAGE = Template(
    '<!DOCTYPE html>\n<html lang="{{ this.lang }}">\n<head>\n'
    "{% if this.title %}<title>{{ this.title }}</title>{% endif %}\n"
    "{{ this.header.render(**kwargs) }}\n</head>\n<body>\n{{ this.html.render(**kwargs) }}\n"
    "</body>\n<script>\n{{ this.script.render(**kwargs) }}\n</script>\n</html>\n"
)
"""branca's page with the language set (``<html lang>``)."""


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
        root = self.get_root()
        root.lang = LANGUAGE
        root._template = PAGE

    def render(self, **kwargs: object) -> None:
        """Render as folium does, with a viewport that lets a reader pinch-zoom the page."""
        super().render(**kwargs)
        header = self.get_root().header
        text = header._children[self.get_name()].render()
        meta = re.compile(r'<meta name="viewport"[^>]*>')
        header._children[self.get_name()] = _Raw(meta.sub(VIEWPORT, text))


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
        }, {{ this.data_json }});
        {% endmacro %}
        """
    )

    def __init__(self, layers: dict[str, folium.GeoJson], data: dict[str, object]):
        super().__init__()
        self._name = "AtlasControls"
        self.layers = layers
        self.data = data
        # As Jinja's tojson (<, >, & and ' escaped) but letters as UTF-8, not \u escapes: the
        # Azerbaijani and Russian words and names take a third of the bytes.
        self.data_json = htmlsafe_json_dumps(data, ensure_ascii=False, sort_keys=True)
        self.assets = _inline("style", _asset("atlas.css")) + "".join(
            _inline("script", _asset(name)) for name in ("atlas-share.js", "atlas.js")
        )


class FrameView(_RawMacro):
    """Frames ``bounds`` to fit the screen the page opens on, before any layer is drawn."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        mapkitFrame({{ this._parent.get_name() }}, {{ this.bounds|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]]):
        super().__init__()
        self._name = "FrameView"
        self.bounds = bounds


def classify(values: pd.Series) -> list[float]:
    """Upper bounds of the colour classes for a metric (Fisher–Jenks natural breaks; at most 5)."""
    unique = np.unique(values.dropna().to_numpy(dtype=float))
    return natural_breaks(unique, len(PALETTE)) if len(unique) else [0.0]


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
        "share": figures.share.round(3).astype(object).where(figures.share.notna(), None),
    }
    columns = [column.tolist() for column in table.values()]
    return [dict(zip(table, row, strict=True)) for row in zip(*columns, strict=True)]


def _bounds(frame: gpd.GeoDataFrame) -> list[list[float]]:
    minx, miny, maxx, maxy = frame.total_bounds
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def atlas(
    districts: gpd.GeoDataFrame | None = None,
    figures: pd.DataFrame | None = None,
    *,
    corridors: bool = True,
    title: str = TITLE,
    findings: list[Finding] | None = None,
    language: str = LANGUAGE,
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
    findings : list of Finding, optional
        What :func:`mapkit.validate` found in ``figures`` (run here if not given); the page marks
        every figure a finding concerns.
    language : {"en", "az", "ru"}
        The language the page opens in; it carries all three and switches between them.

    Returns
    -------
    folium.Map
        Save it with ``.save("atlas.html")``: one file that renders with no network.
    """
    check_language(language)
    districts = load_districts() if districts is None else as_districts(districts)
    figures = load_figures() if figures is None else figures
    check_figures(figures)
    if figures.empty:
        raise ValueError("no figures to map")
    findings = validate(figures) if findings is None else findings
    stated = figures
    figures = figures.assign(share=shares(figures, districts))
    m = OfflineMap(
        location=[40.3, 47.6], zoom_start=7, min_zoom=3, prefer_canvas=False, control_scale=True
    )  # the page's script frames Azerbaijan to fit the screen it opens on
    if title == TITLE:
        title = word("title", language)
    m.get_root().title = html.escape(title)  # branca writes the title unescaped
    m.get_root().lang = language
    FrameView(_bounds(districts)).add_to(m)
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
    say = words()
    views = [{"label": say["country_view"], "word": "country_view", "bounds": _bounds(districts)}]
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
            named = name if name.endswith("Corridor") else say["corridor_view"].format(name=name)
            views.append(
                {
                    "label": named,
                    "word": "corridor." + name,
                    "bounds": _bounds(lines[lines.corridor == name]),
                }
            )
    layers["control"] = folium.LayerControl(collapsed=True).add_to(m)
    worked = _worked_records(districts, figures)
    data = _atlas_data(figures, title, views, corridors, worked)
    data["worked"] = worked
    data["corridor_table"] = _corridor_table(lines, districts) if corridors else []
    data["findings"] = finding_records(findings)
    data["labels"] = label_points(districts)
    data["lang"] = language
    data["i18n"] = page_languages(list(data["metrics"]))
    data["aliases"] = search_names(districts)
    data["csv"] = metric_csv(stated, sorted({s["metric"] for s in data["series"].values()}))
    AtlasControls(layers, data).add_to(m)
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
    columns = ("series", "iso", "value_std", "as_of_date", "share")
    mapped = pd.DataFrame({k: figures[k].to_numpy()[at] for k in columns})
    by_series = mapped.groupby("series")  # not every column of a million figures
    firsts = figures.iloc[at[by_series.head(1).index]].set_index("series")
    series = {}
    for key, group in by_series:
        first = firsts.loc[key]
        series[key] = {
            "label": series_label(first),
            "labels": series_labels(first),
            "metric": first.metric,
            "unit_label": info[first.metric]["unit_label"],
            **classes_for(first.metric, classify(group.value_std), group.value_std.min()),
            "districts": int(group.iso.nunique()),
            "dates": int(group.as_of_date.nunique()),
        }
        if group.share.notna().all():
            series[key]["share"] = classes_for(
                first.metric, classify(group.share), group.share.min()
            )
    order = sorted(
        series,
        key=lambda k: (-series[k]["districts"], list(vocabulary).index(series[k]["metric"]), k),
    )
    shown, dates = page_figures(figures, pd.to_datetime([w["as_of_date"] for w in worked]))
    return {
        "title": title,
        # In the order figures.latest ranks them: the page takes the last one on or before a
        # date as current and never re-decides which figure wins.
        "figures": _figure_records(
            shown.sort_values(["as_of_date", "published", "id"], kind="stable")
        ),
        "metrics": info,
        "metric_order": list(info),
        "series": series,
        "series_order": order,
        "default_series": default_series(series, order, SERIES_METRICS),
        "dates": dates,
        "no_data_colour": NO_DATA_COLOUR,
        "series_metrics": [m for m in SERIES_METRICS if m in info],
        "views": views,
        "corridor_modes": MODE_COLOURS,
        "corridor_status": STATUS_DASHES,
        "corridor_legend": corridor_legend(_STATUS_BORDER, MODE_COLOURS) if corridors else [],
        "no_data_hatch": NO_DATA_HATCH,
    }
