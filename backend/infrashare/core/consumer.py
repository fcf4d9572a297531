"""One shape for background work: claim a batch of outbox messages, handle it, settle it.

Every consumer (the search indexer, webhook delivery, reverse matching, asset imports) is a
``Consumer`` subclass that names its topics and writes ``handle``; this module does the rest:

- **claim** due messages in one short write — ``UPDATE … RETURNING`` over a ``SKIP LOCKED``
  pick on PostgreSQL — counting the attempt and leasing them until ``now + lease``. No
  transaction stays open while the work runs, so a slow receiver or a long import never holds
  SQLite's only write lock, and consumers in several processes share a topic;
- **lease**: a claim whose process died (kill -9, a lost host) is due again once its lease runs
  out, and is taken again by whichever process polls first; long work keeps it with ``renew``;
- **settle**: what ``handle`` reports done is marked done; a failure is retried with back-off
  (2, 4, 8 … s, at most 5 min), and after ``max_attempts`` it is given up (``gave_up`` lets the
  feature record that). A message claimed once more than ``max_attempts`` is given up without
  being handled: its earlier holders died with it;
- **wake on commit**: a transaction in this process that adds a message to one of the topics
  wakes the consumer at once; other processes see it at their next poll (``idle_seconds``);
- a graceful stop releases what is claimed, so another process takes it without waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar

import structlog
from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.core.clock import utc_now
from infrashare.core.db import Database
from infrashare.core.outbox import OutboxMessage, news_of_commits

logger = structlog.get_logger("infrashare.consumer")
MAX_BACKOFF = timedelta(minutes=5)


@dataclass(frozen=True)
class Message:
    """A claimed outbox message; ``attempts`` counts this one."""

    id: int
    topic: str
    key: str
    payload: dict[str, Any] | None
    attempts: int


def backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=2 ** min(attempts, 12)), MAX_BACKOFF)


def _due(topics: Sequence[str], now: datetime) -> ColumnElement[bool]:
    return and_(
        OutboxMessage.topic.in_(topics), OutboxMessage.done_at.is_(None), OutboxMessage.available_at <= now
    )


async def pause(stop: asyncio.Event, seconds: float, news: asyncio.Event | None = None) -> None:
    """Sleeps ``seconds`` or until ``stop`` (or ``news``) is set, whichever comes first."""
    waits = [asyncio.ensure_future(event.wait()) for event in (stop, news) if event is not None]
    try:
        await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for wait in waits:
            wait.cancel()


@dataclass
class Consumer:
    """Subclasses set ``topics`` and write ``handle``."""

    database: Database
    topics: tuple[str, ...] = field(default=(), kw_only=True)
    batch_size: int = field(default=100, kw_only=True)
    # Longer than a batch takes (or renewed), else a live batch is taken again by another process.
    lease: timedelta = field(default=timedelta(minutes=2), kw_only=True)
    max_attempts: int | None = field(default=None, kw_only=True)  # None: for ever (an index must converge)
    idle_seconds: float = field(default=0.5, kw_only=True)
    stop: asyncio.Event = field(default_factory=asyncio.Event, kw_only=True)
    name: ClassVar[str] = "consumer"

    # --- what a subclass writes -----------------------------------------------------------------

    async def handle(self, messages: list[Message]) -> Mapping[int, str]:
        """Does the work; returns the error of each message to retry, by id (the rest are
        done). Raising retries the whole batch."""
        raise NotImplementedError

    async def gave_up(self, session: AsyncSession, message: Message, error: str) -> None:
        """Records, in the settling transaction, that ``message`` will not be tried again."""

    def ready(self) -> bool:
        """Whether to take a batch now (reverse matching lets a busy indexer go first)."""
        return True

    # --- the loop ------------------------------------------------------------------------------

    async def run_once(self) -> int:
        """Claims, handles and settles one batch; returns how many messages it got done."""
        if not await self._any_due():
            return 0
        messages = await self.claim()
        if not messages:
            return 0
        handled = [m for m in messages if self.max_attempts is None or m.attempts <= self.max_attempts]
        abandoned = {m.id: "its earlier attempts stopped with their process" for m in messages}
        try:
            errors = dict(await self.handle(handled)) if handled else {}
        except asyncio.CancelledError:
            await asyncio.shield(self.release(messages))
            raise
        except Exception as exc:
            if self.stop.is_set():
                await self.release(messages)
                return 0
            logger.warning("batch failed; will retry", consumer=self.name, error=repr(exc))
            errors = {message.id: repr(exc) for message in handled}
        errors |= {m.id: abandoned[m.id] for m in messages if m not in handled}
        await self.settle(messages, errors)
        return len(messages) - len(errors)

    async def _any_due(self) -> bool:
        """A look with a reader first: an idle consumer must not take the write lock every tick."""
        async with self.database.reader() as peek:
            query = select(OutboxMessage.id).where(_due(self.topics, utc_now())).limit(1)
            return await peek.scalar(query) is not None

    async def claim(self) -> list[Message]:
        async with self.database.writer() as session:
            now = utc_now()
            picked = (
                select(OutboxMessage.id)
                .where(_due(self.topics, now))
                .order_by(OutboxMessage.id)
                .limit(self.batch_size)
                .with_for_update(skip_locked=True)
                .scalar_subquery()
            )
            claimed = await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(picked))
                .values(available_at=now + self.lease, attempts=OutboxMessage.attempts + 1)
                .returning(
                    OutboxMessage.id,
                    OutboxMessage.topic,
                    OutboxMessage.key,
                    OutboxMessage.payload,
                    OutboxMessage.attempts,
                )
                .execution_options(synchronize_session=False)
            )
            messages = sorted((Message(*row) for row in claimed.all()), key=lambda m: m.id)
            await session.commit()
        return messages

    async def renew(self, messages: Sequence[Message]) -> None:
        """Keeps the lease of messages still being worked on (long work calls it now and then)."""
        async with self.database.writer() as session:
            await session.execute(
                update(OutboxMessage)
                .where(self._still_held(messages))
                .values(available_at=utc_now() + self.lease)
            )
            await session.commit()

    @staticmethod
    def _still_held(messages: Sequence[Message]) -> ColumnElement[bool]:
        """Not done, and claimed no more times since (a later claim means the lease was lost)."""
        by_attempts: dict[int, list[int]] = {}
        for message in messages:
            by_attempts.setdefault(message.attempts, []).append(message.id)
        return and_(
            OutboxMessage.done_at.is_(None),
            or_(
                *(
                    and_(OutboxMessage.attempts == attempts, OutboxMessage.id.in_(ids))
                    for attempts, ids in by_attempts.items()
                )
            ),
        )

    async def settle(self, messages: Sequence[Message], errors: Mapping[int, str]) -> None:
        """Done, retried later or given up: only messages this consumer still holds."""
        now = utc_now()
        done = [message for message in messages if message.id not in errors]
        async with self.database.writer() as session:
            if done:
                await session.execute(update(OutboxMessage).where(self._still_held(done)).values(done_at=now))
            for message in messages:
                if message.id in errors:
                    await self._retry_or_give_up(session, message, errors[message.id], now)
            await session.commit()

    async def _retry_or_give_up(
        self, session: AsyncSession, message: Message, error: str, now: datetime
    ) -> None:
        giving_up = self.max_attempts is not None and message.attempts >= self.max_attempts
        values: dict[str, Any] = {"last_error": error[:2000]}
        if giving_up:
            values["done_at"] = now
        else:
            values["available_at"] = now + backoff(message.attempts)
        settled = await session.execute(
            update(OutboxMessage).where(self._still_held([message])).values(**values)
        )
        if giving_up and settled.rowcount == 1:  # type: ignore[attr-defined]
            logger.warning("giving up a message", consumer=self.name, key=message.key, error=error)
            await self.gave_up(session, message, error)

    async def release(self, messages: Sequence[Message]) -> None:
        """Hands claimed messages back at once, their attempt not counted (a graceful stop)."""
        with contextlib.suppress(Exception):  # stopping: the lease runs out anyway
            async with self.database.writer() as session:
                await session.execute(
                    update(OutboxMessage)
                    .where(self._still_held(messages))
                    .values(available_at=utc_now(), attempts=OutboxMessage.attempts - 1)
                )
                await session.commit()

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Runs batches until ``stop`` is set; an error in one batch is logged, never fatal."""
        if stop is not None:
            self.stop = stop
        try:
            await self.prepare()
            with news_of_commits(self.topics) as news:
                while not self.stop.is_set():
                    news.clear()  # what commits while this batch runs is taken next, without a pause
                    if not self.ready():
                        await pause(self.stop, 0.1)
                        continue
                    try:
                        busy = await self.run_once()
                    except Exception:  # a dropped connection, a bug in one batch: the loop goes on
                        logger.exception("batch failed", consumer=self.name)
                        busy = 0
                    if not busy:
                        await pause(self.stop, self.idle_seconds, news)
        finally:
            await self.close()

    async def prepare(self) -> None:
        """Before the first batch (the indexer creates its indexes)."""

    async def close(self) -> None:
        """After the last batch (webhook delivery closes its HTTP client)."""
