"""Derive the corridor layers from the two tables beside this script.

``places.csv`` holds every station, port, border crossing and town a corridor segment passes
through, each with its WGS84 position and where that position came from. ``segments.csv`` holds
the segments: corridor, mode, status as reported (with its source and date), the length a source
states, and the route as place ids in order.

This script joins them and writes two RFC 7946 GeoJSON layers (no ``crs`` member, lon/lat, at
most 7 decimals, flat properties):

- ``corridors.geojson``: one LineString per segment, every ``segments.csv`` column as a property,
  plus ``length_km`` (geodesic, on the WGS84 ellipsoid) and ``length_check`` (how the drawn length
  compares with the stated one, where a source states one);
- ``stations.geojson``: one Point per place of kind station, port or border.

It fails loudly, naming the file, the row and the problem, when a route names an unknown place,
when a value is outside its vocabulary, or when a drawn length differs from a stated one by more
than 15 % and the segment's note does not explain why.

Run from the repository root::

    .venv/bin/python geo/corridors/derive.py            # writes beside this script
    .venv/bin/python geo/corridors/derive.py --out DIR  # writes into DIR
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from pyproj import Geod
from shapely.geometry import LineString

from mapkit.export import collection_text

HERE = Path(__file__).resolve().parent
PLACE_COLUMNS = (
    "id",
    "name",
    "name_local",
    "country",
    "kind",
    "lon",
    "lat",
    "source",
    "source_url",
)
SEGMENT_COLUMNS = (
    "id",
    "corridor",
    "segment",
    "mode",
    "status",
    "status_date",
    "status_source",
    "stated_length_km",
    "stated_length_source",
    "route",
    "schematic",
    "note",
)
KINDS = ("station", "port", "border", "town")
POINT_KINDS = ("station", "port", "border")
CORRIDORS = ("Zangazur", "Middle Corridor")
MODES = ("rail", "road", "ferry")
STATUSES = ("existing", "under construction", "planned")
TOLERANCE = 0.15  # drawn vs stated length, as a share of the stated length
COORDINATE_DECIMALS = 5  # of places.csv; well within RFC 7946's advice
GEOD = Geod(ellps="WGS84")

Row = dict[str, str]


class CorridorDataError(ValueError):
    """A problem in ``places.csv`` or ``segments.csv``, with the file and row it is in."""


def read_table(path: Path, columns: Sequence[str]) -> list[Row]:
    """Read a UTF-8 CSV table whose header must be exactly ``columns``."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != tuple(columns):
            raise CorridorDataError(
                f"{path}: header is {reader.fieldnames}, expected {list(columns)}"
            )
        return [dict(row) for row in reader]


def _decimals(text: str) -> int:
    return len(text.partition(".")[2])


def load_places(path: Path) -> dict[str, Row]:
    """Places by id, checked: unique ids, known kinds, coordinates in range with 5 decimals."""
    places: dict[str, Row] = {}
    for line, row in enumerate(read_table(path, PLACE_COLUMNS), start=2):
        where = f"{path}, line {line} ({row['id'] or 'no id'})"
        if not row["id"] or row["id"] in places:
            raise CorridorDataError(f"{where}: id is empty or repeated")
        if row["kind"] not in KINDS:
            raise CorridorDataError(f"{where}: kind {row['kind']!r} is not one of {KINDS}")
        if not row["name"] or not row["source"]:
            raise CorridorDataError(f"{where}: name and source are required")
        try:
            lon, lat = float(row["lon"]), float(row["lat"])
        except ValueError as error:
            raise CorridorDataError(f"{where}: lon/lat are not numbers") from error
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise CorridorDataError(f"{where}: ({lon}, {lat}) is not a lon/lat position")
        if {_decimals(row["lon"]), _decimals(row["lat"])} != {COORDINATE_DECIMALS}:
            raise CorridorDataError(f"{where}: lon/lat must have {COORDINATE_DECIMALS} decimals")
        places[row["id"]] = row
    return places


def route_ids(segment: Row) -> list[str]:
    """The place ids of a segment's route, in order."""
    return [part.strip() for part in segment["route"].split(";") if part.strip()]


