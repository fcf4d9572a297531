"""The outbox-fed indexer and the index swap, on a real Meilisearch, with regions as the data."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from meilisearch_python_sdk import AsyncClient
from sqlalchemy import update

from infrashare.app import create_app
from infrashare.assets.search import ASSETS_INDEX
from infrashare.core.db import open_database
from infrashare.core.indexing import Indexer, ensure_index, lacks_fields, mark_changed, push, reindex
from infrashare.core.outbox import OutboxMessage
from infrashare.core.search import MeilisearchProcess, SearchEngine
from infrashare.core.settings import Settings
from infrashare.matching.search import AssetQuery, search_assets
from infrashare.regions.models import Region
from infrashare.regions.search import REGIONS_INDEX
from tests.needs.helpers import principal_for
from tests.sessions import Client, sign_in
from tests.waiting import eventually


async def search(client: Client, **params: Any) -> dict[str, Any]:
    response = await client.get("/api/v1/search/regions", params=params)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def wait_for_index(client: Client, within_seconds: float = 90) -> None:
    """The app's own indexer builds the regions index at start; wait until it answers."""
    deadline = time.monotonic() + within_seconds
    while time.monotonic() < deadline:
        result = await search(client, q="南山区")
        if not result["degraded"] and result["total"]:
            return
        await asyncio.sleep(0.3)
    raise TimeoutError("regions index never became searchable")


async def test_regions_are_found_by_chinese_name_pinyin_and_typos(client: Client) -> None:
    await sign_in(client, "engineer@tower.example")
    await wait_for_index(client)
    by_name = await search(client, q="南山")
    assert by_name["degraded"] is False
    assert "440305" in [hit["code"] for hit in by_name["items"]]
    by_pinyin = await search(client, q="futian", within="440300")
    assert [hit["code"] for hit in by_pinyin["items"]][:1] == ["440304"]
    with_typo = await search(client, q="longgnag", within="440300")
    assert "440307" in [hit["code"] for hit in with_typo["items"]]
    streets = await search(client, q="粤海", level="street")
    assert streets["items"] and all(hit["level"] == "street" for hit in streets["items"])


async def test_search_falls_back_to_the_database_when_meilisearch_is_down(settings: Settings) -> None:
    down = settings.model_copy(update={"meili_url": "http://127.0.0.1:9", "run_worker": False})
    app = create_app(down)
    async with AsyncTestClient(app, base_url="http://127.0.0.1") as client:
        await sign_in(client, "engineer@tower.example")
        result = await search(client, q="福田", within="440300")
        assert result["degraded"] is True
        codes = [hit["code"] for hit in result["items"]]
        assert codes[0] == "440304" and all(code.startswith("440304") for code in codes)
        ready = await client.get("/ready")
        assert ready.status_code == 503 and ready.json()["search"].startswith("down")


async def test_outbox_survives_a_meilisearch_outage_and_the_index_converges(
    database_url: str, private_meilisearch: MeilisearchProcess
) -> None:
    database = open_database(database_url)
    client = AsyncClient(private_meilisearch.url, private_meilisearch.master_key)
    engine = SearchEngine(client)
    indexer = Indexer(database, engine, [REGIONS_INDEX])
    try:
        await reindex(database, SearchEngine(client), REGIONS_INDEX)
        private_meilisearch.stop()
        # A reference-data update renames a district: the row and its outbox message commit together.
        async with database.writer() as session:
            await session.execute(update(Region).where(Region.code == "440305").values(name="南山新区"))
            mark_changed(session, REGIONS_INDEX, "440305")
            await session.commit()
        assert await indexer.run_once() == 0  # Meilisearch is down: nothing settled ...
        async with database.reader() as session:
            message = (
                await session.scalars(OutboxMessage.__table__.select().where(OutboxMessage.key == "440305"))
            ).first()
        assert message is not None  # ... and nothing lost
        async with database.writer() as session:
            # Skip the back-off wait so the test need not sleep.
            await session.execute(update(OutboxMessage).values(available_at=OutboxMessage.created_at))
            await session.commit()

        private_meilisearch.start()
        assert await indexer.run_once() == 1
        result = await client.index("regions").search("南山新区")
        assert [hit["code"] for hit in result.hits][:1] == ["440305"]
        async with database.reader() as session:
            pending = (
                await session.scalars(OutboxMessage.__table__.select().where(OutboxMessage.done_at.is_(None)))
            ).all()
        assert pending == []
    finally:
        await client.aclose()
        await database.dispose()


async def test_a_commit_in_this_process_wakes_the_idle_indexer(
    database_url: str, private_meilisearch: MeilisearchProcess
) -> None:
    """The embedded indexer polls every ``idle_seconds``; a commit with outbox messages in the
    same process must not wait for the next poll."""
    database = open_database(database_url)
    engine = SearchEngine(AsyncClient(private_meilisearch.url, private_meilisearch.master_key))
    stop = asyncio.Event()
    indexer = Indexer(database, engine, [REGIONS_INDEX], idle_seconds=120)
    await reindex(database, engine, REGIONS_INDEX)
    async with database.writer() as session:  # the rebuild covered whatever was pending
        await session.execute(update(OutboxMessage).values(done_at=OutboxMessage.created_at))
        await session.commit()
    running = asyncio.create_task(indexer.run(stop))
    try:
        # Once started, the task marks the index warming until it is ready.
        await asyncio.sleep(0.1)
        await eventually(
            lambda: asyncio.sleep(0, engine.warming), lambda warming: not warming, "the index is ready"
        )
        await asyncio.sleep(1)  # the loop has found nothing to do and sleeps for two minutes
        async with database.writer() as session:
            await session.execute(update(Region).where(Region.code == "440304").values(name="福田中心区"))
            mark_changed(session, REGIONS_INDEX, "440304")
            await session.commit()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            result = await engine.index("regions").search("", filter='code = "440304"')
            if [hit["name"] for hit in result.hits] == ["福田中心区"]:
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError("the commit did not wake the indexer")
    finally:
        stop.set()
        await running
        await engine.aclose()
        await database.dispose()


