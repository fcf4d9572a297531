"""News of a written asset: every write calls one of these in its own unit of work.

The search index (``ASSETS_INDEX``) and reverse matching (published needs the asset could
serve, ``matching/reverse.py``) each get an outbox message, so both follow once the write
commits — and neither is told about a write that rolled back.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.assets.search import ASSETS_INDEX
from infrashare.core.indexing import mark_changed, mark_many_changed
from infrashare.core.outbox import enqueue, enqueue_many

MATCHING_TOPIC = "matching.asset"


def asset_changed(db: AsyncSession, asset_id: object) -> None:
    mark_changed(db, ASSETS_INDEX, asset_id)
    enqueue(db, MATCHING_TOPIC, asset_id)


async def assets_changed(db: AsyncSession, asset_ids: Sequence[object]) -> None:
    """For bulk writes (imports): two executemany inserts, whatever the number of assets."""
    await mark_many_changed(db, ASSETS_INDEX, asset_ids)
    await enqueue_many(db, MATCHING_TOPIC, asset_ids)
