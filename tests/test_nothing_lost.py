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
import time
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
        self.check_files()
        assert beside(self.out) == self.around, "something was left beside the atlas folder"

    def check_files(self) -> None:
        assert self.out.is_dir()
        now = snapshot(self.out)
        assert set(now) == set(self.files), "paths appeared or vanished"
        changed = [k for k in now if now[k] != self.files[k]]
        assert changed == [], f"changed: {changed}"


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
    pytest.param(OSError(28, "No space left on device"), mapkit.MapkitError, id="disk-full"),
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
    with pytest.raises(raised) as caught:
        mapkit.build(atlas)
    assert saved, "the atlas was not rendered before the failure"
    before.check()
    if raised is mapkit.MapkitError:  # the user's folder named, not the staging folder
        assert str(caught.value).startswith(f"no space left on device while writing {atlas};")


@pytest.mark.parametrize(
    "step", ["load_figures", "load_districts", "atlas"], ids=lambda s: f"ctrl-c-in-{s}"
)
def test_an_interrupt_at_any_step_leaves_the_atlas_alone(
    atlas: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    reader = importlib.import_module("mapkit.load")  # where a build reads its inputs
    monkeypatch.setattr(build_module if step == "atlas" else reader, step, interrupted)
    before = Unchanged(atlas)
    with pytest.raises(KeyboardInterrupt):
        mapkit.build(atlas)
    before.check()


@pytest.mark.parametrize(
    "exc", [OSError(5, "Input/output error"), KeyboardInterrupt()], ids=["io-error", "ctrl-c"]
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
    raised = mapkit.MapkitError if isinstance(exc, OSError) else type(exc)
    with pytest.raises(raised) as caught:
        mapkit.build(atlas)
    assert len(calls) >= 2, calls  # the old atlas was really moved aside first
    monkeypatch.undo()
    before.check()
    if isinstance(exc, OSError):  # the user's folder named, never a temporary one
        assert str(caught.value) == f"cannot write to {atlas}: Input/output error"


def hooked(tmp_path: Path, after_writing: str) -> dict[str, str]:
    """The environment of a ``mapkit`` process that runs ``after_writing`` (Python) once the
    new layers are written into the staging folder, before the swap."""
    hook = tmp_path / "hook" / "sitecustomize.py"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text(
        "import importlib, os, signal, time\n"
        "BUILD = os.getpid()  # the layers are written by a process it forks\n"
        "def _patch():\n"
        "    build = importlib.import_module('mapkit.build')\n"
        "    real = build.write_layers\n"
        "    def write_layers(*args, **kwargs):\n"
        "        written = real(*args, **kwargs)\n"
        f"        {after_writing}\n"
        "        return written\n"
        "    build.write_layers = write_layers\n"
        "if os.environ.get('MAPKIT_TEST_HOOK'):\n"
        "    import mapkit.build\n"
        "    _patch()\n",
        encoding="utf-8",
    )
    path = [str(hook.parent), os.environ.get("PYTHONPATH")]
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, path)),
        "MAPKIT_TEST_HOOK": "1",
    }


@pytest.mark.parametrize(
    ("signal_name", "code", "said"),
    [("SIGINT", 130, "interrupted"), ("SIGTERM", 143, "terminated")],
)
def test_a_cli_interrupt_or_sigterm_leaves_the_atlas_alone(
    atlas: Path, tmp_path: Path, signal_name: str, code: int, said: str
) -> None:
    """Ctrl-C or SIGTERM (``kill``, a container stopping) in the real command, delivered while
    the new atlas is being written: one line, a non-zero exit, no staging folder left."""
    env = hooked(tmp_path, f"os.kill(BUILD, signal.{signal_name})")
    before = Unchanged(atlas)
    result = subprocess.run([sys.executable, "-m", "mapkit", "build", "--out", str(atlas)],
                            capture_output=True, text=True, timeout=300, env=env)  # fmt: skip
    assert result.returncode == code, result.stderr
    assert result.stderr == f"mapkit: {said}; earlier output left as it was\n"
    before.check()


def test_staging_left_by_a_killed_build_is_removed_by_the_next(atlas: Path, tmp_path: Path) -> None:
    """kill -9 leaves the staging folder; the next build removes it (and only mapkit's own)."""
    started = tmp_path / "written"
    env = hooked(tmp_path, f"open({str(started)!r}, 'w').close(); time.sleep(120)")
    before = Unchanged(atlas)
    command = [sys.executable, "-m", "mapkit", "build", "--out", str(atlas)]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    process = subprocess.Popen(command, env=env, **quiet)
    try:
        for _ in range(600):
            if started.exists() or process.poll() is not None:
                break
            time.sleep(0.1)
        assert started.exists(), "the build did not reach the writing step"
    finally:
        process.kill()
        process.wait()
    left = [n for n in beside(atlas) if n not in before.around]
    assert len(left) == 1 and left[0].startswith(".atlas.new-"), left
    before.check_files()
    someone_elses = atlas.parent / ".atlas.new-not-mapkits"  # no lock file: not mapkit's
    someone_elses.mkdir()
    assert mapkit.build(atlas) == atlas
    assert beside(atlas) == sorted([*before.around, someone_elses.name])


def test_a_leftover_old_folder_with_this_pid_does_not_block_a_build(atlas: Path) -> None:
    """A ``.atlas.old-<pid>`` left by an earlier process with the same PID (PID 1 in every
    container run) made every later build fail with "Directory not empty"."""
    leftover = atlas.parent / f".atlas.old-{os.getpid()}"
    leftover.mkdir()
    (leftover / "index.html").write_text("an old atlas", encoding="utf-8")
    assert mapkit.build(atlas) == atlas
    assert (atlas / "index.html").stat().st_size > 100_000


def test_an_atlas_moved_aside_by_a_killed_swap_is_put_back(atlas: Path) -> None:
    """Killed between moving the old atlas aside and moving the new one in: the next build
    starts from the old atlas (and keeps what the user added to it), leaving nothing beside."""
    (atlas / "NOTES.md").write_text("mine", encoding="utf-8")
    aside = atlas.parent / ".atlas.old-k1ll3d"
    atlas.rename(aside)
    (aside / ".mapkit-staging").touch()  # the swap's lock file, free once its process died
    with pytest.warns(UserWarning, match="kept what you added to the earlier output: NOTES.md"):
        assert mapkit.build(atlas) == atlas
    assert (atlas / "NOTES.md").read_text(encoding="utf-8") == "mine"
    assert beside(atlas) == ["atlas"]
