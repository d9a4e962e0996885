"""District boundaries: the embedded default is corrected; users' files are matched by name."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pycountry
import pytest
import shapely
from conftest import REPO, shared

import mapkit
from mapkit import geomatch


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


# --- Geometry matching (issue 15), wrong coordinates (issue 18), odd files (issue 19) -----------

NE_RAW = ("external", "naturalearth", "ne_10m_admin_1_AZE.geojson")
GB_ADM2 = ("external", "geoboundaries", "geoBoundaries-AZE-ADM2.geojson")
GB_ADM1 = ("external", "geoboundaries", "geoBoundaries-AZE-ADM1_simplified.geojson")


def _load(path: Path, **options: object) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Load a boundary file; return it and the BoundaryWarnings, their file prefix removed."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loaded = mapkit.load_districts(path, **options)
    notes = [str(w.message).replace(f"{path}: ", "") for w in caught]
    return loaded, notes


def _iou(a: object, b: object) -> float:
    a, b = (
        gpd.GeoSeries([a], crs=4326).to_crs(mapkit.EQUAL_AREA)[0],
        gpd.GeoSeries([b], crs=4326).to_crs(mapkit.EQUAL_AREA)[0],
    )
    return a.intersection(b).area / a.union(b).area


def _named(districts: gpd.GeoDataFrame, names: list[str], path: Path) -> Path:
    gpd.GeoDataFrame({"name": names}, geometry=districts.geometry.values, crs=4326).to_file(path)
    return path


def test_natural_earth_as_downloaded_gets_the_corrections(
    tmp_path: Path, districts: gpd.GeoDataFrame
) -> None:
    """Issue 15/18: Laçın's polygon is labelled Lankaran (AZ-LAN) in Natural Earth."""
    utm = tmp_path / "ne_utm.shp"
    gpd.read_file(shared(*NE_RAW)).to_crs(32638).to_file(utm, engine="pyogrio")
    loaded, notes = _load(utm)
    assert len(loaded) == 77
    (applied,) = [n for n in notes if "ne_corrections.csv" in n]
    assert "AZE-1735 'Lankaran' → AZ-LAC (recode)" in applied
    ours = districts.set_index("iso").geometry
    theirs = loaded.set_index("iso").geometry
    assert _iou(theirs["AZ-LAC"], ours["AZ-LAC"]) > 0.99
    assert _iou(theirs["AZ-LAN"], ours["AZ-LAN"]) > 0.99
    figures = mapkit.load_figures()
    joined = mapkit.join(loaded, figures).set_index("iso")
    ours_joined = mapkit.join(districts, figures).set_index("iso")
    assert joined.loc["AZ-LAC", "figures"] == ours_joined.loc["AZ-LAC", "figures"] > 0
    assert joined.loc["AZ-LAN", "figures"] == ours_joined.loc["AZ-LAN", "figures"]


def test_a_name_on_another_districts_polygon_is_matched_by_geometry(
    tmp_path: Path, districts: gpd.GeoDataFrame
) -> None:
    names = list(districts.name_en)
    k = districts.index[districts.iso == "AZ-LAC"][0]
    names[k] = "Lankaran District"
    loaded, notes = _load(_named(districts, names, tmp_path / "mislabelled.geojson"))
    assert f"feature {k + 1} 'Lankaran District' lies on Laçın (AZ-LAC, overlap 1.00): " \
        "matched by geometry" in notes  # fmt: skip
    assert len(loaded) == 77
    by_iso = loaded.set_index("iso").geometry
    assert _iou(by_iso["AZ-LAC"], districts.set_index("iso").geometry["AZ-LAC"]) > 0.99


def test_two_names_that_trade_places_are_reported_as_swapped(
    tmp_path: Path, districts: gpd.GeoDataFrame
) -> None:
    names = list(districts.name_en)
    a, b = (districts.index[districts.iso == c][0] for c in ("AZ-AGM", "AZ-FUZ"))
    names[a], names[b] = names[b], names[a]
    loaded, notes = _load(_named(districts, names, tmp_path / "swapped.geojson"))
    first, second = sorted((a, b))
    (swap,) = [n for n in notes if "swapped" in n]
    assert swap.startswith(f"features {first + 1} '{names[first]}' and {second + 1}")
    assert "matched by geometry" in swap
    ours = districts.set_index("iso").geometry
    assert _iou(loaded.set_index("iso").geometry["AZ-AGM"], ours["AZ-AGM"]) > 0.99


