"""The web UI's shell and admin screens in a real Chromium against a real `infrashare serve`."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from infrashare.demo.seed import DEMO_PASSWORD
from tests.e2e.axe import serious_violations
from tests.e2e.conftest import Screenshot
from tests.e2e.pages import TOWER_ADMIN, fail_on_page_errors, opened_dropdown, sign_in

pytestmark = pytest.mark.browser


def test_an_operator_admin_registers_an_oauth_client_and_sees_its_secret_once(
    page: Page, screenshot: Screenshot
) -> None:
    errors = fail_on_page_errors(page)
    sign_in(page, TOWER_ADMIN, DEMO_PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("menuitem", name="OAuth 客户端").click()
    expect(page).to_have_url("/admin/oauth-clients")
    expect(page.get_by_role("heading", name="OAuth 客户端")).to_be_visible()
    screenshot("oauth-clients")

    page.get_by_role("button", name="注册客户端").click()
    dialog = page.get_by_role("dialog", name="注册客户端")
    dialog.get_by_label("名称").fill("GIS 同步（端到端测试）")
    dialog.get_by_label("回调地址").fill("https://gis.example.com/oauth/callback")
    dialog.get_by_role("checkbox", name=re.compile("读取资产")).check()
    dialog.get_by_role("checkbox", name=re.compile("读取需求清单")).check()
    screenshot("register-form")
    dialog.get_by_role("button", name="注册", exact=True).click()

    secret_dialog = page.get_by_role("dialog", name="客户端凭据")
    secret = secret_dialog.locator("#client-secret")
    expect(secret).to_be_visible()
    secret_text = secret.inner_text().strip()
    assert len(secret_text) >= 20
    expect(secret_dialog.get_by_role("button", name="复制").first).to_be_visible()
    screenshot("secret-shown-once")
    secret_dialog.get_by_role("button", name="我已保存密钥").click()
    expect(secret_dialog).to_be_hidden()

    row = page.get_by_role("row", name=re.compile("GIS 同步（端到端测试）"))
    expect(row).to_contain_text("读取资产")
    expect(row).to_contain_text("https://gis.example.com/oauth/callback")
    assert secret_text not in page.content()  # shown once: gone from the page
    screenshot("client-listed")

    row.get_by_role("button", name="吊销").click()
    page.locator(".ant-popconfirm").get_by_role("button", name="吊销").click()
    expect(row).to_contain_text("已吊销")
    screenshot("client-revoked")
    assert errors == []


def test_an_operator_admin_creates_a_user_sees_field_errors_and_deactivates_them(
    page: Page, screenshot: Screenshot
) -> None:
    errors = fail_on_page_errors(page)
    sign_in(page, TOWER_ADMIN, DEMO_PASSWORD)
    page.get_by_role("menuitem", name="用户管理").click()
    expect(page.get_by_role("row", name=re.compile("engineer@tower.example"))).to_be_visible()

    page.get_by_role("button", name="新建用户").click()
    dialog = page.get_by_role("dialog", name="新建用户")
    dialog.get_by_label("邮箱").fill("engineer@tower.example")
    dialog.get_by_label("姓名").fill("新同事")
    dialog.get_by_label("初始密码").fill("a-long-enough-password")
    dialog.get_by_role("button", name="创建").click()
    # The API's 409 names the field: the message sits under the e-mail input.
    email_item = dialog.locator(".ant-form-item").filter(has=page.get_by_label("邮箱"))
    expect(email_item).to_contain_text("exists already")
    screenshot("duplicate-email")

    dialog.get_by_label("邮箱").fill("new.colleague@tower.example")
    dialog.get_by_role("button", name="创建").click()
    expect(dialog).to_be_hidden()
    row = page.get_by_role("row", name=re.compile("new.colleague@tower.example"))
    expect(row).to_contain_text("运营单位成员")
    expect(row).to_contain_text("启用")

    row.get_by_role("button", name="停用").click()
    page.locator(".ant-popconfirm").get_by_role("button", name="确定").click()
    expect(row.get_by_role("button", name="启用")).to_be_visible()
    screenshot("deactivated")
    row.get_by_role("button", name="启用").click()
    page.locator(".ant-popconfirm").get_by_role("button", name="确定").click()
    expect(row.get_by_role("button", name="停用")).to_be_visible()
    assert errors == []


def test_the_language_switch_changes_the_whole_ui_and_is_remembered(
    page: Page, screenshot: Screenshot
) -> None:
    errors = fail_on_page_errors(page)
    sign_in(page, TOWER_ADMIN, DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")

    page.locator("#language-switch").get_by_text("English").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.locator("#role")).to_have_text("Operator admin")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot("dashboard-en")

    page.get_by_role("menuitem", name="Assets").click()
    expect(page.get_by_role("heading", name="Assets")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Assets")).to_be_visible()
    expect(page.get_by_role("search", name="Asset search")).to_contain_text("Clear filters")
    screenshot("assets-en")

    page.locator("#language-switch").get_by_text("中文").click()
    expect(page.get_by_role("heading", name="资源管理")).to_be_visible()
    expect(page.get_by_role("search", name="资源搜索")).to_contain_text("清除筛选")
    expect(page.locator("#role")).to_have_text("运营单位管理员")
    screenshot("assets-zh")
    assert errors == []


def test_the_dashboard_maps_shenzhen_districts(page: Page, screenshot: Screenshot) -> None:
    errors = fail_on_page_errors(page)
    sign_in(page, TOWER_ADMIN, DEMO_PASSWORD)
    expect(page.get_by_text(re.compile(r"\d+ 个区"))).to_be_visible()
    expect(page.get_by_text("福田区", exact=True)).to_be_visible()
    expect(page.get_by_test_id("map").locator("canvas")).to_be_visible()
    screenshot("dashboard")
    assert errors == []


def test_the_platform_admin_sees_organisations_and_not_operator_screens(
    page: Page, screenshot: Screenshot
) -> None:
    errors = fail_on_page_errors(page)
    sign_in(page, "admin@platform.example", DEMO_PASSWORD)
    expect(page).to_have_url("/organisations")
    expect(page.get_by_role("row", name=re.compile("深圳市通信管理局"))).to_contain_text("440300")
    screenshot("organisations")
    page.goto("/dashboard")
    expect(page.get_by_text("无权访问")).to_be_visible()
    assert errors == []


def test_the_platform_admin_adds_a_district_to_a_regulators_jurisdiction(
    page: Page, screenshot: Screenshot
) -> None:
    errors = fail_on_page_errors(page)
    sign_in(page, "admin@platform.example", DEMO_PASSWORD)
    row = page.get_by_role("row", name=re.compile("南山区工业和信息化局"))
    expect(row).to_contain_text("440305")
    row.get_by_role("button", name="设置管辖区域").click()
    dialog = page.get_by_role("dialog", name=re.compile("南山区工业和信息化局 的管辖区域"))
    expect(dialog).to_contain_text("南山区")

    dialog.get_by_role("combobox").click()
    menus = opened_dropdown(page, "cascader")
    menus.get_by_text("广东省 (440000)").click()
    menus.get_by_text("深圳市 (440300)").click()
    menus.get_by_text("福田区 (440304)").click()
    page.keyboard.press("Escape")
    dialog.get_by_role("button", name="添加").click()
    expect(dialog).to_contain_text("福田区")
    screenshot("jurisdiction-dialog")
    dialog.get_by_role("button", name="保存").click()
    expect(dialog).to_be_hidden()
    expect(row).to_contain_text("440304")
    expect(row).to_contain_text("440305")
    screenshot("jurisdiction-saved")
    assert errors == []


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_sign_in_and_dashboard_have_no_serious_accessibility_violations(page: Page, language: str) -> None:
    page.add_init_script(f"window.localStorage.setItem('infrashare.language', '{language}')")
    page.goto("/sign-in")
    expect(page.locator("#sign-in-form")).to_be_visible()
    assert serious_violations(page) == []

    form = page.locator("#sign-in-form")
    form.locator("input[type=email]").fill(TOWER_ADMIN)
    form.locator("input[type=password]").fill(DEMO_PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url("/dashboard")
    expect(page.get_by_text("440304")).to_be_visible()
    assert serious_violations(page) == []

    for path in ("/admin/oauth-clients", "/admin/users", "/assets", "/assets/import", "/needs", "/needs/new"):
        page.goto(path)
        expect(page.locator("#page-title")).to_be_visible()
        expect(page.locator(".ant-spin-spinning")).to_have_count(0)
        assert serious_violations(page) == [], path


def test_the_platform_admin_screens_have_no_serious_accessibility_violations(page: Page) -> None:
    sign_in(page, "admin@platform.example", DEMO_PASSWORD)
    expect(page.get_by_role("row", name=re.compile("深圳市通信管理局"))).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("button", name="新建单位").click()
    expect(page.get_by_role("dialog", name="新建单位")).to_be_visible()
    # Scan once the zoom-in is over: half-transparent text fails the contrast rule.
    expect(page.locator(".ant-zoom-appear, .ant-zoom-enter")).to_have_count(0)
    assert serious_violations(page) == []


def test_on_a_phone_the_menu_is_a_drawer_and_nothing_overflows(page: Page, screenshot: Screenshot) -> None:
    errors = fail_on_page_errors(page)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, TOWER_ADMIN, DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    expect(page.get_by_text("福田区", exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("phone-dashboard")

    page.get_by_role("button", name="打开菜单").click()
    page.get_by_role("menuitem", name="OAuth 客户端").click()
    expect(page.get_by_role("heading", name="OAuth 客户端")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("phone-oauth-clients")
    assert errors == []
