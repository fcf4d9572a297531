"""The regulator in the browser: review queue (publish, return with a reason, bulk), needs list, statistics."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from infrashare.demo.seed import DEMO_PASSWORD
from tests.e2e.conftest import Screenshot
from tests.e2e.pages import fail_on_page_errors, sign_in
from tests.e2e.parties import REGULATOR

pytestmark = pytest.mark.browser


def _queue_titles(page: Page) -> list[str]:
    rows = page.locator(".ant-table-tbody tr.ant-table-row")
    expect(rows.first).to_be_visible()
    return [title.strip() for title in rows.locator("button.need-title").all_inner_texts()]


def _row(page: Page, title: str) -> Locator:
    return page.locator(".ant-table-tbody tr.ant-table-row").filter(
        has=page.get_by_role("button", name=title, exact=True)
    )


def test_review_regulator_publishes_one_returns_one_with_a_reason_and_sees_statistics(
    page: Page, screenshot: Screenshot
) -> None:
    errors = fail_on_page_errors(page)
    sign_in(page, REGULATOR, DEMO_PASSWORD)
    expect(page).to_have_url("/review")
    expect(page.get_by_role("heading", name="需求审核")).to_be_visible()
    titles = _queue_titles(page)
    assert len(titles) >= 2, titles
    screenshot("review-queue")

    # Read one before deciding: the drawer shows the need, its map and history.
    page.get_by_role("button", name=titles[0], exact=True).click()
    drawer = page.locator(".ant-drawer-content")
    expect(drawer.get_by_text(titles[0]).first).to_be_visible()
    expect(drawer).to_contain_text("需求单位")
    screenshot("need-drawer")
    drawer.get_by_role("button", name="Close").or_(drawer.get_by_role("button", name="关闭")).first.click()
    expect(drawer).to_be_hidden()

    # Publish the oldest.
    _row(page, titles[0]).get_by_role("button", name=re.compile("^发布")).click()
    page.locator(".ant-popconfirm").get_by_role("button", name="发布").click()
    expect(page.get_by_text(f"已发布：{titles[0]}")).to_be_visible()
    expect(_row(page, titles[0])).to_have_count(0)

    # Return the next with a reason; the reason is required.
    _row(page, titles[1]).get_by_role("button", name=re.compile("^退回")).click()
    dialog = page.get_by_role("dialog", name=re.compile("退回需求"))
    expect(page.locator(".ant-zoom-appear, .ant-zoom-enter")).to_have_count(0)  # the dialog has settled
    dialog.get_by_role("button", name="退回").click()
    expect(dialog).to_contain_text("请填写退回理由")
    dialog.get_by_label("退回理由").fill("请补充需求位置的坐标和半径（端到端测试）。")
    screenshot("return-dialog")
    dialog.get_by_role("button", name="退回").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text(f"已退回：{titles[1]}")).to_be_visible()
    expect(_row(page, titles[1])).to_have_count(0)
    screenshot("after-decisions")

    # The published one is on the needs list; the returned one shows under "returned" with its reason.
    page.get_by_role("menuitem", name="需求清单").click()
    expect(page.get_by_role("heading", name="需求清单")).to_be_visible()
    page.get_by_role("searchbox", name="搜索标题").fill(titles[0])
    page.get_by_role("searchbox", name="搜索标题").press("Enter")
    expect(_row(page, titles[0])).to_contain_text("已发布")
    expect(page).to_have_url(re.compile(r"q="))
    screenshot("needs-list")
    page.goto("/needs-list?status=returned&q=" + titles[1])
    _row(page, titles[1]).get_by_role("button", name=titles[1], exact=True).click()
    expect(page.locator(".ant-drawer-content")).to_contain_text("请补充需求位置的坐标和半径（端到端测试）。")

    # Statistics: key figures and charts drawn.
    page.goto("/statistics")
    expect(page.get_by_role("heading", name="统计分析")).to_be_visible()
    figures = page.locator("#key-figures")
    expect(figures).to_contain_text("提交的需求")
    expect(figures).to_contain_text("匹配率")
    expect(page.get_by_role("img", name=re.compile(r"^需求状态: .*已发布 \d+"))).to_be_visible()
    expect(page.locator(".stats-chart .recharts-bar-rectangle").first).to_be_visible()
    expect(page.locator(".stats-chart .recharts-line").first).to_be_visible()
    screenshot("statistics")
    assert errors == []


def test_review_regulator_bulk_publishes_and_sees_what_blocks_a_batch(
    page: Page, screenshot: Screenshot
) -> None:
    errors = fail_on_page_errors(page)
    sign_in(page, REGULATOR, DEMO_PASSWORD)
    titles = _queue_titles(page)
    assert len(titles) >= 2, titles
    for title in titles[:2]:
        page.get_by_role("checkbox", name=f"选择 {title}").check()
    page.locator("#bulk-publish").click()
    page.locator(".ant-popconfirm").get_by_role("button", name=re.compile("批量发布")).click()
    expect(page.get_by_text("已发布 2 条需求")).to_be_visible()
    for title in titles[:2]:
        expect(_row(page, title)).to_have_count(0)
    expect(page.locator("#bulk-publish")).to_be_disabled()
    screenshot("bulk-published")
    assert errors == []
