"""The pieces of the static map's page: map, district names, legend, sources (matplotlib)."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.ops import polylabel

from .country import EQUAL_AREA
from .i18n import format_number, place_name, word
from .styles import BASEMAP, MODE_COLOURS, NO_DATA_COLOUR, STATUS_DASHES

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


__all__ = [
    "LABEL_SIZES",
    "LINE_WIDTH",
    "SIMPLIFY_M",
    "Shown",
    "draw_legend",
    "draw_map",
    "draw_sources",
    "fit_text",
    "linestyle",
    "place_names",
]

LABEL_SIZES = (6.5, 5.5)  # points: a district's name is tried at these sizes, then left out
LINE_WIDTH = 1.8  # points, corridors
SIMPLIFY_M = 250  # metres: far below a printed A4 map's resolution (about 1 km a point)
_ROW = 0.03  # legend row height, figure fraction
_SWATCH = (0.024, 0.021)  # legend swatch width and height, figure fraction
_CHAR_EM = 0.58  # mean width of a DejaVu Sans character, in ems


@dataclass
class Shown:
    """What the map shows: one series of district figures, its classes and its figures."""

    series: str
    label: str
    unit: str
    bins: list[float]
    colours: list[str]
    low: float
    values: pd.Series  # by iso, NaN where no figure
    figures: pd.DataFrame  # the figures drawn, one per district


def linestyle(status: str) -> object:
    """The matplotlib line style of a corridor status, from the atlas's SVG dash arrays."""
    dashes = STATUS_DASHES.get(status)
    if not dashes:
        return "solid"
    return (0, tuple(0.6 * float(v) / LINE_WIDTH for v in dashes.split()))


def draw_map(
    ax: Axes,
    districts: gpd.GeoDataFrame,
    colours: pd.Series,
    lines: gpd.GeoDataFrame | None,
    basemap: gpd.GeoDataFrame,
    lang: str,
) -> gpd.GeoDataFrame | None:
    """Basemap, districts, corridors, names, scale bar and north arrow; the corridors drawn."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(ax.figure)
    minx, miny, maxx, maxy = districts.total_bounds
    around = shapely.box(minx - 2, miny - 1.5, maxx + 2, maxy + 1.5)
    near = shapely.intersects(shapely.envelope(basemap.geometry.values), around)
    basemap = basemap[near].reset_index(drop=True).clip(around).to_crs(EQUAL_AREA)
    _polygons(ax, basemap.geometry, BASEMAP["fill"], BASEMAP["line"], 0.6)
    shapes = districts.to_crs(EQUAL_AREA)
    fills = shapes.iso.map(colours).fillna(NO_DATA_COLOUR)
    _polygons(ax, shapes.geometry, list(fills), "#555555", 0.35)
    x0, y0, x1, y1 = shapes.total_bounds
    pad = 0.03 * max(x1 - x0, y1 - y0)
    view = shapely.box(x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    drawn = None
    if lines is not None:
        near = lines.to_crs(EQUAL_AREA)
        near = near[near.intersects(view)]
        _corridors(ax, near.geometry.intersection(view), near.status, near["mode"])
        drawn = lines.loc[near.index]
    _frame(ax, view.bounds)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#999999")
        spine.set_linewidth(0.6)
    _scale_bar(ax, lang)
    _north_arrow(ax, lang)
    place_names(ax, shapes, fills, lang)
    return drawn


def _frame(ax: Axes, bounds: tuple[float, float, float, float]) -> None:
    """Show ``bounds``, widened to the axes' shape so that a metre is as long across as up."""
    x0, y0, x1, y1 = bounds
    box = ax.get_position()
    shape = (box.height * ax.figure.get_figheight()) / (box.width * ax.figure.get_figwidth())
    width, height = max(x1 - x0, (y1 - y0) / shape), max(y1 - y0, (x1 - x0) * shape)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    ax.set_xlim(cx - width / 2, cx + width / 2)
    ax.set_ylim(cy - height / 2, cy + height / 2)
    ax.set_aspect("equal")


