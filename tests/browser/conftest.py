"""What both browser tests share: Debian's Chromium, launched headless for a closed network."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from bot.paths import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"
# `make system-deps` (and .ci/run) installs it; without it the browser tests cannot run at all.
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium (/usr/bin/chromium) is not installed: run `make system-deps`"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()
