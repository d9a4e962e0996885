"""The published layers as a GIS analyst imports them: RFC 7946, read back with fiona."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import fiona
import pycountry
import pytest
import shapely
from shapely.geometry import shape

from mapkit.layers import LAYERS as TABLE
from mapkit.layers import layer_names

LAYERS = layer_names()  # districts, corridors, corridor-stations: the layer table's


def coordinates(geometry: dict) -> list[float]:
    def walk(node: object) -> list[float]:
        if isinstance(node, (int, float)):
            return [node]
        return [c for item in node for c in walk(item)]

    return walk(geometry["coordinates"])


@pytest.mark.parametrize("name", LAYERS)
def test_layer_is_rfc7946(atlas_dir: Path, name: str) -> None:
    data = json.loads((atlas_dir / "layers" / f"{name}.geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    for feature in data["features"]:
        values = feature["properties"].values()
        assert not any(isinstance(v, (dict, list)) for v in values)  # flat: QGIS shows columns
        coords = coordinates(feature["geometry"])
        assert all(-180 <= x <= 180 for x in coords[::2]) and all(
            -90 <= y <= 90 for y in coords[1::2]
        )
        assert all(-Decimal(repr(c)).as_tuple().exponent <= 7 for c in coords)
        geom = shape(feature["geometry"])
        if geom.geom_type in ("Polygon", "MultiPolygon"):
            assert shapely.orient_polygons(geom).equals_exact(geom, 0)  # right-hand rule


def test_districts_layer_reads_back_with_every_iso_code(atlas_dir: Path) -> None:
    with fiona.open(atlas_dir / "layers" / "districts.geojson") as layer:
        features = list(layer)
        schema = layer.schema["properties"]
    codes = {s.code for s in pycountry.subdivisions.get(country_code="AZ")}
    isos = {f.properties["iso"] for f in features}
    parents = {f.properties["parent_iso"] for f in features} - {None}  # NULL, not ""
    assert len(features) == 77 and isos | parents == codes
    for column in ("name_az", "name_en", "name_ru", "economic_region", "area_km2"):
        assert column in schema
    aghdam = next(f for f in features if f.properties["iso"] == "AZ-AGM")
    assert aghdam.properties["cleared_area_ha"] == 37154
    assert aghdam.properties["cleared_area_as_of"] == "2025-05-20"
    assert aghdam.properties["name_az"] == "Ağdam"


def test_every_layer_of_the_table_is_drawn_exported_and_styled(atlas_dir: Path) -> None:
    """One entry of mapkit.layers.LAYERS is a layer on the page, a file and a QGIS style."""
    page = (atlas_dir / "index.html").read_text(encoding="utf-8")
    gpkg = atlas_dir / "layers" / "mapkit.gpkg"
    styled = dict(sqlite3.connect(gpkg).execute("select f_table_name, styleQML from layer_styles"))
    assert set(fiona.listlayers(gpkg)) - {"layer_styles"} == {
        layer.name.replace("-", "_") for layer in TABLE
    }
    for layer in TABLE:
        assert f'"{layer.title}" : geo_json_' in page, layer.title
        assert (atlas_dir / "layers" / f"{layer.name}.geojson").exists(), layer.name
        assert styled[layer.name.replace("-", "_")] == layer.style(), layer.name
