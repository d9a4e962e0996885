"""Where Chromium is and how it is launched, for the browser tests and the page benchmarks."""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("MAPKIT_CHROMIUM", "/usr/bin/chromium"))
"""Debian's Chromium (``MAPKIT_CHROMIUM`` names another)."""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
"""Headless in a container: no sandbox, no GPU, nothing fetched in the background."""
