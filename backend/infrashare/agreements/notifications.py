"""In-app notifications: each transition of a request tells the counterparty organisation(s)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.accounts.principal import Principal
from infrashare.agreements.models import Notification, SharingRequest
from infrashare.assets.models import Asset
from infrashare.core.errors import NotFound
from infrashare.core.paging import Pagination

TITLES = {
    "sharing_request.created": "收到共享申请 New sharing request",
    "sharing_request.accept": "申请已被接受 Request accepted",
    "sharing_request.reject": "申请被拒绝 Request rejected",
    "sharing_request.counter": "对方提出反报价 Counter-proposal received",
    "sharing_request.withdraw": "申请已撤回 Request withdrawn",
    "sharing_request.accept_counter": "反报价已被接受 Counter-proposal accepted",
    "sharing_request.reject_counter": "反报价被拒绝 Counter-proposal rejected",
    "sharing_request.refer": "提交监管审批 Sent for regulator review",
    "sharing_request.activate": "协议生效 Agreement active",
    "sharing_request.approve": "监管批准，协议生效 Approved by the regulator; agreement active",
    "sharing_request.refuse": "监管不予批准 Refused by the regulator",
    "sharing_request.escalate": "申请方提起争议 Dispute raised",
    "sharing_request.uphold": "争议裁定：维持拒绝 Dispute decided: rejection upheld",
    "sharing_request.order_acceptance": "争议裁定：责令接受 Dispute decided: acceptance ordered",
    "sharing_request.terminate": "协议已终止 Agreement terminated",
    "sharing_request.expire": "协议已到期 Agreement expired",
}


async def notify(
    db: AsyncSession,
    request: SharingRequest,
    asset: Asset,
    event: str,
    organisations: Iterable[uuid.UUID],
    now: datetime,
) -> None:
    title = f"{TITLES.get(event, event)}: {asset.name} × {request.units} {asset.capacity_unit}"
    for organisation_id in dict.fromkeys(organisations):
        db.add(
            Notification(
                organisation_id=organisation_id,
                request_id=request.id,
                event=event,
                title=title[:300],
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