def test_a_nameless_copy_builds_the_same_map(tmp_path: Path, districts: gpd.GeoDataFrame) -> None:
    path = tmp_path / "nameless.geojson"
    gpd.GeoDataFrame({"fid": range(77)}, geometry=districts.geometry.values, crs=4326).to_file(path)
    loaded, notes = _load(path)
    assert any("matching by geometry alone" in n for n in notes)
    figures = mapkit.load_figures()
    theirs = mapkit.join(loaded, figures).drop(columns="geometry").set_index("iso").sort_index()
    ours = mapkit.join(districts, figures).drop(columns="geometry").set_index("iso").sort_index()
    assert theirs.drop(columns="area_km2").equals(ours.drop(columns="area_km2"))


def test_shuffled_names_are_all_corrected_by_geometry(
    tmp_path: Path, districts: gpd.GeoDataFrame
) -> None:
    names = list(districts.name_en)
    shuffled = names[1:] + names[:1]  # every name on its neighbour's polygon
    loaded, notes = _load(_named(districts, shuffled, tmp_path / "shuffled.geojson"))
    assert len(loaded) == 77
    moved = [n for n in notes if "matched by geometry" in n]
    assert len(moved) >= 70
    for iso, geometry in zip(loaded.iso, loaded.geometry, strict=True):
        assert _iou(geometry, districts.set_index("iso").geometry[iso]) > 0.99, iso


def test_an_extra_overlapping_polygon_is_reported_not_merged(
    tmp_path: Path, districts: gpd.GeoDataFrame
) -> None:
    ours = districts.set_index("iso").geometry
    extra = ours[["AZ-XCI", "AZ-XVD", "AZ-XA", "AZ-SUS"]].union_all()
    frame = gpd.GeoDataFrame(
        {"name": [*districts.name_en, "Nagorno-Karabakh"]},
        geometry=[*districts.geometry, extra],
        crs=4326,
    )
    path = tmp_path / "extra.geojson"
    frame.to_file(path)
    loaded, notes = _load(path)
    (extra_note,) = [n for n in notes if n.startswith("feature 78 'Nagorno-Karabakh' lies on")]
    assert "which is feature" in extra_note and "left out, not merged" in extra_note
    assert "covers " in extra_note and "Xocalı (AZ-XCI)" in extra_note
    assert not [n for n in notes if "merged" in n and "not merged" not in n]
    assert _iou(loaded.set_index("iso").geometry["AZ-XCI"], ours["AZ-XCI"]) > 0.99


def test_economic_regions_are_recognised_and_refused_as_coarser(
    tmp_path: Path, districts: gpd.GeoDataFrame
) -> None:
    regions = districts.dissolve(by="economic_region", as_index=False)[
        ["economic_region", "geometry"]
    ]
    path = tmp_path / "regions.geojson"
    regions.to_file(path)
    table = mapkit.check_boundaries(path).assign(economic_region=regions.economic_region)
    assert list(table.how[table.economic_region != "Baku"]) == ["region"] * 13
    assert "Karabakh economic region" in set(table.iso)
    with pytest.raises(mapkit.BoundaryError, match=r"coarser than districts.*Karabakh economic"):
        mapkit.load_districts(path)


def test_geoboundaries_adm1_swap_is_reported() -> None:
    table = mapkit.check_boundaries(shared(*GB_ADM1))
    assert list(table.iso) == ["Nakhchivan Autonomous Republic", "mainland Azerbaijan"]
    assert "features 1 'Contiguous Azerbaijan' and 2 'Nakhchivan Autonomous Republic' have " \
        "their names swapped" in table.warnings[0]  # fmt: skip


