"""What the atlas page shows a reader besides the figures: its words, palettes and findings.

Every word the page shows comes from ``geo/words.csv`` (one column per language); the page's
script holds no English. Palettes are chosen by what a metric means: red only for
contamination, a sequential green for cleared land, purple for counts.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd
from shapely.ops import polylabel

from .data import read_table
from .figures import metrics
from .validate import Finding
from .vocabulary import period

__all__ = [
    "LANGUAGE",
    "PALETTES",
    "classes_for",
    "colours",
    "corridor_legend",
    "default_series",
    "finding_records",
    "label_points",
    "palette",
    "series_label",
    "shares",
    "words",
]

LANGUAGE = "en"
PALETTES = {
    "contamination": ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"),  # red: danger
    "clearance": ("#d9f0a3", "#addd8e", "#78c679", "#31a354", "#006837"),  # green: land released
    "count": ("#efedf5", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"),
}


def words(language: str = LANGUAGE) -> dict[str, str]:
    """The page's words in ``language``, by key (``geo/words.csv``)."""
    table = read_table("words.csv")
    if language not in table.columns:
        raise ValueError(f"geo/words.csv has no column {language!r}")
    return dict(zip(table.key, table[language], strict=True))


def palette(metric: str) -> tuple[str, ...]:
    """Colours, lightest first, for a metric: red only for contamination."""
    if metric.startswith("contaminated") or metric == "mines_laid":
        return PALETTES["contamination"]
    if metrics()[metric].dimension in ("area", "share") or metric.startswith("cleared"):
        return PALETTES["clearance"]
    return PALETTES["count"]


def colours(metric: str, n: int) -> list[str]:
    """``n`` colours of the metric's palette, spread from light to dark (one class: the middle)."""
    shades = palette(metric)
    if n <= 1:
        return [shades[len(shades) // 2]]
    return [shades[round(i * (len(shades) - 1) / (n - 1))] for i in range(n)]


def shares(figures: pd.DataFrame, districts: gpd.GeoDataFrame) -> pd.Series:
    """Each district area figure as a percentage of its district's area (NaN elsewhere).

    ``share = value (ha) / (area_km2 × 100 ha) × 100``: one formula, shown in the legend too.
    """
    area_km2 = figures.iso.map(districts.set_index("iso").area_km2.astype(float))
    is_area = figures.unit_std.eq("ha") & figures.scope.eq("")
    return (figures.value_std / area_km2).where(is_area & area_km2.gt(0))


def label_points(districts: gpd.GeoDataFrame) -> list[dict[str, object]]:
    """Where each district's name is written on the map: inside its largest part."""
    points = []
    for row in districts.itertuples():
        parts = getattr(row.geometry, "geoms", [row.geometry])
        point = polylabel(max(parts, key=lambda p: p.area), tolerance=0.01)
        points.append({"iso": row.iso, "name": row.name_en, "lat": round(point.y, 4),
                       "lon": round(point.x, 4)})  # fmt: skip
    return points


def finding_records(findings: Sequence[Finding]) -> list[dict[str, object]]:
    """The validation findings the page marks on the figures they concern."""
    return [{"level": f.level, "kind": f.kind, "message": f.message, "ids": list(f.ids)}
            for f in findings if f.ids]  # fmt: skip


def series_label(figure: pd.Series | object, language: str = LANGUAGE) -> str:
    """How a series is named in the legend: metric, kind and period (words from words.csv)."""
    say = words(language)
    label = metrics()[figure.metric].label
    start = None if pd.isna(figure.period_start_date) else figure.period_start_date
    shape = period(figure.kind, start, figure.as_of_date, figure.period_start)
    if shape in ("total", "since"):
        return say[f"series_{shape}"].format(label=label, start=figure.period_start)
    if shape == "to":
        return say["series_no_start"].format(label=label, end=figure.as_of)
    if shape in ("year", "month"):
        named = start.year if shape == "year" else start.strftime("%Y-%m")
        return say["series_in"].format(label=label, period=named)
    return say["series_period"].format(label=label, start=figure.period_start, end=figure.as_of)


def classes_for(metric: str, bins: list[float], low: float) -> dict[str, object]:
    """What the legend needs for a series: class bounds (never more classes than distinct values,
    see :func:`mapkit.render.classify`), their colours and the lowest value."""
    return {"bins": bins, "colours": colours(metric, len(bins)), "min": float(low)}


def default_series(
    series: dict[str, dict[str, object]],
    order: list[str],
    series_metrics: Sequence[str],
) -> str:
    """The series the page opens on: one that exists over time, cleared area first."""
    over_time = [k for k in order if series[k]["dates"] > 1]
    preferred = [k for k in over_time if series[k]["metric"] in series_metrics]
    chosen = (preferred or over_time or order or [""])[0]
    cleared = [k for k in preferred if series[k]["metric"] == "cleared_area"]
    return cleared[0] if cleared else chosen


def corridor_legend(borders: dict[str, str], modes: dict[str, str]) -> list[dict[str, object]]:
    """Legend rows for the corridors: line style by status, colour by mode."""
    items = [
        {"label": s, "colour": "#333", "border": b, "status": True} for s, b in borders.items()
    ]
    items += [{"label": m, "colour": c, "border": "solid"} for m, c in modes.items()]
    return items
