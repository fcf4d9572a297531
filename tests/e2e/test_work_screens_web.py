"""The requests, review, statistics, oversight, webhooks and dashboard screens: axe-core in both
languages, and the read-only ones on a 390-pixel phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from infrashare.demo.seed import DEMO_PASSWORD
from tests.e2e.axe import serious_violations
from tests.e2e.conftest import Screenshot
from tests.e2e.pages import TOWER_ADMIN, fail_on_page_errors, sign_in
from tests.e2e.parties import MOBILE_ADMIN, REGULATOR, free_asset_of, me, request_access

pytestmark = pytest.mark.browser

REGULATOR_SCREENS = ("/review", "/needs-list", "/statistics", "/oversight", "/admin/webhooks")


def _a_request_to_the_tower(page: Page) -> str:
    """Signs in as China Mobile, asks China Tower for a position, signs in as China Tower."""
    sign_in(page, TOWER_ADMIN, DEMO_PASSWORD)
    tower_id = me(page)["organisation"]["id"]
    page.context.clear_cookies()
    sign_in(page, MOBILE_ADMIN, DEMO_PASSWORD)
    request_id: str = request_access(page, free_asset_of(page, tower_id)["id"])["id"]
    page.context.clear_cookies()
    sign_in(page, TOWER_ADMIN, DEMO_PASSWORD)
    return request_id


def _settled(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.locator("#page-title")).to_be_visible()
    expect(page.locator(".ant-spin-spinning, .ant-skeleton-active")).to_have_count(0)


def _in(page: Page, language: str) -> None:
    page.evaluate(f"window.localStorage.setItem('infrashare.language', '{language}')")


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_work_screens_of_the_regulator_have_no_serious_accessibility_violations(
    page: Page, language: str, screenshot: Screenshot
) -> None:
    sign_in(page, REGULATOR, DEMO_PASSWORD)
    _in(page, language)
    for path in REGULATOR_SCREENS:
        _settled(page, path)
        screenshot(path.strip("/").replace("/", "-"))
        assert serious_violations(page) == [], path


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_work_screens_of_an_operator_have_no_serious_accessibility_violations(
    page: Page, language: str, screenshot: Screenshot
) -> None:
    request_id = _a_request_to_the_tower(page)
    _in(page, language)
    for path in ("/dashboard", "/requests", "/requests?box=outbox", f"/requests/{request_id}"):
        _settled(page, path)
        screenshot(path.strip("/").split("/")[0].replace("?box=", "-"))
        assert serious_violations(page) == [], path
    _settled(page, f"/requests/{request_id}/print")
    expect(page.frame_locator("#agreement-document").locator("body")).to_be_visible()
    assert serious_violations(page) == [], "print view"

    # The answer forms too, once their dialog has settled.
    page.goto(f"/requests/{request_id}")
    page.locator("#request-actions").get_by_role("button").nth(2).click()  # counter
    expect(page.locator("#action-form")).to_be_visible()
    expect(page.locator(".ant-zoom-appear, .ant-zoom-enter")).to_have_count(0)
    screenshot("counter-form")
    assert serious_violations(page) == [], "counter form"


def _fits_a_phone(page: Page) -> bool:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width <= 390


def test_work_screens_read_on_a_phone_without_breaking_the_layout(page: Page, screenshot: Screenshot) -> None:
    errors = fail_on_page_errors(page)
    page.set_viewport_size({"width": 390, "height": 844})
    request_id = _a_request_to_the_tower(page)
    for path in ("/dashboard", "/requests", f"/requests/{request_id}", f"/requests/{request_id}/print"):
        _settled(page, path)
        assert _fits_a_phone(page), path
        screenshot("phone-" + path.strip("/").replace("/", "-")[:40])
    page.context.clear_cookies()
    sign_in(page, REGULATOR, DEMO_PASSWORD)
    for path in ("/needs-list", "/statistics", "/oversight"):
        _settled(page, path)
        assert _fits_a_phone(page), path
        screenshot("phone-" + path.strip("/"))
    assert errors == []