def test_the_geoboundaries_adm2_match_table() -> None:
    table = mapkit.check_boundaries(shared(*GB_ADM2))
    assert len(table) == 79 and (table.how == "name").all()
    noted = table[table.warnings != ""]
    assert list(noted.label) == ["Shusha City", "Naftalan City", "Lankaran District"]
    assert "overlaps it only 0.00" in noted.warnings.iloc[1]  # not where the reference has it
    assert "(feature 28), 'Lankaran District' (feature 36) all match" in noted.warnings.iloc[2]


@pytest.mark.parametrize(
    ("scale", "matched"),
    [
        (1 / geomatch.MATCH_OVERLAP**0.5 * 0.95, True),
        (1 / geomatch.MATCH_OVERLAP**0.5 * 1.1, False),
    ],
)
def test_the_match_threshold(
    tmp_path: Path, districts: gpd.GeoDataFrame, scale: float, matched: bool
) -> None:
    """A nameless polygon grown around Kəlbəcər: matched below the threshold, refused above."""
    kal = districts[districts.iso == "AZ-KAL"].to_crs(mapkit.EQUAL_AREA).geometry
    grown = kal.scale(scale, scale, origin="centroid").to_crs(4326)
    path = tmp_path / "grown.geojson"
    gpd.GeoDataFrame({"fid": [1]}, geometry=grown.values, crs=4326).to_file(path)
    if matched:
        loaded, _ = _load(path)
        assert list(loaded.iso) == ["AZ-KAL"]
    else:
        with pytest.raises(
            mapkit.BoundaryError, match=r"no single district is clear.*nothing guess"
        ):
            _load(path)


def test_an_ambiguous_overlap_is_an_error(tmp_path: Path, districts: gpd.GeoDataFrame) -> None:
    ours = districts.set_index("iso").geometry
    border = ours["AZ-AGM"].intersection(ours["AZ-TAR"])
    middle = gpd.GeoSeries([border.centroid], crs=4326).to_crs(mapkit.EQUAL_AREA).buffer(8000)
    path = tmp_path / "between.geojson"
    gpd.GeoDataFrame({"fid": [1]}, geometry=middle.to_crs(4326).values, crs=4326).to_file(path)
    with pytest.raises(mapkit.BoundaryError, match=r"feature 1 .*overlaps .*Ağdam.*Tərtər"):
        mapkit.load_districts(path)


def test_ambiguous_names_are_resolved_by_their_polygon(
    tmp_path: Path, districts: gpd.GeoDataFrame
) -> None:
    """Issue 18 item 13: mapkit's own name_en Lankaran, Shaki, Yevlakh, Nakhchivan."""
    loaded, notes = _load(_named(districts, list(districts.name_en), tmp_path / "en.geojson"))
    assert len(loaded) == 77
    said = {re.search(r"its polygon says .*\((AZ-\w+),", n)[1] for n in notes if "says" in n}
    assert said >= {"AZ-LA", "AZ-LAN", "AZ-SA", "AZ-SAK", "AZ-YE", "AZ-YEV", "AZ-NV"}
    assert any("'Lankaran' could be Lənkəran (AZ-LA) or Lənkəran (AZ-LAN)" in n for n in notes)
    assert not [n for n in notes if "left out" in n]


