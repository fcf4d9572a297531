"""Upserting an organisation's assets by ``external_id``: bulk statements, one event per change.

A row whose content is unchanged (same content hash) is not written: no new version, no event.
The creation event of an upserted asset names its content by digest rather than copying it.
Used by bulk imports (slice by slice, as they are checked) and by the demo seed.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.assets.changes import assets_changed
from infrashare.assets.models import Asset
from infrashare.assets.service import CONTENT_COLUMNS, column_values
from infrashare.audit.service import PendingEvent, record_events
from infrashare.core.clock import utc_now
from infrashare.core.db import bulk_insert
from infrashare.core.errors import Conflict
from infrashare.core.principal import Actor

CHUNK = 1_000  # rows per write statement


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class AssetUpsert:
    """Inserts new and updates changed assets of ``owner`` by external_id, slice by slice, with
    one event per created or changed asset (appended by ``finish``)."""

    db: AsyncSession
    actor: Actor
    owner: uuid.UUID
    reason: str
    outcome: Outcome = field(default_factory=Outcome)
    events: list[PendingEvent] = field(default_factory=list)

    async def write(self, values: list[dict[str, Any]]) -> None:
        """Writes column values (``column_values``) of assets, ``CHUNK`` rows per statement."""
        if self.outcome.rows == 0 and self.db.get_bind().dialect.name == "postgresql":
            # The lookup of existing rows runs once per chunk with the same text, so psycopg
            # prepares it and PostgreSQL settles on a generic plan made while the table looked
            # small: a sequential scan, repeated as the table grows by this very import (a first
            # 100,000-row import took 130 s instead of 20). Plan each lookup for the table as it is.
            await self.db.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
        for chunk in _chunks(values, CHUNK):
            await self._write_chunk(chunk)
            await asyncio.sleep(0)

    async def _write_chunk(self, chunk: list[dict[str, Any]]) -> None:
        existing = {
            row.external_id: row
            for row in await self.db.execute(
                select(Asset.external_id, Asset.id, Asset.version, Asset.content_hash).where(
                    Asset.owner_organisation_id == self.owner,
                    Asset.external_id.in_([values["external_id"] for values in chunk]),
                )
            )
        }
        now, inserts, updates = utc_now(), [], []
        for values in chunk:
            current = existing.get(values["external_id"])
            if current is None:
                asset_id = uuid.uuid4()
                inserts.append(
                    values
                    | {"id": asset_id, "owner_organisation_id": self.owner, "version": 1}
                    | {"created_at": now, "updated_at": now}
                )
                # The row holds the full content; the event names it by digest (the content at
                # creation is the current row with later update diffs reverted) to keep
                # 100,000-row imports fast.
                after = {"external_id": values["external_id"], "content_hash": values["content_hash"]}
                self.events.append(
                    PendingEvent("asset.created", "asset", asset_id, after=after, reason=self.reason)
                )
            elif current.content_hash != values["content_hash"]:
                updates.append(
                    values
                    | {"b_id": current.id, "b_version": current.version, "version": current.version + 1}
                    | {"updated_at": now}
                )
            else:
                self.outcome.unchanged += 1
        await bulk_insert(self.db, cast(Table, Asset.__table__), inserts)
        if updates:
            self.events += await _update_changed(self.db, updates, self.reason)
        await assets_changed(self.db, [i["id"] for i in inserts] + [u["b_id"] for u in updates])
        self.outcome.created += len(inserts)
        self.outcome.updated += len(updates)

    async def finish(self) -> Outcome:
        await record_events(self.db, self.actor, self.events)
        self.events = []
        return self.outcome


async def upsert_assets(
    db: AsyncSession, actor: Actor, owner: uuid.UUID, contents: list[dict[str, Any]], reason: str
) -> Outcome:
    """Upserts validated contents (``content_of``) of ``owner``'s assets by external_id."""
    upsert = AssetUpsert(db, actor, owner, reason)
    await upsert.write([column_values(content) for content in contents])
    return await upsert.finish()


async def _update_changed(db: AsyncSession, updates: list[dict[str, Any]], reason: str) -> list[PendingEvent]:
    """Updates rows still at the version just read; a concurrent change fails the whole import."""
    ids = [item["b_id"] for item in updates]
    columns = [getattr(Asset, name) for name in CONTENT_COLUMNS]
    stored = {
        row.id: {name: getattr(row, name) for name in CONTENT_COLUMNS}
        for row in await db.execute(select(Asset.id, *columns).where(Asset.id.in_(ids)))
    }
    table = cast(Table, Asset.__table__)
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
        .execution_options(synchronize_session=False)
    )
    result = await db.execute(statement, updates)
    if result.rowcount != len(updates):  # type: ignore[attr-defined]
        raise Conflict("Some assets were changed while the import ran; import again.")
    events = []
    for item in updates:
        before = _jsonable(stored[item["b_id"]])
        after = {name: item[name] for name in CONTENT_COLUMNS}
        after = _jsonable(after)
        changed = [key for key in after if before.get(key) != after[key]]
        events.append(
            PendingEvent(
                "asset.updated",
                "asset",
                item["b_id"],
                before={key: before.get(key) for key in changed},
                after={key: after[key] for key in changed},
                reason=reason,
            )
        )
    return events


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    from pydantic_core import to_jsonable_python

    result: dict[str, Any] = to_jsonable_python(values)
    return result


def _chunks(items: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
