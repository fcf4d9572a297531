"""HTTP: an organisation's webhook subscriptions, test pings and the delivery log."""

from __future__ import annotations

import uuid

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED

from infrashare.core.db import DbSession
from infrashare.core.paging import Paging
from infrashare.core.principal import CurrentPrincipal
from infrashare.core.scopes import requires
from infrashare.webhooks import service
from infrashare.webhooks.schemas import (
    EVENT_TYPES,
    DeliveryPage,
    DeliveryRead,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionRead,
)

MANAGE = requires("webhooks:manage")


class WebhookController(Controller):
    path = "/api/v1/webhooks"
    tags = ["webhooks"]

    @get("/events", summary="The events one can subscribe to", **MANAGE)
    async def event_types(self, principal: CurrentPrincipal) -> dict[str, str]:
        return EVENT_TYPES

    @get("/", summary="My organisation's subscriptions", **MANAGE)
    async def list_subscriptions(
        self, db_session: DbSession, principal: CurrentPrincipal
    ) -> list[SubscriptionRead]:
        return [
            SubscriptionRead.model_validate(s)
            for s in await service.list_subscriptions(db_session, principal)
        ]

    @post("/", summary="Subscribe a URL; the signing secret is shown only in this answer", **MANAGE)
    async def subscribe(
        self, db_session: DbSession, principal: CurrentPrincipal, data: JSONBody[SubscriptionCreate]
    ) -> SubscriptionCreated:
        return SubscriptionCreated.from_model(await service.subscribe(db_session, principal, data))

    @post("/{subscription_id:uuid}/unsubscribe", status_code=HTTP_200_OK, summary="Stop deliveries", **MANAGE)
    async def unsubscribe(
        self, db_session: DbSession, principal: CurrentPrincipal, subscription_id: FromPath[uuid.UUID]
    ) -> SubscriptionRead:
        return SubscriptionRead.model_validate(
            await service.unsubscribe(db_session, principal, subscription_id)
        )

    @post(
        "/{subscription_id:uuid}/ping",
        status_code=HTTP_202_ACCEPTED,
        summary="Queue a test delivery",
        **MANAGE,
    )
    async def ping(
        self, db_session: DbSession, principal: CurrentPrincipal, subscription_id: FromPath[uuid.UUID]
    ) -> DeliveryRead:
        return DeliveryRead.model_validate(await service.ping(db_session, principal, subscription_id))

    @get("/{subscription_id:uuid}/deliveries", summary="The delivery log, newest first", **MANAGE)
    async def deliveries(
        self,
        db_session: DbSession,
        principal: CurrentPrincipal,
        subscription_id: FromPath[uuid.UUID],
        pagination: Paging,
    ) -> DeliveryPage:
        rows, total = await service.deliveries(db_session, principal, subscription_id, pagination)
        return DeliveryPage.of([DeliveryRead.model_validate(row) for row in rows], total, pagination)