def _polygons(ax: Axes, shapes: gpd.GeoSeries, faces: object, edge: str, width: float) -> None:
    """Polygons as one collection (``GeoSeries.plot`` redraws the whole figure on each call)."""
    from matplotlib.collections import PathCollection
    from matplotlib.path import Path

    simple = shapely.coverage_simplify(shapes.values, SIMPLIFY_M)
    paths = []
    for shape in simple:
        rings = [r for p in getattr(shape, "geoms", [shape]) if not p.is_empty
                 for r in (p.exterior, *p.interiors)]  # fmt: skip
        paths.append(Path.make_compound_path(*(Path(r.coords, closed=True) for r in rings)))
    ax.add_collection(PathCollection(paths, facecolors=faces, edgecolors=edge,
                                     linewidths=width, joinstyle="round"))  # fmt: skip


def _corridors(ax: Axes, shapes: gpd.GeoSeries, status: pd.Series, mode: pd.Series) -> None:
    """Corridor segments, colour by mode and line style by status, as line collections."""
    from matplotlib.collections import LineCollection

    for (st, md), index in shapes.groupby([status, mode]).groups.items():
        parts = [np.asarray(p.coords) for g in shapes.loc[index]
                 for p in getattr(g, "geoms", [g]) if not p.is_empty]  # fmt: skip
        ax.add_collection(LineCollection(parts, colors=MODE_COLOURS.get(md, "#333333"),
                                         linewidths=LINE_WIDTH, linestyles=[linestyle(st)],
                                         capstyle="round"))  # fmt: skip


def _scale_bar(ax: Axes, lang: str) -> None:
    from matplotlib_scalebar.scalebar import ScaleBar

    km = word("map.km", lang)
    ax.add_artist(ScaleBar(
        1, "m", location="lower left", length_fraction=0.18, fixed_units="km", box_alpha=0.85,
        font_properties={"size": 8}, border_pad=0.8,
        scale_formatter=lambda value, _unit: f"{format_number(value, lang)} {km}"))  # fmt: skip


def _north_arrow(ax: Axes, lang: str) -> None:
    x = 0.955
    ax.annotate("", xy=(x, 0.93), xytext=(x, 0.84), xycoords="axes fraction",
                arrowprops={"arrowstyle": "-|>", "color": "#222", "lw": 1.4})  # fmt: skip
    ax.text(x, 0.935, word("map.north", lang), transform=ax.transAxes, ha="center", va="bottom",
            size=11, weight="bold", color="#222")  # fmt: skip


def place_names(ax: Axes, shapes: gpd.GeoDataFrame, fills: pd.Series, lang: str) -> int:
    """Write each district's name inside it where it fits without touching another name.

    Largest districts first; a name is tried at each of :data:`LABEL_SIZES`, then left out.
    Returns the number of names written.
    """
    from matplotlib.colors import to_rgb

    renderer = ax.figure.canvas.get_renderer()
    to_data = ax.transData.inverted()
    placed: list[shapely.Geometry] = []
    order = shapes.geometry.area.sort_values(ascending=False).index
    for i in order:
        row = shapes.loc[i]
        part = max(getattr(row.geometry, "geoms", [row.geometry]), key=lambda g: g.area)
        spot = polylabel(part, tolerance=500)
        r, g, b = to_rgb(fills.loc[i])
        colour = "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.45 else "#1a1a1a"
        text = ax.text(spot.x, spot.y, place_name(row, lang), ha="center", va="center",
                       color=colour, clip_on=True)  # fmt: skip
        for size in LABEL_SIZES:
            text.set_size(size)
            (a, b_), (c, d) = to_data.transform(text.get_window_extent(renderer).get_points())
            box = shapely.box(a, b_, c, d)
            inside = part.intersection(box).area >= 0.9 * box.area
            if inside and not any(box.intersects(other) for other in placed):
                placed.append(box)
                break
        else:
            text.remove()
    return len(placed)


