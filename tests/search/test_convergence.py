"""The search index never drifts: Meilisearch killed mid-burst, and index swaps under live searches."""

from __future__ import annotations

import asyncio
import random
import time

from litestar.testing import AsyncTestClient
from meilisearch_python_sdk import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.app import create_app
from infrashare.assets.models import Asset
from infrashare.assets.schemas import AssetCreate, AssetUpdate
from infrashare.assets.search import ASSETS_INDEX, all_asset_ids, load_assets
from infrashare.assets.service import create_asset, retire_asset, update_asset
from infrashare.assets.visibility import Viewer, viewer_for
from infrashare.core.db import Database, open_database
from infrashare.core.indexing import Document, Indexer, reindex
from infrashare.core.outbox import pending_count
from infrashare.core.principal import Principal
from infrashare.core.search import MeilisearchProcess, SearchEngine
from infrashare.core.settings import Settings
from infrashare.needs.search import NEEDS_INDEX
from tests.assets.bodies import asset_body
from tests.needs.helpers import principal_for
from tests.sessions import Client, sign_in

WRITES, KILL_AT, RESTART_AT = 1000, 300, 700


async def _write(db: AsyncSession, who: Principal, viewer: Viewer, n: int, mine: list[Asset]) -> None:
    """Mostly creations; one in ten an update, one in ten a retirement of an earlier asset."""
    rng = random.Random(n)
    if n % 10 == 9 and len(mine) > 20:
        victim = mine.pop(rng.randrange(len(mine)))
        await retire_asset(db, who, viewer, victim.id, victim.version, "burst test")
        return
    if n % 10 == 4 and mine:
        target = mine[rng.randrange(len(mine))]
        free = rng.randint(0, target.capacity_total)
        data = AssetUpdate(version=target.version, name=f"改名 {n}", capacity={"free": free})
        updated = await update_asset(db, who, viewer, target.id, data, None)
        mine[mine.index(target)] = updated
        return
    lon, lat = 113.90 + rng.uniform(0, 0.08), 22.51 + rng.uniform(0, 0.05)
    body = asset_body("tower", name=f"突发写入铁塔 {n}", external_id=f"BURST-{n}")
    body["geometry"] = {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}
    mine.append(await create_asset(db, who, AssetCreate.model_validate(body)))


async def _burst(database: Database, meilisearch: MeilisearchProcess) -> None:
    async with database.reader() as session:
        who = await principal_for(session, "admin@tower.example")
        viewer = await viewer_for(session, who)
    mine: list[Asset] = []
    for n in range(WRITES):
        if n == KILL_AT:
            meilisearch.kill()
        if n == RESTART_AT:
            await asyncio.to_thread(meilisearch.start)
        async with database.writer() as session:
            await _write(session, who, viewer, n, mine)
            await session.commit()  # writes succeed whether Meilisearch is up or not
        await asyncio.sleep(0)


async def _expected(database: Database) -> dict[str, Document]:
    documents: dict[str, Document] = {}
    async with database.reader() as session:
        async for keys in all_asset_ids(session):
            for docs in (await load_assets(session, keys)).values():
                documents |= {doc["asset_id"]: doc for doc in docs}
    return documents


async def _indexed(client: AsyncClient) -> dict[str, Document]:
    documents: dict[str, Document] = {}
    offset = 0
    while True:
        page = await client.index(ASSETS_INDEX.uid).get_documents(offset=offset, limit=1000)
        documents |= {doc["asset_id"]: doc for doc in page.results}
        offset += len(page.results)
        if not page.results or offset >= page.total:
            return documents


async def _settled(database: Database, within_seconds: float) -> None:
    deadline = time.monotonic() + within_seconds
    while time.monotonic() < deadline:
        async with database.reader() as session:
            if await pending_count(session, [ASSETS_INDEX.topic]) == 0:
                return
        await asyncio.sleep(0.5)
    raise TimeoutError("the outbox never drained")


async def test_meilisearch_killed_during_a_burst_of_writes_and_the_index_equals_the_database(
    database_url: str, private_meilisearch: MeilisearchProcess
) -> None:
    database = open_database(database_url)
    client = AsyncClient(private_meilisearch.url, private_meilisearch.master_key, timeout=10)
    engine = SearchEngine(client)
    stop = asyncio.Event()
    try:
        await reindex(database, engine, ASSETS_INDEX)  # the demo city, before the burst
        draining = asyncio.create_task(Indexer(database, engine, [ASSETS_INDEX], idle_seconds=0.05).run(stop))
        await _burst(database, private_meilisearch)
        await _settled(database, within_seconds=120)  # back-off after the outage is at most a few tries
        stop.set()
        await draining
        expected, indexed = await _expected(database), await _indexed(client)
        assert len(expected) > WRITES
        assert indexed.keys() == expected.keys()
        differing = [key for key, doc in expected.items() if indexed[key] != doc]
        assert differing == []
    finally:
        stop.set()
        await client.aclose()
        await database.dispose()


async def _answers(client: Client) -> tuple[int, int]:
    """Totals of an asset search and a need search, 0 for one the database answered."""
    responses = [
        await client.get("/api/v1/search/assets", params={"q": "铁塔"}),
        await client.get("/api/v1/search/needs", params={"q": "宏站"}),
    ]
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    assets, needs = (response.json() for response in responses)
    return (
        0 if assets["degraded"] else assets["total"],
        0 if needs["degraded"] else needs["total"],
    )


async def test_reindexing_assets_and_needs_while_the_api_searches_never_returns_nothing(
    settings: Settings,
) -> None:
    unthrottled = settings.model_copy(update={"rate_limit_user_per_minute": 1_000_000})
    # `infrashare reindex` is a process of its own: its own database engine and Meilisearch client.
    database = open_database(settings.resolved_database_url)
    engine = SearchEngine(
        AsyncClient(settings.meili_url, settings.meili_master_key), settings.meili_index_prefix
    )
    try:
        async with AsyncTestClient(create_app(unthrottled), base_url="http://127.0.0.1") as client:
            await _search_during_swaps(client, database, engine)
        names = {index.uid for index in await engine.client.get_indexes(limit=10_000) or []}
        prefix = settings.meili_index_prefix
        assert {name for name in names if name.startswith(prefix)} == {
            f"{prefix}regions",
            f"{prefix}assets",
            f"{prefix}needs",
        }  # the indexes built for the swaps were dropped
    finally:
        await engine.aclose()
        await database.dispose()


async def _search_during_swaps(client: Client, database: Database, engine: SearchEngine) -> None:
    await sign_in(client, "admin@mobile.example")
    deadline = time.monotonic() + 90
    while min(await _answers(client)) == 0:  # the app's worker rebuilds the empty indexes at start
        assert time.monotonic() < deadline, "indexes never built"
        await asyncio.sleep(0.3)
    for index in (ASSETS_INDEX, NEEDS_INDEX):
        rebuilding = asyncio.create_task(reindex(database, engine, index))
        seen: list[tuple[int, int]] = []
        while not rebuilding.done():
            seen.append(await _answers(client))
            await asyncio.sleep(0.01)
        assert await rebuilding > 0
        assert seen and min(min(pair) for pair in seen) > 0, index.uid
