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
>>> from mapkit.fetch import fetch_boundaries, cached_boundaries
>>> path = fetch_boundaries("geoboundaries", "AZE", "ADM2")  # doctest: +SKIP
>>> path.name  # doctest: +SKIP
'geoBoundaries-AZE-ADM2.geojson'
>>> cached_boundaries("geoboundaries", "AZE", "ADM2") == path  # doctest: +SKIP
True
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, TextIO

import platformdirs
import pycountry

from .errors import BoundaryError

API = "https://www.geoboundaries.org/api/current"
"""The geoBoundaries API; ``{API}/{release}/{ISO3}/{level}/`` describes one boundary set."""

SOURCES = ("geoboundaries",)
"""Boundary sources mapkit can fetch from."""

RELEASES = ("gbOpen",)
"""geoBoundaries releases mapkit can fetch (gbOpen is the openly licensed one)."""

LEVELS = ("ADM0", "ADM1", "ADM2")
"""Administrative levels mapkit can fetch: country, economic region, district."""

REQUIRED_FIELDS = ("boundaryID", "boundaryLicense", "gjDownloadURL")
"""API fields without which a boundary set is not kept: its identity, its licence, its file."""

CHUNK_SIZE = 64 * 1024
MAX_METADATA_BYTES = 4 * 1024 * 1024
MAX_DOWNLOAD_BYTES = 200 * 1024 * 1024
"""Largest boundary file kept (200 MiB; geoBoundaries' Azerbaijan ADM2 is 0.5 MB)."""
DEADLINE = 300.0
"""Seconds a whole fetch (metadata and file) may take before it is stopped."""
_LFS_POINTER = b"version https://git-lfs.github.com/spec/"


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
    """
    return boundary_file.with_name(boundary_file.name.removesuffix(".geojson") + ".meta.json")


def cached_boundaries(
    source: str,
    iso3: str,
    level: str,
    cache_dir: Path | None = None,
    *,
    release: str = "gbOpen",
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
    source : str
        The boundary source; only ``"geoboundaries"``.
    iso3 : str
        ISO 3166-1 alpha-3 country code, such as ``"AZE"`` (any case).
    level : str
        ``"ADM0"``, ``"ADM1"`` or ``"ADM2"`` (any case).
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

    # 1. The metadata.
    missing = f"has no {release} {level} boundaries for {iso3}"
    limits = _Limits(time.monotonic() + deadline, deadline, timeout, max_bytes)
    body = _get_metadata(api_url, limits, label, kept, missing)
    record = _parse_metadata(body, api_url, iso3, level, label, kept)
    gj_url = record["gjDownloadURL"]

    # 2. The GeoJSON, into a temporary file beside the cache, checked, then renamed into place.
    tmp_geojson: Path | None = None
    tmp_meta: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            dir=target.parent, prefix=f".{target.name}.", suffix=".part", delete=False
        ) as out:
            tmp_geojson = Path(out.name)
            size, digest = _download_to(gj_url, out, limits, progress, target.name, label, kept)
        features = _verify_geojson(tmp_geojson, gj_url, record, label, kept)

        meta = dict(record)
        meta["mapkit"] = {
            "source": source,
            "release": release,
            "apiURL": api_url,
            "downloadURL": gj_url,
            "retrieved": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "bytes": size,
            "sha256": digest,
            "featureCount": features,
        }
        with tempfile.NamedTemporaryFile(
            "w",
            encoding="utf-8",
            dir=target.parent,
            prefix=f".{target.name}.",
            suffix=".meta.part",
            delete=False,
        ) as out_meta:
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
    return target


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


def _user_agent() -> str:
    try:
        from importlib.metadata import version

        return f"mapkit/{version('mapkit')}"
    except Exception:  # pragma: no cover - not installed as a distribution
        return "mapkit"


def _open(url: str, timeout: float) -> http.client.HTTPResponse:
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError(f"not an http(s) URL: {url!r}")
    request = urllib.request.Request(
        url, headers={"User-Agent": _user_agent(), "Accept": "application/json, */*"}
    )
    # A fresh opener reads the proxy variables now, not when the first request was made.
    return urllib.request.build_opener().open(request, timeout=timeout)


class _Limits(NamedTuple):
    end: float  # time.monotonic() by which everything must be done
    deadline: float
    timeout: float
    max_bytes: int

    def check(self, url: str, received: int, label: str, kept: str) -> None:
        if time.monotonic() > self.end:
            raise BoundaryError(
                f"stopped after {self.deadline:g} s in all: {url} sends too slowly "
                f"({_human(received)} so far); try again later{kept}",
                label,
            )


def _read_chunks(
    response: http.client.HTTPResponse, limits: _Limits, url: str, label: str, kept: str
) -> Iterator[bytes]:
    """Yield the body in chunks as they arrive, within the deadline."""
    received = 0
    while True:
        limits.check(url, received, label, kept)
        chunk = response.read1(CHUNK_SIZE)
        if not chunk:
            return
        received += len(chunk)
        yield chunk


def _proxy_note(url: str) -> str:
    """Which proxy a request to ``url`` goes through, and the variable that set it."""
    parts = urllib.parse.urlsplit(url)
    proxy = urllib.request.getproxies().get(parts.scheme.lower())
    if not proxy or urllib.request.proxy_bypass(parts.hostname or ""):
        return ""
    scheme = parts.scheme.lower()
    names = [f"{scheme.upper()}_PROXY", f"{scheme}_proxy", "ALL_PROXY", "all_proxy"]
    variable = next((n for n in names if os.environ.get(n) == proxy), "the proxy settings")
    return f" through the proxy {proxy} (set by {variable}; check it or unset it)"


def _kept_note(target: Path) -> str:
    if target.is_file():
        return f"; the cached copy at {target} is kept unchanged"
    return "; there is no cached copy yet"


def _reason(exc: BaseException, timeout: float) -> str:
    """A short, one-line reason for a network failure."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}".strip()
    if isinstance(exc, urllib.error.URLError):
        inner = exc.reason
        return _reason(inner, timeout) if isinstance(inner, BaseException) else str(inner)
    if isinstance(exc, TimeoutError):
        return f"timed out after {timeout:g} s"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _get_metadata(url: str, limits: _Limits, label: str, kept: str, missing: str) -> bytes:
    """GET the API metadata, refusing anything larger than a few MB."""
    what = "the geoBoundaries API"
    timeout = limits.timeout
    try:
        with _open(url, timeout) as response:
            body = b""
            for chunk in _read_chunks(response, limits, url, label, kept):
                body += chunk
                if len(body) > MAX_METADATA_BYTES:
                    break
    except urllib.error.HTTPError as exc:
        exc.close()  # the error holds the response open
        if exc.code == 404:
            problem = f"{what} at {url} {missing} (HTTP 404 Not Found)"
        else:
            problem = f"{what} at {url} answered {_reason(exc, timeout)}"
        raise BoundaryError(problem + kept, label) from exc
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        raise BoundaryError(
            f"cannot reach {what} at {url}{_proxy_note(url)}: {_reason(exc, timeout)}{kept}",
            label,
        ) from exc
    if len(body) > MAX_METADATA_BYTES:
        raise BoundaryError(
            f"{what} at {url} answered with more than {MAX_METADATA_BYTES} bytes of metadata{kept}",
            label,
        )
    return body