def _swatch(fig: Figure, x: float, y: float, colour: str) -> None:
    from matplotlib.patches import Rectangle

    corner = (x, y - _SWATCH[1] / 2)
    fig.add_artist(Rectangle(corner, *_SWATCH, facecolor=colour, edgecolor="#555555",
                             linewidth=0.5, transform=fig.transFigure))  # fmt: skip


def _line_sample(fig: Figure, x: float, y: float, colour: str, status: str) -> None:
    from matplotlib.lines import Line2D

    fig.add_artist(Line2D([x, x + _SWATCH[0] * 1.4], [y, y], color=colour, linewidth=LINE_WIDTH,
                          linestyle=linestyle(status), transform=fig.transFigure))  # fmt: skip


def draw_legend(
    fig: Figure, left: float, top: float, what: Shown, lang: str, lines: gpd.GeoDataFrame | None
) -> float:
    """The legend: unit, classes, the no-data class, corridors; returns its bottom (fraction)."""
    y = top - 0.015
    if what.bins:
        fig.text(left, top, word("map.unit", lang, unit=what.unit), size=9.5, weight="bold",
                 va="top")  # fmt: skip
        y = top - 0.045
    text_x = left + _SWATCH[0] * 1.4 + 0.012
    lower = what.low
    for upper, colour in zip(what.bins, what.colours, strict=True):
        label = (format_number(upper, lang) if lower == upper else
                 f"{format_number(lower, lang)} – {format_number(upper, lang)}")  # fmt: skip
        _swatch(fig, left, y, colour)
        fig.text(text_x, y, label, size=8.5, va="center")
        lower, y = upper, y - _ROW
    _swatch(fig, left, y, NO_DATA_COLOUR)
    fig.text(text_x, y, word("map.no_data", lang), size=8.5, va="center")
    y -= _ROW
    if lines is None or lines.empty:
        return y
    y -= 0.01
    fig.text(left, y, word("map.corridors", lang), size=9.5, weight="bold", va="center")
    y -= _ROW
    for status in (s for s in STATUS_DASHES if s in set(lines.status)):
        _line_sample(fig, left, y, "#333333", status)
        fig.text(text_x, y, word(f"map.status.{status}", lang), size=8.5, va="center")
        y -= _ROW
    for mode in (m for m in MODE_COLOURS if m in set(lines["mode"])):
        _line_sample(fig, left, y, MODE_COLOURS[mode], "existing")
        fig.text(text_x, y, word(f"map.mode.{mode}", lang), size=8.5, va="center")
        y -= _ROW
    return y


def draw_sources(fig: Figure, left: float, top: float, entries: list[str], lang: str) -> None:
    """The numbered sources, in the largest type (7 pt down to 4.5 pt) that fits the space."""
    fig.text(left, top, word("map.sources", lang), size=9.5, weight="bold", va="top")
    width_pt = (0.99 - left) * fig.get_figwidth() * 72
    room_pt = (top - 0.035 - 0.015) * fig.get_figheight() * 72
    size, text = 7.0, ""
    while True:
        width = int(width_pt / (size * _CHAR_EM))
        text = "\n".join(textwrap.fill(f"{i}. {e}", width, break_long_words=True,
                                       break_on_hyphens=False, subsequent_indent="   ")
                         for i, e in enumerate(entries, 1))  # fmt: skip
        if text.count("\n") * size * 1.25 + size <= room_pt or size <= 4.5:
            break
        size -= 0.25
    fig.text(left, top - 0.035, text, size=size, va="top", linespacing=1.25, color="#333333")


def fit_text(fig: Figure) -> None:
    """Shrink any line of the page's text that would run past the page's right edge."""
    renderer = fig.canvas.get_renderer()
    right = fig.bbox.x1 - 0.004 * fig.bbox.width
    for text in fig.texts:
        while text.get_window_extent(renderer).x1 > right and text.get_size() > 5:
            text.set_size(text.get_size() - 0.5)
