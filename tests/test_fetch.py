"""Fetching geoBoundaries files, against a real HTTP server on 127.0.0.1 only.

The server is a :class:`http.server.ThreadingHTTPServer` on an ephemeral port that plays both the
geoBoundaries API (``/api/current/gbOpen/AZE/ADM2/``) and the file host its ``gjDownloadURL``
points to. An autouse guard makes any connection to another address fail the test.
"""

from __future__ import annotations

import io
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import geopandas as gpd
import platformdirs
import pytest

from mapkit import fetch
from mapkit.download import Progress
from mapkit.errors import BoundaryError
from mapkit.fetch import cache_path, cached_boundaries, fetch_boundaries, metadata_path

GEOJSON = (
    Path(__file__).resolve().parents[1].parent
    / "shared/external/geoboundaries/geoBoundaries-AZE-ADM2.geojson"
)
IN_CI = os.environ.get("CI", "").lower() == "true"
SERVER_LIFETIME = 120.0  # seconds; the serving loop ends by then even if nobody stops it
STALL_LIMIT = 5.0  # seconds a deliberately slow reply waits at most
FILE_PATH = "/files/geoBoundaries-AZE-ADM2.geojson"
API_PATH = "/api/current/gbOpen/AZE/ADM2/"

Reply = tuple[int, dict[str, str], bytes]


class LocalServer:
    """A threaded HTTP server on 127.0.0.1 answering from a table of routes."""

    def __init__(self) -> None:
        self.routes: dict[str, Reply | Callable[[], Reply]] = {}
        self.requests: list[str] = []
        self.release = threading.Event()  # lets deliberately slow replies finish at teardown
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            timeout = STALL_LIMIT

            def do_GET(self) -> None:
                server.requests.append(self.path)
                route = server.routes.get(self.path)
                if route is None:
                    status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
                else:
                    status, headers, body = route() if callable(route) else route
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if isinstance(body, bytes) and "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if isinstance(body, bytes):
                    self.wfile.write(body)
                    return
                try:  # a streamed body: pieces as the iterator gives them, until released
                    for piece in body:
                        if server.release.is_set():
                            break
                        self.wfile.write(piece)
                        self.wfile.flush()
                except OSError:  # the client hung up, as it should
                    pass

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.timeout = 0.05
        self.root = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.api = f"{self.root}/api/current"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        deadline = time.monotonic() + SERVER_LIFETIME
        while not self._stop.is_set() and time.monotonic() < deadline:
            self.httpd.handle_request()

    def stop(self) -> None:
        """Stop serving and close the port, so that connections to it are refused."""
        self._stop.set()
        self.release.set()
        self._thread.join(timeout=5)
        self.httpd.server_close()


def record(server: LocalServer, level: str = "ADM2", **changes: object) -> dict[str, object]:
    """API metadata shaped like geoBoundaries' answer for gbOpen/AZE/ADM2 (see gbWeb)."""
    files = f"{server.root}/files/geoBoundaries-AZE-{level}"
    base = {
        "boundaryID": "AZE-ADM2-54616110",
        "boundaryName": "Azerbaijan",
        "boundaryISO": "AZE",
        "boundaryYearRepresented": "2020",
        "boundaryType": level,
        "boundaryCanonical": "Unknown",
        "boundarySource": "Wikipedia",
        "boundaryLicense": "Creative Commons Attribution-ShareAlike 3.0 Unported",
        "licenseDetail": "Creative Commons Attribution-ShareAlike 3.0 Unported",
        "licenseSource": "en.wikipedia.org/wiki/Administrative_divisions_of_Azerbaijan",
        "buildDate": "Jul 05, 2023",
        "admUnitCount": "79",
        "staticDownloadLink": f"{files}-all.zip",
        "gjDownloadURL": f"{files}.geojson",
        "simplifiedGeometryGeoJSON": f"{files}_simplified.geojson",
    }
    base.update(changes)
    return base


def json_reply(data: object, status: int = 200) -> Reply:
    return status, {"Content-Type": "application/json"}, json.dumps(data).encode()


def geojson_reply(body: bytes) -> Reply:
    return 200, {"Content-Type": "application/geo+json"}, body


