"""The transactional outbox: a write and the news of it commit together, or not at all.

Services call ``enqueue`` inside their unit of work; consumers (``core/consumer.py``: the search
indexer, webhook delivery, reverse matching, asset imports) claim pending messages in batches,
and a message stays pending — with back-off — until its consumer has handled it. So
Meilisearch or a webhook receiver being down never loses anything, and a crash mid-batch just
means the batch is claimed again once its lease runs out.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, cast

from sqlalchemy import BigInteger, Index, Integer, String, Table, Text, event, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, Session, mapped_column

from infrashare.core.clock import utc_now
from infrashare.core.db import Base, bulk_insert


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


NEWS = "outbox_news"  # the topics a session's transaction added messages to, in its info
_listening: set[tuple[asyncio.AbstractEventLoop, asyncio.Event, frozenset[str]]] = set()


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    topics: set[str] = session.info.pop(NEWS, set())
    if topics:
        for loop, news, wanted in list(_listening):
            if wanted & topics:
                with contextlib.suppress(RuntimeError):  # a loop closed without leaving: nobody to wake
                    loop.call_soon_threadsafe(news.set)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(NEWS, None)


@contextmanager
def news_of_commits(topics: Iterable[str]) -> Iterator[asyncio.Event]:
    """An event set whenever a transaction that added messages to one of ``topics`` commits in
    this process: a consumer here starts at once instead of at its next poll (other processes
    still poll)."""
    entry = (asyncio.get_running_loop(), asyncio.Event(), frozenset(topics))
    _listening.add(entry)
    try:
        yield entry[1]
    finally:
        _listening.discard(entry)


def announce(db: AsyncSession, topic: str) -> None:
    """Wakes this process's consumers of ``topic`` once the session's transaction commits."""
    db.info.setdefault(NEWS, set()).add(topic)


def enqueue(db: AsyncSession, topic: str, key: object, payload: dict[str, Any] | None = None) -> None:
    """Adds a message to the caller's transaction (it is sent only if that commits)."""
    db.add(OutboxMessage(topic=topic, key=str(key), payload=payload))
    announce(db, topic)


async def enqueue_many(db: AsyncSession, topic: str, keys: Iterable[object]) -> None:
    """Bulk ``enqueue`` for imports: one executemany instead of thousands of ORM objects."""
    now = utc_now()
    rows = [
        {"topic": topic, "key": str(key), "created_at": now, "available_at": now, "attempts": 0}
        for key in keys
    ]
    await bulk_insert(db, cast(Table, OutboxMessage.__table__), rows)
    announce(db, topic)


async def pending_count(db: AsyncSession, topics: Sequence[str]) -> int:
    from sqlalchemy import func

    query = select(func.count()).where(OutboxMessage.topic.in_(topics), OutboxMessage.done_at.is_(None))
    return int(await db.scalar(query) or 0)
