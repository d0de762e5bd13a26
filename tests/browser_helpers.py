"""The system Chromium for the tests: where it is, how it is started, a Playwright context on it.

Never a downloaded browser: Playwright drives /usr/bin/chromium (Debian's package, installed by
.ci/run when CI=true). The flags keep a headless Chromium off the network it would otherwise
try to reach at start-up.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium")
                 if p and Path(p).exists()), None)
NO_CHROMIUM = "chromium 未安装：apt-get install chromium（CI 的 .ci/run 会安装）"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextmanager
def chromium_context(width: int, height: int = 900) -> Iterator:
    """A Playwright browser context on the system Chromium in a fresh profile (the test is
    skipped, saying why, without Playwright or chromium)."""
    if sync_playwright is None:
        pytest.skip("Playwright for Python is not installed (pip install playwright); browser test skipped")
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run does it when CI=true)")
    with tempfile.TemporaryDirectory(prefix="zwgk-chromium-") as profile, sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": width, "height": height}, locale="zh-CN")
        try:
            yield ctx
        finally:
            ctx.close()
