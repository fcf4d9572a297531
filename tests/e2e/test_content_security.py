"""The Content-Security-Policy holds in the browser: the guard every browser test runs under
(``no_csp_violations`` in conftest) sees a violation, and the screens, the API docs and the
consent page run without one."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Route, expect

from infrashare.demo.seed import DEMO_PASSWORD
from tests.e2e.conftest import CSP_VIOLATIONS
from tests.e2e.pages import TOWER_ADMIN, fail_on_page_errors, sign_in
from tests.servers import LiveServer

pytestmark = pytest.mark.browser


def test_the_guard_sees_an_inline_script_the_policy_refuses(live_server: LiveServer, page: Page) -> None:
    def with_inline_script(route: Route) -> None:
        response = route.fetch()
        route.fulfill(
            response=response,
            body="<!doctype html><title>x</title><script>document.title = 'ran'</script>",
            headers={**response.headers, "content-type": "text/html"},
        )

    page.route("**/csp-probe", with_inline_script)
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.goto("/csp-probe")  # the app's answer and headers, with an inline script put in
    assert page.title() == "x"  # the script did not run
    assert any("inline script" in violation for violation in CSP_VIOLATIONS)
    CSP_VIOLATIONS.clear()


def test_the_screens_and_the_api_docs_run_under_the_policy(live_server: LiveServer, page: Page) -> None:
    errors = fail_on_page_errors(page)
    sign_in(page, TOWER_ADMIN, DEMO_PASSWORD)
    for path in ("/dashboard", "/assets", "/needs", "/requests", "/admin/users", "/admin/oauth-clients"):
        page.goto(path)
        expect(page.locator("#sign-out")).to_be_visible()
        page.wait_for_load_state("networkidle")
    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("InfraShare API")
    assert errors == []


def test_swaggers_oauth_redirect_page_runs_its_script_by_hash(live_server: LiveServer, page: Page) -> None:
    errors = fail_on_page_errors(page)
    page.goto("/api/docs/oauth2-redirect.html")
    # Its one script ran (and, opened without Swagger UI as its opener, failed to find it).
    expect(page.locator("body")).to_be_attached()
    page.wait_for_load_state("load")
    assert any("opener" in error or "swaggerUIRedirectOauth2" in error for error in errors), errors
