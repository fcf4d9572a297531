"""Webhooks in the browser: subscribe a receiver on this machine, send it a ping, read the delivery log."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page, expect

from infrashare.core.search import free_port
from infrashare.demo.seed import DEMO_PASSWORD
from tests.e2e.conftest import Screenshot
from tests.e2e.pages import TOWER_ADMIN, fail_on_page_errors, sign_in

pytestmark = pytest.mark.browser


class Receiver(BaseHTTPRequestHandler):
    """A partner system's endpoint: takes every POST with 204 and keeps the event names."""

    received: list[str] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if self.headers.get("X-InfraShare-Signature", "").startswith("t="):
            Receiver.received.append(body.decode("utf-8", "replace"))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def receiver() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/infrashare-hook"
    finally:
        server.shutdown()
        server.server_close()


def test_webhooks_admin_subscribes_pings_and_sees_the_delivery(
    page: Page, receiver: str, screenshot: Screenshot
) -> None:
    errors = fail_on_page_errors(page)
    sign_in(page, TOWER_ADMIN, DEMO_PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("menuitem", name="Webhook 订阅").click()
    expect(page.get_by_role("heading", name="Webhook 订阅")).to_be_visible()

    page.get_by_role("button", name="新建订阅").click()
    dialog = page.get_by_role("dialog", name="新建订阅")
    dialog.get_by_label("接收地址").fill("http://gis.example.com/hook")
    expect(page.locator(".ant-zoom-appear, .ant-zoom-enter")).to_have_count(0)  # the dialog has settled
    for event in ("request.received", "^ping"):
        # click, then wait for React to tick it: check() looks once, too soon on a loaded machine
        box = dialog.get_by_role("checkbox", name=re.compile(event))
        box.click()
        expect(box).to_be_checked()
    dialog.get_by_role("button", name="订阅", exact=True).click()
    # The API refuses plain http off this machine, and says so on the field.
    url_item = dialog.locator(".ant-form-item").filter(has=page.get_by_label("接收地址"))
    expect(url_item.locator(".ant-form-item-explain-error")).to_contain_text("must use https")
    screenshot("subscribe-error")

    dialog.get_by_label("接收地址").fill(receiver)
    # By id: the spinner of the first try may linger, invisible, in the button's name.
    dialog.locator("#subscribe-submit").click()
    secret_dialog = page.get_by_role("dialog", name="签名密钥")
    secret = secret_dialog.locator("#webhook-secret")
    expect(secret).to_be_visible()
    secret_text = secret.inner_text().strip()
    assert len(secret_text) == 64
    screenshot("secret-shown-once")
    secret_dialog.get_by_role("button", name="我已保存密钥").click()
    expect(secret_dialog).to_be_hidden()
    assert secret_text not in page.content()

    row = page.get_by_role("row").filter(has_text=receiver)
    expect(row).to_contain_text("request.received")
    expect(row).to_contain_text("投递中")
    row.get_by_role("button", name="测试投递").click()
    log = page.get_by_role("table", name=f"{receiver} 的投递记录")
    delivered = log.get_by_role("row").filter(has_text="ping")
    expect(delivered).to_contain_text("成功")
    expect(delivered).to_contain_text("204")
    assert any('"ping"' in body or "ping" in body for body in Receiver.received)
    screenshot("ping-delivered")

    row.get_by_role("button", name="删除订阅").click()
    page.locator(".ant-popconfirm").get_by_role("button", name="删除订阅").click()
    expect(row).to_contain_text("已停止")
    expect(row.get_by_role("button", name="测试投递")).to_have_count(0)
    screenshot("unsubscribed")
    assert errors == []
