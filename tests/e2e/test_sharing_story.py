"""The whole sharing story in a real Chromium, in Chinese and in English.

One operator imports assets from a CSV, another posts a need on the map, a regulator publishes
it, the requester finds the match on the map, reads why it ranks where it does, shortlists it
and requests access; the owner accepts and the agreement is active, which the asset's free
capacity shows. Each language runs against its own fresh server (database copied from the
migrated, seeded template; its own Meilisearch indexes), so the two stories do not meet.
"""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from infrashare.core.search import MeilisearchProcess
from infrashare.core.settings import PROJECT_ROOT
from infrashare.demo.seed import DEMO_PASSWORD
from tests.e2e.axe import serious_violations
from tests.e2e.conftest import ARTIFACTS, FRONTEND_DIST, WAIT_CEILING_MS, WEB_UI_SERVER
from tests.servers import LiveServer, seeded_server
from tests.waiting import eventually_sync

pytestmark = pytest.mark.browser

ASSETS_CSV = PROJECT_ROOT / "tests" / "data" / "assets_good.csv"
OWNER = "admin@tower.example"  # imports the CSV, later accepts the request
REQUESTER = "admin@mobile.example"
REGULATOR = "reviewer@sz-ca.example"
TOWER = "科技园北区铁塔"  # SZ-TWR-0001 in the CSV: 6 mounting positions, 3 free
TOWER_AT = ("113.9437", "22.5461")


@dataclass(frozen=True)
class Words:
    """What the screens say, per language."""

    import_start: str
    created: str
    view_mine: str
    need_title: str
    save_submit: str
    submitted: str
    accept: str
    active: str
    publish: str
    published: str
    factor_capacity: str
    capacity_explained: str
    shortlist_title: str
    request_dialog: str
    send: str
    sent: str
    free_after: str
    lon: str
    lat: str
    history_created: str
    edit: str
    save: str
    lead_time: str
    lead_time_changed: str


WORDS = {
    "zh-CN": Words(
        import_start="开始导入",
        created="新增",
        view_mine="查看本单位资源",
        need_title="科技园北区 5G 宏站挂载需求",
        save_submit="保存并提交审核",
        submitted="待审核",
        accept="接受",
        active="生效中",
        publish="审核发布",
        published="已发布",
        factor_capacity="容量",
        capacity_explained="空闲 3 挂载位，需求 1",
        shortlist_title="备选清单（1）",
        request_dialog=f"申请使用：{TOWER}",
        send="提交申请",
        sent="使用申请",
        free_after="2 / 6 挂载位",
        lon="经度",
        lat="纬度",
        history_created="创建",
        edit="编辑",
        save="保存",
        lead_time="交付周期（天）",
        lead_time_changed="交付周期（天）：30 → 15",
    ),
    "en": Words(
        import_start="Start import",
        created="Created",
        view_mine="See my organisation's assets",
        need_title="5G macro site north of the science park",
        save_submit="Save and submit for review",
        submitted="Submitted",
        accept="Accept",
        active="Active",
        publish="Publish",
        published="Published",
        factor_capacity="Capacity",
        capacity_explained="3 mounting positions free, 1 needed",
        shortlist_title="Shortlist (1)",
        request_dialog=f"Request access: {TOWER}",
        send="Send request",
        sent="was sent to its owner",
        free_after="2 / 6 mounting positions",
        lon="Longitude",
        lat="Latitude",
        history_created="Created",
        edit="Edit",
        save="Save",
        lead_time="Lead time (days)",
        lead_time_changed="Lead time (days): 30 → 15",
    ),
}


@pytest.fixture
def fresh_server(
    sqlite_template: Path, meilisearch: MeilisearchProcess, tmp_path: Path
) -> Iterator[LiveServer]:
    """A server of its own: a copy of the seeded template, its own search indexes (rebuilt at start)."""
    if not (FRONTEND_DIST / "index.html").exists():
        pytest.fail("the web UI is not built: run `make install` (or `cd frontend && npm run build`)")
    own_indexes = {"INFRASHARE_MEILI_INDEX_PREFIX": f"story{uuid.uuid4().hex[:8]}_"}
    server = seeded_server(sqlite_template, meilisearch, tmp_path, env=WEB_UI_SERVER | own_indexes)
    server.start(log=tmp_path / "serve.log")
    try:
        yield server
    finally:
        server.stop()


