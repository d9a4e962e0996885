"""mapkit never overwrites or deletes a file it did not write, in ``build`` and ``export`` alike.

An output folder holds a marker listing what mapkit wrote; a rebuild replaces those files and
keeps the rest; a folder mapkit did not make is written into only with ``--force``; an input is
never overwritten; a symbolic link, a mount point and a full disk are handled.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO
from test_nothing_lost import Unchanged, atlas, beside, good_build, mapkit_cli, snapshot

import mapkit

pytestmark = pytest.mark.filterwarnings("ignore:.*text longer than 254 characters")
__all__ = ["atlas", "good_build"]  # fixtures shared with test_nothing_lost

BUILT = [".mapkit-build", "index.html", "layers", "map.pdf", "map.png"]
"""What a build writes into its folder."""


def test_export_refuses_to_overwrite_files_it_did_not_write(tmp_path: Path) -> None:
    """`export --out .` replaced the user's own figures.csv (its input), districts.geojson and
    mapkit.gpkg; it names them now, and even --force never overwrites the input."""
    (tmp_path / "figures.csv").write_bytes((REPO / "layers" / "figures.csv").read_bytes())
    (tmp_path / "districts.geojson").write_text('{"mine": true}', encoding="utf-8")
    (tmp_path / "mapkit.gpkg").write_text("my GeoPackage", encoding="utf-8")
    before = snapshot(tmp_path)
    export = ["export", "--format", "csv,geojson,gpkg", "--only", "--figures", "figures.csv"]
    refused = subprocess.run([sys.executable, "-m", "mapkit", *export, "--out", "."],
                             cwd=tmp_path, capture_output=True, text=True)  # fmt: skip
    assert refused.returncode == 2
    assert refused.stderr == (
        f"mapkit: error: {tmp_path} is not a mapkit folder and holds districts.geojson, "
        "figures.csv, mapkit.gpkg, which mapkit would overwrite; choose another --out, or add "
        "--force to overwrite them\n"
    )
    forced = subprocess.run([sys.executable, "-m", "mapkit", *export, "--out", ".", "--force"],
                            cwd=tmp_path, capture_output=True, text=True)  # fmt: skip
    assert forced.returncode == 2
    assert forced.stderr == (
        f"mapkit: error: {tmp_path}: mapkit would overwrite figures.csv, an input of this run; "
        "choose another --out\n"
    )
    assert snapshot(tmp_path) == before


def test_export_with_force_overwrites_only_what_it_writes(tmp_path: Path) -> None:
    (tmp_path / "districts.geojson").write_text('{"mine": true}', encoding="utf-8")
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = mapkit_cli("export", "--format", "geojson", "--out", str(tmp_path), "--force")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        str(tmp_path / f"{n}.geojson") for n in ("districts", "corridors", "corridor-stations")
    ]  # the files where they are now, not in the staging folder
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (tmp_path / "districts.geojson").stat().st_size > 10_000
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".mapkit-build", "corridor-stations.geojson", "corridors.geojson", "districts.geojson",
        "notes.txt",
    ]  # fmt: skip
    again = mapkit_cli("export", "--format", "geojson", "--out", str(tmp_path))  # now its own
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_export_marks_its_folder_and_replaces_its_own_files(tmp_path: Path) -> None:
    out = tmp_path / "layers"
    assert mapkit_cli("export", "--format", "csv", "--out", str(out)).returncode == 0
    assert (out / ".mapkit-build").read_text(encoding="utf-8").splitlines()[1:] == [
        "folder: made by mapkit",
        "figures.csv",
    ]
    result = mapkit_cli("export", "--format", "geojson", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert not (out / "figures.csv").exists()  # mapkit's own file from the earlier export
    assert beside(out) == ["layers"]


def test_a_rebuild_keeps_what_the_user_added(atlas: Path) -> None:
    (atlas / "NOTES.md").write_text("# my notes\n", encoding="utf-8")
    (atlas / "layers" / "analysis.qgz").write_bytes(b"PK\x03\x04 a QGIS project")
    (atlas / "my-photos").mkdir()
    (atlas / "my-photos" / "mine.jpg").write_bytes(b"\xff\xd8\xff")
    around = beside(atlas)
    result = mapkit_cli("build", "--out", str(atlas))
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        f"mapkit: warning: {atlas}: kept what you added to the earlier output: NOTES.md, "
        "layers/analysis.qgz, my-photos/\n"
    )
    assert (atlas / "NOTES.md").read_text(encoding="utf-8") == "# my notes\n"
    assert (atlas / "layers" / "analysis.qgz").read_bytes() == b"PK\x03\x04 a QGIS project"
    assert (atlas / "my-photos" / "mine.jpg").read_bytes() == b"\xff\xd8\xff"
    assert beside(atlas) == around


def test_a_rebuild_refuses_to_overwrite_a_file_the_user_added(atlas: Path) -> None:
    mapkit.build(atlas, mapkit.Inputs(formats=("geojson",)))
    (atlas / "layers" / "figures.csv").write_text("my own table", encoding="utf-8")
    before = Unchanged(atlas)
    with pytest.raises(mapkit.MapkitError) as caught:
        mapkit.build(atlas)
    assert str(caught.value) == (
        f"{atlas}: mapkit would overwrite layers/figures.csv, which it did not write; move "
        "them, or add `force=True` to overwrite them"  # the API's argument; the command: --force
    )
    before.check()


def test_out_a_symlink_updates_its_target_and_keeps_the_link(atlas: Path) -> None:
    """`--out current` (-> builds/v1, what a web server serves): the link stays a link, the
    target gets the new atlas, nothing is left beside either."""
    target = atlas.parent / "builds" / "v1"
    target.parent.mkdir()
    atlas.rename(target)
    link = atlas.parent / "current"
    link.symlink_to(Path("builds") / "v1", target_is_directory=True)
    (target / "index.html").write_text("stale", encoding="utf-8")
    result = mapkit_cli("build", "--out", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(Path("builds") / "v1")
    assert (target / "index.html").stat().st_size > 100_000
    assert sorted(p.name for p in atlas.parent.iterdir()) == ["builds", "current"]
    assert beside(target) == ["v1"]


@contextlib.contextmanager
def mounted(where: Path, *options: str) -> Iterator[Path]:
    """``mount`` (root only; the test is skipped where mounting is not allowed)."""
    where.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["mount", *options, str(where)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount here: {result.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=True)


@pytest.mark.parametrize("kind", ["tmpfs", "bind"])
def test_out_a_mount_point_works(tmp_path: Path, kind: str) -> None:
    """A USB stick's mount point cannot be renamed (EBUSY): mapkit swaps its contents."""
    usb = tmp_path / "usb"
    options = ["-t", "tmpfs", "-o", "size=50m", "tmpfs"] if kind == "tmpfs" else []
    if kind == "bind":
        (tmp_path / "disk").mkdir()
        options = ["--bind", str(tmp_path / "disk")]
    with mounted(usb, *options):
        for _ in range(2):  # onto the empty mount point, then over the first build
            result = mapkit_cli("build", "--out", str(usb))
            assert result.returncode == 0, result.stderr
            assert sorted(p.name for p in usb.iterdir()) == BUILT  # fmt: skip
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            ["usb", *(["disk"] if kind == "bind" else [])]
        )


