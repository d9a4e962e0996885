"""The atlas in Azerbaijani, English and Russian, and the ways to find and share what it shows:
the district search, the view kept in the URL hash, the table and its CSV. Each test opens the
page in headless Chromium with the network cut, at desktop and at phone size."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, OfflinePage
from test_atlas_browser import hover, point_inside

import mapkit
from mapkit.build import Inputs
from mapkit.data import read_table
from mapkit.i18n import format_number

pytestmark = pytest.mark.browser

SCREENS = {"desktop": (1400, 900, False), "phone": (390, 844, True)}
AGHDAM = {"en": "Aghdam", "az": "Ağdam", "ru": "Агдам"}
README_SHOTS = {("az", "desktop"), ("ru", "phone")}


@pytest.fixture(scope="session")
def atlases(atlas_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The atlas built with ``--lang`` az and ru (and the English one of conftest)."""
    root = tmp_path_factory.mktemp("languages")
    built = {lang: mapkit.build(root / lang, Inputs(language=lang)) for lang in ("az", "ru")}
    return {"en": atlas_dir, **built}


@pytest.fixture(params=list(SCREENS))
def screen(request: pytest.FixtureRequest, browser: object) -> Iterator[OfflinePage]:
    width, height, touch = SCREENS[request.param]
    opened = OfflinePage(browser, width, height, touch)
    opened.touch = touch
    opened.screen = request.param
    yield opened
    assert opened.errors == []
    assert opened.blocked == []
    opened.close()


def type_in(page: object, text: str) -> None:
    """Type ``text`` into the district search as a reader does (the panel opened if folded)."""
    toggle = page.locator(".mk-panel .mk-toggle")
    if toggle.get_attribute("aria-expanded") == "false":
        toggle.click()
    page.locator(".mk-search-input").fill(text)
    page.locator(".mk-search-input").press("Enter")


def search(page: object, text: str) -> str:
    """Look a district up with the search box; the tooltip it opens."""
    type_in(page, text)
    tip = page.locator(".leaflet-tooltip").last
    tip.wait_for(state="visible", timeout=5000)
    return tip.inner_text()


def english_words() -> set[str]:
    """Words of the English page (phrases, metric and unit names) that no az or ru phrase
    uses too: ``area_km2``, ``mapkit validate`` or ``OpenStreetMap`` are the same in all three."""
    words, metrics = read_table("words.csv"), read_table("metrics.csv")

    def tokens(texts: object) -> set[str]:
        return {w.lower() for t in texts for w in re.findall(r"[A-Za-z]{3,}", str(t))}

    english = tokens(words.en) | tokens(metrics.label)
    return english - tokens(words.az) - tokens(words.ru) - tokens(metrics.name_az)


def data_strings(page: object) -> list[str]:
    """Text the page shows as it came from the data: sources, names as written, notes."""
    return page.evaluate(
        """() => {
            const d = window.mapkit.data, out = [];
            d.figures.forEach(f => out.push(f.source, f.source_short, f.area_name, f.scope || ''));
            d.worked.forEach(w => out.push(w.name_as_written, w.source_short));
            window.mapkit.layers.districts.eachLayer(l => out.push(l.feature.properties.name_en));
            return out.filter(Boolean).sort((a, b) => b.length - a.length);
        }"""
    )


UI_TEXT = """() => {
    const own = e => e.closest('[lang]') === document.documentElement;
    const parts = [document.body.innerText, document.title];
    document.querySelectorAll('[aria-label], [placeholder], [title], option').forEach(e => {
        if (!own(e)) return;
        ['aria-label', 'placeholder', 'title'].forEach(a => parts.push(e.getAttribute(a) || ''));
        if (e.tagName === 'OPTION') parts.push(e.textContent);
    });
    const layers = document.querySelectorAll('.leaflet-control-layers-list');
    layers.forEach(e => parts.push(e.textContent));
    return parts.join('\\n');
}"""


def open_everything(page: object) -> None:
    """Aghdam's figures shown, panel and legend open, the table open: all the page can say."""
    search(page, "Ağdam")
    folded = page.locator(".mk-toggle[aria-expanded=false]")
    while folded.count():
        folded.first.click()
    page.locator(".mk-table-open").click()
    page.locator(".mk-table").wait_for(state="visible")


@pytest.mark.parametrize("lang", ["en", "az", "ru"])
def test_each_language_is_the_page_language_with_district_names_in_it(
    atlases: dict[str, Path], screen: OfflinePage, lang: str, tmp_path: Path
) -> None:
    page = screen.open(atlases[lang] / "index.html")
    assert page.evaluate("document.documentElement.lang") == lang
    title = read_table("words.csv").set_index("key").loc["title", lang]
    assert page.title() == title
    shot = tmp_path / f"atlas-{lang}-{screen.screen}.png"
    if os.environ.get("MAPKIT_UPDATE_SCREENSHOT") and (lang, screen.screen) in README_SHOTS:
        shot = REPO / "tests" / "screenshots" / f"atlas-{lang}.png"  # the README's pictures
    if screen.touch:  # as the page opens: a phone's tooltip of Aghdam fills the screen
        page.screenshot(path=str(shot))
    # a phone has no mouse to hover with: the reader looks the district up
    tip = search(page, "Aghdam") if screen.touch else hover(page, *point_inside("AZ-AGM"))
    assert tip.startswith(AGHDAM[lang]), tip
    assert "Ağdam" in tip
    if not screen.touch:
        page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000


