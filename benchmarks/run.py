"""mapkit's performance, measured side by side with the tools people would use instead.

Run ``.venv/bin/python benchmarks/run.py`` (add ``--quick`` for fewer runs and smaller files). Every
comparison runs both sides in the same run, interleaved, and reports medians and their ratio:

1. **Build**: ``python -m mapkit build`` against ``python -c "import geopandas, folium"``.
2. **Weight**: the atlas's ``index.html`` (everything inlined) against ``GeoDataFrame.explore()`` of
   the same joined district layer, saved by folium (assets from CDNs).
3. **Opening**: time from navigation until every interactive path is in the page, in headless
   Chromium with the network blocked, the atlas against the ``explore()`` page with its assets
   inlined.
4. **Detail**: the geoBoundaries ADM2 file, and the same densified ten-fold, rendered with and
   without the coverage-preserving simplification: page size, opening time and the largest border
   displacement the simplification causes.
5. **Scale**: ``mapkit build --figures F`` against ``pandas.read_csv(F)`` on synthetic users'
   figures files of 100,000 to 3,000,000 rows: rows per second, peak memory and how both grow.

The tables are printed as Markdown and written to ``benchmarks/results.md`` with the machine they
ran on (a run of some sections, ``--only``, is printed, and written only to ``--out``).
Comparisons 2 and 3 need matplotlib (``explore()`` imports it; mapkit does not), and 3 and 4 need
Chromium and Playwright, as the browser tests do.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = Path(os.environ.get("MAPKIT_SHARED", REPO.parent / "shared"))
ADM2 = SHARED / "external" / "geoboundaries" / "geoBoundaries-AZE-ADM2.geojson"
sys.path.insert(0, str(HERE))
from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

SELECTOR = "path.leaflet-interactive"
DISTRICT = "path.mapkit-district.leaflet-interactive"
MB = 1_000_000

# Installed before any page script: from navigation on, on every animation frame, counts the paths
# of each target selector and notes performance.now() when the count reaches the expected number.
WATCH = """
(() => {
  if (window.top !== window) return;
  const targets = %s;
  window.__benchDrawn = {};
  const tick = () => {
    let waiting = false;
    for (const [name, [selector, need]] of Object.entries(targets)) {
      if (name in window.__benchDrawn) continue;
      if (document.querySelectorAll(selector).length >= need) {
        window.__benchDrawn[name] = performance.now();
      } else {
        waiting = true;
      }
    }
    if (waiting) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
"""


@dataclass
class Settings:
    """How much to measure: runs per comparison and the sizes of the synthetic files."""

    quick: bool
    build_runs: int
    open_runs: int
    scale_sizes: tuple[int, ...]
    scale_repeats: int
    scale_timeout: float
    work: Path


@dataclass
class Report:
    """The tables of one benchmark run, in Markdown."""

    summary: list[list[str]] = field(default_factory=list)
    sections: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def median(values: Sequence[float]) -> float:
    """The median of some timings."""
    return statistics.median(values)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def seconds(value: float) -> str:
    """A duration for a table."""
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def size(value: int) -> str:
    """A file size for a table."""
    return f"{value / 1000:.0f} kB" if value < MB else f"{value / MB:.2f} MB"


def verdict(ok: bool | None) -> str:
    """Whether a target is met."""
    return "n/a" if ok is None else ("yes" if ok else "**no**")


def machine() -> dict[str, str]:
    """Cores, CPU model, Python version and date of this run."""
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        nproc = str(os.cpu_count())
    return {
        "nproc": nproc.strip(),
        "cpu": model,
        "python": platform.python_version(),
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


#: Child processes may write bytecode, as on a user's machine (``pip install`` compiles too);
#: this sandbox sets PYTHONDONTWRITEBYTECODE, which would compile mapkit's modules on every run.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

STAGES = """
import json, time
start = time.perf_counter()
import geopandas, folium
imported = time.perf_counter()
import mapkit
from mapkit.build import Inputs
from mapkit.layers import frames
from mapkit.load import load_atlas
from mapkit.render import atlas
from mapkit.export import write_layers
steps = {"import geopandas, folium": imported - start}
mark = time.perf_counter()
steps["import mapkit (the rest)"] = mark - imported
def step(name, fn):
    global mark
    result = fn()
    now = time.perf_counter()
    steps[name] = now - mark
    mark = now
    return result
data = step("read figures and boundaries, join", lambda: load_atlas(Inputs()))
m = step("make the atlas", lambda: atlas(data))
step("write index.html", lambda: m.save(OUT + "/index.html"))
step("write the layers (GeoJSON, GeoPackage, shapefile, CSV)",
     lambda: write_layers(frames(data), data.figures, OUT + "/layers"))
from mapkit.staticmap import write_static_maps
step("import matplotlib, draw and write map.png and map.pdf (a build does this and the layers "
     "in forked processes while it makes the atlas)", lambda: write_static_maps(OUT, data))
print(json.dumps(steps))
"""


def run_timed(command: Sequence[str], cwd: Path) -> float:
    """Wall time of one command; raise if it fails."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=CHILD_ENV)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stderr[-2000:]}")
    return elapsed


# 1. Build ---------------------------------------------------------------------------------------


def bench_build(settings: Settings, report: Report) -> Path:
    """Time ``mapkit build`` against importing geopandas and folium; return the atlas built."""
    python = sys.executable
    baseline = [python, "-c", "import geopandas, folium"]
    atlas = settings.work / "atlas"

    def build(i: int) -> list[str]:
        return [python, "-m", "mapkit", "build", "--out", str(settings.work / f"build-{i}")]

    run_timed(build(0), settings.work)  # warm the bytecode and the page cache
    run_timed(baseline, settings.work)
    builds, imports = [], []
    for i in range(1, settings.build_runs + 1):
        builds.append(run_timed(build(i), settings.work))
        imports.append(run_timed(baseline, settings.work))
    (settings.work / f"build-{settings.build_runs}").rename(atlas)
    ratio = median(builds) / median(imports)
    report.summary.append(
        [
            '1. Build: `python -m mapkit build` / `python -c "import geopandas, folium"`',
            seconds(median(builds)),
            seconds(median(imports)),
            f"{ratio:.2f}",
            "≤ 1.5",
            verdict(ratio <= 1.5),
        ]
    )
    report.notes.append(
        f"Build: medians of {settings.build_runs} runs each, interleaved, after one warm-up run "
        "(which writes mapkit's bytecode, as `pip install` does: this machine sets "
        "PYTHONDONTWRITEBYTECODE, which the benchmark lifts for its child processes); "
        f"builds {', '.join(seconds(b) for b in builds)}; "
        f"imports {', '.join(seconds(b) for b in imports)}."
    )
    report.notes.append(import_profile(settings))
    report.notes.append(build_stages(settings))
    return atlas / "index.html"


def build_stages(settings: Settings) -> str:
    """Where the time of a build goes, step by step in one process (medians of 3 runs)."""
    out = settings.work / "stages"
    out.mkdir(exist_ok=True)
    code = f"OUT = {str(out)!r}\n" + STAGES
    command = [sys.executable, "-c", code]
    runs = []
    for _ in range(3):
        done = subprocess.run(
            command, capture_output=True, text=True, check=True, cwd=settings.work, env=CHILD_ENV
        )
        runs.append(json.loads(done.stdout))
    steps = {name: median([r[name] for r in runs]) for name in runs[0]}
    listed = "; ".join(f"{name} {seconds(t)}" for name, t in steps.items())
    return f"Where a build's time goes (one process, medians of 3 runs): {listed}."


def import_profile(settings: Settings) -> str:
    """Which imports take the time of ``import mapkit`` (``python -X importtime``)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import mapkit"],
        capture_output=True,
        text=True,
        cwd=settings.work,
        env=CHILD_ENV,
    )
    cumulative: dict[str, int] = {}
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \| *(\S+)$", line)
        if match and "." not in match.group(2) and not match.group(2).startswith("_"):
            name = match.group(2)
            cumulative[name] = max(cumulative.get(name, 0), int(match.group(1)))
    total = cumulative.get("mapkit", 0)
    top = sorted(((m, us) for m, us in cumulative.items() if m != "mapkit"), key=lambda x: -x[1])[
        :8
    ]
    listed = ", ".join(f"{m} {us / 1e6:.2f} s" for m, us in top)
    return (
        f'`python -X importtime -c "import mapkit"`: {total / 1e6:.2f} s in all; the largest '
        f"packages it imports (each counted once, where first imported): {listed}."
    )


# 2. Weight --------------------------------------------------------------------------------------


def explore_page(settings: Settings) -> tuple[Path, int]:
    """``explore()`` of the joined district layer, saved by folium; and its feature count."""
    import mapkit

    layer = mapkit.join(mapkit.load_districts(), mapkit.load_figures())
    path = settings.work / "explore.html"
    layer.explore().save(str(path))
    return path, len(layer)


def bench_weight(atlas: Path, explore: Path, inlined: Path, report: Report) -> None:
    """Compare the atlas's page size with the ``explore()`` page."""
    a, e, i = atlas.stat().st_size, explore.stat().st_size, inlined.stat().st_size
    report.summary.append(
        [
            "2. Weight: atlas `index.html` / `explore()` page (CDN assets)",
            size(a),
            size(e),
            f"{a / e:.2f}",
            "atlas < 1 MB",
            verdict(a < MB),
        ]
    )
    report.notes.append(
        f"Weight: the `explore()` page with its assets inlined (as opened in 3) is {size(i)}; "
        f"the atlas is {a / i:.2f} times that. The atlas holds Leaflet, its own script and style, "
        "the figures with their citations, the corridors and an offline basemap."
    )


# 3. Opening -------------------------------------------------------------------------------------


def inline_explore(explore: Path, out: Path) -> tuple[Path, list[str]]:
    """The ``explore()`` page with Leaflet and jQuery inlined and the other CDN assets dropped."""
    import xstatic.pkg.jquery as xjquery
    import xstatic.pkg.leaflet as xleaflet

    leaflet = Path(xleaflet.BASE_DIR)
    inline = {
        "leaflet.js": ("script", (leaflet / "leaflet.js").read_text(encoding="utf-8")),
        "leaflet.css": ("style", (leaflet / "leaflet.css").read_text(encoding="utf-8")),
        "jquery": ("script", (Path(xjquery.BASE_DIR) / "jquery.min.js").read_text("utf-8")),
    }
    dropped: list[str] = []

    def replace(match: re.Match[str]) -> str:
        url = match.group(1)
        for key, (tag, text) in inline.items():
            if key in url and (tag == "style") == url.endswith(".css"):
                if f"</{tag}" in text.lower():
                    raise ValueError(f"{key} contains </{tag}>")
                return f"<{tag}>{text}</{tag}>"
        dropped.append(url.rsplit("/", 1)[-1])
        return ""

    html = explore.read_text(encoding="utf-8")
    html = re.sub(r'<script src="(https?://[^"]+)"></script>', replace, html)
    html = re.sub(r'<link rel="stylesheet" href="(https?://[^"]+)"\s*/?>', replace, html)
    out.write_text(html, encoding="utf-8")
    return out, dropped


class Browser:
    """Headless Chromium with every http(s) request blocked."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self.browser = self._playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )

    def close(self) -> None:
        """Close the browser and stop Playwright."""
        self.browser.close()
        self._playwright.stop()

    def _page(self, init: str | None = None) -> tuple[Any, Any, list[str]]:
        context = self.browser.new_context(viewport={"width": 1280, "height": 820})
        if init:
            context.add_init_script(init)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.route("**/*", _offline)
        return context, page, errors

    def settled_counts(self, html: Path, selectors: Sequence[str]) -> dict[str, int]:
        """How many paths of each selector the page ends up with; raise on a page error."""
        context, page, errors = self._page()
        page.goto(html.as_uri(), wait_until="load", timeout=120_000)
        listed = json.dumps(list(selectors))
        script = f"() => {listed}.map(s => document.querySelectorAll(s).length)"
        last: list[int] = []
        stable = 0
        while stable < 5:
            page.wait_for_timeout(200)
            counts = page.evaluate(script)
            stable = stable + 1 if counts == last else 0
            last = counts
        context.close()
        if errors:
            raise RuntimeError(f"{html.name} raised {errors[0]}")
        return dict(zip(selectors, last, strict=True))

    def open_ms(self, html: Path, targets: dict[str, tuple[str, int]]) -> dict[str, float]:
        """Milliseconds from navigation until each target's paths are all in the page."""
        context, page, errors = self._page(WATCH % json.dumps(targets))
        page.goto(html.as_uri(), wait_until="commit", timeout=120_000)
        handle = page.wait_for_function(
            f"() => Object.keys(window.__benchDrawn || {{}}).length === {len(targets)}"
            " && window.__benchDrawn",
            polling=50,
            timeout=180_000,
        )
        drawn = {name: float(ms) for name, ms in handle.json_value().items()}
        context.close()
        if errors:
            raise RuntimeError(f"{html.name}: {errors[0]}")
        return drawn


def _offline(route: Any) -> None:
    if route.request.url.startswith(("file:", "data:", "about:")):
        route.continue_()
    else:
        route.abort()


@dataclass
class Opened:
    """Opening times of one page: per target, the median, the path count and every run."""

    median: dict[str, float]
    count: dict[str, int]
    runs: dict[str, list[float]]


def compare_opening(
    browser: Browser, pages: dict[str, tuple[Path, dict[str, str]]], runs: int
) -> dict[str, Opened]:
    """Open each page ``runs`` times, interleaved, timing each of its named path selectors."""
    targets = {}
    for name, (html, selectors) in pages.items():
        counts = browser.settled_counts(html, list(selectors.values()))
        targets[name] = {t: (sel, counts[sel]) for t, sel in selectors.items()}
        browser.open_ms(html, targets[name])  # warm-up
    times: dict[str, dict[str, list[float]]] = {
        name: {t: [] for t in selectors} for name, (_, selectors) in pages.items()
    }
    for _ in range(runs):
        for name, (html, _) in pages.items():
            for target, ms in browser.open_ms(html, targets[name]).items():
                times[name][target].append(ms)
    return {
        name: Opened(
            {t: median(v) for t, v in times[name].items()},
            {t: c for t, (_, c) in targets[name].items()},
            times[name],
        )
        for name in pages
    }


def bench_opening(
    settings: Settings, browser: Browser, atlas: Path, inlined: Path, dropped: list[str],
    features: int, report: Report,
) -> None:  # fmt: skip
    """Time opening the atlas against the inlined ``explore()`` page."""
    pages = {
        "atlas": (atlas, {"districts": DISTRICT, "all": SELECTOR}),
        "explore": (inlined, {"districts": SELECTOR}),
    }
    result = compare_opening(browser, pages, settings.open_runs)
    atlas_open, explore_open = result["atlas"], result["explore"]
    a, e = atlas_open.median["districts"], explore_open.median["districts"]
    report.summary.append(
        [
            "3. Opening: atlas / `explore()` page, assets inlined, network blocked",
            f"{a:.0f} ms",
            f"{e:.0f} ms",
            f"{a / e:.2f}",
            "not slower (≤ 1.0)",
            verdict(a <= e),
        ]
    )
    report.notes.append(
        f"Opening: medians of {settings.open_runs} interleaved runs, each in a fresh browser "
        "context, after a warm-up: time from navigation until the last district path is in the "
        f"page ({atlas_open.count['districts']} in the atlas, `{DISTRICT}`; "
        f"{explore_open.count['districts']} in the `explore()` page, `{SELECTOR}`; the layer has "
        f"{features} features). Atlas runs {_ms(atlas_open.runs['districts'])}; explore runs "
        f"{_ms(explore_open.runs['districts'])}. Until all {atlas_open.count['all']} interactive "
        f"paths of the atlas (districts, corridors, stations) are in: "
        f"{atlas_open.median['all']:.0f} ms. The `explore()` page had Leaflet (xstatic-leaflet) "
        f"and jQuery (xstatic-jquery) inlined; {', '.join(dropped)} were dropped: it draws no "
        "icon or Bootstrap widget, and it ran without a page error. Its OpenStreetMap tiles are "
        "requested and blocked, as the atlas's optional online layer would be."
    )


def _ms(values: Sequence[float]) -> str:
    return ", ".join(f"{v:.0f}" for v in values) + " ms"


# 4. Detail --------------------------------------------------------------------------------------


def densify(districts: Any, factor: float) -> Any:
    """``districts`` with ``shapely.segmentize`` applied until it has ``factor`` × the vertices."""
    import shapely

    geoms = districts.geometry.values
    target = factor * shapely.get_num_coordinates(geoms).sum()
    low, high = 1e-7, 1.0
    for _ in range(40):
        mid = math.sqrt(low * high)
        count = shapely.get_num_coordinates(shapely.segmentize(geoms, mid)).sum()
        low, high = (low, mid) if count < target else (mid, high)
    out = districts.copy()
    out["geometry"] = shapely.segmentize(geoms, high)
    return out


def displacement(districts: Any, shown: Any) -> tuple[float, str]:
    """Largest Hausdorff distance (m) between original and displayed boundaries, and where."""
    import shapely

    import mapkit

    original = districts.geometry.to_crs(mapkit.EQUAL_AREA).boundary.values
    simple = shown.to_crs(mapkit.EQUAL_AREA).boundary.values
    distances = shapely.hausdorff_distance(original, simple, densify=0.1)
    worst = int(distances.argmax())
    return float(distances[worst]), str(districts.iloc[worst]["name_en"])


def render_page(districts: Any, figures: Any, out: Path, simplify: bool) -> Path:
    """Save the atlas of ``districts``, with the display simplification on or off."""
    import mapkit
    import mapkit.render as render

    saved = render.DISPLAY_TOLERANCE
    if not simplify:
        render.DISPLAY_TOLERANCE = 0
    try:
        mapkit.atlas(districts, figures).save(str(out))
    finally:
        render.DISPLAY_TOLERANCE = saved
    return out


def bench_detail(settings: Settings, browser: Browser, report: Report) -> None:
    """Page size, opening time and border displacement with and without simplification."""
    import shapely

    import mapkit
    import mapkit.render as render

    if not ADM2.exists():
        report.notes.append(f"Detail: skipped, {ADM2} is not here.")
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        adm2 = mapkit.load_districts(ADM2)
    figures = mapkit.load_figures()
    datasets = {
        "embedded (Natural Earth, corrected)": mapkit.load_districts(),
        "geoBoundaries ADM2": adm2,
        "geoBoundaries ADM2, densified": densify(adm2, 10),
    }
    rows, pages, facts = [], {}, {}
    for label, districts in datasets.items():
        vertices = int(shapely.get_num_coordinates(districts.geometry.values).sum())
        for simplify in (True, False):
            key = f"{label} | {'simplified' if simplify else 'not simplified'}"
            slug = re.sub(r"\W+", "-", key).strip("-").lower()
            pages[key] = render_page(districts, figures, settings.work / f"{slug}.html", simplify)
            saved = render.DISPLAY_TOLERANCE
            if not simplify:
                render.DISPLAY_TOLERANCE = 0
            try:
                shown = render.display_geometry(districts)
            finally:
                render.DISPLAY_TOLERANCE = saved
            shown_vertices = int(shapely.get_num_coordinates(shown.values).sum())
            facts[key] = (vertices, shown_vertices, *displacement(districts, shown))
    targets = {k: (html, {"districts": DISTRICT}) for k, html in pages.items()}
    opened = compare_opening(browser, targets, settings.open_runs)
    for key, html in pages.items():
        vertices, shown_vertices, moved, where = facts[key]
        label, mode = key.split(" | ")
        rows.append(
            [
                label,
                mode,
                f"{vertices:,}",
                f"{shown_vertices:,}",
                size(html.stat().st_size),
                f"{opened[key].median['districts']:.0f} ms",
                f"{moved:,.0f} m ({where})",
            ]
        )
    report.sections.append((
        "4. Detail: page size and opening time with and without the simplification",
        table(
            ["boundaries", "display", "vertices", "vertices drawn", "index.html", "opening",
             "largest border displacement"],
            rows,
        )
        + f"\n\nSimplification: `shapely.coverage_simplify` at {render.DISPLAY_TOLERANCE}°, then "
        f"coordinates rounded to {render.DISPLAY_DECIMALS} decimals; \"not simplified\" sets the "
        "tolerance to 0 and keeps the rounding. Displacement: Hausdorff distance between each "
        "district's original and displayed boundary in `mapkit.EQUAL_AREA` (metres), the largest "
        f"over all districts. Opening: medians of {settings.open_runs} runs, as in 3.",
    ))  # fmt: skip


# 5. Scale ---------------------------------------------------------------------------------------


def name_variants() -> dict[str, str]:
    """District names as users write them, each checked to resolve to one district: its code."""
    import mapkit
    from mapkit.data import read_table
    from mapkit.errors import UnknownPlaceError
    from mapkit.figures import is_district

    strip = str.maketrans("əƏğĞşŞçÇöÖüÜıİ", "eEgGsScCoOuUiI")
    aliases = read_table("aliases.csv")
    names = set(aliases.alias)
    for r in aliases.itertuples():
        if r.kind == "az":
            bare = unicodedata.normalize("NFC", r.alias).translate(strip)
            names |= {bare, f"{r.alias} rayonu", f"{bare} rayonu"}
        elif r.kind == "en":
            names |= {f"{r.alias} District", f"{r.alias} district"}
        elif r.kind == "ru" and not r.alias.endswith("район"):
            names.add(f"{r.alias} район")
        elif r.kind == "soviet":
            names.add(f"{r.alias} rayon")
    kept = {}
    for name in sorted(names):
        try:
            code = mapkit.resolve(name)
        except UnknownPlaceError:
            continue
        if is_district(code):
            kept[name] = code
    return kept


def synthetic_figures(rows: int, names: dict[str, str], path: Path, seed: int = 1) -> Path:
    """A users' figures file of ``rows`` valid rows, names spelled every which way.

    Every district has its own steady rates, so that the cumulative figures grow with the as-of
    date, parts add up to their totals and one figure stated in ha and in km² agrees: the file
    is consistent, and ``validate`` has nothing to report.
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    spelled = np.asarray(list(names), dtype=object)
    codes, district = np.unique(np.asarray(list(names.values())), return_inverse=True)
    pick_name = rng.integers(0, len(spelled), rows)
    where = district[pick_name]
    rates = rng.integers(1, 40, (len(codes), 6))
    days_ = rng.integers(0, 5 * 365, rows)
    as_of = pd.Timestamp("2021-01-01") + pd.to_timedelta(days_, unit="D")
    monthly = rng.random(rows) < 0.1
    as_of_text = np.where(monthly, as_of.strftime("%Y-%m"), as_of.strftime("%Y-%m-%d"))
    as_of = as_of.where(~monthly, as_of + pd.offsets.MonthEnd(0))
    days = (as_of - pd.Timestamp("2020-11-10")).days.to_numpy()
    r = rates[where].T * days
    counts = {
        "mines_anti_personnel": r[0], "mines_anti_tank": r[1], "uxo": r[2],
        "mines": r[0] + r[1], "items_found": r[0] + r[1] + r[2],
        "killed": r[3] // 50, "injured": r[4] // 50, "victims": r[3] // 50 + r[4] // 50,
        "cleared_area": r[5] * 100, "contaminated_area": rates[where, 5] * 10_000,
    }  # fmt: skip
    metric_units = [
        ("cleared_area", "ha"), ("cleared_area", "km2"), ("cleared_area", "hectares"),
        ("contaminated_area", "sq km"), ("items_found", "count"), ("mines", "count"),
        ("mines_anti_personnel", "count"), ("mines_anti_tank", "items"), ("uxo", "count"),
        ("victims", "people"), ("killed", "count"), ("injured", "count"),
    ]  # fmt: skip
    pick = rng.integers(0, len(metric_units), rows)
    metric = np.array([m for m, _ in metric_units], dtype=object)[pick]
    unit = np.array([u for _, u in metric_units], dtype=object)[pick]
    values = np.zeros(rows, dtype=np.int64)
    for name, series in counts.items():
        values = np.where(metric == name, series, values)
    values = np.where((unit == "km2") | (unit == "sq km"), values // 100, values)
    text = values.astype(str).astype(object)
    commas = rng.random(rows) < 0.15
    text[commas] = [f"{v:,}" for v in values[commas]]
    decimals = ~commas & (rng.random(rows) < 0.05)
    text[decimals] = text[decimals] + ".0"
    starts = np.array(["", "", "", "", "1991", "2020-11-10", "2020-11"])
    qualifiers = np.array(["", "", "", "", "", "", "", "about", "more than", "at least"])
    table = pd.DataFrame({
        "area": spelled[pick_name],
        "metric": metric,
        "value": text,
        "unit": unit,
        "as_of": as_of_text,
        "source": [f"Source {i}" for i in rng.integers(0, 50, rows)],
        "qualifier": qualifiers[rng.integers(0, len(qualifiers), rows)],
        "period_start": starts[rng.integers(0, len(starts), rows)],
    })  # fmt: skip
    table.to_csv(path, index=False)
    return path


@dataclass
class Run:
    """One command run as a whole process: wall time, CPU time and peak resident memory."""

    seconds: float
    cpu: float
    peak_mb: float


def run_measured(command: Sequence[str], timeout: float) -> Run | None:
    """Run ``command``, this process's only child: its wall and CPU time and peak RSS.

    ``None`` if it was stopped after ``timeout`` seconds.
    """
    start = time.perf_counter()
    try:
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              env=CHILD_ENV, timeout=timeout)  # fmt: skip
    except subprocess.TimeoutExpired:
        return None
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr[-1500:]!r}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def _spread(runs: Sequence[Run]) -> str:
    times = [r.seconds for r in runs]
    return f"{seconds(median(times))} ({seconds(min(times))}–{seconds(max(times))})"


def bench_scale(settings: Settings, report: Report) -> None:
    """``mapkit build --figures F`` beside ``pandas.read_csv(F)``: rows/s and peak memory."""
    names = name_variants()
    rows_out, summary = [], None
    previous: tuple[int, float] | None = None
    for rows in settings.scale_sizes:
        path = synthetic_figures(rows, names, settings.work / f"figures-{rows}.csv")
        file_mb = path.stat().st_size / MB
        out = settings.work / f"atlas-{rows}"
        build = [sys.executable, "-m", "mapkit", "build", "--figures", str(path), "--out",
                 str(out)]  # fmt: skip
        read = [sys.executable, "-c", "import sys, pandas; pandas.read_csv(sys.argv[1])",
                str(path)]  # fmt: skip
        builds: list[Run] = []
        reads: list[Run] = []
        for _ in range(settings.scale_repeats):  # interleaved: both sides see the same load
            for command, runs in ((read, reads), (build, builds)):
                measured = _measure_alone(command, settings.scale_timeout)
                if measured is not None:
                    runs.append(measured)
        page = (out / "index.html").stat().st_size if builds else 0
        path.unlink()
        cells = [f"{rows:,}", f"{file_mb:,.0f} MB"]
        for runs in (builds, reads):
            if not runs:
                cells += [f"> {settings.scale_timeout:.0f} s (stopped)", "", "", ""]
                continue
            wall = median([r.seconds for r in runs])
            peak = max(r.peak_mb for r in runs)
            cells += [_spread(runs), f"{rows / wall:,.0f}/s",
                      f"{median([r.cpu for r in runs]):.1f} s",
                      f"{peak:,.0f} MB ({peak / file_mb:.1f}×)"]  # fmt: skip
        wall = median([r.seconds for r in builds]) if builds else math.nan
        ratio = wall / median([r.seconds for r in reads]) if builds and reads else math.nan
        growth = f"{math.log(wall / previous[1]) / math.log(rows / previous[0]):.2f}" if (
            previous and builds) else ""  # fmt: skip
        cells += [f"{ratio:.1f}×", size(page), growth]
        rows_out.append(cells)
        previous = (rows, wall)
        if summary is None or summary[0] != 1_000_000:  # the target is stated at a million
            summary = (rows, builds, reads, file_mb)
    rows, builds, reads, file_mb = summary
    wall = median([r.seconds for r in builds]) if builds else math.inf
    peak = max((r.peak_mb for r in builds), default=math.inf)
    read_wall = median([r.seconds for r in reads]) if reads else math.nan
    report.summary.append([
        f"5. Scale: `mapkit build --figures`, {rows:,} rows",
        f"{rows / wall:,.0f} rows/s, {peak:,.0f} MB ({peak / file_mb:.1f}× file)",
        f"`pandas.read_csv`: {rows / read_wall:,.0f} rows/s",
        f"{wall / read_wall:.1f}×",
        "≥ 100,000 rows/s, ≤ 4× file",
        verdict(rows / wall >= 100_000 and peak <= 4 * file_mb),
    ])  # fmt: skip
    report.sections.append((
        "5. Scale: `mapkit build --figures F` beside `pandas.read_csv(F)`",
        table(
            ["rows", "CSV", "build: time (min–max)", "rows/s", "CPU", "peak RSS (× CSV)",
             "read_csv: time (min–max)", "rows/s", "CPU", "peak RSS (× CSV)",
             "build / read_csv", "index.html", "growth exponent"],
            rows_out,
        )
        + f"\n\nEach run is a whole process, as a user runs it: `python -m mapkit build --figures "
        "F --out X` (all formats), and `python -c \"import pandas; pandas.read_csv(F)\"` as the "
        f"yardstick; the two alternate, {settings.scale_repeats} runs each; time is the median "
        "(fastest–slowest), CPU the median user + system time (the machine is shared: CPU time "
        "moves less than wall time), peak RSS the largest of the runs (`ru_maxrss`). The files "
        f"have {len(names)} spellings of the districts' names (Azerbaijani with and without "
        "diacritics, English, Russian, Soviet, with \"rayonu\", \"district\", \"район\"), 12 "
        "metric/unit pairs in several spellings, values with thousands separators and decimals, "
        "partial and full dates over five years, 50 sources, qualifiers and period starts; every "
        "row is valid. Growth exponent: log of the ratio of build times over log of the ratio of "
        "rows, against the size above; 1.00 is linear.",
    ))  # fmt: skip


def _measure_alone(command: Sequence[str], timeout: float) -> Run | None:
    """Run ``command`` in a fresh child whose own peak RSS is measured (a small runner)."""
    runner = [sys.executable, __file__, "--measure", json.dumps(list(command)),
              "--scale-timeout", str(timeout)]  # fmt: skip
    done = subprocess.run(runner, capture_output=True, text=True, env=CHILD_ENV)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr[-1500:]}")
    record = json.loads(done.stdout)
    return Run(**record) if record else None


# Main -------------------------------------------------------------------------------------------


SECTIONS = ("build", "weight", "opening", "detail", "scale")


def run(settings: Settings, sections: Sequence[str]) -> Report:
    """Run the chosen comparisons and collect their tables."""
    report = Report()
    atlas: Path | None = None
    if {"build", "weight", "opening"} & set(sections):
        if "build" in sections:
            atlas = bench_build(settings, report)
        else:
            out = settings.work / "atlas"
            run_timed([sys.executable, "-m", "mapkit", "build", "--out", str(out)], settings.work)
            atlas = out / "index.html"
    if {"weight", "opening"} & set(sections):
        assert atlas is not None
        try:
            explore, features = explore_page(settings)
        except ImportError as exc:  # explore() needs matplotlib, which mapkit does not
            report.notes.append(f"Weight and opening: skipped, `explore()` failed: {exc}")
            sections = [s for s in sections if s not in ("weight", "opening")]
        else:
            inlined, dropped = inline_explore(explore, settings.work / "explore-inlined.html")
        if "weight" in sections:
            bench_weight(atlas, explore, inlined, report)
    if {"opening", "detail"} & set(sections):
        browser = Browser()
        try:
            if "opening" in sections:
                assert atlas is not None
                bench_opening(settings, browser, atlas, inlined, dropped, features, report)
            if "detail" in sections:
                bench_detail(settings, browser, report)
        finally:
            browser.close()
    if "scale" in sections:
        bench_scale(settings, report)
    return report


def markdown(report: Report, info: dict[str, str], quick: bool) -> str:
    """The whole report as Markdown."""
    parts = [
        "# mapkit benchmarks",
        f"Machine: {info['nproc']} cores ({info['cpu']}), Python {info['python']}, "
        f"{info['date']}. Command: `.venv/bin/python benchmarks/run.py"
        f"{' --quick' if quick else ''}`.",
        table(["comparison", "mapkit", "alternative", "ratio", "target", "met"], report.summary),
    ]
    if report.notes:
        parts.append("\n".join(f"- {note}" for note in report.notes))
    for title, body in report.sections:
        parts += [f"## {title}", body]
    return "\n\n".join(parts) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks; print the Markdown report and write it to ``benchmarks/results.md``
    (with ``--only``, to ``--out`` if given: a part alone never replaces the whole report)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="fewer runs, files up to 1,000,000 rows"
    )
    parser.add_argument("--only", help=f"comma-separated sections of {', '.join(SECTIONS)}")
    parser.add_argument(
        "--out", type=Path, help="report file (results.md for a whole run; none with --only)"
    )
    parser.add_argument("--scale-timeout", type=float, help="seconds allowed per file size")
    parser.add_argument("--scale-rows", help="comma-separated file sizes for the scale section")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # a command, as JSON: see Run
    args = parser.parse_args(argv)
    if args.measure:
        measured = run_measured(json.loads(args.measure), args.scale_timeout or 900)
        print(json.dumps(measured.__dict__ if measured else None))
        return 0
    sections = args.only.split(",") if args.only else list(SECTIONS)
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory(prefix="mapkit-bench-") as work:
        settings = Settings(
            quick=args.quick,
            build_runs=3 if args.quick else 7,
            open_runs=3 if args.quick else 7,
            scale_sizes=tuple(int(n) for n in args.scale_rows.split(","))
            if args.scale_rows
            else (100_000, 1_000_000)
            if args.quick
            else (100_000, 1_000_000, 3_000_000),
            scale_repeats=2 if args.quick else 3,
            scale_timeout=args.scale_timeout or (300 if args.quick else 900),
            work=Path(work),
        )
        report = run(settings, sections)
    text = markdown(report, machine(), args.quick)
    print(text)
    out = args.out or (None if args.only else HERE / "results.md")
    if out is None:  # a part alone would replace the whole report's other sections
        print("benchmarks: --only: report printed, not written (give --out FILE)", file=sys.stderr)
    else:
        out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
