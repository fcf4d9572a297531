"""A live `infrashare serve` process and a Chromium driven by Playwright.

One server process per test session, on a fresh copy of the migrated and seeded SQLite
template, talking to the session's Meilisearch and serving the built web UI. Browser tests
use Playwright's sync API (plain ``def`` tests: pytest-asyncio runs a session event loop, and
the sync API refuses to run inside a running loop, and blocks asyncio while it is open).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect, sync_playwright

from infrashare.core.search import MeilisearchProcess
from infrashare.core.settings import PROJECT_ROOT
from tests.servers import LiveServer, seeded_server

FRONTEND_DIST = PROJECT_ROOT / "frontend" / "dist"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
# A live server that serves the built web UI, as `make run` does.
WEB_UI_SERVER = {
    "INFRASHARE_FRONTEND_DIST": str(FRONTEND_DIST),
    "INFRASHARE_PUBLIC_BASE_URL": "http://127.0.0.1",
}
# Playwright's actions and assertions wait until their condition holds; this ceiling only catches
# one that never will (its defaults, 30 s for actions and 5 s for assertions, can run out on a
# loaded machine while the page is merely slow).
WAIT_CEILING_MS = 60_000
expect.set_options(timeout=WAIT_CEILING_MS)


@pytest.fixture(scope="session")
def live_server(
    sqlite_template: Path, meilisearch: MeilisearchProcess, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    if not (FRONTEND_DIST / "index.html").exists():
        pytest.fail("the web UI is not built: run `make install` (or `cd frontend && npm run build`)")
    directory = tmp_path_factory.mktemp("live-server")
    server = seeded_server(sqlite_template, meilisearch, directory, env=WEB_UI_SERVER)
    server.start(log=directory / "serve.log")
    try:
        yield server
    finally:
        server.stop()


# Content-Security-Policy violations the browser reported (console errors), for every context
# any test opens; each test fails if it caused one (see ``no_csp_violations``).
CSP_VIOLATIONS: list[str] = []


def _watch_csp(context: BrowserContext) -> BrowserContext:
    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            CSP_VIOLATIONS.append(f"{message.location.get('url', '')}: {message.text}")

    context.on("console", on_console)
    return context


@pytest.fixture(autouse=True)
def no_csp_violations() -> Iterator[None]:
    CSP_VIOLATIONS.clear()
    yield
    assert CSP_VIOLATIONS == [], "the page broke its Content-Security-Policy"


@pytest.fixture(scope="module")
def browser(live_server: LiveServer) -> Iterator[Browser]:
    """Chromium for one test module. Module scope on purpose: while Playwright's sync API is
    alive it marks its event loop as running in this thread, so no asyncio code (fixtures
    such as ``sqlite_template``, async tests) can run until it is closed. ``live_server`` is
    requested first for the same reason."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `make install-test-deps`")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        opens = chromium.new_context

        def new_context(*args: Any, **kwargs: Any) -> BrowserContext:
            return _watch_csp(opens(*args, **kwargs))

        chromium.new_context = new_context  # type: ignore[method-assign]  # every test's contexts
        yield chromium
        chromium.close()


@pytest.fixture
def page(live_server: LiveServer, browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies) per test, with the live server as base URL."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    context.set_default_timeout(WAIT_CEILING_MS)
    page = context.new_page()
    yield page
    context.close()


Screenshot = Callable[[str], Path]


@pytest.fixture
def screenshot(page: Page, request: pytest.FixtureRequest) -> Screenshot:
    """``screenshot("step")`` saves test-artifacts/<test name>/NN-step.png and returns its path."""
    directory = ARTIFACTS / request.node.name
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    steps: list[Path] = []

    def take(step: str) -> Path:
        path = directory / f"{len(steps) + 1:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        steps.append(path)
        return path

    return take
