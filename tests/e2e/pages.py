"""Helpers shared by the browser tests: sign in through the form, collect page errors."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

TOWER_ADMIN = "admin@tower.example"
TOWER_ORGANISATION = "中国铁塔深圳分公司（演示）"
SESSION_COOKIE = "infrashare_session"


def fail_on_page_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def opened_dropdown(page: Page, component: str) -> Locator:
    """An antd select's or cascader's dropdown once its opening motion has ended: a click during
    the slide-up motion can be lost on a loaded machine (seen under two parallel make test runs)."""
    return page.locator(f'.ant-{component}-dropdown:visible:not([class*="slide-up-"])')


def fill_sign_in_form(page: Page, email: str, password: str) -> None:
    form = page.locator("#sign-in-form")
    form.get_by_label("邮箱").fill(email)
    form.get_by_label("密码").fill(password)
    form.get_by_role("button", name="登录").click()


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/sign-in")
    fill_sign_in_form(page, email, password)
    expect(page.locator("#sign-out")).to_be_visible()