class Story:
    """Browser contexts per person on the fresh server, page errors collected, numbered screenshots."""

    def __init__(self, browser: Browser, server: LiveServer, language: str, directory: Path) -> None:
        self.browser, self.server, self.language, self.directory = browser, server, language, directory
        self.contexts: list[BrowserContext] = []
        self.errors: list[str] = []
        self.shots = 0

    def person(self, email: str) -> Page:
        context = self.browser.new_context(
            base_url=self.server.url, locale=self.language, viewport={"width": 1280, "height": 800}
        )
        context.set_default_timeout(WAIT_CEILING_MS)
        context.add_init_script(f"window.localStorage.setItem('infrashare.language', '{self.language}')")
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.goto("/sign-in")
        form = page.locator("#sign-in-form")
        form.locator("input[type=email]").fill(email)
        form.locator("input[type=password]").fill(DEMO_PASSWORD)
        form.locator("button[type=submit]").click()
        expect(page.locator("#sign-out")).to_be_visible()
        return page

    def screenshot(self, page: Page, step: str) -> None:
        self.shots += 1
        page.screenshot(path=str(self.directory / f"{self.shots:02d}-{step}.png"), full_page=True)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def story(browser: Browser, fresh_server: LiveServer, request: pytest.FixtureRequest) -> Iterator[Story]:
    directory = ARTIFACTS / request.node.name
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    language = request.node.callspec.params["language"]
    tale = Story(browser, fresh_server, language, directory)
    yield tale
    tale.close()


def reload_until(page: Page, found: Callable[[], bool]) -> None:
    """Reloads until `found()`: search indexing runs in the background, a second or so behind writes."""

    def reload() -> None:
        page.wait_for_timeout(750)
        page.reload()
        page.locator(".ant-spin-spinning").first.wait_for(state="detached")

    eventually_sync(found, bool, f"found on {page.url}", reload)


