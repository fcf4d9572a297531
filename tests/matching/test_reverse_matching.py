"""Reverse matching: a new or changed asset near a published need tells the need's organisation, once."""

from __future__ import annotations

import asyncio
import csv
import io
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import event, func, select

from infrashare.app import create_app
from infrashare.core.db import Database
from infrashare.core.settings import Settings
from infrashare.matching.models import MatchNotice
from infrashare.matching.reverse import ReverseMatcher
from tests.matching.test_search_assets import create
from tests.needs.helpers import NANSHAN, Actors, act, post_need
from tests.sessions import Client
from tests.webhooks.receiver import Receiver, receiver, verify

MOBILE, TOWER, REVIEWER = "admin@mobile.example", "admin@tower.example", "reviewer@sz-ca.example"
SITE = (113.9300, 22.5330)  # the need's point in 南山


def offset(east_m: float) -> list[float]:
    return [round(SITE[0] + east_m / 102_900, 6), SITE[1]]  # ~102.9 km per degree of longitude here


@pytest.fixture
def hooks() -> Iterator[Receiver]:
    with receiver() as state:
        yield state


async def published_need(actors: Actors, **overrides: Any) -> dict[str, Any]:
    await actors.use(MOBILE)
    need = await post_need(
        actors.client,
        region_code=NANSHAN,
        wanted_kinds=["tower"],
        geometry={"type": "Point", "coordinates": list(SITE)},
        radius_m=500,
        **overrides,
    )
    await act(actors.client, need["id"], "submit")
    await actors.use(REVIEWER)
    await act(actors.client, need["id"], "publish")
    return need


async def match_notifications(client: Client, need_id: str) -> list[dict[str, Any]]:
    items = (await client.get("/api/v1/notifications", params={"page_size": 500})).json()["items"]
    return [item for item in items if item["event"] == "match.new" and item["need_id"] == need_id]


async def wait_for_notice(actors: Actors, need_id: str, asset_id: str, seconds: float = 30) -> None:
    await actors.use(MOBILE)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if asset_id in {n["asset_id"] for n in await match_notifications(actors.client, need_id)}:
            return
        await asyncio.sleep(0.2)
    raise TimeoutError("no match notification")


async def test_a_new_asset_near_a_published_need_notifies_its_organisation_once(
    client: Client, hooks: Receiver
) -> None:
    actors = Actors(client)
    await actors.use(MOBILE)
    created = await client.post("/api/v1/webhooks", json={"url": hooks.url, "events": ["match.new"]})
    assert created.status_code == 201, created.text
    secret = created.json()["secret"]
    need = await published_need(actors, title="反向匹配 南山宏站", quantity=2)

    await actors.use(MOBILE)
    own = await create(client, "tower", name="移动自有铁塔", external_id="RM-0", geometry=point(100))
    await actors.use(TOWER)
    far = await create(client, "tower", name="远处铁塔", external_id="RM-1", geometry=point(3000))
    hidden = await create(
        client,
        "tower",
        name="仅监管可见铁塔",
        external_id="RM-2",
        geometry=point(150),
        visibility="regulators",
    )
    pole = await create(client, "pole", name="附近灯杆", external_id="RM-3", geometry=point(120))
    near = await create(client, "tower", name="附近铁塔", external_id="RM-4", geometry=point(200))
    await wait_for_notice(actors, need["id"], near["id"])

    await actors.use(TOWER)  # a later change of the same asset announces nothing new
    changed = await client.patch(
        f"/api/v1/assets/{near['id']}", json={"version": near["version"], "capacity": {"free": 2}}
    )
    assert changed.status_code == 200, changed.text
    second = await create(client, "tower", name="第二座附近铁塔", external_id="RM-5", geometry=point(-250))
    await wait_for_notice(actors, need["id"], second["id"])  # messages are handled in order

    notices = await match_notifications(client, need["id"])
    assert sorted(n["asset_id"] for n in notices) == sorted([near["id"], second["id"]])
    assert {own["id"], far["id"], hidden["id"], pole["id"]}.isdisjoint(n["asset_id"] for n in notices)
    latest = notices[0]  # newest first: the second tower
    assert latest["asset_id"] == second["id"] and "title" not in latest
    # Another owner's tower: its location is known to about 1 km, so no distance is given.
    assert latest["params"] == {
        "need_title": "反向匹配 南山宏站",
        "asset_name": "第二座附近铁塔",
        "distance_m": None,
        "location_precision": "approx_1km",
    }

    received = await asyncio.to_thread(hooks.wait_for, 2)
    payloads = [r.payload for r in received if r.payload["type"] == "match.new"]
    assert sorted(p["data"]["asset_id"] for p in payloads) == sorted([near["id"], second["id"]])
    assert all(p["data"]["need_id"] == need["id"] and 0 < p["data"]["score"] <= 1 for p in payloads)
    assert {p["data"]["location_precision"] for p in payloads} == {"approx_1km"}  # another owner's tower
    first = received[0]
    assert verify(secret, first.headers["x-infrashare-signature"], first.body)


