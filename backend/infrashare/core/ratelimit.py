"""Fixed-window counters in the database: request quotas per caller, sign-in throttles.

Each count is one statement, an upsert that returns the new total (``INSERT … ON CONFLICT DO
UPDATE … RETURNING`` on SQLite and PostgreSQL alike), so requests in flight at once never read
the same old total, and every replica of the app counts in the same rows.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from sqlalchemy import BigInteger, String, delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from infrashare.core.db import Base, Database
from infrashare.core.errors import DomainError


class RateCounter(Base):
    """How many times ``key`` was counted in the window starting at ``window_start`` (epoch s)."""

    __tablename__ = "rate_counters"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    used: Mapped[int]


class RateLimited(DomainError):
    status, slug, title = 429, "rate-limited", "Too many requests"


@dataclass(frozen=True)
class Count:
    used: int
    window_start: int
    retry_after: int
    """Seconds until this window ends."""


async def count(
    db: AsyncSession, key: str, window_seconds: int, by: int = 1, now: float | None = None
) -> Count:
    """Adds ``by`` to ``key``'s current window and returns the new total, atomically."""
    now = time.time() if now is None else now
    start = int(now // window_seconds) * window_seconds
    insert = (postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert)(RateCounter)
    statement = (
        insert.values(key=key, window_start=start, used=by)
        .on_conflict_do_update(
            index_elements=[RateCounter.key, RateCounter.window_start],
            set_={"used": RateCounter.used + by},
        )
        .returning(RateCounter.used)
    )
    used = int((await db.execute(statement)).scalar_one())
    if used == by:  # the first count of a new window: this key's older windows are over
        await db.execute(delete(RateCounter).where(RateCounter.key == key, RateCounter.window_start < start))
    return Count(used, start, max(1, math.ceil(start + window_seconds - now)))


async def uncount(db: AsyncSession, key: str, window_start: int) -> None:
    """Takes one count back from the window it went into (an attempt that turned out well)."""
    await db.execute(
        update(RateCounter)
        .where(RateCounter.key == key, RateCounter.window_start == window_start, RateCounter.used > 0)
        .values(used=RateCounter.used - 1)
    )


async def forget(db: AsyncSession, key: str) -> None:
    """Drops every window of ``key`` (a throttle cleared by a success)."""
    await db.execute(delete(RateCounter).where(RateCounter.key == key))


def refuse(what: str, limit: int, counted: Count, detail: str | None = None) -> RateLimited:
    return RateLimited(
        detail or f"More than {limit} requests a minute for {what}; slow down.",
        headers={"Retry-After": str(counted.retry_after)},
        limit=limit,
    )


async def spend(database: Database, key: str, per_minute: int) -> None:
    """Counts one request against ``key`` in a transaction of its own (so a request that fails
    still counts); raises RateLimited (with Retry-After) past the quota."""
    if per_minute <= 0:
        return
    async with database.writer() as db:
        counted = await count(db, key, 60)
        await db.commit()
    if counted.used > per_minute:
        raise refuse(key.split(":", 1)[0], per_minute, counted)
