"""Asset and need screens in a real Chromium: shareable filters, field and row errors from the API,
phones, and accessibility. These tests write nothing that other browser tests would see."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from infrashare.core.settings import PROJECT_ROOT
from infrashare.demo.seed import DEMO_PASSWORD
from tests.e2e.axe import serious_violations
from tests.e2e.conftest import Screenshot
from tests.e2e.pages import TOWER_ADMIN, fail_on_page_errors, opened_dropdown, sign_in
from tests.waiting import eventually_sync

pytestmark = pytest.mark.browser

REQUESTER = "admin@mobile.example"
BAD_CSV = PROJECT_ROOT / "tests" / "data" / "assets_bad.csv"


def api_get(page: Page, path: str, **params: Any) -> Any:
    response = page.request.get(path, params=params)
    assert response.ok, response.text()
    return response.json()


def first_tower(page: Page) -> dict[str, Any]:
    hit: dict[str, Any] = api_get(page, "/api/v1/search/assets", kind="tower", page_size=1)["items"][0][
        "asset"
    ]
    return hit


def published_need_of_mine(page: Page) -> dict[str, Any]:
    me = api_get(page, "/api/v1/me")
    needs = api_get(page, "/api/v1/needs", organisation_id=me["organisation"]["id"], status="published")[
        "items"
    ]
    assert needs, "the demo seed publishes needs of every telecom operator"
    need: dict[str, Any] = needs[0]
    return need


def wait_for_search_index(page: Page) -> None:
    """The server fills an empty search index when it starts; wait until it answers with facets."""
    eventually_sync(
        lambda: api_get(page, "/api/v1/search/assets", page_size=1),
        lambda result: result["total"] > 0 and bool(result["facets"].get("kind")) and not result["degraded"],
        "the search index is filled",
        lambda: page.wait_for_timeout(500),
    )


def choose(page: Page, select_id: str, option: str) -> None:
    """Picks an option of a select, and checks the select took it."""
    select = page.locator(".ant-select").filter(has=page.locator(f"#{select_id}"))
    select.click()
    opened_dropdown(page, "select").get_by_text(option, exact=True).click()
    expect(select.locator(".ant-select-selection-item")).to_have_text(option)


def settled(page: Page) -> None:
    expect(page.locator("#page-title")).to_be_visible()
    expect(page.locator(".ant-spin-spinning")).to_have_count(0)
    expect(
        page.locator(".ant-zoom-appear, .ant-zoom-enter, .ant-fade-appear, .ant-fade-enter")
    ).to_have_count(0)


def test_asset_search_filters_live_in_the_address_and_survive_a_shared_link(
    page: Page, screenshot: Screenshot
) -> None:
    errors = fail_on_page_errors(page)
    sign_in(page, REQUESTER, DEMO_PASSWORD)
    wait_for_search_index(page)
    page.goto("/assets")
    kinds = page.get_by_role("group", name="类型")
    # Clicks, not check(): the box follows the address, which React Router updates in a transition.
    kinds.get_by_role("checkbox", name=re.compile("铁塔")).click()
    expect(page).to_have_url(re.compile(r"kind=tower"))
    expect(kinds.get_by_role("checkbox", name=re.compile("铁塔"))).to_be_checked()
    page.get_by_role("group", name="状态").get_by_role("checkbox", name=re.compile("可用")).click()
    expect(page).to_have_url(re.compile(r"status=available"))
    results = page.locator("#asset-results")
    expect(results.locator("tbody tr.ant-table-row").first).to_be_visible()
    kinds_shown = results.locator("tbody tr.ant-table-row td:nth-child(2)").all_inner_texts()
    assert kinds_shown and set(kinds_shown) == {"铁塔"}
    screenshot("filtered")

    shared = page.url
    query = parse_qs(urlparse(shared).query)
    assert query["kind"] == ["tower"] and query["status"] == ["available"]
    other = page.context.new_page()  # the same link opened elsewhere shows the same search
    other.goto(shared)
    expect(
        other.get_by_role("group", name="类型").get_by_role("checkbox", name=re.compile("铁塔"))
    ).to_be_checked()
    expect(other.locator("#asset-results").locator("tbody tr.ant-table-row").first).to_be_visible()
    other.close()

    page.get_by_role("button", name="清除筛选").click()
    expect(page).to_have_url(re.compile(r"/assets$"))
    assert errors == []


def test_the_asset_form_puts_the_apis_field_error_on_the_field(page: Page, screenshot: Screenshot) -> None:
    errors = fail_on_page_errors(page)
    sign_in(page, TOWER_ADMIN, DEMO_PASSWORD)
    me = api_get(page, "/api/v1/me")
    taken = api_get(page, "/api/v1/assets", owner=me["organisation"]["id"], kind="tower", page_size=1)[
        "items"
    ][0]

    page.goto("/assets/new")
    form = page.locator("#asset-form")
    form.locator("#external_id").fill(taken["external_id"])
    form.locator("#name").fill("端到端测试铁塔")
    form.locator("#capacity_total").fill("4")
    form.locator("#capacity_free").fill("2")
    form.locator("#attributes_height_m").fill("30")
    choose(page, "attributes_structure_type", "单管塔")
    picker = form.get_by_test_id("geometry-picker")
    picker.get_by_label("经度").fill("113.95")
    picker.get_by_label("纬度").fill("22.54")
    picker.get_by_label("纬度").press("Tab")
    expect(form.locator(".ant-form-item").filter(has=page.locator("#region_code"))).to_contain_text("440305")
    form.get_by_role("button", name="创建资源").click()

    external_id_item = form.locator(".ant-form-item").filter(has=page.locator("#external_id"))
    expect(external_id_item.locator(".ant-form-item-explain-error")).to_contain_text("already used")
    screenshot("field-error")
    assert errors == []


def test_the_route_drawer_draws_a_duct_by_clicks_on_the_map(page: Page, screenshot: Screenshot) -> None:
    errors = fail_on_page_errors(page)
    sign_in(page, TOWER_ADMIN, DEMO_PASSWORD)
    page.goto("/assets/new")
    form = page.locator("#asset-form")
    choose(page, "kind", "管道")
    screenshot("duct-chosen")
    picker = form.get_by_test_id("geometry-picker")
    canvas = picker.locator("canvas")
    expect(canvas).to_be_visible()
    expect(picker.get_by_test_id("map")).to_have_attribute("data-ready", "true")
    box = canvas.bounding_box()
    assert box is not None
    for fraction in (0.3, 0.5, 0.7):
        canvas.click(position={"x": box["width"] * fraction, "y": box["height"] * fraction})
    route = picker.get_by_label("路由坐标")
    expect(route).to_have_value(re.compile(r"^[\d.]+ [\d.]+, [\d.]+ [\d.]+, [\d.]+ [\d.]+$"))
    expect(picker).to_contain_text("3 个拐点")
    picker.get_by_role("button", name="撤销上一点").click()
    expect(picker).to_contain_text("2 个拐点")
    screenshot("duct-route")
    assert errors == []


def test_the_import_wizard_lists_every_bad_row(page: Page, screenshot: Screenshot) -> None:
    errors = fail_on_page_errors(page)
    sign_in(page, TOWER_ADMIN, DEMO_PASSWORD)
    page.goto("/assets/import")
    page.locator("input[type=file]").set_input_files(str(BAD_CSV))
    page.get_by_role("button", name="开始导入").click()
    table = page.locator("#import-row-errors")
    expect(table).to_be_visible()
    expect(page.get_by_text("导入失败，未写入任何数据").first).to_be_visible()
    rows = table.locator("tbody tr.ant-table-row")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 8
    expect(table).to_contain_text("capacity")
    screenshot("row-errors")
    assert errors == []


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_asset_and_need_screens_have_no_serious_accessibility_violations(page: Page, language: str) -> None:
    page.add_init_script(f"window.localStorage.setItem('infrashare.language', '{language}')")
    page.goto("/sign-in")
    form = page.locator("#sign-in-form")
    form.locator("input[type=email]").fill(REQUESTER)
    form.locator("input[type=password]").fill(DEMO_PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page.locator("#sign-out")).to_be_visible()
    tower = first_tower(page)
    need = published_need_of_mine(page)

    for path in ("/needs/published", f"/assets/{tower['id']}", f"/needs/{need['id']}"):
        page.goto(path)
        settled(page)
        assert serious_violations(page) == [], path

    page.goto(f"/assets/{tower['id']}")
    settled(page)
    page.get_by_role("button", name=re.compile("申请使用|Request access")).click()
    expect(page.get_by_role("dialog")).to_be_visible()
    settled(page)
    assert serious_violations(page) == [], "request access dialog"


def test_read_only_screens_fit_a_phone(page: Page, screenshot: Screenshot) -> None:
    errors = fail_on_page_errors(page)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, REQUESTER, DEMO_PASSWORD)
    tower = first_tower(page)
    need = published_need_of_mine(page)
    for name, path in (
        ("asset-search", "/assets"),
        ("asset-detail", f"/assets/{tower['id']}"),
        ("needs-published", "/needs/published"),
        ("need-detail", f"/needs/{need['id']}"),
        ("my-needs", "/needs"),
    ):
        page.goto(path)
        settled(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        screenshot(f"phone-{name}")
    assert errors == []
