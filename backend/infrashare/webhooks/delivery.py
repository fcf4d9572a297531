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
from datetime import timedelta

import httpx
import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.core.db import Database, utc_now
from infrashare.core.indexing import pause
from infrashare.core.outbox import OutboxMessage, claim, mark_done, retry_later
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
class WebhookSender:
    database: Database
    timeout_seconds: float = 10
    batch_size: int = 20
    lease: timedelta = timedelta(minutes=2)  # longer than a batch takes: its posts run side by side
    http: httpx.AsyncClient = field(init=False)

    def __post_init__(self) -> None:
        self.http = httpx.AsyncClient(timeout=self.timeout_seconds, follow_redirects=False)

    async def send_once(self) -> int:
        """Attempts one batch of due deliveries; returns how many it attempted.

        The batch is claimed and leased in one short transaction, posted with no transaction
        open (a slow receiver must not hold SQLite's only write lock), then settled in another.
        A crash in between leaves the lease to run out, and the delivery is sent again.
        """
        async with self.database.reader() as peek:
            if not await claim(peek, [TOPIC], 1, utc_now()):
                return 0
        async with self.database.writer() as session:
            now = utc_now()
            messages = await claim(session, [TOPIC], self.batch_size, now)
            requests = [request for message in messages if (request := await self._prepare(session, message))]
            for message in messages:
                message.available_at = now + self.lease
            await session.commit()
        outcomes = await asyncio.gather(*(self._post(request) for request in requests))
        async with self.database.writer() as session:
            for request, (status_code, error) in zip(requests, outcomes, strict=True):
                await self._settle(session, request, status_code, error)
            await session.commit()
        return len(messages)

    async def _prepare(self, session: AsyncSession, message: OutboxMessage) -> SignedRequest | None:
        delivery = await session.get(WebhookDelivery, uuid.UUID(message.key))
        subscription = await session.get(WebhookSubscription, delivery.subscription_id) if delivery else None
        if delivery is None or subscription is None or not subscription.is_active:
            await mark_done(session, [message.id], utc_now())
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

    async def _settle(
        self, session: AsyncSession, request: SignedRequest, status_code: int | None, error: str | None
    ) -> None:
        delivery = await session.get(WebhookDelivery, request.delivery_id)
        message = await session.get(OutboxMessage, request.message_id)
        if delivery is None or message is None:
            return
        delivery.attempts += 1
        delivery.last_status_code, delivery.last_error = status_code, error
        if status_code is not None and 200 <= status_code < 300:
            delivery.status, delivery.delivered_at = DeliveryStatus.SUCCEEDED, utc_now()
            await mark_done(session, [message.id], utc_now())
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.GAVE_UP
            await mark_done(session, [message.id], utc_now())
        else:
            await retry_later(session, [message], error or f"HTTP {status_code}", utc_now())

    async def run(self, stop: asyncio.Event, idle_seconds: float = 0.5) -> None:
        try:
            while not stop.is_set():
                try:
                    busy = await self.send_once()
                except Exception:  # never let one bad batch stop deliveries
                    logger.exception("webhook batch failed")
                    busy = 0
                if not busy:
                    await pause(stop, idle_seconds)
        finally:
            await self.http.aclose()
