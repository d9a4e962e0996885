"""Exports for every GIS: GeoPackage (styled), shapefile, CSV; and the published layers/."""

from __future__ import annotations

import csv
import sqlite3
import warnings
from pathlib import Path

import fiona
import geopandas as gpd
import pyogrio
import pytest
import shapely
from conftest import REPO, shared

import mapkit
from mapkit.cli import main
from mapkit.layers import frames
from mapkit.load import load_atlas
from mapkit.render import display_geometry


def test_geopackage_has_every_layer_attribute_name_and_style(atlas_dir: Path) -> None:
    path = atlas_dir / "layers" / "mapkit.gpkg"
    expected = mapkit.join(mapkit.load_districts(), mapkit.load_figures())
    with fiona.open(path, layer="districts") as layer:
        rows = {f.properties["iso"]: f.properties for f in layer}
        starts = {c.replace("_as_of", "_period_start") for c in expected if c.endswith("_as_of")}
        assert set(layer.schema["properties"]) == set(expected.columns) - {"geometry"} | starts
    assert rows["AZ-AGM"]["name_az"] == "Ağdam" and rows["AZ-AGM"]["name_ru"] == "Агдам"
    assert rows["AZ-SAK"]["name_az"] == "Şəki" and rows["AZ-GYG"]["name_az"] == "Göygöl"
    assert rows["AZ-AGM"]["cleared_area_ha"] == 37154
    frame = pyogrio.read_dataframe(path, layer="corridors")
    assert len(frame) == len(mapkit.load_corridors())
    with sqlite3.connect(path) as db:
        styled = dict(db.execute("SELECT f_table_name, styleQML FROM layer_styles").fetchall())
    assert set(styled) == {"districts", "corridors", "corridor_stations"}  # no quoting in SQL
    assert "no data" in styled["districts"] and "under construction" in styled["corridors"]


def test_shapefile_keeps_utf8_names_and_documents_its_short_fields(atlas_dir: Path) -> None:
    path = atlas_dir / "layers" / "districts.shp"
    assert path.with_suffix(".cpg").read_text().strip().upper() in ("UTF-8", "UTF8")
    fields = dict(
        csv.reader((atlas_dir / "layers" / "districts_fields.csv").open(encoding="utf-8"))
    )
    assert all(len(short) <= 10 for short in fields) and len(set(fields)) == len(fields)
    with fiona.open(path) as layer:
        assert set(layer.schema["properties"]) == set(fields) - {"field"}
        rows = {f.properties["iso"]: f.properties for f in layer}
    assert rows["AZ-XVD"]["name_az"] == "Xocavənd"
    short = next(s for s, full in fields.items() if full == "cleared_area_ha")
    assert rows["AZ-AGM"][short] == 37154
    frame = pyogrio.read_dataframe(path)
    assert "Ağdam" in set(frame["name_az"])


def test_figures_csv_round_trips_as_a_users_file(atlas_dir: Path) -> None:
    with pytest.warns(mapkit.figures.FiguresWarning) as caught:
        again = mapkit.read_figures(atlas_dir / "layers" / "figures.csv")
    # the two places kept but never put on a polygon are said again, nothing else
    unplaced = {str(w.message).split(": ")[1].split(" (")[0] for w in caught}
    assert unplaced == {"Aghdara", "other districts"}
    original = mapkit.load_figures()
    assert list(again.value) == list(original.value)
    assert list(again.iso) == list(original.iso)


def test_published_layers_are_current(tmp_path: Path) -> None:
    """`mapkit export --format geojson,gpkg,csv --out layers` regenerates layers/."""
    fresh = tmp_path / "layers"
    data = load_atlas(mapkit.Inputs())
    found, figures = frames(data), data.figures
    mapkit.write_layers(found, figures, fresh, ("geojson", "gpkg", "csv"))
    for path in fresh.glob("*.geojson"):
        assert (REPO / "layers" / path.name).read_bytes() == path.read_bytes(), path.name
    assert (REPO / "layers" / "figures.csv").read_bytes() == (fresh / "figures.csv").read_bytes()
    for layer in map(mapkit.export.gpkg_layer_name, found):
        published = pyogrio.read_dataframe(REPO / "layers" / "mapkit.gpkg", layer=layer)
        assert published.equals(pyogrio.read_dataframe(fresh / "mapkit.gpkg", layer=layer)), layer


