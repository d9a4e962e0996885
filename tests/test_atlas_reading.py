"""What the atlas tells a reader: an honest picture, contradictions in sight, its own words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import OfflinePage
from test_atlas_browser import hover, point_inside

import mapkit
from mapkit.offline import SCRIPTS
from mapkit.page import PALETTES, words

pytestmark = pytest.mark.browser


def test_the_page_declares_its_language_and_allows_pinch_zoom(atlas_dir: Path) -> None:
    page = (atlas_dir / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page
    viewport = re.findall(r'<meta name="viewport"[^>]*>', page)
    assert viewport and all("user-scalable=no" not in v and "maximum-scale" not in v
                            for v in viewport)  # fmt: skip


def test_the_page_words_come_from_the_words_table_not_the_script() -> None:
    assets = Path(mapkit.__file__).parent / "assets"
    script = "".join(assets.joinpath(n).read_text(encoding="utf-8") for n in SCRIPTS)
    literals = " ".join(re.findall(r'"([^"\\]*)"', script))
    for key, text in words().items():
        fixed = max(re.split(r"\{\w+\}", text), key=len).strip(" ,.:;()—")
        if " " in fixed:  # a phrase, not a name the code uses (``districts``)
            assert fixed not in literals, f"{key}: {fixed!r} is written in atlas.js"
    for english in ("units", "No data", "Figures as of", "Show", "Hide", "Source:", "(link)"):
        assert english not in literals


@pytest.mark.parametrize("iso", ["AZ-BA", "AZ-SAR", "AZ-SAD", "AZ-ZAN"])
def test_districts_answer_hovers_under_corridor_lines(
    atlas_dir: Path, offline_page: OfflinePage, iso: str
) -> None:
    page = offline_page.open(atlas_dir / "index.html")
    name = mapkit.load_districts().set_index("iso").name_en[iso]
    text = hover(page, *point_inside(iso))
    assert text.startswith(name), text


def test_cleared_land_is_not_red_and_no_data_is_hatched(
    atlas_dir: Path, offline_page: OfflinePage
) -> None:
    page = offline_page.open(atlas_dir / "index.html")
    fills = set(page.evaluate(
        "() => [...document.querySelectorAll('path.mapkit-district')]"
        ".map(p => p.getAttribute('fill'))"
    ))  # fmt: skip
    assert "url(#mk-nodata)" in fills
    assert page.locator("#mk-nodata").count() == 1
    coloured = fills - {"url(#mk-nodata)"}
    assert coloured and coloured <= set(PALETTES["clearance"])
    assert not coloured & set(PALETTES["contamination"])


def test_share_of_area_view_shows_the_formula_and_orders_khankendi_first(
    atlas_dir: Path, offline_page: OfflinePage
) -> None:
    page = offline_page.open(atlas_dir / "index.html")
    page.evaluate("window.mapkit.setSeries('cleared_area_2025')")
    page.select_option(".mk-view-select", "share")
    legend = page.locator(".mk-legend").inner_text()
    assert "unit: %" in legend and "÷" in legend and "area_km2" in legend
    series = page.evaluate("window.mapkit.data.series.cleared_area_2025")
    assert len(series["share"]["bins"]) <= 5
    darkest = series["share"]["colours"][-1]
    fill = page.evaluate(
        """() => window.mapkit.layers.districts.getLayers()
                 .find(l => l.feature.properties.iso === 'AZ-XA').options.fillColor"""
    )
    assert fill == darkest  # Khankendi cleared the largest share of its area in 2025
    text = hover(page, *point_inside("AZ-XA"))
    assert "% of the district's area" in text and "÷" in text


def test_no_more_classes_than_distinct_values_and_districts_not_units(
    atlas_dir: Path, offline_page: OfflinePage
) -> None:
    page = offline_page.open(atlas_dir / "index.html")
    series = page.evaluate("window.mapkit.data.series")
    for name, s in series.items():
        page.evaluate(f"window.mapkit.setSeries({name!r})")
        rows = page.locator(".mk-legend .mk-legend-data .mk-legend-row:not(.mk-legend-nodata)")
        assert rows.count() <= len(set(s["bins"]))
    options = page.locator(".mk-series-select option").all_inner_texts()
    # "units" as a word (not inside "munitions")
    assert all("district" in o and not re.search(r"\bunits?\b", o) for o in options)


def test_the_legend_says_when_the_series_has_no_figure_at_the_date(
    atlas_dir: Path, offline_page: OfflinePage
) -> None:
    page = offline_page.open(atlas_dir / "index.html")
    first = page.evaluate("window.mapkit.setDate(window.mapkit.data.dates[0])")
    legend = page.locator(".mk-legend").inner_text()
    assert f"No figure for this series as of {first}" in legend
    assert page.locator(".mk-legend-data .mk-swatch:not(.mk-swatch-nodata)").count() == 0


def test_district_names_are_written_at_readable_zooms(
    atlas_dir: Path, offline_page: OfflinePage
) -> None:
    page = offline_page.open(atlas_dir / "index.html")
    page.evaluate("window.mapkit.map.setZoom(9, {animate: false})")
    names = page.locator(".mk-label").all_inner_texts()
    assert "Aghdam" in names and len(names) == 77
    page.evaluate("window.mapkit.map.setZoom(6, {animate: false})")
    assert page.locator(".mk-label").count() == 0


def test_contradicting_national_figures_are_marked_in_the_panel(
    atlas_dir: Path, offline_page: OfflinePage
) -> None:
    page = offline_page.open(atlas_dir / "index.html")
    dates = page.evaluate("window.mapkit.data.dates")
    page.evaluate(f"window.mapkit.setDate({max(d for d in dates if d <= '2025-06-01')!r})")
    note = page.locator(".mk-key-row[data-metric=incidents] + .mk-key-finding").inner_text()
    assert "Contradicts another figure" in note
    page.locator(".mk-key-row[data-metric=incidents] + .mk-key-finding summary").click()
    note = page.locator(".mk-key-row[data-metric=incidents] + .mk-key-finding").inner_text()
    assert "237" in note and "412" in note and "2025-05-19" in note and "Azernews" in note


def test_a_district_figure_a_finding_concerns_is_marked_in_its_tooltip(
    tmp_path: Path, offline_page: OfflinePage
) -> None:
    mine = tmp_path / "mine.csv"
    mine.write_text(
        "area,metric,value,unit,period_start,as_of,source\n"
        "Aghdam,cleared_area,500,ha,2021-01,2024-01-31,Agency A\n"
        "Aghdam,cleared_area,400,ha,2021-01,2024-06-30,Agency B\n",
        encoding="utf-8",
    )
    figures = mapkit.load_figures([mine], only=True)
    mapkit.atlas(figures=figures, corridors=False).save(str(tmp_path / "index.html"))
    page = offline_page.open(tmp_path / "index.html")
    text = hover(page, *point_inside("AZ-AGM"))
    assert "Contradicts another figure" in text and "400 ha" in text and "500 ha" in text
    assert offline_page.errors == []
