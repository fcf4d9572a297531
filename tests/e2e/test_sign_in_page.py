"""The web UI's sign-in page in a real Chromium against a real `infrashare serve` process."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from infrashare.demo.seed import DEMO_PASSWORD
from tests.e2e.conftest import Screenshot
from tests.e2e.pages import (
    SESSION_COOKIE,
    TOWER_ADMIN,
    TOWER_ORGANISATION,
    fail_on_page_errors,
    fill_sign_in_form,
)

pytestmark = pytest.mark.browser


def test_sign_in_survives_a_reload_and_sign_out_ends_it(page: Page, screenshot: Screenshot) -> None:
    errors = fail_on_page_errors(page)
    page.goto("/")
    expect(page).to_have_url("/sign-in")
    expect(page.locator("#sign-in-form")).to_be_visible()
    expect(page.locator("#who-am-i")).to_have_count(0)
    screenshot("sign-in-form")

    fill_sign_in_form(page, TOWER_ADMIN, DEMO_PASSWORD)
    expect(page.locator("#organisation-name")).to_have_text(TOWER_ORGANISATION)
    expect(page.locator("#role")).to_have_text("运营单位管理员")
    expect(page).to_have_url("/dashboard")
    expect(page.locator("#sign-in-form")).to_have_count(0)
    screenshot("signed-in")

    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    session = cookies[SESSION_COOKIE]
    assert session["httpOnly"] is True  # scripts on the page cannot read it
    assert session["sameSite"] == "Lax"
    assert SESSION_COOKIE not in page.evaluate("document.cookie")

    page.reload()
    expect(page.locator("#organisation-name")).to_have_text(TOWER_ORGANISATION)
    expect(page.locator("#sign-in-form")).to_have_count(0)
    screenshot("after-reload")

    page.locator("#sign-out").click()
    expect(page.locator("#sign-in-form")).to_be_visible()
    expect(page.locator("#who-am-i")).to_have_count(0)
    screenshot("signed-out")

    # The server ended the session: a reload shows the form, and the API says 401.
    page.reload()
    expect(page.locator("#sign-in-form")).to_be_visible()
    expect(page.locator("#who-am-i")).to_have_count(0)
    assert page.request.get("/api/v1/me").status == 401
    screenshot("signed-out-after-reload")
    assert errors == []


def test_a_wrong_password_shows_the_problem_detail(page: Page, screenshot: Screenshot) -> None:
    errors = fail_on_page_errors(page)
    page.goto("/sign-in")
    expect(page.locator("#sign-in-form")).to_be_visible()

    fill_sign_in_form(page, TOWER_ADMIN, "not-the-password")
    error = page.locator("#sign-in-error [role=alert]")
    expect(error).to_contain_text("未登录")
    expect(error).to_contain_text("Wrong e-mail or password.")
    expect(page.locator("#who-am-i")).to_have_count(0)
    expect(page.locator("#sign-in-form")).to_be_visible()
    screenshot("wrong-password")

    assert SESSION_COOKIE not in {cookie["name"] for cookie in page.context.cookies()}
    assert errors == []


def test_a_deep_link_comes_back_after_sign_in(page: Page) -> None:
    page.goto("/admin/oauth-clients")
    expect(page).to_have_url("/sign-in")
    fill_sign_in_form(page, TOWER_ADMIN, DEMO_PASSWORD)
    expect(page).to_have_url("/admin/oauth-clients")
    expect(page.get_by_role("heading", name="OAuth 客户端")).to_be_visible()
