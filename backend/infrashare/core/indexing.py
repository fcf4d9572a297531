"""The search indexer: drains the outbox into Meilisearch, and rebuilds an index with a swap.

Each searchable feature declares a ``SearchIndex`` in its own ``search.py`` (what its documents
look like and how to load them by key); this module knows nothing else about features. The
database is the source of truth: a document is always rebuilt from the current rows, so
replaying a message twice, or out of order, converges on the same index.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx
import structlog
from meilisearch_python_sdk.errors import MeilisearchError
from meilisearch_python_sdk.models.settings import MeilisearchSettings
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.core.clock import utc_now
from infrashare.core.consumer import Consumer, Message, pause
from infrashare.core.db import Database
from infrashare.core.outbox import OutboxMessage, enqueue, enqueue_many
from infrashare.core.search import IndexWarming, SearchEngine

logger = structlog.get_logger("infrashare.indexer")
Document = dict[str, Any]
SEARCH_FAILURES = (MeilisearchError, httpx.HTTPError, OSError, asyncio.TimeoutError, IndexWarming)


@dataclass(frozen=True)
class SearchIndex:
    """One Meilisearch index fed from the database.

    ``load`` returns, for each requested key, the documents that key should have in the index
    (an empty list removes it). Several documents per key are allowed — e.g. points along a
    route — when ``key_field`` names the field that holds the key.
    """

    uid: str
    primary_key: str
    key_field: str
    settings: MeilisearchSettings
    load: Callable[[AsyncSession, Sequence[str]], Awaitable[dict[str, list[Document]]]]
    all_keys: Callable[[AsyncSession], AsyncIterator[list[str]]]

    @property
    def topic(self) -> str:
        return f"search.{self.uid}"


def mark_changed(db: AsyncSession, index: SearchIndex, key: object) -> None:
    """Call in the unit of work that changed the object: the index follows once it commits."""
    enqueue(db, index.topic, key)


async def mark_many_changed(db: AsyncSession, index: SearchIndex, keys: Sequence[object]) -> None:
    await enqueue_many(db, index.topic, keys)


def _quoted(values: Sequence[str]) -> str:
    return ", ".join(json.dumps(value) for value in values)


async def add(
    engine: SearchEngine, index: SearchIndex, uid: str, documents: dict[str, list[Document]]
) -> list[int]:
    """Queues the documents (replacing those with the same ids); returns the task, not awaited."""
    fresh = [document for docs in documents.values() for document in docs]
    if not fresh:
        return []
    return [(await engine.index(uid).add_documents(fresh, primary_key=index.primary_key)).task_uid]


async def remove_stale(
    engine: SearchEngine, index: SearchIndex, uid: str, documents: dict[str, list[Document]]
) -> list[int]:
    """Queues the deletion of what these keys no longer have (a route that moved, a retired
    asset) — only when a read finds any, so most changes cost no deletion task. The deletion is a
    filter, evaluated when Meilisearch runs it, after the additions queued before it."""
    target = engine.index(uid)
    if index.key_field == index.primary_key:  # one document per key: only keys with none are stale
        gone = [key for key, docs in documents.items() if not docs]
        return [(await target.delete_documents(gone)).task_uid] if gone else []
    keep = [str(document[index.primary_key]) for docs in documents.values() for document in docs]
    stale = f"{index.key_field} IN [{_quoted(list(documents))}]"
    if keep:
        stale += f" AND NOT {index.primary_key} IN [{_quoted(keep)}]"
    found = await target.get_documents(filter=stale, limit=1, fields=[index.primary_key])
    if not found.total:
        return []
    return [(await target.delete_documents_by_filter(stale)).task_uid]


async def push(
    engine: SearchEngine, index: SearchIndex, uid: str, documents: dict[str, list[Document]]
) -> None:
    """Writes the documents of these keys into index ``uid``, removes whatever they no longer
    have, and waits until Meilisearch has done both."""
    tasks = await add(engine, index, uid, documents)
    await wait_for(engine, tasks + await remove_stale(engine, index, uid, documents))


async def wait_for(engine: SearchEngine, tasks: Sequence[int], timeout_ms: int = 120_000) -> None:
    """Waits until Meilisearch has run these tasks; raises if any did not succeed."""
    for task_uid in tasks:
        finished = await engine.client.wait_for_task(task_uid, timeout_in_ms=timeout_ms)
        if finished.status != "succeeded":
            raise MeilisearchError(f"task {task_uid} {finished.status}: {finished.error}")


async def ensure_index(engine: SearchEngine, index: SearchIndex, uid: str | None = None) -> None:
    """Creates the index if missing and applies its settings (idempotent)."""
    name, client = engine.name(uid or index.uid), engine.client
    try:
        await client.get_index(name)
    except MeilisearchError:
        await client.create_index(name, primary_key=index.primary_key, wait=True)
    task = await client.index(name).update_settings(index.settings)
    await client.wait_for_task(task.task_uid, timeout_in_ms=120_000)


@dataclass
class Indexer(Consumer):
    """Drains the search indexes' topics into Meilisearch, for ever: a failed push is retried
    with back-off until Meilisearch takes it, since the index must converge."""

    engine: SearchEngine
    indexes: Sequence[SearchIndex]
    # Each Meilisearch write has a fixed cost (~0.3 s per task here, whatever its size): few large
    # batches make a burst searchable much sooner than many small ones (10,000 changes: 7.5 s in
    # batches of 2,000, 3.4 s in batches of 5,000). A batch of 20,000 keys is loaded from the
    # database 5,000 at a time and added to Meilisearch in one task.
    load_size: int = 5000
    batch_size: int = field(default=20_000, kw_only=True)
    idle_seconds: float = field(default=0.3, kw_only=True)
    rebuild_empty: bool = True
    # Set while a batch is in flight, so work sharing these CPUs (reverse matching) can wait.
    busy: asyncio.Event = field(default_factory=asyncio.Event)
    name: ClassVar[str] = "indexer"

    def __post_init__(self) -> None:
        self.topics = tuple(index.topic for index in self.indexes)

    async def handle(self, messages: list[Message]) -> dict[int, str]:
        errors: dict[int, str] = {}
        self.busy.set()
        try:
            for index in self.indexes:
                mine = [message for message in messages if message.topic == index.topic]
                if not mine:
                    continue
                try:
                    async with self.database.reader() as reader:
                        tasks = await self._send(reader, index, [message.key for message in mine])
                    await wait_for(self.engine, tasks)
                except SEARCH_FAILURES as exc:
                    logger.warning("search index update failed; will retry", index=index.uid, error=repr(exc))
                    errors |= {message.id: repr(exc) for message in mine}
        finally:
            self.busy.clear()
        return errors

    async def _send(self, session: AsyncSession, index: SearchIndex, changed: list[str]) -> list[int]:
        """Queues the documents of these keys, ``load_size`` keys per read from the database."""
        keys = list(dict.fromkeys(changed))
        chunks = [
            await index.load(session, keys[start : start + self.load_size])
            for start in range(0, len(keys), self.load_size)
        ]
        # One addition for the whole batch: Meilisearch starts on a task as soon as it arrives, so
        # several would be several batches, each with its fixed cost.
        everything = {key: docs for documents in chunks for key, docs in documents.items()}
        tasks = await add(self.engine, index, index.uid, everything)
        for documents in chunks:
            tasks += await remove_stale(self.engine, index, index.uid, documents)
        return tasks

    async def prepare(self) -> None:
        await self._prepare(self.stop)

    async def _prepare(self, stop: asyncio.Event) -> None:
        """Creates missing indexes; an empty one (new, or its data lost) is rebuilt from the database.

        Until an index is known to be whole, searches in this process answer from the database.
        """
        if self.rebuild_empty:
            self.engine.warming.update(index.uid for index in self.indexes)
        while not stop.is_set():
            try:
                for index in self.indexes:
                    outdated = await lacks_fields(self.engine, index)
                    await ensure_index(self.engine, index)
                    stats = await self.engine.index(index.uid).get_stats()
                    if self.rebuild_empty and (outdated or stats.number_of_documents == 0):
                        logger.info("rebuilding search index", index=index.uid, outdated=outdated)
                        await reindex(self.database, self.engine, index)
                    self.engine.warming.discard(index.uid)
                return
            except SEARCH_FAILURES as exc:
                logger.warning("Meilisearch not ready; retrying", error=repr(exc))
                await pause(stop, 2)


async def lacks_fields(engine: SearchEngine, index: SearchIndex) -> bool:
    """Whether an existing index was built by an older release: with another primary key, or
    before some filterable field existed — its documents lack that field, so filtering on it
    would silently find nothing until a rebuild."""
    try:
        live = await engine.index(index.uid).get_settings()
        info = await engine.index(index.uid).fetch_info()
    except MeilisearchError:  # no such index yet
        return False
    if info.primary_key not in (None, index.primary_key):
        return True
    declared = {str(name) for name in index.settings.filterable_attributes or []}
    return bool(declared - {str(name) for name in live.filterable_attributes or []})


async def reindex(database: Database, engine: SearchEngine, index: SearchIndex) -> int:
    """Rebuilds ``index`` from the database into a new index, then swaps it in.

    Searches keep answering from the old index until the swap, which is atomic. Changes that
    commit while the new index is being built are replayed into it after the swap.
    """
    building = f"{index.uid}_{utc_now():%Y%m%d%H%M%S%f}"
    async with database.reader() as session:
        replay_from = int(await session.scalar(select(func.max(OutboxMessage.id))) or 0)
    await ensure_index(engine, index)
    await ensure_index(engine, index, building)
    count, tasks = 0, []
    async with database.reader() as session:
        async for keys in index.all_keys(session):
            documents = await index.load(session, keys)
            tasks += await add(engine, index, building, documents)  # a new index has nothing stale
            count += sum(len(docs) for docs in documents.values())
    await wait_for(engine, tasks, timeout_ms=3_600_000)
    client = engine.client
    swap = await client.swap_indexes([(engine.name(index.uid), engine.name(building))])
    await client.wait_for_task(swap.task_uid, timeout_in_ms=120_000)
    await client.delete_index_if_exists(engine.name(building))
    await _replay_since(database, engine, index, replay_from)
    return count


async def _replay_since(database: Database, engine: SearchEngine, index: SearchIndex, after_id: int) -> None:
    async with database.reader() as session:
        query = select(OutboxMessage.key).where(
            OutboxMessage.topic == index.topic, OutboxMessage.id > after_id
        )
        keys = list(dict.fromkeys((await session.scalars(query)).all()))
        if keys:
            await push(engine, index, index.uid, await index.load(session, keys))
