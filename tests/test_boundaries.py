"""District boundaries: the embedded default is corrected; users' files are matched by name."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import geopandas as gpd
import pycountry
import pytest
from conftest import REPO, shared

import mapkit


@pytest.fixture(scope="module")
def districts() -> gpd.GeoDataFrame:
    return mapkit.load_districts()


def test_embedded_districts_carry_every_iso_code(districts: gpd.GeoDataFrame) -> None:
    codes = {s.code for s in pycountry.subdivisions.get(country_code="AZ")}
    assert len(districts) == 77 and districts.iso.is_unique
    assert set(districts.iso) | set(districts.parent_iso) - {""} == codes
    assert districts.geometry.is_valid.all()
    assert (districts.name_ru.str.len() > 0).all() and (districts.name_en.str.len() > 0).all()


def test_committed_boundaries_are_what_the_script_derives(tmp_path: Path) -> None:
    """geo/derive_districts.py makes the boundaries, basemap and parents byte for byte."""
    done = subprocess.run(
        [sys.executable, str(REPO / "geo" / "derive_districts.py"), "--out-dir", str(tmp_path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    for name in ("districts.geojson", "basemap.geojson", "parents.csv"):
        assert (tmp_path / name).read_bytes() == (REPO / "geo" / name).read_bytes(), name


def test_natural_earth_defects_are_corrected(districts: gpd.GeoDataFrame) -> None:
    by_iso = districts.set_index("iso")
    lachin = by_iso.loc["AZ-LAC", "geometry"].centroid
    shusha = by_iso.loc["AZ-SUS", "geometry"].centroid
    lankaran = by_iso.loc["AZ-LAN", "geometry"].centroid
    assert lachin.x < shusha.x < lankaran.x and lankaran.y < 39
    assert by_iso.loc["AZ-XA", "name_en"] == "Khankendi"
    assert by_iso.loc["AZ-SBN", "name_az"] == "Şabran"
    assert by_iso.loc["AZ-GYG", "name_az"] == "Göygöl"
    assert by_iso.loc["AZ-NV", "kind"] == "city" and by_iso.loc["AZ-SAK", "kind"] == "rayon"


def test_economic_regions_are_the_2021_ones(districts: gpd.GeoDataFrame) -> None:
    assert districts.economic_region.nunique() == 14
    karabakh = set(districts.loc[districts.economic_region == "Karabakh", "iso"])
    assert karabakh == {
        "AZ-XA",
        "AZ-AGC",
        "AZ-AGM",
        "AZ-BAR",
        "AZ-FUZ",
        "AZ-XCI",
        "AZ-XVD",
        "AZ-SUS",
        "AZ-TAR",
    }
    east_zangezur = set(districts.loc[districts.economic_region == "East Zangezur", "iso"])
    assert east_zangezur == {"AZ-CAB", "AZ-KAL", "AZ-QBI", "AZ-LAC", "AZ-ZAN"}


def test_areas_come_from_an_equal_area_projection(districts: gpd.GeoDataFrame) -> None:
    total = districts.area_km2.sum()
    assert 85_500 < total < 87_000  # official: 86,600 km²
    aghdam = districts.set_index("iso").loc["AZ-AGM", "area_km2"]
    assert 1_000 < aghdam < 1_200


def test_the_geoboundaries_file_matches_every_unit_and_reports_the_duplicate() -> None:
    path = shared("external", "geoboundaries", "geoBoundaries-AZE-ADM2.geojson")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        districts = mapkit.load_districts(path)
    messages = [str(w.message) for w in caught]
    assert len(districts) == 77
    assert not any("match no district" in m or "no polygon" in m for m in messages)
    assert any("'Lankaran District'" in m and "merged" in m for m in messages)
    assert any("'Shusha City'" in m for m in messages)


def test_figures_land_on_the_same_district_with_geoboundaries() -> None:
    path = shared("external", "geoboundaries", "geoBoundaries-AZE-ADM2.geojson")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = mapkit.load_districts(path)
    figures = mapkit.load_figures()
    ours = mapkit.join(mapkit.load_districts(), figures).set_index("iso")
    joined = mapkit.join(theirs, figures).set_index("iso")
    assert joined.loc["AZ-AGM", "cleared_area_ha"] == 37154
    columns = [c for c in ours.columns if c.endswith(("_ha", "_id"))]
    assert joined[columns].fillna(0).equals(ours[columns].fillna(0))


def test_a_projected_shapefile_is_reprojected(tmp_path: Path, districts: gpd.GeoDataFrame) -> None:
    path = tmp_path / "utm.shp"
    districts[["iso", "name_en", "geometry"]].to_crs(32638).to_file(path, engine="pyogrio")
    loaded = mapkit.load_districts(path)
    assert len(loaded) == 77 and loaded.crs.to_epsg() == 4326
    assert abs(loaded.area_km2.sum() - districts.area_km2.sum()) < 5


def test_a_file_with_no_district_of_azerbaijan_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere.geojson"
    gpd.GeoDataFrame(
        {"name": ["Bavaria", "Saxony"]},
        geometry=gpd.points_from_xy([11, 13], [48, 51]).buffer(1),
        crs=4326,
    ).to_file(path)
    with pytest.raises(mapkit.BoundaryError, match=r"no district of Azerbaijan.*Bavaria"):
        mapkit.load_districts(path)


def test_a_file_without_crs_is_refused(tmp_path: Path, districts: gpd.GeoDataFrame) -> None:
    path = tmp_path / "nocrs.shp"
    districts[["name_en", "geometry"]].to_file(path, engine="pyogrio")
    path.with_suffix(".prj").unlink()
    with pytest.raises(mapkit.BoundaryError, match="no coordinate reference system"):
        mapkit.load_districts(path)
