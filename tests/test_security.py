"""Nothing injected: hostile text in a user's figures file is shown as text, never run.

A figures CSV carries script, markup and template payloads in every free-text column a user
controls (``source``, ``publisher``, ``published``, ``title``, ``id``, ``note``, ``scope``,
``url``). The atlas built from it is opened in headless Chromium with the network cut; the
payloads must appear literally, nothing may run, no element may come from the data, and the
``javascript:`` URL must not become a link. The figures reader is also fuzzed with hypothesis.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import subprocess
import sys
import warnings
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from conftest import OfflinePage
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from test_atlas_browser import hover, point_inside

import mapkit
from mapkit.errors import FiguresRejected, MapkitError

PAYLOADS = (
    '<img src=x onerror="window.__pwned=1">',
    "</script><script>window.__pwned=2</script>",
    "${window.__pwned=3}",
    '"><svg onload=window.__pwned=4>',
    "{{7*7}}",
    "<b>bold</b>",
)
BAD_URLS = (
    "javascript:alert(1)",
    "JavaScript:window.__pwned=5",
    "data:text/html,<script>window.__pwned=6</script>",
    "vbscript:msgbox(1)",
    "javascript:alert(1)",
    "javascript:alert(1)",
)
METRICS = (  # one metric (and unit) per payload, so that every payload has its own row
    ("cleared_area", "ha"),
    ("items_found", "count"),
    ("contaminated_area", "km2"),
    ("mines", "count"),
    ("uxo", "count"),
    ("killed", "count"),
)
SCHEME = re.compile(r"^\s*([a-z][a-z0-9+.-]*)\s*:", re.IGNORECASE)
COLUMNS = [
    "id", "area", "metric", "value", "unit", "qualifier", "kind", "scope", "period_start",
    "as_of", "source", "publisher", "title", "published", "url", "note",
]  # fmt: skip


def hostile_rows() -> list[dict[str, str]]:
    rows = []
    cases = zip(PAYLOADS, BAD_URLS, METRICS, strict=True)
    for i, (payload, url, (metric, unit)) in enumerate(cases):
        common = {
            "metric": metric, "unit": unit, "qualifier": "", "kind": "", "period_start": "",
            "source": payload, "publisher": payload, "title": payload, "published": "",
            "url": url, "note": payload,
        }  # fmt: skip
        rows += [
            # the national panel (with a chart for the cumulative series) ...
            {**common, "id": f"{payload}/az", "area": "AZ", "value": str(100 + i),
             "as_of": "2025-03-01", "scope": ""},
            {**common, "id": f"{payload}/az-early", "area": "AZ", "value": str(50 + i),
             "as_of": "2024-03-01", "scope": "", "published": payload},
            # ... the district tooltip: a series row, and a row about part of the district only
            {**common, "id": f"{payload}/agm", "area": "Aghdam", "value": str(10 + i),
             "as_of": "2025-03-01", "scope": ""},
            {**common, "id": f"{payload}/agm-part", "area": "Ağdam", "value": str(1 + i),
             "as_of": "2025-02-01", "scope": payload},
        ]  # fmt: skip
    # a yearly flow, shown in the panel's "latest reports"
    rows.append({**rows[0], "id": "flow", "kind": "flow", "period_start": "2025-01",
                 "as_of": "2025-01", "value": "7", "publisher": PAYLOADS[2]})  # fmt: skip
    return rows


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str] = COLUMNS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def hostile_atlas(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    figures = write_csv(folder / "hostile.csv", hostile_rows())
    out = folder / "atlas"
    result = subprocess.run(
        [sys.executable, "-m", "mapkit", "build", "--out", str(out), "--only",
         "--figures", str(figures)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out


def test_the_page_source_cannot_be_broken_out_of(hostile_atlas: Path) -> None:
    html = (hostile_atlas / "index.html").read_text(encoding="utf-8")
    assert "</script><script>window.__pwned" not in html
    assert "<img src=x" not in html and "<svg onload" not in html
    lowered = html.lower()
    assert "<script src=" not in lowered and "@import" not in lowered
    assert 'rel="stylesheet" href="http' not in lowered and "url(http" not in lowered
    assert "<link" not in lowered or 'href="http' not in lowered


def test_nothing_is_lost_from_the_hostile_text(hostile_atlas: Path) -> None:
    table = pd.read_csv(hostile_atlas / "layers" / "figures.csv", dtype=str, keep_default_na=False)
    for payload in PAYLOADS:
        assert (table.source == payload).sum() >= 4
        assert payload in set(table.note) and payload in set(table.title)
        assert payload in set(table.scope)
    assert set(BAD_URLS) <= set(table.url)


@pytest.mark.browser
def test_hostile_text_is_shown_as_text_and_never_run(
    hostile_atlas: Path, offline_page: OfflinePage
) -> None:
    page = offline_page.open(hostile_atlas / "index.html")
    if page.locator(".mk-panel.mk-collapsed").count():
        page.locator(".mk-panel .mk-toggle").click()
    panel = page.locator(".mk-panel").inner_text()
    tooltip = hover(page, *point_inside("AZ-AGM"))
    page.wait_for_timeout(200)

    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert offline_page.errors == [], offline_page.errors  # no dialog, no script error
    for payload in PAYLOADS:
        assert payload in panel, payload
        assert payload in tooltip, payload
    assert "Ağdam" in tooltip or "Aghdam" in tooltip
    titles = page.evaluate(
        "() => [...document.querySelectorAll('.mk-panel .mk-source')].map(s => s.title)"
    )
    assert set(PAYLOADS) <= set(titles)
    dom = page.evaluate(
        """() => ({
            handlers: document.querySelectorAll('[onerror],[onload],[onclick],[onmouseover]')
                .length,
            imgs: [...document.querySelectorAll('img')].map(i => i.getAttribute('src')),
            bold: [...document.querySelectorAll('b')].filter(b => b.textContent === 'bold').length,
            scripts: [...document.querySelectorAll('script')]
                .filter(s => s.textContent.includes('__pwned')
                             && !s.textContent.includes('mapkitAtlas('))
                .length,
            links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
        })"""
    )
    assert dom["handlers"] == 0
    assert "x" not in dom["imgs"]
    assert dom["bold"] == 0
    assert dom["scripts"] == 0
    schemes = {m.group(1).lower() for h in dom["links"] if (m := SCHEME.match(h))}
    assert schemes <= {"http", "https"}, dom["links"]  # javascript:, data:, vbscript: are no links
    svgs = page.evaluate(
        "() => [...document.querySelectorAll('svg')].filter(s => s.closest('.mk-tooltip')).length"
    )
    assert svgs == 0


@pytest.mark.browser
def test_the_offline_atlas_requests_no_script_style_or_font(
    hostile_atlas: Path, atlas_dir: Path, offline_page: OfflinePage
) -> None:
    for html in (atlas_dir / "index.html", hostile_atlas / "index.html"):
        page = offline_page.open(html)
        hover(page, *point_inside("AZ-AGM"))
        page.locator(".mk-view").first.click()
        page.wait_for_timeout(300)
    kinds = Counter(kind for kind, _ in offline_page.blocked)
    assert kinds["script"] == 0, offline_page.blocked
    assert kinds["stylesheet"] == 0, offline_page.blocked
    assert kinds["font"] == 0, offline_page.blocked
    assert offline_page.blocked == []  # nor images, nor anything else
    assert offline_page.errors == []


TEMPLATE_PAYLOADS = (
    "{{lipsum.__globals__.os.mkdir(dict(PWNED=1)|first)}}",  # runs Python if ever rendered
    "{% for x in range(3) %}x{% endfor %}",
    "{# a comment #}",
    "{{ 7*7 }}",
    "{%",
)


def test_template_syntax_in_figures_is_never_evaluated(tmp_path: Path) -> None:
    """Figures reach the page through folium's Jinja templates: their text must stay text."""
    rows = [{**hostile_rows()[0], "id": f"t{i}", "source": p, "publisher": p, "scope": "",
             "url": "https://example.org/{{7*7}}"}
            for i, p in enumerate(TEMPLATE_PAYLOADS)]  # fmt: skip
    figures = write_csv(tmp_path / "templates.csv", rows)
    result = subprocess.run(
        [sys.executable, "-m", "mapkit", "build", "--out", "atlas", "--only",
         "--figures", str(figures)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )  # fmt: skip
    assert not (tmp_path / "PWNED").exists(), "a figure's text ran Python code at build time"
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    html = (tmp_path / "atlas" / "index.html").read_text(encoding="utf-8")
    for kept in ("mkdir(dict(PWNED=1)|first)", "for x in range(3)", "a comment", " 7*7 "):
        assert kept in html, f"{kept!r} was evaluated or lost"


def test_a_hostile_qualifier_is_refused(tmp_path: Path) -> None:
    row = {**hostile_rows()[0], "qualifier": PAYLOADS[0]}
    path = write_csv(tmp_path / "q.csv", [row])
    with pytest.raises(FiguresRejected, match="unknown qualifier"):
        mapkit.read_figures(path)


# The figures reader, fuzzed ------------------------------------------------------------------

HEADER = ["area", "metric", "value", "unit", "as_of", "source"]
OPTIONAL = ["id", "qualifier", "kind", "scope", "period_start", "note", "url", "publisher"]
ROUND_TRIP = [
    "id", "area", "metric", "value", "unit", "qualifier", "kind", "scope", "period_start",
    "as_of", "source", "publisher", "title", "published", "author", "speaker", "url", "locator",
    "note",
]  # fmt: skip
KEPT = ["iso", "metric", "value", "unit", "qualifier", "kind", "scope", "series", "as_of",
        "source", "publisher", "note", "url", "value_std", "unit_std"]  # fmt: skip

GOOD_PLACES = ["Aghdam", "Ağdam", "Агдамский район", "Fizuli", "AZ-AGM", "AZ", "Azerbaijan",
               "Lachin", "Fuzuli + Jabrayil", "Agdara", " Shusha ", "Nakhchivan AR"]  # fmt: skip
BAD_PLACES = ["Atlantis", "Lankaran", "", "AZ-XXX", "Fuzuli + Azerbaijan"]
PAIRS = [("cleared_area", "ha"), ("cleared_area", "km²"), ("Cleared_Area", "hectares"),
         ("items_found", "count"), ("killed", "people"), ("contaminated_share", "%"),
         ("spending", "USD"), ("spending", "$")]  # fmt: skip
places = st.sampled_from(GOOD_PLACES + BAD_PLACES)
metric_names = st.sampled_from([m for m, _ in PAIRS] + ["cleared", ""])
unit_names = st.sampled_from([u for _, u in PAIRS] + ["acres", ""])
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(min_value=0, max_value=1e12).map(lambda v: f"{v:,.2f}"),
    st.integers(-10, 10**15).map(str),
    st.sampled_from(["1 234", "1\u00a0234", "1,5", "12,345,678", "-0", "1e400", "nan", "0x10",
                     "", "lots", "5 ha"]),
)  # fmt: skip
good_dates = st.one_of(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)).map(str),
    st.dates(min_value=dt.date(1990, 1, 1)).map(lambda d: f"{d.year:04d}-{d.month:02d}"),
    st.integers(1990, 2030).map(str),
)
dates = st.one_of(
    good_dates,
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["2025-02-30", "2025-13", "2025-00-10", "0000-01-01", "9999-12-31",
                     "2025/01/31", "31.01.2025", ""]),
)  # fmt: skip
free_text = st.text(
    st.characters(blacklist_categories=("Cs",)), max_size=30
)  # any text a source could be
sheet_text = st.text(  # what a spreadsheet cell can hold (no control characters)
    st.characters(blacklist_categories=("Cs", "Cc")), max_size=30
)
JUNK = st.one_of(free_text, numbers, dates, places, metric_names, unit_names)


