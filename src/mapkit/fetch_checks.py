"""What geoBoundaries answers, checked before mapkit keeps it: the API record, then the file.

:mod:`mapkit.fetch` asks for a record with :func:`get_metadata`, checks it with
:func:`parse_metadata` and, once the file is downloaded, checks that with :func:`verify_geojson`.
Each refusal is a one-line :class:`~mapkit.errors.BoundaryError` ending with ``kept``, the note
that says whether a cached copy is there.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
from pathlib import Path
from typing import Any

from .download import NETWORK_ERRORS, Limits, open_url, proxy_note, read_chunks, reason
from .errors import BoundaryError

__all__ = [
    "MAX_METADATA_BYTES",
    "REQUIRED_FIELDS",
    "get_metadata",
    "parse_metadata",
    "verify_geojson",
]

REQUIRED_FIELDS = ("boundaryID", "boundaryLicense", "gjDownloadURL")
"""API fields without which a boundary set is not kept: its identity, its licence, its file."""

MAX_METADATA_BYTES = 4 * 1024 * 1024
"""Largest API answer read (a boundary record is a few kB)."""

_LFS_POINTER = b"version https://git-lfs.github.com/spec/"
_API = "the geoBoundaries API"


def get_metadata(url: str, limits: Limits, label: str, kept: str, missing: str) -> bytes:
    """GET the API metadata, refusing anything larger than a few MB."""
    timeout = limits.timeout
    try:
        with open_url(url, timeout) as response:
            body = b""
            for chunk in read_chunks(response, limits, url, label, kept):
                body += chunk
                if len(body) > MAX_METADATA_BYTES:
                    break
    except urllib.error.HTTPError as exc:
        exc.close()  # the error holds the response open
        if exc.code == 404:
            problem = f"{_API} at {url} {missing} (HTTP 404 Not Found)"
        else:
            problem = f"{_API} at {url} answered {reason(exc, timeout)}"
        raise BoundaryError(problem + kept, label) from exc
    except NETWORK_ERRORS as exc:
        raise BoundaryError(
            f"cannot reach {_API} at {url}{proxy_note(url)}: {reason(exc, timeout)}{kept}",
            label,
        ) from exc
    if len(body) > MAX_METADATA_BYTES:
        raise BoundaryError(
            f"{_API} at {url} answered with more than {MAX_METADATA_BYTES} bytes of metadata{kept}",
            label,
        )
    return body


def parse_metadata(
    body: bytes, url: str, iso3: str, level: str, label: str, kept: str
) -> dict[str, Any]:
    """The metadata record for one boundary set, checked against the request."""

    def refuse(why: str) -> BoundaryError:
        return BoundaryError(f"{_API} at {url} {why}{kept}", label)

    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise refuse(f"did not answer with JSON ({exc})") from exc
    if isinstance(data, list):  # the API answers with a list for ALL; take the one asked for
        data = next(
            (r for r in data if isinstance(r, dict) and r.get("boundaryType") == level), None
        )
    if not isinstance(data, dict):
        raise refuse("did not answer with a boundary record")
    for field, wanted in (("boundaryISO", iso3), ("boundaryType", level)):
        got = data.get(field)
        if got is not None and str(got).upper() != wanted:
            raise refuse(f"described {field} {got!r}, not {wanted!r}")
    for field in REQUIRED_FIELDS:
        if not isinstance(data.get(field), str) or not data[field].strip():
            raise refuse(
                f"gave no {field}, which mapkit needs to keep a boundary file with its provenance"
            )
    gj_url = data["gjDownloadURL"]
    if urllib.parse.urlsplit(gj_url).scheme.lower() not in ("http", "https"):
        raise refuse(f"gave a gjDownloadURL that is not http(s): {gj_url!r}")
    return data


def verify_geojson(path: Path, url: str, record: dict[str, Any], label: str, kept: str) -> int:
    """Check a downloaded file is a usable FeatureCollection; return its feature count."""

    def refuse(why: str) -> BoundaryError:
        return BoundaryError(f"refused the file downloaded from {url}: {why}{kept}", label)

    with path.open("rb") as fh:
        head = fh.read(len(_LFS_POINTER))
    if head == _LFS_POINTER:
        raise refuse("it is a Git LFS pointer, not the GeoJSON itself")
    try:
        with path.open("rb") as fh:
            data = json.load(fh)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise refuse(f"it is not valid JSON ({exc})") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise refuse("it is not a GeoJSON FeatureCollection")
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise refuse("it has no features")
    for number, feature in enumerate(features, start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(geometry, dict) or not geometry.get("type"):
            raise refuse(f"feature {number} has no geometry")
    expected = _as_int(record.get("admUnitCount"))
    if expected is not None and expected != len(features):
        raise refuse(f"it has {len(features)} features but admUnitCount says {expected}")
    return len(features)


def _as_int(value: object) -> int | None:
    """A whole number from JSON (``77``, ``"77"``, ``77.0``), else None.

    Examples
    --------
    >>> _as_int("77"), _as_int(77.0), _as_int("7.5"), _as_int(None)
    (77, 77, None, None)
    """
    try:
        number = float(str(value))
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None
