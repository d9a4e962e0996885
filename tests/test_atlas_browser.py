"""The atlas as a reader sees it: opened in headless Chromium with the network cut."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import REPO, OfflinePage
from shapely.ops import polylabel

import mapkit

pytestmark = pytest.mark.browser

SCREENSHOT = REPO / "tests" / "screenshots" / "atlas.png"


def point_inside(iso: str) -> tuple[float, float]:
    """(lat, lon) of a point inside a district."""
    districts = mapkit.load_districts()
    polygon = districts.loc[districts.iso == iso, "geometry"].iloc[0]
    parts = getattr(polygon, "geoms", [polygon])
    point = polylabel(max(parts, key=lambda p: p.area), tolerance=0.001)  # far from borders
    return point.y, point.x


def hover(page: object, lat: float, lon: float) -> str:
    """Centre the map on a position, move a real mouse over it, return the tooltip text."""
    x, y = page.evaluate(
        """([lat, lon]) => {
            const map = window.mapkit.map;
            map.stop();
            map.setView([lat, lon], Math.max(map.getZoom(), 8), {animate: false});
            const p = map.latLngToContainerPoint([lat, lon]);
            const box = map.getContainer().getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        [lat, lon],
    )
    page.mouse.move(x - 3, y - 3)
    page.mouse.move(x, y, steps=4)
    tooltip = page.locator(".leaflet-tooltip").last
    tooltip.wait_for(state="visible", timeout=5000)
    return tooltip.inner_text()


def test_atlas_draws_every_district_offline(
    atlas_dir: Path, offline_page: OfflinePage, tmp_path: Path
) -> None:
    page = offline_page.open(atlas_dir / "index.html")
    drawn = page.evaluate(
        """() => [...document.querySelectorAll('path.mapkit-district')]
                 .filter(p => (p.getAttribute('d') || '').length > 10).length"""
    )
    assert drawn == 77
    assert page.evaluate("typeof L") == "object"
    assert offline_page.blocked == []
    assert offline_page.errors == []
    target = SCREENSHOT if os.environ.get("MAPKIT_UPDATE_SCREENSHOT") else tmp_path / "atlas.png"
    page.wait_for_timeout(300)
    page.screenshot(path=str(target))
    assert target.stat().st_size > 20_000


def test_legend_shows_unit_classes_and_no_data(atlas_dir: Path, offline_page: OfflinePage) -> None:
    page = offline_page.open(atlas_dir / "index.html")
    legend = page.locator(".mk-legend").inner_text()
    assert "unit: ha" in legend
    assert "No data" in legend and "not zero" in legend
    assert page.locator(".mk-legend .mk-legend-row").count() >= 3
    no_data = page.evaluate(
        """() => [...document.querySelectorAll('path.mapkit-district')]
                 .filter(p => p.getAttribute('fill') === 'url(#mk-nodata)').length"""
    )
    assert 0 < no_data < 77  # districts with no figure are hatched, never coloured as zero


def test_hovering_aghdam_shows_its_cleared_area_with_date_and_source(
    atlas_dir: Path, offline_page: OfflinePage
) -> None:
    page = offline_page.open(atlas_dir / "index.html")
    text = hover(page, *point_inside("AZ-AGM"))
    assert "Aghdam" in text
    assert "37,154 ha" in text
    assert "2025-05-20" in text
    assert "Azernews" in text


def test_hovering_a_district_without_figures_says_so(
    atlas_dir: Path, offline_page: OfflinePage
) -> None:
    page = offline_page.open(atlas_dir / "index.html")
    text = hover(page, *point_inside("AZ-QBA"))
    assert "Quba" in text
    assert "No published figure" in text


def test_key_figures_panel_shows_national_figures_with_dates(
    atlas_dir: Path, offline_page: OfflinePage
) -> None:
    page = offline_page.open(atlas_dir / "index.html")
    panel = page.locator(".mk-panel").inner_text()
    assert "11,667 km²" in panel
    assert "232,522" in panel
    assert "more than 3,400" in panel
    assert "2025-12-09" in panel