@st.composite
def good_rows(draw: st.DrawFn, columns: list[str]) -> list[str]:
    """A row every reader should take: a known place, a metric with its unit, a sane value."""
    metric, unit = draw(st.sampled_from(PAIRS))
    top = 100 if unit == "%" else 1e12
    value = draw(st.one_of(
        st.floats(min_value=0, max_value=top).map(repr),
        st.integers(0, int(top)).map(str),
        st.integers(0, int(top)).map(lambda v: f"{v:,}"),
    ))  # fmt: skip
    cells = {"area": draw(st.sampled_from(GOOD_PLACES)), "metric": metric, "value": value,
             "unit": unit, "as_of": draw(good_dates),
             "source": draw(free_text) + " source",
             "qualifier": draw(st.sampled_from(["", "about", "More than", "at least"])),
             "kind": draw(st.sampled_from(["", "stock", "cumulative"])),
             "period_start": ""}  # fmt: skip
    return [cells[c] if c in cells else draw(free_text) for c in columns]


@st.composite
def csv_texts(draw: st.DrawFn) -> str:
    """CSV text: mostly a good file, sometimes with one cell, column or line spoiled."""
    columns = HEADER + draw(st.lists(st.sampled_from(OPTIONAL), unique=True, max_size=4))
    columns = draw(st.permutations(columns))
    rows = draw(st.lists(good_rows(columns), min_size=1, max_size=5))
    spoil = draw(st.sampled_from(["none", "none", "none", "cell", "column", "line"]))
    if spoil == "cell" and rows:
        row = draw(st.integers(0, len(rows) - 1))
        rows[row][draw(st.integers(0, len(columns) - 1))] = draw(JUNK)
    elif spoil == "column":
        columns[draw(st.integers(0, len(columns) - 1))] = draw(free_text)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(columns)
    writer.writerows(rows)
    text = out.getvalue()
    if spoil == "line":
        lines = text.splitlines(keepends=True)
        lines.insert(draw(st.integers(0, len(lines))), draw(free_text) + "\n")
        text = "".join(lines)
    return text


