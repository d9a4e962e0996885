"""The atlas at four screen sizes, as a reader sees it: framed, readable, usable by keyboard and
touch, and printable. Each size opens in headless Chromium with the network cut."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, OfflinePage
from test_atlas_browser import point_inside

pytestmark = pytest.mark.browser

SCREENS = {
    "desktop": (1400, 900, False),
    "laptop": (1024, 768, False),
    "notebook": (820, 492, False),
    "phone": (390, 844, True),
}
PHONE_SCREENSHOT = REPO / "tests" / "screenshots" / "atlas-phone.png"


@pytest.fixture(params=list(SCREENS))
def screen(request: pytest.FixtureRequest, browser: object, atlas_dir: Path) -> Iterator[object]:
    width, height, touch = SCREENS[request.param]
    opened = OfflinePage(browser, width, height, touch)
    page = opened.open(atlas_dir / "index.html")
    page.screen = request.param
    page.touch = touch
    page.opened = opened
    yield page
    assert opened.errors == []  # no page error at any size, whatever the test did
    assert opened.blocked == []
    opened.close()


def open_panel(page: object) -> None:
    """Show the key figures panel if it starts collapsed (narrow and short screens)."""
    toggle = page.locator(".mk-panel .mk-toggle")
    if toggle.get_attribute("aria-expanded") == "false":
        toggle.click()


COVERED = """() => {
    const m = window.mapkit.map, box = m.getContainer().getBoundingClientRect();
    let covered = 0;
    for (const d of window.mapkit.data.labels) {
        const p = m.latLngToContainerPoint([d.lat, d.lon]);
        const e = document.elementFromPoint(box.left + p.x, box.top + p.y);
        if (!e || !e.closest('.leaflet-container') || e.closest('.leaflet-control')) covered++;
    }
    return covered / window.mapkit.data.labels.length;
}"""


def test_the_map_is_framed_on_azerbaijan_and_controls_hide_few_districts(
    screen: object, tmp_path: Path
) -> None:
    framed = screen.evaluate(
        """() => {
            const m = window.mapkit.map;
            const az = L.latLngBounds(window.mapkit.data.views[0].bounds);
            return [m.getZoom(), m.getBounds().contains(az), m.getSize().x, m.getSize().y];
        }"""
    )
    zoom, inside, width, height = framed
    assert 3 <= zoom <= 10 and inside, framed
    assert screen.evaluate(COVERED) <= 0.05
    collapsed = screen.locator(".mk-collapsed").count()
    assert collapsed == (2 if width < 900 or height < 560 else 0)
    update = screen.screen == "phone" and os.environ.get("MAPKIT_UPDATE_SCREENSHOT")
    shot = PHONE_SCREENSHOT if update else tmp_path / f"atlas-{screen.screen}.png"
    screen.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000


def test_the_aghdam_tooltip_is_whole_on_screen(screen: object) -> None:
    lat, lon = point_inside("AZ-AGM")
    x, y = screen.evaluate(
        """([lat, lon]) => {
            const m = window.mapkit.map, p = m.latLngToContainerPoint([lat, lon]);
            const box = m.getContainer().getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        [lat, lon],
    )
    if screen.touch:
        screen.touchscreen.tap(x, y)  # a tap opens what a hover opens
    else:
        screen.mouse.move(x - 3, y - 3)
        screen.mouse.move(x, y, steps=4)
    tip = screen.locator(".leaflet-tooltip").last
    tip.wait_for(state="visible", timeout=5000)
    assert "Aghdam" in tip.inner_text() and "37,154 ha" in tip.inner_text()
    box = tip.bounding_box()
    view = screen.viewport_size
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= view["width"] and box["y"] + box["height"] <= view["height"]
    assert box["width"] >= 180  # a readable width, not a 100 px column


def test_the_slider_drags_through_every_date_and_keeps_focus(screen: object) -> None:
    open_panel(screen)
    screen.evaluate(
        """() => { window.seen = new Set();
                   document.querySelector('.mk-slider').addEventListener('input',
                       () => window.seen.add(window.mapkit.state.date)); }"""
    )
    slider = screen.locator(".mk-slider")
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    screen.mouse.move(box["x"] + box["width"] - 2, y)
    screen.mouse.down()
    screen.mouse.move(box["x"] + 1, y, steps=int(box["width"]))
    screen.mouse.move(box["x"] + box["width"] - 1, y, steps=int(box["width"]))
    screen.mouse.up()
    dates = screen.evaluate("window.mapkit.data.dates")
    assert screen.evaluate("[...window.seen].sort()") == dates
    assert screen.evaluate("document.activeElement.className") == "mk-slider"
    screen.keyboard.press("ArrowLeft")
    assert screen.evaluate("window.mapkit.state.date") == dates[-2]
    assert screen.evaluate("document.activeElement.className") == "mk-slider"
    assert screen.locator(".mk-date").inner_text() == f"Figures as of {dates[-2]}"


def test_print_shows_the_map_then_title_date_legend_and_sources(screen: object) -> None:
    screen.emulate_media(media="print")
    visible = screen.evaluate(
        """() => [...document.querySelectorAll('.leaflet-control, .mk-toggle, .mk-slider')]
                 .filter(e => e.getClientRects().length > 0).length"""
    )
    assert visible == 0
    sheet = screen.locator(".mk-print")
    # the page draws the sheet on the media change, which the browser reports a moment later
    # (a real print's "beforeprint" comes before the page is laid out)
    sheet.wait_for(state="visible", timeout=5000)
    text = sheet.inner_text()
    assert "Landmine contamination" in text and "Figures as of 2025-12-31" in text
    assert "No data" in text and "2,427 km²" in text and "Sources" in text
    map_box = screen.locator(".folium-map").bounding_box()
    assert map_box["y"] + map_box["height"] <= sheet.bounding_box()["y"] + 1  # below, not over


def test_keyboard_reaches_the_controls_first_and_the_district_list_opens_a_district(
    screen: object,
) -> None:
    if screen.touch:
        pytest.skip("a phone has no Tab key")
    assert screen.evaluate("document.querySelectorAll('path[tabindex=\"0\"]').length") == 0
    open_panel(screen)
    screen.locator("body").focus()
    reached = []
    for _ in range(20):  # the map, zoom, views, languages, layers, then the panel's controls
        screen.keyboard.press("Tab")
        reached.append(screen.evaluate("document.activeElement.className"))
    for control in ("mk-slider", "mk-series-select", "mk-view-select", "mk-search-input"):
        assert control in reached, reached
    search = screen.locator(".mk-search-input")
    search.focus()
    search.fill("Agdam")
    screen.keyboard.press("Enter")
    tip = screen.locator(".leaflet-tooltip").last
    tip.wait_for(state="visible", timeout=5000)
    assert "Aghdam" in tip.inner_text()
    assert screen.evaluate("document.activeElement.className") == "mk-search-input"
    for control in (".mk-slider", ".mk-series-select", ".mk-view-select", ".mk-search-input"):
        assert screen.locator(control).get_attribute("aria-label")