def load_segments(path: Path, places: dict[str, Row]) -> list[Row]:
    """Segments, checked against the vocabularies and against ``places``."""
    segments = read_table(path, SEGMENT_COLUMNS)
    seen: set[str] = set()
    for line, row in enumerate(segments, start=2):
        where = f"{path}, line {line} ({row['id'] or 'no id'})"
        if not row["id"] or row["id"] in seen:
            raise CorridorDataError(f"{where}: id is empty or repeated")
        seen.add(row["id"])
        for column, allowed in (("corridor", CORRIDORS), ("mode", MODES), ("status", STATUSES)):
            if row[column] not in allowed:
                raise CorridorDataError(
                    f"{where}: {column} {row[column]!r} is not one of {allowed}"
                )
        try:
            dt.date.fromisoformat(row["status_date"])
        except ValueError as error:
            raise CorridorDataError(f"{where}: status_date must be YYYY-MM-DD") from error
        if not row["status_source"]:
            raise CorridorDataError(f"{where}: status_source is required")
        if row["stated_length_km"]:
            try:
                stated = float(row["stated_length_km"])
            except ValueError as error:
                raise CorridorDataError(f"{where}: stated_length_km is not a number") from error
            if stated <= 0 or not row["stated_length_source"]:
                raise CorridorDataError(
                    f"{where}: a stated length needs a positive value and a source"
                )
        ids = route_ids(row)
        unknown = [place for place in ids if place not in places]
        if unknown:
            raise CorridorDataError(f"{where}: route names unknown place ids {unknown}")
        if len(ids) < 2 or any(a == b for a, b in itertools.pairwise(ids)):
            raise CorridorDataError(
                f"{where}: a route needs two or more places, none repeated in a row"
            )
    used = {place for row in segments for place in route_ids(row)}
    unused = sorted(set(places) - used)
    if unused:
        raise CorridorDataError(f"{path}: places in no route: {unused}")
    return segments


def line_of(segment: Row, places: dict[str, Row]) -> LineString:
    """The segment's line through its route places."""
    return LineString(
        [(float(places[p]["lon"]), float(places[p]["lat"])) for p in route_ids(segment)]
    )


def geodesic_km(line: LineString) -> float:
    """Length on the WGS84 ellipsoid, in km."""
    return GEOD.geometry_length(line) / 1000


def length_check(segment: Row, length_km: float, where: str) -> str:
    """Compare the drawn length with the stated one: '' if none is stated.

    Raises :class:`CorridorDataError` when they differ by more than :data:`TOLERANCE` and the
    segment has no note to explain it.
    """
    if not segment["stated_length_km"]:
        return ""
    stated = float(segment["stated_length_km"])
    share = (length_km - stated) / stated
    compared = f"{length_km:.1f} km drawn vs {stated:g} km stated ({share:+.0%})"
    if abs(share) <= TOLERANCE:
        return f"ok: {compared}"
    if not segment["note"].strip():
        raise CorridorDataError(
            f"{where}: {compared}, more than {TOLERANCE:.0%} apart, and no note explains why"
        )
    return f"differs: {compared}. {segment['note'].strip()}"


def _position(x: float, y: float) -> list[float]:
    return [round(x, 7), round(y, 7)]


def corridor_features(segments: Iterable[Row], places: dict[str, Row], path: Path) -> list[dict]:
    """One LineString feature per segment, with flat properties."""
    features = []
    for line_number, segment in enumerate(segments, start=2):
        line = line_of(segment, places)
        length_km = round(geodesic_km(line), 1)
        where = f"{path}, line {line_number} ({segment['id']})"
        properties: dict[str, object] = {column: segment[column] for column in SEGMENT_COLUMNS}
        stated = segment["stated_length_km"]
        properties["stated_length_km"] = float(stated) if stated else None
        properties["length_km"] = length_km
        properties["length_check"] = length_check(segment, length_km, where)
        coordinates = [_position(x, y) for x, y in line.coords]
        features.append(
            {
                "type": "Feature",
                "properties": properties,
                "geometry": {"type": "LineString", "coordinates": coordinates},
            }
        )
    return features


def station_features(places: dict[str, Row], segments: Iterable[Row]) -> list[dict]:
    """One Point feature per station, port or border crossing, with the segments through it."""
    through: dict[str, list[str]] = {}
    for segment in segments:
        for place in route_ids(segment):
            through.setdefault(place, []).append(segment["id"])
    features = []
    for place in places.values():
        if place["kind"] not in POINT_KINDS:
            continue
        properties: dict[str, object] = {
            c: place[c] for c in PLACE_COLUMNS if c not in ("lon", "lat")
        }
        properties["segments"] = ";".join(through.get(place["id"], []))
        point = _position(float(place["lon"]), float(place["lat"]))
        features.append(
            {
                "type": "Feature",
                "properties": properties,
                "geometry": {"type": "Point", "coordinates": point},
            }
        )
    return features


def write_geojson(path: Path, features: list[dict]) -> None:
    """Write an RFC 7946 FeatureCollection, one feature per line (readable diffs)."""
    path.write_text(collection_text(features), encoding="utf-8")


def derive(source: Path = HERE, out: Path = HERE) -> tuple[Path, Path]:
    """Read the tables in ``source``, write the two layers into ``out``; return their paths."""
    places = load_places(source / "places.csv")
    segments_path = source / "segments.csv"
    segments = load_segments(segments_path, places)
    out.mkdir(parents=True, exist_ok=True)
    corridors = out / "corridors.geojson"
    stations = out / "stations.geojson"
    write_geojson(corridors, corridor_features(segments, places, segments_path))
    write_geojson(stations, station_features(places, segments))
    return corridors, stations


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: derive the layers; exit status 1 with a one-line error on bad data."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=HERE, help="folder with the two tables")
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write the layers into")
    args = parser.parse_args(argv)
    try:
        written = derive(args.source, args.out)
    except CorridorDataError as error:
        print(f"derive.py: error: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
