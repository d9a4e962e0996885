"""The bookkeeping of mapkit's output folders: the marker, the staging locks, the leftovers.

A marker (:data:`MARKER`) in an output folder lists the files mapkit wrote there and whether mapkit
made the folder; a staging folder holds a lock file (:data:`LOCK`) while its run lives, so the next
run can tell a killed run's leftovers (lock free) from a living one's. :mod:`mapkit.outdir` uses
these to put a build in place without losing a file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "INSIDE_NEW",
    "INSIDE_OLD",
    "LOCK",
    "MARKER",
    "clean_stale",
    "hold_lock",
    "list_files",
    "listed",
    "read_marker",
    "remove_empty_folders",
    "user_added",
    "write_marker",
]

MARKER = ".mapkit-build"
"""File that marks a folder as mapkit's output and lists the files mapkit wrote into it."""
LOCK = ".mapkit-staging"
"""Lock file held by a living run in its staging folder (and in an output folder moved aside)."""
INSIDE_NEW, INSIDE_OLD = ".mapkit-new-", ".mapkit-old-"
"""Prefixes of the staging folders made inside an output folder that cannot be renamed."""
_HEADER = "written by mapkit; a rebuild replaces the files listed here and keeps every other file"
_OWN = "folder: made by mapkit"
_SHARED = "folder: the user's"
_LEGACY_LAYER = re.compile(r"layers/[^/]+(\.geojson|\.gpkg|\.shp|\.shx|\.dbf|\.prj|\.cpg|\.csv)")


def listed(paths: Iterable[str], limit: int = 6) -> str:
    """Paths for a message, sorted, the first ``limit`` named and the rest counted.

    Examples
    --------
    >>> listed(["b.txt", "a.txt", "c.txt"], limit=2)
    'a.txt, b.txt and 1 more'
    """
    paths = sorted(paths)
    more = f" and {len(paths) - limit} more" if len(paths) > limit else ""
    return ", ".join(paths[:limit]) + more


def user_added(files: list[str], mapkit_files: set[str]) -> str:
    """Files the user added; a folder holding none of mapkit's named once (``my-photos/``).

    Examples
    --------
    >>> user_added(["notes.txt", "photos/a.jpg", "photos/b.jpg"], {"index.html"})
    'notes.txt, photos/'
    """
    mapkit_tops = {f.split("/", 1)[0] for f in mapkit_files}
    named = set()
    for f in files:
        top = f.split("/", 1)[0]
        named.add(f"{top}/" if "/" in f and top not in mapkit_tops else f)
    return listed(named)


def _ours(name: str) -> bool:
    """Whether a top-level entry of the output folder is mapkit's bookkeeping."""
    return name in (MARKER, LOCK) or name.startswith((INSIDE_NEW, INSIDE_OLD))


def list_files(folder: Path) -> list[str]:
    """Every file (and symbolic link, and empty folder as ``name/``) under ``folder``."""
    found = []
    for root, dirs, files in os.walk(folder):
        rel = Path(root).relative_to(folder)
        if rel == Path("."):
            dirs[:] = [d for d in dirs if not _ours(d)]
            files = [f for f in files if not _ours(f)]
        links = [d for d in dirs if os.path.islink(os.path.join(root, d))]
        dirs[:] = [d for d in dirs if d not in links]
        found += [(rel / f).as_posix() for f in (*files, *links)]
        if not files and not dirs and not links and rel != Path("."):
            found.append(rel.as_posix() + "/")
    return found


def read_marker(folder: Path) -> tuple[bool, set[str]] | None:
    """Whether mapkit made ``folder`` and the files it wrote there; None without a marker."""
    try:
        lines = (folder / MARKER).read_text(encoding="utf-8").splitlines()
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not lines or lines[0] != _HEADER:  # an earlier mapkit: index.html and layers/ files
        return True, {f for f in list_files(folder) if f == "index.html" or _LEGACY_LAYER.match(f)}
    return lines[1:2] == [_OWN], set(lines[2:])


def write_marker(folder: Path, written: list[str], shared: bool) -> None:
    """Write the marker of ``folder``: who made the folder and the files mapkit wrote in it."""
    lines = [_HEADER, _SHARED if shared else _OWN, *sorted(written)]
    (folder / MARKER).write_text("\n".join(lines) + "\n", encoding="utf-8")


def hold_lock(folder: Path) -> int:
    """Create and hold the lock file that says a living run owns ``folder``."""
    fd = os.open(folder / LOCK, os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def _stale(folder: Path) -> bool:
    """Whether ``folder`` is a staging folder of a run that no longer lives."""
    try:
        fd = os.open(folder / LOCK, os.O_RDWR)
    except OSError:
        return False  # not marked as mapkit's: left alone
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def clean_stale(out: Path) -> None:
    """Remove staging folders left by killed runs beside and inside ``out``.

    The previous output moved aside by a run killed mid-swap is put back if ``out`` is missing.
    """
    places = [(out.parent, (f".{out.name}.new-", f".{out.name}.old-"))]
    if out.is_dir():
        places.append((out, (INSIDE_NEW, INSIDE_OLD)))
    for parent, prefixes in places:
        for entry in sorted(parent.iterdir()) if parent.is_dir() else []:
            if not entry.name.startswith(prefixes) or not _stale(entry):
                continue
            if entry.name.startswith(prefixes[1]) and not out.exists() and parent != out:
                entry.rename(out)
                (out / LOCK).unlink(missing_ok=True)
            else:
                shutil.rmtree(entry, ignore_errors=True)
    if out.is_dir() and (out / LOCK).exists() and _stale(out):
        (out / LOCK).unlink(missing_ok=True)


def remove_empty_folders(out: Path, gone: set[str]) -> None:
    """Remove folders that held only files mapkit wrote before and no longer writes."""
    for folder in sorted({Path(f).parent for f in gone} - {Path(".")}, reverse=True):
        with contextlib.suppress(OSError):
            (out / folder).rmdir()