def _parse_metadata(
    body: bytes, url: str, iso3: str, level: str, label: str, kept: str
) -> dict[str, Any]:
    """The metadata record for one boundary set, checked against the request."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryError(
            f"the geoBoundaries API at {url} did not answer with JSON ({exc}){kept}", label
        ) from exc
    if isinstance(data, list):  # the API answers with a list for ALL; take the one asked for
        data = next(
            (r for r in data if isinstance(r, dict) and r.get("boundaryType") == level), None
        )
    if not isinstance(data, dict):
        raise BoundaryError(
            f"the geoBoundaries API at {url} did not answer with a boundary record{kept}", label
        )
    for field, wanted in (("boundaryISO", iso3), ("boundaryType", level)):
        got = data.get(field)
        if got is not None and str(got).upper() != wanted:
            raise BoundaryError(
                f"the geoBoundaries API at {url} described {field} {got!r}, not {wanted!r}{kept}",
                label,
            )
    for field in REQUIRED_FIELDS:
        if not isinstance(data.get(field), str) or not data[field].strip():
            raise BoundaryError(
                f"the geoBoundaries API at {url} gave no {field}, which mapkit needs to keep a "
                f"boundary file with its provenance{kept}",
                label,
            )
    gj_url = data["gjDownloadURL"]
    if urllib.parse.urlsplit(gj_url).scheme.lower() not in ("http", "https"):
        raise BoundaryError(
            f"the geoBoundaries API at {url} gave a gjDownloadURL that is not http(s): "
            f"{gj_url!r}{kept}",
            label,
        )
    return data


def _download_to(
    url: str, out: BinaryIO, limits: _Limits, progress: bool, name: str, label: str, kept: str
) -> tuple[int, str]:
    """Stream ``url`` into ``out`` in chunks; return the byte count and SHA-256."""
    sha = hashlib.sha256()
    received = 0
    total: int | None = None
    timeout = limits.timeout
    too_big = (
        f"the boundary file at {url} is larger than {_human(limits.max_bytes)}, "
        f"mapkit's limit: stopped{kept}"
    )
    try:
        with _open(url, timeout) as response:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            if total is not None and total > limits.max_bytes:
                raise BoundaryError(too_big, label)
            bar = _Progress(name, total, sys.stderr) if progress else None
            try:
                for chunk in _read_chunks(response, limits, url, label, kept):
                    if received + len(chunk) > limits.max_bytes:
                        raise BoundaryError(too_big, label)
                    _write(out, chunk, label, kept)
                    sha.update(chunk)
                    received += len(chunk)
                    if bar is not None:
                        bar.update(received)
            finally:
                if bar is not None:
                    bar.close()
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        if isinstance(exc, urllib.error.HTTPError):
            exc.close()  # the error holds the response open
        raise BoundaryError(
            f"cannot download the boundary file from {url}{_proxy_note(url)}: "
            f"{_reason(exc, timeout)}{kept}",
            label,
        ) from exc
    if total is not None and received != total:
        raise BoundaryError(
            f"the download from {url} stopped early: received {received} of {total} bytes{kept}",
            label,
        )
    return received, sha.hexdigest()


def _write(out: BinaryIO, chunk: bytes, label: str, kept: str) -> None:
    try:
        out.write(chunk)
    except OSError as exc:
        raise BoundaryError(f"cannot write the cache file {out.name}: {exc}{kept}", label) from exc


# --- checks ----------------------------------------------------------------------------------


def _verify_geojson(path: Path, url: str, record: dict[str, Any], label: str, kept: str) -> int:
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
    try:
        number = float(str(value))
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


# --- progress --------------------------------------------------------------------------------


class _Progress:
    """A one-line download indicator on a terminal; silent when the stream is not a terminal."""

    def __init__(self, name: str, total: int | None, stream: TextIO, interval: float = 0.1):
        self.name = name
        self.total = total
        self.stream = stream
        self.interval = interval
        self.active = bool(getattr(stream, "isatty", lambda: False)())
        self._last = 0.0
        self._shown = False
        self._received = 0

    def update(self, received: int) -> None:
        """Note that ``received`` bytes have arrived; redraw at most every ``interval`` s."""
        self._received = received
        now = time.monotonic()
        if self.active and now - self._last >= self.interval:
            self._last = now
            self._draw()

    def close(self) -> None:
        """Draw the final state and end the line."""
        if self.active:
            self._draw()
            if self._shown:
                self.stream.write("\n")
                self.stream.flush()

    def _draw(self) -> None:
        done = _human(self._received)
        if self.total:
            percent = min(100, 100 * self._received // self.total)
            text = f"downloading {self.name}: {done} of {_human(self.total)} ({percent}%)"
        else:
            text = f"downloading {self.name}: {done}"
        self.stream.write("\r" + text.ljust(72))
        self.stream.flush()
        self._shown = True


def _human(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB"):
        if value < 1024 or unit == "MB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"  # pragma: no cover - unreachable
