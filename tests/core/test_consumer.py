"""The one consumer base: retry with back-off, give up after N tries, a dead claim taken again
once its lease runs out, and a commit in this process waking an idle consumer."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import ClassVar

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.core.clock import utc_now
from infrashare.core.consumer import Consumer, Message
from infrashare.core.db import Database, open_database
from infrashare.core.outbox import OutboxMessage, enqueue
from tests.waiting import eventually

TOPIC = "test.toy"


@dataclass
class Toy(Consumer):
    """Handles keys; fails those in ``failing`` (with their key as the error)."""

    topics: tuple[str, ...] = field(default=(TOPIC,), kw_only=True)
    failing: set[str] = field(default_factory=set)
    handled: list[tuple[str, int]] = field(default_factory=list)
    given_up: list[tuple[str, str]] = field(default_factory=list)
    name: ClassVar[str] = "toy"

    async def handle(self, messages: list[Message]) -> Mapping[int, str]:
        self.handled += [(message.key, message.attempts) for message in messages]
        return {message.id: f"failed {message.key}" for message in messages if message.key in self.failing}

    async def gave_up(self, session: AsyncSession, message: Message, error: str) -> None:
        self.given_up.append((message.key, error))


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    opened = open_database(database_url)
    yield opened
    await opened.dispose()


async def _send(database: Database, *keys: str, topic: str = TOPIC) -> None:
    async with database.writer() as session:
        for key in keys:
            enqueue(session, topic, key)
        await session.commit()


async def _row(database: Database, key: str) -> OutboxMessage:
    async with database.reader() as session:
        row = await session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
    assert row is not None
    return row


async def _time_passes(database: Database) -> None:
    """Every back-off and lease runs out (no sleeping in tests)."""
    async with database.writer() as session:
        await session.execute(update(OutboxMessage).values(available_at=OutboxMessage.created_at))
        await session.commit()


async def test_a_failed_message_is_retried_with_back_off_and_the_rest_are_done(database: Database) -> None:
    toy = Toy(database, failing={"b"})
    await _send(database, "a", "b")
    assert await toy.run_once() == 1
    done, failed = await _row(database, "a"), await _row(database, "b")
    assert done.done_at is not None and done.attempts == 1
    assert failed.done_at is None and failed.attempts == 1 and failed.last_error == "failed b"
    assert failed.available_at >= utc_now() + timedelta(seconds=1)  # backed off ...
    assert await toy.run_once() == 0  # ... so not taken again at once

    toy.failing.clear()
    await _time_passes(database)
    assert await toy.run_once() == 1
    assert (await _row(database, "b")).done_at is not None
    assert toy.handled == [("a", 1), ("b", 1), ("b", 2)]
    assert toy.given_up == []


async def test_a_message_is_given_up_after_max_attempts(database: Database) -> None:
    toy = Toy(database, failing={"poison"}, max_attempts=3)
    await _send(database, "poison")
    for _ in range(3):
        await toy.run_once()
        await _time_passes(database)
    row = await _row(database, "poison")
    assert row.done_at is not None and row.attempts == 3 and row.last_error == "failed poison"
    assert toy.given_up == [("poison", "failed poison")]
    assert await toy.run_once() == 0
    assert [attempts for _, attempts in toy.handled] == [1, 2, 3]


async def test_a_dead_consumers_claim_is_taken_again_once_its_lease_runs_out(database: Database) -> None:
    await _send(database, "x", "y")
    dead = Toy(database, lease=timedelta(hours=1))
    claimed = await dead.claim()  # ... and its process dies before settling
    assert sorted(message.key for message in claimed) == ["x", "y"]
    survivor = Toy(database)
    assert await survivor.run_once() == 0  # the lease still holds
    assert survivor.handled == []

    await _time_passes(database)  # the lease runs out
    assert await survivor.run_once() == 2
    assert sorted(survivor.handled) == [("x", 2), ("y", 2)]
    await dead.settle(claimed, {})  # a late settle of a lost claim changes nothing
    assert (await _row(database, "x")).attempts == 2


async def test_a_claim_that_died_max_attempts_times_is_given_up_unhandled(database: Database) -> None:
    await _send(database, "crasher")
    await Toy(database).claim()  # its process dies
    await _time_passes(database)
    await Toy(database).claim()  # and again
    await _time_passes(database)
    last = Toy(database, max_attempts=2)
    await last.run_once()
    assert last.handled == []
    assert [key for key, _ in last.given_up] == ["crasher"]
    assert (await _row(database, "crasher")).done_at is not None


async def test_a_commit_in_this_process_wakes_an_idle_consumer(database: Database) -> None:
    toy = Toy(database, idle_seconds=300)
    stop = asyncio.Event()
    running = asyncio.create_task(toy.run(stop))
    try:
        await _send(database, "warm-up")  # proves the loop is up, then it idles for 5 minutes
        await eventually(lambda: asyncio.sleep(0, toy.handled), lambda found: bool(found), "first batch")
        started = time.monotonic()
        await _send(database, "news")
        await eventually(
            lambda: asyncio.sleep(0, toy.handled), lambda found: ("news", 1) in found, "woken by the commit"
        )
        assert time.monotonic() - started < 60  # far sooner than its next poll
    finally:
        stop.set()
        await running