def test_geopackage_dates_are_dates_and_missing_values_null(atlas_dir: Path) -> None:
    path = atlas_dir / "layers" / "mapkit.gpkg"
    with sqlite3.connect(path) as db:
        sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'districts'").fetchone()[0]
        empty = db.execute(
            "SELECT COUNT(*) FROM districts WHERE cleared_area_2025_as_of = ''"
        ).fetchone()[0]
        null = db.execute(
            "SELECT COUNT(*) FROM districts WHERE cleared_area_2025_as_of IS NULL"
        ).fetchone()[0]
        stations = db.execute("SELECT COUNT(*) FROM corridor_stations").fetchone()[0]
    assert (
        '"cleared_area_2025_as_of" DATE' in sql and '"cleared_area_2025_period_start" DATE' in sql
    )
    assert empty == 0 and null == 77 - 12 and stations > 0
    with fiona.open(path, layer="districts") as layer:
        aghdam = next(f.properties for f in layer if f.properties["iso"] == "AZ-AGM")
        assert layer.schema["properties"]["cleared_area_2023_as_of"] == "date"
    assert aghdam["cleared_area_2023_period_start"] == "2023-01-01"
    assert aghdam["cleared_area_2023_as_of"] == "2023-12-31"
    with fiona.open(path, layer="corridors") as layer:
        assert layer.schema["properties"]["status_date"] == "date"


def test_geojson_readers_see_dates(atlas_dir: Path) -> None:
    with fiona.open(atlas_dir / "layers" / "districts.geojson") as layer:
        schema = layer.schema["properties"]
        aghdam = next(f.properties for f in layer if f.properties["iso"] == "AZ-AGM")
    assert schema["cleared_area_2025_as_of"] == "date"
    assert schema["cleared_area_2025_period_start"] == "date"
    assert aghdam["cleared_area_since_2020_11_period_start"] == "2020-11-01"  # stated 2020-11
    assert aghdam["cleared_area_2025_qualifier"] is None  # NULL, not ""


def assert_coverage_kept(original: gpd.GeoDataFrame) -> None:
    simplified = display_geometry(original)
    assert shapely.coverage_is_valid(simplified.values)  # no overlaps, edges still shared
    before = shapely.union_all(original.geometry.values)
    after = shapely.union_all(simplified.values)
    holes = lambda g: sum(len(p.interiors) for p in getattr(g, "geoms", [g]))  # noqa: E731
    assert holes(after) <= holes(before)  # no new gaps between neighbours
    assert abs(after.area - before.area) / before.area < 0.005


def test_html_districts_are_simplified_without_gaps_or_overlaps() -> None:
    assert_coverage_kept(mapkit.load_districts())


def test_a_detailed_boundary_file_is_simplified_without_gaps_or_overlaps() -> None:
    path = shared("external", "geoboundaries", "geoBoundaries-AZE-ADM2.geojson")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        detailed = mapkit.load_districts(path)
    assert_coverage_kept(detailed)
    vertices = shapely.get_num_coordinates(detailed.geometry.values).sum()
    assert shapely.get_num_coordinates(display_geometry(detailed).values).sum() < vertices


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "shp", "csv"])
def test_export_command_writes_each_format(tmp_path: Path, fmt: str) -> None:
    assert main(["export", "--format", fmt, "--out", str(tmp_path)]) == 0
    assert any(tmp_path.iterdir())


def test_a_shapefile_wider_than_some_readers_read_says_so_in_mapkits_words(
    tmp_path: Path,
) -> None:
    from mapkit.export import DBF_FIELDS, LayerWarning, write_shapefile

    columns = {f"series_{k}_as_of": ["2025-05-20"] for k in range(300)}
    layer = gpd.GeoDataFrame(columns, geometry=[shapely.box(46, 39, 47, 40)], crs=4326)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        write_shapefile(layer, tmp_path / "districts.shp")
    assert [(w.category, str(w.message)) for w in said] == [
        (
            LayerWarning,
            f"districts.shp: 300 fields, more than the {DBF_FIELDS} some programs read from a "
            "shapefile; the GeoPackage and GeoJSON layers are read whole",
        )
    ]
    with fiona.open(tmp_path / "districts.shp") as written:
        assert len(written.schema["properties"]) == 300  # all written, none dropped
