"""The static map: the atlas's choropleth as a PNG, SVG or PDF page for reports, drawn offline.

The map shows what the atlas shows first (or a chosen metric): the latest published figure of each
district, in the atlas's classes and colours (:func:`mapkit.render.classify`), grey where no figure
is published; the corridors by status; a legend, scale bar, north arrow, district names where they
fit, and the sources of everything drawn. Text in PDF and SVG files stays text (searchable).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from .errors import MapkitError, option
from .figures import metrics
from .i18n import format_date, metric_name, unit_name, word
from .join import join, on_districts, value_column
from .load import AtlasData
from .page import colours
from .render import classify
from .staticmap_draw import Shown, draw_legend, draw_map, draw_sources, fit_text
from .styles import NO_DATA_COLOUR
from .vocabulary import period

__all__ = [
    "A4_LANDSCAPE",
    "DEFAULT_BOUNDARIES",
    "DPI",
    "FORMATS",
    "STATIC_MAPS",
    "TEXT",
    "check_output",
    "draw",
    "shown",
    "write_static_maps",
]

FORMATS = (".png", ".svg", ".pdf")
A4_LANDSCAPE = (11.69, 8.27)  # inches
DPI = 150
TEXT = {"svg.fonttype": "none", "pdf.fonttype": 42, "font.family": "DejaVu Sans"}
DEFAULT_BOUNDARIES = "Natural Earth 1:10m admin-1, ISO 3166-2:AZ (mapkit geo/districts.geojson)"
_MAP_BOX = (0.01, 0.02, 0.63, 0.84)  # left, bottom, width, height of the map, figure fraction
_PANEL_LEFT = 0.66
# The figure columns the series chosen and its label are read from.
_SHOWN = ["metric", "unit_std", "value_std", "kind", "as_of", "as_of_date", "period_start",
          "period_start_date"]  # fmt: skip


def check_output(path: str | Path) -> Path:
    """``path`` if its extension is one the static map is written as; else a MapkitError."""
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise MapkitError(
            f"{path}: cannot write a map as {path.suffix or 'a file without extension'}; "
            f"end {option('out')} with {', '.join(FORMATS)}"
        )
    return path


def shown(
    districts: gpd.GeoDataFrame,
    figures: pd.DataFrame,
    metric: str | None,
    lang: str,
    joined: gpd.GeoDataFrame | None = None,
) -> Shown:
    """The series the map shows: the one covering most districts (of ``metric``, if given).

    Figures whose district has no polygon (a partial boundary file) are not drawn; the build
    lists them (:func:`mapkit.join.not_on_map`). ``joined`` is ``join(districts, figures)`` if
    already made (:attr:`mapkit.load.AtlasData.joined`).
    """
    # Masks and the columns used, not copies of the whole table (a million figures).
    mine = on_districts(figures)
    on_map = figures.iso.isin(districts.iso).to_numpy()
    kept = ~mine | on_map  # not the figures the build lists as not on the map
    drawable = mine & on_map & (figures.series != "").to_numpy()
    mapped = figures.loc[drawable, ["iso", "series", "metric"]]
    if metric is not None:
        present = set(mapped.metric.unique())
        known = ", ".join(m for m in metrics() if m in present) or "none"
        if metric not in present:
            problem = "no district figures of metric" if metric in metrics() else "unknown metric"
            raise MapkitError(f"{problem} {metric!r}: choose {option('metric')} from {known}")
        drawable &= (figures.metric == metric).to_numpy()
        mapped = mapped[mapped.metric == metric]
    if mapped.empty:  # national figures only: a grey map, as the atlas shows it
        nothing = pd.Series(np.nan, index=pd.Index(districts.iso, name="iso"))
        label = word("map.no_district_figures", lang)
        return Shown("", label, "", [], [], np.nan, nothing, figures.iloc[:0])
    order = list(metrics())
    counts = mapped.groupby("series").iso.nunique()
    metric_of = mapped.groupby("series").metric.first()
    series = min(counts.index, key=lambda s: (-counts[s], order.index(metric_of[s]), s))
    group = figures.loc[drawable & (figures.series == series).to_numpy(), _SHOWN]
    first = group.iloc[0]
    joined = (join(districts, figures[kept]) if joined is None else joined).set_index("iso")
    values = joined[value_column(series, first.unit_std)]
    ids = joined[f"{series}_id"]
    drawn = figures[kept & figures.id.isin(set(ids[ids != ""])).to_numpy()]
    bins = classify(group.value_std)
    unit = unit_name(first.unit_std, lang) or word("map.count", lang)
    return Shown(series, _series_label(first, lang), unit, bins, colours(first.metric, len(bins)),
                 float(group.value_std.min()), values, drawn)  # fmt: skip


def _series_label(figure: pd.Series, lang: str) -> str:
    """The series' name in ``lang``: metric, and what period its figures count."""
    label = metric_name(figure.metric, lang)
    start = None if pd.isna(figure.period_start_date) else figure.period_start_date
    shape = period(figure.kind, start, figure.as_of_date, figure.period_start)
    if shape == "since":
        since = word("map.since", lang, date=format_date(figure.period_start, lang))
        return f"{label}, {since}"
    if shape == "total":
        return f"{label}, {word('map.total', lang)}"
    if shape == "year":
        return f"{label}, {start.year}"
    # "to", "month" and "range": the dates themselves
    begin = format_date(figure.period_start, lang) if figure.period_start else "…"
    return f"{label}, {begin} – {format_date(figure.as_of, lang)}"


