"""Browser tests of the web widget: Debian's Chromium driven by Playwright, against the real
services (the `services` fixture of tests/e2e starts the api, Rasa and the action server).

Needs /usr/bin/chromium (never `playwright install`) and axe-core from
`npm ci --prefix tests/browser`.
"""
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

# The real services, exactly as the end-to-end tests start them (with the fixtures they depend on).
from tests.e2e.conftest import *  # noqa: F401,F403
from tests.e2e.conftest import services  # noqa: F401

HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("MADOGUCHI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}
ANSWER_TIMEOUT_MS = 60_000  # a first Rasa answer can take a while on a small machine

expect.set_options(timeout=ANSWER_TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _context(browser, viewport):
    ctx = browser.new_context(viewport=viewport, locale="ja-JP", timezone_id="Asia/Tokyo")
    ctx.set_default_timeout(ANSWER_TIMEOUT_MS)
    return ctx


@pytest.fixture
def page(browser, services):
    """A fresh desktop tab (its own sessionStorage) on nothing yet; base URL in page.base."""
    ctx = _context(browser, DESKTOP)
    pg = ctx.new_page()
    pg.base = services.base
    try:
        yield pg
    finally:
        ctx.close()


@pytest.fixture
def phone(browser, services):
    """A fresh 375×667 phone-sized tab."""
    ctx = _context(browser, PHONE)
    pg = ctx.new_page()
    pg.base = services.base
    try:
        yield pg
    finally:
        ctx.close()


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: npm ci --prefix tests/browser")
    return AXE.read_text()
