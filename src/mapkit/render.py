"""The atlas: draws an :class:`~mapkit.load.AtlasData` as a folium map that needs no network.

Each layer of :data:`mapkit.layers.LAYERS` is drawn by its function in :data:`DRAW`; the page
itself (Leaflet inlined, the controls of ``assets/atlas.js``) is :mod:`mapkit.offline`'s.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .classes import natural_breaks
from .coded import plain
from .country import INITIAL_VIEW, TITLE_KEY
from .export import rfc7946
from .figures import metrics, short_citation, units
from .i18n import check_language, word
from .join import on_districts
from .layers import LAYERS
from .load import AtlasData
from .offline import AtlasControls, FrameView, OfflineMap, SafeGeoJson
from .page import (
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
)
from .payload import page_figures
from .regionmap import MEMBERS
from .regions import summed as regions_summed
from .styles import (
    BASEMAP,
    MODE_COLOURS,
    NO_DATA_COLOUR,
    NO_DATA_HATCH,
    STATION_MARKER,
    STATUS_BORDERS,
    STATUS_DASHES,
)

__all__ = [
    "DISPLAY_DECIMALS",
    "DISPLAY_TOLERANCE",
    "DRAW",
    "PALETTE",
    "SERIES_METRICS",
    "atlas",
    "classify",
    "display_geometry",
]

PALETTE = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")
"""Number of classes at most (the colours themselves come from :func:`mapkit.page.palette`)."""
SERIES_METRICS = ("cleared_area", "items_found")
DISPLAY_DECIMALS = 4  # about 10 m: far below what a reader sees at the atlas's zoom levels
DISPLAY_TOLERANCE = 0.002  # degrees (about 200 m) for the coverage-preserving simplification


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
    short = short_citation(figures.publisher, figures.published)
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
    if "summed" in figures:  # a map of regions: a sum says so in the page's language
        pairs = zip(figures.summed, figures.publisher, strict=True)
        table["summed"] = pd.Series([_summed(s, p) for s, p in pairs], dtype=object)
    columns = [column.tolist() for column in table.values()]
    return [dict(zip(table, row, strict=True)) for row in zip(*columns, strict=True)]


def _summed(summed: str, publisher: str) -> list[object] | None:
    """A sum's districts, the region's and its publishers, which the page says in its words."""
    if not summed:
        return None
    n, size = (int(k) for k in summed.split("/"))
    return [n, size, publisher.removeprefix(regions_summed(n, size) + ": ")]


def _bounds(frame: gpd.GeoDataFrame) -> list[list[float]]:
    minx, miny, maxx, maxy = frame.total_bounds
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def atlas(data: AtlasData, language: str = "en") -> folium.Map:
    """Draw the atlas of ``data`` as a ``folium.Map`` that displays in a notebook and saves offline.

    Parameters
    ----------
    data : AtlasData
        Everything the page shows, from :func:`mapkit.load.load_atlas` or
        :func:`mapkit.load.assemble` (:func:`mapkit.atlas` makes it from districts and figures).
    language : {"en", "az", "ru"}
        The language the page opens in; it carries all three and switches between them.

    Returns
    -------
    folium.Map
        Save it with ``.save("atlas.html")``: one file that renders with no network.
    """
    check_language(language)
    districts = data.districts
    figures = data.figures.assign(share=shares(data.figures, districts))
    m = OfflineMap(
        **INITIAL_VIEW, min_zoom=3, prefer_canvas=False, control_scale=True
    )  # the page's script frames the country to fit the screen it opens on
    title = word(TITLE_KEY, language) if data.title == data.words[TITLE_KEY] else data.title
    m.get_root().title = html.escape(title)  # branca writes the title unescaped
    m.get_root().lang = language
    FrameView(_bounds(districts)).add_to(m)
    _draw_background(m, data.basemap)
    layers = {}
    for layer in LAYERS:
        frame = getattr(data, layer.source)
        if frame is not None:
            layers[layer.key] = DRAW[layer.key](frame, layer.title).add_to(m)
    layers["control"] = folium.LayerControl(collapsed=True).add_to(m)
    worked = [] if data.worked is None else _worked_records(data.worked, districts, figures)
    corridors = data.corridors is not None
    views = _views(data.words, districts, data.corridors)
    page = _atlas_data(figures, title, views, corridors, worked, districts.iso)
    page["worked"] = worked
    page["corridor_table"] = _corridor_table(data.corridor_crossings) if corridors else []
    page["findings"] = finding_records(data.findings, {f["id"] for f in page["figures"]})
    page["labels"] = label_points(districts)
    page["lang"] = language
    page["region_map"] = MEMBERS in districts.columns  # a file of regions (mapkit.regionmap)
    page["i18n"] = page_languages(list(page["metrics"]))
    page["aliases"] = search_names(districts)
    page["csv"] = metric_csv(data.figures, sorted({s["metric"] for s in page["series"].values()}))
    AtlasControls(layers, page).add_to(m)
    return m


def _draw_background(m: folium.Map, basemap: gpd.GeoDataFrame) -> None:
    """The countries around (offline), and OpenStreetMap for a reader who is online."""
    SafeGeoJson(
        _features(basemap, ["name"]),
        name="Countries along the corridors (offline basemap)",
        style_function=lambda _: {
            "fillColor": BASEMAP["fill"],
            "color": BASEMAP["line"],
            "weight": 0.8,
            "fillOpacity": 1,
        },
        interactive=False,
        control=True,
    ).add_to(m)
    folium.TileLayer(
        "OpenStreetMap", name="OpenStreetMap (online only)", overlay=True, show=False
    ).add_to(m)


def _draw_districts(districts: gpd.GeoDataFrame, title: str) -> folium.GeoJson:
    shown = districts.copy()
    shown["geometry"] = display_geometry(districts)
    columns = ["iso", "name_en", "name_az", "name_ru", "kind", "economic_region", "area_km2"]
    columns += [c for c in (MEMBERS,) if c in districts]  # a region's districts
    return SafeGeoJson(_features(shown, columns), name=title, className="mapkit-district")


def _draw_corridors(lines: gpd.GeoDataFrame, title: str) -> folium.GeoJson:
    columns = [c for c in lines.columns if c != lines.geometry.name]
    return SafeGeoJson(_features(lines, columns), name=title, className="mapkit-corridor")


def _draw_stations(stations: gpd.GeoDataFrame, title: str) -> folium.GeoJson:
    columns = [c for c in ("name", "kind", "country", "source") if c in stations]
    marker = STATION_MARKER
    return SafeGeoJson(
        _features(stations, columns),
        name=title,
        marker=folium.CircleMarker(radius=marker["radius"], color=marker["line"],
                                   weight=marker["weight"], fill=True,
                                   fill_color=marker["fill"], fill_opacity=1),
    )  # fmt: skip


DRAW: dict[str, Callable[[gpd.GeoDataFrame, str], folium.GeoJson]] = {
    "districts": _draw_districts,
    "corridors": _draw_corridors,
    "stations": _draw_stations,
}
"""How each layer of :data:`mapkit.layers.LAYERS` is drawn, by its key."""


def _views(
    say: dict[str, str], districts: gpd.GeoDataFrame, lines: gpd.GeoDataFrame | None
) -> list[dict[str, object]]:
    """The page's views: the whole country, then each corridor."""
    views = [{"label": say["country_view"], "word": "country_view", "bounds": _bounds(districts)}]
    for name in sorted(lines.corridor.unique()) if lines is not None else ():
        named = name if name.endswith("Corridor") else say["corridor_view"].format(name=name)
        views.append({"label": named, "word": "corridor." + name,
                      "bounds": _bounds(lines[lines.corridor == name])})  # fmt: skip
    return views


