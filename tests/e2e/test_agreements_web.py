"""Requests and agreements in the browser: the owner answers in the inbox, the requester sees the result."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from infrashare.demo.seed import DEMO_PASSWORD
from tests.e2e.conftest import WAIT_CEILING_MS, Screenshot
from tests.e2e.pages import TOWER_ADMIN, TOWER_ORGANISATION, fail_on_page_errors, sign_in
from tests.e2e.parties import MOBILE_ADMIN, free_asset_of, me, request_access, save_screenshot
from tests.servers import LiveServer

pytestmark = pytest.mark.browser


def _new_page(browser: Browser, live_server: LiveServer) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    context.set_default_timeout(WAIT_CEILING_MS)
    return context.new_page()


def test_agreements_owner_accepts_in_the_inbox_and_the_requester_sees_it_active_with_timeline_and_print_view(
    page: Page, browser: Browser, live_server: LiveServer, screenshot: Screenshot
) -> None:
    errors = fail_on_page_errors(page)
    # The requester (China Mobile) asks China Tower for a mounting position, as the need's page would.
    requester = _new_page(browser, live_server)
    requester_errors = fail_on_page_errors(requester)
    sign_in(requester, MOBILE_ADMIN, DEMO_PASSWORD)
    sign_in(page, TOWER_ADMIN, DEMO_PASSWORD)
    tower_id = me(page)["organisation"]["id"]
    asset = free_asset_of(requester, tower_id)
    request = request_access(requester, asset["id"], units=1, terms="挂载 5G AAU 一副，端到端测试")

    # The owner sees it waiting on the dashboard, then in the inbox.
    page.reload()
    expect(page.locator("#card-waiting")).to_contain_text(asset["name"])
    screenshot("owner-dashboard")
    page.get_by_role("navigation", name="主导航").get_by_role("menuitem", name="共享申请").click()
    expect(page.get_by_role("heading", name="共享申请与协议")).to_be_visible()
    link = page.locator(f'table a[href="/requests/{request["id"]}"]')
    expect(link).to_be_visible()
    row = page.get_by_role("row").filter(has=page.locator(f'a[href="/requests/{request["id"]}"]'))
    expect(row).to_contain_text("待答复")
    expect(row).to_contain_text("中国移动深圳分公司（演示）")
    expect(row).to_contain_text(re.compile(r"剩余 \d+ 天"))
    screenshot("owner-inbox")

    link.click()
    expect(page.get_by_role("heading", name=re.compile(re.escape(asset["name"])))).to_be_visible()
    actions = page.locator("#request-actions")
    for name in ("接受", "拒绝", "反报价"):
        expect(actions.get_by_role("button", name=name, exact=True)).to_be_visible()
    expect(actions.get_by_role("button", name="撤回")).to_have_count(0)  # the requester's verb
    expect(page.get_by_text("等待资源方答复")).to_be_visible()
    screenshot("owner-request")

    actions.get_by_role("button", name="接受", exact=True).click()
    page.locator(".ant-popconfirm").get_by_role("button", name="接受").click()
    expect(page.get_by_role("heading", name=re.compile("生效中"))).to_be_visible()
    expect(page.locator("#request-actions").get_by_role("button", name="终止协议")).to_be_visible()
    timeline = page.locator("#request-timeline")
    expect(timeline).to_contain_text("提交申请")
    expect(timeline).to_contain_text("资源方接受")
    expect(timeline).to_contain_text("协议生效")
    screenshot("owner-accepted")

    # The requester finds it active in the outbox, with its timeline and the printable agreement.
    requester.goto("/requests?box=outbox")
    outbox_link = requester.locator(f'table a[href="/requests/{request["id"]}"]')
    outbox_row = requester.get_by_role("row").filter(
        has=requester.locator(f'a[href="/requests/{request["id"]}"]')
    )
    expect(outbox_row).to_contain_text("生效中")
    outbox_link.click()
    expect(requester.get_by_role("heading", name=re.compile("生效中"))).to_be_visible()
    expect(requester.locator("#request-facts")).to_contain_text(TOWER_ORGANISATION)
    expect(requester.locator("#request-facts")).to_contain_text("挂载 5G AAU 一副")
    requester_timeline = requester.locator("#request-timeline")
    expect(requester_timeline).to_contain_text("资源方接受")
    expect(requester_timeline).to_contain_text(TOWER_ORGANISATION)
    expect(requester.locator("#request-actions").get_by_role("button", name="终止协议")).to_be_visible()
    save_screenshot(requester, screenshot, "requester-agreement")

    requester.locator("#print-view").click()
    expect(requester).to_have_url(f"/requests/{request['id']}/print")
    document = requester.frame_locator("#agreement-document")
    expect(document.locator("body")).to_contain_text(asset["name"])
    expect(document.locator("body")).to_contain_text(TOWER_ORGANISATION)
    expect(requester.get_by_role("button", name="打印")).to_be_enabled()
    save_screenshot(requester, screenshot, "requester-print-view")

    requester.context.close()
    assert errors == []
    assert requester_errors == []


def test_agreements_owner_counters_and_the_requester_accepts_the_counter_in_english(
    page: Page, browser: Browser, live_server: LiveServer, screenshot: Screenshot
) -> None:
    errors = fail_on_page_errors(page)
    requester = _new_page(browser, live_server)
    sign_in(requester, MOBILE_ADMIN, DEMO_PASSWORD)
    sign_in(page, TOWER_ADMIN, DEMO_PASSWORD)
    page.evaluate("window.localStorage.setItem('infrashare.language', 'en')")
    asset = free_asset_of(requester, me(page)["organisation"]["id"])
    request = request_access(requester, asset["id"], units=2)

    page.goto(f"/requests/{request['id']}")
    page.locator("#request-actions").get_by_role("button", name="Counter", exact=True).click()
    dialog = page.get_by_role("dialog", name="Make a counter-offer")
    dialog.get_by_label(re.compile(r"^Units")).fill("1")
    dialog.get_by_label("Note (optional)").fill("Only one position is free on this tower.")
    screenshot("counter-form")
    dialog.locator("#action-submit").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("heading", name=re.compile("Countered"))).to_be_visible()
    expect(page.locator("#request-timeline")).to_contain_text("Owner countered")
    expect(page.locator("#request-timeline")).to_contain_text("Only one position is free on this tower.")

    requester.goto(f"/requests/{request['id']}")
    actions = requester.locator("#request-actions")
    expect(actions.get_by_role("button", name="接受反报价")).to_be_visible()
    actions.get_by_role("button", name="接受反报价").click()
    requester.locator(".ant-popconfirm").get_by_role("button", name="接受反报价").click()
    expect(requester.get_by_role("heading", name=re.compile("生效中"))).to_be_visible()
    expect(requester.locator("#request-facts")).to_contain_text("1 ")
    requester.context.close()

    page.reload()
    expect(page.get_by_role("heading", name=re.compile("Active"))).to_be_visible()
    expect(page.locator("#request-timeline")).to_contain_text("Requester accepted the counter")
    screenshot("counter-accepted-en")
    assert errors == []