def draw(
    data: AtlasData,
    *,
    metric: str | None = None,
    lang: str = "en",
    as_of: str | None = None,
    boundaries: str | None = None,
):
    """The static map of ``data`` as a matplotlib ``Figure`` (A4 landscape), for ``savefig``.

    Parameters
    ----------
    data : AtlasData
        From :func:`mapkit.load.load_atlas` or :func:`mapkit.load.assemble`; its corridors are
        drawn by status unless left out.
    metric : str, optional
        Show this metric (``geo/metrics.csv``); by default the series covering most districts.
    lang : {"en", "az", "ru"}
        Language of every word, number, date and district name on the map.
    as_of : str, optional
        The ``as_of`` date the figures were chosen at, printed under the title.
    boundaries : str, optional
        What the district boundaries are, for the sources block (mapkit's own by default).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    what = shown(data.districts, data.figures, metric, lang, data.joined)
    fig = Figure(figsize=A4_LANDSCAPE, dpi=DPI)
    fig.text(0.01, 0.975, word("map.title", lang), size=15, weight="bold", va="top")
    fig.text(0.01, 0.928, what.label, size=11.5, va="top")
    dates = sorted(set(what.figures.as_of))
    line = (word("map.date", lang, date=format_date(dates[0], lang)) if len(dates) == 1 else
            word("map.dates", lang, first=format_date(dates[0], lang),
                 last=format_date(dates[-1], lang)) if dates else "")  # fmt: skip
    if as_of:
        line += (" · " if line else "") + word("map.as_of", lang, date=format_date(as_of, lang))
    fig.text(0.01, 0.893, line, size=8.5, va="top", color="#444")
    ax = fig.add_axes(_MAP_BOX)
    colours = _district_colours(what)
    shown_lines = draw_map(ax, data.districts, colours, data.corridors, data.basemap, lang)
    legend_bottom = draw_legend(fig, _PANEL_LEFT, 0.86, what, lang, shown_lines)
    entries = _sources(what.figures, shown_lines, boundaries or DEFAULT_BOUNDARIES, lang)
    draw_sources(fig, _PANEL_LEFT, legend_bottom - 0.03, entries, lang)
    fit_text(fig)
    return fig


def _district_colours(what: Shown) -> pd.Series:
    """Each district's fill colour: its class's colour, or the no-data grey."""
    values = what.values.to_numpy(dtype=float)
    if not what.bins:
        return pd.Series(NO_DATA_COLOUR, index=what.values.index)
    index = np.searchsorted(np.asarray(what.bins), values, side="left").clip(0, len(what.bins) - 1)
    colours = np.where(np.isnan(values), NO_DATA_COLOUR, np.asarray(what.colours)[index])
    return pd.Series(colours, index=what.values.index)


def _sources(
    figures: pd.DataFrame, lines: gpd.GeoDataFrame | None, boundaries: str, lang: str
) -> list[str]:
    """One citation per source of what is drawn: the figures', the corridors', the boundaries'."""
    entries = []
    for _, rows in figures.sort_values(["published", "publisher"]).groupby("source", sort=False):
        f = rows.iloc[0]
        head = ", ".join(p for p in (f.publisher, format_date(f.published, lang)) if p)
        title = f": {f.title}" if f.title else ""
        url = f" {f.url}" if f.url else ""
        entries.append(f"{head}{title}.{url}")
    if lines is not None:
        for source in dict.fromkeys(lines.status_source):
            entries.append(word("map.corridor_status", lang, source=_short(source)))
    entries.append(word("map.boundaries", lang, name=boundaries))
    return entries


def _short(citation: str) -> str:
    """A corridor's status citation without its summary: "Publisher, date; URL"."""
    head, _, rest = citation.partition(":")
    url = rest.rpartition("; ")[2] if "; " in rest else ""
    return f"{head}; {url}" if url.startswith("http") else citation


STATIC_MAPS = ("map.png", "map.pdf")
"""The static maps a build writes beside ``index.html``."""


def write_static_maps(
    outdir: str | Path,
    data: AtlasData,
    *,
    names: tuple[str, ...] = STATIC_MAPS,
    **options: object,
) -> list[Path]:
    """Draw the static map of ``data`` once and write it into ``outdir`` as each of ``names``.

    ``mapkit build`` calls this to put ``map.png`` and ``map.pdf`` beside ``index.html``.
    ``options`` are those of :func:`draw`.
    """
    import matplotlib

    for name in names:
        check_output(name)
    outdir = Path(outdir)
    written = []
    with matplotlib.rc_context(TEXT):
        fig = draw(data, **options)
        for name in names:
            fig.savefig(outdir / name, dpi=DPI, metadata=_metadata(name))
            written.append(outdir / name)
    return written


def _metadata(name: str) -> dict[str, str] | None:
    if name.lower().endswith(".png"):
        return {"Software": "mapkit"}
    return {"Creator": "mapkit"}
