"""Maps of regions (issue 15, item 4): figures per economic region or ADM1 part, summed only when
the districts' figures add up, listed otherwise; with real files (economic regions dissolved
from the embedded districts, geoBoundaries ADM1)."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from conftest import shared
from test_staticmap import pdf_text

import mapkit
from mapkit import geomatch
from mapkit.build import export
from mapkit.regions import RegionFigures, combined_qualifier, region_code, region_figures

GB_ADM1 = ("external", "geoboundaries", "geoBoundaries-AZE-ADM1_simplified.geojson")
EAST_ZANGEZUR = ("AZ-CAB", "AZ-KAL", "AZ-LAC", "AZ-QBI", "AZ-ZAN")
KARABAKH = geomatch.groups()["Karabakh economic region"]


def _mapkit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mapkit", *args], capture_output=True, text=True, check=False
    )


def _regions() -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    groups = geomatch.groups()
    return {region_code(k): v for k, v in groups.items()}, {region_code(k): k for k in groups}


def _from_rows(path: Path, *rows: tuple[str, float, str, str]) -> RegionFigures:
    """The region figures of a user's file of cumulative cleared areas as of 2025-06-01, one
    ``(area, value in ha, qualifier, source)`` each (the embedded figures left out)."""
    lines = ["area,metric,value,unit,qualifier,kind,as_of,source"]
    lines += [f"{a},cleared_area,{v},ha,{q},cumulative,2025-06-01,{s}" for a, v, q, s in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the validation's notes are not what is tested here
        figures = mapkit.load_figures([path], only=True)
    return region_figures(figures, *_regions())


@pytest.fixture(scope="module")
def embedded() -> RegionFigures:
    members, names = _regions()
    return region_figures(mapkit.load_figures(), members, names)


@pytest.fixture(scope="module")
def regions_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 14 economic regions, dissolved from the embedded districts, with their names."""
    districts = mapkit.load_districts()
    regions = districts.dissolve(by="economic_region", as_index=False)
    path = tmp_path_factory.mktemp("regions") / "economic_regions.geojson"
    regions[["economic_region", "geometry"]].to_file(path)
    return path


