"""The output folder contract of ``build`` and ``export``: nothing lost, nothing left behind.

mapkit writes into a staging folder and puts it in place only when everything succeeded, so a
failed, interrupted (Ctrl-C, SIGTERM) or killed run leaves the previous output as it was. It
never overwrites or deletes a file it did not write: a marker (:data:`MARKER`) lists the files
it wrote; a rebuild replaces those and keeps every other file; a non-empty folder without the
marker is written into only with ``force``, and the files mapkit would overwrite are named; an
input of the run is never overwritten. A folder mapkit made is swapped whole; one it cannot
rename (a mount point, the current folder, the user's own folder) has its contents swapped. A
symbolic link stays and its target is updated. Staging folders hold a lock file while their run
lives; the next run removes those whose lock is free. Temporary names never depend on a PID.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import tempfile
import warnings
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from .errors import MapkitError, option
from .staging import (
    INSIDE_NEW,
    INSIDE_OLD,
    LOCK,
    MARKER,
    clean_stale,
    hold_lock,
    list_files,
    listed,
    read_marker,
    remove_empty_folders,
    user_added,
    write_marker,
)

__all__ = ["MARKER", "Output", "OutputError", "OutputWarning", "Terminated", "stop_on_sigterm"]

_NEARLY_FULL = 1 << 20  # bytes free after a GDAL write error that mean the disk is full
_CANNOT_RENAME = (errno.EBUSY, errno.EXDEV, errno.EPERM, errno.EACCES, errno.EINVAL)


class OutputError(MapkitError):
    """The output folder cannot be written without losing a file, or cannot be written at all."""


class OutputWarning(UserWarning):
    """Something the user should know about the output folder (files kept from before)."""


class Terminated(KeyboardInterrupt):
    """The process received SIGTERM; handled like Ctrl-C (nothing half-written is left)."""


def stop_on_sigterm() -> None:
    """Make SIGTERM raise :class:`Terminated` (call from the main thread of a command)."""

    def terminated(signum: int, frame: object) -> None:
        raise Terminated

    with contextlib.suppress(ValueError):  # not the main thread: the default stays
        signal.signal(signal.SIGTERM, terminated)


def _check_parent(out: Path) -> None:
    """Fail before any work when ``out`` cannot be created: a parent is a file, not a folder."""
    for parent in out.parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(f"cannot write to {out}: {parent} is a file, not a folder")
            return


class Output:
    """A staging folder that replaces mapkit's files in ``out`` when the ``with`` block succeeds.

    Parameters
    ----------
    out : str or Path
        The output folder (a symbolic link to a folder is followed; the link stays).
    planned : iterable of str
        The files the run will write, relative to ``out`` (to refuse before any work).
    inputs : iterable of str or Path
        The run's input files: never overwritten or removed.
    force : bool
        Write into a folder mapkit did not make, overwriting files it did not write.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with Output(Path(folder) / "atlas", ["index.html"]) as staging:
    ...         size = (staging / "index.html").write_text("…", encoding="utf-8")
    ...     sorted(path.name for path in (Path(folder) / "atlas").iterdir())
    ['.mapkit-build', 'index.html']
    """

    def __init__(
        self,
        out: str | Path,
        planned: Iterable[str],
        *,
        inputs: Iterable[str | Path] = (),
        force: bool = False,
    ):
        self.path = Path(out).absolute()
        self.target = self.path.resolve() if self.path.is_symlink() else self.path
        self.force = force
        self.planned = set(planned)
        self.inputs = {Path(p).absolute().resolve() for p in inputs}
        self._fds: list[int] = []
        self.staging: Path | None = None
        self._check()

    # -- before any work -------------------------------------------------------------------
    def _check(self) -> None:
        out = self.target
        _check_parent(out)
        try:
            clean_stale(out)  # first: it may put back an atlas a killed swap moved aside
        except OSError as exc:
            raise OutputError(f"cannot write to {self.path}: {exc.strerror}") from None
        if out.exists() and not out.is_dir():
            raise OutputError(
                f"{self.path} exists and is not a mapkit build folder; "
                f"choose another {option('out')}"
            )
        marker = read_marker(out) if out.is_dir() else None
        present = list_files(out) if out.is_dir() else []
        own, self.wrote = marker or (not present, set())
        self.shared = not own  # the user's folder: mapkit swaps only its own files in it
        foreign = [f for f in present if f not in self.wrote]
        clash = [f for f in foreign if f in self.planned]
        if marker is None and present and not self.force:
            if clash:
                raise OutputError(
                    f"{self.path} is not a mapkit folder and holds {listed(clash)}, which mapkit "
                    f"would overwrite; choose another {option('out')}, or add "
                    f"{option('force', True)} to overwrite them"
                )
            raise OutputError(
                f"{self.path} exists and is not a mapkit build folder (it holds "
                f"{listed(present)}); choose another {option('out')}, or add "
                f"{option('force', True)} to write beside them"
            )
        if clash and not self.force:
            raise OutputError(
                f"{self.path}: mapkit would overwrite {listed(clash)}, which it did not write; "
                f"move them, or add {option('force', True)} to overwrite them"
            )
        self._refuse_inputs(self.wrote | self.planned)
        self.keep = [f for f in foreign if f not in self.planned]

    def _refuse_inputs(self, replaced: set[str]) -> None:
        root = self.target.resolve()
        for path in sorted(self.inputs):
            if path.is_relative_to(root) and path.relative_to(root).as_posix() in replaced:
                raise OutputError(
                    f"{self.path}: mapkit would overwrite {path.relative_to(root).as_posix()}, "
                    f"an input of this run; choose another {option('out')}"
                )

    # -- staging ---------------------------------------------------------------------------
    def _inside(self) -> bool:
        """Whether the contents must be swapped (the folder itself cannot be renamed)."""
        out = self.target
        if not out.is_dir() or not self.path.exists():
            return False
        cwd = Path.cwd().resolve()
        return self.shared or os.path.ismount(out) or cwd.is_relative_to(out.resolve())

    @property
    def locks(self) -> list[int]:
        """The open lock files that say this run owns its folders: a process forked to help
        closes them, so that they die with this run (see :func:`mapkit.aside.aside`)."""
        return list(self._fds)

    def __enter__(self) -> Path:
        out = self.target
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            self.staging = self._new_staging()
            self._fds.append(hold_lock(self.staging))
        except OSError as exc:
            self._cleanup()
            raise OutputError(f"cannot write to {self.path}: {exc.strerror}") from None
        return self.staging

    def _new_staging(self) -> Path:
        """A staging folder beside the output, or inside it where it must stay in place (or
        where its parent cannot be written, as with a web server's folder)."""
        out = self.target
        if self._inside():
            return Path(tempfile.mkdtemp(prefix=INSIDE_NEW, dir=out))
        try:
            return Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
        except OSError:
            if not out.is_dir():
                raise
            return Path(tempfile.mkdtemp(prefix=INSIDE_NEW, dir=out))

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self.staging is not None
        try:
            if kind is None:
                self._commit()
        except BaseException as failure:
            exc = failure
        plain = self._plain(exc) if exc is not None else None  # while the staging is there
        self._cleanup()
        if plain is not None and (plain is not exc or kind is None):
            raise plain from None

    def _plain(self, exc: BaseException) -> BaseException:
        """A write failure in the user's terms: their folder named, not a temporary one."""
        if self._disk_full(exc):
            return OutputError(
                f"no space left on device while writing {self.path}; free some space and run "
                "again (the earlier output is left as it was)"
            )
        if isinstance(exc, OSError):
            return OutputError(f"cannot write to {self.path}: {exc.strerror or exc}")
        return exc

    def _disk_full(self, exc: BaseException) -> bool:
        """Whether ``exc`` means the disk is full (GDAL's errors do not always say so)."""
        if getattr(exc, "errno", None) == errno.ENOSPC or "No space left on device" in str(exc):
            return True
        if not isinstance(exc, Exception) or self.staging is None:
            return False
        writer = type(exc).__module__.split(".")[0] in ("pyogrio", "fiona", "sqlite3")
        try:
            return writer and shutil.disk_usage(self.staging).free < _NEARLY_FULL
        except OSError:
            return False

    def _cleanup(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
        for fd in self._fds:
            os.close(fd)
        self._fds.clear()

    # -- putting it in place ---------------------------------------------------------------
    def _commit(self) -> None:
        assert self.staging is not None
        new = self.staging
        written = list_files(new)
        self._refuse_inputs(set(written))
        write_marker(new, written, self.shared)
        if self.staging.parent == self.target:
            self._swap_contents(written)
            return
        self._carry(new)
        os.chmod(new, 0o755)
        try:
            self._swap_folder(new)
        except OSError as exc:
            if exc.errno not in _CANNOT_RENAME or not self.target.is_dir():
                raise
            self._swap_contents(written)  # a mount point, a busy folder: swap what is inside
        if self.keep:
            added = user_added(self.keep, self.wrote | self.planned)
            warnings.warn(
                f"{self.path}: kept what you added to the earlier output: {added}",
                OutputWarning,
                stacklevel=4,
            )

    def _carry(self, new: Path) -> None:
        """Link (or copy) the files the user added to the old folder into the new one."""
        for rel in self.keep:
            source, copy = self.target / rel, new / rel
            if rel.endswith("/"):
                copy.mkdir(parents=True, exist_ok=True)
                continue
            copy.parent.mkdir(parents=True, exist_ok=True)
            if source.is_symlink():
                os.symlink(os.readlink(source), copy)
                continue
            try:
                os.link(source, copy)
            except OSError:
                shutil.copy2(source, copy)

    def _swap_folder(self, new: Path) -> None:
        """Rename ``new`` to the output folder; the old one is removed only after the swap."""
        out = self.target
        if not out.exists() or not any(out.iterdir()):
            new.rename(out)  # rename(2) replaces an empty folder
        else:
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            try:
                self._fds.append(hold_lock(out))  # the old folder is this run's while aside
                out.rename(old)
            except BaseException:
                (out / LOCK).unlink(missing_ok=True)
                old.rmdir()
                raise
            try:
                new.rename(out)
            except BaseException:
                old.rename(out)
                (out / LOCK).unlink(missing_ok=True)
                raise
            shutil.rmtree(old, ignore_errors=True)
        (out / LOCK).unlink(missing_ok=True)
        self.staging = None

    def _swap_contents(self, written: list[str]) -> None:
        """Replace mapkit's files inside the output folder one by one (it cannot be renamed)."""
        assert self.staging is not None
        out, new = self.target, self.staging
        old = Path(tempfile.mkdtemp(prefix=INSIDE_OLD, dir=out))
        moved: list[str] = []
        placed: list[str] = []
        try:
            self._fds.append(hold_lock(old))
            for rel in sorted((self.wrote | set(written) | {MARKER}) - set(self.keep)):
                if (out / rel).exists() or (out / rel).is_symlink():
                    (old / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(out / rel, old / rel)
                    moved.append(rel)
            for rel in [*written, MARKER]:
                (out / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.move(new / rel, out / rel)
                placed.append(rel)
        except BaseException:
            for rel in placed:
                (out / rel).unlink(missing_ok=True)
            for rel in moved:
                shutil.move(old / rel, out / rel)
            raise
        finally:
            shutil.rmtree(old, ignore_errors=True)
        remove_empty_folders(out, self.wrote - set(written))
