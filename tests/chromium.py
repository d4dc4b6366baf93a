"""Headless Chromium for the tests that look at pages as a person would (Debian's chromium; .ci/run
installs it). On a machine without it those modules are skipped and say why; in CI they must run."""

import os
import shutil
from contextlib import contextmanager

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# No network, no first-run work, no sandbox (containers): a page must work offline anyway.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def require_chromium() -> None:
    """Skip the calling module where Chromium is missing, except in CI."""
    if not CHROMIUM and not os.environ.get("CI"):
        pytest.skip("no chromium on this machine (apt-get install chromium); CI runs these", allow_module_level=True)


@contextmanager
def launched():
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "chromium is not installed: .ci/run must apt-get install chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
