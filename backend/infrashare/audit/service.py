"""Recording into and verifying the hash-chained event log.

Each event's hash covers its own fields and the previous event's hash, so editing,
deleting or reordering any row breaks every hash after it. Appends take the chain
head row with an UPDATE first, which serialises writers on both databases.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

from pydantic_core import to_jsonable_python
from sqlalchemy import Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from infrashare.audit.models import GENESIS_HASH, Event, EventChainHead
from infrashare.core.clock import utc_now
from infrashare.core.db import bulk_insert
from infrashare.core.principal import Actor


def snapshot(values: Any) -> dict[str, Any] | None:
    """A JSON-ready copy of a before/after state (datetimes, UUIDs and enums as text)."""
    if values is None:
        return None
    result: dict[str, Any] = to_jsonable_python(values)
    return result


def event_hash(event: Event | Mapping[str, Any]) -> str:
    """The hash of an event (an Event, or its column values as a mapping for bulk appends)."""
    row = event if isinstance(event, Mapping) else {name: getattr(event, name) for name in _HASHED}
    fields = {
        "seq": row["seq"],
        "occurred_at": row["occurred_at"].isoformat(timespec="microseconds"),
        "actor_user_id": str(row["actor_user_id"]) if row["actor_user_id"] else None,
        "actor_organisation_id": str(row["actor_organisation_id"]) if row["actor_organisation_id"] else None,
        "actor_client_id": row["actor_client_id"],
        "action": row["action"],
        "object_type": row["object_type"],
        "object_id": row["object_id"],
        "before": row["before"],
        "after": row["after"],
        "reason": row["reason"],
        "prev_hash": row["prev_hash"],
    }
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


_HASHED = (
    "seq",
    "occurred_at",
    "actor_user_id",
    "actor_organisation_id",
    "actor_client_id",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "reason",
    "prev_hash",
)


_TAKE_NEXT = (
    update(EventChainHead)
    .where(EventChainHead.id == 1)
    .values(seq=EventChainHead.seq + 1)
    .returning(EventChainHead.seq, EventChainHead.last_hash)
)


def _chained(
    seq: int,
    prev_hash: str,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object,
    before: Any,
    after: Any,
    reason: str | None,
) -> Event:
    event = Event(
        seq=seq,
        occurred_at=utc_now(),
        actor_user_id=actor.user_id,
        actor_organisation_id=actor.organisation_id,
        actor_client_id=actor.client_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=snapshot(before),
        after=snapshot(after),
        reason=reason,
        prev_hash=prev_hash,
    )
    event.hash = event_hash(event)
    return event


async def record_event(
    db: AsyncSession,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object,
    *,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
) -> Event:
    head = (await db.execute(_TAKE_NEXT)).one()
    event = _chained(head.seq, head.last_hash, actor, action, object_type, object_id, before, after, reason)
    db.add(event)
    await db.execute(update(EventChainHead).where(EventChainHead.id == 1).values(last_hash=event.hash))
    await db.flush()
    return event


def record_event_sync(
    db: Session,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object,
    *,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
) -> Event:
    """``record_event`` for synchronous sessions (the OAuth server's worker thread)."""
    head = db.execute(_TAKE_NEXT).one()
    event = _chained(head.seq, head.last_hash, actor, action, object_type, object_id, before, after, reason)
    db.add(event)
    db.execute(update(EventChainHead).where(EventChainHead.id == 1).values(last_hash=event.hash))
    db.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_at: int | None = None
    problem: str | None = None


async def _events_in_order(db: AsyncSession, batch: int = 5000) -> AsyncIterator[Event]:
    last = 0
    while True:
        rows = (
            await db.scalars(select(Event).where(Event.seq > last).order_by(Event.seq).limit(batch))
        ).all()
        if not rows:
            return
        for row in rows:
            yield row
        last = rows[-1].seq


async def verify_chain(db: AsyncSession) -> ChainReport:
    previous_hash, expected_seq, checked = GENESIS_HASH, 1, 0
    async for event in _events_in_order(db):
        problem = _check(event, previous_hash, expected_seq)
        if problem:
            return ChainReport(ok=False, checked=checked, broken_at=event.seq, problem=problem)
        previous_hash, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    head = await db.get(EventChainHead, 1)
    if head is None or head.seq != checked or head.last_hash != previous_hash:
        return ChainReport(ok=False, checked=checked, problem="chain head does not match the last event")
    return ChainReport(ok=True, checked=checked)


def _check(event: Event, previous_hash: str, expected_seq: int) -> str | None:
    if event.seq != expected_seq:
        return f"event {expected_seq} is missing"
    if event.prev_hash != previous_hash:
        return "prev_hash does not match the previous event"
    if event_hash(event) != event.hash:
        return "content does not match its hash"
    return None


async def history(db: AsyncSession, object_type: str, object_id: object) -> list[Event]:
    query = (
        select(Event)
        .where(Event.object_type == object_type, Event.object_id == str(object_id))
        .order_by(Event.seq)
    )
    return list((await db.scalars(query)).all())


@dataclass(frozen=True)
class PendingEvent:
    """One event of a batch given to ``record_events``."""

    action: str
    object_type: str
    object_id: object
    before: Any = None
    after: Any = None
    reason: str | None = None


async def record_events(
    db: AsyncSession, actor: Actor, pending: list[PendingEvent], chunk_size: int = 2000
) -> int:
    """Appends many events at once (bulk imports): one head update, chained hashes, bulk inserts.

    Same chain and same rows as calling ``record_event`` once per event, without a round trip
    per event.
    """
    if not pending:
        return 0
    head = (
        await db.execute(
            update(EventChainHead)
            .where(EventChainHead.id == 1)
            .values(seq=EventChainHead.seq + len(pending))
            .returning(EventChainHead.seq, EventChainHead.last_hash)
        )
    ).one()
    seq, previous_hash, now = head.seq - len(pending), head.last_hash, utc_now()
    rows: list[dict[str, Any]] = []
    table = cast(Table, Event.__table__)
    for item in pending:
        seq += 1
        row: dict[str, Any] = {
            "seq": seq,
            "occurred_at": now,
            "actor_user_id": actor.user_id,
            "actor_organisation_id": actor.organisation_id,
            "actor_client_id": actor.client_id,
            "action": item.action,
            "object_type": item.object_type,
            "object_id": str(item.object_id),
            "before": snapshot(item.before),
            "after": snapshot(item.after),
            "reason": item.reason,
            "prev_hash": previous_hash,
        }
        row["hash"] = previous_hash = event_hash(row)
        rows.append(row)
        if len(rows) >= chunk_size:
            await bulk_insert(db, table, rows)
            rows = []
    await bulk_insert(db, table, rows)
    await db.execute(update(EventChainHead).where(EventChainHead.id == 1).values(last_hash=previous_hash))
    return len(pending)
