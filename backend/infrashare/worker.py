"""The background work, in one list: `infrashare worker` runs it, and so does `serve` when
``run_worker`` is on (the embedded default).

Outbox consumers (``core/consumer.py``) — the search indexer, webhook delivery, reverse
matching and asset imports — plus one schedule: expiring needs past their needed-by date and
agreements past their end date, every ``expiry_every_minutes``, in the worker rather than
inside the read requests that list them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog

from infrashare.agreements.workflow import expire_due_agreements
from infrashare.assets.import_jobs import ImportRunner
from infrashare.assets.import_rows import RowCheckers
from infrashare.core.clock import Clock, utc_now
from infrashare.core.consumer import Consumer, pause
from infrashare.core.db import Database
from infrashare.core.indexing import Indexer
from infrashare.core.search import SearchEngine
from infrashare.core.settings import Settings
from infrashare.indexes import SEARCH_INDEXES
from infrashare.matching.reverse import ReverseMatcher
from infrashare.needs.workflow import expire_overdue_needs
from infrashare.webhooks.delivery import WebhookSender

logger = structlog.get_logger("infrashare.worker")
STOP_GRACE_SECONDS = 5  # a batch in flight may finish; longer work is handed back


@dataclass(frozen=True)
class Expired:
    needs: int
    agreements: int


async def expire_due(database: Database, settings: Settings, now: datetime) -> Expired:
    """Expires what is due on ``now``'s date, each kind in its own unit of work."""
    async with database.writer() as session:
        needs = await expire_overdue_needs(session, now.date(), now)
        await session.commit()
    async with database.writer() as session:
        agreements = await expire_due_agreements(session, now.date(), settings, now)
        await session.commit()
    if needs or agreements:
        logger.info("expired", needs=len(needs), agreements=len(agreements))
    return Expired(len(needs), len(agreements))


async def expire_on_schedule(
    database: Database, settings: Settings, stop: asyncio.Event, clock: Clock = utc_now
) -> None:
    """Runs ``expire_due`` at once and then every ``expiry_every_minutes`` until ``stop``."""
    every = timedelta(minutes=settings.expiry_every_minutes).total_seconds()
    while not stop.is_set():
        try:
            await expire_due(database, settings, clock())
        except Exception:  # the next run tries again
            logger.exception("expiry failed")
        await pause(stop, every)


def consumers(database: Database, settings: Settings, search: SearchEngine | None) -> list[Consumer]:
    """Every outbox consumer a worker runs (the indexer only with a search engine)."""
    found: list[Consumer] = [WebhookSender(database)]
    busy = None
    if search is not None:
        indexer = Indexer(database, search, SEARCH_INDEXES, rebuild_empty=settings.search_rebuild_empty)
        found.append(indexer)
        busy = indexer.busy
    found.append(ReverseMatcher(database, search_busy=busy))
    found.append(
        ImportRunner(
            database,
            RowCheckers(settings.import_workers),
            lease=timedelta(seconds=settings.import_lease_seconds),
        )
    )
    return found


def background_work(
    database: Database,
    settings: Settings,
    search: SearchEngine | None,
    stop: asyncio.Event,
    clock: Clock = utc_now,
) -> dict[str, Coroutine[Any, Any, None]]:
    """The worker's work by name, limited to ``settings.worker_tasks`` when it names any."""
    wanted = set(settings.worker_tasks)
    work: dict[str, Callable[[], Coroutine[Any, Any, None]]] = {
        consumer.name: (lambda consumer=consumer: consumer.run(stop))  # type: ignore[misc]
        for consumer in consumers(database, settings, search)
    }
    work["expiry"] = lambda: expire_on_schedule(database, settings, stop, clock)
    return {name: start() for name, start in work.items() if not wanted or name in wanted}


async def run_until_stopped(work: dict[str, Coroutine[Any, Any, None]], stop: asyncio.Event) -> None:
    """Runs the work; once ``stop`` is set, gives it ``STOP_GRACE_SECONDS`` to finish, then
    cancels what is left (a consumer hands back what it had claimed)."""
    tasks = [asyncio.create_task(job, name=name) for name, job in work.items()]
    if not tasks:
        return
    try:
        await stop.wait()
    finally:
        _, unfinished = await asyncio.wait(tasks, timeout=STOP_GRACE_SECONDS)
        for task in unfinished:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*unfinished, return_exceptions=True)
