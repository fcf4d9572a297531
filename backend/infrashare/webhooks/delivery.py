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


@dataclass
class WebhookSender:
    database: Database
    timeout_seconds: float = 10
    batch_size: int = 20
    http: httpx.AsyncClient = field(init=False)

    def __post_init__(self) -> None:
        self.http = httpx.AsyncClient(timeout=self.timeout_seconds, follow_redirects=False)

    async def send_once(self) -> int:
        """Attempts one batch of due deliveries; returns how many it attempted."""
        async with self.database.reader() as peek:
            if not await claim(peek, [TOPIC], 1, utc_now()):
                return 0
        async with self.database.writer() as session:
            messages = await claim(session, [TOPIC], self.batch_size, utc_now())
            for message in messages:
                await self._attempt(session, message)
            await session.commit()
            return len(messages)

    async def _attempt(self, session: AsyncSession, message: OutboxMessage) -> None:
        delivery = await session.get(WebhookDelivery, uuid.UUID(message.key))
        subscription = await session.get(WebhookSubscription, delivery.subscription_id) if delivery else None
        if delivery is None or subscription is None or not subscription.is_active:
            await mark_done(session, [message.id], utc_now())
            return
        body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
        stamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: signature(subscription.secret, stamp, body),
            "X-InfraShare-Event": delivery.event_type,
            "X-InfraShare-Delivery": str(delivery.id),
            "User-Agent": "InfraShare-Webhooks/1",
        }
        delivery.attempts += 1
        try:
            response = await self.http.post(subscription.url, content=body, headers=headers)
            delivery.last_status_code, delivery.last_error = response.status_code, None
            ok = 200 <= response.status_code < 300
        except httpx.HTTPError as exc:
            delivery.last_status_code, delivery.last_error, ok = None, repr(exc)[:2000], False
        await self._settle(session, message, delivery, ok)

    async def _settle(
        self, session: AsyncSession, message: OutboxMessage, delivery: WebhookDelivery, ok: bool
    ) -> None:
        if ok:
            delivery.status, delivery.delivered_at = DeliveryStatus.SUCCEEDED, utc_now()
            await mark_done(session, [message.id], utc_now())
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.GAVE_UP
            await mark_done(session, [message.id], utc_now())
        else:
            error = delivery.last_error or f"HTTP {delivery.last_status_code}"
            await retry_later(session, [message], error, utc_now())

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
