"""What the atlas page shows a reader besides the figures: its words, palettes and findings.

Every word the page shows comes from ``geo/words.csv`` (one column per language); the page's
script holds no English. Palettes are chosen by what a metric means: red only for
contamination, a sequential green for cleared land, purple for counts.
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.ops import polylabel

from .coded import per_row
from .data import read_table
from .export import figures_table
from .figures import metrics, units
from .formulas import neutralise_table
from .i18n import (
    LANGUAGES,
    date_templates,
    format_date,
    metric_name,
    number_symbols,
    phrases,
    unit_name,
)
from .validate import Finding
from .vocabulary import period

__all__ = [
    "CSV_FIGURES",
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
CSV_FIGURES = 10_000
"""Figures the page carries for its CSV download links (about 1 MB of page, gzipped)."""
PALETTES = {
    "contamination": ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"),  # red: danger
    "clearance": ("#d9f0a3", "#addd8e", "#78c679", "#31a354", "#006837"),  # green: land released
    "count": ("#efedf5", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"),
}
PAGE_WORDS = ("map.status.", "map.mode.", "map.km")
"""Words of the static map (``map.*``) the page uses too."""


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
    area = districts.set_index("iso").area_km2.astype(float)
    area_km2 = pd.Series(per_row(figures.iso, area).astype(float), index=figures.index)
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


def finding_records(
    findings: Sequence[Finding], shown: set[str] | None = None
) -> list[dict[str, object]]:
    """The validation findings the page marks on the figures they concern: those concerning a
    figure of ``shown`` (the ids of the figures the page carries; every figure by default)."""
    labels = {name: unit.label for name, unit in units().items()}
    return [{"level": f.level, "kind": f.kind, "message": f.message, "ids": list(f.ids),
             "values": [{**v, "unit_label": labels.get(v["unit"], "")} for v in f.values]}
            for f in findings
            if f.ids and (shown is None or not shown.isdisjoint(f.ids))]  # fmt: skip


def series_label(figure: pd.Series | object, language: str = LANGUAGE) -> str:
    """How a series is named in the legend: metric, kind and period (words from words.csv)."""
    say = phrases(language)
    label = metric_name(figure.metric, language)
    start = None if pd.isna(figure.period_start_date) else figure.period_start_date
    shape = period(figure.kind, start, figure.as_of_date, figure.period_start)

    def when(date: str) -> str:  # the English page keeps ISO dates
        return date if language == "en" else format_date(date, language)

    if shape in ("total", "since"):
        return say[f"series_{shape}"].format(label=label, start=when(figure.period_start))
    if shape == "to":
        return say["series_no_start"].format(label=label, end=when(figure.as_of))
    if shape in ("year", "month"):
        named = start.year if shape == "year" else when(start.strftime("%Y-%m"))
        return say["series_in"].format(label=label, period=named)
    return say["series_period"].format(
        label=label, start=when(figure.period_start), end=when(figure.as_of)
    )


def series_labels(figure: pd.Series | object) -> dict[str, str]:
    """:func:`series_label` in each language the page can switch to."""
    return {lang: series_label(figure, lang) for lang in LANGUAGES}


def page_languages(metric_names: Sequence[str]) -> dict[str, dict[str, object]]:
    """Everything the page says, in each of its languages: phrases, metric and unit names (by
    the English unit label the figures carry), number symbols and date formats (Babel's)."""
    return {
        lang: {
            "words": {
                k: v
                for k, v in phrases(lang).items()
                if k.startswith(PAGE_WORDS) or not k.startswith("map.")
            },
            "metrics": {m: metric_name(m, lang) for m in metric_names},
            "units": {u.label: unit_name(u.name, lang) for u in units().values() if u.label},
            "number": number_symbols(lang),
            "dates": date_templates(lang),
        }
        for lang in LANGUAGES
    }


def search_names(districts: gpd.GeoDataFrame) -> dict[str, list[str]]:
    """Every spelling of each district on the map that the name matcher knows from
    ``geo/aliases.csv``, for the page's district search, besides the names in three languages
    the page has already (``name_az``, ``name_en``, ``name_ru``)."""
    aliases = read_table("aliases.csv").groupby("iso").alias.agg(list)
    found = {}
    for row in districts.itertuples():
        own = {row.name_en, row.name_az, getattr(row, "name_ru", "")}
        found[row.iso] = [n for n in dict.fromkeys(aliases.get(row.iso, [])) if n not in own]
    return found


def metric_csv(figures: pd.DataFrame, metric_names: Sequence[str]) -> dict[str, str]:
    """The CSV ``mapkit figures --format csv`` prints, kept to each of ``metric_names``: what the
    page's download link holds for the metric shown, gzipped and in base64 (a fifth of the
    size; the browser unzips it with its own ``DecompressionStream``).

    The page stays small: metrics are carried, fewest figures first, while they hold at most
    ``CSV_FIGURES`` figures in all; the page links any other metric to ``layers/figures.csv``,
    which a build writes beside it with every figure.
    """
    metric = figures.metric.to_numpy()
    counts = pd.Series(metric).value_counts()
    carried, total = [], 0
    for m in sorted(metric_names, key=lambda m: (counts.get(m, 0), m)):
        total += counts.get(m, 0)
        if total > CSV_FIGURES:
            break
        carried.append(m)
    kept = np.isin(metric, carried)
    table = neutralise_table(figures_table(figures[kept]))
    found = {}
    for m in carried:
        text = table[metric[kept] == m].to_csv(index=False)
        found[m] = base64.b64encode(gzip.compress(text.encode("utf-8"), mtime=0)).decode()
    return found


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