def _worked_records(
    worked: pd.DataFrame, districts: gpd.GeoDataFrame, figures: pd.DataFrame
) -> list[dict[str, str]]:
    worked = worked[(worked.iso == "") | worked.iso.isin(districts.iso)]
    worked = worked[worked.as_of_date <= figures.as_of_date.max()].sort_values("as_of_date")
    columns = ["iso", "name_as_written", "period_start", "as_of", "source_short"]
    records = worked[columns].to_dict("records")
    for record, date, unplaced, said in zip(
        records, worked.as_of_date, worked.unplaced, worked.unplaced_said, strict=True
    ):
        record["as_of_date"] = date.strftime("%Y-%m-%d")
        record["unplaced"] = unplaced
        record["unplaced_said"] = said
    return records


def _corridor_table(crossing: pd.DataFrame) -> list[dict[str, object]]:
    """The crossings corridor's districts, with the length of the corridor inside each."""
    return [{"iso": r.iso, "name_en": r.name_en, "length_km": round(r.length_km, 1)}
            for r in crossing.itertuples()]  # fmt: skip


def _atlas_data(
    figures: pd.DataFrame,
    title: str,
    views: list[dict[str, object]],
    corridors: bool,
    worked: list[dict[str, str]],
    drawn: pd.Series,
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
    # the legend's classes from the figures of the polygons drawn (a region map: not its districts')
    drawn_figures = figures.iso.isin(drawn).to_numpy()
    at = np.flatnonzero(on_districts(figures) & (figures.series != "").to_numpy() & drawn_figures)
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
            plain(shown).sort_values(["as_of_date", "published", "id"], kind="stable")
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
        "corridor_legend": corridor_legend(STATUS_BORDERS, MODE_COLOURS) if corridors else [],
        "no_data_hatch": NO_DATA_HATCH,
    }
