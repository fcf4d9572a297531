"""Reserving and releasing an asset's free capacity: one conditional UPDATE each, never over-booked.

``reserve`` decrements ``capacity_free`` only where at least ``units`` are free; the row lock of
that UPDATE (PostgreSQL re-checks the condition after a concurrent writer commits; SQLite runs
one writer at a time) is what makes 200 concurrent accepts for the last 5 units give exactly 5
successes. Both bump the asset's ``version`` (its optimistic-lock column), so an owner editing
from a stale read gets a 409, and move the status between ``available`` and ``full``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, cast

from sqlalchemy import and_, case, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.assets.models import Asset, AssetStatus
from infrashare.core.errors import Conflict


class InsufficientCapacity(Conflict):
    slug, title = "insufficient-capacity", "Not enough free capacity"


async def reserve(db: AsyncSession, asset_id: uuid.UUID, units: int, now: datetime) -> None:
    statement = (
        update(Asset)
        .where(Asset.id == asset_id, Asset.capacity_free >= units, Asset.status != AssetStatus.RETIRED)
        .values(
            capacity_free=Asset.capacity_free - units,
            status=case(
                (
                    and_(Asset.status == AssetStatus.AVAILABLE.value, Asset.capacity_free == units),
                    AssetStatus.FULL.value,
                ),
                else_=Asset.status,
            ),
            version=Asset.version + 1,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    result = cast(CursorResult[Any], await db.execute(statement))
    if result.rowcount != 1:
        raise InsufficientCapacity(
            f"The asset does not have {units} free units (any more); nothing was reserved.",
            asset_id=str(asset_id),
            units_requested=units,
        )
    await _reload(db, asset_id)


async def release(db: AsyncSession, asset_id: uuid.UUID, units: int, now: datetime) -> None:
    restored = Asset.capacity_free + units
    statement = (
        update(Asset)
        .where(Asset.id == asset_id)
        .values(
            # Never above the total, should the owner have lowered it meanwhile.
            capacity_free=case((restored > Asset.capacity_total, Asset.capacity_total), else_=restored),
            status=case(
                (Asset.status == AssetStatus.FULL.value, AssetStatus.AVAILABLE.value), else_=Asset.status
            ),
            version=Asset.version + 1,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    await db.execute(statement)
    await _reload(db, asset_id)


async def _reload(db: AsyncSession, asset_id: uuid.UUID) -> None:
    """A copy of the asset loaded in this session is stale now: load the new row into it."""
    for obj in list(db.identity_map.values()):
        if isinstance(obj, Asset) and obj.id == asset_id:
            await db.refresh(obj)
