"""How fast the atlas page answers a reader, in headless Chromium (run by hand, not a test).

Measures, with ``performance.now()`` around the handler and a forced layout after it:

- a slider step (the ``input`` event of the date slider, every date in turn);
- a change of the series shown (the ``change`` event of the series selector, every series);
- a hover (``mouseover`` on a district path: the tooltip is built and placed);
- opening the page: navigation start to the second frame after ``window.mapkit`` is set, against
  an atlas built from another commit (``--against``), runs interleaved.

Usage::

    python -m mapkit build --out /tmp/atlas
    python benchmarks/atlas_page.py /tmp/atlas/index.html [--against OTHER.html] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chromium import CHROMIUM, CHROMIUM_ARGS

# The page is open when the frame after the one that set ``window.mapkit`` is painted: the
# rest of that script (a last fitBounds on older pages) and the drawing are counted too.
MARK = """Object.defineProperty(window, 'mapkit', {configurable: true,
    set(v) { Object.defineProperty(window, 'mapkit', {value: v, writable: true});
             requestAnimationFrame(() => requestAnimationFrame(
                 () => { window.__ready = performance.now(); })); }});"""

INTERACT = """() => {
  const out = {slider: [], series: [], hover: []};
  const slider = document.querySelector('.mk-slider');
  const layout = () => document.body.getBoundingClientRect().height;
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i <= Number(slider.max); i++) {
      const t0 = performance.now();
      slider.value = i; slider.dispatchEvent(new Event('input', {bubbles: true})); layout();
      out.slider.push(performance.now() - t0);
    }
    const select = document.querySelector('.mk-series-select');
    for (const option of select.options) {
      const t0 = performance.now();
      select.value = option.value; select.dispatchEvent(new Event('change', {bubbles: true}));
      layout();
      out.series.push(performance.now() - t0);
    }
    const map = window.mapkit.map, box = map.getContainer().getBoundingClientRect();
    window.mapkit.layers.districts.eachLayer(layer => {
      const p = map.latLngToContainerPoint(layer.getBounds().getCenter());
      const at = {clientX: box.left + p.x, clientY: box.top + p.y, bubbles: true};
      const path = layer.getElement();
      const t0 = performance.now();
      path.dispatchEvent(new MouseEvent('mouseover', at));
      path.dispatchEvent(new MouseEvent('mousemove', at));
      layout();
      out.hover.push(performance.now() - t0);
      path.dispatchEvent(new MouseEvent('mouseout', at));
    });
  }
  return out;
}"""


def spread(values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    return (f"median {statistics.median(ordered):.1f} ms, p90 {p90:.1f} ms, "
            f"max {ordered[-1]:.1f} ms (n={len(ordered)})")  # fmt: skip


def open_time(browser: object, page_path: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.add_init_script(MARK)
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                   else r.abort())  # fmt: skip
        page.goto(page_path.as_uri())
        page.wait_for_function("window.__ready !== undefined", timeout=30000)
        times.append(page.evaluate("window.__ready"))
        context.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("--against", type=Path, help="another page to compare opening with")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(args.page.resolve().as_uri())
        page.wait_for_function("window.mapkit !== undefined", timeout=30000)
        timings = page.evaluate(INTERACT)
        for name, values in timings.items():
            print(f"{name:>7}: {spread(values)}")
        mine, other = [], []
        for _ in range(args.runs):  # interleaved, so that both see the same machine load
            mine += open_time(browser, args.page.resolve(), 1)
            if args.against:
                other += open_time(browser, args.against.resolve(), 1)
        print(f"   open: {spread(mine)}")
        if args.against:
            ratio = statistics.median(mine) / statistics.median(other)
            print(f"against: {spread(other)}; ratio of medians {ratio:.2f}")
        browser.close()


if __name__ == "__main__":
    main()
