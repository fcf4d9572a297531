"""The transactional outbox: a write and the news of it commit together, or not at all.

Services call ``enqueue`` inside their unit of work; consumers (the search indexer, webhook
delivery) claim pending messages in batches, and a message stays pending — with back-off —
until its consumer has handled it. So Meilisearch or a webhook receiver being down never
loses anything, and a crash mid-batch just means the batch is claimed again.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import BigInteger, Index, Integer, Select, String, Table, Text, event, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, Session, mapped_column

from infrashare.core.db import Base, bulk_insert, utc_now

MAX_BACKOFF = timedelta(minutes=5)


class OutboxMessage(Base):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    topic: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    available_at: Mapped[datetime] = mapped_column(default=utc_now)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_outbox_pending", "topic", "done_at", "available_at"),)


NEWS = "outbox_news"  # set in a session's info while its transaction holds new messages
_listening: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.info.pop(NEWS, False):
        for loop, news in list(_listening):
            with contextlib.suppress(RuntimeError):  # a loop closed without leaving: nobody to wake
                loop.call_soon_threadsafe(news.set)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(NEWS, None)


@contextmanager
def news_of_commits() -> Iterator[asyncio.Event]:
    """An event set whenever a transaction that added outbox messages commits in this process:
    a consumer here starts at once instead of at its next poll (other processes still poll)."""
    entry = (asyncio.get_running_loop(), asyncio.Event())
    _listening.add(entry)
    try:
        yield entry[1]
    finally:
        _listening.discard(entry)


def enqueue(db: AsyncSession, topic: str, key: object, payload: dict[str, Any] | None = None) -> None:
    """Adds a message to the caller's transaction (it is sent only if that commits)."""
    db.add(OutboxMessage(topic=topic, key=str(key), payload=payload))
    db.info[NEWS] = True


async def enqueue_many(db: AsyncSession, topic: str, keys: Iterable[object]) -> None:
    """Bulk ``enqueue`` for imports: one executemany instead of thousands of ORM objects."""
    now = utc_now()
    rows = [
        {"topic": topic, "key": str(key), "created_at": now, "available_at": now, "attempts": 0}
        for key in keys
    ]
    await bulk_insert(db, cast(Table, OutboxMessage.__table__), rows)
    db.info[NEWS] = True


def _claiming(columns: Sequence[Any], topics: Sequence[str], limit: int, now: datetime) -> Select[Any]:
    """Pending messages, oldest first, locked; on PostgreSQL rows another consumer holds are skipped."""
    return (
        select(*columns)
        .where(
            OutboxMessage.topic.in_(topics),
            OutboxMessage.done_at.is_(None),
            OutboxMessage.available_at <= now,
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )


async def claim(db: AsyncSession, topics: Sequence[str], limit: int, now: datetime) -> list[OutboxMessage]:
    return list((await db.scalars(_claiming([OutboxMessage], topics, limit, now))).all())


async def claim_keys(
    db: AsyncSession, topics: Sequence[str], limit: int, now: datetime
) -> list[tuple[int, str]]:
    """``claim`` for consumers that need only what changed: (id, key) rows, no ORM objects for
    the 20,000 messages of a burst."""
    query = _claiming([OutboxMessage.id, OutboxMessage.key], topics, limit, now)
    return [(row.id, row.key) for row in await db.execute(query)]


async def mark_done(db: AsyncSession, ids: Sequence[int], now: datetime) -> None:
    await db.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(done_at=now))


async def retry_ids_later(db: AsyncSession, ids: Sequence[int], error: str, now: datetime) -> None:
    messages = await db.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids)))
    await retry_later(db, list(messages.all()), error, now)


async def retry_later(db: AsyncSession, messages: Sequence[OutboxMessage], error: str, now: datetime) -> None:
    for message in messages:
        message.attempts += 1
        message.last_error = error[:2000]
        message.available_at = now + min(timedelta(seconds=2 ** min(message.attempts, 12)), MAX_BACKOFF)


async def pending_count(db: AsyncSession, topics: Sequence[str]) -> int:
    from sqlalchemy import func

    query = select(func.count()).where(OutboxMessage.topic.in_(topics), OutboxMessage.done_at.is_(None))
    return int(await db.scalar(query) or 0)
