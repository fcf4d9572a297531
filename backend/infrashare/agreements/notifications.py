"""In-app notifications: each transition of a request tells the counterparty organisation(s).

A notification is an event code and its parameters, never a sentence: the web UI words it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.agreements.models import Notification, NotificationEvent, SharingRequest
from infrashare.agreements.schemas import MatchNotificationParams, RequestNotificationParams
from infrashare.assets.models import Asset
from infrashare.core.errors import NotFound
from infrashare.core.paging import Pagination
from infrashare.core.principal import Principal


def request_params(request: SharingRequest, asset: Asset) -> dict[str, Any]:
    """What a request's notification is about: the asset, and how many units of what."""
    params = RequestNotificationParams(
        asset_name=asset.name, units=request.units, capacity_unit=asset.capacity_unit
    )
    return params.model_dump(mode="json")


def match_params(need_title: str, asset_name: str, distance_m: float, exact: bool) -> dict[str, Any]:
    """What a ``match.new`` notification is about. The distance is given only when the need's
    organisation may see the asset's exact location (otherwise it is known to about 1 km)."""
    params = MatchNotificationParams(
        need_title=need_title,
        asset_name=asset_name,
        distance_m=round(distance_m) if exact else None,
        location_precision="exact" if exact else "approx_1km",
    )
    return params.model_dump(mode="json")


async def notify(
    db: AsyncSession,
    request: SharingRequest,
    asset: Asset,
    event: NotificationEvent,
    organisations: Iterable[uuid.UUID],
    now: datetime,
) -> None:
    params = request_params(request, asset)
    for organisation_id in dict.fromkeys(organisations):
        db.add(
            Notification(
                organisation_id=organisation_id,
                request_id=request.id,
                event=event,
                params=params,
                status=request.status,
                created_at=now,
            )
        )


async def list_notifications(
    db: AsyncSession, principal: Principal, unread_only: bool, pagination: Pagination
) -> tuple[list[Notification], int, int]:
    """A page of the organisation's notifications (newest first), how many match, how many are unread."""
    mine = Notification.organisation_id == principal.organisation_id
    where = [mine, Notification.read_at.is_(None)] if unread_only else [mine]
    query = select(Notification).where(*where).order_by(Notification.created_at.desc(), Notification.id)
    rows = (await db.scalars(pagination.rows(query))).all()
    total = await db.scalar(select(func.count()).select_from(Notification).where(*where))
    unread = await db.scalar(select(func.count()).where(mine, Notification.read_at.is_(None)))
    return list(rows), int(total or 0), int(unread or 0)


async def mark_read(
    db: AsyncSession, principal: Principal, notification_id: uuid.UUID | None, now: datetime
) -> int:
    """Marks one notification (or, with None, all of them) of the caller's organisation read."""
    statement = update(Notification).where(
        Notification.organisation_id == principal.organisation_id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        exists = await db.scalar(
            select(Notification.id).where(
                Notification.id == notification_id,
                Notification.organisation_id == principal.organisation_id,
            )
        )
        if exists is None:
            raise NotFound(f"Notification {notification_id} does not exist.")
        statement = statement.where(Notification.id == notification_id)
    result = await db.execute(statement.values(read_at=now).execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)