async def test_failed_attempts_are_recorded_with_back_off(
    database_url: str, private_meilisearch: MeilisearchProcess
) -> None:
    database = open_database(database_url)
    client = AsyncClient(private_meilisearch.url, private_meilisearch.master_key)
    private_meilisearch.stop()
    try:
        async with database.writer() as session:
            mark_changed(session, REGIONS_INDEX, "440304")
            await session.commit()
        await Indexer(database, SearchEngine(client), [REGIONS_INDEX]).run_once()
        async with database.reader() as session:
            query = OutboxMessage.__table__.select().where(OutboxMessage.done_at.is_(None))
            row = (await session.execute(query)).mappings().one()
        assert row["attempts"] == 1 and row["last_error"] and row["done_at"] is None
        assert row["available_at"] > row["created_at"]
    finally:
        await client.aclose()
        await database.dispose()


async def test_reindex_swaps_without_a_moment_of_empty_results(
    database_url: str, private_meilisearch: MeilisearchProcess
) -> None:
    database = open_database(database_url)
    client = AsyncClient(private_meilisearch.url, private_meilisearch.master_key)
    try:
        await reindex(database, SearchEngine(client), REGIONS_INDEX)
        rebuilding = asyncio.create_task(reindex(database, SearchEngine(client), REGIONS_INDEX))
        totals = []
        while not rebuilding.done():
            result = await client.index("regions").search("深圳", limit=1)
            totals.append(result.estimated_total_hits or 0)
            await asyncio.sleep(0.02)
        assert await rebuilding == 3297
        assert totals and min(totals) > 0
        indexes = await client.get_indexes() or []
        assert [index.uid for index in indexes] == ["regions"]  # the building index was dropped
    finally:
        await client.aclose()
        await database.dispose()


async def test_the_app_rebuilds_an_empty_index_on_start(app: Litestar, client: Client) -> None:
    await sign_in(client, "engineer@tower.example")
    await wait_for_index(client)
    assert (await search(client, q="深圳市"))["items"][0]["code"] == "440300"


async def test_an_index_rebuilt_at_start_is_never_searched_half_built(
    database_url: str, private_meilisearch: MeilisearchProcess
) -> None:
    """While the indexer rebuilds an empty index, search answers from the database instead."""
    database = open_database(database_url)
    engine = SearchEngine(AsyncClient(private_meilisearch.url, private_meilisearch.master_key), "warm_")
    stop = asyncio.Event()
    answers = []
    try:
        async with database.reader() as db:
            operator = await principal_for(db, "admin@tower.example")
            everything = (await search_assets(db, None, operator, AssetQuery())).total
            preparing = asyncio.create_task(Indexer(database, engine, [ASSETS_INDEX])._prepare(stop))
            while not preparing.done():
                answers.append(await search_assets(db, engine, operator, AssetQuery()))
            await preparing
            after = await search_assets(db, engine, operator, AssetQuery())
    finally:
        await engine.aclose()
        await database.dispose()
    assert everything > 1000  # the demo assets the tower company may see
    assert any(answer.degraded for answer in answers)  # the rebuild was seen, answered by the database
    assert all(answer.total == everything for answer in answers)  # never an empty or partial index
    assert not after.degraded and after.total == everything


async def test_an_index_built_before_a_field_existed_is_rebuilt_at_start(
    database_url: str, private_meilisearch: MeilisearchProcess
) -> None:
    """An older release indexed one document per route cell (``doc_id``) without ``cells``;
    searches filtering on it would find nothing, so the indexer rebuilds such an index at start."""
    older_settings = ASSETS_INDEX.settings.model_copy(
        update={
            "filterable_attributes": [
                "doc_id",
                *(name for name in ASSETS_INDEX.settings.filterable_attributes or [] if name != "cells"),
            ]
        }
    )
    older = replace(ASSETS_INDEX, settings=older_settings, primary_key="doc_id")
    database = open_database(database_url)
    engine = SearchEngine(AsyncClient(private_meilisearch.url, private_meilisearch.master_key), "old_")
    try:
        async with database.reader() as db:
            operator = await principal_for(db, "admin@tower.example")
            everything = (await search_assets(db, None, operator, AssetQuery())).total
            keys = [key async for keys in ASSETS_INDEX.all_keys(db) for key in keys]
            documents = await ASSETS_INDEX.load(db, keys)
        await ensure_index(engine, older)
        without_field = {
            key: [
                {name: value for name, value in doc.items() if name != "cells"} | {"doc_id": f"{key}-0"}
                for doc in docs
            ]
            for key, docs in documents.items()
        }
        await push(engine, older, older.uid, without_field)
        assert await lacks_fields(engine, ASSETS_INDEX)

        await Indexer(database, engine, [ASSETS_INDEX])._prepare(asyncio.Event())

        assert not await lacks_fields(engine, ASSETS_INDEX)
        assert (await engine.index(ASSETS_INDEX.uid).fetch_info()).primary_key == "asset_id"
        async with database.reader() as db:
            after = await search_assets(db, engine, operator, AssetQuery())
    finally:
        await engine.aclose()
        await database.dispose()
    assert not after.degraded and after.total == everything > 1000
