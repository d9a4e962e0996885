"""Fetch administrative boundaries from geoBoundaries into a local cache; never lose a good copy.

``mapkit boundaries fetch geoboundaries AZE ADM2`` runs :func:`fetch_boundaries`. It asks the
geoBoundaries API for the metadata of one boundary set, for example
``https://www.geoboundaries.org/api/current/gbOpen/AZE/ADM2/``, which answers with one JSON object
carrying ``boundaryID``, ``boundaryISO``, ``boundaryType``, ``boundaryLicense``, ``admUnitCount``,
``gjDownloadURL`` and more. It then downloads the GeoJSON at ``gjDownloadURL`` into a temporary
file beside the cache, checks it, and only then renames it into place, with the metadata next to
it so the licence and ``boundaryID`` travel with the file.

Everything else in mapkit works offline: this module is the only one that opens a network
connection, and only when asked to. When the network or the server fails, the error says what
failed and whether a cached copy is there; the cached copy is never touched.

Examples
--------
These need the network, so they are skipped when the docstrings run as tests:

>>> from mapkit.fetch import fetch_boundaries, cached_boundaries
>>> path = fetch_boundaries("geoboundaries", "AZE", "ADM2")  # doctest: +SKIP
>>> path.name  # doctest: +SKIP
'geoBoundaries-AZE-ADM2.geojson'
>>> cached_boundaries("geoboundaries", "AZE", "ADM2") == path  # doctest: +SKIP
True
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

import platformdirs
import pycountry

from .download import Limits, download_to
from .errors import BoundaryError
from .fetch_checks import REQUIRED_FIELDS, get_metadata, parse_metadata, verify_geojson

__all__ = [
    "API",
    "DEADLINE",
    "LEVELS",
    "MAX_DOWNLOAD_BYTES",
    "RELEASES",
    "REQUIRED_FIELDS",
    "SOURCES",
    "cache_path",
    "cached_boundaries",
    "default_cache_dir",
    "fetch_boundaries",
    "metadata_path",
]

API = "https://www.geoboundaries.org/api/current"
"""The geoBoundaries API; ``{API}/{release}/{ISO3}/{level}/`` describes one boundary set."""

SOURCES = ("geoboundaries",)
"""Boundary sources mapkit can fetch from."""

RELEASES = ("gbOpen",)
"""geoBoundaries releases mapkit can fetch (gbOpen is the openly licensed one)."""

LEVELS = ("ADM0", "ADM1", "ADM2")
"""Administrative levels mapkit can fetch: country, economic region, district."""

MAX_DOWNLOAD_BYTES = 200 * 1024 * 1024
"""Largest boundary file kept (200 MiB; geoBoundaries' Azerbaijan ADM2 is 0.5 MB)."""
DEADLINE = 300.0
"""Seconds a whole fetch (metadata and file) may take before it is stopped."""


def default_cache_dir() -> Path:
    """The per-user cache directory of mapkit (``platformdirs.user_cache_dir("mapkit")``).

    Returns
    -------
    Path
        The directory; it is not created here.
    """
    return Path(platformdirs.user_cache_dir("mapkit"))


def cache_path(
    source: str,
    iso3: str,
    level: str,
    cache_dir: Path | None = None,
    *,
    release: str = "gbOpen",
) -> Path:
    """Where the boundary file of one source, country and level is (or would be) cached.

    Parameters
    ----------
    source : str
        The boundary source; only ``"geoboundaries"``.
    iso3 : str
        ISO 3166-1 alpha-3 country code, such as ``"AZE"`` (any case).
    level : str
        ``"ADM0"``, ``"ADM1"`` or ``"ADM2"`` (any case).
    cache_dir : Path, optional
        The cache root; :func:`default_cache_dir` when not given.
    release : str, default "gbOpen"
        The geoBoundaries release; only ``"gbOpen"``.

    Returns
    -------
    Path
        ``cache_dir/geoboundaries/gbOpen/AZE/ADM2/geoBoundaries-AZE-ADM2.geojson``.

    Raises
    ------
    BoundaryError
        If the source, release, country or level is not one mapkit can fetch.

    Examples
    --------
    >>> cache_path("geoboundaries", "aze", "adm2", Path("/cache")).as_posix()
    '/cache/geoboundaries/gbOpen/AZE/ADM2/geoBoundaries-AZE-ADM2.geojson'
    """
    source, release, iso3, level = _check_request(source, release, iso3, level)
    root = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    folder = root / source / release / iso3 / level
    return folder / f"geoBoundaries-{iso3}-{level}.geojson"


def metadata_path(boundary_file: Path) -> Path:
    """The metadata file kept next to a cached boundary file.

    Parameters
    ----------
    boundary_file : Path
        A path returned by :func:`cache_path` or :func:`fetch_boundaries`.

    Returns
    -------
    Path
        ``geoBoundaries-AZE-ADM2.meta.json`` beside ``geoBoundaries-AZE-ADM2.geojson``.

    Examples
    --------
    >>> metadata_path(Path("/cache/geoBoundaries-AZE-ADM2.geojson")).name
    'geoBoundaries-AZE-ADM2.meta.json'
    """
    return boundary_file.with_name(boundary_file.name.removesuffix(".geojson") + ".meta.json")


def cached_boundaries(
    source: str, iso3: str, level: str, cache_dir: Path | None = None, *, release: str = "gbOpen"
) -> Path | None:
    """The cached boundary file of one source, country and level, if one was fetched.

    Parameters
    ----------
    source, iso3, level, cache_dir, release
        As for :func:`cache_path`.

    Returns
    -------
    Path or None
        The cached file, or ``None`` when nothing has been fetched yet.

    Raises
    ------
    BoundaryError
        If the source, release, country or level is not one mapkit can fetch.
    """
    path = cache_path(source, iso3, level, cache_dir, release=release)
    return path if path.is_file() else None


def fetch_boundaries(
    source: str,
    iso3: str,
    level: str,
    *,
    api: str = API,
    cache_dir: Path | None = None,
    progress: bool = True,
    timeout: float = 30,
    release: str = "gbOpen",
    deadline: float = DEADLINE,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
) -> Path:
    """Download one boundary set from geoBoundaries into the cache, after checking it.

    The metadata comes from ``{api}/{release}/{ISO3}/{level}/``; the GeoJSON from its
    ``gjDownloadURL``. The GeoJSON is streamed into a temporary file in the cache directory and
    renamed into place only when it parses as JSON, is a FeatureCollection with at least one
    feature, every feature has a geometry, its size matches the ``Content-Length`` the server
    announced, and its feature count matches the metadata's ``admUnitCount``. The metadata is
    kept beside it (see :func:`metadata_path`) with the download URL, time, size and SHA-256.

    Parameters
    ----------
    source, iso3, level : str
        Which boundary set, as for :func:`cache_path`.
    api : str, default :data:`API`
        The API root, without the release part.
    cache_dir : Path, optional
        The cache root; :func:`default_cache_dir` when not given.
    progress : bool, default True
        Show a one-line progress indicator on stderr while downloading, when stderr is a
        terminal.
    timeout : float, default 30
        Seconds to wait for the server to connect or send more data.
    release : str, default "gbOpen"
        The geoBoundaries release; only ``"gbOpen"``.
    deadline : float, default :data:`DEADLINE`
        Seconds the whole fetch may take, however slowly the server sends.
    max_bytes : int, default :data:`MAX_DOWNLOAD_BYTES`
        A larger download is stopped and nothing is kept.

    Returns
    -------
    Path
        The cached file, ``cache_dir/geoboundaries/gbOpen/AZE/ADM2/geoBoundaries-AZE-ADM2.geojson``.

    Raises
    ------
    BoundaryError
        If the request is not one mapkit can fetch, the API or the download cannot be reached
        or answers with an error, or what arrives is not a usable boundary file. The message is
        one line and says whether a cached copy exists; a cached copy is never changed on error.
    """
    source, release, iso3, level = _check_request(source, release, iso3, level)
    target = cache_path(source, iso3, level, cache_dir, release=release)
    label = f"{source} {iso3} {level}"
    kept = _kept_note(target)
    api_url = f"{api.rstrip('/')}/{release}/{iso3}/{level}/"
    limits = Limits(time.monotonic() + deadline, deadline, timeout, max_bytes)
    missing = f"has no {release} {level} boundaries for {iso3}"
    body = get_metadata(api_url, limits, label, kept, missing)
    record = parse_metadata(body, api_url, iso3, level, label, kept)
    provenance = {"source": source, "release": release, "apiURL": api_url}
    _download_and_keep(target, record, provenance, limits, progress, label, kept)
    return target


def _download_and_keep(
    target: Path,
    record: dict[str, Any],
    provenance: dict[str, str],
    limits: Limits,
    progress: bool,
    label: str,
    kept: str,
) -> None:
    """Download the GeoJSON into a temporary file beside ``target``, check it, then rename it
    and its metadata into place; on any failure nothing in the cache changes."""
    gj_url = record["gjDownloadURL"]
    tmp_geojson: Path | None = None
    tmp_meta: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _part_file(target, ".part", "wb") as out:
            tmp_geojson = Path(out.name)
            size, digest = download_to(gj_url, out, limits, progress, target.name, label, kept)
        features = verify_geojson(tmp_geojson, gj_url, record, label, kept)
        meta = dict(record)
        meta["mapkit"] = {
            **provenance,
            "downloadURL": gj_url,
            "retrieved": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "bytes": size,
            "sha256": digest,
            "featureCount": features,
        }
        with _part_file(target, ".meta.part", "w") as out_meta:
            tmp_meta = Path(out_meta.name)
            out_meta.write(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
        os.replace(tmp_geojson, target)
        tmp_geojson = None
        os.replace(tmp_meta, metadata_path(target))
        tmp_meta = None
    except OSError as exc:
        raise BoundaryError(
            f"cannot write the cache at {target.parent}: {exc}{kept}", label
        ) from exc
    finally:
        for leftover in (tmp_geojson, tmp_meta):
            if leftover is not None:
                leftover.unlink(missing_ok=True)


def _part_file(target: Path, suffix: str, mode: str) -> IO[Any]:
    """A new temporary file beside ``target``, kept when closed (renamed or removed later)."""
    encoding = "utf-8" if "b" not in mode else None
    return tempfile.NamedTemporaryFile(
        mode,
        encoding=encoding,
        dir=target.parent,
        prefix=f".{target.name}.",
        suffix=suffix,
        delete=False,
    )


# --- requests --------------------------------------------------------------------------------


def _check_request(source: str, release: str, iso3: str, level: str) -> tuple[str, str, str, str]:
    """Normalise and validate a fetch request before anything touches the network."""
    src = str(source).strip().lower()
    if src not in SOURCES:
        raise BoundaryError(
            f"unsupported boundary source {source!r}: mapkit can fetch from "
            f"{', '.join(repr(s) for s in SOURCES)} only"
        )
    rel = next((r for r in RELEASES if r.lower() == str(release).strip().lower()), None)
    if rel is None:
        raise BoundaryError(
            f"unsupported geoBoundaries release {release!r}: mapkit fetches "
            f"{', '.join(RELEASES)} only (the openly licensed release)"
        )
    code = str(iso3).strip().upper()
    if len(code) != 3 or not code.isalpha() or pycountry.countries.get(alpha_3=code) is None:
        raise BoundaryError(
            f"unknown country code {iso3!r}: give an ISO 3166-1 alpha-3 code such as 'AZE'"
        )
    lvl = str(level).strip().upper()
    if lvl not in LEVELS:
        raise BoundaryError(
            f"unsupported administrative level {level!r}: mapkit fetches "
            f"{', '.join(LEVELS[:-1])} or {LEVELS[-1]}"
        )
    return src, rel, code, lvl


def _kept_note(target: Path) -> str:
    if target.is_file():
        return f"; the cached copy at {target} is kept unchanged"
    return "; there is no cached copy yet"
