"""A long build shows its stages on a terminal, says nothing more in a pipe, and stops on Ctrl-C."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[1] / "src")
ENV = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}


def on_terminal(args: list[str], interrupt_at: str | None = None) -> tuple[str, int]:
    """Run ``mapkit args`` on a pseudo-terminal; send Ctrl-C once ``interrupt_at`` is shown."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: stdout and stderr are the terminal
        os.execve(sys.executable, [sys.executable, "-m", "mapkit", *args], ENV)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
    out, deadline, sent = b"", time.monotonic() + 120, False
    while time.monotonic() < deadline:
        if interrupt_at and not sent and interrupt_at.encode() in out:
            os.kill(pid, signal.SIGINT)
            sent = True
        if select.select([fd], [], [], 0.1)[0]:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return out.decode(errors="replace"), os.waitstatus_to_exitcode(status)


def test_a_build_on_a_terminal_shows_its_stages_then_clears_the_line(tmp_path: Path) -> None:
    text, code = on_terminal(["build", "--out", str(tmp_path / "atlas")])
    assert code == 0, text
    for label in ("reading the figures", "drawing the atlas", "writing the layers"):
        assert f"mapkit build: {label}" in text
    last = text.replace("\r\n", "\n").split("\r")[-1]
    assert last.strip().startswith("mapkit: ")  # the build's summary, the progress line gone
    summary = f"(open it in a browser); layers in {tmp_path / 'atlas' / 'layers'}"
    assert last.strip().endswith(summary)


def test_a_build_into_a_pipe_shows_no_progress(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mapkit", "build", "--out", str(tmp_path / "atlas")],
        capture_output=True, text=True, env=ENV, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0
    assert done.stderr == ""


def test_ctrl_c_stops_a_build_with_one_line_and_nothing_written(tmp_path: Path) -> None:
    text, code = on_terminal(["build", "--out", str(tmp_path / "atlas")], "drawing the atlas")
    assert code == 130
    assert "Traceback" not in text
    assert text.rstrip().endswith("mapkit: interrupted; earlier output left as it was")
    assert list(tmp_path.iterdir()) == []
