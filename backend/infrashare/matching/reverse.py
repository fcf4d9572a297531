"""Reverse matching: when an asset is written, tell the organisations whose published needs it could serve.

Asset writes leave a ``matching.asset`` outbox message (assets/changes.py). The matcher claims
them in batches and, per batch, reads the assets once, the published needs near any of them
once (one query: a wanted kind among the batch's kinds, bounding boxes padded by each need's
reach), the access grants once and the notices already sent once. Pairs are then checked in
memory with the rule of ``GET /needs/{id}/matches``: a wanted kind, a state that serves the
need's mode, free capacity, another organisation's asset, visible to the need's organisation
and within reach of the location that organisation may see. So a 100,000-row import costs a
few queries per batch of 500, never one per row.

A new (asset, need) pair is remembered in ``match_notices`` — announced once, however often the
asset changes afterwards — and gets an in-app notification for the need's organisation and a
``match.new`` webhook event. All of it commits together with the batch's outbox messages marked
done, or none of it does (the batch is then claimed again).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import ClassVar

import structlog
from sqlalchemy import ColumnElement, exists, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from infrashare.accounts.models import Organisation
from infrashare.agreements.models import Notification, NotificationEvent, SharingRequest
from infrashare.agreements.notifications import match_params
from infrashare.assets.changes import MATCHING_TOPIC
from infrashare.assets.models import Asset, AssetStatus
from infrashare.assets.schemas import AssetRead
from infrashare.assets.visibility import Viewer, grant_holders, present
from infrashare.core.clock import utc_now
from infrashare.core.consumer import Consumer, Message
from infrashare.core.geo import (
    METRES_PER_DEGREE,
    box_of,
    boxes_meet,
    geometry_distance_m,
    lon_stretch,
    padded,
)
from infrashare.core.principal import Role
from infrashare.matching.models import MatchNotice
from infrashare.matching.search import GRID_SLACK_M
from infrashare.matching.service import (
    DEFAULT_REACH_M,
    reach_m,
    score_factors,
    serving_statuses,
)
from infrashare.needs.models import Need, NeedKind, NeedStatus
from infrashare.webhooks.models import WebhookSubscription
from infrashare.webhooks.service import emit

logger = structlog.get_logger("infrashare.matching")
EVENT = NotificationEvent.MATCH_NEW  # also the webhook's event type
MAX_DEFER = 30.0  # seconds reverse matching waits for a busy indexer before taking a batch


@dataclass(frozen=True)
class NewMatch:
    asset: Asset
    need: Need
    distance_m: float
    exact: bool  # whether the need's organisation sees the asset's location exactly
    score: float


async def _servable_assets(db: AsyncSession, ids: Sequence[str]) -> list[Asset]:
    query = select(Asset).where(
        Asset.id.in_([uuid.UUID(i) for i in ids]),
        Asset.status.in_([AssetStatus.AVAILABLE, AssetStatus.PLANNED]),
        Asset.capacity_free >= 1,
    )
    return list((await db.scalars(query)).all())


def _within_reach_of(assets: list[Asset]) -> list[ColumnElement[bool]]:
    """Needs whose bounding box, padded by the need's reach, meets the batch's bounding box."""
    min_lon, max_lon = min(a.min_lon for a in assets), max(a.max_lon for a in assets)
    min_lat, max_lat = min(a.min_lat for a in assets), max(a.max_lat for a in assets)
    lon_factor = lon_stretch(max(abs(min_lat), abs(max_lat)) + 1)  # reaches are well under 1°
    reach = func.coalesce(Need.radius_m, Need.corridor_m, DEFAULT_REACH_M) + GRID_SLACK_M
    pad_lat = reach / METRES_PER_DEGREE
    pad_lon = pad_lat * lon_factor
    return [
        Need.max_lat + pad_lat >= min_lat,
        Need.min_lat - pad_lat <= max_lat,
        Need.max_lon + pad_lon >= min_lon,
        Need.min_lon - pad_lon <= max_lon,
    ]


async def _needs_near(db: AsyncSession, assets: list[Asset], today: date) -> list[tuple[Need, Organisation]]:
    kinds = sorted({asset.kind.value for asset in assets})
    query = (
        select(Need, Organisation)
        .join(Organisation, Organisation.id == Need.organisation_id)
        .where(
            Need.status == NeedStatus.PUBLISHED,
            Need.needed_by >= today,
            exists().where(NeedKind.need_id == Need.id, NeedKind.kind.in_(kinds)).correlate(Need),
            *_within_reach_of(assets),
        )
        .options(selectinload(Need.kinds))
    )
    return [(need, organisation) for need, organisation in (await db.execute(query)).all()]


async def _viewers(
    db: AsyncSession, organisations: list[Organisation], assets: list[Asset]
) -> dict[uuid.UUID, Viewer]:
    """Each needing organisation as the visibility rule sees it, with its grants among these assets."""
    granted: dict[uuid.UUID, set[uuid.UUID]] = {organisation.id: set() for organisation in organisations}
    rows = await db.execute(
        grant_holders([asset.id for asset in assets]).where(
            SharingRequest.requester_organisation_id.in_(list(granted))
        )
    )
    for asset_id, organisation_id in rows.all():
        granted[organisation_id].add(asset_id)
    # Needs are posted by operators; an empty jurisdiction only ever shows less, never more.
    return {
        organisation.id: Viewer(
            organisation.id,
            organisation.kind,
            Role.OPERATOR_MEMBER,
            granted=frozenset(granted[organisation.id]),
        )
        for organisation in organisations
    }


async def _already_announced(db: AsyncSession, assets: list[Asset]) -> set[tuple[uuid.UUID, uuid.UUID]]:
    query = select(MatchNotice.asset_id, MatchNotice.need_id).where(
        MatchNotice.asset_id.in_([asset.id for asset in assets])
    )
    return set((await db.execute(query)).all())


def _boxes_meet(need: Need, asset: Asset, pad_m: float) -> bool:
    return boxes_meet(padded(box_of(need), pad_m), box_of(asset))


def serving_distance(need: Need, asset: Asset, viewer: Viewer) -> float | None:
    """The distance at which ``asset`` could serve ``need`` for its organisation, or None if it cannot.

    Measured to the location that organisation may see: at ~1 km precision an asset up to
    ``GRID_SLACK_M`` beyond the reach still counts, as on the need's matches page."""
    if asset.owner_organisation_id == need.organisation_id or asset.capacity_free < 1:
        return None
    if asset.kind.value not in {kind.value for kind in need.wanted_kinds}:
        return None
    if asset.status.value not in serving_statuses(need) or not viewer.sees(asset):
        return None
    reach = reach_m(need)
    if not _boxes_meet(need, asset, reach + GRID_SLACK_M):
        return None
    shown = present(viewer, asset)
    distance = geometry_distance_m(need.geometry, shown.geometry)
    return distance if distance <= reach + (0 if shown.exact else GRID_SLACK_M) else None


