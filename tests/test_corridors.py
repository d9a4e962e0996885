"""Tests of the corridor data (geo/corridors/) and of mapkit.corridors."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import fiona
import geopandas as gpd
import pytest
from shapely.geometry import LineString, box

from mapkit.corridors import crossings, load_corridors, load_stations, with_districts

ROOT = Path(__file__).resolve().parents[1]
CORRIDORS = ROOT / "geo" / "corridors"
DISTRICTS = ROOT / "geo" / "districts.geojson"
LAYERS = ("corridors.geojson", "stations.geojson")
TOLERANCE = 0.15


def _derive_module():
    spec = importlib.util.spec_from_file_location("corridors_derive", CORRIDORS / "derive.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(name: str) -> list[dict[str, str]]:
    with (CORRIDORS / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_route_place_exists():
    places = {row["id"] for row in _rows("places.csv")}
    for segment in _rows("segments.csv"):
        route = segment["route"].split(";")
        assert len(route) >= 2, segment["id"]
        assert set(route) <= places, (segment["id"], sorted(set(route) - places))


def test_places_have_a_source_and_five_decimals():
    for place in _rows("places.csv"):
        assert place["source"] and place["kind"] in {"station", "port", "border", "town"}
        for axis in ("lon", "lat"):
            assert re.fullmatch(r"-?\d{1,3}\.\d{5}", place[axis]), (place["id"], axis)


def test_lengths_within_tolerance_or_explained():
    lines = load_corridors()
    stated = lines[lines.stated_length_km.notna()]
    assert {"ZG-01", "ZG-03", "ZG-04", "ZG-05", "MC-08"} <= set(stated.id)
    for row in stated.itertuples():
        share = abs(row.length_km - row.stated_length_km) / row.stated_length_km
        if share <= TOLERANCE:
            assert row.length_check.startswith("ok:"), row.id
        else:
            assert row.note.strip(), row.id
            assert row.length_check.startswith("differs:") and row.note.strip() in row.length_check
    assert (lines.loc[lines.stated_length_km.isna(), "length_check"] == "").all()


def test_layers_read_back_with_fiona_as_rfc7946():
    for name in LAYERS:
        path = CORRIDORS / name
        raw = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        assert "crs" not in raw
        with fiona.open(path) as layer:
            assert len(layer) == len(raw["features"]) > 0
            kinds = {feature.geometry.type for feature in layer}
        assert kinds == ({"LineString"} if name == "corridors.geojson" else {"Point"})
        for feature in raw["features"]:
            assert all(not isinstance(v, (dict, list)) for v in feature["properties"].values())
            coords = feature["geometry"]["coordinates"]
            positions = coords if feature["geometry"]["type"] == "LineString" else [coords]
            for lon, lat in positions:
                assert -180 <= lon <= 180 and -90 <= lat <= 90
                assert -lon.as_tuple().exponent <= 7 and -lat.as_tuple().exponent <= 7


def test_committed_layers_match_the_tables(tmp_path):
    """The committed GeoJSON is what derive.py makes of the committed tables."""
    done = subprocess.run(
        [sys.executable, str(CORRIDORS / "derive.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for name in LAYERS:
        assert (tmp_path / name).read_bytes() == (CORRIDORS / name).read_bytes(), name


def _copy_tables(tmp_path: Path) -> Path:
    for name in ("places.csv", "segments.csv"):
        shutil.copy(CORRIDORS / name, tmp_path / name)
    return tmp_path


def _edit_segments(folder: Path, segment_id: str, **changes: str) -> None:
    rows = list(csv.DictReader((folder / "segments.csv").open(newline="", encoding="utf-8")))
    for row in rows:
        if row["id"] == segment_id:
            row.update(changes)
    with (folder / "segments.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_derive_fails_on_an_unknown_place(tmp_path):
    derive = _derive_module()
    folder = _copy_tables(tmp_path)
    _edit_segments(folder, "ZG-01", route="horadiz;nowhere;aghband")
    with pytest.raises(derive.CorridorDataError, match=r"unknown place ids \[.nowhere.\]"):
        derive.derive(folder, folder)
    assert derive.main(["--source", str(folder), "--out", str(folder)]) == 1


def test_derive_fails_on_an_unexplained_length(tmp_path):
    derive = _derive_module()
    folder = _copy_tables(tmp_path)
    _edit_segments(folder, "ZG-03", stated_length_km="200", note="")
    with pytest.raises(derive.CorridorDataError, match=r"ZG-03.*no note explains"):
        derive.derive(folder, folder)
    _edit_segments(folder, "ZG-03", note="The stated length is for a longer line.")
    corridors, _ = derive.derive(folder, folder)
    assert "longer line" in corridors.read_text(encoding="utf-8")


def test_stations_are_stations_ports_and_borders():
    stations = load_stations()
    assert stations.crs.to_epsg() == 4326
    assert set(stations.kind) == {"station", "port", "border"}
    assert stations.id.is_unique
    assert {"horadiz", "aghband", "alat", "kars", "kapikule", "dostyk"} <= set(stations.id)


def test_crossings_on_made_up_districts():
    districts = gpd.GeoDataFrame(
        {"iso": ["AZ-AAA", "AZ-BBB"], "name_en": ["West", "East"]},
        geometry=[box(1, -1, 2, 1), box(0, -1, 1, 1)],
        crs="EPSG:4326",
    )
    segments = gpd.GeoDataFrame(
        {"id": ["S1"], "corridor": ["Zangazur"], "segment": ["test"]},
        geometry=[LineString([(0.5, 0), (3, 0)])],
        crs="EPSG:4326",
    )
    table = crossings(segments, districts)
    assert list(table.columns) == [
        "segment_id",
        "corridor",
        "segment",
        "iso",
        "name_en",
        "length_km",
    ]
    assert list(table.iso) == ["AZ-BBB", "AZ-AAA"]  # the order along the line
    assert table.length_km.tolist() == pytest.approx([55.66, 111.32], abs=0.01)
    projected = crossings(segments.to_crs("EPSG:3857"), districts.to_crs("EPSG:32638"))
    assert projected.length_km.tolist() == pytest.approx(table.length_km.tolist(), abs=0.01)


@pytest.mark.skipif(
    not DISTRICTS.exists(), reason="geo/districts.geojson (iso, name_en) has not been derived yet"
)
def test_horadiz_aghband_crosses_fuzuli_jabrayil_zangilan():
    districts = gpd.read_file(DISTRICTS)
    table = crossings(load_corridors(), districts)
    line = table[table.segment_id == "ZG-01"]
    assert list(line.iso) == ["AZ-FUZ", "AZ-CAB", "AZ-ZAN"]
    assert (line.length_km > 5).all()
    named = with_districts(load_corridors(), districts)
    assert named.loc[named.id == "ZG-01", "districts"].item().startswith("Fuzuli (AZ-FUZ)")


def test_the_basemap_has_land_under_every_corridor():
    """The offline basemap reaches from the westernmost to the easternmost corridor place."""
    basemap = gpd.read_file(ROOT / "geo" / "basemap.geojson")
    land = box(*basemap.total_bounds)
    for frame in (load_corridors(), load_stations()):
        outside = frame[~frame.within(land)]
        assert outside.empty, list(outside.iloc[:, 0])
    assert {"Bulgaria", "Turkey", "Georgia", "Kazakhstan", "China"} <= set(basemap.name)


def _by_id(name: str) -> dict[str, dict[str, str]]:
    with (CORRIDORS / name).open(encoding="utf-8") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


def test_audit_corrections_are_in_the_data() -> None:
    places, segments = _by_id("places.csv"), _by_id("segments.csv")
    zhetygen = places["zhetygen"]
    konayev = (77.06304, 43.86681)  # where it was placed before the audit
    assert (float(zhetygen["lon"]), float(zhetygen["lat"])) != konayev
    assert 43.6 < float(zhetygen["lat"]) < 43.8 and zhetygen["source"].startswith("approximate:")
    assert "15-25 km" in places["kuryk_port"]["source"]
    ferry = segments["MC-07"]  # status cited to a report of today's service, not of a 2026 plan
    assert "astanatimes" not in ferry["status_source"] and ferry["status"] == "existing"
    btk = segments["MC-08"]
    assert "79 km" not in btk["schematic"] + btk["note"] and "76 km" in btk["schematic"]
