"""The renderer draws what it is given: an atlas from a small hand-made AtlasData."""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import mapkit
import mapkit.data
from mapkit.join import join
from mapkit.layers import LAYERS
from mapkit.load import AtlasData
from mapkit.page import words
from mapkit.render import atlas

# Files of the embedded dataset (the vocabulary and the page's words are no data set).
DATASET = ("districts.geojson", "figures.csv", "basemap.geojson", "worked_districts.csv",
           "corridors", "sources.csv")  # fmt: skip


def _hand_made(tmp_path: Path) -> AtlasData:
    """Two square districts, three figures of a user's file; no corridors, no reports."""
    mine = tmp_path / "mine.csv"
    mine.write_text(
        "area,metric,value,unit,as_of,source\n"
        "Aghdam,cleared_area,120,ha,2025-06-30,Hand-made Agency report\n"
        "Aghdam,cleared_area,150,ha,2025-12-31,Hand-made Agency report\n"
        "Fuzuli,cleared_area,80,ha,2025-12-31,Hand-made Agency report\n",
        encoding="utf-8",
    )
    figures = mapkit.read_figures(mine)
    districts = gpd.GeoDataFrame(
        {"iso": ["AZ-AGM", "AZ-FUZ"], "name_en": ["Square Aghdam", "Square Fuzuli"],
         "name_az": ["Ağdam", "Füzuli"], "name_ru": ["Агдам", "Физули"], "kind": ["rayon"] * 2,
         "economic_region": ["Karabakh"] * 2, "area_km2": [1000.0, 1200.0]},
        geometry=[shapely.box(46.9, 39.9, 47.1, 40.1), shapely.box(47.1, 39.5, 47.4, 39.9)],
        crs=4326,
    )  # fmt: skip
    worked = pd.DataFrame(columns=["iso", "name_as_written", "period_start", "as_of",
                                   "source_short", "unplaced", "unplaced_said"])  # fmt: skip
    return AtlasData(
        districts=districts,
        figures=figures,
        joined=join(districts, figures),
        findings=[],
        corridors=None,
        stations=None,
        crossings=None,
        worked=worked.assign(as_of_date=pd.to_datetime([])),
        basemap=gpd.GeoDataFrame({"name": []}, geometry=[], crs=4326),
        words=words(),
        title="A hand-made atlas",
    )


def _page_data(html: str) -> dict[str, object]:
    call = re.search(r"mapkitAtlas\([^,]+, \{[^}]*\}, (\{.*\})\);", html)
    assert call, "the page's data is missing"
    return json.loads(call.group(1))


def test_an_atlas_is_drawn_from_what_it_is_given_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _hand_made(tmp_path)
    real_geo_path = mapkit.data.geo_path

    def no_dataset(*parts: str) -> Path:
        if parts and parts[0] in DATASET:
            raise AssertionError(f"the renderer read the embedded {parts[0]}")
        return real_geo_path(*parts)

    monkeypatch.setattr(mapkit.data, "geo_path", no_dataset)
    html = atlas(data).get_root().render()
    assert "<title>A hand-made atlas</title>" in html
    page = _page_data(html)
    shown = {(f["area_name"], f["value"], f["source"]) for f in page["figures"]}
    assert shown == {
        ("Aghdam", 120, "Hand-made Agency report"),
        ("Aghdam", 150, "Hand-made Agency report"),
        ("Fuzuli", 80, "Hand-made Agency report"),
    }  # every figure, each with its source, and their dates
    assert {f["as_of"] for f in page["figures"]} == {"2025-06-30", "2025-12-31"}
    assert "Square Aghdam" in html and "Square Fuzuli" in html
    drawn = {layer.title for layer in LAYERS if f'"{layer.title}" : geo_json_' in html}
    assert drawn == {"Districts: latest published figures"}  # no corridors were given
    assert page["corridor_table"] == [] and page["corridor_legend"] == []