@pytest.fixture(autouse=True)
def only_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxies, and any connection to an address other than 127.0.0.1 fails the test."""
    for var in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(var, raising=False)
        monkeypatch.delenv(var.upper(), raising=False)
    real = socket.create_connection

    def guarded(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        if address[0] != "127.0.0.1":
            raise AssertionError(f"a test tried to connect to {address[0]!r}")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)


@pytest.fixture(scope="module")
def real_file() -> bytes:
    """The real geoBoundaries AZE ADM2 file (79 features) from ../shared."""
    if not GEOJSON.is_file():
        if IN_CI:
            pytest.fail(f"{GEOJSON} is missing: CI runs with ../shared beside the repo")
        pytest.skip(f"{GEOJSON} is not here")
    return GEOJSON.read_bytes()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    srv = LocalServer()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def geoboundaries(server: LocalServer, real_file: bytes) -> LocalServer:
    """The server answering as geoBoundaries does for AZE ADM2, with the real file."""
    server.routes[API_PATH] = json_reply(record(server))
    server.routes[FILE_PATH] = geojson_reply(real_file)
    return server


def fetch_aze(server: LocalServer, cache: Path, level: str = "ADM2", **kwargs: object) -> Path:
    options = {"api": server.api, "cache_dir": cache, "progress": False, "timeout": 5}
    options.update(kwargs)
    return fetch_boundaries("geoboundaries", "AZE", level, **options)


def cache_listing(cache: Path) -> list[str]:
    return sorted(p.name for p in (cache / "geoboundaries/gbOpen/AZE/ADM2").iterdir())


def test_fetch_caches_the_real_file(
    geoboundaries: LocalServer, real_file: bytes, tmp_path: Path
) -> None:
    path = fetch_aze(geoboundaries, tmp_path)

    assert path == tmp_path / "geoboundaries/gbOpen/AZE/ADM2/geoBoundaries-AZE-ADM2.geojson"
    assert path.read_bytes() == real_file
    assert len(gpd.read_file(path)) == 79
    assert cached_boundaries("geoboundaries", "AZE", "ADM2", tmp_path) == path
    assert geoboundaries.requests == [API_PATH, FILE_PATH]
    assert cache_listing(tmp_path) == [
        "geoBoundaries-AZE-ADM2.geojson",
        "geoBoundaries-AZE-ADM2.meta.json",
    ]

    meta = json.loads(metadata_path(path).read_text(encoding="utf-8"))
    assert metadata_path(path).name == "geoBoundaries-AZE-ADM2.meta.json"
    assert meta["boundaryID"] == "AZE-ADM2-54616110"
    assert meta["boundaryLicense"] == "Creative Commons Attribution-ShareAlike 3.0 Unported"
    assert meta["mapkit"]["downloadURL"] == geoboundaries.root + FILE_PATH
    assert meta["mapkit"]["apiURL"] == geoboundaries.api + "/gbOpen/AZE/ADM2/"
    assert meta["mapkit"]["bytes"] == len(real_file)
    assert meta["mapkit"]["featureCount"] == 79
    assert len(meta["mapkit"]["sha256"]) == 64


def test_fetch_accepts_any_case_and_follows_redirects(
    geoboundaries: LocalServer, real_file: bytes, tmp_path: Path
) -> None:
    # gjDownloadURL on github.com/.../raw/... redirects; the same must work here.
    geoboundaries.routes[API_PATH] = json_reply(
        record(geoboundaries, gjDownloadURL=geoboundaries.root + "/raw/moved.geojson")
    )
    geoboundaries.routes["/raw/moved.geojson"] = (302, {"Location": FILE_PATH}, b"")
    path = fetch_boundaries(
        "GeoBoundaries", "aze", "adm2", api=geoboundaries.api, cache_dir=tmp_path, timeout=5
    )
    assert path.read_bytes() == real_file


def test_fetch_adm1(server: LocalServer, tmp_path: Path) -> None:
    square = {"type": "Polygon", "coordinates": [[[45, 39], [46, 39], [46, 40], [45, 39]]]}
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"shapeName": n}, "geometry": square}
            for n in ("Azerbaijan", "Nakhchivan")
        ],
    }
    body = json.dumps(collection).encode()
    server.routes["/api/current/gbOpen/AZE/ADM1/"] = json_reply(
        record(server, "ADM1", boundaryID="AZE-ADM1-63332228", admUnitCount="2")
    )
    server.routes["/files/geoBoundaries-AZE-ADM1.geojson"] = geojson_reply(body)

    path = fetch_aze(server, tmp_path, "ADM1")

    assert path == tmp_path / "geoboundaries/gbOpen/AZE/ADM1/geoBoundaries-AZE-ADM1.geojson"
    assert path.read_bytes() == body
    assert json.loads(metadata_path(path).read_text())["boundaryID"] == "AZE-ADM1-63332228"


def test_offline_keeps_the_cached_copy(
    geoboundaries: LocalServer, real_file: bytes, tmp_path: Path
) -> None:
    path = fetch_aze(geoboundaries, tmp_path)
    meta_before = metadata_path(path).read_bytes()
    mtime_before = path.stat().st_mtime_ns
    geoboundaries.stop()

    with pytest.raises(BoundaryError) as caught:
        fetch_aze(geoboundaries, tmp_path)

    message = str(caught.value)
    assert "cannot reach the geoBoundaries API at " + geoboundaries.api in message
    assert f"the cached copy at {path} is kept unchanged" in message
    assert "\n" not in message
    assert path.read_bytes() == real_file
    assert path.stat().st_mtime_ns == mtime_before
    assert metadata_path(path).read_bytes() == meta_before
    assert cached_boundaries("geoboundaries", "AZE", "ADM2", tmp_path) == path


def test_offline_without_a_cache_says_so(server: LocalServer, tmp_path: Path) -> None:
    server.stop()
    with pytest.raises(BoundaryError, match=r"cannot reach the geoBoundaries API .*no cached copy"):
        fetch_aze(server, tmp_path)
    assert cached_boundaries("geoboundaries", "AZE", "ADM2", tmp_path) is None


@pytest.mark.parametrize(
    ("make_body", "why"),
    [
        pytest.param(lambda real: real[: len(real) // 2], "not valid JSON", id="truncated"),
        pytest.param(lambda real: b"<html>rate limited</html>", "not valid JSON", id="html"),
        pytest.param(
            lambda real: b"version https://git-lfs.github.com/spec/v1\noid sha256:ab\n",
            "Git LFS pointer",
            id="lfs-pointer",
        ),
        pytest.param(
            lambda real: json.dumps({"type": "Feature", "geometry": None}).encode(),
            "not a GeoJSON FeatureCollection",
            id="not-a-collection",
        ),
        pytest.param(
            lambda real: b'{"type": "FeatureCollection", "features": []}',
            "has no features",
            id="empty",
        ),
        pytest.param(
            lambda real: _drop_geometry(real, 3),
            "feature 4 has no geometry",
            id="feature-without-geometry",
        ),
        pytest.param(
            lambda real: _drop_feature(real),
            "78 features but admUnitCount says 79",
            id="unit-count",
        ),
    ],
)
def test_a_bad_file_is_refused_and_the_cache_kept(
    geoboundaries: LocalServer,
    real_file: bytes,
    tmp_path: Path,
    make_body: Callable[[bytes], bytes],
    why: str,
) -> None:
    path = fetch_aze(geoboundaries, tmp_path)
    geoboundaries.routes[FILE_PATH] = geojson_reply(make_body(real_file))

    with pytest.raises(BoundaryError) as caught:
        fetch_aze(geoboundaries, tmp_path)

    message = str(caught.value)
    assert f"refused the file downloaded from {geoboundaries.root}{FILE_PATH}" in message
    assert why in message
    assert "cached copy" in message
    assert path.read_bytes() == real_file
    assert len(gpd.read_file(path)) == 79
    assert cache_listing(tmp_path) == [  # no temporary file left behind
        "geoBoundaries-AZE-ADM2.geojson",
        "geoBoundaries-AZE-ADM2.meta.json",
    ]


def test_a_bad_first_download_leaves_no_cache(geoboundaries: LocalServer, tmp_path: Path) -> None:
    geoboundaries.routes[FILE_PATH] = geojson_reply(b'{"type": "FeatureCollection", "feat')
    with pytest.raises(BoundaryError, match=r"not valid JSON.*no cached copy"):
        fetch_aze(geoboundaries, tmp_path)
    assert cached_boundaries("geoboundaries", "AZE", "ADM2", tmp_path) is None
    assert cache_listing(tmp_path) == []


def test_a_short_download_is_refused(
    geoboundaries: LocalServer, real_file: bytes, tmp_path: Path
) -> None:
    path = fetch_aze(geoboundaries, tmp_path)
    half = real_file[: len(real_file) // 2]
    geoboundaries.routes[FILE_PATH] = (200, {"Content-Length": str(len(real_file))}, half)

    with pytest.raises(BoundaryError, match=f"received {len(half)} of {len(real_file)} bytes"):
        fetch_aze(geoboundaries, tmp_path)
    assert path.read_bytes() == real_file


def test_http_404_from_the_api(server: LocalServer, tmp_path: Path) -> None:
    with pytest.raises(BoundaryError) as caught:
        fetch_aze(server, tmp_path)
    assert str(caught.value) == (
        f"geoboundaries AZE ADM2: the geoBoundaries API at {server.api}/gbOpen/AZE/ADM2/ has no "
        "gbOpen ADM2 boundaries for AZE (HTTP 404 Not Found); there is no cached copy yet"
    )
    assert server.requests == [API_PATH]


def test_http_errors_from_the_file_host_keep_the_cache(
    geoboundaries: LocalServer, real_file: bytes, tmp_path: Path
) -> None:
    path = fetch_aze(geoboundaries, tmp_path)
    for status, reason in ((404, "Not Found"), (500, "Internal Server Error")):
        geoboundaries.routes[FILE_PATH] = (status, {}, b"oops")
        with pytest.raises(BoundaryError) as caught:
            fetch_aze(geoboundaries, tmp_path)
        message = str(caught.value)
        assert f"cannot download the boundary file from {geoboundaries.root}{FILE_PATH}" in message
        assert f"HTTP {status} {reason}" in message
        assert "cached copy" in message
        assert path.read_bytes() == real_file


def test_http_500_from_the_api(server: LocalServer, tmp_path: Path) -> None:
    server.routes[API_PATH] = (503, {}, b"down for maintenance")
    with pytest.raises(BoundaryError, match="answered HTTP 503 Service Unavailable"):
        fetch_aze(server, tmp_path)


@pytest.mark.parametrize(
    ("reply", "why"),
    [
        ((200, {}, b"<html>maintenance</html>"), "did not answer with JSON"),
        ((200, {}, b"[]"), "did not answer with a boundary record"),
        ((200, {}, b'"AZE"'), "did not answer with a boundary record"),
    ],
)
def test_the_api_answering_nonsense(
    server: LocalServer, tmp_path: Path, reply: Reply, why: str
) -> None:
    server.routes[API_PATH] = reply
    with pytest.raises(BoundaryError, match=why):
        fetch_aze(server, tmp_path)
    assert server.requests == [API_PATH]


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"boundaryType": "ADM1"}, "described boundaryType 'ADM1', not 'ADM2'"),
        ({"boundaryISO": "ARM"}, "described boundaryISO 'ARM', not 'AZE'"),
        ({"boundaryLicense": ""}, "gave no boundaryLicense"),
        ({"boundaryID": None}, "gave no boundaryID"),
        ({"gjDownloadURL": None}, "gave no gjDownloadURL"),
        ({"gjDownloadURL": "file:///etc/passwd"}, "gjDownloadURL that is not http"),
    ],
)
def test_metadata_that_does_not_fit_is_refused(
    server: LocalServer, tmp_path: Path, changes: dict[str, object], why: str
) -> None:
    server.routes[API_PATH] = json_reply(record(server, **changes))
    with pytest.raises(BoundaryError, match=why):
        fetch_aze(server, tmp_path)
    assert server.requests == [API_PATH]  # nothing downloaded


def test_a_list_answer_is_searched_for_the_level(
    geoboundaries: LocalServer, real_file: bytes, tmp_path: Path
) -> None:
    adm1 = record(geoboundaries, "ADM1")
    geoboundaries.routes[API_PATH] = json_reply([adm1, record(geoboundaries)])
    assert fetch_aze(geoboundaries, tmp_path).read_bytes() == real_file


def test_a_server_that_stalls_times_out(server: LocalServer, tmp_path: Path) -> None:
    def stall() -> Reply:
        server.release.wait(STALL_LIMIT)
        return json_reply(record(server))

    server.routes[API_PATH] = stall
    started = time.monotonic()
    with pytest.raises(BoundaryError, match=r"cannot reach the geoBoundaries API .*timed out"):
        fetch_aze(server, tmp_path, timeout=0.3)
    assert time.monotonic() - started < STALL_LIMIT


@pytest.mark.parametrize(
    ("source", "iso3", "level", "why"),
    [
        ("geoboundaries", "AZE", "ADM3", "unsupported administrative level 'ADM3'"),
        ("geoboundaries", "AZE", "district", "unsupported administrative level 'district'"),
        ("geoboundaries", "XYZ", "ADM2", "unknown country code 'XYZ'"),
        ("geoboundaries", "AZ", "ADM2", "unknown country code 'AZ'"),
        ("geoboundaries", "Azerbaijan", "ADM2", "unknown country code 'Azerbaijan'"),
        ("gadm", "AZE", "ADM2", "unsupported boundary source 'gadm'"),
    ],
)
def test_unknown_requests_give_a_clean_message_and_touch_no_network(
    server: LocalServer, tmp_path: Path, source: str, iso3: str, level: str, why: str
) -> None:
    with pytest.raises(BoundaryError) as caught:
        fetch_boundaries(source, iso3, level, api=server.api, cache_dir=tmp_path, timeout=5)
    assert str(caught.value).startswith(why)
    assert "\n" not in str(caught.value)
    assert server.requests == []
    assert list(tmp_path.iterdir()) == []


def test_only_gbopen_is_fetched(server: LocalServer, tmp_path: Path) -> None:
    with pytest.raises(BoundaryError, match="unsupported geoBoundaries release 'gbAuthoritative'"):
        fetch_boundaries(
            "geoboundaries", "AZE", "ADM2", api=server.api, cache_dir=tmp_path,
            release="gbAuthoritative",
        )  # fmt: skip
    assert server.requests == []


def test_the_default_cache_is_the_user_cache_dir() -> None:
    root = Path(platformdirs.user_cache_dir("mapkit"))
    assert fetch.default_cache_dir() == root
    assert cache_path("geoboundaries", "aze", "adm1") == (
        root / "geoboundaries/gbOpen/AZE/ADM1/geoBoundaries-AZE-ADM1.geojson"
    )


def test_no_progress_line_when_stderr_is_not_a_terminal(
    geoboundaries: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fetch_aze(geoboundaries, tmp_path, progress=True)
    assert capsys.readouterr().err == ""


def test_the_progress_line_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    bar = Progress("geoBoundaries-AZE-ADM2.geojson", 2048, stream, interval=0)
    bar.update(512)
    bar.update(2048)
    bar.close()
    text = stream.getvalue()
    assert "\rdownloading geoBoundaries-AZE-ADM2.geojson: 512 B of 2.0 KB (25%)" in text
    assert "2.0 KB of 2.0 KB (100%)" in text
    assert text.endswith("\n")
    assert text.count("\n") == 1

    quiet = io.StringIO()
    Progress("x.geojson", None, quiet, interval=0).update(10)
    assert quiet.getvalue() == ""


def _drop_geometry(real: bytes, index: int) -> bytes:
    data = json.loads(real)
    data["features"][index]["geometry"] = None
    return json.dumps(data).encode()


def _drop_feature(real: bytes) -> bytes:
    data = json.loads(real)
    del data["features"][-1]
    return json.dumps(data).encode()


def test_a_slow_drip_is_stopped_at_the_deadline(server: LocalServer, tmp_path: Path) -> None:
    """Issue 19: a server sending a byte every so often kept a fetch going past 240 s."""

    def drip() -> Iterator[bytes]:
        while True:
            yield b" "
            time.sleep(0.1)

    server.routes[API_PATH] = json_reply(record(server))
    server.routes[FILE_PATH] = (200, {"Content-Type": "application/geo+json"}, drip())
    started = time.monotonic()
    with pytest.raises(BoundaryError, match=r"stopped after 1.5 s in all: .* sends too slowly"):
        fetch_aze(server, tmp_path, timeout=1, deadline=1.5)
    assert time.monotonic() - started < 4
    assert not cached_boundaries("geoboundaries", "AZE", "ADM2", cache_dir=tmp_path)


def test_an_endless_body_is_stopped_at_the_size_cap(server: LocalServer, tmp_path: Path) -> None:
    def endless() -> Iterator[bytes]:
        while True:
            yield b"x" * 65536

    server.routes[API_PATH] = json_reply(record(server))
    server.routes[FILE_PATH] = (200, {"Content-Type": "application/geo+json"}, endless())
    with pytest.raises(BoundaryError, match=r"larger than 1\.0 MB, mapkit's limit: stopped"):
        fetch_aze(server, tmp_path, max_bytes=1024 * 1024)
    assert list((tmp_path / "geoboundaries/gbOpen/AZE/ADM2").iterdir()) == []


def test_a_dead_proxy_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{port}")
    with pytest.raises(BoundaryError) as caught:
        fetch_boundaries("geoboundaries", "AZE", "ADM2", cache_dir=tmp_path, progress=False)
    message = caught.value.one_line()
    assert f"through the proxy http://127.0.0.1:{port} (set by HTTPS_PROXY" in message
    assert "refused" in message.lower()
