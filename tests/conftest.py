"""Shared fixtures: a built atlas, the shared material beside the repo, and a real Chromium."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import mapkit

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO / "benchmarks"))  # Chromium is launched as the benchmarks do
from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def shared(*parts: str) -> Path:
    """A file of the shared material; skips (fails in CI) when it is not beside the repo."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} is missing: CI runs with ../shared beside the repo")
        pytest.skip(f"{path} is not here")
    return path


@pytest.fixture(scope="session")
def atlas_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The atlas built on the embedded data, once per test session."""
    return mapkit.build(tmp_path_factory.mktemp("build") / "atlas")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright; never skipped when CI=true."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if IN_CI:
            raise
        pytest.skip("playwright is not installed")
    if not CHROMIUM.exists() and shutil.which("chromium") is None:
        if IN_CI:
            pytest.fail(f"Chromium is missing at {CHROMIUM}: .ci/run must install it")
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class OfflinePage:
    """A page with every http(s) request blocked and counted, and errors recorded."""

    def __init__(self, browser: object, width: int = 1280, height: int = 820, touch: bool = False):
        """A window of ``width`` × ``height``; ``touch`` makes it a phone (touch, mobile)."""
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, has_touch=touch, is_mobile=touch
        )
        self.page = self.context.new_page()
        self.blocked: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on(
            "dialog",
            lambda dialog: (self.errors.append(f"dialog: {dialog.message}"), dialog.dismiss()),
        )

    def _route(self, route: object) -> None:
        request = route.request
        if request.url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            self.blocked.append((request.resource_type, request.url))
            route.abort()

    def open(self, html: Path) -> object:
        self.page.goto(html.as_uri())
        self.page.wait_for_function("window.mapkit !== undefined", timeout=20000)
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def offline_page(browser: object) -> Iterator[OfflinePage]:
    """A fresh page that can load nothing from the network."""
    page = OfflinePage(browser)
    yield page
    page.close()