@pytest.mark.parametrize("lang", ["az", "ru"])
def test_no_english_word_is_left_in_the_azerbaijani_and_russian_pages(
    atlases: dict[str, Path], screen: OfflinePage, lang: str
) -> None:
    page = screen.open(atlases[lang] / "index.html")
    open_everything(page)
    text = page.evaluate(UI_TEXT)
    for quoted in data_strings(page):
        text = text.replace(quoted, " ")
    left = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)} & english_words()
    assert not left, f"English words on the {lang} page: {sorted(left)}"
    # the check is not empty: the English page says these words
    english = screen.open(atlases["en"] / "index.html")
    open_everything(english)
    said = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", english.evaluate(UI_TEXT))}
    assert len(said & english_words()) > 40


@pytest.mark.parametrize("lang", ["en", "az", "ru"])
def test_numbers_are_written_as_babel_writes_them(
    atlases: dict[str, Path], offline_page: OfflinePage, lang: str
) -> None:
    page = offline_page.open(atlases[lang] / "index.html")
    series = page.evaluate("window.mapkit.data.series[window.mapkit.state.series]")
    rows = page.locator(".mk-legend-data .mk-legend-row").all_inner_texts()
    lower, expected = series["min"], []
    for upper in series["bins"]:
        if lower == upper:
            expected.append(format_number(upper, lang, 2))
        else:
            expected.append(f"{format_number(lower, lang, 2)} – {format_number(upper, lang, 2)}")
        lower = upper
    assert [r.strip() for r in rows[: len(expected)]] == expected
    assert format_number(37154, lang) in page.locator(".mk-legend").inner_text()  # Aghdam


def test_the_language_switch_relabels_the_page_without_reloading(
    atlases: dict[str, Path], screen: OfflinePage
) -> None:
    page = screen.open(atlases["en"] / "index.html")
    page.evaluate("window.notReloaded = true")
    for lang, head in (("az", "Şərti işarələr"), ("ru", "Легенда"), ("en", "Legend")):
        page.locator(f".mk-lang[lang={lang}]").click()
        assert page.evaluate("document.documentElement.lang") == lang
        assert page.locator(".mk-legend .mk-title").inner_text() == head
        assert page.locator(f".mk-lang[lang={lang}]").get_attribute("aria-pressed") == "true"
        assert f"lang={lang}" in page.evaluate("location.hash")
    assert page.evaluate("window.notReloaded") is True


@pytest.mark.parametrize("lang", ["az", "ru"])
def test_a_finding_is_said_in_the_page_language_with_both_figures(
    atlases: dict[str, Path], screen: OfflinePage, lang: str
) -> None:
    """Aghdam's items found: Trend says 31,500 and Azernews 31,105 for 2025-05-20 (a conflict
    of mapkit validate); the az and ru pages say so in their language, with both figures."""
    page = screen.open(atlases[lang] / "index.html")
    tip = search(page, "Ağdam")
    says = read_table("words.csv").set_index("key").loc["finding_says.conflict", lang]
    assert says in tip
    both = [format_number(v, lang) for v in (31500, 31105)]
    assert all(n in tip for n in both), tip
    assert "sources disagree" not in tip  # the English sentence of mapkit validate


@pytest.mark.parametrize("spelling", ["Ağdam", "Agdam", "Агдам", "Aghdam"])
def test_the_search_finds_aghdam_from_any_spelling(
    atlas_dir: Path, screen: OfflinePage, spelling: str
) -> None:
    page = screen.open(atlas_dir / "index.html")
    tip = search(page, spelling)
    assert tip.startswith("Aghdam (Ağdam)") and "37,154" in tip
    assert "district=AZ-AGM" in page.evaluate("location.hash")
    inside = page.evaluate(
        """() => window.mapkit.map.getBounds().contains(
                 window.mapkit.layers.districts.getLayers()
                 .find(l => l.feature.properties.iso === 'AZ-AGM').getBounds().getCenter())"""
    )
    assert inside
    type_in(page, "Atlantis")
    assert "Atlantis" in page.locator(".mk-search-note").inner_text()


