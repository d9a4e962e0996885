"""The page embeds what it can show, never every row: and it shows the same as with every row."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

import mapkit
from mapkit.payload import PAGE_FIGURES
from mapkit.render import AtlasControls

REPO = Path(__file__).resolve().parents[1]


def _benchmarks() -> object:
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, dict[str, object]]:
    """A 50,000-row users' file (the benchmark's generator) and the data its page embeds."""
    bench = _benchmarks()
    path = bench.synthetic_figures(
        50_000, bench.name_variants(), tmp_path_factory.mktemp("big") / "figures.csv"
    )
    figures = mapkit.load_figures([path], only=True)
    return figures, _page_data(mapkit.atlas(mapkit.load_districts(), figures))


def _page_data(m: object) -> dict[str, object]:
    controls = [c for c in m._children.values() if isinstance(c, AtlasControls)]
    return controls[0].data


def _shown(figures: pd.DataFrame, date: str) -> dict[tuple[str, str], str]:
    """What the page shows on each district at ``date``: its latest figure of each series."""
    on_map = figures[(figures.series != "") & (figures.iso.str.len() > 2)]
    known = on_map[on_map.as_of_date.astype(str).str[:10] <= date]
    latest = known.sort_values("as_of_date", kind="stable").groupby(["iso", "series"]).tail(1)
    return dict(zip(zip(latest.iso, latest.series, strict=True), latest.id, strict=True))


def test_page_holds_one_figure_per_district_series_and_step_not_every_row(big) -> None:
    figures, data = big
    page = pd.DataFrame(data["figures"])
    assert len(figures) == 50_000
    assert len(page) <= PAGE_FIGURES < len(figures)
    step = page.as_of_date.map(lambda d: sum(s < d for s in data["dates"]))
    # one date per district, series and step: the last one (all its figures, when sources
    # state several for that date)
    dates = page.assign(step=step).groupby(["iso", "series", "step"]).as_of_date.nunique()
    assert dates.max() == 1
    assert data["dates"][-1] == figures.as_of_date.max().strftime("%Y-%m-%d")


def test_every_date_of_the_time_control_shows_what_every_row_would(big) -> None:
    figures, data = big
    page = figures[figures.id.isin({f["id"] for f in data["figures"]})]
    for date in data["dates"]:
        assert _shown(page, date) == _shown(figures, date), date


def test_the_embedded_figures_are_all_on_the_page() -> None:
    figures = mapkit.load_figures()
    data = _page_data(mapkit.atlas())
    on_page = [f["id"] for f in data["figures"]]  # in figures.latest's order, every one once
    assert sorted(on_page) == sorted(figures.id)
    assert data["dates"] == sorted(
        set(figures.as_of_date.dt.strftime("%Y-%m-%d")) | {w["as_of_date"] for w in data["worked"]}
    )


def test_page_carries_the_findings_on_its_figures_only() -> None:
    """A finding about figures the page does not carry could never be shown: it stays out (a
    three-million-row file made a 31 MB page of them)."""
    from mapkit.page import finding_records
    from mapkit.validate import Finding

    on_page = Finding("warning", "conflict", "two sources disagree", ("a", "b"))
    elsewhere = Finding("warning", "conflict", "two sources disagree", ("c", "d"))
    assert [f["ids"] for f in finding_records([on_page, elsewhere], {"b", "x"})] == [["a", "b"]]
    assert len(finding_records([on_page, elsewhere])) == 2


def test_past_yearly_steps_the_page_holds_the_latest_figures_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import mapkit.payload
    from mapkit.payload import page_figures

    figures = mapkit.load_figures()
    monkeypatch.setattr(mapkit.payload, "PAGE_FIGURES", 60)  # fewer than a figure per year
    shown, dates = page_figures(figures)
    assert dates == [figures.as_of_date.max().strftime("%Y-%m-%d")]
    on_map = shown[shown.series != ""]
    latest = figures[figures.series != ""].groupby(["iso", "series"]).as_of_date.max()
    assert (on_map.groupby(["iso", "series"]).as_of_date.max() == latest).all()
    assert on_map.groupby(["iso", "series"]).as_of_date.nunique().max() == 1