def api_session(server: LiveServer, email: str) -> httpx.Client:
    client = httpx.Client(base_url=server.url, timeout=20)
    response = client.post("/api/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD})
    response.raise_for_status()
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return client


def assert_accessible(page: Page, where: str) -> None:
    expect(page.locator(".ant-spin-spinning")).to_have_count(0)
    expect(page.locator(".ant-zoom-appear, .ant-zoom-enter, .ant-fade-appear")).to_have_count(0)
    assert serious_violations(page) == [], where


def import_assets(story: Story, words: Words) -> Page:
    owner = story.person(OWNER)
    owner.goto("/assets/import")
    assert_accessible(owner, "import wizard")
    owner.locator("input[type=file]").set_input_files(str(ASSETS_CSV))
    expect(owner.locator("#import-file-name")).to_have_text(ASSETS_CSV.name)
    owner.get_by_role("button", name=words.import_start).click()
    counts = owner.locator("#import-counts")
    expect(counts).to_be_visible()
    expect(counts.locator(".ant-statistic").filter(has_text=words.created)).to_contain_text("8")
    expect(owner.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    story.screenshot(owner, "import-result")

    owner.get_by_role("button", name=words.view_mine).click()
    expect(owner).to_have_url(re.compile(r"/assets\?owner="))
    owner.locator("#asset-search-text").fill(TOWER)
    owner.locator("#asset-search-text").press("Enter")
    expect(owner).to_have_url(re.compile(r"q="))
    results = owner.locator("#asset-results")
    reload_until(owner, lambda: results.get_by_role("link", name=TOWER).count() > 0)
    expect(owner.get_by_test_id("map").locator("canvas")).to_be_visible()
    story.screenshot(owner, "assets-search")
    assert_accessible(owner, "asset search")

    results.get_by_role("link", name=TOWER).click()
    expect(owner.get_by_role("heading", name=TOWER)).to_be_visible()
    expect(owner.locator("#asset-history")).to_contain_text(words.history_created)
    story.screenshot(owner, "asset-detail")

    # The owner edits the asset; the history says what changed.
    owner.get_by_role("button", name=words.edit).click()
    form = owner.locator("#asset-form")
    expect(form.get_by_label(words.lead_time)).to_have_value("30")
    form.get_by_label(words.lead_time).fill("15")
    story.screenshot(owner, "asset-edit")
    form.get_by_role("button", name=words.save).click()
    expect(owner.get_by_role("heading", name=TOWER)).to_be_visible()
    expect(owner.locator("#asset-history")).to_contain_text(words.lead_time_changed)
    return owner


def post_need(story: Story, words: Words) -> tuple[Page, str]:
    requester = story.person(REQUESTER)
    requester.goto("/needs/new")
    form = requester.locator("#need-form")
    form.locator("#title").fill(words.need_title)
    picker = form.get_by_test_id("geometry-picker")
    expect(picker.locator("canvas")).to_be_visible()
    picker.locator("canvas").click()  # the map picker places the point where clicked…
    expect(picker.get_by_label(words.lon)).not_to_have_value("")
    picker.get_by_label(words.lon).fill(TOWER_AT[0])  # …and the exact coordinates can be typed
    picker.get_by_label(words.lon).press("Tab")
    picker.get_by_label(words.lat).fill(TOWER_AT[1])
    picker.get_by_label(words.lat).press("Tab")
    # The nearest district is suggested as the region.
    expect(form.locator(".ant-form-item").filter(has=requester.locator("#region_code"))).to_contain_text(
        "440305"
    )
    story.screenshot(requester, "need-form")
    assert_accessible(requester, "need form")

    requester.get_by_role("button", name=words.save_submit).click()
    expect(requester).to_have_url(re.compile(r"/needs/[0-9a-f-]{36}$"))
    expect(requester.get_by_role("heading", name=words.need_title)).to_be_visible()
    expect(requester.locator("#page-title").locator("xpath=..")).to_contain_text(words.submitted)
    need_id = requester.url.rsplit("/", 1)[1]
    story.screenshot(requester, "need-submitted")
    return requester, need_id


def publish_need(story: Story, words: Words, need_id: str) -> None:
    regulator = story.person(REGULATOR)
    regulator.goto("/needs-list?status=submitted")
    expect(regulator.get_by_text(words.need_title).first).to_be_visible()
    story.screenshot(regulator, "regulator-needs-list")
    assert_accessible(regulator, "regulator needs list")
    regulator.goto(f"/needs/{need_id}")
    expect(regulator).to_have_url(re.compile(f"/needs/{need_id}$"))
    regulator.get_by_role("button", name=words.publish).click()
    expect(regulator.locator("#page-title").locator("xpath=..")).to_contain_text(words.published)
    story.screenshot(regulator, "need-published")


def request_access(story: Story, words: Words, requester: Page, need_id: str) -> None:
    requester.goto(f"/needs/{need_id}")
    matches = requester.locator("#need-matches")
    expect(matches.get_by_role("link", name=TOWER)).to_be_visible()
    # The match on the map: a numbered marker, a button named by its rank and the asset.
    marker = requester.get_by_test_id("map").get_by_role("button", name=re.compile(re.escape(TOWER)))
    expect(marker).to_be_visible()
    # Markers are buttons: choose it from the keyboard, as nearby markers may overlap it on screen.
    marker.focus()
    marker.press("Enter")
    expect(marker).to_have_attribute("aria-pressed", "true")
    explanation = requester.get_by_test_id("score-explanation").filter(has_text=words.capacity_explained)
    expect(explanation).to_be_visible()
    expect(explanation).to_contain_text(words.factor_capacity)
    story.screenshot(requester, "matches-explained")
    assert_accessible(requester, "need detail with matches")

    row = matches.get_by_role("row", name=re.compile(re.escape(TOWER))).first
    row.locator("button[aria-pressed]").click()
    expect(requester.locator("#need-shortlist")).to_contain_text(words.shortlist_title)
    expect(requester.locator("#need-shortlist")).to_contain_text(TOWER)

    row.get_by_role("button", name=re.compile(re.escape(TOWER))).last.click()
    dialog = requester.get_by_role("dialog", name=words.request_dialog)
    expect(dialog).to_be_visible()
    expect(dialog.locator("#units")).to_have_value("1")
    story.screenshot(requester, "request-access")
    dialog.get_by_role("button", name=words.send).click()
    expect(dialog).to_be_hidden()
    expect(requester.get_by_text(re.compile(re.escape(words.sent)))).to_be_visible()


def accept_in_the_inbox(story: Story, words: Words, owner: Page) -> None:
    """The owner opens the request from the inbox and accepts it: the agreement is active."""
    owner.goto("/requests")
    owner.get_by_role("row").filter(has_text=TOWER).get_by_role("link", name=TOWER).first.click()
    actions = owner.locator("#request-actions")
    actions.get_by_role("button", name=words.accept, exact=True).click()
    owner.locator(".ant-popconfirm").get_by_role("button", name=words.accept).click()
    expect(owner.get_by_role("heading", name=re.compile(re.escape(words.active)))).to_be_visible()
    story.screenshot(owner, "agreement-active")
    assert_accessible(owner, "active agreement")


def agreement_of(server: LiveServer, need_id: str) -> dict[str, Any]:
    """What the API says of the tower's request, read as the owner."""
    owner = api_session(server, OWNER)
    try:
        listed = owner.get("/api/v1/sharing-requests", params={"side": "owner"})
        listed.raise_for_status()
        (mine,) = [item for item in listed.json()["items"] if item["asset"]["name"] == TOWER]
        return dict(mine)
    finally:
        owner.close()


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_the_sharing_story_from_import_to_an_active_agreement(
    story: Story, fresh_server: LiveServer, language: str
) -> None:
    words = WORDS[language]
    owner = import_assets(story, words)
    requester, need_id = post_need(story, words)
    publish_need(story, words, need_id)
    request_access(story, words, requester, need_id)

    asset_page = owner.url
    accept_in_the_inbox(story, words, owner)
    agreement = agreement_of(fresh_server, need_id)
    assert agreement["status"] == "active", agreement
    assert agreement["need_id"] == need_id

    # The agreement holds one unit of the tower: its owner sees 2 of 6 free.
    owner.goto(asset_page)
    expect(owner.get_by_role("heading", name=TOWER)).to_be_visible()
    expect(owner.locator("section[aria-labelledby=page-title]")).to_contain_text(words.free_after)
    story.screenshot(owner, "asset-after-agreement")
    assert story.errors == []