async def find_new_matches(db: AsyncSession, asset_ids: Sequence[str], today: date) -> list[NewMatch]:
    """The (asset, published need) pairs among these assets that were never announced before."""
    assets = await _servable_assets(db, asset_ids)
    if not assets:
        return []
    needs = await _needs_near(db, assets, today)
    if not needs:
        return []
    viewers = await _viewers(db, list({org.id: org for _, org in needs}.values()), assets)
    announced = await _already_announced(db, assets)
    found = []
    for asset in assets:
        for need, organisation in needs:
            if (asset.id, need.id) in announced:
                continue
            viewer = viewers[organisation.id]
            distance = serving_distance(need, asset, viewer)
            if distance is None:
                continue
            shown = min(distance, reach_m(need))
            factors = score_factors(need, AssetRead.from_model(asset, viewer), shown, None)
            score = round(sum(factor.score * factor.weight for factor in factors), 4)
            found.append(NewMatch(asset, need, round(shown, 1), viewer.sees_exactly(asset), score))
    return found


async def _organisations_with_webhooks(db: AsyncSession, organisations: set[uuid.UUID]) -> set[uuid.UUID]:
    query = select(WebhookSubscription.organisation_id).where(
        WebhookSubscription.is_active.is_(True),
        WebhookSubscription.organisation_id.in_(sorted(organisations)),
    )
    return set((await db.scalars(query.distinct())).all())


def _payload(match: NewMatch) -> dict[str, object]:
    return {
        "need_id": str(match.need.id),
        "need_title": match.need.title,
        "asset_id": str(match.asset.id),
        "asset_name": match.asset.name,
        "asset_kind": match.asset.kind.value,
        "owner_organisation_id": str(match.asset.owner_organisation_id),
        "distance_m": match.distance_m,
        "location_precision": "exact" if match.exact else "approx_1km",
        "score": match.score,
    }


async def announce(db: AsyncSession, matches: list[NewMatch], now: datetime) -> None:
    """Remembers each pair, notifies the need's organisation in the app and queues its webhooks."""
    if not matches:
        return
    await db.execute(
        insert(MatchNotice),
        [
            {"asset_id": m.asset.id, "need_id": m.need.id, "distance_m": m.distance_m, "created_at": now}
            for m in matches
        ],
    )
    notifications = [
        {
            "id": uuid.uuid4(),
            "organisation_id": m.need.organisation_id,
            "need_id": m.need.id,
            "asset_id": m.asset.id,
            "event": EVENT,
            "params": match_params(m.need.title, m.asset.name, m.distance_m, m.exact),
            "created_at": now,
        }
        for m in matches
    ]
    await db.execute(insert(Notification), notifications)
    hooked = await _organisations_with_webhooks(db, {m.need.organisation_id for m in matches})
    for match in matches:
        if match.need.organisation_id in hooked:
            await emit(
                db,
                EVENT,
                _payload(match),
                organisations=[match.need.organisation_id],
                region_code=match.need.region_code,
                asset_kinds=[match.asset.kind.value],
            )


@dataclass
class ReverseMatcher(Consumer):
    """Drains ``matching.asset`` messages; in the app (embedded default) or in `infrashare worker`.

    A batch's notices, notifications and webhook deliveries commit together; a batch handled
    twice (its process died before settling) announces nothing twice: ``match_notices`` holds
    every pair already announced."""

    topics: tuple[str, ...] = field(default=(MATCHING_TOPIC,), kw_only=True)
    batch_size: int = field(default=500, kw_only=True)
    # The indexer's ``busy``: search freshness comes first, since both compete for the same CPUs
    # and a notification seconds later costs nobody. Deferred at most MAX_DEFER at a time.
    search_busy: asyncio.Event | None = None
    deferred_since: float | None = field(default=None, init=False)
    name: ClassVar[str] = "reverse-matching"

    def ready(self) -> bool:
        if self.search_busy is None or not self.search_busy.is_set():
            self.deferred_since = None
            return True
        now = time.monotonic()
        self.deferred_since = self.deferred_since or now
        if now - self.deferred_since < MAX_DEFER:
            return False
        self.deferred_since = None
        return True

    async def handle(self, messages: list[Message]) -> dict[int, str]:
        keys = list(dict.fromkeys(message.key for message in messages))
        async with self.database.writer() as session:
            now = utc_now()
            matches = await find_new_matches(session, keys, now.date())
            await announce(session, matches, now)
            await session.commit()
        if matches:
            logger.info("new matches announced", count=len(matches), assets=len(keys))
        return {}
