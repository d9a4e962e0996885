"""A build that fails or is interrupted leaves the previous atlas exactly as it was.

Each test starts from a copy of one good ``mapkit build --out DIR``, makes a second build into the
same DIR fail at some step (a bad figures row, an unreadable boundary file, an error or Ctrl-C
after the atlas was rendered, a failed swap), and checks that every file in DIR has the same bytes,
that no path appeared or vanished, and that no temporary folder is left beside DIR.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import mapkit

pytestmark = pytest.mark.filterwarnings("ignore:.*text longer than 254 characters")

build_module = importlib.import_module("mapkit.build")  # ``mapkit.build`` is the function


def snapshot(folder: Path) -> dict[str, str]:
    """Every path under ``folder`` with the SHA-256 of its bytes (folders map to "dir")."""
    state = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        state[key] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return state


def beside(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir())


def mapkit_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mapkit", *args], capture_output=True,
                          text=True, timeout=300)  # fmt: skip


@pytest.fixture(scope="module")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("good") / "atlas"
    result = mapkit_cli("build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def atlas(good_build: Path, tmp_path: Path) -> Path:
    """A fresh copy of the good build, alone in its own parent folder."""
    out = tmp_path / "parent" / "atlas"
    shutil.copytree(good_build, out, symlinks=True)
    assert (out / "index.html").stat().st_size > 100_000
    assert (out / "layers" / "districts.geojson").exists()
    return out


class Unchanged:
    """Records DIR and its surroundings, then checks nothing changed."""

    def __init__(self, out: Path):
        self.out = out
        self.files = snapshot(out)
        self.around = beside(out)

    def check(self) -> None:
        assert self.out.is_dir()
        now = snapshot(self.out)
        assert set(now) == set(self.files), "paths appeared or vanished"
        changed = [k for k in now if now[k] != self.files[k]]
        assert changed == [], f"changed: {changed}"
        assert beside(self.out) == self.around, "something was left beside the atlas folder"


def test_the_copy_is_a_build_mapkit_may_replace(atlas: Path) -> None:
    assert (atlas / build_module.MARKER).exists()
    before = Unchanged(atlas)
    assert mapkit.build(atlas) == atlas  # a good rebuild swaps in cleanly
    assert beside(atlas) == before.around
    assert (atlas / "index.html").stat().st_size > 100_000


def test_a_bad_figures_row_leaves_the_atlas_alone(atlas: Path, tmp_path: Path) -> None:
    bad = tmp_path / "mine.csv"
    bad.write_text(
        "area,metric,value,unit,as_of,source\n"
        "Aghdam,cleared_area,5,ha,2025-01-31,ANAMA\n"
        "Aghdam,cleared_area,lots,ha,2025-01-31,ANAMA\n",
        encoding="utf-8",
    )
    before = Unchanged(atlas)
    result = mapkit_cli("build", "--out", str(atlas), "--figures", str(bad))
    assert result.returncode == 2 and "line 3" in result.stderr
    before.check()


def test_an_unreadable_boundary_file_leaves_the_atlas_alone(atlas: Path, tmp_path: Path) -> None:
    broken = tmp_path / "districts.gpkg"
    broken.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 8)  # a truncated GeoPackage
    before = Unchanged(atlas)
    result = mapkit_cli("build", "--out", str(atlas), "--boundaries", str(broken))
    assert result.returncode == 2 and "districts.gpkg" in result.stderr, result.stderr
    before.check()


def _fail_after_writing(exc: BaseException):
    """A ``write_layers`` that writes part of its output, then fails with ``exc``."""

    def write_layers(layers, figures, folder, formats=()):
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "districts.geojson").write_text('{"type": "FeatureCollection", "feat')
        raise exc

    return write_layers


FAILURES = [
    pytest.param(OSError(28, "No space left on device"), OSError, id="disk-full"),
    pytest.param(RuntimeError("a bug in an exporter"), RuntimeError, id="bug"),
    pytest.param(KeyboardInterrupt(), KeyboardInterrupt, id="ctrl-c"),
]


@pytest.mark.parametrize(("exc", "raised"), FAILURES)
def test_a_failure_after_the_atlas_was_rendered_leaves_it_alone(
    atlas: Path, monkeypatch: pytest.MonkeyPatch, exc: BaseException, raised: type
) -> None:
    saved = []
    real_atlas = build_module.atlas

    def atlas_and_note(*args, **kwargs):
        m = real_atlas(*args, **kwargs)
        saved.append(m)
        return m

    monkeypatch.setattr(build_module, "atlas", atlas_and_note)
    monkeypatch.setattr(build_module, "write_layers", _fail_after_writing(exc))
    monkeypatch.setattr("mapkit.export.write_layers", _fail_after_writing(exc))
    before = Unchanged(atlas)
    with pytest.raises(raised):
        mapkit.build(atlas)
    assert saved, "the atlas was not rendered before the failure"
    before.check()


@pytest.mark.parametrize(
    "step", ["load_figures", "load_districts", "atlas"], ids=lambda s: f"ctrl-c-in-{s}"
)
def test_an_interrupt_at_any_step_leaves_the_atlas_alone(
    atlas: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module, step, interrupted)
    before = Unchanged(atlas)
    with pytest.raises(KeyboardInterrupt):
        mapkit.build(atlas)
    before.check()


@pytest.mark.parametrize(
    "exc", [OSError(16, "Device or resource busy"), KeyboardInterrupt()], ids=["busy", "ctrl-c"]
)
def test_a_failed_swap_puts_the_old_atlas_back(
    atlas: Path, monkeypatch: pytest.MonkeyPatch, exc: BaseException
) -> None:
    """The old folder is moved aside, then moving the new one in fails: the old one returns."""
    real_rename = Path.rename
    calls = []

    def rename(self: Path, target: str | Path) -> Path:
        calls.append((self.name, Path(target).name))
        if Path(target) == atlas and self != atlas and not self.name.startswith(".atlas.old"):
            raise exc
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    before = Unchanged(atlas)
    with pytest.raises(type(exc)):
        mapkit.build(atlas)
    assert len(calls) >= 2, calls  # the old atlas was really moved aside first
    monkeypatch.undo()
    before.check()


def test_a_cli_interrupt_exits_130_and_leaves_the_atlas_alone(atlas: Path, tmp_path: Path) -> None:
    """Ctrl-C in the real command, delivered while the new atlas is being written."""
    hook = tmp_path / "sitecustomize.py"
    hook.write_text(
        "import importlib, os, signal\n"
        "def _patch():\n"
        "    build = importlib.import_module('mapkit.build')\n"
        "    real = build.write_layers\n"
        "    def write_layers(*args, **kwargs):\n"
        "        real(*args, **kwargs)\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "    build.write_layers = write_layers\n"
        "if os.environ.get('MAPKIT_TEST_INTERRUPT'):\n"
        "    import mapkit.build\n"
        "    _patch()\n",
        encoding="utf-8",
    )
    before = Unchanged(atlas)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")])),
        "MAPKIT_TEST_INTERRUPT": "1",
    }
    result = subprocess.run([sys.executable, "-m", "mapkit", "build", "--out", str(atlas)],
                            capture_output=True, text=True, timeout=300, env=env)  # fmt: skip
    assert result.returncode == 130, result.stderr
    assert "interrupted" in result.stderr and "Traceback" not in result.stderr
    before.check()
