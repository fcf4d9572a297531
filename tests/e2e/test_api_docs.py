"""The interactive API docs render from the app alone: every request off the server is blocked."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from tests.e2e.conftest import Screenshot
from tests.e2e.pages import fail_on_page_errors
from tests.servers import LiveServer

pytestmark = pytest.mark.browser


def test_api_docs_render_with_the_network_unplugged(
    live_server: LiveServer, page: Page, screenshot: Screenshot
) -> None:
    errors = fail_on_page_errors(page)
    served_from = urlsplit(live_server.url).netloc
    blocked: list[str] = []

    def unplug(route: Route) -> None:
        if urlsplit(route.request.url).netloc == served_from:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("internetdisconnected")

    page.route("**/*", unplug)
    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("InfraShare API")
    # The operations are listed, grouped by tag, and one opens to show its parameters.
    operation = page.locator(".opblock-summary-path[data-path='/api/v1/assets/{asset_id}/history']").first
    expect(operation).to_be_visible()
    operation.click()
    expect(page.locator(".opblock.is-open .parameters-container")).to_be_visible()
    screenshot("api-docs-offline")
    assert blocked == []
    assert errors == []