def _read(path: Path) -> pd.DataFrame | MapkitError:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            figures = mapkit.read_figures(path)
        except MapkitError as exc:
            event(f"refused: {type(exc).__name__}")
            return exc
    event(f"read {min(len(figures), 2)}+ figures")
    return figures


def _assert_one_line(exc: MapkitError, path: Path) -> None:
    lines = exc.lines() if isinstance(exc, FiguresRejected) else [exc.one_line()]
    for line in [str(exc), *lines]:
        assert "\n" not in line and "\r" not in line, line
        assert path.name in line, line


def _write_back(figures: pd.DataFrame, path: Path) -> Path:
    table = figures[ROUND_TRIP].copy()
    table["value"] = [repr(float(v)) for v in table.value]
    table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert len(a) == len(b)
    for column in KEPT:
        left, right = list(a[column]), list(b[column])
        if column in ("value", "value_std"):
            pairs = zip(left, right, strict=True)
            assert all(x == y or (math.isnan(x) and math.isnan(y)) for x, y in pairs), column
        else:
            assert left == right, column


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


FUZZ = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])  # fmt: skip


@FUZZ
@given(text=csv_texts())
@example(text="area,metric,value,unit,as_of,source\n\nAghdam,cleared_area,5,ha,2025,X\n")
def test_any_figures_csv_reads_or_fails_in_one_line(scratch: Path, text: str) -> None:
    path = scratch / "fuzz.csv"
    path.write_text(text, encoding="utf-8", newline="")
    result = _read(path)
    if isinstance(result, MapkitError):
        _assert_one_line(result, path)
        return
    assert result.value.map(math.isfinite).all() and (result.value >= 0).all()
    assert result.value_std.map(math.isfinite).all(), "a value too large for its unit"
    again = _read(_write_back(result, scratch / "again.csv"))
    assert not isinstance(again, MapkitError), again
    _same(result, again)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(data=st.binary(max_size=300))