def test_a_full_disk_is_one_line_and_leaves_the_atlas_alone(good_build: Path, tmp_path: Path):
    """Disk full while writing the GeoPackage: pyogrio's traceback (exit 1) before."""
    used = sum(p.stat().st_size for p in good_build.rglob("*") if p.is_file()) // 1024
    disk = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    with mounted(disk, "-t", "tmpfs", "-o", f"size={used + 1000}k", "tmpfs"):
        atlas = disk / "atlas"
        shutil.copytree(good_build, atlas)
        before = Unchanged(atlas)
        result = mapkit_cli("build", "--out", str(atlas))
        assert result.returncode == 2, result.stderr
        assert result.stderr == (
            f"mapkit: error: no space left on device while writing {atlas}; free some space "
            "and run again (the earlier output is left as it was)\n"
        )
        before.check()


def test_out_in_a_folder_that_cannot_be_written_works(tmp_path: Path) -> None:
    """Only ``--out`` itself is writable (a web server's folder, a read-only parent): the
    staging folder goes inside it and the contents are swapped."""
    parent = tmp_path / "readonly"
    with mounted(parent, "-t", "tmpfs", "-o", "size=50m", "tmpfs"):
        www = parent / "www"
        www.mkdir()
        with mounted(www, "--bind", str(www)):
            subprocess.run(["mount", "-o", "remount,ro,bind", str(parent)], check=True)
            for _ in range(2):
                result = mapkit_cli("build", "--out", str(www))
                assert result.returncode == 0, result.stderr
                assert sorted(p.name for p in www.iterdir()) == BUILT  # fmt: skip
            assert [p.name for p in parent.iterdir()] == ["www"]