def point(east_m: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": offset(east_m)}


def towers_csv(near: int, far: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["external_id", "kind", "name", "status", "region_code", "lon", "lat", *TAIL_COLUMNS])
    for number in range(near + far):
        lon, lat = (
            offset(-400 + number * 800 / near) if number < near else (114.2421, 22.7238 + number * 1e-4)
        )
        code = NANSHAN if number < near else "440307"
        writer.writerow(
            [f"BATCH-{number}", "tower", f"批量铁塔 {number}", "available", code, lon, lat, *TAIL]
        )
    return buffer.getvalue().encode()


TAIL_COLUMNS = ["capacity_total", "capacity_free", "visibility", "height_m", "structure_type"]
TAIL = [6, 3, "public", 35, "lattice"]


class StatementCounter:
    def __init__(self, database: Database) -> None:
        self.engine = database.writer_engine.sync_engine
        self.count = 0

    def __enter__(self) -> StatementCounter:
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, *_: object) -> None:
        self.count += 1


@asynccontextmanager
async def need_without_worker(settings: Settings, title: str) -> AsyncIterator[tuple[Database, Actors, Any]]:
    """An app that runs no matcher of its own, a published need, and the tower company signed in."""
    app = create_app(settings.model_copy(update={"run_worker": False}))
    async with AsyncTestClient(app, base_url="http://127.0.0.1") as client:
        actors = Actors(client)
        need = await published_need(actors, title=title, quantity=1)
        await actors.use(TOWER)
        yield app.state.db, actors, need


async def test_an_import_is_matched_in_batches_not_row_by_row(settings: Settings) -> None:
    async with need_without_worker(settings, "批量导入匹配") as (database, actors, need):
        client = actors.client
        imported = await client.post(
            "/api/v1/assets/imports", content=towers_csv(40, 360), headers={"Content-Type": "text/csv"}
        )
        assert imported.status_code == 200, imported.text
        matcher = ReverseMatcher(database, batch_size=500)
        with StatementCounter(database) as statements:
            assert await matcher.run_once() == 400
        assert statements.count <= 15  # a handful per batch of 400 assets, not one per asset
        assert await matcher.run_once() == 0
        async with database.reader() as session:
            query = select(func.count()).where(MatchNotice.need_id == uuid.UUID(need["id"]))
            assert await session.scalar(query) == 40
        await actors.use(MOBILE)
        assert len(await match_notifications(client, need["id"])) == 40


async def test_matching_waits_while_the_indexer_is_busy_then_catches_up(settings: Settings) -> None:
    async with need_without_worker(settings, "索引优先") as (database, actors, need):
        client = actors.client
        await create(
            client, "tower", geometry={"type": "Point", "coordinates": offset(150)}, external_id="Q-1"
        )
        busy, stop = asyncio.Event(), asyncio.Event()
        busy.set()
        running = asyncio.create_task(ReverseMatcher(database, search_busy=busy, idle_seconds=0.05).run(stop))
        try:
            await asyncio.sleep(1.0)
            await actors.use(MOBILE)
            assert await match_notifications(client, need["id"]) == []  # deferred to the indexer
            busy.clear()
            deadline = time.monotonic() + 20
            while not await match_notifications(client, need["id"]):
                assert time.monotonic() < deadline, "matching never caught up"
                await asyncio.sleep(0.1)
        finally:
            stop.set()
            await running