@example(data=b"\xef\xbb\xbf")
@example(data="area,metric,value,unit,as_of,source\n".encode("utf-16"))
def test_any_bytes_read_or_fail_in_one_line(scratch: Path, data: bytes) -> None:
    path = scratch / "bytes.csv"
    path.write_bytes(data)
    result = _read(path)
    if isinstance(result, MapkitError):
        _assert_one_line(result, path)


@st.composite
def sheet_rows(draw: st.DrawFn) -> list[object]:
    """A row of typed spreadsheet cells (numbers, dates, text), sometimes with one junk cell."""
    metric, unit = draw(st.sampled_from(PAIRS))
    top = 100 if unit == "%" else 1e12
    row = [
        draw(st.sampled_from(GOOD_PLACES)),
        metric,
        draw(st.one_of(st.floats(0, top), st.integers(0, int(top)), st.integers(0, 100).map(str))),
        unit,
        draw(st.one_of(
            st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)),
            st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2030, 1, 1)),
            good_dates,
        )),
        draw(st.one_of(sheet_text.map(lambda t: t + " source"), st.integers())),
    ]  # fmt: skip
    if draw(st.integers(0, 3)) == 0:
        junk = st.one_of(sheet_text, st.floats(), st.integers(), st.dates(), st.none())
        row[draw(st.integers(0, len(row) - 1))] = draw(junk)
    return row


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(rows=st.lists(sheet_rows(), min_size=1, max_size=4))
def test_any_xlsx_reads_or_fails_in_one_line(scratch: Path, rows: list[list[object]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    path = scratch / "fuzz.xlsx"
    book.save(path)
    result = _read(path)
    if isinstance(result, MapkitError):
        _assert_one_line(result, path)
        return
    again = _read(_write_back(result, scratch / "again.csv"))
    assert not isinstance(again, MapkitError), again
    _same(result, again)