@pytest.fixture(scope="module")
def regions_atlas(regions_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return mapkit.build(
            tmp_path_factory.mktemp("built") / "atlas", mapkit.Inputs(boundaries=regions_file)
        )


def test_a_sum_of_one_date_keeps_every_source(embedded: RegionFigures) -> None:
    """East Zangezur's cleared area in 2023: Trend's five district figures, added by hand."""
    by_hand = {
        "trend-2024-03-05/r02": 14016.7,  # Jabrayil
        "trend-2024-03-05/r04": 6400.2,  # Kalbajar
        "trend-2024-03-05/r05": 1454.2,  # Lachin
        "trend-2024-03-05/r06": 6993.9,  # Gubadli
        "trend-2024-03-05/r11": 3570.8,  # Zangilan
    }
    found = embedded.figures.set_index("id")
    (total,) = found.loc[["sum:ER-EAST-ZANGEZUR/cleared_area_2023/2023-12-31"]].itertuples()
    assert total.value_std == pytest.approx(sum(by_hand.values())) == pytest.approx(32435.8)
    assert total.unit_std == "ha" and total.qualifier == "" and total.as_of == "2023-12-31"
    assert total.derived and total.area_name == "East Zangezur economic region"
    assert total.publisher.startswith("sum of 5 districts' figures (of 5 in the region): Trend")
    assert total.locator == "derived: sum of " + ", ".join(by_hand)
    for figure_id in by_hand:
        assert f"[{figure_id}]" in total.source
    assert total.source.count("Trend, 2024-03-05") == 5


def test_a_partial_sum_says_how_many_districts_it_adds(embedded: RegionFigures) -> None:
    found = embedded.figures.set_index("id")
    karabakh = found.loc["sum:ER-KARABAKH/cleared_area_2023/2023-12-31"]
    assert karabakh.publisher.startswith("sum of 6 districts' figures (of 9 in the region)")
    assert len(KARABAKH) == 9


def test_figures_of_different_dates_are_listed_not_summed(
    embedded: RegionFigures,
) -> None:
    """Karabakh's explosive items: three districts at 2024-12-31, Aghdam at 2025-05-20."""
    listed = embedded.listed[
        (embedded.listed.region == "ER-KARABAKH") & (embedded.listed.series == "items_found")
    ]
    assert set(listed.reason) == {"not summed: different dates"}
    assert sorted(listed.id) == [
        "azernews-2025-05-20/02",
        "menafn-2025-12-25/55",
        "menafn-2025-12-25/56",
        "menafn-2025-12-25/58",
    ]
    karabakh = embedded.figures[embedded.figures.iso == "ER-KARABAKH"]
    assert not (karabakh.series == "items_found").any()  # no earlier sum stands for today


def test_a_share_is_never_summed(embedded: RegionFigures) -> None:
    shares = embedded.listed[embedded.listed.series.str.startswith("territory_cleared_share")]
    assert len(shares) and set(shares.reason) == {"not summed: territory_cleared_share is a share"}
    assert not embedded.figures.series.str.startswith("territory_cleared_share").any()


def test_a_figure_stated_for_the_region_is_its_own(tmp_path: Path) -> None:
    found = _from_rows(
        tmp_path / "karabakh.csv",
        ("Karabakh", 50000, "more than", "Example news"),
        ("Aghdam", 30000, "", "Example news"),
        ("Fuzuli", 9000, "more than", "Other news"),
    )
    karabakh = found.figures[found.figures.iso == "ER-KARABAKH"]
    (stated,) = karabakh.itertuples()  # the region's own figure: no sum of the same date
    assert stated.value_std == 50000 and stated.publisher == "Example news"
    assert not stated.derived and stated.qualifier == "more than"
    assert stated.area_name.startswith("Karabakh economic region (")


def test_a_lower_bound_makes_the_sum_a_lower_bound(tmp_path: Path) -> None:
    found = _from_rows(
        tmp_path / "bound.csv", ("Lachin", 100, "", "B"), ("Kalbajar", 200, "more than", "C")
    )
    (summed,) = found.figures[found.figures.iso == "ER-EAST-ZANGEZUR"].itertuples()
    assert summed.value_std == 300 and summed.qualifier == "more than" and summed.derived
    assert summed.publisher == "sum of 2 districts' figures (of 5 in the region): B; C"


def test_a_map_of_regions_writes_each_figure_once(tmp_path: Path, regions_file: Path) -> None:
    """Karabakh's own figure is shown on it (not a sum), not written twice; East Zangezur's sum
    is written, derived."""
    figures = tmp_path / "karabakh.csv"
    _from_rows(
        figures,
        ("Karabakh", 50000, "", "Example news"),
        ("Aghdam", 30000, "", "A"),
        ("Lachin", 100, "", "B"),
        ("Kalbajar", 200, "", "B"),
    )
    inputs = mapkit.Inputs(figures=[figures], only=True, boundaries=regions_file)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        written = export(tmp_path / "layers", inputs)
    table = pd.read_csv(tmp_path / "layers" / "figures.csv", keep_default_na=False)
    assert len(table) == 5 and table.id.is_unique and table.derived.sum() == 1
    layer = gpd.read_file(written[0].parent / "districts.geojson").set_index("iso")
    assert layer.cleared_area_ha["ER-KARABAKH"] == 50000
    assert layer.cleared_area_ha["ER-EAST-ZANGEZUR"] == 300


@pytest.mark.parametrize(
    ("qualifiers", "combined"),
    [
        (["", ""], ""),
        (["", "more than"], "more than"),
        (["at least", ""], "at least"),
        (["at least", "more than"], "more than"),
        (["up to", ""], "up to"),
        (["", "about", "nearly", "estimated"], "about"),
        (["more than", "up to"], None),
        (["more than", "about"], None),
    ],
)
def test_qualifiers_of_a_sum(qualifiers: list[str], combined: str | None) -> None:
    assert combined_qualifier(qualifiers) == combined


def test_sources_that_disagree_are_not_summed(tmp_path: Path) -> None:
    found = _from_rows(
        tmp_path / "disagree.csv",
        ("Aghdam", 30000, "", "Example news"),
        ("Aghdam", 31000, "", "Other news"),
        ("Fuzuli", 9000, "", "Other news"),
    )
    assert not (found.figures.iso == "ER-KARABAKH").any()
    listed = found.listed[found.listed.region == "ER-KARABAKH"]
    assert set(listed.reason) == {"not summed: sources disagree"} and len(listed) == 3


def test_economic_regions_build_a_map_of_regions(regions_atlas: Path) -> None:
    layer = gpd.read_file(regions_atlas / "layers" / "districts.geojson").set_index("iso")
    assert len(layer) == 14 and "AZ-BA" in layer.index  # Baku: one city, its own figures
    ez = layer.loc["ER-EAST-ZANGEZUR"]
    assert ez.name_en == "East Zangezur economic region"
    assert ez.members == "+".join(EAST_ZANGEZUR)
    assert ez.cleared_area_2023_ha == pytest.approx(32435.8)
    assert ez.cleared_area_2023_id == "sum:ER-EAST-ZANGEZUR/cleared_area_2023/2023-12-31"
    assert "trend-2024-03-05/r11" in ez.cleared_area_2023_source
    assert pd.isna(layer.loc["ER-KARABAKH"].get("items_found", float("nan")))
    table = pd.read_csv(regions_atlas / "layers" / "figures.csv", keep_default_na=False)
    assert table.id.is_unique and len(table[~table.derived]) == len(mapkit.load_figures())
    sums = table[table.derived]
    assert sums.id.str.startswith("sum:").all() and (sums.read_from == "derived").all()


def test_the_geoboundaries_adm1_builds_a_map_of_its_two_parts(tmp_path: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        inputs = mapkit.Inputs(boundaries=shared(*GB_ADM1), strict=True)  # every figure placed
        out = mapkit.build(tmp_path / "atlas", inputs)
    notes = [str(w.message) for w in caught]
    assert not [n for n in notes if n.startswith("not on this map")]
    assert any("have their names swapped" in n for n in notes)
    assert any("is a file of regions (mainland Azerbaijan, Nakhchivan" in n for n in notes)
    layer = gpd.read_file(out / "layers" / "districts.geojson").set_index("iso")
    assert sorted(layer.index) == ["ADM1-MAINLAND", "AZ-NX"]
    mainland = layer.loc["ADM1-MAINLAND"]
    assert mainland.cleared_area_2023_ha == pytest.approx(52864.2)  # 11 districts, one date
    assert mainland.area_km2 > 10 * layer.loc["AZ-NX"].area_km2


def test_boundaries_check_says_it_is_a_file_of_regions(regions_file: Path) -> None:
    done = _mapkit("boundaries", "check", str(regions_file), "--format", "json")
    assert done.returncode == 0, done.stderr
    (said,) = [w for w in json.loads(done.stdout)["warnings"] if "is a file of regions" in w]
    assert "Karabakh economic region" in said and "and 1 district" in said
    assert "sum of N districts' figures" in said and "never summed across dates" in said
    assert "With mapkit's figures: East Zangezur economic region 8 series, Karabakh" in said


def _inside(page: object, atlas: Path, iso: str) -> list[float]:
    """A point of the screen inside the polygon of ``iso`` (its representative point)."""
    layer = gpd.read_file(atlas / "layers" / "districts.geojson").set_index("iso")
    point = layer.geometry[iso].representative_point()
    return page.evaluate(
        """([lat, lon]) => { var map = window.mapkit.map;
          var p = map.latLngToContainerPoint([lat, lon]);
          var r = map.getContainer().getBoundingClientRect();
          return [r.x + p.x, r.y + p.y]; }""",
        [point.y, point.x],
    )


def test_the_page_colours_regions_and_says_what_a_sum_is(
    regions_atlas: Path, offline_page: object
) -> None:
    page = offline_page.open(regions_atlas / "index.html")
    page.select_option(".mk-series-select", "cleared_area_2023")
    chosen = page.locator(".mk-series-select option:checked").inner_text()
    assert chosen.endswith("(2 regions)"), chosen  # the page's words say regions, not districts
    paths = page.locator("path.mapkit-district")
    assert paths.count() == 14
    fills = [paths.nth(k).get_attribute("fill") for k in range(paths.count())]
    assert sum(not f.startswith("url(") for f in fills) == 2  # Karabakh and East Zangezur
    page.mouse.move(*_inside(page, regions_atlas, "ER-EAST-ZANGEZUR"))
    tip = page.locator(".mk-tooltip", has_text="East Zangezur economic region")
    tip.wait_for()
    text = tip.inner_text()
    assert text.splitlines()[0] == "East Zangezur economic region"
    assert "Cleared area in 2023: 32,435.8 ha" in text
    assert "sum of 5 districts' figures (of 5 in the region): Trend" in text
    page.mouse.move(0, 0)
    page.mouse.move(*_inside(page, regions_atlas, "ER-KARABAKH"))
    tip = page.locator(".mk-tooltip", has_text="Karabakh economic region")
    tip.wait_for()
    listed = tip.inner_text()
    assert "sum of 6 districts' figures (of 9 in the region)" in listed
    assert "Explosive items found (Aghdam; not summed: different dates): 31,105" in listed
    offmap = page.locator(".mk-offmap")  # Baku's figures are on Baku, the others on regions
    assert offmap.count() == 0 or "Aghdam" not in offmap.inner_text()
    assert offline_page.errors == []
    page.mouse.move(0, 0)
    page.evaluate("window.mapkit.setLanguage('az')")  # a sum says so in the page's language
    page.mouse.move(*_inside(page, regions_atlas, "ER-EAST-ZANGEZUR"))
    tip = page.locator(".mk-tooltip", has_text="32.435,8")
    tip.wait_for()
    assert "5 rayonun rəqəmlərinin cəmi (regiondakı 5 rayondan): Trend" in tip.inner_text()
    assert "sum of" not in tip.inner_text()


def test_a_static_map_of_regions(regions_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "regions.pdf"
    done = _mapkit("map", "--boundaries", str(regions_file), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "is a file of regions" in done.stderr
    text = pdf_text(out)
    assert "sum of 5 districts' figures (of 5 in the region): Trend" in text
    assert "Karabakh economic region" in text
