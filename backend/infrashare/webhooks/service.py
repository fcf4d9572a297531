"""Subscriptions, and turning a domain event into deliveries (sent later, from the outbox)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.audit.service import record_event
from infrashare.core.clock import utc_now
from infrashare.core.errors import NotFound, PermissionDenied
from infrashare.core.outbox import enqueue
from infrashare.core.paging import Pagination
from infrashare.core.principal import OrganisationKind, Principal, Role
from infrashare.regions.service import descendant_codes
from infrashare.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from infrashare.webhooks.schemas import SubscriptionCreate

TOPIC = "webhook"


def _require_admin(principal: Principal) -> None:
    if principal.organisation_kind == OrganisationKind.PLATFORM:
        raise PermissionDenied("Webhooks belong to operators and regulators.")
    if principal.client_id is None and principal.role not in (Role.OPERATOR_ADMIN, Role.REGULATOR):
        raise PermissionDenied("Only an organisation's admins manage its webhooks.")


async def subscribe(db: AsyncSession, principal: Principal, data: SubscriptionCreate) -> WebhookSubscription:
    _require_admin(principal)
    subscription = WebhookSubscription(
        organisation_id=principal.organisation_id,
        url=str(data.url),
        events=data.events,
        region_codes=sorted(set(data.region_codes)),
        asset_kinds=sorted(set(data.asset_kinds)),
        secret=secrets.token_hex(32),
        created_by=principal.user_id,
    )
    db.add(subscription)
    await db.flush()
    after = data.model_dump(mode="json")
    await record_event(
        db, principal.actor, "webhook.subscribed", "webhook_subscription", subscription.id, after=after
    )
    return subscription


async def list_subscriptions(db: AsyncSession, principal: Principal) -> list[WebhookSubscription]:
    _require_admin(principal)
    query = select(WebhookSubscription).where(
        WebhookSubscription.organisation_id == principal.organisation_id
    )
    return list((await db.scalars(query.order_by(WebhookSubscription.created_at))).all())


async def own_subscription(
    db: AsyncSession, principal: Principal, subscription_id: uuid.UUID
) -> WebhookSubscription:
    _require_admin(principal)
    subscription = await db.get(WebhookSubscription, subscription_id)
    if subscription is None or subscription.organisation_id != principal.organisation_id:
        raise NotFound(f"Webhook subscription {subscription_id} does not exist.")
    return subscription


async def unsubscribe(
    db: AsyncSession, principal: Principal, subscription_id: uuid.UUID
) -> WebhookSubscription:
    subscription = await own_subscription(db, principal, subscription_id)
    subscription.is_active = False
    await record_event(db, principal.actor, "webhook.unsubscribed", "webhook_subscription", subscription.id)
    return subscription


async def deliveries(
    db: AsyncSession, principal: Principal, subscription_id: uuid.UUID, pagination: Pagination
) -> tuple[list[WebhookDelivery], int]:
    """A page of a subscription's delivery log (newest first), and how many deliveries it holds."""
    await own_subscription(db, principal, subscription_id)
    mine = WebhookDelivery.subscription_id == subscription_id
    total = await db.scalar(select(func.count()).select_from(WebhookDelivery).where(mine))
    query = (
        select(WebhookDelivery).where(mine).order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id)
    )
    return list((await db.scalars(pagination.rows(query))).all()), int(total or 0)


def _deliver(
    db: AsyncSession, subscription: WebhookSubscription, event_type: str, data: dict[str, Any]
) -> WebhookDelivery:
    delivery_id = uuid.uuid4()
    payload = {"id": str(delivery_id), "type": event_type, "created_at": utc_now().isoformat(), "data": data}
    delivery = WebhookDelivery(
        id=delivery_id,
        subscription_id=subscription.id,
        event_type=event_type,
        payload=payload,
        status=DeliveryStatus.PENDING,
        attempts=0,
        created_at=utc_now(),
    )
    db.add(delivery)
    enqueue(db, TOPIC, delivery_id)
    return delivery


async def ping(db: AsyncSession, principal: Principal, subscription_id: uuid.UUID) -> WebhookDelivery:
    subscription = await own_subscription(db, principal, subscription_id)
    return _deliver(db, subscription, "ping", {"subscription_id": str(subscription.id)})


async def emit(
    db: AsyncSession,
    event_type: str,
    data: dict[str, Any],
    *,
    organisations: Iterable[uuid.UUID] | None = None,
    region_code: str | None = None,
    asset_kinds: Iterable[str] = (),
) -> int:
    """Queues a delivery to every active subscription that wants this event.

    ``organisations`` limits the audience (None: every organisation, as for a published need);
    subscriptions with region or kind filters get only events inside them.
    """
    query = select(WebhookSubscription).where(WebhookSubscription.is_active.is_(True))
    if organisations is not None:
        query = query.where(WebhookSubscription.organisation_id.in_(list(organisations)))
    kinds = set(asset_kinds)
    sent = 0
    for subscription in (await db.scalars(query)).all():
        if event_type not in subscription.events:
            continue
        if subscription.asset_kinds and kinds and not kinds & set(subscription.asset_kinds):
            continue
        if subscription.region_codes and not await _inside(db, region_code, subscription.region_codes):
            continue
        _deliver(db, subscription, event_type, data)
        sent += 1
    return sent


async def _inside(db: AsyncSession, region_code: str | None, wanted: list[str]) -> bool:
    return region_code is not None and region_code in await descendant_codes(db, wanted)
