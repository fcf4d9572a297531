"""The web UI's sign-in page in a real Chromium against a real `infrashare serve` process."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from infrashare.demo.seed import DEMO_PASSWORD
from tests.e2e.conftest import Screenshot

pytestmark = pytest.mark.browser

TOWER_ADMIN = "admin@tower.example"
TOWER_ORGANISATION = "中国铁塔深圳分公司（演示）"
SESSION_COOKIE = "infrashare_session"


def fail_on_page_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def fill_sign_in_form(page: Page, email: str, password: str) -> None:
    form = page.locator("#sign-in-form")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()


def test_sign_in_survives_a_reload_and_sign_out_ends_it(page: Page, screenshot: Screenshot) -> None:
    errors = fail_on_page_errors(page)
    page.goto("/")
    expect(page.locator("#sign-in-form")).to_be_visible()
    expect(page.locator("#who-am-i")).to_be_hidden()
    screenshot("sign-in-form")

    fill_sign_in_form(page, TOWER_ADMIN, DEMO_PASSWORD)
    expect(page.locator("#organisation-name")).to_have_text(TOWER_ORGANISATION)
    expect(page.locator("#who-am-i")).to_be_visible()
    expect(page.locator("#sign-in-form")).to_be_hidden()
    expect(page.locator("#sign-in-error")).to_have_text("")
    screenshot("signed-in")

    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    session = cookies[SESSION_COOKIE]
    assert session["httpOnly"] is True  # scripts on the page cannot read it
    assert session["sameSite"] == "Lax"
    assert SESSION_COOKIE not in page.evaluate("document.cookie")

    page.reload()
    expect(page.locator("#organisation-name")).to_have_text(TOWER_ORGANISATION)
    expect(page.locator("#sign-in-form")).to_be_hidden()
    screenshot("after-reload")

    page.locator("#sign-out").click()
    expect(page.locator("#sign-in-form")).to_be_visible()
    expect(page.locator("#who-am-i")).to_be_hidden()
    screenshot("signed-out")

    # The server ended the session: a reload shows the form, and the API says 401.
    page.reload()
    expect(page.locator("#sign-in-form")).to_be_visible()
    expect(page.locator("#who-am-i")).to_be_hidden()
    assert page.request.get("/api/v1/me").status == 401
    screenshot("signed-out-after-reload")
    assert errors == []


def test_a_wrong_password_shows_the_problem_detail(page: Page, screenshot: Screenshot) -> None:
    errors = fail_on_page_errors(page)
    page.goto("/")
    expect(page.locator("#sign-in-form")).to_be_visible()

    fill_sign_in_form(page, TOWER_ADMIN, "not-the-password")
    error = page.locator("#sign-in-error")
    expect(error).to_have_text("Not signed in: Wrong e-mail or password.")
    expect(page.locator("#who-am-i")).to_be_hidden()
    expect(page.locator("#sign-in-form")).to_be_visible()
    screenshot("wrong-password")

    assert SESSION_COOKIE not in {cookie["name"] for cookie in page.context.cookies()}
    assert errors == []
