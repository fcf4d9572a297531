"""Fixed-window request quotas per caller (per OAuth client and per user), kept in a Litestar store.

The default store lives in the process; with several app replicas give the app a shared store
(Litestar's RedisStore under the name ``rate_limit``) so the quota is counted once.
"""

from __future__ import annotations

import time

from litestar.stores.base import Store

from infrashare.core.errors import DomainError


class RateLimited(DomainError):
    status, slug, title = 429, "rate-limited", "Too many requests"


async def spend(store: Store, key: str, per_minute: int, now: float | None = None) -> None:
    """Counts one request against ``key``; raises RateLimited (with Retry-After) past the quota."""
    if per_minute <= 0:
        return
    now = time.time() if now is None else now
    window = int(now // 60)
    bucket = f"{key}:{window}"
    used = int(await store.get(bucket) or 0) + 1
    await store.set(bucket, str(used), expires_in=61)
    if used > per_minute:
        retry_after = 60 - int(now % 60)
        raise RateLimited(
            f"More than {per_minute} requests a minute for {key.split(':', 1)[0]}; slow down.",
            headers={"Retry-After": str(retry_after)},
            limit=per_minute,
        )
