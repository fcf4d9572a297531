"""Sending queued webhook deliveries: signed, retried with back-off, every attempt logged.

Signature: ``X-InfraShare-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>``.
A receiver recomputes it over the raw body and rejects a timestamp older than a few minutes.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import ClassVar

import httpx
import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.core.clock import utc_now
from infrashare.core.consumer import Consumer, Message
from infrashare.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from infrashare.webhooks.service import TOPIC

logger = structlog.get_logger("infrashare.webhooks")
MAX_ATTEMPTS = 12
SIGNATURE_HEADER = "X-InfraShare-Signature"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


@dataclass(frozen=True)
class SignedRequest:
    message_id: int
    delivery_id: uuid.UUID
    url: str
    body: bytes
    headers: dict[str, str]


@dataclass
class WebhookSender(Consumer):
    """Posts due deliveries side by side, with no transaction open (a slow receiver must not
    hold SQLite's only write lock); a crash mid-batch leaves the lease to run out, and the
    delivery is sent again. Each post is logged on its delivery; after ``MAX_ATTEMPTS`` it
    is given up."""

    timeout_seconds: float = 10
    topics: tuple[str, ...] = field(default=(TOPIC,), kw_only=True)
    batch_size: int = field(default=20, kw_only=True)
    max_attempts: int | None = field(default=MAX_ATTEMPTS, kw_only=True)
    http: httpx.AsyncClient = field(init=False)
    name: ClassVar[str] = "webhooks"

    def __post_init__(self) -> None:
        self.http = httpx.AsyncClient(timeout=self.timeout_seconds, follow_redirects=False)

    async def handle(self, messages: list[Message]) -> dict[int, str]:
        async with self.database.reader() as session:
            requests = [request for message in messages if (request := await self._prepare(session, message))]
        outcomes = await asyncio.gather(*(self._post(request) for request in requests))
        errors: dict[int, str] = {}
        async with self.database.writer() as session:
            for request, (status_code, error) in zip(requests, outcomes, strict=True):
                if not await self._record(session, request, status_code, error):
                    errors[request.message_id] = error or f"HTTP {status_code}"
            await session.commit()
        return errors

    async def _prepare(self, session: AsyncSession, message: Message) -> SignedRequest | None:
        """The signed request, or None when there is nothing to send (gone, sent, unsubscribed)."""
        delivery = await session.get(WebhookDelivery, uuid.UUID(message.key))
        subscription = await session.get(WebhookSubscription, delivery.subscription_id) if delivery else None
        if delivery is None or delivery.status != DeliveryStatus.PENDING:
            return None
        if subscription is None or not subscription.is_active:
            return None
        body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: signature(subscription.secret, int(time.time()), body),
            "X-InfraShare-Event": delivery.event_type,
            "X-InfraShare-Delivery": str(delivery.id),
            "User-Agent": "InfraShare-Webhooks/1",
        }
        return SignedRequest(message.id, delivery.id, subscription.url, body, headers)

    async def _post(self, request: SignedRequest) -> tuple[int | None, str | None]:
        try:
            response = await self.http.post(request.url, content=request.body, headers=request.headers)
        except httpx.HTTPError as exc:
            return None, repr(exc)[:2000]
        return response.status_code, None

    async def _record(
        self, session: AsyncSession, request: SignedRequest, status_code: int | None, error: str | None
    ) -> bool:
        """Logs the attempt on its delivery; True when the receiver took it."""
        delivery = await session.get(WebhookDelivery, request.delivery_id)
        succeeded = status_code is not None and 200 <= status_code < 300
        if delivery is None:
            return True
        delivery.attempts += 1
        delivery.last_status_code, delivery.last_error = status_code, error
        if succeeded:
            delivery.status, delivery.delivered_at = DeliveryStatus.SUCCEEDED, utc_now()
        return succeeded

    async def gave_up(self, session: AsyncSession, message: Message, error: str) -> None:
        delivery = await session.get(WebhookDelivery, uuid.UUID(message.key))
        if delivery is not None and delivery.status == DeliveryStatus.PENDING:
            delivery.status = DeliveryStatus.GAVE_UP

    async def close(self) -> None:
        await self.http.aclose()