def test_a_link_to_fuzuli_cleared_area_2023_opens_exactly_that(
    atlases: dict[str, Path], screen: OfflinePage
) -> None:
    url = (atlases["ru"] / "index.html").as_uri()
    link = "#lang=az&series=cleared_area_2023&date=2023-12-31&district=AZ-FUZ"
    screen.page.goto(url + link)
    page = screen.page
    page.wait_for_function("window.mapkit !== undefined")
    state = page.evaluate("[window.mapkit.state.series, window.mapkit.state.date]")
    assert state == ["cleared_area_2023", "2023-12-31"]
    assert page.evaluate("document.documentElement.lang") == "az"
    tip = page.locator(".leaflet-tooltip").last
    tip.wait_for(state="visible", timeout=5000)
    assert tip.inner_text().startswith("Füzuli") and "2023" in tip.inner_text()
    # a reader's own choices survive a reload: metric, date, zoom and language
    page.locator(".mk-lang[lang=en]").click()
    page.evaluate("window.mapkit.setSeries('items_found')")
    page.evaluate("window.mapkit.setDate('2025-06-01')")
    page.evaluate("window.mapkit.map.setView([39.9, 46.9], 9, {animate: false})")
    kept = page.evaluate("location.hash")
    page.reload()
    page.wait_for_function("window.mapkit !== undefined")
    assert page.evaluate("location.hash") == kept
    view = page.evaluate(
        """() => [window.mapkit.state.series, window.mapkit.state.date,
                  document.documentElement.lang, window.mapkit.map.getZoom(),
                  window.mapkit.map.getCenter().lat.toFixed(2)]"""
    )
    date = max(d for d in page.evaluate("window.mapkit.data.dates") if d <= "2025-06-01")
    assert view == ["items_found", date, "en", 9, "39.90"]


def test_the_table_sorts_by_keyboard_and_its_csv_equals_the_cli(
    atlas_dir: Path, screen: OfflinePage
) -> None:
    page = screen.open(atlas_dir / "index.html")
    page.locator(".mk-table-open").click()
    table = page.locator(".mk-table")
    coloured = page.evaluate(
        """() => window.mapkit.layers.districts.getLayers()
                 .filter(l => l.options.fillColor !== 'url(#mk-nodata)').length"""
    )
    assert table.locator("tbody tr").count() == coloured
    values = table.locator("tbody td.mk-value").all_inner_texts()
    numbers = [float(re.search(r"[\d,.]+", v).group().replace(",", "")) for v in values]
    assert numbers == sorted(numbers, reverse=True)  # largest first
    sort = page.locator(".mk-sort[data-column=district]")
    sort.focus()
    page.keyboard.press("Enter")
    names = table.locator("tbody th").all_inner_texts()
    assert names == sorted(names)
    assert page.locator("th:has(.mk-sort[data-column=district])").get_attribute("aria-sort") == (
        "ascending"
    )
    assert page.evaluate("document.activeElement.dataset.column") == "district"

    metric = page.evaluate("window.mapkit.data.series[window.mapkit.state.series].metric")
    link = page.locator(".mk-csv")
    page.wait_for_function("document.querySelector('.mk-csv').href.startsWith('blob:')")
    with page.expect_download() as download:
        link.click()
    got = Path(download.value.path()).read_text(encoding="utf-8")
    cli = subprocess.run(
        [sys.executable, "-m", "mapkit", "figures", "--format", "csv"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    header, *rows = list(csv.reader(io.StringIO(cli)))
    wanted = [header] + [r for r in rows if r[header.index("metric")] == metric]
    assert list(csv.reader(io.StringIO(got))) == wanted
    assert len(wanted) > 10
    page.keyboard.press("Escape")
    assert page.locator(".mk-table-dialog").is_hidden()


def test_a_page_of_many_figures_holds_the_latest_and_links_the_csv_to_the_layers_file(
    tmp_path: Path, offline_page: OfflinePage, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mapkit.page
    import mapkit.payload

    monkeypatch.setattr(mapkit.page, "CSV_FIGURES", 40)  # as a million figures would be
    monkeypatch.setattr(mapkit.payload, "PAGE_FIGURES", 60)
    out = mapkit.build(tmp_path / "atlas")
    page = offline_page.open(out / "index.html")
    # the latest figures only: no time control to drag, the date said
    assert page.locator(".mk-slider").is_hidden()
    assert page.evaluate("window.mapkit.data.dates").pop() in page.locator(".mk-date").inner_text()
    carried = page.evaluate("Object.keys(window.mapkit.data.csv)")
    metric = page.evaluate("window.mapkit.data.series[window.mapkit.state.series].metric")
    assert metric not in carried
    page.locator(".mk-table-open").click()
    link = page.locator(".mk-csv")
    assert link.is_visible()
    assert "layers/figures.csv" in link.inner_text()
    href = link.get_attribute("href")
    assert href == "layers/figures.csv"
    written = list(csv.DictReader(io.StringIO((out / href).read_text(encoding="utf-8"))))
    assert sum(r["metric"] == metric for r in written) > 40


def test_a_link_with_words_the_page_does_not_know_opens_the_page_as_built(
    atlas_dir: Path, offline_page: OfflinePage
) -> None:
    link = "#lang=__proto__&series=constructor&date=<b>&view=share&district=toString&zoom=x"
    offline_page.page.goto((atlas_dir / "index.html").as_uri() + link)
    page = offline_page.page
    page.wait_for_function("window.mapkit !== undefined")
    state = page.evaluate("[window.mapkit.state.lang, window.mapkit.state.series]")
    assert state == ["en", page.evaluate("window.mapkit.data.default_series")]
    assert page.locator(".mk-legend .mk-title").inner_text() == "Legend"
    assert offline_page.errors == []