def test_a_karabakh_only_file_builds_a_karabakh_map(
    tmp_path: Path, districts: gpd.GeoDataFrame
) -> None:
    part = districts[districts.economic_region.isin(["Karabakh", "East Zangezur"])]
    path = _named(part, list(part.name_en), tmp_path / "karabakh.geojson")
    done = subprocess.run(
        [sys.executable, "-m", "mapkit", "build", "--boundaries", str(path), "--out",
         str(tmp_path / "atlas")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "covers 14 of 77 units" in done.stderr
    assert "not on this map" in done.stderr and "(Dashkasan)" in done.stderr
    layer = gpd.read_file(tmp_path / "atlas" / "layers" / "districts.geojson")
    assert len(layer) == 14
    strict = subprocess.run(
        [sys.executable, "-m", "mapkit", "build", "--boundaries", str(path), "--out",
         str(tmp_path / "strict"), "--strict"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert strict.returncode == 2 and "(--strict)" in strict.stderr
    assert not (tmp_path / "strict").exists()


def _mapkit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mapkit", *args], capture_output=True, text=True, check=False
    )


def test_swapped_latitude_and_longitude_are_corrected(
    tmp_path: Path, districts: gpd.GeoDataFrame
) -> None:
    path = tmp_path / "latlon.geojson"
    swapped = districts[["name_en", "geometry"]].copy()
    swapped["geometry"] = swapped.geometry.map(
        lambda g: shapely.transform(g, lambda xy: xy[:, ::-1])
    )
    swapped.to_file(path)
    loaded, notes = _load(path)
    assert any("latitude and longitude swapped" in n and "corrected" in n for n in notes)
    assert len(loaded) == 77 and 44 < loaded.total_bounds[0] < 45


@pytest.mark.parametrize(
    ("crs", "coordinates", "said"),
    [
        (None, 3857, "no coordinate reference system.*Web Mercator metres"),
        ("OGC:CRS84", 3857, "says its CRS is .*degrees.*look like .*Web Mercator metres"),
        ("EPSG:3857", 4326, "says its CRS is WGS 84 / Pseudo-Mercator.*longitude/latitude over"),
    ],
)
def test_coordinates_that_do_not_fit_their_crs_are_refused(
    tmp_path: Path, districts: gpd.GeoDataFrame, crs: str | None, coordinates: int, said: str
) -> None:
    path = tmp_path / "wrong.shp"
    frame = districts[["name_en", "geometry"]].to_crs(coordinates)
    frame.set_crs(crs, allow_override=True).to_file(path) if crs else frame.to_file(path)
    if crs is None:
        path.with_suffix(".prj").unlink()
    done = _mapkit("build", "--boundaries", str(path), "--out", str(tmp_path / "atlas"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    (line,) = done.stderr.splitlines()
    assert re.search(said, line), line
    assert not (tmp_path / "atlas").exists()


def test_the_api_reprojects_districts_and_refuses_empty_ones(
    districts: gpd.GeoDataFrame,
) -> None:
    figures = mapkit.load_figures()
    mercator = districts.to_crs(3857)
    assert mapkit.join(mercator, figures).crs.to_epsg() == 4326
    page = mapkit.atlas(mercator, figures).get_root().render()
    # the page frames the first view, Azerbaijan, not 0°N 0°E
    assert re.search(r'"views": \[\{"bounds": \[\[38\.\d+, 44\.\d+\]', page)
    with pytest.raises(mapkit.BoundaryError, match="no districts to map"):
        mapkit.atlas(districts.iloc[:0], figures)
    with pytest.raises(mapkit.BoundaryError, match=r"GeoDataFrame from mapkit\.load_districts"):
        mapkit.join(pd.DataFrame({"name": ["x"]}), figures)


def test_control_characters_in_feature_names_are_printed_visible(
    tmp_path: Path, districts: gpd.GeoDataFrame
) -> None:
    names = list(districts.name_en)
    names[0] = "\x1b]0;pwned\x07\x1b[2JAbsheron"
    geometry = list(districts.geometry)
    geometry[0] = shapely.Polygon([(49, 40.4), (49.2, 40.6), (49.2, 40.4), (49, 40.6)])  # invalid
    path = tmp_path / "escapes.geojson"
    gpd.GeoDataFrame({"name": names}, geometry=geometry, crs=4326).to_file(path)
    done = _mapkit("boundaries", "check", str(path))
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout + done.stderr and "\x07" not in done.stdout + done.stderr
    assert "\\x1b]0;pwned\\x07" in done.stdout
    repaired = "repaired invalid geometry of \\x1b]0;pwned\\x07\\x1b[2JAbsheron (feature 1)"
    assert repaired in done.stdout


def test_points_are_refused_in_one_line(tmp_path: Path, districts: gpd.GeoDataFrame) -> None:
    path = tmp_path / "points.geojson"
    districts[["name_en", "geometry"]].assign(geometry=districts.centroid).to_file(path)
    done = _mapkit("build", "--boundaries", str(path), "--out", str(tmp_path / "atlas"))
    assert done.returncode == 2
    assert done.stderr == f"mapkit: error: {path}: holds Point features, not district polygons\n"


def test_null_geometries_keep_the_files_numbering(
    tmp_path: Path, districts: gpd.GeoDataFrame
) -> None:
    names = list(districts.name_en)
    geometry = list(districts.geometry)
    geometry[2] = None
    names[5] = "Nowhere District"
    path = tmp_path / "nulls.geojson"
    gpd.GeoDataFrame({"name": names}, geometry=geometry, crs=4326).to_file(path)
    _, notes = _load(path)
    assert "left out feature 3 with no geometry" in notes
    assert any("feature 6 'Nowhere District'" in n for n in notes)
    empty = tmp_path / "empty.geojson"
    gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=[None, None], crs=4326).to_file(empty)
    with pytest.raises(mapkit.BoundaryError, match="all 2 features have no geometry"):
        mapkit.load_districts(empty)


def test_a_shapefile_without_dbf_is_matched_by_geometry(
    tmp_path: Path, districts: gpd.GeoDataFrame
) -> None:
    path = tmp_path / "nodbf.shp"
    districts[["name_en", "geometry"]].to_file(path)
    path.with_suffix(".dbf").unlink()
    loaded, notes = _load(path)
    assert any("has no .dbf" in n for n in notes) and len(loaded) == 77


def test_a_zip_with_the_shapefile_in_a_subfolder(
    tmp_path: Path, districts: gpd.GeoDataFrame
) -> None:
    folder = tmp_path / "AZE_adm2"
    folder.mkdir()
    districts[["name_en", "geometry"]].to_file(folder / "aze_adm2.shp")
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for part in folder.iterdir():
            z.write(part, f"AZE_adm2/{part.name}")
    loaded, _ = _load(archive)
    assert len(loaded) == 77


def test_a_geopackage_with_two_layers(tmp_path: Path, districts: gpd.GeoDataFrame) -> None:
    path = tmp_path / "two.gpkg"
    districts[["name_en", "geometry"]].to_file(path, layer="country_outline")
    districts[["name_en", "geometry"]].to_file(path, layer="districts")
    loaded, notes = _load(path)
    assert len(loaded) == 77 and any("read 'districts' (choose with `layer`)" in n for n in notes)
    other = tmp_path / "other.gpkg"
    districts[["name_en", "geometry"]].to_file(other, layer="a")
    districts[["name_en", "geometry"]].to_file(other, layer="b")
    done = _mapkit("build", "--boundaries", str(other), "--out", str(tmp_path / "atlas"))
    assert done.returncode == 2
    assert "has 2 layers ('a', 'b'): choose one with --layer NAME" in done.stderr


def test_boundaries_check_prints_the_match_table(tmp_path: Path) -> None:
    done = _mapkit("boundaries", "check", str(shared(*GB_ADM1)), "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [f["iso"] for f in report["features"]] == [
        "Nakhchivan Autonomous Republic",
        "mainland Azerbaijan",
    ]
    assert (
        report["features"][0]["how"] == "region" and "swapped" in report["features"][0]["warnings"]
    )
    text = _mapkit("boundaries", "check", str(shared(*NE_RAW)))
    assert text.returncode == 0
    header = text.stdout.splitlines()[0].split()
    assert header == ["feature", "label", "iso", "unit", "how", "overlap", "warnings"]
    assert "warning: " in text.stdout and "ne_corrections.csv" in text.stdout


def test_the_page_lists_what_is_not_on_this_map(
    tmp_path: Path, districts: gpd.GeoDataFrame, offline_page: object
) -> None:
    part = districts[districts.economic_region.isin(["Karabakh", "East Zangezur"])]
    path = _named(part, list(part.name_en), tmp_path / "karabakh.geojson")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = mapkit.build(tmp_path / "atlas", mapkit.Inputs(boundaries=path))
    page = offline_page.open(out / "index.html")
    section = page.locator(".mk-offmap")
    assert section.count() == 1
    text = section.inner_text()
    assert text.startswith("Not on this map") and "Dashkasan" in text and "Gazakh" in text
    assert "Aghdam" not in text
    assert page.locator("path.mapkit-district").count() == 14
    assert "Azerbaijan — key figures" in page.locator(".mk-panel").inner_text()
    assert offline_page.errors == []
