"""Streaming one HTTP(S) download within limits: a deadline, a size cap and a progress line.

:mod:`mapkit.fetch` uses this to talk to geoBoundaries. Every failure is a
:class:`~mapkit.errors.BoundaryError` of one line that names the URL, the reason (a proxy that
was in the way, a timeout, an HTTP status) and ``kept``, the note that says whether a cached
copy is there.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import BinaryIO, NamedTuple, TextIO

from .errors import BoundaryError

__all__ = [
    "CHUNK_SIZE",
    "NETWORK_ERRORS",
    "Limits",
    "Progress",
    "download_to",
    "human",
    "open_url",
    "proxy_note",
    "read_chunks",
    "reason",
]

CHUNK_SIZE = 64 * 1024
"""Bytes read from the network at a time."""

NETWORK_ERRORS = (urllib.error.URLError, http.client.HTTPException, OSError, ValueError)
"""What opening or reading a URL raises when the network or the server fails."""


def _user_agent() -> str:
    try:
        from importlib.metadata import version

        return f"mapkit/{version('mapkit')}"
    except Exception:  # pragma: no cover - not installed as a distribution
        return "mapkit"


def open_url(url: str, timeout: float) -> http.client.HTTPResponse:
    """Open an http(s) ``url`` with mapkit's User-Agent; any other scheme is a ValueError."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError(f"not an http(s) URL: {url!r}")
    request = urllib.request.Request(
        url, headers={"User-Agent": _user_agent(), "Accept": "application/json, */*"}
    )
    # A fresh opener reads the proxy variables now, not when the first request was made.
    return urllib.request.build_opener().open(request, timeout=timeout)


class Limits(NamedTuple):
    """How long and how large a fetch may be."""

    end: float  # time.monotonic() by which everything must be done
    deadline: float
    timeout: float
    max_bytes: int

    def check(self, url: str, received: int, label: str, kept: str) -> None:
        """Stop the fetch once its deadline has passed."""
        if time.monotonic() > self.end:
            raise BoundaryError(
                f"stopped after {self.deadline:g} s in all: {url} sends too slowly "
                f"({human(received)} so far); try again later{kept}",
                label,
            )


def read_chunks(
    response: http.client.HTTPResponse, limits: Limits, url: str, label: str, kept: str
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


def proxy_note(url: str) -> str:
    """Which proxy a request to ``url`` goes through, and the variable that set it."""
    parts = urllib.parse.urlsplit(url)
    proxy = urllib.request.getproxies().get(parts.scheme.lower())
    if not proxy or urllib.request.proxy_bypass(parts.hostname or ""):
        return ""
    scheme = parts.scheme.lower()
    names = [f"{scheme.upper()}_PROXY", f"{scheme}_proxy", "ALL_PROXY", "all_proxy"]
    variable = next((n for n in names if os.environ.get(n) == proxy), "the proxy settings")
    return f" through the proxy {proxy} (set by {variable}; check it or unset it)"


def reason(exc: BaseException, timeout: float) -> str:
    """A short, one-line reason for a network failure.

    Examples
    --------
    >>> reason(TimeoutError(), 30)
    'timed out after 30 s'
    """
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}".strip()
    if isinstance(exc, urllib.error.URLError):
        inner = exc.reason
        return reason(inner, timeout) if isinstance(inner, BaseException) else str(inner)
    if isinstance(exc, TimeoutError):
        return f"timed out after {timeout:g} s"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def download_to(
    url: str, out: BinaryIO, limits: Limits, progress: bool, name: str, label: str, kept: str
) -> tuple[int, str]:
    """Stream ``url`` into ``out`` in chunks; return the byte count and SHA-256."""
    sha = hashlib.sha256()
    received = 0
    total: int | None = None
    timeout = limits.timeout
    too_big = (
        f"the boundary file at {url} is larger than {human(limits.max_bytes)}, "
        f"mapkit's limit: stopped{kept}"
    )
    try:
        with open_url(url, timeout) as response:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            if total is not None and total > limits.max_bytes:
                raise BoundaryError(too_big, label)
            bar = Progress(name, total, sys.stderr) if progress else None
            try:
                for chunk in read_chunks(response, limits, url, label, kept):
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
    except NETWORK_ERRORS as exc:
        if isinstance(exc, urllib.error.HTTPError):
            exc.close()  # the error holds the response open
        raise BoundaryError(
            f"cannot download the boundary file from {url}{proxy_note(url)}: "
            f"{reason(exc, timeout)}{kept}",
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


class Progress:
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
        done = human(self._received)
        if self.total:
            percent = min(100, 100 * self._received // self.total)
            text = f"downloading {self.name}: {done} of {human(self.total)} ({percent}%)"
        else:
            text = f"downloading {self.name}: {done}"
        self.stream.write("\r" + text.ljust(72))
        self.stream.flush()
        self._shown = True


def human(size: int) -> str:
    """A byte count for people.

    Examples
    --------
    >>> human(512), human(2048), human(5 * 1024 * 1024)
    ('512 B', '2.0 KB', '5.0 MB')
    """
    value = float(size)
    for unit in ("B", "KB", "MB"):
        if value < 1024 or unit == "MB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"  # pragma: no cover - unreachable
