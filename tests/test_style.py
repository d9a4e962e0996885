"""The code stays ruff-clean (the project's style checks run with the tests)."""

from __future__ import annotations

import shutil
import subprocess
import sys

from conftest import REPO


def test_ruff_is_clean() -> None:
    ruff = shutil.which("ruff") or f"{sys.prefix}/bin/ruff"
    result = subprocess.run(
        [ruff, "check", "src", "tests", "geo", "benchmarks"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
