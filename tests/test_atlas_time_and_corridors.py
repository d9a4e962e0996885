"""The atlas over time, the agency-report layer and the corridors, as a reader uses them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import OfflinePage
from shapely.geometry import LineString
from test_atlas_browser import hover, point_inside

import mapkit

pytestmark = pytest.mark.browser


def panel_value(page: object, metric: str) -> str:
    return page.locator(f'.mk-key-row[data-metric="{metric}"] .mk-value').inner_text()


def test_the_time_control_moves_the_panel_and_the_map(
    atlas_dir: Path, offline_page: OfflinePage
) -> None:
    page = offline_page.open(atlas_dir / "index.html")
    assert panel_value(page, "cleared_area") == "2,427 km²"
    assert panel_value(page, "items_found") == "232,522"
    assert "Cleared area in 2025: 8,718.6 ha" in hover(page, *point_inside("AZ-LAC"))
    slider = page.locator(".mk-slider")
    dates = page.evaluate("window.mapkit.data.dates")
    index = max(i for i, d in enumerate(dates) if d <= "2025-06-01")
    slider.fill(str(index))  # the reader drags the slider
    assert page.locator(".mk-date").inner_text() == f"Figures as of {dates[index]}"
    assert panel_value(page, "cleared_area") == "200,321 ha"
    assert panel_value(page, "items_found") == "196,056"
    series = page.locator('.mk-series[data-metric], svg.mk-chart[data-metric="cleared_area"]')
    assert series.count() >= 1
    assert page.locator('svg.mk-chart[data-metric="cleared_area"] circle').count() >= 3
    # the 2025 yearly figures were not published by 2025-06-01
    assert "in 2025" not in hover(page, *point_inside("AZ-LAC"))
    assert offline_page.errors == []


def test_the_panel_charts_the_national_series(atlas_dir: Path, offline_page: OfflinePage) -> None:
    page = offline_page.open(atlas_dir / "index.html")
    chart = page.locator('.mk-series:has(svg[data-metric="cleared_area"])').inner_text()
    assert "200,321 (2025-05-19)" not in chart  # the range names the first and the last figure
    assert "242,700 (2025-12-09)" in chart
    items = page.locator('.mk-series:has(svg[data-metric="items_found"])').inner_text()
    assert "232,522 (2025-12-09)" in items


def test_agency_reports_layer_shows_where_work_is_reported(
    atlas_dir: Path, offline_page: OfflinePage
) -> None:
    page = offline_page.open(atlas_dir / "index.html")
    page.locator(".leaflet-control-layers").hover()
    page.get_by_text("Districts named as worked in agency reports").click()
    page.mouse.move(5, 400)
    assert page.evaluate("window.mapkit.map.hasLayer(window.mapkit.worked)")
    green = page.evaluate(
        "() => [...document.querySelectorAll('path.mapkit-worked')]"
        ".filter(p => p.getAttribute('fill') === '#5aae61').length"
    )
    assert green >= 10
    text = hover(page, *point_inside("AZ-KAL"))
    assert "Named as worked in" in text and "agency reports" in text
    panel = page.locator(".mk-panel").inner_text()
    assert "Aghdara" in panel and "not a current district" in panel


def test_only_the_users_figures_no_agency_reports_and_no_empty_heading(
    tmp_path: Path, offline_page: OfflinePage
) -> None:
    mine = tmp_path / "mine.csv"
    mine.write_text(
        "area,metric,value,unit,as_of,source\n"
        "Aghdam,cleared_area,37154,ha,2025-05-20,Azernews\n"
        "Fuzuli,cleared_area,12000,ha,2025-05-20,My notes\n",
        encoding="utf-8",
    )
    out = tmp_path / "atlas"
    subprocess.run([sys.executable, "-m", "mapkit", "build", "--only", "--figures", str(mine),
                    "--out", str(out)], check=True, capture_output=True)  # fmt: skip
    page = offline_page.open(out / "index.html")
    page.locator(".leaflet-control-layers").hover()
    layers = page.locator(".leaflet-control-layers").inner_text()
    assert "Districts: latest published figures" in layers
    assert "agency reports" not in layers  # the embedded reports are not the user's figures
    panel = page.locator(".mk-panel").inner_text()
    assert "key figures" not in panel  # no national figure: no heading over nothing
    assert "Named in reports" not in panel and page.evaluate("window.mapkit.worked") is None
    assert "Cleared area, total (2 districts)" in panel
    assert offline_page.errors == []


def test_corridors_are_styled_by_status_with_legend_and_tooltips(
    atlas_dir: Path, offline_page: OfflinePage
) -> None:
    page = offline_page.open(atlas_dir / "index.html")
    lines = mapkit.load_corridors()
    styles = page.evaluate(
        """() => [...document.querySelectorAll('path.mapkit-corridor')].map(p =>
               [p.getAttribute('stroke-dasharray'), p.getAttribute('stroke')])"""
    )
    assert len(styles) == len(lines)
    dashes = {"existing": None, "under construction": "10 6", "planned": "2 6"}
    for (dash, _), status in zip(styles, lines.status, strict=True):
        assert dash == dashes[status]
    legend = page.locator(".mk-legend").inner_text()
    for word in ("existing", "under construction", "planned", "rail", "road", "ferry"):
        assert word in legend
    page.get_by_role("button", name="Zangazur corridor").click()
    page.wait_for_timeout(400)
    railway = lines[lines.segment.str.contains("Horadiz") & (lines["mode"] == "rail")].iloc[0]
    first, second = list(railway.geometry.coords)[:2]  # between two stations, not on one
    point = LineString([first, second]).interpolate(0.5, normalized=True)
    text = hover(page, point.y, point.x)
    assert railway.segment in text
    assert f"Status: {railway.status} (reported {railway.status_date})" in text
    assert "km (geodesic)" in text and "Source:" in text
    panel = page.locator(".mk-panel").inner_text()
    assert "Zangazur corridor — districts crossed" in panel and "Jabrayil" in panel


@pytest.mark.parametrize(
    ("date", "cleared", "items"),
    [("2025-06-01", "200,321 ha", "196,056"), ("2025-12-31", "2,427 km²", "232,522")],
)
def test_as_of_builds_differ_exactly_as_the_dataset_says(
    tmp_path: Path, offline_page: OfflinePage, date: str, cleared: str, items: str
) -> None:
    out = mapkit.build(tmp_path / date, mapkit.Inputs(as_of=date))
    layer = json.loads((out / "layers" / "districts.geojson").read_text(encoding="utf-8"))
    lachin = next(f["properties"] for f in layer["features"] if f["properties"]["iso"] == "AZ-LAC")
    expected = mapkit.load_figures(as_of=date)
    yearly = expected[(expected.iso == "AZ-LAC") & (expected.series == "cleared_area_2025")]
    assert lachin.get("cleared_area_2025_ha") == (yearly.value.iloc[-1] if len(yearly) else None)
    page = offline_page.open(out / "index.html")
    assert page.evaluate("window.mapkit.state.date") <= date
    assert panel_value(page, "cleared_area") == cleared
    assert panel_value(page, "items_found") == items
